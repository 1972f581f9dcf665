"""Opening a BOM file safely and handing back its sheets as rows of cell values.

``.xlsx`` is read with python-calamine.  Before parsing, the zip container is checked: its
uncompressed size and compression ratios (zip bombs), that it is an Excel workbook at all,
merged cells, and formulas saved without a value (calamine would read them as empty).
Password-protected workbooks are OLE containers, not zips, and are recognised by their magic
bytes.  A ``.csv`` file is the ``BOM`` sheet; a ``<name>.products.csv`` beside it, if present,
is the ``Products`` sheet.

Rows keep the spreadsheet's numbering: ``rows[0]`` is row 1.  Empty cells are ``None`` and
text is stripped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import python_calamine

from footprint.bom.files import PRODUCTS_CSV_SUFFIX
from footprint.errors import BomError, InputTooLargeError, Problem

SHEET_NAMES = ("BOM", "Products")

# Guards against files that are far larger than they look.  A 100,000-line BOM is ~5 MB
# on disk and ~60 MB uncompressed; spreadsheet XML compresses 5–30×.
MAX_FILE_BYTES = 200 * 1024**2
MAX_UNCOMPRESSED_BYTES = 1024**3
MAX_RATIO = 200
RATIO_CHECKED_ABOVE_BYTES = 1024**2

_ZIP_MAGIC = b"PK\x03\x04"
# what unpacking a damaged zip member raises (bad CRC, bad deflate data, truncation, …)
_DAMAGED_ZIP: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)
_UNREADABLE_PART: tuple[type[Exception], ...] = (
    KeyError,
    ElementTree.ParseError,
    ValueError,
    *_DAMAGED_ZIP,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

Cell = str | float | int | bool | Any


@dataclass
class RawSheet:
    """A sheet as rows of cells; ``rows[i]`` is spreadsheet row ``i + 1``."""

    name: str
    file: str
    rows: list[list[Cell]]
    is_csv: bool = False
    problems: list[Problem] = field(default_factory=list)
    # Excel error values (#N/A, #DIV/0! …, typed or a formula's saved result), which calamine
    # reads as empty cells: (row as the sheet numbers it, 0-based column) → (error, formula)
    error_cells: dict[tuple[int, int], tuple[str, str | None]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def label(self) -> str | None:
        """The sheet name to print in a problem (a CSV file has no sheets)."""
        return None if self.is_csv else self.name


def products_csv_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}{PRODUCTS_CSV_SUFFIX}")


def read_sheets(path: Path) -> dict[str, RawSheet]:
    """The ``BOM`` and ``Products`` sheets of a file (``Products`` may be absent).

    Raises ``BomError`` / ``InputTooLargeError`` for files that cannot be read at all.
    """
    display = str(path)
    if not path.is_file():
        raise BomError(Problem("file not found", file=display))
    size = path.stat().st_size
    if size == 0:
        raise BomError(Problem("the file is empty (0 bytes)", file=display))
    if size > MAX_FILE_BYTES:
        raise InputTooLargeError(
            Problem(
                f"the file is {size / 1024**2:.0f} MB; footprint reads BOM files up to "
                f"{MAX_FILE_BYTES // 1024**2} MB",
                file=display,
            )
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, display)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise BomError(
                Problem(
                    "the workbook is password-protected; remove the password "
                    "(File > Info > Protect Workbook) and save it again as .xlsx",
                    file=display,
                )
            )
        raise BomError(
            Problem(
                "this is an old binary Excel (.xls) or other Office file; save it as .xlsx",
                file=display,
            )
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") and _looks_like_text(path):
        # what Excel itself does with a CSV named .xlsx: read it by its content, and say so
        sheet = _read_csv(path, display, "BOM")
        sheet.warnings.append(
            f"this is a text (CSV) file named {path.suffix}, not a workbook; it is read as CSV: "
            "rename it to .csv"
        )
        return {"BOM": sheet}
    if suffix in (".csv", ".txt", ".tsv"):
        if path.name.lower().endswith(PRODUCTS_CSV_SUFFIX):
            bom_csv = path.name[: -len(PRODUCTS_CSV_SUFFIX)] + ".csv"
            raise BomError(
                Problem(
                    f"this is the Products sheet of {bom_csv}; check or assess {bom_csv}, "
                    "which reads it",
                    file=display,
                )
            )
        sheets = {"BOM": _read_csv(path, display, "BOM")}
        companion = products_csv_for(path)
        if companion.is_file():
            sheets["Products"] = _read_csv(companion, str(companion), "Products")
        return sheets
    raise BomError(
        Problem(
            "not a spreadsheet: footprint reads .xlsx workbooks and .csv files",
            file=display,
        )
    )


_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\x7fELF", b"MZ", b"GIF8", b"\xff\xd8\xff")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_UTF8_BOM = b"\xef\xbb\xbf"


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        return looks_like_text(handle.read(8192))


def looks_like_text(head: bytes) -> bool:
    """Whether a file's first bytes are text: a byte-order mark, UTF-16 told by its zero
    bytes, or UTF-8 without control bytes other than tab, CR and LF."""
    if head.startswith((_UTF8_BOM, *_UTF16_BOMS)) or _utf16_without_bom(head):
        return True
    if head.startswith(_BINARY_MAGICS) or any(b < 32 and b not in (9, 10, 13) for b in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut by the 8 KB boundary
    return True


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by its zero bytes: text that is mostly ASCII
    (headers, ids, numbers) has a zero in every other byte."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    high_first = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    high_second = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    if high_second > 0.6 * pairs and high_first == 0:
        return "utf-16-le"
    if high_first > 0.6 * pairs and high_second == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, display: str) -> str:
    """The text of a CSV export: UTF-8 (with or without BOM), UTF-16 as Excel's "Unicode
    Text" writes it (little-endian with a BOM) or without a BOM, else Windows-1252."""
    encoding = next((e for bom, e in _UTF16_BOMS.items() if data.startswith(bom)), None)
    if encoding is not None:
        data = data[2:]
    else:
        encoding = _utf16_without_bom(data[:8192])
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise BomError(
                Problem(
                    f"the file starts as {encoding.upper()} text but is not valid "
                    f"{encoding.upper()} further on; save it again as CSV UTF-8",
                    file=display,
                )
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, display: str, name: str) -> RawSheet:
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLargeError(Problem("the file is too large", file=display))
    text = _decode(data, display)
    nul = text.find("\x00")
    if nul >= 0:  # anywhere in the file: a NUL is never part of an id, name or number
        line = text.count("\n", 0, nul) + 1
        raise BomError(
            Problem(
                f"not a text CSV file: line {line} holds a NUL (zero) byte, which text never "
                "has; save the sheet as CSV UTF-8",
                file=display,
            )
        )
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows: list[list[Cell]] = [
            [cell.strip() or None for cell in row] for row in csv.reader(io.StringIO(text), dialect)
        ]
    except csv.Error as error:
        raise BomError(Problem(f"not a readable CSV file ({error})", file=display)) from None
    return RawSheet(name=name, file=display, rows=rows, is_csv=True)


def _read_xlsx(path: Path, display: str) -> dict[str, RawSheet]:
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED_ZIP:
        raise BomError(
            Problem("the file is corrupt (not a readable .xlsx zip)", file=display)
        ) from None
    with archive:
        _check_sizes(archive, display)
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise BomError(
                Problem(
                    "not an Excel workbook (a zip file without xl/workbook.xml); "
                    "save the BOM as .xlsx or .csv",
                    file=display,
                )
            )
        sheet_paths = _sheet_xml_paths(archive)
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        except BaseException as error:  # calamine's own errors, and Rust panics (BaseException)
            _reraise_interrupts(error)
            raise BomError(
                Problem(f"the workbook is corrupt and cannot be read ({error})", file=display)
            ) from None
        sheets: dict[str, RawSheet] = {}
        with workbook:
            by_key = {name.strip().casefold(): name for name in workbook.sheet_names}
            for wanted in SHEET_NAMES:
                actual = by_key.get(wanted.casefold())
                if actual is None:
                    continue
                sheets[wanted] = _read_xlsx_sheet(
                    workbook, archive, actual, sheet_paths.get(actual), display, wanted
                )
        if "BOM" not in sheets:
            found = ", ".join(workbook.sheet_names) or "none"
            raise BomError(
                Problem(
                    f"the workbook has no sheet named BOM (sheets found: {found})", file=display
                )
            )
        return sheets


def _read_xlsx_sheet(
    workbook: python_calamine.CalamineWorkbook,
    archive: zipfile.ZipFile,
    actual: str,
    xml_path: str | None,
    display: str,
    wanted: str,
) -> RawSheet:
    try:
        calamine_sheet = workbook.get_sheet_by_name(actual)
        values = calamine_sheet.to_python(skip_empty_area=False)
        merged = calamine_sheet.merged_cell_ranges or []
    except BaseException as error:  # see above: corrupt sheet XML
        _reraise_interrupts(error)
        raise BomError(
            Problem(f"sheet {actual} is corrupt and cannot be read ({error})", file=display)
        ) from None
    # inline rather than a function per cell: this runs for every cell of 100,000-line BOMs
    rows: list[list[Cell]] = [
        [(c.strip() or None) if type(c) is str else c for c in row] for row in values
    ]
    sheet = RawSheet(name=wanted, file=display, rows=rows)
    header = rows[0] if rows else []
    for (top, left), (bottom, right) in merged:
        sheet.problems.append(
            Problem(
                f"merged cells {_ref(top, left)}:{_ref(bottom, right)}; unmerge them and write "
                "the value in every cell",
                file=display,
                sheet=wanted,
                row=top + 1,
                column=_column_label(header, left),
            )
        )
    if xml_path is not None:
        formulas, errors = _scan_cells(archive, xml_path, display)
        sheet.error_cells = errors
        for row, col, formula in formulas:
            sheet.problems.append(
                Problem(
                    f"formula ={formula} has no saved value; open and save the file in Excel "
                    "or LibreOffice (or paste values) so the result is stored",
                    file=display,
                    sheet=wanted,
                    row=row,
                    column=_column_label(header, col),
                )
            )
    return sheet


def _check_sizes(archive: zipfile.ZipFile, display: str) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_RATIO:
            raise InputTooLargeError(
                Problem(
                    f"{info.filename} expands {ratio:.0f}× to {info.file_size / 1024**2:.0f} MB "
                    f"(more than {MAX_RATIO}×): refused as a possible zip bomb",
                    file=display,
                )
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputTooLargeError(
            Problem(
                f"the workbook expands to {total / 1024**2:.0f} MB; footprint reads workbooks "
                f"up to {MAX_UNCOMPRESSED_BYTES // 1024**2} MB uncompressed",
                file=display,
            )
        )


def _sheet_xml_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the zip ({} when the parts cannot be found:
    calamine then decides whether the workbook is readable)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except _UNREADABLE_PART:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    paths: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if not target:
            continue
        # a relationship target is relative to xl/, or absolute from the zip's root
        absolute = target.startswith("/")
        paths[sheet.get("name", "")] = (
            target.lstrip("/") if absolute else str(PurePosixPath("xl") / target)
        )
    return paths


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_VALUE = re.compile(rb"<v>[^<]+</v>|<is>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_ERROR_VALUE = re.compile(rb"<v>([^<]+)</v>")


def _scan_cells(
    archive: zipfile.ZipFile, xml_path: str, display: str
) -> tuple[list[tuple[int, int, str]], dict[tuple[int, int], tuple[str, str | None]]]:
    """(row, 0-based column, formula) of every formula cell saved without its value, and the
    cells holding an Excel error value (see ``RawSheet.error_cells``)."""
    try:
        data = archive.read(xml_path)
    except KeyError:
        return [], {}
    except _DAMAGED_ZIP:
        raise BomError(
            Problem(
                "the file is corrupt (a part of the .xlsx zip cannot be unpacked)", file=display
            )
        ) from None
    found: list[tuple[int, int, str]] = []
    errors: dict[tuple[int, int], tuple[str, str | None]] = {}
    # the substring first: the regex's search of a 10,000-row sheet takes ~70 ms, `in` ~2 ms
    if b"<f" not in data and (b't="e"' not in data or not _ERROR_TYPE.search(data)):
        return found, errors
    for match in _CELL.finditer(data):
        attributes, body = match.group(1), match.group(2) or b""
        formula = _FORMULA.search(body)
        is_error = _ERROR_TYPE.search(attributes) is not None
        if not is_error and (formula is None or _VALUE.search(body)):
            continue
        ref = _CELL_REF.search(attributes)
        if ref is None:
            continue
        where = (int(ref.group(2)), _column_index(ref.group(1).decode()))
        text = None
        if formula is not None:
            text = (formula.group(1) or b"(shared formula)").decode("utf-8", errors="replace")
        value = _ERROR_VALUE.search(body)
        if is_error and value is not None:
            errors[where] = (value.group(1).decode("utf-8", errors="replace"), text)
        elif text is not None:
            found.append((*where, text))
    return found, errors


def _reraise_interrupts(error: BaseException) -> None:
    if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
        raise error  # KeyboardInterrupt, SystemExit: not a property of the file


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _ref(row: int, col: int) -> str:
    return f"{_column_letters(col)}{row + 1}"


def _column_label(header: list[Cell], col: int) -> str:
    """The column's header text, or its letter when the header cell is empty."""
    if col < len(header) and header[col] not in (None, ""):
        return str(header[col])
    return _column_letters(col)
