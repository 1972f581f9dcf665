"""The web compare view in headless Chromium: upload two BOMs, read the delta, download the
comparison workbook; and the JSON API beside it."""

from __future__ import annotations

from pathlib import Path

import httpx
import openpyxl
import pytest

from footprint.catalog import load_catalog

from .test_browser import browser_page  # noqa: F401  (the shared Chromium page fixture)

BASE = """product,id,name,quantity,unit,dataset,stage
widget,housing,Housing,2,kg,material-aluminium-primary,raw materials
widget,power,Assembly power,4,kWh,electricity-grid-DE,manufacturing
"""
REVISION = BASE.replace("material-aluminium-primary", "material-aluminium-recycled")


def _expected_delta() -> float:
    catalog = load_catalog()
    primary = catalog.get("material-aluminium-primary").climate_change
    recycled = catalog.get("material-aluminium-recycled").climate_change
    assert primary is not None and recycled is not None
    return 2 * (recycled - primary)  # DESNZ 2025: 2 kg × (0.9950779 − 9.11590131)


@pytest.fixture
def two_boms(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "widget-rev-a.csv", tmp_path / "widget-rev-b.csv"
    a.write_text(BASE, encoding="utf-8")
    b.write_text(REVISION, encoding="utf-8")
    return a, b


def test_upload_two_boms_read_the_delta_and_download_the_workbook(
    live_server,
    browser_page,  # noqa: F811
    two_boms,
    tmp_path: Path,
) -> None:
    page, problems = browser_page
    a, b = two_boms
    page.goto(live_server.url + "/")
    page.click("text=Compare BOMs")
    page.set_input_files("#file", str(a))
    page.set_input_files("#alternative", str(b))
    page.click("#compare-button")
    page.wait_for_selector("#delta-total-1")
    expected = _expected_delta()
    shown = page.inner_text("#delta-total-1")
    assert shown.startswith(f"{expected:+,.4g}"), shown
    assert "widget-rev-a.csv" in page.inner_text("h2") and "housing" in page.content()
    with page.expect_download() as info:
        page.click("#download-xlsx")
    target = tmp_path / "comparison.xlsx"
    info.value.save_as(target)
    sheet = openpyxl.load_workbook(target)["Line changes"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    housing = next(r for r in rows if r["Line path"] == "housing")
    assert housing["Difference"] == pytest.approx(expected, rel=1e-6)
    assert housing["What changed"] == "dataset"
    assert not problems, problems


def test_api_compare_answers_json_and_refuses_a_single_file(live_server, two_boms) -> None:
    a, b = two_boms
    with a.open("rb") as base, b.open("rb") as alternative:
        answer = httpx.post(
            live_server.url + "/api/compare",
            files={"file": (a.name, base, "text/csv"), "alternative": (b.name, alternative)},
            timeout=120,
        )
    assert answer.status_code == 200, answer.text
    pair = answer.json()["pairs"][0]
    assert pair["climate_change"]["delta"]["total"] == pytest.approx(_expected_delta(), rel=1e-6)
    with a.open("rb") as base:
        refused = httpx.post(
            live_server.url + "/api/compare", files={"file": (a.name, base)}, timeout=60
        )
    assert refused.status_code == 422
    assert "alternative" in refused.json()["problems"][0]["message"]


def test_upload_a_base_and_two_alternatives_shows_both_deltas_and_charts(
    live_server,
    browser_page,  # noqa: F811
    two_boms,
    tmp_path: Path,
) -> None:
    page, problems = browser_page
    a, b = two_boms
    c = tmp_path / "widget-rev-c.csv"
    c.write_text(BASE.replace("2,kg,material-aluminium", "1,kg,material-aluminium"), "utf-8")
    primary = load_catalog().get("material-aluminium-primary").climate_change
    assert primary is not None
    page.goto(live_server.url + "/compare")
    page.set_input_files("#file", str(a))
    page.set_input_files("#alternative", str(b))
    page.set_input_files("#alternative-2", str(c))
    page.click("#compare-button")
    page.wait_for_selector("#delta-total-2")
    assert page.inner_text("#delta-total-1").startswith(f"{_expected_delta():+,.4g}")
    # revision C halves the primary aluminium: 1 kg × its factor less
    assert page.inner_text("#delta-total-2").startswith(f"{-primary:+,.4g}")
    assert "widget-rev-c.csv" in page.inner_text("#pair-2 h2")
    # the stage bars and the waterfall of both pairs are drawn
    page.wait_for_selector(".plot .main-svg")
    assert page.locator(".plot .main-svg").count() >= 4
    assert not problems, problems


def test_api_compare_two_products_of_one_file(live_server, tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(BASE + REVISION.split("\n", 1)[1].replace("widget,", "widget-b,"), "utf-8")
    with both.open("rb") as upload:
        answer = httpx.post(
            live_server.url + "/api/compare",
            files={"file": (both.name, upload, "text/csv")},
            data={"pair": "widget=widget-b"},
            timeout=120,
        )
    assert answer.status_code == 200, answer.text
    (pair,) = answer.json()["pairs"]
    assert (pair["base"]["id"], pair["alternative"]["id"]) == ("widget", "widget-b")
    assert pair["climate_change"]["delta"]["total"] == pytest.approx(_expected_delta(), rel=1e-6)
