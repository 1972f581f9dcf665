"""Cell-level writing for the workbook: exact numbers, inert text, tables and print setup.

Two openpyxl defaults are unsafe for a document that travels to an auditor:

- a string beginning with ``=`` becomes a formula.  A BOM cell like ``=HYPERLINK(...)`` must
  never execute, so every string is written with the explicit string type, and strings that
  a spreadsheet would read as a formula when re-typed (``= + - @``, tab, CR) also get Excel's
  quote prefix;
- numbers are written with ``%.16g``, which loses the 17th significant digit that many
  sums need (0.1 + 0.2).  A float that would not survive that is written with ``repr``,
  the shortest text that reads back to the same double, so the workbook equals the JSON.

Speed: openpyxl spends most of a big workbook's time hashing each cell's style into the
workbook's style lists (every ``cell.font = …``) and serialising each cell through lxml.  Here
each distinct style is built once per workbook and later cells get a copy of its style ids
(``style``, ``write_table``); table cells are created directly; and ``save`` (also
``ReportWorkbook.save``) writes the cells of every sheet as text in one pass, the rest of the
file (styles, charts, print setup, comments, hyperlinks) through openpyxl's own writer.  The
result is the same workbook: tests compare every part of the file with openpyxl's writer.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import os
import re
import shutil
from array import array
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell._writer import etree_write_cell
from openpyxl.cell.cell import Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_TEXT = 32767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Number formats: the stored value is always the full double; these only change the display.
# SIGNIFICANT shows three decimals, and more for a smaller figure so that it keeps four
# significant digits (0.0005 reads 0.0005000, never 0.000): see ``number_format``.
SIGNIFICANT = "#,##0.000"
KG_CO2 = SIGNIFICANT
SHARE = "0.0%"
MASS = SIGNIFICANT
SCIENTIFIC = "0.000E+00"
SCORE = "0.00"
INDEX = "0.000"
PERCENT_POINTS = '0.0" %"'  # a value already in percent (margin_percent)
GENERAL = "General"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"

FONT_NAME = "Calibri"  # the workbook default; named so that bold cells do not fall back to serif
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SECTION_FONT = Font(name=FONT_NAME, bold=True, size=12, color="305496")
LABEL_FONT = Font(name=FONT_NAME, bold=True)
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(wrap_text=True, vertical="top")

Value = str | int | float | bool | date | datetime | None


def display_format(fmt: str | None, value: object) -> str | None:
    """The display format of ``value`` in a column of format ``fmt``: ``SIGNIFICANT`` gives
    a figure under 0.1 enough decimals for four significant digits (scientific below 1e-6);
    any other format is kept."""
    if fmt != SIGNIFICANT:
        return fmt
    if not isinstance(value, int | float) or isinstance(value, bool):
        return fmt
    if not value or not math.isfinite(value):
        return fmt
    magnitude = abs(value)
    if magnitude >= 0.1:
        return fmt
    if magnitude < 1e-6:
        return SCIENTIFIC
    decimals = 3 - math.floor(math.log10(magnitude))
    return _DECIMALS.get(decimals) or _DECIMALS.setdefault(decimals, "0." + "0" * decimals)


_DECIMALS: dict[int, str] = {}


def put(
    ws: Worksheet, row: int, column: int, value: Value, number_format: str | None = None
) -> Cell:
    """Write one value: numbers as numbers (exactly), every string as inert text."""
    cell: Cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float):
        _put_number(cell, value)
        if number_format:
            cell.number_format = display_format(number_format, value)
    elif isinstance(value, datetime | date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones
        cell.value = value
        cell.number_format = DATETIME if isinstance(value, datetime) else DATE
    else:
        _put_text(cell, str(value))
    return cell


def _put_number(cell: Cell, value: int | float) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            return  # JSON has no NaN/inf either; an empty cell is the honest equivalent
        if float(f"{value:.16g}") != value:
            # openpyxl would round to 16 digits; its writer passes a string through as-is.
            cell.value = repr(value)
            cell.data_type = "n"
            return
    cell.value = value


def _put_text(cell: Cell, text: str) -> None:
    text = _ILLEGAL_XML.sub("\ufffd", text)[:EXCEL_MAX_TEXT]
    cell.value = text
    cell.data_type = "s"  # never "f", whatever the text begins with
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None
    width: float | None = None  # None: from the content
    wrap: bool = False
    unit: bool = False  # a unit: written as people read it (cm², m³, t·km; never cm**2)


def write_table(
    ws: Worksheet,
    top: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value]],
    *,
    left: int = 1,
    row_formats: Sequence[dict[int, str]] | None = None,
) -> int:
    """Write a header row and data rows from ``top``; return the last row written.

    ``row_formats`` gives, per data row, number formats that override the column's
    (for a value column whose unit differs from row to row).  Every data cell is bordered
    and top-aligned (wrapped in a ``wrap`` column); each distinct style is built once.
    """
    header_alignment = _header_alignment
    for j, col in enumerate(columns):
        style(put(ws, top, left + j, col.header), font=HEADER_FONT, fill=HEADER_FILL,
              alignment=header_alignment, border=GRID)  # fmt: skip
    set_height(ws, top, columns, [c.header for c in columns], all_wrap=True)
    wrapped = _wrapped(columns)
    cells = ws._cells
    styles = _styles(ws)
    r = top
    for i, values in enumerate(rows):
        r = top + 1 + i
        overrides = row_formats[i] if row_formats else None
        for j, (col, value) in enumerate(zip(columns, values, strict=True)):
            column = left + j
            fmt = overrides.get(j, col.number_format) if overrides else col.number_format
            if col.unit and type(value) is str:
                value = plain_unit(value)
            kind = type(value)
            if (r, column) in cells or kind not in _FAST:
                _slow_table_cell(ws, r, column, value, fmt, col.wrap, styles)
                continue
            quote = False
            data_type = "n"
            stored: object = value
            if value is None:
                fmt = None
            elif kind is str:
                stored = _ILLEGAL_XML.sub("\ufffd", value)[:EXCEL_MAX_TEXT]  # type: ignore[arg-type]
                data_type = "s"
                quote = stored.startswith(FORMULA_PREFIXES)
                fmt = None
            elif kind is bool:
                data_type = "b"
                fmt = None
            elif kind is float and not math.isfinite(value):  # type: ignore[arg-type]
                stored = None  # an empty cell, as ``put`` leaves it; the format still applies
            elif kind is float and float(f"{value:.16g}") != value:
                stored = repr(value)  # see ``_put_number``
            if fmt == SIGNIFICANT and (kind is float or kind is int):
                fmt = display_format(fmt, value)
            key = (fmt, col.wrap, quote)
            known = styles.get(key)
            if known is None:
                known = styles[key] = _table_style(ws, fmt, col.wrap, quote)
            # the cell as Cell(ws, r, column, value) makes it, its attributes set directly;
            # its own copy of the style ids (openpyxl edits a cell's array in place)
            cell = _new_cell(Cell)
            cell.parent = ws
            cell.row = r
            cell.column = column
            cell._value = stored
            cell.data_type = data_type
            cell._hyperlink = None
            cell._comment = None
            cell._style = _new_array(StyleArray, "i", known)
            cells[(r, column)] = cell
        if wrapped:
            _fit_height(ws, r, wrapped, values)
    return r


_FAST = {str, int, float, bool, type(None)}
_new_cell = Cell.__new__
_new_array = array.__new__
_header_alignment = Alignment(wrap_text=True, vertical="center")


def tidy_table(
    ws: Worksheet,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    footer: str,
    row_formats: Sequence[dict[int, str]] | None = None,
    title: str = "",
) -> int:
    """A filterable table from row 1 with a frozen header, printed with the header repeated
    (and ``title`` in the page header); the last row written."""
    last = write_table(ws, 1, columns, rows, row_formats=row_formats)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=max(last, 2), column=len(columns)).coordinate}"
    fit_columns(ws, columns, rows, top=1)
    print_setup(ws, title_rows="1:1", footer=footer)
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
    return last


def plain_unit(unit: str) -> str:
    """A unit as people write it (``units.display_unit``): cm², m³, kg CO2-eq/kWh."""
    from footprint.units import display_unit

    return display_unit(unit) or unit


def _slow_table_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value: Value,
    fmt: str | None,
    wrap: bool,
    styles: dict[Any, Any],
) -> None:
    """A table cell over an existing cell, or of a rarer type: through ``put``."""
    cell = put(ws, row, column, value, fmt)
    key = (tuple(cell._style or ()), wrap)
    known = styles.get(key)
    if known is not None:
        cell._style = copy(known)
        return
    cell.border = GRID
    cell.alignment = TOP_WRAPPED if wrap else TOP
    styles[key] = copy(cell._style)


def _table_style(ws: Worksheet, fmt: str | None, wrap: bool, quote: bool) -> StyleArray:
    scratch = Cell(ws)  # not placed in the sheet: only its style ids are kept
    if fmt:
        scratch.number_format = fmt
    if quote:
        scratch.quotePrefix = True
    scratch.border = GRID
    scratch.alignment = TOP_WRAPPED if wrap else TOP
    return copy(scratch._style)


_CACHES: WeakKeyDictionary[Workbook, dict[Any, Any]] = WeakKeyDictionary()


def _styles(ws: Worksheet) -> dict[Any, Any]:
    """The workbook's cache of built styles (style ids are only valid in their workbook)."""
    workbook = ws.parent
    cache = _CACHES.get(workbook)
    if cache is None:
        cache = _CACHES[workbook] = {}
    return cache


def style(
    cell: Cell,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    border: Border | None = None,
    alignment: Alignment | None = None,
    number_format: str | None = None,
) -> Cell:
    """Set a cell's font, fill, border, alignment and number format (those given) through a
    per-workbook cache: the same result as setting the attributes, without re-hashing a
    style the workbook already has.  Pass shared style objects (module constants)."""
    cache = _styles(cell.parent)
    key = ("style", tuple(cell._style or ()), id(font), id(fill), id(border), id(alignment),
           number_format)  # fmt: skip
    known = cache.get(key)
    if known is not None:
        cell._style = copy(known[0])
        return cell
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    # the objects are kept with the entry so that their ids stay theirs
    cache[key] = (copy(cell._style), font, fill, border, alignment)
    return cell


def set_height(
    ws: Worksheet,
    row: int,
    columns: Sequence[Column],
    values: Sequence[Value],
    *,
    all_wrap: bool = False,
) -> None:
    """Give a row with wrapped text room for its lines (spreadsheets do not always do it)."""
    _fit_height(ws, row, _wrapped(columns, all_wrap=all_wrap), values)


def _wrapped(columns: Sequence[Column], *, all_wrap: bool = False) -> list[tuple[int, int]]:
    """(index, characters per line) of the columns whose text wraps."""
    return [
        (j, max(int(col.width), 1))
        for j, col in enumerate(columns)
        if (col.wrap or all_wrap) and col.width
    ]


def _fit_height(
    ws: Worksheet, row: int, wrapped: list[tuple[int, int]], values: Sequence[Value]
) -> None:
    lines = 1
    for j, per_line in wrapped:
        value = values[j]
        if isinstance(value, str) and (len(value) > per_line or "\n" in value):
            lines = max(
                lines, sum(math.ceil(max(len(part), 1) / per_line) for part in value.split("\n"))
            )
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, 12)


def fit_columns(
    ws: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value]],
    *,
    left: int = 1,
    top: int | None = None,
) -> None:
    """Widen columns to their content: readable, never wider than 60 characters.

    A column without a width fits its longest value; a column with a width keeps it when its
    text wraps, and is widened to its longest text otherwise (an Article or a unit is never
    cut off).  No header word is cut; with ``top`` (the header row), the header row is as
    tall as its longest wrapped header.  A column keeps the largest width asked for, so
    tables sharing columns fit them all.
    """
    measured = [j for j, col in enumerate(columns) if not col.wrap]
    longest = [0] * len(columns)
    if measured:
        for values in rows:
            for j in measured:
                value = values[j]
                if columns[j].width is None or type(value) is str:
                    longest[j] = max(longest[j], _display_length(value))
    widths = []
    for j, col in enumerate(columns):
        letter = get_column_letter(left + j)
        word = max((len(w) for w in col.header.split()), default=0) + 2
        if col.width is not None:
            width = col.width if col.wrap else max(col.width, min(longest[j], 60) + 2)
        else:
            width = max(min(longest[j], 60), min(len(col.header), 24), 8) + 2
        width = max(width, min(word, 40))
        # a width set before (another table's) counts; openpyxl's default of a new one not
        current = ws.column_dimensions[letter].width if letter in ws.column_dimensions else 0
        ws.column_dimensions[letter].width = max(current or 0, width)
        widths.append(ws.column_dimensions[letter].width)
    if top is not None:
        header = [c.header for c in columns]
        wrapped = [(j, max(int(w) - 1, 1)) for j, w in enumerate(widths)]
        _fit_height(ws, top, wrapped, header)


def _display_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return 12
    if isinstance(value, datetime):
        return 19
    return len(str(value))


def print_setup(ws: Worksheet, *, title_rows: str | None = None, footer: str = "") -> None:
    """Landscape A4, fit to one page wide, header row repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = "&A"
    ws.oddHeader.right.text = footer.replace("&", "&&")
    ws.oddFooter.center.text = "Page &P of &N"


# --------------------------------------------------------------------------------------------
# Saving: the cells of each sheet written as text in one pass
# --------------------------------------------------------------------------------------------


class ReportWorkbook(Workbook):
    """A workbook whose ``save`` is ``_xlsx.save`` (so every caller gets the fast writer)."""

    def save(self, filename: Any) -> None:
        save(self, filename)


def save(workbook: Workbook, filename: str | Path | IO[bytes]) -> None:
    """``workbook.save(filename)`` with each sheet's cells written by ``_SheetWriter``."""
    if workbook.write_only:
        Workbook.save(workbook, filename)
        return
    archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = _dt.datetime.now(tz=_dt.UTC).replace(tzinfo=None)
    _ExcelWriter(workbook, archive).save()


class _ExcelWriter(ExcelWriter):
    def write_worksheet(self, ws: Worksheet) -> None:
        if type(ws) is not Worksheet:
            super().write_worksheet(ws)
            return
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()


_MARK = "footprint-sheet-data"
_PLACEHOLDER = f"<sheetData>{_MARK}</sheetData>".encode()
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_NEEDS_ESCAPE = re.compile(r"[&<>\r]")


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, but the sheetData (every row and cell) is rendered as text
    exactly as ``openpyxl.cell._writer.lxml_write_cell`` writes it; rare cells (formulas,
    dates, rich text, errors) go through openpyxl's own cell writer."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf.write(_MARK)  # replaced by the rows once the file is closed
        self.xf.send(None)
        with open(self._rows_file, "w", encoding="utf-8") as out:
            _write_rows(self.ws, out)

    def write(self) -> None:
        self._rows_file = f"{self.out}.rows"
        try:
            super().write()
            with open(self.out, "rb") as src:
                xml = src.read()
            head, found, tail = xml.partition(_PLACEHOLDER)
            if not found:
                raise AssertionError("the sheet's placeholder is missing")
            with open(self.out, "wb") as out, open(self._rows_file, "rb") as rows:
                out.write(head + b"<sheetData>")
                shutil.copyfileobj(rows, out, 1 << 20)
                out.write(b"</sheetData>" + tail)
        finally:  # never a temporary file left behind, whatever failed
            if os.path.exists(self._rows_file):
                os.remove(self._rows_file)


class _Collect:
    """Stands in for lxml's incremental writer: keeps what openpyxl's cell writer writes."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, element: Any) -> None:
        self.parts.append(tostring(element, encoding="unicode"))


def _write_rows(ws: Worksheet, out: IO[str]) -> None:
    rows: dict[int, list[Cell]] = {}
    for (r, _c), cell in sorted(ws._cells.items()):
        rows.setdefault(r, []).append(cell)
    dimensions = ws.row_dimensions
    for r in dimensions.keys() - rows.keys():
        rows[r] = []
    style_ids: dict[tuple[int, ...], str] = {}
    cell_styles = ws.parent._cell_styles
    letters: dict[int, str] = {}
    parts: list[str] = []
    for r in sorted(rows):
        extra = dimensions.get(r)
        attrs = "".join(f' {k}="{v}"' for k, v in extra) if extra is not None else ""
        parts.append(f'<row r="{r}"{attrs}>')
        for cell in rows[r]:
            if type(cell) is not Cell:
                parts.append(_openpyxl_cell(ws, cell))
                continue
            if cell._comment is not None:
                ws._comments.append(CommentRecord.from_cell(cell))
            value = cell._value
            array = cell._style
            styled = array is not None and any(array)
            if value is None and not styled and cell._comment is None:
                continue
            kind = cell.data_type
            if (
                kind not in "nsb"
                or not (value is None or type(value) is str or _finite_number(value))
                or (kind == "s" and type(value) is not str)
            ):
                parts.append(_openpyxl_cell(ws, cell, styled))
                continue
            if cell._hyperlink is not None:
                ws._hyperlinks.append(cell._hyperlink)
            column = cell.column
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            if styled:
                key = tuple(array)
                sid = style_ids.get(key)
                if sid is None:
                    sid = style_ids[key] = f' s="{cell_styles.add(array)}"'
            else:
                sid = ""
            if kind == "s":
                if value == "":
                    parts.append(f'<c r="{letter}{r}"{sid} t="inlineStr"></c>')
                    continue
                text = value.translate(_TEXT_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(
                    f'<c r="{letter}{r}"{sid} t="inlineStr"><is><t{space}>{text}</t></is></c>'
                )
            elif value is None or value == "":
                parts.append(f'<c r="{letter}{r}"{sid} t="{kind}"></c>')
            elif type(value) is str:  # an exact float's repr (see ``_put_number``)
                parts.append(f'<c r="{letter}{r}"{sid} t="{kind}"><v>{value}</v></c>')
            else:
                parts.append(f'<c r="{letter}{r}"{sid} t="{kind}"><v>{value:.16g}</v></c>')
        parts.append("</row>")
        if len(parts) > 50_000:
            out.write("".join(parts))
            parts.clear()
    out.write("".join(parts))


def _finite_number(value: object) -> bool:
    return type(value) in (int, float, bool) and math.isfinite(value)  # type: ignore[arg-type]


def _openpyxl_cell(ws: Worksheet, cell: Any, styled: bool | None = None) -> str:
    if styled is None:  # a merged cell: as openpyxl's own row writer decides
        if cell._value is None and not cell.has_style and not getattr(cell, "_comment", None):
            return ""
        styled = cell.has_style
    collect = _Collect()
    etree_write_cell(collect, ws, cell, styled)
    return "".join(collect.parts)


# --------------------------------------------------------------------------------------------
# Printing a wide table
# --------------------------------------------------------------------------------------------

# A4 landscape less print_setup's side margins, in inches.
PRINTABLE_WIDTH_IN = 11.69 - 2 * 0.4


def column_inches(width: float) -> float:
    """The printed width of a column of ``width`` characters at 100 %: Excel's rule is
    7·w + 5 pixels at 96 per inch in Calibri 11; LibreOffice's metric-compatible Carlito
    prints wider, so 8 pixels a character are counted (a page holds what either prints)."""
    return (8 * width + 5) / 96


MIN_PRINT_SCALE = 60  # below this, 11 pt text prints under 7 pt: rather another page
PRINT_SCALE = 75  # the scale a group is cut to fit, when its columns need a break


def print_in_groups(ws: Worksheet, starts: Sequence[int], *, repeat: int = 0) -> int:
    """Print a wide table in column groups rather than shrunk to one page wide: a page break
    before each group (``starts``: the 1-based first column of each group after the first;
    a group too wide for the page at ``PRINT_SCALE`` % is cut where it overflows), the first
    ``repeat`` columns repeated on every page, and one scale (``MIN_PRINT_SCALE`` to 100 %)
    at which the widest group fits the page width.  Return the scale."""
    last = ws.max_column
    inches = [column_inches(ws.column_dimensions[get_column_letter(c)].width or 8.43)
              for c in range(1, last + 1)]  # fmt: skip
    repeated = sum(inches[:repeat])
    page = PRINTABLE_WIDTH_IN * 100 / PRINT_SCALE  # inches of columns one page holds
    breaks: list[int] = []  # the first column of each page after the first
    width = repeated
    for c in range(repeat + 1, last + 1):
        if c in starts or (width + inches[c - 1] > page and width > repeated):
            breaks.append(c)
            width = repeated
        width += inches[c - 1]
    bounds = [repeat + 1, *breaks, last + 1]
    widest = max(repeated + sum(inches[a - 1 : b - 1]) for a, b in itertools.pairwise(bounds))
    scale = max(MIN_PRINT_SCALE, min(100, int(100 * PRINTABLE_WIDTH_IN / widest)))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.fitToWidth = None
    ws.page_setup.fitToHeight = None
    ws.page_setup.scale = scale
    for start in breaks:
        ws.col_breaks.append(Break(id=start - 1))  # the break follows column start - 1
    if repeat:
        ws.print_title_cols = f"A:{get_column_letter(repeat)}"
    return scale
