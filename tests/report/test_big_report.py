"""The HTML report's charts hold the assessment's numbers, and a report of 3,000 products opens
in a browser and draws the charts of the product one goes to.

The expected numbers are read from the assessment's JSON (``Assessment.to_json``), never from
the figure code: stage totals and sub-indicators, the sunburst's root (the sum of the lines'
positive figures), the material bars (adding up to the product's total), the CFF waterfall
(the CFF lines' parts summed here) and recycled content against each check's target.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from footprint.model import Assessment
from footprint.report.html import write_html

from .conftest import watch_page

FIGURE = re.compile(r'<script type="application/json" id="(figure-\d+)-data">(.*?)</script>', re.S)
SIGNIFICANT = 1e-12  # the page holds the figures as JSON numbers: equal up to float rounding


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=SIGNIFICANT, abs_tol=1e-12)


def product_figures(text: str) -> dict[str, list[dict[str, Any]]]:
    """Each product section's figures (as the page holds them), by section id."""
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in text.split('<section id="')[1:]:
        anchor = chunk[: chunk.index('"')]
        if anchor.startswith("product-"):
            found[anchor] = [json.loads(m.group(2)) for m in FIGURE.finditer(chunk)]
    return found


def check_figures(figures: list[dict[str, Any]], product: dict[str, Any]) -> set[str]:
    """Assert that the charts of one product show its figures from the JSON result; return
    the kinds of chart found."""
    name = html.escape(product["id"])
    by_title = {f["layout"]["title"]["text"]: f for f in figures}
    found = set()

    stage = by_title[f"{name}: climate change by life-cycle stage"]
    for trace in stage["data"]:
        part = {
            "Total": "total",
            "Fossil": "fossil",
            "Biogenic": "biogenic",
            "Land use change": "luluc",
        }.get(trace["name"], "not_split")
        for label, value in zip(trace["x"], trace["y"], strict=True):
            assert _close(value, product["by_stage"][label.lower()][part]), (label, part)
    shown = {label.lower() for label in stage["data"][-1]["x"]}
    assert shown == set(product["by_stage"])  # every stage the result has, and no other
    found.add("stages")

    bom = next(f for t, f in by_title.items() if t.startswith(f"{name}: footprint by BOM line"))
    root = bom["data"][0]["values"][0]
    positive = math.fsum(max(line["climate_change"]["total"], 0.0) for line in product["lines"])
    assert _close(root, positive)
    found.add("bom")

    total = product["climate_change"]["total"]
    if any(line["climate_change"]["total"] for line in product["lines"]):
        materials = by_title[f"{name}: climate change by material"]
        assert _close(math.fsum(materials["data"][0]["x"]), total)
        found.add("materials")

    cff = (product.get("circularity") or {}).get("cff")
    if cff is not None:
        waterfall = by_title[f"{name}: Circular Footprint Formula"]["data"][0]["y"]
        parts = [math.fsum(line[k] for line in cff["lines"]) for k in
                 ("virgin", "recycled_input", "recycling_credit")]  # fmt: skip
        expected = [*parts, cff["energy_part"], cff["disposal_part"], cff["total"]]
        assert all(_close(a, b) for a, b in zip(waterfall, expected, strict=True))
        found.add("cff")

    targets = by_title.get(f"{name}: recycled content against targets")
    if targets is not None:
        bars, marks = targets["data"]
        checks = {html.escape(c["title"]): c for c in product["checks"]}
        for title, value, limit in zip(bars["y"], bars["x"], marks["x"], strict=True):
            assert _close(value, checks[title]["value"] or 0.0)
            assert _close(limit, checks[title]["limit"])
        found.add("recycled_content")
    by_material = by_title.get(f"{name}: recycled content by material (no target applies)")
    if by_material is not None:
        shares = product["circularity"]["recycled_content"]["by_material"]
        trace = by_material["data"][0]
        assert len(trace["x"]) == len(shares)
        for material, value in zip(trace["x"], trace["y"], strict=True):
            assert _close(value, {html.escape(k): v for k, v in shares.items()}[material])
        found.add("recycled_content")
    return found


def test_the_charts_in_the_page_hold_the_assessments_numbers(assessment, tmp_path):
    text = write_html(assessment, tmp_path / "r.html").read_text(encoding="utf-8")
    result = json.loads(assessment.to_json())
    sections = product_figures(text)
    assert len(sections) == len(result["products"]) == 2
    kinds = [check_figures(sections[f"product-{i}"], p) for i, p in
             enumerate(result["products"], 1)]  # fmt: skip
    assert kinds[0] == {"stages", "bom", "materials", "cff", "recycled_content"}
    assert kinds[1] == {"stages", "bom", "materials", "recycled_content"}  # no CFF


def test_the_example_boms_charts_hold_their_numbers(tmp_path):
    from footprint.api import Engine, bom_files, load_rules, read_products

    examples = Path(__file__).resolve().parents[2] / "examples"
    products, warnings = read_products(bom_files([examples]))
    assessment = Engine().assess_products(
        products, warnings, rule_sets=load_rules(["eu-battery-regulation"])
    )
    text = write_html(assessment, tmp_path / "examples.html").read_text(encoding="utf-8")
    result = json.loads(assessment.to_json())
    sections = product_figures(text)
    kinds = [check_figures(sections[f"product-{i}"], p) for i, p in
             enumerate(result["products"], 1)]  # fmt: skip
    assert {"cff", "recycled_content"} <= set().union(*kinds)  # both kinds were checked


def many_products(assessment: Assessment, count: int) -> Assessment:
    """``count`` products made from the fixture's (hostile names included), ids kept unique."""
    products = [
        p.model_copy(update={"id": f"{p.id}-{k:04d}"})
        for k in range(count // len(assessment.products))
        for p in assessment.products
    ]
    return assessment.model_copy(update={"products": products})


def test_a_big_portfolio_lists_its_products_in_a_table_not_the_menu(assessment, tmp_path):
    big = many_products(assessment, 60)
    text = write_html(big, tmp_path / "big.html").read_text(encoding="utf-8")
    nav = text[text.index("<nav>") : text.index("</nav>")]
    assert "#product-" not in nav and 'href="#portfolio"' in nav
    for i, product in enumerate(big.products, 1):  # each row links its product's section
        assert f'<a href="#product-{i}">{html.escape(product.id)}</a>' in text
    assert text.count('class="plotly-graph-div"') == 1 + 30 * (5 + 4)  # as test_html


def test_chromium_opens_3000_products_and_draws_the_product_one_goes_to(
    assessment, tmp_path, chromium, chromium_args
):
    sync_api = pytest.importorskip("playwright.sync_api")
    big = many_products(assessment, 3000)
    report = write_html(big, tmp_path / "big.html")
    result = json.loads(big.to_json())
    text = report.read_text(encoding="utf-8")
    total_figures = text.count('class="plotly-graph-div"')
    target = 2500  # a cut-off product (the charger) far down the page
    expected = result["products"][target - 1]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(600_000)  # a loaded test machine is slow; no timing here
            errors, requests = watch_page(page)
            page.goto(report.as_uri(), wait_until="load")
            # the product filter of the portfolio table finds it; its link leads to it
            page.fill("#product-filter", expected["id"])
            visible = page.evaluate(
                "Array.from(document.querySelectorAll('#portfolio tbody tr'))"
                ".filter(r => r.style.display !== 'none').length"
            )
            page.click(f'#portfolio a[href="#product-{target}"]')
            section = f"#product-{target}"
            page.wait_for_function(
                f"document.querySelectorAll('{section} .plotly-graph-div .main-svg').length"
                f" >= document.querySelectorAll('{section} .plotly-graph-div').length"
            )
            drawn = page.evaluate(
                f"""Array.from(document.querySelectorAll('{section} .plotly-graph-div'))
                .map(d => ({{data: JSON.parse(JSON.stringify(d.data)),
                            layout: {{title: d.layout.title}},
                            svg: d.querySelectorAll('svg *').length,
                            bars: d.querySelectorAll('.bars path, .slice path').length}}))"""
            )
            figures_drawn = page.evaluate("document.querySelectorAll('[data-drawn]').length")
        finally:
            browser.close()
    assert errors == []  # no console error, no page error, no alert() from a product name
    assert requests == []
    assert visible == 1  # the filter left only that product's row
    assert len(drawn) == 4 and all(d["svg"] > 20 and d["bars"] > 0 for d in drawn)
    assert check_figures(drawn, expected) == {"stages", "bom", "materials", "recycled_content"}
    assert figures_drawn < total_figures / 10  # only the charts near the screen were drawn


def test_the_portfolio_chart_of_many_products_shows_the_50_largest_and_says_so(
    assessment, tmp_path
):
    """80 copies of the battery, copy k scaled by a factor f(k) (a permutation of 1…80): the
    chart shows the 50 copies of factor 31…80, in the assessment's order, with their stage
    figures; its panel says "top 50 of 80"; the table lists all 80."""
    battery = assessment.products[0]
    factors = [(k * 37) % 80 + 1 for k in range(80)]  # 37 is prime to 80: each of 1…80 once

    def scaled(cc, f):  # type: ignore[no-untyped-def]
        parts = ("fossil", "biogenic", "luluc", "not_split")
        return cc.model_copy(update={k: getattr(cc, k) * f for k in ("total", *parts)})

    products = [
        battery.model_copy(
            update={
                "id": f"copy-{k:02d}",
                "climate_change": scaled(battery.climate_change, f),
                "by_stage": {s: scaled(cc, f) for s, cc in battery.by_stage.items()},
            }
        )
        for k, f in enumerate(factors)
    ]
    big = assessment.model_copy(update={"products": products})
    text = write_html(big, tmp_path / "big.html").read_text(encoding="utf-8")
    portfolio = text[text.index('<section id="portfolio">') : text.index('<section id="product-1"')]
    assert portfolio.count("<tr>") == 1 + 80  # header and every product
    (figure,) = [json.loads(m.group(2)) for m in FIGURE.finditer(portfolio)]
    expected = [f"copy-{k:02d}" for k, f in enumerate(factors) if f > 30]
    assert len(expected) == 50
    result = {p["id"]: p for p in json.loads(big.to_json())["products"]}
    for trace in figure["data"]:
        assert trace["y"] == expected
        stage = next(s for s in battery.by_stage if trace["legendgroup"] == s.value)
        for product_id, value in zip(trace["y"], trace["x"], strict=True):
            assert _close(value, result[product_id]["by_stage"][stage.value]["total"])
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert any("top 50 of 80" in t for t in titles), titles
