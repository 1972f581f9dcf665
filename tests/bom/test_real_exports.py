"""Files as real exports write them: Excel error cells, dates in number columns, Excel's
"Unicode Text" (UTF-16LE with a BOM, tab-separated, CRLF), UTF-16 without a BOM, a CSV
saved under an .xlsx name, NUL bytes, and the same file named twice.

Each file is built byte for byte as the exporting program writes it (or by the program
itself: LibreOffice, for formulas whose saved result is an error).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from footprint.bom import read_bom, read_bom_file
from footprint.cli import main
from footprint.errors import BomError

STEEL = "material-steel-primary"
ROWS = [
    ["id", "name", "quantity", "unit", "dataset"],
    ["frame", "Frame, welded", "2.5", "kg", STEEL],
    ["bolt", "Bolt M8 – zinc plated", "0.02", "kg", STEEL],
]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BomError) as refused:
        read_bom(path)
    return [str(p) for p in refused.value.problems]


def unicode_text(rows: list[list[str]], *, bom: bool = True, endian: str = "le") -> bytes:
    """What Excel's File > Save As > "Unicode Text (*.txt)" writes: UTF-16LE with a BOM,
    tab-separated, CRLF line ends."""
    text = "".join("\t".join(row) + "\r\n" for row in rows)
    encoded = text.encode(f"utf-16-{endian}")
    mark = b"\xff\xfe" if endian == "le" else b"\xfe\xff"
    return (mark if bom else b"") + encoded


# -- Excel error values and dates ------------------------------------------------------------


def test_typed_error_cells_and_dates_are_named_as_such(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "BOM"
    sheet.append(["id", "quantity", "unit", "dataset", "recycled_content", "remark"])
    sheet.append(["a", None, "kg", STEEL, 0.5, "x"])
    sheet.append(["b", 2, "kg", STEEL, None, None])
    sheet.append(["c", dt.date(2024, 1, 5), "kg", STEEL, 0.5, "y"])
    for ref, error in (("B2", "#N/A"), ("E3", "#DIV/0!"), ("F3", "#REF!")):
        sheet[ref].value = error
        sheet[ref].data_type = "e"  # as Excel stores an error: <c t="e"><v>#N/A</v></c>
    path = tmp_path / "errors.xlsx"
    workbook.save(path)
    assert problems_of(path) == [
        "errors.xlsx, sheet BOM, row 2, column quantity: the cell holds the Excel error #N/A, "
        "not a value; fix the formula in the source sheet (or type the value)",
        "errors.xlsx, sheet BOM, row 3, column recycled_content: the cell holds the Excel "
        "error #DIV/0!, not a value; fix the formula in the source sheet (or type the value)",
        "errors.xlsx, sheet BOM, row 4, column quantity: 2024-01-05 is a date or time, not a "
        "number: the cell is formatted as a date in the sheet; format it as a number (Format "
        "Cells > Number) and type the value again",
    ]


def test_an_error_in_a_passed_through_column_is_a_warning(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "BOM"
    sheet.append(["id", "quantity", "unit", "dataset", "remark"])
    sheet.append(["a", 1, "kg", STEEL, "#N/A"])
    sheet["E2"].data_type = "e"
    path = tmp_path / "remark.xlsx"
    workbook.save(path)
    warnings = [w.message for w in read_bom_file(path).warnings if w.row == 2]
    assert warnings == [
        "the cell holds the Excel error #N/A; the column is passed through to the outputs, "
        "where the cell is empty"
    ]


def test_formulas_whose_saved_result_is_an_error_as_libreoffice_writes_them(
    tmp_path: Path, soffice: str
) -> None:
    # a flat ODF sheet with formulas and no saved results; LibreOffice computes them and
    # writes the .xlsx as Excel would: <c t="e"><f>1/0</f><v>#DIV/0!</v></c>
    def cell(value: str) -> str:
        if value.startswith("="):
            return f'<table:table-cell table:formula="of:{value}"/>'
        return (
            f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>"
        )

    rows = [
        ["id", "quantity", "unit", "dataset", "recycled_content"],
        ["a", "=NA()", "kg", STEEL, "=0.5"],
        ["b", "=2", "kg", STEEL, "=1/0"],
    ]
    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    source = tmp_path / "formulas.fods"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><office:document '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body>'
        f'<office:spreadsheet><table:table table:name="BOM">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document>",
        encoding="utf-8",
    )
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert problems_of(tmp_path / "formulas.xlsx") == [
        "formulas.xlsx, sheet BOM, row 2, column quantity: the formula =NA() gives the Excel "
        "error #N/A, not a value; fix the formula in the source sheet (or type the value)",
        "formulas.xlsx, sheet BOM, row 3, column recycled_content: the formula =1/0 gives the "
        "Excel error #DIV/0!, not a value; fix the formula in the source sheet (or type the "
        "value)",
    ]


# -- text exports ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("unicode-text.txt", unicode_text(ROWS)),
        ("no-bom.csv", unicode_text(ROWS, bom=False)),
        ("big-endian.txt", unicode_text(ROWS, endian="be")),
        ("tabs.tsv", "".join("\t".join(r) + "\r\n" for r in ROWS).encode("utf-8")),
    ],
)
def test_utf16_and_tab_separated_exports_are_read(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (product,) = read_bom(path)
    assert [(line.id, line.name, line.quantity, line.unit) for line in product.lines] == [
        ("frame", "Frame, welded", 2.5, "kg"),
        ("bolt", "Bolt M8 – zinc plated", 0.02, "kg"),
    ]


def test_a_csv_named_xlsx_is_read_by_its_content_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\r\n" for r in ROWS), "utf-8")
    bom = read_bom_file(path)
    assert [line.id for line in bom.products[0].lines] == ["frame", "bolt"]
    assert [w.message for w in bom.warnings] == [
        "this is a text (CSV) file named .xlsx, not a workbook; it is read as CSV: rename it "
        "to .csv"
    ]


@pytest.mark.parametrize("offset", [10, 20_000])
def test_a_nul_byte_is_refused_wherever_it_is(tmp_path: Path, offset: int) -> None:
    lines = ["id,quantity,unit,dataset"] + [f"p{i},1,kg,{STEEL}" for i in range(2000)]
    text = "\n".join(lines) + "\n"
    cut = text.index("\n", offset) + 2  # inside an id
    path = tmp_path / "nul.csv"
    path.write_bytes(text[:cut].encode() + b"\x00" + text[cut:].encode())
    line = text.count("\n", 0, cut) + 1
    assert problems_of(path) == [
        f"nul.csv: not a text CSV file: line {line} holds a NUL (zero) byte, which text never "
        "has; save the sheet as CSV UTF-8"
    ]


def test_the_same_file_named_twice_is_read_once_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in ROWS), "utf-8")
    (tmp_path / "link.csv").symlink_to(path)
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as done:
        main(["assess", str(path), str(tmp_path / "link.csv"), str(tmp_path), "--json", str(out)])
    assert done.value.code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in result["products"]] == ["bom"]
    messages = [w["message"] for w in result["warnings"]]
    assert f"{tmp_path / 'link.csv'} is the same file as {path}; it is read once" in messages
    assert f"{path} is named twice; it is read once" in messages
