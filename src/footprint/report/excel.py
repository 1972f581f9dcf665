"""The Excel compliance workbook of an assessment: the document that travels to an auditor.

Sheets: Summary (key figures per product, native charts), Stages, Lines (tidy, filterable),
Circularity, Compliance, Data sources, Warnings.  Every figure is the assessment's own value,
stored as a number with a display format (see ``_xlsx`` for exactness and formula safety).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.label import DataLabelList
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from footprint.io import atomic_path
from footprint.memory import cyclic_gc_paused
from footprint.model import STAGES, Assessment, LineResult, ProductResult
from footprint.report import _xlsx as x
from footprint.report import trail
from footprint.report._xlsx import Column, Value
from footprint.report.basis import not_all_ef31
from footprint.report.impact_sheets import add_impact_sheets
from footprint.report.sourcing import add_sourcing_sheets
from footprint.report.summary import (
    STAGE_LABELS,
    check_counts,
    compliance_status,
    is_share,
    top_lines,
)
from footprint.report.uncertainty import add_uncertainty_sheet

SHEETS = ("Summary", "Stages", "Lines", "Circularity", "Compliance", "Data sources", "Warnings")

# Excel's own "Good", "Neutral" and "Bad" cell styles, so the colours read as Excel users expect.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "green": ("C6EFCE", "006100"),
    "pass": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "9C5700"),
    "insufficient data": ("FFEB9C", "9C5700"),
    "red": ("FFC7CE", "9C0006"),
    "fail": ("FFC7CE", "9C0006"),
    "neutral": ("EEEEEE", "555555"),  # no rule gives a verdict: grey, never green
    "declared": ("DDEBF7", "1F3864"),  # a value to declare, no verdict
    "indicator": ("E4DFEC", "3F3151"),  # informative, never a product pass or fail
}

TOP_LINES = 10
CUT_OFF_HEADER = "Cut-off figure (kg CO2-eq)"
CHART_ROWS = 17  # rows a chart covers, with a gap; two charts fit a landscape page
CHART_WIDTH_CM, CHART_HEIGHT_CM = 18, 7.5


def write_workbook(assessment: Assessment, path: Path) -> Path:
    """Write the workbook to ``path`` whole or not at all; return the path."""
    path = Path(path)
    workbook = build_workbook(assessment)
    with atomic_path(path) as tmp:
        workbook.save(tmp)
    return path


def build_workbook(assessment: Assessment) -> Workbook:
    with cyclic_gc_paused():  # many objects, few cycles: the collector's passes were ~40 %
        return _build_workbook(assessment)


def _build_workbook(assessment: Assessment) -> Workbook:
    workbook = x.ReportWorkbook()
    summary = workbook.active
    assert summary is not None
    summary.title = SHEETS[0]
    sheets = {name: workbook.create_sheet(name) for name in SHEETS[1:]}
    footer = f"footprint {assessment.tool_version}, {assessment.created:%Y-%m-%d %H:%M}"
    _summary(summary, assessment, footer)
    _stages(sheets["Stages"], assessment, footer)
    _lines(sheets["Lines"], assessment, footer)
    _circularity(sheets["Circularity"], assessment, footer)
    _compliance(sheets["Compliance"], assessment, footer)
    _data_sources(sheets["Data sources"], assessment, footer)
    _warnings(sheets["Warnings"], assessment, footer)
    add_sourcing_sheets(workbook, assessment, footer)  # Sourcing, Suppliers: when computed
    add_impact_sheets(workbook, assessment, footer)  # Impacts, Most relevant: with a profile
    add_uncertainty_sheet(workbook, assessment, footer)  # Uncertainty: with --iterations
    return workbook


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------

_FIRST_PRODUCT_COLUMN = 3  # Summary: figure, unit, then one column per product
_STAGE_FACT_OFFSET = 4  # the first stage's row among a product's facts
_WRAPPED_FACTS = ("Name", "Functional unit (FU)", "Checks", "BOM file")


def _product_facts(
    product: ProductResult, bases: Sequence[str] | None = None
) -> list[tuple[str, str, Value, str | None]]:
    """The Summary's rows for one product: (figure, unit, value, number format).  ``bases``:
    the GWP bases of every product in the table (so that all products have the same rows; a
    basis a product's lines do not rest on is a share of 0, no shares at all are empty)."""
    shares = product.gwp_basis_shares
    if bases is None:
        bases = list(shares)
    circ = product.circularity
    rc = circ.recycled_content if circ else None
    dq = product.data_quality
    cc = product.climate_change
    per_fu = f"{cc.unit} per FU"
    return [
        ("Name", "", product.name, None),
        ("Functional unit (FU)", "", product.functional_unit, None),
        ("Reference flow", "products per FU", product.reference_flow, x.GENERAL),
        ("Climate change", per_fu, cc.total, x.KG_CO2),
        *(
            (
                f"  {STAGE_LABELS[stage]}",
                per_fu,
                product.by_stage[stage].total if stage in product.by_stage else None,
                x.KG_CO2,
            )
            for stage in STAGES
        ),
        ("  Fossil", per_fu, cc.fossil, x.KG_CO2),
        ("  Biogenic", per_fu, cc.biogenic, x.KG_CO2),
        ("  Land use and land use change", per_fu, cc.luluc, x.KG_CO2),
        (
            "  Not split (the data give no fossil/biogenic/land-use split)",
            per_fu,
            cc.not_split,
            x.KG_CO2,
        ),  # fmt: skip
        *(
            (
                f"GWP basis {basis}",
                "share of Σ |line figure|",
                shares.get(basis, 0.0) if shares else None,
                x.SHARE,
            )
            for basis in bases
        ),
        ("GWP basis all EF 3.1", "", "no" if not_all_ef31(product) else "yes", None),
        ("Mass of one product", "kg", product.mass_kg, x.MASS),
        ("Recycled content", "share of mass", rc.share if rc else None, x.SHARE),
        (
            "  of which post-consumer",
            "share of mass",
            rc.post_consumer_share if rc else None,
            x.SHARE,
        ),
        (
            "Material Circularity Indicator",
            "0 linear … 1 circular",
            circ.mci.mci if circ and circ.mci else None,
            x.INDEX,
        ),
        ("Compliance", "", compliance_status(product), None),
        ("Checks", "", check_counts(product) or "no rules applied", None),
        ("Data quality rating (DQR)", "1 best … 5 worst", dq.dqr if dq else None, x.SCORE),
        ("Data quality level", "", dq.level if dq else None, None),
        ("End-of-life model", "", product.eol_model, None),
        ("Placed on market", "", product.placed_on_market, None),
        ("BOM file", "", product.source_file, None),
    ]


def _bases(products: Sequence[ProductResult]) -> list[str]:
    """Every GWP basis any product's lines rest on, sorted (each product's own are)."""
    return sorted({basis for p in products for basis in p.gwp_basis_shares})


def _summary(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    x.put(ws, 1, 1, "Product carbon footprint, circularity and compliance").font = x.TITLE_FONT
    method = assessment.method
    facts: list[tuple[str, Value]] = [
        ("Created (UTC)" if assessment.created.tzinfo else "Created", assessment.created),
        ("Tool", f"footprint {assessment.tool_version}"),
        ("Result schema version", assessment.schema_version),
        ("Impact method", method.name),
        *(
            (f"Method for {indicator}", " | ".join(tuple_))
            for indicator, tuple_ in method.indicators.items()
        ),
        ("Result unit", f"{method.unit} per functional unit (FU)"),
        ("Brightway project", assessment.brightway_project),
        ("Rules as of", assessment.as_of),
        ("Rule sets", ", ".join(assessment.rule_sets) or "none"),
        ("Datasets", "each dataset's source, licence, year and DQR: sheet 'Data sources'"),
    ]
    row = 3
    for label, value in facts:
        if value is None:
            continue
        x.put(ws, row, 1, label).font = x.LABEL_FONT
        x.put(ws, row, 2, value).alignment = Alignment(horizontal="left")
        row += 1

    products = assessment.products
    x.put(ws, row + 1, 1, "Products").font = x.SECTION_FONT
    header_row = row + 2
    _product_table(ws, header_row, products)
    last = header_row + (len(_product_facts(products[0], _bases(products))) if products else 0)

    row = last + 2
    x.put(
        ws, row, 1, f"Largest contributions (top {TOP_LINES} lines per product)"
    ).font = x.SECTION_FONT
    top_columns = [
        Column("Product"),
        Column("Line path"),
        Column("Name"),
        Column("Climate change per FU", x.KG_CO2, width=22),
        Column("Share of product", x.SHARE, width=12),
    ]
    top_header = row + 1
    blocks: list[tuple[ProductResult, int, int]] = []
    rows: list[list[Value]] = []
    for product in products:
        lines = top_lines(product, TOP_LINES)
        if lines:
            start = top_header + 1 + len(rows)
            blocks.append((product, start, start + len(lines) - 1))
        rows.extend(
            [product.id, line.path, line.name, line.climate_change.total, line.share]
            for line in lines
        )
    last = x.write_table(ws, top_header, top_columns, rows)

    charts: list[ChartBase] = []
    if products:
        stage_row = header_row + 1 + _STAGE_FACT_OFFSET
        charts.append(_stage_chart(ws, header_row, stage_row, len(products)))
    charts.extend(_top_lines_charts(ws, blocks))
    chart_row = last + 2
    breaks = []
    for k, chart in enumerate(charts):
        if k % 2 == 0:  # printed two to a page, never cut in half
            breaks.append(Break(id=chart_row - 1))
        ws.add_chart(chart, f"A{chart_row}")
        chart_row += CHART_ROWS
    ws.row_breaks.brk = [*ws.row_breaks.brk, *breaks]  # once: openpyxl's append is quadratic
    x.print_setup(ws, footer=footer)


def _product_table(ws: Worksheet, header_row: int, products: Sequence[ProductResult]) -> None:
    """One row per figure, one column per product: reads like a data sheet, prints on a page."""
    headers = ["Figure", "Unit", *(p.id for p in products)]
    for j, header in enumerate(headers, 1):
        x.style(x.put(ws, header_row, j, header), font=x.HEADER_FONT, fill=x.HEADER_FILL,
                border=x.GRID)  # fmt: skip
    if not products:
        return
    bases = _bases(products)
    facts = [_product_facts(product, bases) for product in products]
    compliance_row = None
    formats: list[dict[int, str]] = []
    rows: list[list[Value]] = []
    for i, (label, unit, _value, number_format) in enumerate(facts[0], 1):
        row = header_row + i
        for column, text in ((1, label), (2, unit)):
            x.style(x.put(ws, row, column, text), border=x.GRID, alignment=x.TOP)
        if not label.startswith(" "):
            x.style(ws.cell(row=row, column=1), font=x.LABEL_FONT)
        if label == "Compliance":
            compliance_row = row
        values = [product_facts[i - 1][2] for product_facts in facts]
        rows.append(values)
        formats.append(dict.fromkeys(range(len(products)), number_format) if number_format else {})
        if label in _WRAPPED_FACTS:
            length = max((len(v) for v in values if isinstance(v, str)), default=0)
            lines = min(-(-length // 22), 6)  # ceiling division: lines of 22 characters
            if lines > 1:
                x.set_row_height(ws, row, 15 * lines)
    # the figures: each cell as put + (GRID, TOP_WRAPPED) makes it, written from the rows
    columns = [Column(p.id, wrap=True) for p in products]
    x.write_cells(ws, header_row + 1, columns, rows, left=_FIRST_PRODUCT_COLUMN,
                  row_formats=formats)  # fmt: skip
    if compliance_row is not None:
        for j, product in enumerate(products, _FIRST_PRODUCT_COLUMN):
            _paint_status(ws.cell(row=compliance_row, column=j), compliance_status(product))
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 22
    for j in range(len(products)):
        ws.column_dimensions[get_column_letter(_FIRST_PRODUCT_COLUMN + j)].width = 24


# the fill and font of each status, built once (``x.style`` caches by object)
_STATUS_LOOK: dict[str, tuple[PatternFill, Font]] = {
    status: (PatternFill("solid", fgColor=fill), Font(name=x.FONT_NAME, bold=True, color=font))
    for status, (fill, font) in STATUS_STYLE.items()
}


def _paint_status(cell: Cell, status: str) -> None:
    if status in _STATUS_LOOK:
        fill, font = _STATUS_LOOK[status]
        x.style(cell, fill=fill, font=font)


def _chart_look(chart: BarChart) -> BarChart:
    """The size and axes every Summary chart shares."""
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.y_axis.number_format = "#,##0.0"
    chart.x_axis.tickLblPos = "low"  # category labels clear of negative bars
    return chart


def _top_lines_charts(
    ws: Worksheet, blocks: Sequence[tuple[ProductResult, int, int]]
) -> list[ChartBase]:
    """One chart per product (its rows first … last of the top-lines table).  In a workbook
    saved by ``_xlsx.save`` all but the first are stamps of the first (the same chart but
    for its title and cell ranges), so thousands of charts are not built one by one."""
    charts: list[ChartBase] = []
    template: BarChart | None = None
    texts: list[str] = []
    for product, first, last in blocks:
        build = partial(_top_lines_chart, ws, product, first, last)
        if template is None or not isinstance(ws.parent, x.ReportWorkbook):
            charts.append(build())
            if template is None:
                template, texts = charts[0], _top_lines_texts(ws, blocks[0])
            continue
        mine = _top_lines_texts(ws, (product, first, last))
        charts.append(x.ChartStamp(template, dict(zip(texts, mine, strict=True)), build))
    return charts


def _top_lines_texts(ws: Worksheet, block: tuple[ProductResult, int, int]) -> list[str]:
    """The texts of a top-lines chart's XML that differ from product to product."""
    product, first, last = block
    return [
        _top_lines_title(product),
        x.cell_range(ws, 2, first, last),
        x.cell_range(ws, 4, first, last),
    ]


def _top_lines_title(product: ProductResult) -> str:
    return f"Largest contributions: {product.id}"


def _stage_chart(ws: Worksheet, header_row: int, first_stage_row: int, n: int) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Climate change by life-cycle stage"
    chart.y_axis.title = "kg CO2-eq per FU"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    last_col = _FIRST_PRODUCT_COLUMN + n - 1
    for k, stage in enumerate(STAGES):
        values = Reference(
            ws, min_col=_FIRST_PRODUCT_COLUMN, max_col=last_col, min_row=first_stage_row + k
        )
        chart.series.append(Series(values, title=STAGE_LABELS[stage]))
    chart.set_categories(
        Reference(ws, min_col=_FIRST_PRODUCT_COLUMN, max_col=last_col, min_row=header_row)
    )
    return _chart_look(chart)


def _top_lines_chart(ws: Worksheet, product: ProductResult, first: int, last: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = _top_lines_title(product)
    chart.y_axis.title = "kg CO2-eq per FU"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # largest at the top, as in the table
    chart.legend = None
    chart.add_data(Reference(ws, min_col=4, min_row=first, max_row=last))
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
    chart.x_axis.tickLblSkip = 1  # every bar named, never every other one
    chart.x_axis.tickMarkSkip = 1
    labels = DataLabelList()  # every bar's figure written at its end
    labels.showVal = True
    for hidden in ("showSerName", "showCatName", "showLegendKey", "showPercent", "showLeaderLines"):
        setattr(labels, hidden, False)
    chart.dataLabels = labels
    return _chart_look(chart)


# --------------------------------------------------------------------------------------------
# Tidy sheets
# --------------------------------------------------------------------------------------------


def _stages(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Product"),
        Column("Product name", width=28, wrap=True),
        Column("Stage"),
        Column("Climate change per FU", x.KG_CO2, width=14),
        Column("Fossil", x.KG_CO2, width=12),
        Column("Biogenic", x.KG_CO2, width=12),
        Column("Land use change", x.KG_CO2, width=12),
        Column("Not split", x.KG_CO2, width=12),
        Column("Unit", width=11, unit=True),
    ]
    rows = [
        [
            p.id,
            p.name,
            STAGE_LABELS[stage],
            cc.total,
            cc.fossil,
            cc.biogenic,
            cc.luluc,
            cc.not_split,
            cc.unit,
        ]  # fmt: skip
        for p in assessment.products
        for stage in STAGES
        if (cc := p.by_stage.get(stage)) is not None
    ]
    x.tidy_table(ws, columns, rows, footer)


CUT_OFF_NOTE = (
    "End-of-life model CFF: a material line's figure is its Circular Footprint Formula figure, "
    "which spans raw materials and end of life, and an end-of-life line the CFF replaces counts "
    "0, so the lines add up to the product total.  Summing lines by Stage differs from the "
    "Stages sheet by the CFF end-of-life parts.  This column: each line under the cut-off model."
)


def _lines(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    # each product's line objects built once (``LineColumns`` builds them on every pass)
    lines_of = [(p, list(p.lines)) for p in assessment.products]
    extra_keys = sorted({k for _p, lines in lines_of for line in lines for k in line.extra})
    # the cut-off figure beside the model's figure, for products under the CFF
    with_cut_off = any(p.eol_model == "cff" for p in assessment.products)
    with_notes = any(line.note for _p, lines in lines_of for line in lines)
    columns = [
        Column("Product"),
        Column("Line"),
        Column("Line path"),
        Column("Depth", x.GENERAL, width=7),
        Column("Name", width=30, wrap=True),
        Column("Dataset"),
        Column("Dataset name", width=30, wrap=True),
        Column("Quantity", x.GENERAL, width=12),
        Column("Unit", width=8, unit=True),
        Column("BOM quantity", x.GENERAL, width=12),
        Column("BOM unit", width=8, unit=True),
        Column("Mass (kg)", x.MASS, width=11),
        Column("Stage"),
        *trail.FACTOR_COLUMNS,
        Column("Climate change per FU (kg CO2-eq)", x.KG_CO2, width=16),
        Column("Fossil", x.KG_CO2, width=12),
        Column("Biogenic", x.KG_CO2, width=12),
        Column("Land use change", x.KG_CO2, width=12),
        Column("Not split", x.KG_CO2, width=12),
        Column("Share of product", x.SHARE, width=11),
        *([Column(CUT_OFF_HEADER, x.KG_CO2, width=16)] if with_cut_off else []),
        *([Column("Note", width=40, wrap=True)] if with_notes else []),
        Column("Material"),
        Column("Recycled content", x.SHARE, width=11),
        Column("Country", width=9),
        Column("Supplier"),
        Column("Smelter id"),
        Column("Certification"),
        Column("BOM row", x.GENERAL, width=8),
        *(Column(key) for key in extra_keys),
    ]
    rows = [
        [
            p.id,
            line.id,
            line.path,
            line.depth,
            line.name,
            line.dataset,
            line.dataset_name,
            line.quantity,
            line.unit,
            line.bom_quantity,
            line.bom_unit,
            line.mass_kg,
            STAGE_LABELS[line.stage],
            *trail.factor_values(p, line),
            line.climate_change.total,
            line.climate_change.fossil,
            line.climate_change.biogenic,
            line.climate_change.luluc,
            line.climate_change.not_split,
            line.share,
            *([_cut_off_figure(p, line)] if with_cut_off else []),
            *([line.note] if with_notes else []),
            line.material,
            line.recycled_content,
            line.country,
            line.supplier,
            line.smelter_id,
            line.certification,
            line.row,
            *(line.extra.get(key) for key in extra_keys),
        ]
        for p, lines in lines_of
        for line in lines
    ]
    x.tidy_table(ws, columns, rows, footer)
    trail.annotate_lines(
        ws,
        columns,
        [line.dataset for _p, lines in lines_of for line in lines],
        assessment.datasets,
    )
    # printed in three column groups (what the line is | its figures | circularity and
    # sourcing), each page with the product and line: legible, not 30 columns on one page
    headers = [c.header for c in columns]
    starts = [headers.index(h) + 1 for h in LINES_PRINT_GROUPS if h in headers]
    x.print_in_groups(ws, starts, repeat=2)
    if with_cut_off:
        header = ws.cell(row=1, column=[c.header for c in columns].index(CUT_OFF_HEADER) + 1)
        header.comment = Comment(CUT_OFF_NOTE, "footprint", width=360, height=140)


# the first column of each printed group after the first (Note: only when a line has one)
LINES_PRINT_GROUPS = ("Stage", "Note", "Material")


def _cut_off_figure(product: ProductResult, line: LineResult) -> float | None:
    """A CFF product's line under the cut-off model: its kept cut-off figure, else its own."""
    if product.eol_model != "cff":
        return None
    return (line.climate_change_cut_off or line.climate_change).total


# The circularity tables, each a tidy sheet of its own (frozen header, filter) in this order
CIRCULARITY_SHEETS = ("Circularity", "MCI", "CFF", "CFF lines", "CFF parameters")


def _circularity(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    """Recycled content on the Circularity sheet; MCI and the CFF (per product, per material
    line, parameters) on sheets of their own after it, each one filterable table."""
    circular = [(p, p.circularity) for p in assessment.products if p.circularity is not None]
    if not circular:
        x.put(ws, 1, 1, "Circularity").font = x.TITLE_FONT
        x.put(ws, 3, 1, "No circularity results in this assessment.")
        x.print_setup(ws, footer=footer)
        return
    # (sheet, title, columns, rows)
    sections: list[tuple[str, str, list[Column], list[list[Value]]]] = []

    recycled: list[list[Value]] = []
    for p, circ in circular:
        rc = circ.recycled_content
        recycled.append(
            [p.id, "product", p.id, rc.share, rc.post_consumer_share, None, rc.recyclable_share]
        )
        for material, share in rc.by_material.items():
            recycled.append(
                [
                    p.id,
                    "material",
                    material,
                    share,
                    rc.by_material_post_consumer.get(material),
                    None,
                    None,
                ]
            )
        for element, share in rc.by_element.items():
            recycled.append(
                [
                    p.id,
                    "element",
                    element,
                    share,
                    rc.by_element_post_consumer.get(element),
                    rc.element_mass_kg.get(element),
                    None,
                ]
            )
    sections.append(
        (
            "Circularity",
            "Recycled content (share of mass)",
            [
                Column("Product"),
                Column("Scope"),
                Column("Material or element"),
                Column("Recycled share (R1)", x.SHARE, width=12),
                Column("Post-consumer share", x.SHARE, width=12),
                Column("Element mass (kg)", x.MASS, width=12),
                Column("Recyclable share (R2)", x.SHARE, width=12),
            ],
            recycled,
        )
    )

    mci_rows: list[list[Value]] = [
        [
            p.id,
            m.mci,
            m.mass_kg,
            m.virgin_kg,
            m.unrecoverable_waste_kg,
            m.linear_flow_index,
            m.utility,
            m.utility_factor,
        ]
        for p, circ in circular
        if (m := circ.mci) is not None
    ]
    if mci_rows:
        sections.append(
            (
                "MCI",
                "Material Circularity Indicator (Ellen MacArthur Foundation 2015)",
                [
                    Column("Product"),
                    Column("MCI", x.INDEX),
                    Column("Mass M (kg)", x.MASS),
                    Column("Virgin V (kg)", x.MASS),
                    Column("Unrecoverable waste W (kg)", x.MASS),
                    Column("Linear flow index LFI", x.INDEX),
                    Column("Utility X", x.INDEX),
                    Column("F(X) = 0.9/X", x.INDEX),
                ],
                mci_rows,
            )
        )

    cff_products = [(p, circ.cff) for p, circ in circular if circ.cff is not None]
    if cff_products:
        sections.append(
            (
                "CFF",
                "Circular Footprint Formula per product (kg CO2-eq per FU)",
                [
                    Column("Product"),
                    Column("End-of-life model"),
                    Column("Material part", x.KG_CO2),
                    Column("Energy part", x.KG_CO2),
                    Column("Disposal part", x.KG_CO2),
                    Column("CFF total of material lines", x.KG_CO2),
                    Column("Product total, cut-off", x.KG_CO2),
                    Column("Product total, CFF", x.KG_CO2),
                ],
                [
                    [
                        p.id,
                        p.eol_model,
                        c.material_part,
                        c.energy_part,
                        c.disposal_part,
                        c.total,
                        c.cut_off_total,
                        c.cff_total,
                    ]
                    for p, c in cff_products
                ],
            )
        )
        sections.append(
            (
                "CFF lines",
                "Circular Footprint Formula per material line (kg CO2-eq per FU)",
                [
                    Column("Product"),
                    Column("Line"),
                    Column("Line path"),
                    Column("Material"),
                    Column("Mass (kg)", x.MASS),
                    Column("Virgin (1−R1)·Ev", x.KG_CO2),
                    Column("Recycled input R1·(A·Erec + (1−A)·Ev·Qsin/Qp)", x.KG_CO2),
                    Column("Recycling credit (1−A)·R2·(ErecEoL − E*v·Qsout/Qp)", x.KG_CO2),
                    Column("Material part", x.KG_CO2),
                    Column("Energy part", x.KG_CO2),
                    Column("Disposal part", x.KG_CO2),
                    Column("Total", x.KG_CO2),
                ],
                [
                    [
                        p.id,
                        ln.line,
                        ln.path,
                        ln.material,
                        ln.mass_kg,
                        ln.virgin,
                        ln.recycled_input,
                        ln.recycling_credit,
                        ln.material_part,
                        ln.energy_part,
                        ln.disposal_part,
                        ln.total,
                    ]
                    for p, c in cff_products
                    for ln in c.lines
                ],
            )
        )
        sections.append(
            (
                "CFF parameters",
                "CFF parameters used and their origin",
                [
                    Column("Product"),
                    Column("Line"),
                    Column("Line path"),
                    Column("Parameter"),
                    Column("Value", x.GENERAL),
                    Column("Origin"),
                    Column("Source", width=40, wrap=True),
                ],
                [
                    [p.id, ln.line, ln.path, name, par.value, par.origin, par.source]
                    for p, c in cff_products
                    for ln in c.lines
                    for name, par in ln.parameters.items()
                ],
            )
        )

    workbook = ws.parent
    position = workbook.index(ws)
    for k, (name, title, columns, rows) in enumerate(sections):
        sheet = ws if k == 0 else workbook.create_sheet(name, position + k)
        x.tidy_table(sheet, columns, rows, footer, title=title)


def _compliance(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Product"),
        Column("Rule set"),
        Column("Rule"),
        Column("Title", width=26, wrap=True),
        Column("Kind"),
        Column("Status", width=12),
        Column("Value", x.GENERAL, width=12),
        Column("Limit", x.GENERAL, width=12),
        Column("Unit", width=12, unit=True),
        Column("Margin", x.GENERAL, width=12),
        Column("Margin (%)", x.PERCENT_POINTS, width=10),
        Column("Regulation", width=26, wrap=True),
        Column("Article", width=12),
        Column("URL", width=30, wrap=True),
        Column("Explanation", width=50, wrap=True),
        Column("Drivers", x.GENERAL, width=8),
    ]
    checks = [(p, c) for p in assessment.products for c in p.checks]
    rows: list[list[Value]] = []
    formats: list[dict[int, str]] = []
    for p, c in checks:
        rows.append(
            [
                p.id,
                c.rule_set,
                c.rule,
                c.title,
                c.kind,
                c.status,
                c.value,
                c.limit,
                c.unit,
                c.margin,
                c.margin_percent,
                c.source.regulation,
                c.source.article,
                c.source.url,
                c.explanation,
                len(c.drivers) or None,
            ]
        )
        # a share reads as a percentage; any other figure with four significant digits
        # (0.03035 kg CO2-eq/kWh, a DQR of 1.896), never 0.0000 nor 0.0300274997998
        if is_share(c.unit):
            formats.append({6: x.SHARE, 7: x.SHARE, 9: x.SHARE})
        else:
            formats.append({6: x.SIGNIFICANT, 7: x.SIGNIFICANT, 9: x.SIGNIFICANT})
    last = x.tidy_table(ws, columns, rows, footer, formats)
    for i, (_p, c) in enumerate(checks):
        _paint_status(ws.cell(row=2 + i, column=6), c.status)

    declared = [(p, c, label, part) for p, c in checks for label, part in c.by_stage.items()]
    if declared:
        row = last + 3
        x.put(ws, row, 1, "Declared values by life-cycle stage").font = x.SECTION_FONT
        stage_columns = [
            Column("Product"),
            Column("Rule"),
            Column("Stage (the regulation's name)", width=40),
            Column("Value", x.SIGNIFICANT, width=12),
            Column("Unit", width=14, unit=True),
        ]
        stage_rows: list[list[Value]] = [
            [p.id, c.rule, label, part, c.unit] for p, c, label, part in declared
        ]
        last = x.write_table(ws, row + 1, stage_columns, stage_rows)
    drivers = [(p, c, d) for p, c in checks for d in c.drivers]
    if drivers:
        row = last + 3
        x.put(ws, row, 1, "Drivers: the BOM lines behind each check's result").font = x.SECTION_FONT
        driver_columns = [
            Column("Product"),
            Column("Rule set"),
            Column("Rule"),
            Column("Line"),
            Column("Line path"),
            Column("Value", x.GENERAL),
            Column("Unit", unit=True),
            Column("Note"),
        ]
        driver_rows: list[list[Value]] = [
            [p.id, c.rule_set, c.rule, d.line, d.path, d.value, d.unit, d.note]
            for p, c, d in drivers
        ]
        x.write_table(ws, row + 1, driver_columns, driver_rows)
        x.fit_columns(ws, driver_columns, driver_rows)


def _data_sources(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Dataset"),
        Column("Name", width=36, wrap=True),
        Column("Unit", width=8, unit=True),
        Column(trail.DATASET_FACTOR_HEADER, x.GENERAL, width=14),
        Column("Source", width=30, wrap=True),
        Column(trail.SOURCE_ROW_HEADER, width=24, wrap=True),
        Column("Licence", width=14),
        Column("URL", width=36, wrap=True),
        Column("Year", x.GENERAL, width=7),
        Column("Geography", width=10),
        Column("DQR", x.SCORE, width=7),
        Column("GWP basis", width=9),
        Column("Notes", width=40, wrap=True),
        Column("Upstream input of", width=24, wrap=True),
    ]
    rows = [
        [
            d.id,
            d.name,
            d.unit,
            d.unit_score.total if d.unit_score else None,
            d.source,
            d.source_row,
            d.license,
            d.url,
            d.year,
            d.geography,
            d.dqr,
            d.gwp_basis,
            d.notes,
            ", ".join(d.input_of) or None,
        ]
        for d in assessment.datasets
    ]
    x.tidy_table(ws, columns, rows, footer)
    trail.link_urls(
        ws, [c.header for c in columns].index("URL") + 1, [d.url for d in assessment.datasets]
    )


def _warnings(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Product"),
        Column("Message", width=70, wrap=True),
        Column("File"),
        Column("Sheet"),
        Column("Row", x.GENERAL, width=6),
        Column("Column"),
    ]
    rows = [[w.product, w.message, w.file, w.sheet, w.row, w.column] for w in assessment.warnings]
    x.tidy_table(ws, columns, rows, footer)
