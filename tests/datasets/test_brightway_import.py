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
        if dataset.inputs:
            continue
        score = engine.unit_score(dataset.id)
        assert score.total == pytest.approx(dataset.climate_change, rel=FLOAT32), dataset.id
        assert score.fossil == pytest.approx(score.total, rel=FLOAT32)  # no split is published
        checked += 1
    assert checked > 390


def test_ic_die_adds_fab_electricity_from_the_taiwan_grid(engine):
    # ACT 5 nm: gases 430 g/cm2 + materials 500 g/cm2, fab electricity 2.75 kWh/cm2;
    # OWID Taiwan 2024 635.19 g/kWh
    expected = 0.430 + 0.500 + 2.75 * 0.63519
    assert engine.unit_score("electronics-ic-die-5nm").total == pytest.approx(expected, rel=1e-6)
    assert engine.unit_of("electronics-ic-die-5nm") == "cm**2"


@pytest.mark.parametrize(
    ("dataset_id", "tank_to_wheel", "well_to_tank"),
    [
        # DESNZ 2025 HGV (all diesel), All HGVs, average laden: Freighting goods row
        # 27_304_3140_14_1 and WTT- delivery vehs & freight row 28_907_3140_14_1, per t*km
        ("freight-lorry-average", 0.10163, 0.02359),
        # DESNZ 2025 container ship, average: rows 27_320_3235_14_1 and 28_916_3235_14_1
        ("freight-container-ship", 0.01612, 0.00365),
        # DESNZ 2024 diesel (average biofuel blend) per litre: sheets Fuels and WTT- fuels
        ("fuel-diesel", 2.51279, 0.61101),
        # DESNZ 2024 natural gas per kWh (gross CV): sheets Fuels and WTT- fuels
        ("fuel-natural-gas", 0.1829, 0.03021),
    ],
)
def test_freight_and_fuel_score_tank_to_wheel_plus_well_to_tank(
    engine, dataset_id, tank_to_wheel, well_to_tank
):
    score = engine.unit_score(dataset_id)
    assert score.total == pytest.approx(tank_to_wheel + well_to_tank, rel=FLOAT32)
    assert engine.unit_score(f"wtt-{dataset_id}").total == pytest.approx(well_to_tank, rel=FLOAT32)
