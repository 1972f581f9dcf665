"""The warm start: an unchanged project is answered without importing bw2data, a changed one
never from the snapshot.

The first engine is built here; the next ones in fresh Python processes (as the CLI runs),
which report whether bw2data was imported and the footprint they computed, checked by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CO2_FOSSIL = ("biosphere3", "349b29d1-3e58-4c66-98b9-9d1a076efd2e")

_PROCESS = """
import json, sys
from footprint.api import Engine
from footprint.model import BomLine, Product, SourceRef

engine = Engine(brightway_project=sys.argv[1])
line = BomLine(id="l1", quantity=3, unit="kg", dataset=sys.argv[2], source=SourceRef(file="x"))
result = engine.assess([Product(id="p", lines=[line])])
print(json.dumps({
    "bw2data": "bw2data" in sys.modules,
    "scipy.sparse": "scipy.sparse" in sys.modules,
    "total": result.products[0].climate_change.total,
    "solver": result.method.solver,
}))
"""


def _engine_in_a_fresh_process(project: str, reference: str, cache: Path) -> dict:
    env = {**os.environ, "FOOTPRINT_CACHE_DIR": str(cache)}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", _PROCESS, project, reference],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _chain(upstream_co2: float) -> dict:
    """b uses 2 kg of a; a emits ``upstream_co2`` kg of fossil CO2, b 1 kg."""
    production = {"amount": 1.0, "type": "production"}
    return {
        ("chain", "a"): {
            "name": "a",
            "unit": "kilogram",
            "exchanges": [
                {"input": ("chain", "a"), **production},
                {"input": CO2_FOSSIL, "amount": upstream_co2, "type": "biosphere"},
            ],
        },
        ("chain", "b"): {
            "name": "b",
            "unit": "kilogram",
            "exchanges": [
                {"input": ("chain", "b"), **production},
                {"input": ("chain", "a"), "amount": 2.0, "type": "technosphere"},
                {"input": CO2_FOSSIL, "amount": 1.0, "type": "biosphere"},
            ],
        },
    }


@pytest.mark.parametrize("reference", ["material-steel-primary", "chain::b"])
def test_unchanged_project_answers_without_bw2data_changed_project_recomputes(
    bw_project: str, tmp_path: Path, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bw2data as bd

    from footprint.api import Engine
    from footprint.model import BomLine, Product, SourceRef

    monkeypatch.setenv("FOOTPRINT_CACHE_DIR", str(tmp_path))
    bd.Database("chain").write(_chain(0.5))
    engine = Engine(brightway_project=bw_project)  # built the normal way: snapshot written
    line = BomLine(id="l1", quantity=3, unit="kg", dataset=reference, source=SourceRef(file="x"))
    cold = engine.assess([Product(id="p", lines=[line])])
    warm = _engine_in_a_fresh_process(bw_project, reference, tmp_path)
    assert warm["total"] == cold.products[0].climate_change.total
    assert warm["solver"] == cold.method.solver
    assert not warm["scipy.sparse"]  # nothing is solved
    if reference == "chain::b":
        # another database's activity is looked up through bw2data, on demand
        assert warm["bw2data"]
        assert warm["total"] == pytest.approx(3 * (1.0 + 2 * 0.5), rel=1e-6)  # by hand
    else:
        assert not warm["bw2data"]
    bd.Database("chain").write(_chain(2.0))  # the project changes: no snapshot answer
    changed = _engine_in_a_fresh_process(bw_project, reference, tmp_path)
    assert changed["bw2data"]
    if reference == "chain::b":
        assert changed["total"] == pytest.approx(3 * (1.0 + 2 * 2.0), rel=1e-6)
    else:
        assert changed["total"] == warm["total"]


def test_cold_engines_in_fresh_processes_while_another_holds_the_project_open(
    bw_project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test process keeps bw2data's project metadata in memory (databases.json,
    geomapping.pickle) and writes it back whole on its next database write, without the
    datasets database the first fresh process registered, whose activities stay in SQLite.
    The next engine re-registers it over those rows (bw2data processed them with a geomapping
    lacking their locations: KeyError 'AE' before) and computes the new figure (by hand)."""
    import bw2data as bd

    from footprint.lca.datasets_db import DATASETS_DATABASE

    monkeypatch.setenv("FOOTPRINT_CACHE_DIR", str(tmp_path))
    if DATASETS_DATABASE in bd.databases:  # the template may hold it (test order): not here
        del bd.databases[DATASETS_DATABASE]
    bd.geomapping.delete([location for location in list(bd.geomapping) if location != "GLO"])
    bd.Database("chain").write(_chain(0.5))
    first = _engine_in_a_fresh_process(bw_project, "chain::b", tmp_path)  # cold: registers
    assert first["total"] == pytest.approx(3 * (1.0 + 2 * 0.5), rel=1e-6)
    bd.Database("chain").write(_chain(2.0))  # flushes this process's stale metadata
    project = Path(bd.projects.dir)
    assert DATASETS_DATABASE not in json.loads((project / "databases.json").read_text())
    assert "AE" not in bd.geomapping  # what this process writes back
    second = _engine_in_a_fresh_process(bw_project, "chain::b", tmp_path)
    assert second["total"] == pytest.approx(3 * (1.0 + 2 * 2.0), rel=1e-6)
