"""The whole shipped library imports into Brightway and scores as published: a dataset's unit
score is its own figure, and a dataset with ``inputs`` adds them (hand computation)."""

from __future__ import annotations

import pytest

from footprint.api import Engine
from footprint.catalog import load_catalog

# Brightway's processed arrays hold exchange amounts as float32 (bw_processing.create_array).
FLOAT32 = 1e-6


@pytest.fixture(scope="module")
def engine():
    return Engine(use_cache=False)


def test_every_shipped_dataset_scores_its_published_figure(engine):
    checked = 0
    for dataset in load_catalog():
        if dataset.inputs or dataset.gases:
            continue
        score = engine.unit_score(dataset.id)
        assert score.total == pytest.approx(dataset.climate_change, rel=FLOAT32), dataset.id
        if dataset.climate_change_biogenic is not None:  # landfill methane of biogenic carbon
            assert score.biogenic == pytest.approx(dataset.climate_change_biogenic, rel=FLOAT32)
        else:
            assert score.biogenic == 0.0, dataset.id
        checked += 1
    assert checked > 390


def test_paper_landfill_methane_is_biogenic(engine):
    # DESNZ 2025 Waste disposal, paper and board: paper, landfill (row 20_506_5460_15_1):
    # 1164.4894 kg CO2e/t; the inert-material landfill factor (Glass) 8.98311 kg CO2e/t is
    # collection, transport and landfill operation: the rest is methane of biogenic carbon
    score = engine.unit_score("eol-paper-landfill")
    assert score.total == pytest.approx(1.1644894, rel=FLOAT32)
    assert score.biogenic == pytest.approx((1164.4894 - 8.98311) / 1000, rel=FLOAT32)


def test_ipcc_incineration_rows_are_characterised_with_ef31(engine):
    # IPCC 2006 vol. 5 defaults, textiles: dry matter 80 %, carbon 50 % of dry matter, fossil
    # carbon 20 %, oxidation 100 %; continuous stoker CH4 0.2 g/t, N2O 50 g/t (wet waste).
    co2_fossil = 0.8 * 0.5 * 0.2 * 44 / 12  # 0.29333 kg CO2/kg
    ch4_fossil, ch4_biogenic, n2o = 0.2e-6 * 0.2, 0.2e-6 * 0.8, 50e-6
    # EF 3.1 (bw2io lcia_39): CO2 fossil 1, CH4 fossil 29.8, CH4 non-fossil 27, N2O 273;
    # biogenic CO2 counts zero
    fossil = co2_fossil + 29.8 * ch4_fossil + 273 * n2o
    score = engine.unit_score("eol-textiles-combustion")
    assert score.fossil == pytest.approx(fossil, rel=1e-6)
    assert score.biogenic == pytest.approx(27 * ch4_biogenic, rel=1e-6)
    assert score.total == pytest.approx(fossil + 27 * ch4_biogenic, rel=1e-6)


def test_ic_die_adds_fab_electricity_from_the_taiwan_grid(engine):
    # ACT 5 nm: gases 430 g/cm2 + materials 500 g/cm2, fab electricity 2.75 kWh/cm2;
    # OWID Taiwan 2024 635.19 g/kWh
    expected = 0.430 + 0.500 + 2.75 * 0.63519
    assert engine.unit_score("electronics-ic-die-5nm").total == pytest.approx(expected, rel=1e-6)
    assert engine.unit_of("electronics-ic-die-5nm") == "cm**2"


# DESNZ's AR5 GWP100 (2024 workbook, sheet Refrigerant & other) and EF 3.1's (bw2io lcia_39)
AR5_CH4, AR5_N2O = 28, 265
EF31_CH4_FOSSIL, EF31_N2O = 29.8, 273


@pytest.mark.parametrize(
    ("dataset_id", "published", "co2", "ch4", "n2o", "well_to_tank"),
    [
        # DESNZ 2025 HGV (all diesel), All HGVs, average laden: Freighting goods rows
        # 27_304_3140_14_1 (total) to _4 (kg CO2e of CO2, CH4, N2O) and WTT- delivery vehs &
        # freight row 28_907_3140_14_1, per t*km
        ("freight-lorry-average", 0.10163, 0.10012, 0.00002, 0.00149, 0.02359),
        # DESNZ 2025 container ship, average: rows 27_320_3235_14_1.._4 and 28_916_3235_14_1
        ("freight-container-ship", 0.01612, 0.01592, 0.00001, 0.00019, 0.00365),
        # DESNZ 2024 diesel (average biofuel blend) per litre: sheet Fuels row 72, WTT- fuels
        ("fuel-diesel", 2.51279, 2.4796, 0.00029, 0.0329, 0.61101),
        # DESNZ 2024 natural gas per kWh (gross CV): sheet Fuels row 42, WTT- fuels
        ("fuel-natural-gas", 0.1829, 0.18253, 0.00028, 0.00009, 0.03021),
    ],
)
def test_freight_and_fuel_gases_characterised_with_ef31_plus_well_to_tank(
    engine, dataset_id, published, co2, ch4, n2o, well_to_tank
):
    """The per-gas parts in AR5 CO2e become kg of gas and EF 3.1 characterises them; the
    well-to-tank part (no per-gas data) stays as published."""
    assert co2 + ch4 + n2o == pytest.approx(published, abs=2e-5)  # the parts add up
    direct = co2 + ch4 / AR5_CH4 * EF31_CH4_FOSSIL + n2o / AR5_N2O * EF31_N2O
    score = engine.unit_score(dataset_id)
    assert score.total == pytest.approx(direct + well_to_tank, rel=1e-12)
    assert score.fossil == pytest.approx(direct, rel=1e-12)  # the gases are split
    assert score.not_split == pytest.approx(well_to_tank, rel=1e-12)  # the WTT is not
    assert engine.unit_score(f"wtt-{dataset_id}").total == well_to_tank
    assert engine.catalog.get(dataset_id).climate_change == published  # kept for reference
