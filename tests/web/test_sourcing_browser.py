"""The sourcing section of the web page in headless Chromium: a BOM and a supplier register
uploaded, the origin chart drawn, the scorecards sorted by a click."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from .conftest import REPO
from .test_browser import browser_page  # noqa: F401  (the fixture)

ARTIFACTS = REPO / "test-artifacts"
BOM_CSV = """product,id,name,quantity,unit,dataset,country,supplier,smelter_id,certification
cell,c1,Cobalt from Congo,3,kg,metal-cobalt,CD,S1,CID001,RMI RMAP
cell,c2,Cobalt from China,1,kg,metal-cobalt,CN,S2,CID002,
cell,c4,Cobalt of unknown origin,0.5,kg,metal-cobalt,,S2,,
cell,can,Steel can,2,kg,material-steel-primary,DE,S3,,
"""


def register_workbook(path: Path) -> Path:
    """A register as a spreadsheet program saves it: three sheets, dates as dates."""
    from datetime import date

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Suppliers"
    sheet.append(["id", "name", "country", "facility_type", "smelter_id", "last_audit_date",
                  "energy_intensity [kWh/kg]"])  # fmt: skip
    sheet.append(
        ["S1", "Refinery <one>", "FI", "smelter/refiner", "CID001", date(2026, 1, 15), 11.5]
    )
    sheet.append(["S2", "Refinery two", None, "smelter/refiner", None, date(2025, 6, 30), 14])
    sheet.append(["S3", "Steel mill", "DE", "other", None, None, None])
    certificates = book.create_sheet("Certifications")
    certificates.append(["supplier", "standard", "valid_from", "valid_until"])
    certificates.append(["S1", "RMI RMAP", date(2024, 7, 1), date(2026, 6, 30)])
    actions = book.create_sheet("Corrective actions")
    actions.append(["supplier", "id", "opened", "closed"])
    actions.append(["S2", "CA-1", date(2026, 1, 1), None])
    book.save(path)
    return path


def test_the_sourcing_section_shows_origin_concentration_and_sortable_scorecards(
    live_server,
    browser_page,  # noqa: F811
    tmp_path,
):
    page, problems = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    bom = tmp_path / "cell.csv"
    bom.write_text(BOM_CSV, encoding="utf-8")
    register = register_workbook(tmp_path / "suppliers.xlsx")

    page.goto(live_server.url + "/")
    page.set_input_files("#file", str(bom))
    page.set_input_files("#suppliers", str(register))
    page.fill("#as_of", "2026-03-31")
    page.click("#assess-button")
    page.wait_for_url("**/results/**")
    section = page.locator(".sourcing").first
    section.wait_for()
    assert page.locator("#sourcing-0").inner_text() == "Sourcing"
    # the origin chart: plotly drew it, with one bar trace per country and the unknown bucket
    section.locator("figure.chart .main-svg").first.wait_for()
    legend = [t.text_content() for t in section.locator("figure.chart .legendtext").all()]
    assert legend == ["CD", "CN", "unknown origin"]

    # concentration: Co 4.5 kg, CD 3 kg; of the 4 kg of known origin CD 75 %, CN 25 %:
    # HHI 75² + 25² = 6,250; c4's 0.5 kg (S2 gives no country either) could move it between
    # 66.7² + 22.2² = 4,938 (spread thinly) and 77.8² + 22.2² = 6,543 (all from CD)
    rows = section.locator("table.sourcing-concentration tbody tr")
    co = rows.filter(has_text="Co").first.locator("td").all_inner_texts()
    assert co[0].startswith("Co") and co[1] == "4.5" and co[2] == "CD"
    assert co[4].startswith("6,250")
    assert " ".join(co[4].split()) == "6,250 (could be 4,938–6,543)"
    gaps = section.locator("table.sourcing-gaps").inner_text()
    assert "c4" in gaps and "country" in gaps

    table = section.locator("table.scorecards")
    suppliers = lambda: [  # noqa: E731
        row.split("\n")[0] for row in table.locator("tbody tr td:first-child").all_inner_texts()
    ]
    assert suppliers() == ["S1", "S3", "S2"]  # by mass: 3, 2, 1.5 kg
    assert "Refinery <one>" in table.inner_text()  # escaped, shown as typed
    flags = table.locator("tbody tr").nth(2).locator(".flag").all_inner_texts()
    assert "1 open corrective action(s)" in flags and "no valid certificate" in flags
    mass_header = table.locator("th", has_text="Mass (kg)")
    mass_header.click()
    assert suppliers() == ["S2", "S3", "S1"]
    assert mass_header.get_attribute("aria-sort") == "ascending"
    mass_header.click()
    assert suppliers() == ["S1", "S3", "S2"]
    table.locator("th", has_text="Supplier").click()
    assert suppliers() == ["S1", "S2", "S3"]
    section.screenshot(path=str(ARTIFACTS / "web-sourcing.png"))
    assert problems == []


@pytest.mark.parametrize("name", ["supplier-template.xlsx"])
def test_the_register_template_downloads(live_server, name, tmp_path):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/template/{name}") as answer:
        body = answer.read()
    path = tmp_path / name
    path.write_bytes(body)
    from footprint.suppliers import read_supplier_register

    assert {s.id for s in read_supplier_register(path).suppliers} == {"EX-REFINER-1", "EX-CELLS-1"}
