"""The unit-score cache: reused while the project is unchanged, never after a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.lca.project import INDICATORS, footprint_method

CO2_FOSSIL = ("biosphere3", "349b29d1-3e58-4c66-98b9-9d1a076efd2e")


def _chain(upstream_co2: float) -> dict:
    """b uses 2 units of a; a emits ``upstream_co2`` kg of fossil CO2, b emits 1 kg."""
    return {
        ("chain", "a"): {
            "name": "a",
            "unit": "kilogram",
            "exchanges": [
                {"input": ("chain", "a"), "amount": 1.0, "type": "production"},
                {"input": CO2_FOSSIL, "amount": upstream_co2, "type": "biosphere"},
            ],
        },
        ("chain", "b"): {
            "name": "b",
            "unit": "kilogram",
            "exchanges": [
                {"input": ("chain", "b"), "amount": 1.0, "type": "production"},
                {"input": ("chain", "a"), "amount": 2.0, "type": "technosphere"},
                {"input": CO2_FOSSIL, "amount": 1.0, "type": "biosphere"},
            ],
        },
    }


def test_changed_database_is_recomputed(
    bw_project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bw2data as bd

    from footprint.lca.unit_scores import project_unit_scores

    monkeypatch.setenv("FOOTPRINT_CACHE_DIR", str(tmp_path))
    methods = [footprint_method(i) for i in INDICATORS]
    database = bd.Database("chain")
    database.write(_chain(3.0))
    b = bd.get_node(database="chain", code="b").id
    total = INDICATORS.index("total")

    first = project_unit_scores(methods)
    assert first.scores[first.rows([b])[0], total] == pytest.approx(1.0 + 2 * 3.0, rel=1e-6)
    again = project_unit_scores(methods)
    assert len(list(tmp_path.glob("unit-scores-*.npz"))) == 1  # the second came from the cache
    assert again.scores[again.rows([b])[0], total] == first.scores[first.rows([b])[0], total]

    database.write(_chain(5.0))
    b = bd.get_node(database="chain", code="b").id  # rewritten: new ids
    changed = project_unit_scores(methods)
    assert changed.scores[changed.rows([b])[0], total] == pytest.approx(1.0 + 2 * 5.0, rel=1e-6)
    assert len(list(tmp_path.glob("unit-scores-*.npz"))) == 2
