"""The HTML report: self-contained, escaped, and free of errors in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from footprint.model import Assessment
from footprint.report.html import write_html

from .conftest import watch_page

HOSTILE_HTML = "<script>alert('x')</script>"


@pytest.fixture
def report(assessment: Assessment, tmp_path: Path) -> Path:
    return write_html(assessment, tmp_path / "report.html")


def test_the_report_embeds_plotly_once_and_loads_nothing_from_the_network(report):
    text = report.read_text(encoding="utf-8")
    library = get_plotlyjs()
    assert text.count(library) == 1
    ours = text.replace(library, "")  # the library itself names a CDN for map data only
    assert not re.search(r"<script[^>]+src=", ours)
    assert not re.search(r"<link[^>]+href=", ours)
    assert "cdn.plot.ly" not in ours and "https://cdn" not in ours


def test_every_user_string_is_escaped(report):
    text = report.read_text(encoding="utf-8")
    assert HOSTILE_HTML not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text  # shown, not run
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in text


def test_each_product_has_its_charts_tables_and_the_portfolio(report, assessment):
    text = report.read_text(encoding="utf-8")
    # battery: stages, BOM, materials, CFF, recycled content; charger: no CFF; the portfolio
    assert text.count('class="plotly-graph-div"') == 5 + 4 + 1
    assert text.count("<h3>Compliance</h3>") == 2
    assert "Recycled lithium" in text and "insufficient data" in text
    assert 'id="data-sources"' in text and 'id="warnings"' in text
    for product in assessment.products:
        assert f"{product.climate_change.total:,.4g}" in text


def test_a_single_product_has_no_portfolio(one_product, tmp_path):
    text = write_html(one_product, tmp_path / "one.html").read_text(encoding="utf-8")
    assert 'id="portfolio"' not in text
    assert text.count('class="plotly-graph-div"') == 5


def test_chromium_renders_the_report_without_errors_or_network(report, chromium, chromium_args):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors, requests = watch_page(page)
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.main-svg').length > 0")
            drawn = page.evaluate(
                "Array.from(document.querySelectorAll('.plotly-graph-div'))"
                ".filter(d => d.querySelector('.main-svg')).length"
            )
        finally:
            browser.close()
    assert errors == []  # no console error, no page error, no alert() from a BOM string
    assert requests == []
    assert drawn == 10  # every figure was drawn by the embedded plotly.js


def test_an_empty_assessment_and_a_product_without_lines_still_report(assessment, tmp_path):
    empty = assessment.model_copy(update={"products": []})
    assert "No warnings" not in write_html(empty, tmp_path / "empty.html").read_text("utf-8")
    assert empty.to_dataframe().empty and empty.figures() == {}
    bare = assessment.products[1].model_copy(
        update={"lines": [], "circularity": None, "checks": []}
    )
    lonely = assessment.model_copy(update={"products": [bare]})
    text = write_html(lonely, tmp_path / "lonely.html").read_text("utf-8")
    assert "No rules applied." in text
    assert set(lonely.figures()) == {"CH-65W/stages", "CH-65W/bom"}
    assert lonely.to_excel(tmp_path / "lonely.xlsx").stat().st_size > 0
    assert empty.to_excel(tmp_path / "empty.xlsx").stat().st_size > 0


def test_a_cff_product_explains_its_lines_and_shows_cut_off_figures(report, assessment):
    text = report.read_text(encoding="utf-8")
    battery_section, charger_section = text.split('<section id="product-')[1:3]
    assert "End-of-life model: Circular Footprint Formula" in battery_section
    assert "<th>Cut-off figure</th>" in battery_section
    # nmc: its CFF figure, and its cut-off figure beside it (0.1 + 0.2 + 61.3 + 0.7)
    assert f"{0.1 + 0.2 + 54.45 + 0.7:,.4g}" in battery_section
    assert f"{0.1 + 0.2 + 61.3 + 0.7:,.4g}" in battery_section
    assert "Circular Footprint Formula" not in charger_section  # a cut-off product
    assert "Cut-off figure" not in charger_section


SCRIPT_BREAK = "P</script><script>alert(1)</script>"  # ends a script element if raw
IMG_ERROR = '<img src="x" onerror="alert(2)">'  # runs where markup is parsed
MARKUP = "<b>bold</b> & <i>rule</i>"


def test_hostile_product_ids_names_and_rule_names_are_literal_text_in_chromium(
    assessment, tmp_path, chromium, chromium_args
):
    """A product id that closes a script element, a name with an ``onerror`` image and a rule
    with markup: Chromium shows them as the literal text (headings, tables, chart titles and
    bar labels, which plotly renders as markup) and no script of theirs runs."""
    battery, charger = assessment.products
    checks = [
        c.model_copy(update={"title": MARKUP + " " + c.title, "rule": IMG_ERROR})
        for c in battery.checks
    ]
    hostile = assessment.model_copy(
        update={
            "products": [
                battery.model_copy(
                    update={"id": SCRIPT_BREAK, "name": IMG_ERROR, "checks": checks}
                ),
                charger.model_copy(update={"id": IMG_ERROR, "name": SCRIPT_BREAK}),
            ]
        }
    )
    report = write_html(hostile, tmp_path / "hostile.html")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors, _ = watch_page(page)
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function(
                "Array.from(document.querySelectorAll('.plotly-graph-div'))"
                ".every(d => d.querySelector('.main-svg'))"
            )
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
            body = page.inner_text("main")
            chart_text = page.eval_on_selector_all(
                ".main-svg", "svgs => svgs.map(s => s.textContent).join(' ')"
            )
            injected = page.evaluate("document.querySelectorAll('main img, main b, main i').length")
            ran = page.evaluate(  # scripts the browser would run that hold a BOM string
                "Array.from(document.scripts).filter(s => s.type !== 'application/json' &&"
                " /alert\\([12]\\)/.test(s.textContent)).length"
            )
        finally:
            browser.close()
    assert errors == []  # no alert() dialog, no page error
    assert injected == 0  # no element made from a BOM or rule string
    assert ran == 0
    assert f"{SCRIPT_BREAK} — {IMG_ERROR}" in headings
    assert f"{IMG_ERROR} — {SCRIPT_BREAK}" in headings
    assert MARKUP in body and f"/ {IMG_ERROR}" in body  # the rule's title and name, literal
    assert f"{SCRIPT_BREAK}: climate change by life-cycle stage" in chart_text
    assert IMG_ERROR in chart_text  # the portfolio's bar label
