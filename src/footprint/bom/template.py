"""The BOM template workbook, and the writer the examples use for the same layout.

``footprint template OUT.xlsx`` writes it; ``templates/bom-template.xlsx`` is the same workbook
(a test keeps them equal).  Every header has a comment explaining it; ``stage``, ``unit`` and
``eol_model`` have drop-down lists; the header row is frozen.  The template also gets a
Datasets sheet, lists that reject bad entries and a print layout (``template_guides``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from footprint.io import atomic_path
from footprint.model import Stage

BOM_HEADERS: dict[str, str] = {
    "product": "Product id. Rows with the same id form one product. Needed when the sheet "
    "holds several products.",
    "id": "Line id, unique within its product (e.g. a part number). Required.",
    "parent": "Id of the assembly line this line belongs to; blank = top level. Quantities "
    "below an assembly are per one assembly.",
    "name": "Human description of the line.",
    "quantity": 'Amount per one parent assembly (or per product). A number, or "12 g" with the '
    "unit inside. Required.",
    "unit": "Unit of the quantity: g, kg, t, lb, piece, m, m2, l, kWh, MJ, t*km … Required "
    "unless written in the quantity cell.",
    "dataset": "Dataset id from footprint's datasets (footprint datasets search …), your own "
    "dataset file, or <brightway database>::<activity code>. Required for lines without "
    "sub-lines.",
    "stage": "PEF life-cycle stage: raw materials, manufacturing, distribution, use, end of "
    "life. Blank: raw materials at the top level, else the parent's stage.",
    "mass_per_piece": 'Mass of one piece (e.g. "3.2 g") when the unit is piece and the dataset '
    "is per kg. A bare number is kg.",
    "recycled_content": 'R1: share of recycled input, 0–1 or "35 %".',
    "recycled_content_post_consumer": "The post-consumer part of R1 (a share of the line's "
    "mass, at most R1).",
    "eol_recycling_rate": "R2: share recycled at end of life, 0–1.",
    "eol_energy_recovery_rate": "R3: share sent to energy recovery at end of life, 0–1. "
    "R2 + R3 ≤ 1.",
    "cff_a": "A: CFF allocation factor (0.2–0.8). Blank: the default of the dataset's material.",
    "country": "ISO 3166 alpha-2 country of origin, e.g. DE, CN.",
    "supplier": "Supplier name, carried to the outputs.",
    "smelter_id": "Smelter identifier (e.g. RMI CID), carried to the outputs.",
    "certification": "Certification or declaration reference, carried to the outputs.",
}

PRODUCT_HEADERS: dict[str, str] = {
    "product": "Product id, as in the product column of the BOM sheet. Required.",
    "name": "Product name.",
    "functional_unit": 'What the result is per, e.g. "1 lamp used for 5 years".',
    "reference_flow": "Products per functional unit. Default 1.",
    "category": "Product category; selects the rule sets (e.g. ev-battery, lmt-battery, "
    "weee-6-small-it, packaging-plastic-beverage-bottle).",
    "placed_on_market": "Date the product is placed on the market (YYYY-MM-DD); selects which "
    "targets are in force.",
    "lifetime": "L: service life in years.",
    "mass": 'Declared mass (kg, or e.g. "1.2 kg"); warned about when it differs from the BOM '
    "by more than 5 %.",
    "energy_kwh": "Total energy delivered over the service life, kWh (batteries).",
    "usable_capacity_kwh": "Usable capacity, kWh (batteries).",
    "cycles_per_year": "Full equivalent cycles per year (batteries).",
    "service_life_years": "Service life in years (batteries).",
    "eol_model": "End-of-life model: cut-off (default) or cff (Circular Footprint Formula).",
}

STAGE_CHOICES = [stage.value for stage in Stage]
UNIT_CHOICES = ["kg", "g", "t", "lb", "piece", "kWh", "MJ", "t*km", "m", "m2", "m3", "l", "ml"]
EOL_MODEL_CHOICES = ["cut-off", "cff"]

# the example product of the template: a desk lamp
EXAMPLE_LINES: list[dict[str, Any]] = [
    {"product": "desk-lamp", "id": "lamp", "name": "Desk lamp", "quantity": 1, "unit": "piece"},
    {"product": "desk-lamp", "id": "arm", "parent": "lamp", "name": "Arm, extruded aluminium",
     "quantity": 0.42, "unit": "kg", "dataset": "material-aluminium-primary",
     "recycled_content": "35 %", "eol_recycling_rate": 0.9, "country": "DE"},
    {"product": "desk-lamp", "id": "base", "parent": "lamp", "name": "Base, steel",
     "quantity": "650 g", "dataset": "material-steel-primary", "recycled_content": 0.2},
    {"product": "desk-lamp", "id": "screw", "parent": "lamp", "name": "Screws M4",
     "quantity": 6, "unit": "piece", "dataset": "material-steel-primary",
     "mass_per_piece": "3.2 g"},
    {"product": "desk-lamp", "id": "assembly", "parent": "lamp", "name": "Assembly electricity",
     "quantity": 0.8, "unit": "kWh", "dataset": "electricity-grid-DE",
     "stage": "manufacturing"},
    {"product": "desk-lamp", "id": "truck", "name": "Truck to the retailer", "quantity": 0.6,
     "unit": "t*km", "dataset": "freight-lorry-average", "stage": "distribution"},
    {"product": "desk-lamp", "id": "use", "name": "Electricity, 5 years of use", "quantity": 45,
     "unit": "kWh", "dataset": "electricity-grid-DE", "stage": "use"},
    {"product": "desk-lamp", "id": "eol-metal", "name": "Metals recycled", "quantity": 1.09,
     "unit": "kg", "dataset": "eol-mixed-metals-recycling", "stage": "end of life"},
]  # fmt: skip

EXAMPLE_PRODUCTS: list[dict[str, Any]] = [
    {"product": "desk-lamp", "name": "Desk lamp DL-1", "functional_unit": "1 lamp used 5 years",
     "reference_flow": 1, "category": "weee-5-small", "lifetime": 5,
     "mass": "1.09 kg", "eol_model": "cut-off"},
]  # fmt: skip

INSTRUCTIONS = [
    "How to fill in this BOM template",
    "",
    "1. Sheet BOM: one row per line of your bill of materials. Replace the example desk lamp "
    "with your own lines. Hover over a header to see what the column means.",
    "2. For each line, give a quantity and unit (or write both in the quantity cell, e.g. "
    '"650 g"), and pick a dataset: click the dataset cell and choose from the list. Sheet '
    "Datasets lists every shipped dataset with its unit, its climate change per unit and its "
    "source; filter it by name or material (e.g. type steel in the name filter).",
    "3. No dataset fits? Use your own dataset file (footprint assess --datasets my-factors.csv) "
    "or a Brightway activity (database::code); the list warns, and you can keep your entry.",
    "4. Assemblies: give a line a parent to put it under an assembly. Quantities below an "
    "assembly are per one assembly.",
    "5. stage and unit offer lists; an entry not in a list is refused. Blank stage: raw "
    "materials at the top level, else the parent's stage.",
    "6. Sheet Products (optional): name, functional unit, category (from the list: it selects "
    "the rules that apply), date placed on the market, declared mass.",
    "7. Check the file, then assess it:",
    "      footprint check my-bom.xlsx",
    "      footprint assess my-bom.xlsx --rules eu-battery-regulation --xlsx report.xlsx",
    "",
    "Columns footprint does not know are kept and passed through to the outputs. Headers are "
    'matched ignoring case, spaces and underscores; "Quantity [kg]" gives the column a default '
    "unit.",
]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def bom_workbook(
    lines: Sequence[dict[str, Any]],
    products: Sequence[dict[str, Any]],
    *,
    bom_headers: Sequence[str] | None = None,
    instructions: Sequence[str] = INSTRUCTIONS,
) -> Workbook:
    """A BOM workbook in the template's layout holding ``lines`` and ``products``."""
    workbook = Workbook()
    bom = workbook.active
    assert bom is not None  # a new openpyxl workbook always has one sheet
    bom.title = "BOM"
    headers = list(bom_headers or BOM_HEADERS)
    _fill(bom, headers, BOM_HEADERS, lines)
    _choices(bom, headers, "stage", STAGE_CHOICES, len(lines))
    _choices(bom, headers, "unit", UNIT_CHOICES, len(lines))
    if products:
        sheet = workbook.create_sheet("Products")
        product_headers = list(PRODUCT_HEADERS)
        _fill(sheet, product_headers, PRODUCT_HEADERS, products)
        _choices(sheet, product_headers, "eol_model", EOL_MODEL_CHOICES, len(products))
    if instructions:
        notes = workbook.create_sheet("Instructions")
        notes.column_dimensions["A"].width = 110
        for index, text in enumerate(instructions, start=1):
            notes.cell(row=index, column=1, value=text)
        notes["A1"].font = Font(bold=True, size=14)
    return workbook


def _fill(
    sheet: Worksheet,
    headers: list[str],
    explanations: dict[str, str],
    rows: Sequence[dict[str, Any]],
) -> None:
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        explanation = explanations.get(header, "Passed through to the outputs.")
        cell.comment = Comment(explanation, "footprint", width=320, height=120)
        sheet.column_dimensions[get_column_letter(col)].width = max(12, len(header) + 4)
    for row_index, row in enumerate(rows, start=2):
        unknown = set(row) - set(headers)
        if unknown:
            raise ValueError(f"row {row_index} has values for columns not in the header: {unknown}")
        for col, header in enumerate(headers, start=1):
            if row.get(header) is not None:
                sheet.cell(row=row_index, column=col, value=row[header])
    sheet.freeze_panes = "A2"


def _choices(
    sheet: Worksheet, headers: list[str], column: str, choices: list[str], rows: int
) -> None:
    if column not in headers:
        return
    letter = get_column_letter(headers.index(column) + 1)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=False,  # other spellings are accepted too: a hint, not a wall
    )
    validation.add(f"{letter}2:{letter}{max(rows + 1, 1000)}")
    sheet.add_data_validation(validation)


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """Save whole or not at all."""
    with atomic_path(Path(path)) as tmp:
        workbook.save(tmp)
    return Path(path)


def write_template(path: Path) -> Path:
    """Write the BOM template to ``path``: the example, the Datasets sheet and the lists."""
    from footprint.bom.template_guides import add_guides

    workbook = bom_workbook(EXAMPLE_LINES, EXAMPLE_PRODUCTS)
    add_guides(workbook)
    return save_workbook(workbook, path)
