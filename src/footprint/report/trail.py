"""The audit trail in the workbook: hyperlinks an auditor can follow.

Each line's dataset cell on Lines links to that dataset's row on Data sources (an internal
link: it works offline, in Excel and LibreOffice), and each source URL on Data sources is a
real hyperlink.  The tables themselves are written by ``excel.py``; this module only adds the
links to cells already written.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy

from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from footprint.model import DatasetInfo, LineResult, ProductResult
from footprint.report._xlsx import FONT_NAME, GENERAL, Column, Value

DATA_SOURCES = "Data sources"
LINK_FONT = Font(name=FONT_NAME, color="0563C1", underline="single")  # the usual link look
_WEB_SCHEMES = ("https://", "http://")  # a user's file may hold anything: only web links


def data_source_rows(datasets: Sequence[DatasetInfo], header_row: int = 1) -> dict[str, int]:
    """Dataset id → its row on the Data sources sheet (one row per dataset, in order)."""
    return {d.id: header_row + 1 + i for i, d in enumerate(datasets)}


def link_datasets(
    ws: Worksheet,
    column: int,
    references: Sequence[str | None],
    datasets: Sequence[DatasetInfo],
    first_row: int = 2,
) -> None:
    """Link the cell of each row's dataset (``references``, one per data row from
    ``first_row``) to that dataset's row on Data sources."""
    rows = data_source_rows(datasets)
    _add_links(
        ws,
        column,
        [
            (first_row + i, None, f"'{DATA_SOURCES}'!A{rows[ref]}")
            for i, ref in enumerate(references)
            if ref is not None and ref in rows
        ],
    )


def link_urls(ws: Worksheet, column: int, urls: Sequence[str | None], first_row: int = 2) -> None:
    """Make each web URL in ``column`` (one per data row from ``first_row``) a hyperlink."""
    _add_links(
        ws,
        column,
        [
            (first_row + i, url.strip(), None)
            for i, url in enumerate(urls)
            if url and url.strip().lower().startswith(_WEB_SCHEMES)
        ],
    )


def _add_links(
    ws: Worksheet, column: int, links: Sequence[tuple[int, str | None, str | None]]
) -> None:
    """(row, external target, internal location) per link; the cell keeps its value and
    borders, its font becomes the hyperlink font (one style built per distinct cell style)."""
    styled: dict[tuple[int, ...], StyleArray] = {}
    for row, target, location in links:
        cell = ws.cell(row=row, column=column)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=location)
        key = tuple(cell._style or ())
        known = styled.get(key)
        if known is not None:
            cell._style = copy(known)
            continue
        cell.font = LINK_FONT
        styled[key] = copy(cell._style)


# -- the factor columns of the Lines sheet ---------------------------------------------------

SOURCE_ROW_HEADER = "Table / row in source"
DATASET_FACTOR_HEADER = "Factor per unit (kg CO2-eq, with its inputs)"
PRODUCTS_PER_FU = "Products per FU"
FACTOR_HEADER = "Factor per unit (kg CO2-eq)"
FACTOR_COLUMNS = (
    Column(PRODUCTS_PER_FU, GENERAL, width=10),
    Column(FACTOR_HEADER, GENERAL, width=14),
    Column("Factor fossil", GENERAL, width=12),
    Column("Factor biogenic", GENERAL, width=12),
    Column("Factor land use change", GENERAL, width=12),
    Column("Factor not split", GENERAL, width=12),
)
FACTOR_NOTE = (
    "The factor used: climate change of one reference unit (column Unit) of the line's "
    "dataset, with its upstream inputs, per part.  Climate change per FU = Quantity × Products "
    "per FU × Factor (under the CFF: the cut-off figure).  The dataset cell links to its row on "
    "Data sources."
)


def factor_values(product: ProductResult, line: LineResult) -> list[Value]:
    """The Lines sheet's trail cells of one line: products per FU and the five factor parts
    (empty for an assembly line, which has no dataset)."""
    score = line.unit_score
    if score is None:
        return [product.reference_flow, None, None, None, None, None]
    return [
        product.reference_flow, score.total, score.fossil, score.biogenic, score.luluc,
        score.not_split,
    ]  # fmt: skip


def annotate_lines(
    ws: Worksheet,
    columns: Sequence[Column],
    references: Sequence[str | None],
    datasets: Sequence[DatasetInfo],
) -> None:
    """On a written Lines sheet: the factor header's note and the dataset links."""
    headers = [c.header for c in columns]
    ws.cell(row=1, column=headers.index(FACTOR_HEADER) + 1).comment = Comment(
        FACTOR_NOTE, "footprint", width=360, height=120
    )
    link_datasets(ws, headers.index("Dataset") + 1, references, datasets)
