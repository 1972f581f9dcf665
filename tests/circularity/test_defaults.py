"""The shipped defaults file: every dataset id is in the shipped catalog; every row is sourced."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from footprint.catalog import load_catalog
from footprint.circularity import load_material_defaults
from footprint.circularity.defaults import default_path
from footprint.errors import DatasetError


def test_every_dataset_id_exists_in_the_shipped_catalog() -> None:
    defaults = load_material_defaults()
    catalog = load_catalog()
    rows = defaults.dataset_rows()
    assert rows, "the defaults file maps no dataset"
    missing = [(r.row, r.material, r.parameter, r.value) for r in rows if r.value not in catalog]
    assert missing == []


def test_material_terms_are_per_mass_and_energy_terms_per_energy() -> None:
    catalog = load_catalog()
    for row in load_material_defaults().dataset_rows():
        unit = catalog.get(str(row.value)).unit
        expected = ("kWh", "MJ") if row.parameter.startswith("ese_") else ("kg", "t")
        assert unit in expected, (row.row, row.value, unit)


def test_every_row_has_a_source_and_a_tag() -> None:
    with default_path().open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for number, row in enumerate(rows, start=2):
        assert row["source"].strip(), number
        assert row["tag"] in ("V", "S", "M"), number


def test_a_bad_defaults_file_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "material,parameter,value,unit,source,tag,note\n"
        "pet,cff_a,1.5,,x,S,\n"
        "pet,eol_recycling_rate,0.7,,x,S,\n"
        "pet,eol_energy_recovery_rate,0.4,,x,S,\n"
        "pet,cff_b,0,,,Q,\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        load_material_defaults(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "value"), (4, "value"), (5, "source"), (5, "tag")} <= found
