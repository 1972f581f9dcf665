"""Charts people can read: the BOM sunburst's parents are exactly their children's sum (on the
figure's own data), colours follow the stages, zero series get no legend, portfolio panels do
not mix functional units, and the report has no horizontal overflow at 390 and 1,440 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.model import Assessment, ProductResult
from footprint.report.figures import (
    STAGE_COLOURS,
    bom_figure,
    functional_unit_kind,
    material_figure,
    portfolio_figure,
    recycled_content_figure,
    stage_figure,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def examples() -> Assessment:
    """The bundled examples, assessed as a user would (real BOM shapes, real rule sets)."""
    from footprint.api import Engine, bom_files, load_rules, read_products

    products, warnings = read_products(bom_files([REPO / "examples"]))
    rule_sets = load_rules(["eu-battery-regulation", "eu-ppwr-plastic-packaging"])
    return Engine().assess_products(products, warnings, rule_sets=rule_sets)


def _children(trace) -> dict[str, list[str]]:
    kids: dict[str, list[str]] = {}
    for node, parent in zip(trace.ids, trace.parents, strict=True):
        if parent:
            kids.setdefault(parent, []).append(node)
    return kids


def test_sunburst_parents_equal_their_children_and_own_figure(examples: Assessment) -> None:
    for product in examples.products:
        trace = bom_figure(product).data[0]
        assert trace.branchvalues == "total"
        value = dict(zip(trace.ids, trace.values, strict=True))
        by_path = {line.path: line for line in product.lines}
        for parent, kids in _children(trace).items():
            own = by_path[parent].climate_change.total if parent in by_path else 0.0
            assert value[parent] == pytest.approx(max(own, 0.0) + sum(value[k] for k in kids))
        # the root is the product's total (no credits in these examples), by hand from lines
        assert trace.values[0] == pytest.approx(
            sum(line.climate_change.total for line in product.lines), rel=1e-12
        )
        assert trace.values[0] == pytest.approx(product.climate_change.total, rel=1e-12)


def test_sunburst_colours_by_stage_and_buckets_small_lines(examples: Assessment) -> None:
    phone = next(p for p in examples.products if p.id == "phone-x1")
    trace = bom_figure(phone).data[0]
    colours = dict(zip(trace.ids, trace.marker.colors, strict=True))
    for line in phone.lines:
        if line.path in colours and line.dataset is not None:
            assert colours[line.path] == STAGE_COLOURS[line.stage]
    value = dict(zip(trace.ids, trace.values, strict=True))
    others = [
        (node, parent)
        for node, parent, label in zip(trace.ids, trace.parents, trace.labels, strict=True)
        if label.startswith("other (")
    ]
    assert others  # the phone has sibling lines under 1 % of its total
    paths = {line.path for line in phone.lines}
    for node, parent in others:
        # the bucket holds exactly the leaf lines under 1 % directly below its parent
        small = [
            line.climate_change.total
            for line in phone.lines
            if (line.path.rsplit(" / ", 1)[0] if " / " in line.path else trace.ids[0]) == parent
            and not any(q.startswith(line.path + " / ") for q in paths)
            and 0 < line.climate_change.total < 0.01 * phone.climate_change.total
        ]
        assert len(small) >= 2
        assert value[node] == pytest.approx(sum(small))
    assert "%{value" in trace.texttemplate and "percentRoot" in trace.texttemplate


def test_no_legend_for_an_all_zero_series(examples: Assessment) -> None:
    for product in examples.products:
        names = {trace.name for trace in stage_figure(product).data}
        for part, name in (("biogenic", "Biogenic"), ("luluc", "Land use change")):
            if not any(getattr(cc, part) for cc in product.by_stage.values()):
                assert name not in names
    portfolio = portfolio_figure(examples)
    assert portfolio is not None
    for trace in portfolio.data:
        assert any(trace.x)  # no all-zero stage is drawn


def test_portfolio_has_one_panel_per_functional_unit_kind(examples: Assessment) -> None:
    kinds = {functional_unit_kind(p) for p in examples.products}
    fig = portfolio_figure(examples)
    assert fig is not None
    axes = {trace.yaxis for trace in fig.data}
    assert len(axes) == len(kinds)
    # the two PET multipacks (9 l and 6 l of water) share a kind; the e-bike and EV do not
    pet = [p for p in examples.products if p.id.startswith("pet-")]
    assert functional_unit_kind(pet[0]) == functional_unit_kind(pet[1])
    for trace in fig.data:
        panel = {functional_unit_kind(_product(examples, product_id)) for product_id in trace.y}
        assert len(panel) == 1


def _product(assessment: Assessment, product_id: str) -> ProductResult:
    return next(p for p in assessment.products if p.id == product_id)


def test_recycled_content_bars_show_the_gap_of_a_failing_target(examples: Assessment) -> None:
    ebike = _product(examples, "ebike-pack-36v")
    failing = [c for c in ebike.checks if c.rule == "art8-cobalt-lmt"][0]
    fig = recycled_content_figure(ebike)
    assert fig is not None
    bars = fig.data[0]
    index = list(bars.y).index(failing.title)
    # the pack's cobalt is 20 % recycled against the LMT minimum of 26 %: a gap of 6 points
    assert failing.status == "fail"
    assert bars.x[index] == pytest.approx(0.20) and failing.limit == pytest.approx(0.26)
    assert bars.text[index] == "20.0%; gap 6.0 points"


def test_material_chart_sums_to_the_product(examples: Assessment) -> None:
    for product in examples.products:
        fig = material_figure(product)
        assert fig is not None
        assert sum(fig.data[0].x) == pytest.approx(product.climate_change.total, rel=1e-9)
    chair = _product(examples, "office-chair")
    chart = material_figure(chair)
    assert chart is not None
    bars = dict(zip(chart.data[0].y, chart.data[0].x, strict=True))
    aluminium = sum(
        line.climate_change.total for line in chair.lines if line.material == "aluminium"
    )
    assert bars["aluminium"] == pytest.approx(aluminium)


@pytest.mark.parametrize("width", [390, 1440])
def test_report_has_no_horizontal_overflow(
    examples: Assessment, tmp_path: Path, chromium: str, chromium_args: list[str], width: int
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    report = examples.to_html(tmp_path / "examples.html")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.main-svg').length > 0")
            page_width = page.evaluate("document.documentElement.scrollWidth")
            widest_chart = page.evaluate(
                "Math.max(...Array.from(document.querySelectorAll('.plotly-graph-div'))"
                ".map(d => d.getBoundingClientRect().right))"
            )
        finally:
            browser.close()
    assert page_width <= width
    assert widest_chart <= width
