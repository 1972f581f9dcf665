"""Well-to-tank (WTT) upstream of the shipped freight and fuel datasets, re-derived from the DESNZ
source files themselves (datasets/sources/), without the build script."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from footprint.catalog import load_catalog

SOURCES = Path(__file__).resolve().parents[2] / "datasets" / "sources"
FLAT_2025 = "desnz_2025_scope3_and_outside_scopes_flat.csv"
WORKBOOK_2024 = "desnz_2024_ghg_conversion_factors_full_set_v1_1.xlsx"

FREIGHT_IDS = (
    "freight-lorry-average", "freight-lorry-rigid", "freight-lorry-articulated", "freight-rail",
    "freight-container-ship", "freight-bulk-carrier", "freight-air-short-haul",
    "freight-air-long-haul",
)  # fmt: skip
FUEL_IDS = (
    "fuel-natural-gas", "fuel-natural-gas-net-cv", "fuel-natural-gas-m3", "fuel-diesel",
    "fuel-lpg", "fuel-lpg-kwh",
)  # fmt: skip


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _flat_rows() -> list[dict[str, str]]:
    with (SOURCES / FLAT_2025).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _wtt_freight(level2: str, level3: str, column_text: str) -> tuple[str, float]:
    (row,) = [
        r
        for r in _flat_rows()
        if r["Level 1"] == "WTT- delivery vehs & freight"
        and (r["Level 2"], r["Level 3"], r["Column Text"]) == (level2, level3, column_text)
        and r["UOM"] == "tonne.km"
        and r["GHG/Unit"] == "kg CO2e"
    ]
    return row["ID"], float(row["GHG Conversion Factor 2025"])


@pytest.mark.parametrize(
    ("dataset_id", "level2", "level3", "column_text", "published"),
    [
        ("wtt-freight-lorry-average", "WTT- HGV (all diesel)", "All HGVs", "Average laden",
         0.02359),
        ("wtt-freight-rail", "WTT- rail", "Freight train", "", 0.00691),
        ("wtt-freight-air-long-haul", "WTT- freight flights", "Long-haul, to/from UK", "Without RF",
         0.13516),
        ("wtt-freight-air-short-haul", "WTT- freight flights", "Short-haul, to/from UK",
         "Without RF", 0.20515),
    ],
)  # fmt: skip
def test_wtt_freight_from_the_2025_flat_file(
    catalog, dataset_id, level2, level3, column_text, published
):
    row_id, value = _wtt_freight(level2, level3, column_text)
    assert value == published
    dataset = catalog.get(dataset_id)
    assert (dataset.climate_change, dataset.unit) == (published, "t*km")
    assert dataset.source_row == f"WTT- delivery vehs & freight, row {row_id}"
    assert (dataset.year, dataset.geography, dataset.license) == (2025, "GB", "OGL-3.0")


def test_wtt_ships_by_vessel_average_not_by_size_class(catalog):
    # The size classes ("10,000–34,999 dwt") sit on Level 4; the average has Level 3 "Average".
    (row,) = [
        r
        for r in _flat_rows()
        if r["Level 2"] == "WTT- cargo ship"
        and r["Level 3"] == "Container ship"
        and r["Level 4"] == "Average"
        and r["UOM"] == "tonne.km"
    ]
    assert float(row["GHG Conversion Factor 2025"]) == 0.00365
    assert catalog.get("wtt-freight-container-ship").climate_change == 0.00365


def _workbook_sheet(sheet: str) -> dict[tuple[str, str], float]:
    workbook = openpyxl.load_workbook(SOURCES / WORKBOOK_2024, read_only=True, data_only=True)
    fuel, found = "", {}
    for cells in workbook[sheet].iter_rows(min_row=20, max_row=90, values_only=True):
        fuel = cells[1] or fuel
        if cells[2] and isinstance(cells[3], int | float):
            found.setdefault((fuel, cells[2]), cells[3])
    workbook.close()
    return found


def test_wtt_fuels_from_the_2024_workbook_and_the_2025_flat_file_agree(catalog):
    wtt = _workbook_sheet("WTT- fuels")
    assert wtt[("Natural gas", "kWh (Gross CV)")] == 0.03021
    assert wtt[("Diesel (average biofuel blend)", "litres")] == 0.61101
    assert wtt[("LPG", "litres")] == 0.18551
    assert catalog.get("wtt-fuel-natural-gas").climate_change == 0.03021
    assert (
        catalog.get("wtt-fuel-natural-gas-net-cv").climate_change
        == wtt[("Natural gas", "kWh (Net CV)")]
    )
    assert catalog.get("wtt-fuel-diesel").climate_change == 0.61101
    assert catalog.get("wtt-fuel-lpg").climate_change == 0.18551
    # DESNZ 2025 kept these WTT fuel factors unchanged (flat-file rows by official id)
    flat = {r["ID"]: r["GHG Conversion Factor 2025"] for r in _flat_rows()}
    assert flat["11_100_1004_6_1"] == "0.03021"  # natural gas, kWh (Gross CV)
    assert flat["11_101_1011_8_1"] == "0.61101"  # diesel (average biofuel blend), litres
    assert flat["11_100_1003_8_1"] == "0.18551"  # LPG, litres


def test_each_freight_and_fuel_dataset_adds_its_wtt_once_per_reference_unit(catalog):
    for ttw_id in (*FREIGHT_IDS, *FUEL_IDS):
        ttw, wtt = catalog.get(ttw_id), catalog.get(f"wtt-{ttw_id}")
        assert ttw.inputs == {wtt.id: 1.0}, ttw_id
        assert wtt.unit == ttw.unit and not wtt.inputs
        assert (wtt.year, wtt.dqr) == (ttw.year, ttw.dqr)
        # the direct part is given per gas (characterised with EF 3.1); DESNZ's WTT is not
        assert (ttw.gwp_basis, wtt.gwp_basis) == ("EF3.1", "AR5")


def test_published_tank_to_wheel_values_stay_in_climate_change(catalog):
    # DESNZ 2025 Freighting goods and 2024 Fuels, as published
    assert catalog.get("freight-lorry-average").climate_change == 0.10163
    assert catalog.get("freight-air-long-haul").climate_change == 0.5313
    assert catalog.get("fuel-diesel").climate_change == 2.51279
    assert catalog.get("fuel-natural-gas").climate_change == 0.1829


def test_no_wtt_on_electricity(catalog):
    # OWID/Ember intensities are life-cycle values, and DESNZ WTT electricity is UK-only.
    for dataset in catalog:
        if dataset.id.startswith("electricity-"):
            assert not dataset.inputs, dataset.id
    assert not [d.id for d in catalog if d.id.startswith("wtt-electricity")]
