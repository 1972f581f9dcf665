"""What makes the BOM template guide its user: a Datasets sheet to pick from, drop-down lists
that reject a stage, unit or category footprint would not read, widths that fit, and a print
layout of one page per sheet.

Only the template gets these (``write_template``); the example BOMs keep their plain layout.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from footprint.model import Stage
from footprint.units import display_unit

# the units offered in the unit column (any pint unit is read; these are the ones the shipped
# datasets are per, and their usual multiples)
UNIT_LIST = [
    "kg", "g", "mg", "t", "lb", "piece", "kWh", "MWh", "MJ", "t*km", "km",
    "m", "m2", "cm2", "mm2", "m3", "l", "ml", "GB",
]  # fmt: skip
VALIDATED_ROWS = 1000  # rows of the BOM and Products sheets that get the drop-down lists

DATASET_COLUMNS = ["id", "name", "unit", "kg CO2-eq per unit", "material", "source", "year"]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def add_guides(workbook: Workbook) -> None:
    """Datasets and Lists sheets, validated columns, fitted widths, one-page print layout."""
    from footprint.compliance.categories import known_categories

    datasets = _datasets_sheet(workbook)
    lists = {
        "stage": [stage.value for stage in Stage],
        "unit": UNIT_LIST,
        "category": sorted(known_categories()),
        "eol_model": ["cut-off", "cff"],
    }
    references = _lists_sheet(workbook, lists)
    bom = workbook["BOM"]
    bom.data_validations.dataValidation = []  # the plain lists of bom_workbook are replaced
    _validate(
        bom,
        "dataset",
        f"Datasets!$A$2:$A${datasets.max_row}",
        strict=False,
        message="Not a shipped dataset id (sheet Datasets). Keep it if it is in your own "
        "dataset file (--datasets) or a Brightway activity written database::code.",
    )
    for column in ("stage", "unit"):
        _validate(bom, column, references[column], strict=True, message=_wrong(column))
    if "Products" in workbook.sheetnames:
        products = workbook["Products"]
        products.data_validations.dataValidation = []
        for column in ("category", "eol_model"):
            _validate(products, column, references[column], strict=True, message=_wrong(column))
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible" and sheet.title != "Instructions":
            _fit_widths(sheet)
        if sheet.sheet_state == "visible":
            _print_layout(sheet, one_page=sheet.title != "Datasets")
    _wide_enough(bom, "dataset", max(len(str(c.value)) for c in datasets["A"]) + 2)
    if "Instructions" in workbook.sheetnames:
        for row in workbook["Instructions"].iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _wide_enough(sheet: Worksheet, column: str, width: int) -> None:
    """The column shows its longest possible entry (the dataset column: the longest id)."""
    headers = [cell.value for cell in sheet[1]]
    if column in headers:
        letter = get_column_letter(headers.index(column) + 1)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width, width)


def _wrong(column: str) -> str:
    return f"Pick a {column.replace('_', ' ')} from the list (sheet Lists), or leave it blank."


def _datasets_sheet(workbook: Workbook) -> Worksheet:
    """Every shipped dataset with what a user needs to choose one."""
    from footprint.catalog import load_catalog

    sheet = workbook.create_sheet("Datasets")
    sheet.append(DATASET_COLUMNS)
    for dataset in sorted(load_catalog(), key=lambda d: d.id):
        sheet.append(
            [
                dataset.id,
                dataset.name,
                display_unit(dataset.unit),
                dataset.climate_change,
                dataset.material,
                dataset.source,
                dataset.year,
            ]
        )
    _header(sheet)
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "0.000###"
    return sheet


def _lists_sheet(workbook: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding each list in a column; the formula that references each."""
    sheet = workbook.create_sheet("Lists")
    references = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        sheet.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=col, value=value)
        references[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return references


def _validate(sheet: Worksheet, column: str, formula: str, *, strict: bool, message: str) -> None:
    headers = [cell.value for cell in sheet[1]]
    if column not in headers:
        return
    letter = get_column_letter(headers.index(column) + 1)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",  # a warning can be confirmed: own datasets
        errorTitle=f"{column}: not in the list",
        error=message,
    )
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    sheet.add_data_validation(validation)


def _header(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _fit_widths(sheet: Worksheet, cap: int = 60) -> None:
    """Each column as wide as its longest entry (header included), within ``cap``."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                size = len(str(cell.value)) + 2
                widths[cell.column] = max(widths.get(cell.column, 8), size)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = min(width, cap)


def _print_layout(sheet: Worksheet, *, one_page: bool) -> None:
    """Landscape, the header row repeated; one page (the Datasets list: one page wide)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    if sheet.max_row > 1 and sheet.title != "Instructions":
        sheet.print_title_rows = "1:1"
