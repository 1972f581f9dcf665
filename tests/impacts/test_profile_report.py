"""The EF 3.1 profile in the HTML report: the weighted chart against the NF/WF source rows by
hand, "not covered" never drawn as a bar, the single score labelled partial with what it
lacks, the most-relevant tables with processes named as their database names them, and no
horizontal overflow at 390 px (Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import footprint
from footprint.report.impact_report import impacts_section, profile_figure

# datasets/sources/ef31_normalisation_weighting.csv, row "Climate change": NF (kg CO2-eq per
# person and year) and the weight in percent, typed from the source file
CLIMATE_NF, CLIMATE_WEIGHT = 7553.083162851173, 21.06


@pytest.fixture(scope="module")
def assessment(bw_module: str, examples_dir: Path):
    engine = footprint.Engine(brightway_project=bw_module, indicators="ef31")
    return engine.assess(examples_dir / "e-bike-battery.xlsx", hotspots=True)


def test_the_chart_is_the_weighted_profile_by_hand(assessment) -> None:
    product = assessment.products[0]
    fig = profile_figure(product)
    assert fig is not None
    bars = fig.data[0]
    assert len(bars.y) == 16
    by_label = dict(zip(bars.y, bars.x, strict=True))
    climate = next(label for label in bars.y if label.startswith("Climate change"))
    expected = product.climate_change.total / CLIMATE_NF * CLIMATE_WEIGHT / 100 * 1e6
    assert by_label[climate] == pytest.approx(expected, rel=1e-12)
    uncovered = [label for label in bars.y if label.endswith("(not covered)")]
    assert len(uncovered) == 15
    assert all(by_label[label] is None for label in uncovered)  # no bar, not a bar of 0
    assert bars.y[-1] == climate  # plotly's last y is the top row: the largest
    assert "partial" in fig.layout.title.text


def test_the_section_states_the_partial_single_score_and_what_it_lacks(assessment) -> None:
    product = assessment.products[0]
    text = impacts_section(product)
    expected = product.climate_change.total / CLIMATE_NF * CLIMATE_WEIGHT / 100 * 1e6
    score = re.search(r"<strong>([\d,.]+) µPt</strong> \(([\d.e-]+) Pt\)", text)
    assert score is not None
    assert float(score.group(1).replace(",", "")) == pytest.approx(expected, rel=1e-3)
    assert float(score.group(2)) == pytest.approx(expected / 1e6, rel=1e-3)
    assert "partial</span>, 1 of 16 categories summed" in text
    assert "not covered (15): Ozone depletion" in text
    # every chosen indicator is listed with its unit; the uncovered ones say so
    assert text.count("<tr>") >= 25 + 1
    assert "mol H+-Eq" in text and "not covered" in text


def test_the_most_relevant_tables_name_processes_as_their_database(assessment, bw_module) -> None:
    import bw2data as bd

    bd.projects.set_current(bw_module)
    product = assessment.products[0]
    relevant = product.impacts.most_relevant
    text = impacts_section(product)
    assert "relevant-categories" in text and "relevant-stages" in text
    assert "relevant-processes" in text and "relevant-flows" in text
    hotspots = relevant.per_category[0]
    assert hotspots.indicator == "climate-change"
    assert hotspots.processes is not None and hotspots.processes.items
    for item in hotspots.processes.items:
        code = item.key.split("::", 1)[1]
        activity = bd.get_activity((item.database, code))
        assert item.name == activity["name"]
        cell = f"{item.name}<br><small>{item.stage.value} · {item.database}"
        assert cell.replace("&", "&amp;") in text
        assert f"{item.cumulative:.1%}" in text
    # the shares of a list add up to its last cumulative share, which reaches 80 %
    items = hotspots.processes.items
    assert sum(i.share for i in items) == pytest.approx(items[-1].cumulative)
    assert items[-1].cumulative >= 0.8 > (items[-2].cumulative if len(items) > 1 else 0)


def test_a_report_without_a_profile_has_no_profile_section(bw_module, examples_dir, tmp_path):
    engine = footprint.Engine(brightway_project=bw_module)
    plain = engine.assess(examples_dir / "e-bike-battery.xlsx")
    html = plain.to_html(tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "EF 3.1 profile" not in html and 'class="impacts"' not in html


@pytest.mark.parametrize("width", [390, 1440])
def test_the_profile_section_does_not_overflow(
    assessment, tmp_path: Path, chromium: str, chromium_args: list[str], width: int
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    report = assessment.to_html(tmp_path / "profile.html")
    assert 'class="impacts"' in report.read_text(encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.impacts .main-svg').length > 0")
            page_width = page.evaluate("document.documentElement.scrollWidth")
            widest = page.evaluate(
                "Math.max(...Array.from(document.querySelectorAll("
                "'.impacts, .impacts > *, .impacts .plotly-graph-div, .impacts .table-wrap'))"
                ".map(d => d.getBoundingClientRect().right))"
            )
            bars = page.evaluate(
                "document.querySelectorAll('.impacts .main-svg .bars path').length"
            )
        finally:
            browser.close()
    assert page_width <= width
    assert widest <= width
    assert bars >= 1  # the chart was drawn


def test_the_dataframe_carries_the_profile(assessment) -> None:
    import math

    product = assessment.products[0]
    frame = assessment.to_dataframe()
    lines = frame[frame["scope"] == "line"]
    assert len(lines) == 5 * len(product.lines)  # the BOM rows as without a profile
    totals = frame[(frame["scope"] == "product")].set_index("indicator")
    assert len(totals) == 25 + 1  # every EF 3.1 indicator and the single score
    climate = totals.loc["climate-change"]
    assert climate["value"] == pytest.approx(product.climate_change.total, rel=1e-12)
    assert climate["indicator_unit"] == "kg CO2-Eq" and climate["coverage"] == "complete"
    expected = product.climate_change.total / CLIMATE_NF * CLIMATE_WEIGHT / 100
    assert climate["weighted_pt"] == pytest.approx(expected, rel=1e-12)
    acidification = totals.loc["acidification"]
    assert math.isnan(acidification["value"]) and acidification["coverage"] == "not covered"
    assert math.isnan(acidification["weighted_pt"])  # unknown, never 0
    score = totals.loc["single score"]
    assert score["value"] == pytest.approx(expected, rel=1e-12)
    assert score["coverage"] == "partial" and "Acidification: not covered" in score["note"]
    stages = frame[(frame["scope"] == "stage") & (frame["indicator"] == "climate-change")]
    assert len(stages) == 5
    assert math.fsum(stages["value"]) == pytest.approx(product.climate_change.total, rel=1e-12)
    assert set(stages["stage"]) == {s.value for s in product.by_stage}
