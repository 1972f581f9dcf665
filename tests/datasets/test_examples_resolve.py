"""Every example BOM names only datasets of the shipped library (or Brightway activities)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from footprint.bom import read_bom
from footprint.catalog import load_catalog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _is_bom(path: Path) -> bool:
    if path.suffix.lower() == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return "bom" in {name.lower() for name in workbook.sheetnames}
        finally:
            workbook.close()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = {h.strip().lower() for h in next(csv.reader(handle), [])}
    return {"dataset", "quantity"} <= header


EXAMPLE_BOMS = sorted(
    p for p in EXAMPLES.rglob("*") if p.suffix.lower() in (".xlsx", ".csv") and _is_bom(p)
)


@pytest.mark.parametrize("path", EXAMPLE_BOMS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_bom_uses_only_shipped_datasets(path):
    catalog = load_catalog()
    unknown = {
        (line.source.row, line.dataset): catalog.suggest(line.dataset)
        for product in read_bom(path)
        for line in product.lines
        if line.dataset and "::" not in line.dataset and line.dataset not in catalog
    }
    assert unknown == {}
