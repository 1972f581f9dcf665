"""The Sourcing and Suppliers sheets, the HTML section and the JSON schema of the figures."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from footprint import assess
from footprint.model import json_schema


@pytest.fixture(scope="module")
def engine():
    from footprint import Engine

    return Engine()


def test_workbook_sheets_hold_the_figures(engine, cobalt_bom, register, tmp_path):
    result = assess(cobalt_bom, engine=engine, suppliers=register, as_of=date(2026, 3, 31))
    path = result.to_excel(tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert {"Sourcing", "Suppliers"} <= set(book.sheetnames)
    sheet = book["Sourcing"]
    header = [c.value for c in sheet[1]]
    rows = {
        (r[1], r[2]): dict(zip(header, r, strict=False))
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[0] == "cell"
    }
    co = rows[("element", "Co")]
    # the register gives c4 its supplier's country (CN): CD 3, CN 1.5, AU 0.5 of 5 kg
    assert co["Mass (kg)"] == pytest.approx(5.0)
    assert co["HHI (0–10,000)"] == pytest.approx(60**2 + 30**2 + 10**2)
    assert co["Top-country share"] == pytest.approx(0.6)
    assert co["Valid certificate"] == pytest.approx(0.7)  # S1 3.5 of 5 kg
    assert co["Traceability"] == pytest.approx(0.7)  # c1 + c3
    assert co["Lines lacking data"] == 2
    assert co["Mass by country (kg)"] == "CD 3; CN 1.5; AU 0.5"
    texts = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert any(t.startswith("HHI = Σ (share in %)², 0–10,000") for t in texts)
    suppliers = book["Suppliers"]
    header = [c.value for c in suppliers[1]]
    by_id = {
        r[1]: dict(zip(header, r, strict=False))
        for r in suppliers.iter_rows(min_row=2, values_only=True)
    }
    assert by_id["S2"]["Open corrective actions"] == 2
    assert by_id["S2"]["Oldest open (days)"] == 89
    assert by_id["S1"]["Certificate status"] == "valid"
    assert by_id["S1"]["Energy intensity"] == "11.5 kWh/kg"
    assert by_id["S1"]["Mass share"] == pytest.approx(3.5 / 7)


def test_no_sourcing_sheets_without_figures(engine, cobalt_bom, tmp_path):
    book = openpyxl.load_workbook(assess(cobalt_bom, engine=engine).to_excel(tmp_path / "o.xlsx"))
    assert "Sourcing" not in book.sheetnames and "Suppliers" not in book.sheetnames


def test_html_section_escapes_what_the_register_says(engine, cobalt_bom, tmp_path):
    register = tmp_path / "hostile.csv"
    register.write_text(
        'id,name,country\nS1,"<script>alert(1)</script>",FI\nS2,two,CN\n', encoding="utf-8"
    )
    result = assess(cobalt_bom, engine=engine, suppliers=register)
    text = result.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h3>Sourcing</h3>" in text
    assert 'class="scorecards sortable"' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text
    assert "footprintSortTables" in text


def test_the_json_schema_documents_the_sourcing_figures():
    schema = json_schema()
    defs = schema["$defs"]
    assert "SourcingResult" in defs and "SupplierScorecard" in defs
    hhi = defs["SubjectSourcing"]["properties"]["hhi"]
    assert "0–10,000" in hhi["description"]
    assert "sourcing" in defs["ProductResult"]["properties"]
    assert "sourcing" in schema["properties"]
