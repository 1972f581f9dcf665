"""Cell-level writing for the workbook: exact numbers, inert text, tables and print setup.

Two openpyxl defaults are unsafe for a document that travels to an auditor:

- a string beginning with ``=`` becomes a formula.  A BOM cell like ``=HYPERLINK(...)`` must
  never execute, so every string is written with the explicit string type, and strings that
  a spreadsheet would read as a formula when re-typed (``= + - @``, tab, CR) also get Excel's
  quote prefix;
- numbers are written with ``%.16g``, which loses the 17th significant digit that many
  sums need (0.1 + 0.2).  A float that would not survive that is written with ``repr``,
  the shortest text that reads back to the same double, so the workbook equals the JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_TEXT = 32767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Number formats: the stored value is always the full double; these only change the display.
KG_CO2 = "#,##0.000"
SHARE = "0.0%"
MASS = "#,##0.000"
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
            cell.number_format = number_format
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
    (for a value column whose unit differs from row to row).
    """
    for j, col in enumerate(columns):
        cell = put(ws, top, left + j, col.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
    set_height(ws, top, columns, [c.header for c in columns], all_wrap=True)
    r = top
    # A style set through openpyxl's attributes is hashed into the workbook's style lists on
    # every cell (minutes for a 16,000-line BOM); each distinct combination is built that way
    # once, and later cells get a copy of its style ids: the same styles, written as fast.
    styled: dict[tuple[tuple[int, ...], bool], StyleArray] = {}
    for i, values in enumerate(rows):
        r = top + 1 + i
        overrides = row_formats[i] if row_formats else {}
        for j, (col, value) in enumerate(zip(columns, values, strict=True)):
            cell = put(ws, r, left + j, value, overrides.get(j, col.number_format))
            key = (tuple(cell._style or ()), col.wrap)
            known = styled.get(key)
            if known is not None:
                cell._style = copy(known)
                continue
            cell.border = GRID
            cell.alignment = TOP_WRAPPED if col.wrap else TOP
            styled[key] = copy(cell._style)
        set_height(ws, r, columns, values)
    return r


def set_height(
    ws: Worksheet,
    row: int,
    columns: Sequence[Column],
    values: Sequence[Value],
    *,
    all_wrap: bool = False,
) -> None:
    """Give a row with wrapped text room for its lines (spreadsheets do not always do it)."""
    lines = 1
    for col, value in zip(columns, values, strict=True):
        if (col.wrap or all_wrap) and col.width and isinstance(value, str):
            per_line = max(int(col.width), 1)
            lines = max(
                lines, sum(math.ceil(max(len(part), 1) / per_line) for part in value.split("\n"))
            )
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, 12)


def fit_columns(
    ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[Value]], *, left: int = 1
) -> None:
    """Widen columns to their content: readable, never wider than 60 characters.

    A column keeps the largest width asked for, so tables sharing columns fit them all.
    """
    longest = [0] * len(columns)
    for values in rows:
        for j, value in enumerate(values):
            longest[j] = max(longest[j], _display_length(value))
    for j, col in enumerate(columns):
        letter = get_column_letter(left + j)
        if col.width is not None:
            width = col.width
        else:
            width = max(min(longest[j], 60), min(len(col.header), 24), 8) + 2
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, width)


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
