"""The web form's indicator selector and hotspots box, wired to the service: the EF 3.1
profile read back from the result page against a hand computation, an unknown selection
refused with the known names, and the profile section within 390 px in Chromium."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest

from .test_live import WIDGET_CSV, post, widget_expected

# datasets/sources/ef31_normalisation_weighting.csv, row "Climate change": NF per person and
# the weight in percent, typed from the source file
CLIMATE_NF, CLIMATE_WEIGHT = 7553.083162851173, 21.06


def test_the_form_offers_the_indicators_and_hotspots(cold_client) -> None:
    text = cold_client.get("/").text
    select = re.search(r'<select id="indicators" name="indicators">(.*?)</select>', text, re.S)
    assert select is not None
    values = re.findall(r'<option value="([^"]+)"', select.group(1))
    assert values == ["climate", "ef31", "ef31+ced"]
    assert '<option value="climate" selected>' in select.group(1)  # the default stays climate
    assert 'name="hotspots"' in text


def result_page(url: str, data: dict[str, str]) -> str:
    with httpx.Client(base_url=url, timeout=300) as client:
        answer = client.post("/", files={"file": ("widget.csv", WIDGET_CSV.encode())}, data=data)
        assert answer.status_code == 303, answer.text[:500]
        page = client.get(answer.headers["location"])
        assert page.status_code == 200
        return page.text


def test_posting_ef31_shows_the_profile_on_the_page(live_server) -> None:
    text = result_page(live_server.url, {"indicators": "ef31", "hotspots": "1"})
    assert 'id="impacts-0"' in text
    # the single score on the page: climate change (the only covered category) / NF × WF
    expected = widget_expected()["total"] / CLIMATE_NF * CLIMATE_WEIGHT / 100 * 1e6
    score = re.search(r"EF 3.1 single score: <strong>([\d,.]+) µPt</strong>", text)
    assert score is not None
    assert float(score.group(1).replace(",", "")) == pytest.approx(expected, rel=1e-3)
    assert "partial</span>, 1 of 16 categories summed" in text
    assert "not covered (15)" in text
    # the chart travels as JSON: one bar per category, only climate change has a value
    block = re.search(r'data-figure="impacts-figure-0">(.*?)</script>', text, re.S)
    assert block is not None
    bars = json.loads(block.group(1))["data"][0]
    values = dict(zip(bars["y"], bars["x"], strict=True))
    assert len(values) == 16
    climate = next(v for label, v in values.items() if label.startswith("Climate change"))
    assert climate == pytest.approx(expected, rel=1e-6)  # float32 exchanges in Brightway
    assert sum(v is None for v in values.values()) == 15
    # hotspots: the most relevant tables, the widget's three lines as processes
    assert "relevant-processes" in text
    for name in ("Aluminium", "Electricity", "HGV"):
        assert name.lower() in html.unescape(text).lower()


def test_the_default_selection_adds_no_profile(live_server) -> None:
    text = result_page(live_server.url, {})
    assert 'class="impacts"' not in text


def test_an_unknown_selection_is_a_located_problem(live_server) -> None:
    answer = post(live_server.url, {"file": ("widget.csv", WIDGET_CSV.encode())},
                  {"indicators": "ef31+acidity"})  # fmt: skip
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert len(problems) == 1 and problems[0]["column"] == "indicators"
    assert "'acidity'" in problems[0]["message"] and "ef31+ced" in problems[0]["message"]
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        page = client.post("/", files={"file": ("widget.csv", WIDGET_CSV.encode())},
                           data={"indicators": "ef31+acidity", "hotspots": "on"})  # fmt: skip
    assert page.status_code == 422 and "acidity" in page.text
    assert 'name="hotspots"\nvalue="1" checked' in page.text  # the form comes back as sent


def test_the_api_carries_the_profile(live_server) -> None:
    answer = post(live_server.url, {"file": ("widget.csv", WIDGET_CSV.encode())},
                  {"indicators": "ef31+ced"})  # fmt: skip
    assert answer.status_code == 200
    impacts = answer.json()["products"][0]["impacts"]
    assert len(impacts["indicators"]) == 25 + 12
    assert impacts["single_score"]["status"] == "partial"
    assert impacts["most_relevant"] is None


def test_the_profile_on_the_page_fits_390_px(live_server, chromium, chromium_args) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with httpx.Client(base_url=live_server.url, timeout=300) as client:
        answer = client.post("/", files={"file": ("widget.csv", WIDGET_CSV.encode())},
                             data={"indicators": "ef31", "hotspots": "1"})  # fmt: skip
    location = live_server.url + answer.headers["location"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 900})
            page.goto(location, wait_until="load")
            page.wait_for_function("document.querySelectorAll('.impacts .main-svg').length > 0")
            widest = page.evaluate(
                "Math.max(...Array.from(document.querySelectorAll("
                "'.impacts, .impacts > *, .impacts .js-plotly-plot'))"
                ".map(d => d.getBoundingClientRect().right))"
            )
            # anything of the section wider than the screen must sit in a scrolling wrapper
            sticking_out = page.evaluate(
                "Array.from(document.querySelectorAll('.impacts *')).filter(d => "
                "d.getBoundingClientRect().right > 390 && !d.closest('.table-wrap')).length"
            )
        finally:
            browser.close()
    # (the section only: the page's other charts are laid out by the web page itself)
    assert widest <= 390
    assert sticking_out == 0
