"""Any table either reads or raises ``BomError``: never another exception."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.bom import flatten, read_bom
from footprint.bom.reader import parse_sheets
from footprint.bom.sheets import RawSheet
from footprint.bom.summary import summarise
from footprint.errors import BomError, FootprintError

HEADERS = [
    "product", "id", "parent", "name", "quantity", "Qty [g]", "unit", "dataset", "stage",
    "mass_per_piece", "recycled_content", "recycled_content_post_consumer",
    "eol_recycling_rate", "eol_energy_recovery_rate", "cff_a", "cff_lhv", "country",
    "supplier", "Colour", "mass", "reference_flow", "placed_on_market", "eol_model",
    "energy_kwh", "",
]  # fmt: skip
TEXTS = [
    "a", "b", "c", "p1", "p2", "12 g", "1,5 kg", "1,500", "kg", "kgs", "pcs", "piece", "kWh",
    "t*km", "35 %", "135 %", "raw", "eol", "use", "nan", "inf", "-1", "0", "DE", "Germany",
    "cut-off", "cff", "2030-01-01", "soon", "material-steel-primary", "=SUM(A1)", " ", "m²",
]  # fmt: skip

cells = st.one_of(
    st.none(),
    st.sampled_from(TEXTS),
    st.text(max_size=8),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)


@st.composite
def tables(draw: Any) -> list[list[Any]]:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=8))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=8))
    return [list(header), *rows] if draw(st.booleans()) or rows else rows


def _read(bom_rows: list[list[Any]], products_rows: list[list[Any]] | None) -> None:
    bom = RawSheet("BOM", "bom.xlsx", [[_clean(c) for c in row] for row in bom_rows])
    products = (
        RawSheet("Products", "bom.xlsx", [[_clean(c) for c in r] for r in products_rows])
        if products_rows is not None
        else None
    )
    try:
        result = parse_sheets(bom, products, path=Path("bom.xlsx"))
    except BomError as error:
        assert error.problems and all(p.message for p in error.problems)
        return
    for product in result.products:  # a file that reads is a valid tree with a summary
        assert len(flatten(product)) == len(product.lines)
        summarise(product)


def _clean(cell: Any) -> Any:
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bom=tables(), products=st.one_of(st.none(), tables()))
def test_any_table_reads_or_raises_bom_error(
    bom: list[list[Any]], products: list[list[Any]] | None
) -> None:
    _read(bom, products)


line_rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d", None]),  # id
        st.sampled_from([None, None, None, "a", "b", "x"]),  # parent
        st.one_of(st.floats(min_value=-1, max_value=1e6), st.sampled_from(["12 g", "2", "abc"])),
        st.sampled_from(["kg", "piece", "pcs", "kWh", "kgs", None]),  # unit
        st.sampled_from(["material-steel-primary", None]),  # dataset
        st.sampled_from([None, "0.3", "35 %", "1.5"]),  # recycled_content
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(rows=line_rows)
def test_any_line_shaped_table_reads_or_raises_bom_error(rows: list[tuple[Any, ...]]) -> None:
    header = ["id", "parent", "quantity", "unit", "dataset", "recycled_content"]
    _read([header, *map(list, rows)], None)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_any_csv_text_reads_or_raises_bom_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom.csv"
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(BomError):
            read_bom(path)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(TEXTS), max_size=6), max_size=6))
def test_any_csv_table_reads_or_raises_bom_error(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["id", "parent", "quantity", "unit", "dataset"], *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        with contextlib.suppress(BomError):
            read_bom(path)


@settings(max_examples=80, deadline=None)
@given(
    magic=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", b"id,"]),
    body=st.binary(max_size=400),
    suffix=st.sampled_from([".xlsx", ".csv", ".xls"]),
)
def test_any_bytes_read_or_raise_a_footprint_error(magic: bytes, body: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bom{suffix}"
        path.write_bytes(magic + body)
        with contextlib.suppress(FootprintError):
            read_bom(path)


def _small_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "BOM"
    sheet.append(["id", "quantity", "unit", "dataset"])
    sheet.append(["a", 1, "kg", "material-steel-primary"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SMALL_WORKBOOK = _small_workbook()


@settings(max_examples=150, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, len(SMALL_WORKBOOK) - 1), st.integers(1, 255)),
                      min_size=1, max_size=4))  # fmt: skip
def test_damaged_workbooks_read_or_raise_a_footprint_error(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SMALL_WORKBOOK)
    for position, mask in flips:
        data[position] ^= mask
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom.xlsx"
        path.write_bytes(bytes(data))
        with contextlib.suppress(FootprintError):
            read_bom(path)
