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
