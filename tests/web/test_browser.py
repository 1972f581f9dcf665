"""An engineer's visit in headless Chromium: upload, read the results, download the workbook.

Screenshots are kept under ``test-artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
BROKEN_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120,kgs,material-aluminium-primary,raw materials
widget,power,,Assembly power,-0.5,kWh,electricity-grid-DE,manufacturing
"""
WIDGET_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120 g,,material-aluminium-primary,raw materials
widget,power,,Assembly power,0.5,kWh,electricity-grid-DE,manufacturing
widget,ship,,Lorry to the shop,0.3,t*km,freight-lorry-average,distribution
"""


def example_bom(tmp_path: Path) -> Path:
    """A shipped example workbook when there is one, else a small CSV BOM."""
    examples = sorted((REPO / "examples").glob("*.xlsx"))
    if examples:
        return examples[0]
    path = tmp_path / "widget.csv"
    path.write_text(WIDGET_CSV, encoding="utf-8")
    return path


@pytest.fixture
def browser_page(chromium, chromium_args):
    sync_api = pytest.importorskip("playwright.sync_api")
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=chromium_args)
        viewport = {"width": 1360, "height": 900}
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        yield page, problems
        context.close()
        browser.close()


def test_an_engineer_uploads_a_bom_reads_the_results_and_downloads_the_workbook(
    live_server, browser_page, tmp_path
):
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    bom = example_bom(tmp_path)

    page.goto(live_server.url + "/")
    page.set_input_files("#file", str(bom))
    # the page reads the BOM and ticks the rule sets of its categories: wait for it first
    page.wait_for_selector("#rules-hint:not([hidden]):not(:has-text('Reading'))")
    page.locator("input[name=rules]").first.check()
    page.click("#assess-button")
    page.wait_for_url("**/results/**")
    page.wait_for_selector("#summary tbody tr")
    assert page.locator("#summary tbody tr").count() >= 1
    charts = page.locator("figure.chart")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for()  # plotly drew it
    page.screenshot(path=str(ARTIFACTS / "web-results.png"), full_page=True)

    with page.expect_download() as waiting:
        page.click("#download-xlsx")
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.name == f"{Path(bom.name).stem}-footprint.xlsx"  # named after the BOM
    assert zipfile.is_zipfile(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert book.sheetnames

    assert problems == []


def test_an_invalid_bom_shows_every_problem_next_to_the_upload(live_server, browser_page, tmp_path):
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    broken = tmp_path / "broken.csv"
    broken.write_text(BROKEN_CSV, encoding="utf-8")

    page.goto(live_server.url + "/")
    page.set_input_files("#file", str(broken))
    page.click("#assess-button")
    page.wait_for_selector("#errors")
    rows = page.locator("#errors tbody tr")
    assert rows.count() >= 2
    text = page.locator("#errors").inner_text()
    assert "broken.csv" in text and "kgs" in text
    assert page.locator("#assess-form").is_visible()  # ready for the corrected file
    page.screenshot(path=str(ARTIFACTS / "web-errors.png"), full_page=True)
    # Chromium logs the document's own 422 status; that answer is the point of this test
    expected = "Failed to load resource: the server responded with a status of 422"
    assert [p for p in problems if expected not in p] == []
