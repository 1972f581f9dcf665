"""The bad-input corpus: every malformed BOM gets a located, actionable message.

Each case builds one small file and names the problems it must produce: (row, column, part of
the message).  Row numbers are the spreadsheet's (header = row 1).  The same files also go
through ``footprint check``: exit code 2, one line per problem, no traceback, nothing written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from footprint.bom import read_bom
from footprint.cli import main
from footprint.errors import BomError, FootprintError, InputTooLargeError

HEADER = ["id", "parent", "name", "quantity", "unit", "dataset"]
STEEL = "material-steel-primary"


def ok_row(line_id: str = "a", parent: str | None = None) -> list[Any]:
    return [line_id, parent, "part", 1, "kg", STEEL]


def xlsx_file(path: Path, sheets: dict[str, list[list[Any]]], edit: Any = None) -> Path:
    workbook = Workbook()
    for index, (name, rows) in enumerate(sheets.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        for row in rows:
            sheet.append(row)
    if edit is not None:
        edit(workbook)
    workbook.save(path)
    return path


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def bom(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return xlsx_file(path, {"BOM": [header, *rows]})


def merged(path: Path) -> Path:
    def merge(workbook: Workbook) -> None:
        workbook.active.merge_cells("B2:C2")  # type: ignore[union-attr]

    return xlsx_file(path, {"BOM": [HEADER, ok_row(), ok_row("b")]}, merge)


def formula(path: Path) -> Path:
    return bom(path, [["a", None, "part", "=1+1", "kg", STEEL]])


def encrypted(path: Path) -> Path:
    # an OLE compound file holding an EncryptedPackage stream, as Office writes protected files
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(data + bytes(1024))
    return path


def legacy_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    return path


def truncated(path: Path) -> Path:
    bom(path, [ok_row()])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path


def docx_like(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024**2))
    return path


def binary_csv(path: Path) -> Path:
    path.write_bytes(b"id,quantity\n\x00\x01\x02\x03")
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


Case = tuple[str, str, Callable[[Path], Path], list[tuple[int | None, str | None, str]]]

CASES: list[Case] = [
    ("missing-quantity-column", "bom.xlsx",
     lambda p: bom(p, [["a", "kg", STEEL]], ["id", "unit", "dataset"]),
     [(1, "quantity", "missing required column quantity")]),
    ("missing-id-column", "bom.xlsx",
     lambda p: bom(p, [[1, "kg", STEEL]], ["quantity", "unit", "dataset"]),
     [(1, "id", "missing required column id")]),
    ("missing-dataset-column", "bom.csv",
     lambda p: csv_file(p, "id,quantity,unit\na,1,kg\n"),
     [(1, "dataset", "missing required column dataset")]),
    ("empty-xlsx-file", "bom.xlsx", empty, [(None, None, "the file is empty (0 bytes)")]),
    ("empty-csv-file", "bom.csv", empty, [(None, None, "the file is empty (0 bytes)")]),
    ("no-bom-sheet", "bom.xlsx", lambda p: xlsx_file(p, {"Parts": [HEADER, ok_row()]}),
     [(None, None, "no sheet named BOM (sheets found: Parts)")]),
    ("empty-bom-sheet", "bom.xlsx", lambda p: xlsx_file(p, {"BOM": []}),
     [(None, None, "the BOM sheet is empty")]),
    ("header-only", "bom.xlsx", lambda p: bom(p, []),
     [(None, None, "has a header row but no lines")]),
    ("unknown-unit", "bom.xlsx",
     lambda p: bom(p, [["a", None, "part", 1, "kgs", STEEL]]),
     [(2, "unit", '"kgs" is not a unit (did you mean "kg"?)')]),
    ("non-numeric-quantity", "bom.xlsx",
     lambda p: bom(p, [ok_row(), ["b", None, "part", "abc", "kg", STEEL]]),
     [(3, "quantity", '"abc" is not a number')]),
    ("negative-quantity", "bom.xlsx",
     lambda p: bom(p, [["a", None, "part", -2, "kg", STEEL]]),
     [(2, "quantity", "quantity -2 is negative (write 0 or more)")]),
    ("nan-quantity", "bom.csv",
     lambda p: csv_file(p, "id,quantity,unit,dataset\na,nan,kg,x\n"),
     [(2, "quantity", '"nan" is not a finite number')]),
    ("inf-quantity", "bom.csv",
     lambda p: csv_file(p, "id,quantity,unit,dataset\na,-inf,kg,x\n"),
     [(2, "quantity", '"-inf" is not a finite number')]),
    ("share-above-one", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), 1.5]], [*HEADER, "recycled_content"]),
     [(2, "recycled_content", "1.5 is outside 0–1 (write a share such as 0.35 or 35 %)")]),
    ("share-percent-above-100", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), "135 %"]], [*HEADER, "Recycled Content"]),
     [(2, "Recycled Content", "135 % is outside 0–1")]),
    ("r2-plus-r3-above-one", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), 0.7, 0.5]],
                   [*HEADER, "eol_recycling_rate", "eol_energy_recovery_rate"]),
     [(2, "eol_energy_recovery_rate", "R2 + R3 = 0.7 + 0.5 is more than 1")]),
    ("post-consumer-above-r1", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), 0.2, 0.3]],
                   [*HEADER, "recycled_content", "recycled_content_post_consumer"]),
     [(2, "recycled_content_post_consumer", "more than the recycled content 0.2")]),
    ("duplicate-line-id", "bom.xlsx", lambda p: bom(p, [ok_row(), ok_row(), ok_row("a")]),
     [(3, "id", 'duplicate line id "a" in product bom (first on row 2)'),
      (4, "id", 'duplicate line id "a"')]),
    ("missing-parent", "bom.xlsx",
     lambda p: bom(p, [["asm", None, "x", 1, "piece", None], ok_row("b", "asn")]),
     [(3, "parent", 'parent "asn" is not the id of any line of this product '
                    "(did you mean 'asm'?)")]),
    ("cycle", "bom.xlsx",
     lambda p: bom(p, [["a", "b", "x", 1, "piece", None], ["b", "a", "y", 1, "piece", None]]),
     [(2, "parent", "the parents form a cycle: a → b → a")]),
    ("self-parent", "bom.xlsx",
     lambda p: bom(p, [["a", "a", "x", 1, "piece", STEEL]]),
     [(2, "parent", "the parents form a cycle: a → a")]),
    ("tree-too-deep", "bom.csv",
     lambda p: csv_file(p, "id,parent,quantity,unit,dataset\n" + "".join(
         f"l{i},{f'l{i - 1}' if i else ''},1,piece,{'x' if i == 150 else ''}\n"
         for i in range(151))),
     [(102, "parent", "the assembly tree is more than 100 levels deep here")]),
    ("long-cycle", "bom.csv",
     lambda p: csv_file(p, "id,parent,quantity,unit,dataset\n" + "".join(
         f"l{i},l{(i + 1) % 20},1,piece,\n" for i in range(20))),
     [(2, "parent", "the parents form a cycle: l0 → l1 → l2 → … → l18 → l19 → l0")]),
    ("formula-without-value", "bom.xlsx", formula,
     [(2, "quantity", "formula =1+1 has no saved value")]),
    ("merged-cells", "bom.xlsx", merged,
     [(2, "parent", "merged cells B2:C2; unmerge them")]),
    ("password-protected", "bom.xlsx", encrypted,
     [(None, None, "the workbook is password-protected")]),
    ("legacy-xls", "bom.xls", legacy_xls, [(None, None, "save it as .xlsx")]),
    ("corrupt-zip", "bom.xlsx", truncated, [(None, None, "the file is corrupt")]),
    ("pdf-named-xlsx", "bom.xlsx", pdf,
     [(None, None, "not a spreadsheet: footprint reads .xlsx workbooks and .csv files")]),
    ("zip-not-a-workbook", "bom.xlsx", docx_like,
     [(None, None, "not an Excel workbook (a zip file without xl/workbook.xml)")]),
    ("binary-csv", "bom.csv", binary_csv, [(None, None, "not a text CSV file")]),
    ("zip-bomb", "bom.xlsx", zip_bomb,
     [(None, None, "to 20 MB (more than 200×): refused as a possible zip bomb")]),
    ("assembly-not-in-pieces", "bom.xlsx",
     lambda p: bom(p, [["asm", None, "x", 2, "kg", None], ok_row("b", "asm")]),
     [(2, "unit", 'line "asm" is an assembly')]),
    ("leaf-without-dataset", "bom.xlsx",
     lambda p: bom(p, [["a", None, "part", 1, "kg", None]]),
     [(2, "dataset", 'line "a" has no dataset and no lines below it')]),
    ("unit-twice-disagreeing", "bom.xlsx",
     lambda p: bom(p, [["a", None, "part", "12 g", "kg", STEEL]]),
     [(2, "quantity", '"12 g" has the unit g but column unit says kg')]),
    ("no-unit", "bom.csv", lambda p: csv_file(p, "id,quantity,dataset\na,5,x\n"),
     [(2, "quantity", "no unit: write it in the unit column or in the quantity cell")]),
    ("mass-per-piece-not-a-mass", "bom.xlsx",
     lambda p: bom(p, [["a", None, "screw", 4, "pcs", STEEL, "2 kWh"]],
                   [*HEADER, "mass_per_piece"]),
     [(2, "mass_per_piece", "mass_per_piece must be a mass (e.g. 3.2 g), not kWh (energy)")]),
    ("unknown-stage", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), "shipping"]], [*HEADER, "stage"]),
     [(2, "stage", '"shipping" is not a life-cycle stage (write one of: raw materials, ')]),
    ("bad-country", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), "Germany"]], [*HEADER, "country"]),
     [(2, "country", '"Germany" is not an ISO 3166 alpha-2 country code (did you mean "DE"?)')]),
    ("unknown-country-code", "bom.xlsx",
     lambda p: bom(p, [[*ok_row(), "XX"]], [*HEADER, "country"]),
     [(2, "country", '"XX" is not an ISO 3166 alpha-2 country code (write e.g. DE, CN, US)')]),
    ("duplicate-columns", "bom.xlsx",
     lambda p: bom(p, [["a", 1, "kg", STEEL, 2]], ["id", "Qty", "unit", "dataset", "Amount"]),
     [(1, "Amount", 'column "Amount" repeats column "Qty" (both mean quantity)')]),
    ("ambiguous-thousands", "bom.csv",
     lambda p: csv_file(p, 'id,quantity,unit,dataset\na,"1,500",g,x\n'),
     [(2, "quantity", '"1,500" is ambiguous')]),
    ("empty-id", "bom.xlsx", lambda p: bom(p, [[None, None, "part", 1, "kg", STEEL]]),
     [(2, "id", "id is empty")]),
    ("blank-product-in-multi-product-sheet", "bom.xlsx",
     lambda p: bom(p, [["p1", *ok_row()], ["p2", *ok_row()], [None, *ok_row("b")]],
                   ["product", *HEADER]),
     [(4, "product", "this file holds several products (p1, p2)")]),
    ("blank-product-column-with-several-declared", "bom.xlsx",
     lambda p: xlsx_file(p, {
         "BOM": [["product", *HEADER], [None, *ok_row()]],
         "Products": [["product"], ["p1"], ["p2"]],
     }),
     [(2, "product", "product is empty; this file holds several products (p1, p2)")]),
    ("several-declared-no-product-column", "bom.xlsx",
     lambda p: xlsx_file(p, {"BOM": [HEADER, ok_row()], "Products": [["product"], ["p1"], ["p2"]]}),
     [(1, "product", "missing column product: the Products sheet lists 2 products")]),
    ("products-sheet-values", "bom.xlsx",
     lambda p: xlsx_file(p, {
         "BOM": [["product", *HEADER], ["p1", *ok_row()]],
         "Products": [["product", "reference_flow", "placed_on_market", "eol_model", "mass"],
                      ["p1", -1, "soon", "recycle", "3 kWh"],
                      ["p9", 1, None, None, None]],
     }),
     [(2, "reference_flow", "-1 must be more than 0"),
      (2, "placed_on_market", '"soon" is not a date (write e.g. 2030-01-01)'),
      (2, "eol_model", '"recycle" is not an end-of-life model (write cut-off or cff)'),
      (2, "mass", "cannot use kWh (energy) for a dataset per kg (mass)"),
      (3, "product", 'product "p9" has no lines in the BOM sheet')]),
    ("many-problems-at-once", "bom.xlsx",
     lambda p: bom(p, [["a", None, "x", "abc", "kg", STEEL], ["b", None, "y", 1, "kgs", STEEL],
                       ["a", "zz", "z", -1, "kg", STEEL]]),
     [(2, "quantity", "is not a number"), (3, "unit", "is not a unit"),
      (4, "quantity", "is negative"), (4, "id", "duplicate line id")]),
]  # fmt: skip


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("case", "name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_located(
    tmp_path: Path,
    case: str,
    name: str,
    build: Callable[[Path], Path],
    expected: list[tuple[int | None, str | None, str]],
) -> None:
    path = build(tmp_path / name)
    with pytest.raises(FootprintError) as caught:
        read_bom(path)
    assert isinstance(caught.value, BomError | InputTooLargeError)
    problems = caught.value.problems
    for row, column, message in expected:
        matches = [
            p for p in problems if p.row == row and p.column == column and message in p.message
        ]
        assert matches, f"no problem at row {row}, column {column} with {message!r}: {problems}"
        assert all(Path(p.file or "").name == name for p in matches)
        if name.endswith(".xlsx") and row is not None:
            assert all(p.sheet in ("BOM", "Products") for p in matches)


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    with pytest.raises(InputTooLargeError, match="refused as a possible zip bomb"):
        read_bom(zip_bomb(tmp_path / "bomb.xlsx"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BomError, match="file not found"):
        read_bom(tmp_path / "nothing.xlsx")


@pytest.mark.parametrize(("case", "name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_command_exits_2_with_one_line_per_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    name: str,
    build: Callable[[Path], Path],
    expected: list[tuple[int | None, str | None, str]],
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = build(folder / name)
    before = path.read_bytes()
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(SystemExit) as done:
        main(["check", str(path)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"error: {name}") for line in lines), err
    assert "Traceback" not in err
    for row, column, message in expected:
        where = f"row {row}, column {column}: " if row is not None else ": "
        assert any(where in line and message in line for line in lines), (message, err)
    assert path.read_bytes() == before  # the input is never modified
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing  # nothing written


def test_problem_text_is_one_line(tmp_path: Path) -> None:
    path = bom(tmp_path / "bom.xlsx", [["a", None, "part", 1, "kgs", STEEL]])
    with pytest.raises(BomError) as caught:
        read_bom(path)
    assert str(caught.value) == (
        'bom.xlsx, sheet BOM, row 2, column unit: "kgs" is not a unit (did you mean "kg"?)'
    )


# Every "Bad input" case of input-formats.md §1 that reading can find, and the corpus files
# that pin it.  Unknown datasets and units that do not fit their dataset are found when lines
# are linked to the catalog: tests/bom/test_check_command.py pins those through `check`.
SPEC_CASES: dict[str, list[str]] = {
    "missing required column": ["missing-quantity-column", "missing-id-column",
                                "missing-dataset-column"],
    "empty file or sheet": ["empty-xlsx-file", "empty-csv-file", "empty-bom-sheet",
                            "header-only"],
    "unknown unit": ["unknown-unit"],
    "negative or non-numeric quantity": ["negative-quantity", "non-numeric-quantity"],
    "NaN/inf": ["nan-quantity", "inf-quantity"],
    "share outside 0–1 or R2 + R3 > 1": ["share-above-one", "share-percent-above-100",
                                         "r2-plus-r3-above-one"],
    "duplicate line id": ["duplicate-line-id"],
    "parent that does not exist": ["missing-parent"],
    "cycles in the hierarchy": ["cycle", "self-parent", "long-cycle"],
    "formulas without cached values": ["formula-without-value"],
    "merged cells": ["merged-cells"],
    "password-protected or corrupt files": ["password-protected", "corrupt-zip"],
    "spreadsheets far larger than their size suggests (zip bombs)": ["zip-bomb"],
    "files that are not spreadsheets at all": ["pdf-named-xlsx", "zip-not-a-workbook",
                                               "binary-csv"],
}  # fmt: skip


def test_every_reading_case_of_the_contract_has_corpus_files() -> None:
    names = {case[0] for case in CASES}
    for spec_case, files in SPEC_CASES.items():
        assert files and set(files) <= names, spec_case
