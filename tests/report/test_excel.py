"""The compliance workbook: complete, exact to the JSON, formula-safe, and opens in LibreOffice."""

from __future__ import annotations

import math
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from footprint.model import Assessment
from footprint.report import excel
from footprint.report.excel import CIRCULARITY_SHEETS, SHEETS, write_workbook

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "-cmd", "@SUM(A1)"]


def _json_numbers(node: object) -> set[float]:
    """Every number in the JSON document, the reference the workbook must match exactly."""
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {node}
    if isinstance(node, dict):
        return set().union(*(_json_numbers(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_json_numbers(v) for v in node)) if node else set()
    return set()


def _table(ws, header_row: int = 1) -> list[dict[str, object]]:
    headers = [c.value for c in ws[header_row]]
    rows = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in values):
            break
        rows.append(dict(zip(headers, values, strict=False)))
    return rows


@pytest.fixture
def workbook_path(assessment: Assessment, tmp_path: Path) -> Path:
    return write_workbook(assessment, tmp_path / "report.xlsx")


def test_every_number_in_the_workbook_is_a_figure_of_the_json(workbook_path, assessment):
    reference = _json_numbers(assessment.model_dump(mode="json"))
    wb = openpyxl.load_workbook(workbook_path)
    numbers = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                    continue
                numbers += 1
                assert cell.value in reference, f"{ws.title}!{cell.coordinate} = {cell.value!r}"
    assert numbers > 150


def test_lines_sheet_equals_the_json_line_by_line(workbook_path, assessment):
    doc = assessment.model_dump(mode="json")
    rows = _table(openpyxl.load_workbook(workbook_path)["Lines"])
    expected = [(p, line) for p in doc["products"] for line in p["lines"]]
    assert len(rows) == len(expected) == 10
    for row, (product, line) in zip(rows, expected, strict=True):
        assert (row["Product"], row["Line"], row["Line path"]) == (
            product["id"],
            line["id"],
            line["path"],
        )
        cc = line["climate_change"]
        # exact equality: 17 significant digits survive (0.1 + 0.2 + 61.3, 3.4000000000000004)
        assert row["Climate change per FU (kg CO2-eq)"] == cc["total"]
        assert row["Fossil"] == cc["fossil"]
        assert row["Land use change"] == cc["luluc"]
        assert row["Quantity"] == line["quantity"]
        assert row["Mass (kg)"] == line["mass_kg"]
        assert row["Share of product"] == line["share"]
        assert row["Recycled content"] == line["recycled_content"]
        assert row["Supplier"] == line["supplier"]
        assert row["BOM row"] == line["row"]
        for key, value in line["extra"].items():
            assert row[key] == value
        cut_off = line["climate_change_cut_off"] or cc
        expected_cut_off = cut_off["total"] if product["eol_model"] == "cff" else None
        assert row["Cut-off figure (kg CO2-eq)"] == expected_cut_off
        assert row["Note"] == line["note"]
    nmc = rows[1]
    # the battery is under the CFF: the line's CFF figure, its cut-off figure beside it
    assert nmc["Climate change per FU (kg CO2-eq)"] == 0.1 + 0.2 + 54.45 + 0.7
    assert nmc["Cut-off figure (kg CO2-eq)"] == 0.1 + 0.2 + 61.3 + 0.7
    assert repr(rows[3]["Quantity"]) == "3.4000000000000004"
    eol = rows[6]
    assert (eol["Line"], eol["Climate change per FU (kg CO2-eq)"]) == ("eol", 0.0)
    assert eol["Cut-off figure (kg CO2-eq)"] == -2.9000000000000004 + 0.1
    assert eol["Note"].startswith("0 under the CFF")


def test_lines_sheet_adds_up_to_each_product_under_either_model(workbook_path, assessment):
    rows = _table(openpyxl.load_workbook(workbook_path)["Lines"])
    battery, charger = assessment.products
    assert (battery.eol_model, charger.eol_model) == ("cff", "cut-off")
    for product in (battery, charger):
        mine = [r for r in rows if r["Product"] == product.id]
        for column, field in (
            ("Climate change per FU (kg CO2-eq)", "total"),
            ("Fossil", "fossil"),
            ("Biogenic", "biogenic"),
            ("Land use change", "luluc"),
        ):
            lines_sum = math.fsum(r[column] for r in mine)
            total = getattr(product.climate_change, field)
            assert math.isclose(lines_sum, total, rel_tol=1e-12, abs_tol=1e-12), (product.id, field)
        assert math.isclose(math.fsum(r["Share of product"] for r in mine), 1.0, rel_tol=1e-12)
    # the cut-off column of the CFF product adds up to the cut-off total, by hand:
    # 61.3 + 0.3 + 0.7, 2/3·14.2, 27.94·1.1 + 0.03, 12.5·0.7123…, 0.01234·0.0891, −2.9 + 0.1
    cut_off = [r["Cut-off figure (kg CO2-eq)"] for r in rows if r["Product"] == battery.id]
    hand = (
        62.3
        + 2 / 3 * 14.2
        + 27.94 * 1.1
        + 0.03
        + 12.5 * 0.7123456789012345
        + 0.01234 * 0.0891
        - 2.8
    )
    assert math.isclose(math.fsum(cut_off), hand, rel_tol=1e-12)
    assert math.isclose(hand, battery.circularity.cff.cut_off_total, rel_tol=1e-12)
    assert all(r["Cut-off figure (kg CO2-eq)"] is None for r in rows if r["Product"] == charger.id)


def test_summary_figures_per_product_match_the_json(workbook_path, assessment):
    ws = openpyxl.load_workbook(workbook_path)["Summary"]
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Figure")
    facts = {
        ws.cell(r, 1).value.strip(): r
        for r in range(header + 1, header + 30)
        if ws.cell(r, 1).value
    }
    for j, product in enumerate(assessment.products, 3):
        assert ws.cell(header, j).value == product.id
        assert ws.cell(facts["Climate change"], j).value == product.climate_change.total
        assert ws.cell(facts["Raw materials"], j).value == product.by_stage["raw materials"].total
        assert ws.cell(facts["End of life"], j).value == product.by_stage["end of life"].total
        assert ws.cell(facts["Reference flow"], j).value == product.reference_flow
    assert ws.cell(facts["Compliance"], 3).value == "red"  # one check fails
    assert ws.cell(facts["Compliance"], 4).value == "green"
    assert ws.cell(facts["Compliance"], 3).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(facts["Recycled content"], 3).number_format == "0.0%"
    assert ws.cell(facts["Material Circularity Indicator"], 3).value == 0.4233333333333333
    assert ws.cell(facts["Placed on market"], 3).value == datetime(2027, 3, 1)
    # created at 15:05 in UTC+1: Excel has no time zones, so the sheet says UTC
    assert (ws["A3"].value, ws["B3"].value) == ("Created (UTC)", datetime(2026, 11, 23, 14, 5, 7))


def test_stage_rows_add_up_to_the_product_and_match_the_json(workbook_path, assessment):
    rows = _table(openpyxl.load_workbook(workbook_path)["Stages"])
    assert len(rows) == 5 * len(assessment.products)
    for product in assessment.products:
        mine = [r for r in rows if r["Product"] == product.id]
        assert [r["Stage"] for r in mine] == [
            "Raw materials",
            "Manufacturing",
            "Distribution",
            "Use",
            "End of life",
        ]
        by_label = {r["Stage"].lower(): r["Climate change per FU"] for r in mine}
        assert by_label == {s.value: cc.total for s, cc in product.by_stage.items()}
        assert sum(by_label.values()) == pytest.approx(product.climate_change.total, rel=1e-12)


def test_circularity_compliance_sources_and_warnings_are_all_there(workbook_path, assessment):
    wb = openpyxl.load_workbook(workbook_path)
    # each circularity table a sheet of its own, after Circularity (recycled content)
    assert wb.sheetnames == [*SHEETS[:3], *CIRCULARITY_SHEETS, *SHEETS[4:]]
    text = {
        name: [c.value for row in wb[name].iter_rows() for c in row if c.value is not None]
        for name in wb.sheetnames
    }
    text["Circularity"] = [v for name in CIRCULARITY_SHEETS for v in text[name]]
    battery = assessment.products[0]
    cff = battery.circularity.cff
    for figure in (
        cff.material_part,
        cff.cut_off_total,
        cff.cff_total,
        cff.lines[0].virgin,
        cff.lines[0].recycling_credit,
        battery.circularity.mci.linear_flow_index,
        battery.circularity.recycled_content.by_element["Ni"],
    ):
        assert figure in text["Circularity"]
    assert "PEF Annex C v2.1 [S]" in text["Circularity"]  # a parameter's origin is cited
    checks = _table(wb["Compliance"])
    assert [c["Status"] for c in checks] == [
        "pass",
        "fail",
        "insufficient data",
        "not applicable",
        "pass",
    ]
    lithium = checks[1]
    assert (lithium["Value"], lithium["Limit"], lithium["Margin"]) == (
        0.06,
        0.07,
        -0.010000000000000009,
    )
    assert lithium["Regulation"] == "Regulation (EU) 2023/1542"
    assert 0.246 in text["Compliance"] and "@SUM(A1)" in text["Compliance"]  # the driver
    sources = _table(wb["Data sources"])
    assert [s["Dataset"] for s in sources] == [d.id for d in assessment.datasets]
    assert sources[1]["DQR"] == 3.25 and sources[0]["Licence"] == "CC-BY-4.0"
    warnings = _table(wb["Warnings"])
    assert [w["Message"] for w in warnings] == [w.message for w in assessment.warnings]


def test_no_formula_from_a_bom_can_execute(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} lacks quote prefix"
                    found.add(cell.value)
    assert set(HOSTILE) <= found | {v for v in found for h in HOSTILE if h in v}
    with zipfile.ZipFile(workbook_path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def test_numbers_are_never_stored_as_text(workbook_path, assessment):
    wb = openpyxl.load_workbook(workbook_path)
    numeric = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?%?$")
    texts = {*HOSTILE, assessment.schema_version}  # a version string is text, not a figure
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value not in texts:
                    assert not numeric.match(cell.value), f"{ws.title}!{cell.coordinate}"


def test_tables_filter_freeze_and_print_sensibly(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    lines = wb["Lines"]
    assert lines.freeze_panes == "A2"
    assert lines.auto_filter.ref.startswith("A1:")
    assert lines.print_title_rows == "$1:$1"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        if ws.title != "Lines":  # Lines prints in column groups (test_layout_workbook)
            assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and all(6 <= w <= 72 for w in widths)


def test_summary_has_native_charts_for_stages_and_top_lines(workbook_path):
    with zipfile.ZipFile(workbook_path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3  # stages + top lines of each of the two products
        stage_chart = archive.read("xl/charts/chart1.xml").decode()
    assert "Summary" in stage_chart and "Raw materials" in stage_chart


def test_a_failed_write_leaves_the_previous_file_untouched(assessment, tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous report")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(excel.x.ReportWorkbook, "save", broken_save)
    with pytest.raises(OSError):
        write_workbook(assessment, target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_an_assessment_without_circularity_checks_or_warnings_still_writes(tmp_path, assessment):
    bare = assessment.model_copy(
        update={
            "products": [
                p.model_copy(update={"circularity": None, "checks": [], "data_quality": None})
                for p in assessment.products
            ],
            "datasets": [],
            "warnings": [],
            "as_of": None,
        }
    )
    wb = openpyxl.load_workbook(bare.to_excel(tmp_path / "bare.xlsx"))
    assert wb["Circularity"]["A3"].value == "No circularity results in this assessment."
    assert _table(wb["Compliance"]) == []


def test_libreoffice_converts_the_workbook_to_pdf(workbook_path, soffice, tmp_path):
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(workbook_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "report.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 10_000, result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_dates_are_dates(workbook_path, assessment):
    ws = openpyxl.load_workbook(workbook_path)["Summary"]
    values = [c.value for row in ws.iter_rows(max_row=15) for c in row]
    assert datetime.combine(assessment.as_of, datetime.min.time()) in values
    assert isinstance(assessment.as_of, date)
