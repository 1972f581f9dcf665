"""The template guides its user: a Datasets sheet behind the dataset column's list, lists for
stage, unit and category that refuse other entries, widths that fit, one page per sheet."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from footprint.bom.template import write_template
from footprint.catalog import load_catalog
from footprint.compliance.categories import known_categories
from footprint.model import Stage
from footprint.units import parse_unit


def _validations(sheet) -> dict[str, object]:
    """Header name → the data validation on its column."""
    headers = [cell.value for cell in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        min_col, min_row, _, max_row = range_boundaries(str(validation.sqref))
        assert min_row == 2 and max_row >= 1000  # the first thousand rows at least
        found[headers[min_col - 1]] = validation
    return found


def _listed(workbook, formula: str) -> list[str]:
    """The values a list validation's formula points at (sheet!$A$2:$A$9)."""
    sheet_name, cells = formula.split("!")
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    assert min_col == max_col
    sheet = workbook[sheet_name]
    return [sheet.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "bom.xlsx")


def test_lists_point_at_the_datasets_and_the_known_words(template: Path) -> None:
    workbook = load_workbook(template)
    bom = _validations(workbook["BOM"])
    products = _validations(workbook["Products"])
    assert set(bom) == {"dataset", "stage", "unit"}
    assert set(products) >= {"category"}
    # every shipped dataset id, and nothing else, is offered in the dataset column
    datasets = _listed(workbook, bom["dataset"].formula1)
    assert sorted(datasets) == sorted(d.id for d in load_catalog())
    assert bom["dataset"].errorStyle == "warning"  # own datasets and db::code may stay
    assert _listed(workbook, bom["stage"].formula1) == [stage.value for stage in Stage]
    assert _listed(workbook, products["category"].formula1) == sorted(known_categories())
    units = _listed(workbook, bom["unit"].formula1)
    assert {"kg", "kWh", "t*km", "cm2", "piece"} <= set(units)
    for unit in units:
        parse_unit(unit)  # every offered unit is one footprint reads
    for column in ("stage", "unit"):
        assert bom[column].errorStyle == "stop" and bom[column].showErrorMessage
    assert products["category"].errorStyle == "stop" and products["category"].showErrorMessage
    assert workbook["Lists"].sheet_state == "hidden"


def test_datasets_sheet_and_widths(template: Path) -> None:
    workbook = load_workbook(template)
    sheet = workbook["Datasets"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["id", "name", "unit", "kg CO2-eq per unit"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    steel = rows["material-steel-primary"]
    # DESNZ 2025 steel cans, primary production: 2,863.90131 kg CO2e per tonne
    assert steel[1] == "Metal: steel cans, primary production"
    assert steel[3] == pytest.approx(2.86390131)
    assert rows["electronics-ic-die-5nm"][2] == "cm²"  # units as people write them
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    bom = workbook["BOM"]
    headers = [cell.value for cell in bom[1]]
    dataset_letter = chr(ord("A") + headers.index("dataset"))
    longest_id = max(len(key) for key in rows)
    assert bom.column_dimensions[dataset_letter].width >= longest_id


def test_instructions_are_written_for_users(template: Path) -> None:
    text = " ".join(str(c.value) for c in load_workbook(template)["Instructions"]["A"] if c.value)
    assert "Sheet Datasets lists every shipped dataset" in text
    assert "footprint check my-bom.xlsx" in text
    assert '"""' not in text and "``" not in text  # no developer docstring


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def _to_pdf(soffice: str, workbook: Path, out: Path) -> Path:
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return out / (workbook.stem + ".pdf")


def test_libreoffice_prints_one_page_per_sheet(template: Path, soffice: str, tmp_path) -> None:
    # the filled-in sheets (BOM, Products, Instructions) without the 450-row Datasets list:
    # exactly one page each
    workbook = load_workbook(template)
    del workbook["Datasets"]
    bom = workbook["BOM"]
    bom.data_validations.dataValidation = [
        v for v in bom.data_validations.dataValidation if "Datasets" not in v.formula1
    ]
    sheets = tmp_path / "sheets.xlsx"
    workbook.save(sheets)
    assert _pages(_to_pdf(soffice, sheets, tmp_path)) == 3
    # the Datasets list prints one page wide, over as many pages as it needs
    whole = _pages(_to_pdf(soffice, template, tmp_path))
    assert 3 < whole < 3 + 40
