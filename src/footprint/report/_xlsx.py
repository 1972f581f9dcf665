"""Cell-level writing for the workbook: exact numbers, inert text, tables and print setup.

Two openpyxl defaults are unsafe for a document that travels to an auditor:

- a string beginning with ``=`` becomes a formula.  A BOM cell like ``=HYPERLINK(...)`` must
  never execute, so every string is written with the explicit string type, and strings that
  a spreadsheet would read as a formula when re-typed (``= + - @``, tab, CR) also get Excel's
  quote prefix;
- numbers are written with ``%.16g``, which loses the 17th significant digit that many
  sums need (0.1 + 0.2).  A float that would not survive that is written with ``repr``,
  the shortest text that reads back to the same double, so the workbook equals the JSON.

Speed: openpyxl spends most of a big workbook's time making a ``Cell`` per value, hashing
each cell's style into the workbook's style lists and serialising each cell through lxml.
Here each distinct style is built once per workbook and cells get a copy of its style ids
(``style``); a table's data cells stay the rows they were given (``write_table`` →
``_LazyCells``: an openpyxl cell is made only for a cell other code touches); ``save`` (also
``ReportWorkbook.save``) writes every sheet's rows as text in one pass, straight from those
rows, and each per-product chart from one serialised template (``ChartStamp``); the rest of
the file (styles, print setup, comments, hyperlinks, drawings) goes through openpyxl's own
writer.  The result is the same workbook: tests compare every part of the file with what
openpyxl's writer makes of the same build (which makes every cell and builds every chart).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import os
import re
import shutil
from array import array
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell._writer import etree_write_cell
from openpyxl.cell.cell import Cell
from openpyxl.chart._chart import ChartBase
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import DimensionHolder, RowDimension, SheetDimension
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

from footprint.memory import cyclic_gc_paused

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
    _put_value(cell, value, number_format)
    return cell


def _put_value(cell: Cell, value: Value, number_format: str | None) -> None:
    if value is None:
        return
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

    The data cells are kept as the rows themselves (``_LazyCells``): an openpyxl cell is made
    only for a cell other code touches (``ws.cell``, ``ws[...]``, a writer other than
    ``save``); ``save`` renders the rest straight from the rows.  The rows are read when the
    workbook is saved: do not change them after the call.
    """
    header_alignment = _header_alignment
    for j, col in enumerate(columns):
        style(put(ws, top, left + j, col.header), font=HEADER_FONT, fill=HEADER_FILL,
              alignment=header_alignment, border=GRID)  # fmt: skip
    set_height(ws, top, columns, [c.header for c in columns], all_wrap=True)
    return write_cells(ws, top + 1, columns, rows, left=left, row_formats=row_formats)


def write_cells(
    ws: Worksheet,
    first: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value]],
    *,
    left: int = 1,
    row_formats: Sequence[dict[int, str]] | None = None,
) -> int:
    """``write_table``'s data rows alone, from row ``first`` (no header); the last row
    written (``first - 1`` for no rows)."""
    rows = list(rows)
    width = len(columns)
    for values in rows:
        if len(values) != width:
            raise ValueError(f"a row of {len(values)} values for {width} columns")
    if row_formats is not None and len(row_formats) < len(rows):
        raise IndexError("fewer row formats than rows")
    if not rows:
        return first - 1
    last = first + len(rows) - 1
    cells = ws._cells
    if type(ws) is Worksheet and type(cells) is dict:
        cells = ws._cells = _LazyCells(cells)
    if isinstance(cells, _LazyCells) and not cells.occupied(first, last, left, left + width - 1):
        cells.tables.append(_Table(ws, first, left, columns, rows, row_formats))
    else:  # over cells already written: one by one (``put`` keeps what is there)
        _write_cells(ws, first - 1, columns, rows, left, row_formats)
    _fit_heights(ws, first, _wrapped(columns), rows)
    return last


def _fit_heights(
    ws: Worksheet, first: int, wrapped: list[tuple[int, int]], rows: Sequence[Sequence[Value]]
) -> None:
    """``_fit_height`` of each row from ``first``, column by column."""
    lines: dict[int, int] = {}
    for j, per_line in wrapped:
        counted: dict[str, int] = {}  # a text's lines (texts repeat: a source, a note)
        for i, value in enumerate(map(itemgetter(j), rows)):
            if isinstance(value, str) and (len(value) > per_line or "\n" in value):
                n = counted.get(value)
                if n is None:
                    n = counted[value] = sum(
                        math.ceil(max(len(part), 1) / per_line) for part in value.split("\n")
                    )
                if n > lines.get(i, 1):
                    lines[i] = n
    for i in sorted(lines):
        set_row_height(ws, first + i, 15 * min(lines[i], 12))


def _write_cells(
    ws: Worksheet,
    top: int,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    left: int,
    row_formats: Sequence[dict[int, str]] | None,
) -> None:
    cells = ws._cells
    styles = _styles(ws)
    for i, values in enumerate(rows):
        r = top + 1 + i
        overrides = row_formats[i] if row_formats else None
        for j, (col, value) in enumerate(zip(columns, values, strict=True)):
            column = left + j
            fmt = overrides.get(j, col.number_format) if overrides else col.number_format
            if (r, column) in cells:
                if col.unit and type(value) is str:
                    value = plain_unit(value)
                _slow_table_cell(ws, r, column, value, fmt, col.wrap, styles)
            else:
                cells[(r, column)] = _table_cell(ws, styles, r, column, col, value, fmt)


def _table_cell(
    ws: Worksheet,
    styles: dict[Any, Any],
    r: int,
    column: int,
    col: Column,
    value: Value,
    fmt: str | None,
) -> Cell:
    """The cell of a table's value, as ``put`` and the table style make it (not placed)."""
    if col.unit and type(value) is str:
        value = plain_unit(value)
    kind = type(value)
    if kind not in _FAST:
        cell = Cell(ws, row=r, column=column)
        _style_rare_cell(cell, value, fmt, col.wrap, styles)
        return cell
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
    return cell


_FAST = {str, int, float, bool, type(None)}
_new_cell = Cell.__new__
_new_array = array.__new__
_header_alignment = Alignment(wrap_text=True, vertical="center")


class _Table:
    """A table's data cells not yet made into openpyxl cells: rows ``first`` … ``last``,
    columns ``left`` … ``right``.  ``taken`` holds the cells that left it (made into
    openpyxl cells, replaced or deleted): those are the dictionary's own from then on."""

    __slots__ = ("ws", "first", "last", "left", "right", "columns", "rows", "row_formats",
                 "taken")  # fmt: skip

    def __init__(
        self,
        ws: Worksheet,
        first: int,
        left: int,
        columns: Sequence[Column],
        rows: list[Sequence[Value]],
        row_formats: Sequence[dict[int, str]] | None,
    ) -> None:
        self.ws = ws
        self.first, self.last = first, first + len(rows) - 1
        self.left, self.right = left, left + len(columns) - 1
        self.columns = list(columns)
        self.rows = rows
        self.row_formats = row_formats
        self.taken: dict[int, set[int]] = {}  # row -> columns

    def holds(self, key: tuple[int, int]) -> bool:
        r, c = key
        if not (self.first <= r <= self.last and self.left <= c <= self.right):
            return False
        taken = self.taken.get(r)
        return taken is None or c not in taken

    def take(self, key: tuple[int, int]) -> None:
        self.taken.setdefault(key[0], set()).add(key[1])

    def cell(self, key: tuple[int, int]) -> Cell:
        """The openpyxl cell of a held key (which leaves the table)."""
        r, c = key
        i, j = r - self.first, c - self.left
        col = self.columns[j]
        fmt = col.number_format
        if self.row_formats:
            fmt = self.row_formats[i].get(j, fmt)
        self.take(key)
        return _table_cell(self.ws, _styles(self.ws), r, c, col, self.rows[i][j], fmt)

    def keys_of(self, r: int) -> list[tuple[int, int]]:
        """The keys the table still holds in row ``r``."""
        gone = self.taken.get(r) or ()
        return [(r, c) for c in range(self.left, self.right + 1) if c not in gone]

    def held(self) -> Iterable[tuple[int, int]]:
        taken = self.taken
        columns = range(self.left, self.right + 1)
        for r in range(self.first, self.last + 1):
            gone = taken.get(r)
            for c in columns:
                if gone is None or c not in gone:
                    yield (r, c)

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(first row, last row, first column, last column) of the cells still held."""
        width = self.right - self.left + 1
        height = self.last - self.first + 1
        taken = self.taken
        rows = [r for r in range(self.first, self.last + 1) if len(taken.get(r, ())) < width]
        if not rows:
            return None
        if not taken:
            return rows[0], rows[-1], self.left, self.right
        gone: dict[int, int] = {}
        for columns in taken.values():
            for c in columns:
                gone[c] = gone.get(c, 0) + 1
        held = [c for c in range(self.left, self.right + 1) if gone.get(c, 0) < height]
        return rows[0], rows[-1], held[0], held[-1]

    def size(self) -> int:
        gone = sum(len(columns) for columns in self.taken.values())
        return (self.last - self.first + 1) * (self.right - self.left + 1) - gone


class _LazyCells(dict[tuple[int, int], Cell]):
    """A worksheet's ``_cells`` that also holds tables' data cells as rows (``_Table``).

    Looking up, setting or deleting one key makes (at most) that one cell; asking for the
    keys or the size makes none; anything that needs all cells (``values``, ``items``,
    ``copy``, ...) makes them all, after which this is an ordinary dictionary."""

    def __init__(self, cells: dict[tuple[int, int], Cell]) -> None:
        super().__init__(cells)
        self.tables: list[_Table] = []

    def _table(self, key: Any) -> _Table | None:
        for table in self.tables:
            if table.holds(key):
                return table
        return None

    def occupied(self, first: int, last: int, left: int, right: int) -> bool:
        """Whether any cell (made or held) lies in rows first…last, columns left…right."""
        for t in self.tables:
            if t.first <= last and first <= t.last and t.left <= right and left <= t.right:
                return True
        return any(first <= r <= last and left <= c <= right for r, c in dict.keys(self))

    def dimension(self) -> str:
        """``Worksheet.calculate_dimension()``: the range of every cell, made or held."""
        bounds = self.bounds()
        if bounds is None:
            return "A1:A1"
        first, last, left, right = bounds
        return f"{get_column_letter(left)}{first}:{get_column_letter(right)}{last}"

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(first row, last row, first column, last column) of every cell, made or held."""
        rows: set[int] = set()
        columns: set[int] = set()
        for r, c in dict.keys(self):
            rows.add(r)
            columns.add(c)
        for table in self.tables:
            bounds = table.bounds()
            if bounds is not None:
                rows.update(bounds[:2])
                columns.update(bounds[2:])
        if not rows:
            return None
        return min(rows), max(rows), min(columns), max(columns)

    def materialize(self) -> None:
        """Every held cell made into an openpyxl cell (in table order, row by row)."""
        tables, self.tables = self.tables, []
        for table in tables:
            for key in list(table.held()):
                dict.__setitem__(self, key, table.cell(key))

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (bool(self.tables) and self._table(key) is not None)

    def __getitem__(self, key: Any) -> Cell:
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            table = self._table(key) if self.tables else None
            if table is None:
                raise
            cell = table.cell(key)
            dict.__setitem__(self, key, cell)
            return cell

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key: Any, value: Cell) -> None:
        table = self._table(key) if self.tables else None
        if table is not None:
            table.take(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        table = self._table(key) if self.tables else None
        if table is not None:
            table.take(key)
            if not dict.__contains__(self, key):
                return
        dict.__delitem__(self, key)

    def __iter__(self) -> Any:
        yield from dict.keys(self)
        for table in self.tables:
            yield from table.held()

    def keys(self) -> Any:
        return list(self)

    def __len__(self) -> int:
        return dict.__len__(self) + sum(t.size() for t in self.tables)

    def __eq__(self, other: object) -> bool:
        self.materialize()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self.materialize()
        return dict.__repr__(self)


def _all_cells(name: str) -> Any:
    method = getattr(dict, name)

    def everything(self: _LazyCells, *args: Any, **kwargs: Any) -> Any:
        self.materialize()
        return method(self, *args, **kwargs)

    everything.__name__ = name
    return everything


for _name in ("values", "items", "copy", "pop", "popitem", "setdefault", "update", "clear",
              "__reversed__", "__or__", "__ior__", "__reduce__", "__reduce_ex__"):  # fmt: skip
    setattr(_LazyCells, _name, _all_cells(_name))


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
    """A table cell over an existing cell: through ``put`` (which keeps its style)."""
    _style_rare_cell(put(ws, row, column, value, fmt), None, fmt, wrap, styles, written=True)


def _style_rare_cell(
    cell: Cell,
    value: Value,
    fmt: str | None,
    wrap: bool,
    styles: dict[Any, Any],
    *,
    written: bool = False,
) -> None:
    """Write ``value`` with ``put``'s rules (unless ``written``) and the table's border and
    alignment over whatever style the cell has."""
    if not written:
        _put_value(cell, value, fmt)
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
        set_row_height(ws, row, 15 * min(lines, 12))


def set_row_height(ws: Worksheet, row: int, height: float) -> None:
    """``ws.row_dimensions[row].height = height``; a new row's dimension is made as openpyxl's
    ``RowDimension(ws, index=row, ht=height)`` makes it, without re-validating each field."""
    dimensions = ws.row_dimensions
    dimension = dimensions.get(row)
    if dimension is not None or type(dimensions) is not DimensionHolder:
        dimensions[row].height = height
        return
    dimension = _new_dimension(RowDimension)
    dimension.__dict__.update(_ROW_DIMENSION, ht=float(height), index=row)
    dimension.parent = ws
    dimension._style = None
    dict.__setitem__(dimensions, row, dimension)


_new_dimension = RowDimension.__new__
# the fields of RowDimension(ws, index=0, ht=None), as its descriptors store them
_ROW_DIMENSION = {"ht": None, "thickBot": False, "thickTop": False, "index": 0, "hidden": False,
                  "outlineLevel": 0, "collapsed": False}  # fmt: skip


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
    rows = rows if isinstance(rows, Sequence) else list(rows)
    longest = [0] * len(columns)
    for j, col in enumerate(columns):
        if col.wrap:
            continue
        values = list(map(itemgetter(j), rows))
        texts = [len(v) for v in values if type(v) is str]
        longest[j] = max(texts, default=0)
        if col.width is None and len(texts) < len(values):
            others = [v for v in values if type(v) is not str]
            longest[j] = max(longest[j], *map(_display_length, others))
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
    # deflate level 5: a third less time than the default 6 for 4 % more bytes (measured on
    # a 1,000-product workbook: 0.35 against 0.52 s, 3.43 against 3.29 MB; level 1: 4.78 MB)
    archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=5)
    workbook.properties.modified = _dt.datetime.now(tz=_dt.UTC).replace(tzinfo=None)
    with cyclic_gc_paused():
        _ExcelWriter(workbook, archive).save()


class ChartStamp(ChartBase):
    """A chart whose XML is ``template``'s with some whole element texts replaced (a title,
    a cell range): ``texts`` maps each such text of the template's to this chart's.  ``save``
    writes the template's XML with those texts swapped, without building the chart; any other
    writer gets the chart ``build()`` makes (which must be the template's twin but for those
    texts).  Only the anchor, width and height are this object's own (the drawing's)."""

    def __init__(
        self, template: ChartBase, texts: dict[str, str], build: Callable[[], ChartBase]
    ) -> None:  # ChartBase.__init__ is not called: nothing of a chart is built
        self.template = template
        self.texts = texts
        self.build = build
        self.width, self.height = template.width, template.height

    def _write(self) -> Any:  # openpyxl's writer, and ``save`` when stamping cannot be trusted
        chart = self.build()
        chart.width, chart.height, chart.anchor = self.width, self.height, self.anchor
        return chart._write()

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def stamped(self, xml: bytes) -> bytes | None:
        """This chart's XML from the template's; None if a text to replace is not exactly once
        a whole element text there (then the chart is built)."""
        for old, new in self.texts.items():
            mark = f">{_escape(old)}<".encode()
            if xml.count(mark) != 1:
                return None
            xml = xml.replace(mark, f">{_escape(new)}<".encode())
        return xml


def _escape(text: str) -> str:
    return text.translate(_TEXT_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


class _ExcelWriter(ExcelWriter):
    def _write_charts(self) -> None:
        """As openpyxl's, but a ``ChartStamp`` from its template's XML (built once)."""
        if len(self._charts) != len(set(self._charts)):
            super()._write_charts()  # openpyxl's own error for a chart used twice
            return
        xml_of: dict[int, bytes] = {}

        def xml(chart: ChartBase) -> bytes:
            known = xml_of.get(id(chart))
            if known is None:
                known = xml_of[id(chart)] = tostring(chart._write())
            return known

        for chart in self._charts:
            data = None
            if isinstance(chart, ChartStamp) and not isinstance(chart.template, ChartStamp):
                data = chart.stamped(xml(chart.template))
            self._archive.writestr(chart.path[1:], data if data is not None else xml(chart))
            self.manifest.append(chart)

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

    def write_dimensions(self) -> None:
        cells = self.ws._cells
        if not isinstance(cells, _LazyCells):
            super().write_dimensions()
            return
        self.xf.send(SheetDimension(cells.dimension()).to_tree())

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
    """Every row of the sheet as openpyxl's writer writes it: made cells one by one, the
    cells tables still hold (``_LazyCells``) straight from their rows."""
    cells = ws._cells
    tables = cells.tables if isinstance(cells, _LazyCells) else []
    made: dict[int, list[Cell]] = {}
    for (r, _c), cell in sorted(dict.items(cells)):
        made.setdefault(r, []).append(cell)
    table_of: dict[int, list[_Table]] = {}
    for table in tables:
        width = table.right - table.left + 1
        for r in range(table.first, table.last + 1):
            gone = table.taken.get(r)
            if gone is None or len(gone) < width:
                table_of.setdefault(r, []).append(table)
    dimensions = ws.row_dimensions
    writer = _RowWriter(ws, out)
    parts = writer.parts
    row_attributes = writer.row_attributes
    table_row = writer.table_row
    run: list[int] = []  # rows of one table alone, none of its cells gone: written at once
    run_table: _Table | None = None
    for r in sorted(made.keys() | table_of.keys() | dimensions.keys()):
        row_cells = made.get(r, ())
        held = table_of.get(r)
        if held is not None and len(held) == 1 and not row_cells and r not in held[0].taken:
            if held[0] is not run_table and run:
                writer.table_rows(run_table, run, dimensions)  # type: ignore[arg-type]
                run = []
            run_table = held[0]
            run.append(r)
            continue
        if run:
            writer.table_rows(run_table, run, dimensions)  # type: ignore[arg-type]
            run = []
        dimension = dimensions.get(r)
        parts.append(f'<row r="{r}"{"" if dimension is None else row_attributes(dimension)}>')
        if held is None:
            for cell in row_cells:
                writer.made(cell)
        elif len(held) == 1 and all(
            held[0].left <= cell.column <= held[0].right for cell in row_cells
        ):
            table_row(held[0], r, {cell.column: cell for cell in row_cells})
        else:  # tables side by side, or cells beside a table: in column order
            order: list[tuple[int, Any]] = [(cell.column, cell) for cell in row_cells]
            order += [(c, table) for table in held for rr, c in table.keys_of(r)]
            for c, item in sorted(order, key=lambda pair: pair[0]):
                if isinstance(item, _Table):
                    writer.table_row(item, r, {}, only=c)
                else:
                    writer.made(item)
        parts.append("</row>")
        if len(parts) > 50_000:
            writer.flush()
    if run:
        writer.table_rows(run_table, run, dimensions)  # type: ignore[arg-type]
    writer.flush()


class _RowWriter:
    """Renders cells as ``openpyxl.cell._writer.etree_write_cell`` writes them, with each
    distinct style id and column letter computed once."""

    def __init__(self, ws: Worksheet, out: IO[str]) -> None:
        self.ws = ws
        self.out = out
        self.parts: list[str] = []
        self.letters: dict[int, str] = {}
        self.style_ids: dict[tuple[int, ...], str] = {}
        self.table_ids: dict[tuple[str | None, bool, bool], str] = {}
        self.plans: dict[int, list[tuple[int, str, str | None, bool, bool]]] = {}
        self.texts: dict[tuple[str, bool, bool], tuple[str, str]] = {}
        self.row_attrs: dict[tuple[Any, ...], str] = {}
        self.cell_styles = ws.parent._cell_styles
        self.styles = _styles(ws)

    def letter(self, column: int) -> str:
        letter = self.letters.get(column)
        if letter is None:
            letter = self.letters[column] = get_column_letter(column)
        return letter

    def row_attributes(self, dimension: Any) -> str:
        if dimension is None:
            return ""
        if dimension._style is not None and any(dimension._style):
            return "".join(f' {k}="{v}"' for k, v in dimension)  # its style id, as openpyxl
        get = dimension.__dict__.get
        key = (get("ht"), get("hidden"), get("outlineLevel"), get("collapsed"), get("thickBot"),
               get("thickTop"))  # fmt: skip
        attrs = self.row_attrs.get(key)
        if attrs is None:
            attrs = self.row_attrs[key] = "".join(f' {k}="{v}"' for k, v in dimension)
        return attrs

    def table_id(self, fmt: str | None, wrap: bool, quote: bool) -> str:
        """The ` s="…"` of a table cell's style ("": an unstyled cell)."""
        key = (fmt, wrap, quote)
        if key in self.table_ids:
            return self.table_ids[key]
        array = self.styles.get(key)
        if array is None:
            array = self.styles[key] = _table_style(self.ws, fmt, wrap, quote)
        sid = f' s="{self.cell_styles.add(copy(array))}"' if any(array) else ""
        self.table_ids[key] = sid
        return sid

    def plan(self, table: _Table) -> list[tuple[int, str, str | None, bool, bool]]:
        """Per column of a table: (index, column letter, number format, wrap, unit)."""
        plan = self.plans.get(id(table))
        if plan is None:
            plan = self.plans[id(table)] = [
                (j, self.letter(table.left + j), col.number_format, col.wrap, col.unit)
                for j, col in enumerate(table.columns)
            ]
        return plan

    def text(self, value: str, wrap: bool, unit: bool) -> tuple[str, str]:
        """(style attribute, cell type and content) of a text in a table, as ``_table_cell``
        stores it and ``made`` writes it; each distinct text rendered once."""
        if unit:
            value = plain_unit(value)
        text = value if value.isprintable() else _ILLEGAL_XML.sub("\ufffd", value)
        text = text[:EXCEL_MAX_TEXT]
        sid = self.table_id(None, wrap, text.startswith(FORMULA_PREFIXES))
        if text == "":
            return sid, ' t="inlineStr"></c>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        if _NEEDS_ESCAPE.search(text):
            text = text.translate(_TEXT_ESCAPES)
        return sid, f' t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def table_row(
        self, table: _Table, r: int, made: dict[int, Cell], only: int | None = None
    ) -> None:
        """The cells of row ``r`` of a table (or of its column ``only``) in an open row;
        ``made``: the row's cells that left the table, by column."""
        self.table_rows(table, [r], None, made, only)

    def table_rows(
        self,
        table: _Table,
        rows: list[int],
        dimensions: Any,
        made: dict[int, Cell] | None = None,
        only: int | None = None,
    ) -> None:
        """Rows of a table, each cell as ``made`` would write the cell ``_table_cell`` makes
        (``dimensions`` None: the cells alone, the row being open; see ``table_row``)."""
        out = self.parts
        parts: list[str] = []
        row_attributes = self.row_attributes
        table_ids = self.table_ids
        table_id = self.table_id
        texts = self.texts
        text = self.text
        plan = self.plan(table)
        if only is not None:
            plan = [plan[only - table.left]]
        first = table.first
        left = table.left
        all_values = table.rows
        row_formats = table.row_formats
        taken = table.taken
        significant = SIGNIFICANT
        for r in rows:
            if dimensions is not None:
                dimension = dimensions.get(r)
                attributes = "" if dimension is None else row_attributes(dimension)
                parts.append(f'<row r="{r}"{attributes}>')
            i = r - first
            values = all_values[i]
            overrides = row_formats[i] if row_formats else None
            gone = taken.get(r) if taken else None
            for j, letter, fmt, wrap, unit in plan:
                if gone is not None and left + j in gone:
                    cell = made.get(left + j) if made else None
                    if cell is not None:
                        self.parts = parts
                        self.made(cell)
                    continue
                value = values[j]
                kind = type(value)
                if kind is str:
                    key = (value, wrap, unit)
                    known = texts.get(key)  # type: ignore[arg-type]
                    if known is None:
                        known = texts[key] = text(value, wrap, unit)  # type: ignore[index, arg-type]
                    parts.append(f'<c r="{letter}{r}"{known[0]}{known[1]}')
                    continue
                if overrides:
                    fmt = overrides.get(j, fmt)
                if kind is float or kind is int:
                    if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
                        sid = table_ids.get((fmt, wrap, False))
                        if sid is None:
                            sid = table_id(fmt, wrap, False)
                        if sid:
                            parts.append(f'<c r="{letter}{r}"{sid} t="n"></c>')
                        continue
                    number = f"{value:.16g}"
                    if kind is float and float(number) != value:
                        number = repr(value)  # see ``_put_number``
                    if fmt == significant and value and -0.1 < value < 0.1:  # type: ignore[operator]
                        fmt = display_format(fmt, value)
                    sid = table_ids.get((fmt, wrap, False))
                    if sid is None:
                        sid = table_id(fmt, wrap, False)
                    parts.append(f'<c r="{letter}{r}"{sid} t="n"><v>{number}</v></c>')
                elif value is None:
                    sid = table_ids.get((None, wrap, False))
                    if sid is None:
                        sid = table_id(None, wrap, False)
                    if sid:
                        parts.append(f'<c r="{letter}{r}"{sid} t="n"></c>')
                elif kind is bool:
                    sid = table_id(None, wrap, False)
                    parts.append(f'<c r="{letter}{r}"{sid} t="b"><v>{value:.16g}</v></c>')
                else:  # a rarer type (date, numpy number): as an openpyxl cell
                    key2 = (r, left + j)
                    cell = table.cell(key2)
                    dict.__setitem__(self.ws._cells, key2, cell)
                    self.parts = parts
                    self.made(cell)
            if dimensions is not None:
                parts.append("</row>")
            if len(parts) > 50_000:
                out.extend(parts)
                parts.clear()
                self.parts = out
                self.flush()
        self.parts = out
        out.extend(parts)

    def flush(self) -> None:
        """Write what is rendered so far to the sheet's rows file."""
        self.out.write("".join(self.parts))
        self.parts.clear()

    def made(self, cell: Any) -> None:
        """An openpyxl cell, as openpyxl's row writer writes it."""
        ws = self.ws
        parts = self.parts
        if type(cell) is not Cell:
            parts.append(_openpyxl_cell(ws, cell))
            return
        if cell._comment is not None:
            ws._comments.append(CommentRecord.from_cell(cell))
        value = cell._value
        array = cell._style
        styled = array is not None and any(array)
        if value is None and not styled and cell._comment is None:
            return
        kind = cell.data_type
        if (
            kind not in "nsb"
            or not (value is None or type(value) is str or _finite_number(value))
            or (kind == "s" and type(value) is not str)
        ):
            parts.append(_openpyxl_cell(ws, cell, styled))
            return
        if cell._hyperlink is not None:
            ws._hyperlinks.append(cell._hyperlink)
        ref = f"{self.letter(cell.column)}{cell.row}"
        if styled:
            key = tuple(array)
            sid = self.style_ids.get(key)
            if sid is None:
                sid = self.style_ids[key] = f' s="{self.cell_styles.add(array)}"'
        else:
            sid = ""
        if kind == "s":
            if value == "":
                parts.append(f'<c r="{ref}"{sid} t="inlineStr"></c>')
                return
            text = value.translate(_TEXT_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
            space = ' xml:space="preserve"' if value != value.strip() else ""
            parts.append(f'<c r="{ref}"{sid} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif value is None or value == "":
            parts.append(f'<c r="{ref}"{sid} t="{kind}"></c>')
        elif type(value) is str:  # an exact float's repr (see ``_put_number``)
            parts.append(f'<c r="{ref}"{sid} t="{kind}"><v>{value}</v></c>')
        else:
            parts.append(f'<c r="{ref}"{sid} t="{kind}"><v>{value:.16g}</v></c>')


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
    cells = ws._cells
    extent = cells.bounds() if isinstance(cells, _LazyCells) else None
    last = ws.max_column if extent is None else extent[3]  # without listing every cell
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
    # the break follows column start - 1; assigned once (openpyxl's append re-validates the
    # whole list on every call, quadratic in the number of breaks)
    ws.col_breaks.brk = [*ws.col_breaks.brk, *(Break(id=start - 1) for start in breaks)]
    if repeat:
        ws.print_title_cols = f"A:{get_column_letter(repeat)}"
    return scale


def cell_range(ws: Worksheet, column: int, first: int, last: int) -> str:
    """``str(Reference(ws, min_col=column, min_row=first, max_row=last))`` (a chart's
    range), without building the Reference."""
    letter = get_column_letter(column)
    sheet = quote_sheetname(ws.title)
    if first == last:
        return f"{sheet}!${letter}${first}"
    return f"{sheet}!${letter}${first}:${letter}${last}"
