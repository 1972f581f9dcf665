"""The workbook people read and print: charts, formats, units, filters, widths, print layout.

Read back with openpyxl (and the chart parts from the file itself); the displayed figures are
recomputed here from the stored value and the cell's number format with Python's own
formatting, independently of the writer.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from footprint.model import Assessment
from footprint.report import _xlsx as x
from footprint.report._xlsx import Column
from footprint.report.excel import CIRCULARITY_SHEETS, LINES_PRINT_GROUPS, write_workbook
from footprint.report.summary import top_lines

TIDY = ("Stages", "Lines", *CIRCULARITY_SHEETS, "Compliance", "Data sources", "Warnings")


@pytest.fixture(scope="module")
def examples_path(
    examples_assessment: Assessment, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return write_workbook(examples_assessment, tmp_path_factory.mktemp("wb") / "examples.xlsx")


@pytest.fixture(scope="module")
def examples_wb(examples_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(examples_path)


def _header(ws: Worksheet, row: int = 1) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def _decimals(number_format: str) -> int | None:
    """Decimals of a fixed-point format such as '#,##0.000' (None: not fixed-point)."""
    match = re.fullmatch(r"[#,]*0(?:\.(0+))?", number_format)
    if not match:
        return None
    return len(match.group(1) or "")


def test_every_tidy_sheet_has_a_frozen_header_and_a_filter_over_its_table(examples_wb):
    for name in TIDY:
        ws = examples_wb[name]
        header = _header(ws)
        last = openpyxl.utils.get_column_letter(len(header))
        rows = 1  # the table ends at the first empty row (Compliance has sections below)
        while any(ws.cell(row=rows + 1, column=j).value is not None for j in range(1, 4)):
            rows += 1
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{last}{max(rows, 2)}", name
        assert ws.print_title_rows == "$1:$1", name


def test_small_figures_keep_four_significant_digits(examples_wb):
    """Every fixed-point figure, shown with its format's decimals, is within 0.05 % of the
    stored value when under 0.1 (four significant digits) and never shows as zero."""
    checked = 0
    for ws in examples_wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if type(value) is not float or value == 0 or abs(value) >= 0.1:
                    continue
                decimals = _decimals(cell.number_format)
                if decimals is None:
                    continue
                shown = float(f"{value:.{decimals}f}")
                assert shown != 0, f"{ws.title}!{cell.coordinate} {value} as {cell.number_format}"
                assert abs(shown - value) <= 5e-4 * abs(value), f"{ws.title}!{cell.coordinate}"
                checked += 1
    assert checked > 50


def test_a_line_of_0_0005_does_not_read_0_000(tmp_path):
    wb = x.ReportWorkbook()
    ws = wb.active
    x.write_table(ws, 1, [Column("kg CO2-eq", x.KG_CO2)],
                  [[0.0005], [0.0123456], [-0.00042], [12.5], [3e-9], [0.0]])  # fmt: skip
    wb.save(tmp_path / "f.xlsx")
    back = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    formats = [back.cell(row=r, column=1).number_format for r in range(2, 8)]
    assert f"{0.0005:.{_decimals(formats[0])}f}" == "0.0005000"
    assert f"{0.0123456:.{_decimals(formats[1])}f}" == "0.01235"
    assert f"{-0.00042:.{_decimals(formats[2])}f}" == "-0.0004200"
    assert formats[3] == formats[5] == "#,##0.000"  # 12.500 and 0.000 as before
    assert formats[4] == "0.000E+00"  # 3.000E-09


def test_the_art7_declared_value_is_formatted(examples_wb):
    ws = examples_wb["Compliance"]
    header = _header(ws)
    rule, value = header.index("Rule") + 1, header.index("Value") + 1
    art7 = [
        ws.cell(row=r, column=value)
        for r in range(2, ws.max_row + 1)
        if str(ws.cell(row=r, column=rule).value).startswith("art7")
        and isinstance(ws.cell(row=r, column=value).value, float)
    ]
    assert art7
    for cell in art7:  # e.g. 0.03035 kg CO2-eq/kWh: four significant digits, not General
        decimals = _decimals(cell.number_format)
        assert decimals is not None
        assert abs(float(f"{cell.value:.{decimals}f}") - cell.value) <= 5e-4 * cell.value


def test_units_are_plain_text_in_every_examples_workbook(examples_wb):
    seen = set()
    for ws in examples_wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert "**" not in cell.value, f"{ws.title}!{cell.coordinate}"
        if ws.title in ("Lines", "Data sources"):
            header = _header(ws)
            for j, name in enumerate(header, 1):
                if name in ("Unit", "BOM unit"):
                    seen |= {ws.cell(row=r, column=j).value for r in range(2, ws.max_row + 1)}
    assert "cm²" in seen  # the smartphone's display area, written cm**2 by pint
    assert "kWh" in seen


def test_one_labelled_contribution_chart_per_product(examples_path, examples_assessment):
    with zipfile.ZipFile(examples_path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist()
                  if n.startswith("xl/charts/chart")]  # fmt: skip
    per_product = [c for c in charts if "Largest contributions: " in c]
    with_lines = [p for p in examples_assessment.products if top_lines(p)]
    assert len(per_product) == len(with_lines) and len(charts) == len(with_lines) + 1
    for product in with_lines:
        (chart,) = [c for c in per_product if f"Largest contributions: {product.id}<" in c]
        assert '<tickLblSkip val="1"/>' in chart  # every bar has its name
        assert '<showVal val="1"/>' in chart  # and its figure
        assert '<showCatName val="0"/>' in chart and '<showSerName val="0"/>' in chart


def test_lines_print_in_legible_column_groups(examples_wb):
    ws = examples_wb["Lines"]
    header = _header(ws)
    assert ws.page_setup.orientation == "landscape"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # not shrunk to one page wide
    assert x.MIN_PRINT_SCALE <= ws.page_setup.scale <= 100
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    breaks = [b.id for b in ws.col_breaks.brk]
    for group in LINES_PRINT_GROUPS:  # a page starts at Stage, Note and Material
        assert header.index(group) in breaks
    # the widest group plus the repeated columns fits the page at that scale
    inches = [(8 * ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width + 5) / 96
              for c in range(1, len(header) + 1)]  # fmt: skip  (Excel: 7 px a character)
    bounds = [3, *(b + 1 for b in breaks), len(header) + 1]
    groups = itertools.pairwise(bounds)
    widest = max(sum(inches[:2]) + sum(inches[a - 1 : b - 1]) for a, b in groups)
    assert widest * ws.page_setup.scale / 100 <= x.PRINTABLE_WIDTH_IN + 1e-9


def test_headers_and_articles_are_not_cut(examples_wb):
    for name in TIDY:
        ws = examples_wb[name]
        for j, header in enumerate(_header(ws), 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
            longest_word = max(len(w) for w in header.split())
            assert width >= min(longest_word, 40), (name, header, width)
    ws = examples_wb["Compliance"]
    article = _header(ws).index("Article") + 1
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(article)].width
    texts = [ws.cell(row=r, column=article).value for r in range(2, ws.max_row + 1)]
    assert max(len(t) for t in texts if t) <= width


def test_libreoffice_prints_lines_legibly_in_a_bounded_number_of_pages(
    examples_path, soffice, tmp_path
):
    """Only the Lines sheet, converted by LibreOffice: no text under 7 pt (the font sizes of
    the PDF's own text operators), at least one page per column group (not everything
    shrunk onto one page) and not more than the groups × one page per 8 rows."""
    wb = openpyxl.load_workbook(examples_path)
    for name in wb.sheetnames:
        if name != "Lines":
            del wb[name]
    lines = tmp_path / "lines.xlsx"
    wb.save(lines)
    rows = wb["Lines"].max_row
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(lines)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "lines.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    groups = len(wb["Lines"].col_breaks.brk) + 1
    assert groups > len(LINES_PRINT_GROUPS)
    assert groups <= pages <= groups * math.ceil(rows / 8), pages
    sizes = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        sizes += [float(size) for size in re.findall(rb"([\d.]+) Tf", text)]
    assert sizes and min(sizes) >= 7.0, min(sizes)


def test_page_breaks_assigned_at_once_serialise_as_appended_one_by_one() -> None:
    """print_in_groups sets the column breaks in one assignment (openpyxl's append is
    quadratic); the sheet's colBreaks XML must equal what openpyxl's own append writes."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, ColBreak
    from openpyxl.xml.functions import tostring

    from footprint.report._xlsx import print_in_groups

    ws = Workbook().active
    for c in range(1, 400):
        ws.cell(row=1, column=c, value=c)
        ws.column_dimensions[get_column_letter(c)].width = 12
    print_in_groups(ws, [50, 120], repeat=1)
    ids = [b.id for b in ws.col_breaks.brk]
    assert 49 in ids and 119 in ids and len(ids) > 10
    appended = ColBreak()
    for i in ids:
        appended.append(Break(id=i))
    assert tostring(ws.col_breaks.to_tree()) == tostring(appended.to_tree())
