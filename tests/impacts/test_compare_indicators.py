"""footprint compare with --indicators: the impact profile's deltas against the source rows.

B doubles A's cobalt.  Nuss & Eckelman 2014 (SI S1, Table S38, datasets/metals.csv and
datasets/energy/cumulative_energy_demand.csv) give cobalt 8.3 kg CO2-eq/kg and 128 MJ/kg;
the EF 3.1 climate-change normalisation factor 7553.083162851173 kg CO2-eq/person and weight
21.06 % (JRC, datasets/sources/ef31_normalisation_weighting.csv row "Climate change").
"""

from __future__ import annotations

from pathlib import Path

import pytest

import footprint

A = """product,id,name,quantity,unit,dataset,stage
cell,cobalt,Cobalt,1,kg,metal-cobalt,raw materials
cell,power,Assembly power,4,kWh,electricity-grid-FR,manufacturing
"""
B = A.replace("cell,cobalt,Cobalt,1,kg", "cell,cobalt,Cobalt,2,kg")


def test_compare_profile_deltas_by_hand(bw_module: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(A, encoding="utf-8")
    b.write_text(B, encoding="utf-8")
    engine = footprint.Engine(brightway_project=bw_module, indicators="ef31+ced")
    comparison = footprint.compare(a, b, engine=engine, indicators="ef31+ced")
    (pair,) = comparison.pairs
    impacts = {i.id: i for i in pair.impacts}
    assert pair.climate_change.delta.total == pytest.approx(8.3, rel=1e-9)
    climate = impacts["climate-change"]
    assert climate.value.delta == pytest.approx(8.3, rel=1e-9)
    assert (climate.status_before, climate.status_after) == ("complete", "complete")
    # only the cobalt line has an energy demand: partial on both sides, delta 128 MJ
    ced = impacts["ced-total"]
    assert (ced.status_before, ced.status_after) == ("partial", "partial")
    assert ced.value.delta == pytest.approx(128, rel=1e-9)
    # a category the open library does not characterise: no delta, never 0
    uncovered = [i for i in pair.impacts if "not covered" in (i.status_before, i.status_after)]
    covered = {i.id for i in pair.impacts} - {i.id for i in uncovered}
    assert "acidification" in {i.id for i in uncovered}
    assert all(i.value.delta is None for i in uncovered), covered
    assert "climate-change" in covered and "ced-total" in covered
    # the single score rests on climate change alone (partial): Δ = 8.3 / NF × W
    assert pair.single_score is not None
    assert pair.single_score.delta == pytest.approx(8.3 / 7553.083162851173 * 0.2106, rel=1e-9)
