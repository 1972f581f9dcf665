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


def _same_file(build, tmp_path: Path) -> Workbook:  # type: ignore[no-untyped-def]
    """Save ``build()`` with ``x.save`` and with openpyxl's writer (which makes every table
    cell an openpyxl cell and builds every stamped chart); return the fast one's workbook."""
    fast, stock = tmp_path / "fast.xlsx", tmp_path / "stock.xlsx"
    workbook = build()
    x.save(workbook, fast)
    Workbook.save(build(), stock)  # openpyxl's own writer
    a, b = _parts(fast), _parts(stock)
    assert sorted(a) == sorted(b)
    for name in b:
        assert a[name] == b[name], name
    return workbook


def test_the_report_workbook_is_the_file_openpyxl_writes(assessment, tmp_path):
    _same_file(lambda: build_workbook(assessment), tmp_path)


def test_every_examples_workbook_is_the_file_openpyxl_writes(examples_assessment, tmp_path):
    workbook = _same_file(lambda: build_workbook(examples_assessment), tmp_path)
    # what was compared: tables written from their rows, and stamped charts (one per
    # product but the first), each against openpyxl's own cells and charts
    charts = workbook["Summary"]._charts
    products = [p for p in examples_assessment.products if p.lines]
    assert len(charts) == 1 + len(products)
    assert sum(isinstance(c, x.ChartStamp) for c in charts) == len(products) - 1 > 0
    assert isinstance(workbook["Lines"]._cells, x._LazyCells)
    assert workbook["Lines"]._cells.tables


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


def _tables() -> Workbook:
    """Tables from their rows, then touched the ways openpyxl and other code touch cells."""
    wb = x.ReportWorkbook()
    ws = wb.active
    assert ws is not None
    columns = [Column("id"), Column("value", x.KG_CO2), Column("text", wrap=True, width=6)]
    rows: list[list[x.Value]] = [[f"P{i}", i / 7, "wrapped text " * (i % 3)] for i in range(20)]
    rows[3][1] = datetime(2026, 1, 2)  # a rarer type inside a table
    x.write_table(ws, 1, columns, rows)
    x.write_table(ws, 1, [Column("beside", x.SHARE)], [[k / 20] for k in range(20)], left=5)
    ws.cell(row=2, column=2).value = "replaced"
    ws.cell(row=4, column=1).hyperlink = "https://example.org/a"
    ws.cell(row=5, column=3).font = Font(bold=True)
    del ws._cells[(6, 2)]  # as openpyxl's move and delete do
    ws.insert_rows(10, 2)  # moves every held cell below row 9
    x.write_table(ws, 30, columns, [["a", 1, "b"]])  # a table with nothing below it
    x.put(ws, 31, 4, "beside a table")
    return wb


def test_touched_tables_are_written_as_openpyxl_writes_them(tmp_path):
    _same_file(_tables, tmp_path)


def test_table_cells_read_in_memory_are_the_rows_values():
    """Independent reference: the rows given, read back through openpyxl's own API."""
    wb = x.ReportWorkbook()
    ws = wb.active
    assert ws is not None
    rows = [["a", 1.5, None], ["=1+1", 0.1 + 0.2, True]]
    columns = [Column("t"), Column("v", x.KG_CO2), Column("w")]
    last = x.write_table(ws, 3, columns, rows, left=2)
    assert last == 5
    assert (ws.max_row, ws.max_column, ws.min_row, ws.min_column) == (5, 4, 3, 2)
    assert ws.calculate_dimension() == "B3:D5"
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=4, min_col=2)] == [
        ["a", 1.5, None],
        ["=1+1", repr(0.1 + 0.2), True],  # the exact float kept as its repr (see put)
    ]
    assert ws["B5"].data_type == "s" and ws["B5"].quotePrefix  # inert, never a formula
    assert ws["C4"].number_format == x.KG_CO2 and ws["C4"].alignment.vertical == "top"
    assert len(ws._cells) == 9 and (4, 2) in ws._cells and (6, 2) not in ws._cells


def test_row_heights_are_the_dimensions_openpyxl_makes():
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    x.set_row_height(ws, 5, 45)
    ws.row_dimensions[6].height = 45  # openpyxl's own
    fast, own = ws.row_dimensions[5], ws.row_dimensions[6]
    assert type(fast) is type(own)
    assert {**fast.__dict__, "index": 6} == own.__dict__
    assert fast.parent is own.parent is ws and fast._style is own._style is None
    assert dict(fast) == dict(own) == {"ht": "45", "customHeight": "1"}
