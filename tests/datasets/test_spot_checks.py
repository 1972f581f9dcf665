"""Shipped values re-derived from the source files themselves (datasets/sources/), without the
build script: each test finds the published row by its official id or key and converts it by
hand (per tonne → per kg, g → kg)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from footprint.catalog import load_catalog

SOURCES = Path(__file__).resolve().parents[2] / "datasets" / "sources"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _desnz(name: str, row_id: str) -> float:
    (row,) = [r for r in _csv(name) if r["ID"] == row_id]
    return float(row["GHG Conversion Factor 2025"])


@pytest.mark.parametrize(
    ("dataset_id", "file", "row_id", "per_kg"),
    [
        # DESNZ publishes kg CO2e per tonne; the library stores per kg (÷ 1000).
        ("material-aluminium-primary", "material_use", "19_504_5104_15_1", 9.1159),
        ("material-aluminium-recycled", "material_use", "19_504_5107_15_1", 0.9951),
        ("material-pet-primary", "material_use", None, 3.8639),
        ("material-glass-recycled", "material_use", None, 0.8232),
        ("material-battery-li-ion", "material_use", None, 6.308),
        ("eol-paper-landfill", "waste_disposal", None, 1.1645),
    ],
)
def test_desnz_per_tonne_values(catalog, dataset_id, file, row_id, per_kg):
    dataset = catalog.get(dataset_id)
    if row_id is None:  # the row id the dataset cites must hold the published value
        row_id = dataset.source_row.rsplit("row ", 1)[1]
    published = _desnz(f"desnz_2025_{file}.csv", row_id)
    assert dataset.climate_change == pytest.approx(published / 1000, rel=1e-12)
    assert dataset.climate_change == pytest.approx(per_kg, abs=1e-4)


@pytest.mark.parametrize(
    ("dataset_id", "level2", "level3", "variant", "value"),
    [
        ("freight-container-ship", "Cargo ship", "Container ship", "Average", 0.01612),
        ("freight-bulk-carrier", "Cargo ship", "Bulk carrier", "Average", 0.00353),
        ("freight-lorry-articulated", "HGV (all diesel)", "All artics", "Average laden", 0.078),
        ("freight-air-long-haul", "Freight flights", "Long-haul, to/from UK", "Without RF", 0.5313),
        ("freight-rail", "Rail", "Freight train", "", 0.02779),
    ],
)
def test_desnz_freight_per_tonne_km(catalog, dataset_id, level2, level3, variant, value):
    (row,) = [
        r
        for r in _csv("desnz_2025_freighting_goods.csv")
        if r["Level 2"].strip() == level2
        and r["Level 3"].strip() == level3
        and variant in (r["Level 4"].strip(), r["Column Text"].strip())
        and r["UOM"] == "tonne.km"
        and r["GHG/Unit"] == "kg CO2e"
    ]
    assert float(row["GHG Conversion Factor 2025"]) == value
    assert catalog.get(dataset_id).climate_change == value


def test_desnz_2024_fuels_from_the_official_workbook(catalog):
    workbook = openpyxl.load_workbook(
        SOURCES / "desnz_2024_ghg_conversion_factors_full_set_v1_1.xlsx",
        read_only=True,
        data_only=True,
    )
    fuel, found = "", {}
    for cells in workbook["Fuels"].iter_rows(min_row=20, max_row=90, values_only=True):
        fuel = cells[1] or fuel
        if cells[2] and isinstance(cells[3], int | float):
            found.setdefault((fuel, cells[2]), cells[3])
    workbook.close()
    assert found[("Natural gas", "kWh (Gross CV)")] == 0.1829
    assert catalog.get("fuel-natural-gas").climate_change == 0.1829
    assert (
        catalog.get("fuel-diesel").climate_change
        == found[("Diesel (average biofuel blend)", "litres")]
    )
    assert catalog.get("fuel-lpg").climate_change == found[("LPG", "litres")] == 1.55713


@pytest.mark.parametrize(
    ("dataset_id", "code", "year", "grams"),
    [
        ("electricity-grid-DE", "DEU", 2025, 331.6),
        ("electricity-grid-FR", "FRA", 2025, 41.79),
        ("electricity-grid-CN", "CHN", 2024, 555.4),
        ("electricity-grid-US", "USA", 2024, 383.78),
        ("electricity-grid-world", "OWID_WRL", 2024, 471.84),
    ],
)
def test_owid_latest_year_per_country(catalog, dataset_id, code, year, grams):
    rows = [r for r in _csv("owid_carbon_intensity_electricity.csv") if r["Code"] == code]
    latest = max(rows, key=lambda r: int(r["Year"]))
    assert (int(latest["Year"]), float(latest["carbon_intensity"])) == (year, grams)
    dataset = catalog.get(dataset_id)
    assert dataset.year == year
    assert dataset.climate_change == pytest.approx(grams / 1000, rel=1e-12)


@pytest.mark.parametrize(
    ("symbol", "dataset_id", "value"),
    [("Co", "metal-cobalt", 8.3), ("Au", "metal-gold", 12500), ("Nd", "metal-neodymium", 17.6)],
)
def test_nuss_eckelman_metals(catalog, symbol, dataset_id, value):
    (row,) = [
        r for r in _csv("nuss_eckelman_2014_metals_cradle_to_gate.csv") if r["symbol"] == symbol
    ]
    assert float(row["gwp100_kgco2e_per_kg"]) == value
    dataset = catalog.get(dataset_id)
    assert dataset.climate_change == value
    assert dataset.composition == {symbol: 1.0}
    assert dataset.gwp_basis == "AR4"


def test_istrate_lithium_compounds_and_their_lithium_share(catalog):
    values = {
        r["Raw material"]: float(r["Climate change"])
        for r in _csv("istrate2024_lib_raw_materials_total_ghg.csv")
    }
    carbonate = catalog.get("battery-lithium-carbonate-brine")
    hydroxide = catalog.get("battery-lithium-hydroxide-spodumene")
    assert carbonate.climate_change == values["Lithium, brine - carbonate"]
    assert hydroxide.climate_change == values["Lithium, spodumene"]
    # Li2CO3: 2·6.94 / (2·6.94 + 12.011 + 3·15.999) = 13.88 / 73.888
    assert carbonate.composition["Li"] == pytest.approx(13.88 / 73.888, abs=1e-4)
    # LiOH·H2O: 6.94 / (6.94 + 2·15.999 + 3·1.008) = 6.94 / 41.962
    assert hydroxide.composition["Li"] == pytest.approx(6.94 / 41.962, abs=1e-4)
    # the cobalt row is per kg of cobalt sulfate (source notebook), hydrate assumed, said so
    assert "Per kg of the sulfate" in catalog.get("battery-cobalt").notes
    assert "[M]" in catalog.get("battery-cobalt").notes


def test_act_die_and_memory(catalog):
    rows = {(r["category"], r["key"]): r for r in _csv("act_electronics_carbon_parameters.csv")}
    die = catalog.get("electronics-ic-die-7nm")
    gases = float(rows[("ic_logic_fab_gases_95pct_abatement", "7nm")]["value"])  # g/cm2
    materials = float(rows[("ic_logic_raw_materials", "7nm")]["value"])  # g/cm2
    assert (gases, materials) == (350, 500)
    assert die.climate_change == pytest.approx((350 + 500) / 1000)
    assert die.inputs == {"electricity-grid-TW": 2.15}  # kWh/cm2 from the fab energy row
    assert float(rows[("ic_logic_fab_energy_per_die_area", "7nm")]["value"]) == 2.15
    assert catalog.get("electronics-dram").climate_change == pytest.approx(
        float(rows[("dram_per_capacity", "ddr4_10nm")]["value"]) / 1000
    )
