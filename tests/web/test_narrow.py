"""The web pages at a phone's width (390 px) and a desktop's (1,440 px): no horizontal
overflow, every chart inside the viewport (as the HTML report's own test)."""

from __future__ import annotations

import httpx
import pytest

from .conftest import REPO

WIDTHS = [390, 1440]


@pytest.fixture(scope="module")
def result_path(live_server) -> str:
    """The result page of the e-bike example with its rule set (charts, checks, tables)."""
    bom = REPO / "examples" / "e-bike-battery.xlsx"
    answer = httpx.post(
        live_server.url + "/",
        files={"file": (bom.name, bom.read_bytes())},
        data={"rules": "eu-battery-regulation"},
        timeout=300,
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def overflow(chromium: str, chromium_args: list[str], url: str, width: int) -> dict:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(url, wait_until="load")
            if page.locator(".plot").count():
                page.wait_for_function(
                    "() => document.querySelectorAll('.plot .main-svg').length"
                    " >= document.querySelectorAll('.plot').length"
                )
            return page.evaluate(
                """() => ({
                    page: document.documentElement.scrollWidth,
                    widest: Math.max(0, ...Array.from(document.querySelectorAll(
                        'body *')).filter(e => !e.closest('.scroll'))
                        .map(e => e.getBoundingClientRect().right)),
                    charts: Math.max(0, ...Array.from(document.querySelectorAll('.plot'))
                        .map(e => e.getBoundingClientRect().right)),
                })"""
            )
        finally:
            browser.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_upload_page_fits_the_screen(live_server, chromium, chromium_args, width):
    seen = overflow(chromium, chromium_args, live_server.url + "/", width)
    assert seen["page"] <= width, seen
    assert seen["widest"] <= width, seen


@pytest.mark.parametrize("width", WIDTHS)
def test_the_result_page_fits_the_screen(live_server, result_path, chromium, chromium_args, width):
    seen = overflow(chromium, chromium_args, live_server.url + result_path, width)
    assert seen["page"] <= width, seen
    assert 0 < seen["charts"] <= width, seen  # tables may scroll inside their own box
