"""The fast workbook writer (``_xlsx.save``) writes the same file as openpyxl's own writer.

Independent reference: openpyxl's ``Workbook.save`` on a workbook built the same way.  Every
part of the two files (sheets, styles, charts, comments, drawings, relationships) is parsed
and compared in canonical XML (C14N), so only spellings that mean the same XML may differ
(``<c/>`` against ``<c></c>``); the save time stamp in docProps/core.xml is left out.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from footprint.report import _xlsx as x
from footprint.report._xlsx import Column
from footprint.report.excel import build_workbook


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        parts = {}
        for name in archive.namelist():
            if name == "docProps/core.xml":
                continue
            data = archive.read(name)
            if name.endswith((".xml", ".rels", ".vml")):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            parts[name] = data
    return parts


def _same_file(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fast, stock = tmp_path / "fast.xlsx", tmp_path / "stock.xlsx"
    x.save(build(), fast)
    Workbook.save(build(), stock)  # openpyxl's own writer
    a, b = _parts(fast), _parts(stock)
    assert sorted(a) == sorted(b)
    for name in b:
        assert a[name] == b[name], name


def test_the_report_workbook_is_the_file_openpyxl_writes(assessment, tmp_path):
    _same_file(lambda: build_workbook(assessment), tmp_path)


def test_every_examples_workbook_is_the_file_openpyxl_writes(examples_assessment, tmp_path):
    _same_file(lambda: build_workbook(examples_assessment), tmp_path)


def _awkward() -> Workbook:
    """Cells of every kind other code may write: dates, formulas, rich spacing, escapes,
    comments, hyperlinks, merged cells, row heights, styled empty cells, NaN."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "  spaced  "
    ws["B1"] = "a & b < c > d\r\ne \"q\" 'q'"
    ws["C1"] = "=SUM(D1:D2)"  # a formula written by openpyxl directly (not through put)
    ws["D1"] = 10**20
    ws["D2"] = True
    ws["E1"] = datetime(2026, 12, 2, 1, 2, 3)
    ws["E2"] = date(2026, 12, 2)
    ws["F1"] = float("nan")
    ws["F2"] = ""
    ws["G1"].font = Font(bold=True)  # a styled empty cell
    ws["G2"] = "#N/A"  # an error value
    ws["H1"] = "commented"
    ws["H1"].comment = Comment("a note", "footprint")
    ws["H2"].hyperlink = "https://example.org/?a=1&b=2"
    ws["A5"] = "merged"
    ws.merge_cells("A5:C5")
    ws.row_dimensions[7].height = 30  # a row with a height and no cells
    x.put(ws, 9, 1, 0.1 + 0.2)  # repr: 17 digits
    x.put(ws, 9, 2, "=HYPERLINK(\"http://evil.example\")")
    x.write_table(ws, 11, [Column("a", x.KG_CO2), Column("b", wrap=True, width=5)],
                  [[1.5, "long text that wraps"], [None, None], [2, "x"]])  # fmt: skip
    ws.cell(row=13, column=1).hyperlink = "https://example.org/line"  # over a table cell
    return wb


def test_awkward_cells_are_written_as_openpyxl_writes_them(tmp_path):
    _same_file(_awkward, tmp_path)


def test_table_cells_styled_through_the_cache_equal_attribute_by_attribute(tmp_path):
    """``write_table``'s cached style ids give each cell the styles openpyxl's attributes
    give: read back, border, alignment, font, fill and number format match a cell styled
    attribute by attribute."""
    wb = x.ReportWorkbook()
    ws = wb.active
    assert ws is not None
    x.write_table(ws, 1, [Column("v", x.KG_CO2), Column("t", wrap=True, width=9)],
                  [[0.5, "+1"], [None, "plain"]])  # fmt: skip
    reference = ws.cell(row=10, column=1, value=0.5)
    reference.number_format = x.KG_CO2
    reference.border = x.GRID
    reference.alignment = x.TOP
    wb.save(tmp_path / "t.xlsx")
    import openpyxl

    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert back is not None
    got, want = back["A2"], back["A10"]
    assert got.number_format == want.number_format == x.KG_CO2
    for attribute in ("border", "alignment", "font", "fill", "protection"):
        assert repr(getattr(got, attribute)) == repr(getattr(want, attribute)), attribute
    assert back["B2"].quotePrefix and back["B2"].alignment.wrap_text
    assert back["B3"].value == "plain" and not back["B3"].quotePrefix
    assert back["A3"].value is None and repr(back["A3"].border) == repr(got.border)
