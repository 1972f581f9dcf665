"""What a warm run reads back instead of recomputing: pint's answers and the shipped catalog.

Units: a fresh process after a first one asks the same questions without importing pint and
gets the same answers (checked by hand: 1 g = 0.001 kg, 1 kWh = 3.6 MJ, 1 t·km = 1000 kg·km);
a question not asked before imports pint and is answered.  Catalog: the datasets read back
equal those read from the files, and a changed file is read again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_UNITS = """
import json, sys
from footprint import units

answers = {
    "parse": [units.parse_unit(t) for t in ("KG", "tkm", "cm²", "pcs", "kWh")],
    "g_to_kg": units.convert(250.0, "g", "kg"),
    "kwh_in_mj": units.amount_in("kWh", "MJ"),
    "tkm_to_kgkm": units.convert(2.0, "t*km", "kg*km"),
    "dimension": [units.dimension_name(u) for u in ("kWh", "piece", "t*km", "GB")],
    "mass": [units.is_mass(u) for u in ("g", "piece")],
    "count": [units.is_count(u) for u in ("piece", "kg")],
}
try:
    units.convert(1.0, "kWh", "kg")
except units.UnitError as error:
    answers["refused"] = str(error)
try:
    units.amount_in("kg", "kWh")
except ValueError as error:
    answers["amount_refused"] = str(error)
if len(sys.argv) > 1:
    answers["new"] = units.convert(1.0, sys.argv[1], "kg")
print(json.dumps({"pint": "pint" in sys.modules, "answers": answers}))
"""


def _units_in_a_fresh_process(cache: Path, *extra: str) -> dict:
    env = {**os.environ, "FOOTPRINT_CACHE_DIR": str(cache)}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", _UNITS, *extra], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_units_answered_again_without_pint(tmp_path: Path) -> None:
    first = _units_in_a_fresh_process(tmp_path)
    assert first["pint"]  # nothing remembered yet: pint answered
    answers = first["answers"]
    assert answers["parse"] == ["kg", "t*km", "cm**2", "piece", "kWh"]
    assert answers["g_to_kg"] == pytest.approx(0.25, rel=1e-15)
    assert answers["kwh_in_mj"] == pytest.approx(3.6, rel=1e-15)
    assert answers["tkm_to_kgkm"] == pytest.approx(2000.0, rel=1e-15)
    assert answers["dimension"] == ["energy", "count", "mass × distance", "data size"]
    assert answers["mass"] == [True, False] and answers["count"] == [True, False]
    assert "kWh (energy)" in answers["refused"] and "kg (mass)" in answers["refused"]
    assert answers["amount_refused"]
    second = _units_in_a_fresh_process(tmp_path)
    assert not second["pint"]
    assert second["answers"] == answers  # the same answers, floats included, bit for bit
    third = _units_in_a_fresh_process(tmp_path, "lb")  # a question not asked before
    assert third["pint"]
    assert third["answers"]["new"] == pytest.approx(0.45359237, rel=1e-15)  # 1 lb by definition
    assert {k: v for k, v in third["answers"].items() if k != "new"} == answers


def test_shipped_catalog_read_back_and_read_again_after_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import footprint.catalog
    import footprint.catalog_cache
    from footprint.catalog import load_catalog

    shipped = tmp_path / "datasets"
    shipped.mkdir()
    csv = shipped / "materials.csv"
    csv.write_text("id,name,unit,climate_change\nsteel,Steel,kg,1.5\n", encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(footprint.catalog, "datasets_dir", lambda: shipped)
    monkeypatch.setattr(footprint.catalog_cache, "datasets_dir", lambda: shipped)
    read = []
    real_read = footprint.catalog.read_dataset_file
    monkeypatch.setattr(
        footprint.catalog, "read_dataset_file", lambda p: read.append(p) or real_read(p)
    )
    first = load_catalog()
    again = load_catalog()
    assert read == [csv]  # the second catalog came from the cache
    assert [d.model_dump() for d in again.datasets.values()] == [
        d.model_dump() for d in first.datasets.values()
    ]
    assert again.get("steel").climate_change == 1.5
    csv.write_text("id,name,unit,climate_change\nsteel,Steel,kg,2.25\n", encoding="utf-8")
    changed = load_catalog()
    assert read == [csv, csv]
    assert changed.get("steel").climate_change == 2.25


def _categories_named(folder: Path) -> set[str]:
    """The categories the YAML files of ``folder`` name, read here with PyYAML alone."""
    import yaml

    named: set[str] = set()
    for path in folder.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        named |= set(document.get("categories") or [])
        for rule in document.get("rules") or []:
            named |= set((rule.get("applies_to") or {}).get("categories") or [])
    return named


def test_shipped_categories_read_back_and_read_again_after_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import footprint.compliance.categories
    import footprint.compliance.loader
    import footprint.resources
    from footprint.api import shipped_categories

    real = shipped_categories()  # the shipped rule files, whatever the cache held
    assert real == _categories_named(footprint.resources.rules_dir())
    assert {"lmt-battery", "ev-battery", "weee-6-small-it"} <= real

    rules = tmp_path / "rules"
    rules.mkdir()
    rule_file = rules / "mine.yaml"
    rule_file.write_text(
        "name: mine\ntitle: Mine\ncategories: [kettle]\nrules:\n"
        "  - id: r1\n    title: Cap\n    kind: max_footprint\n    limit: 5\n"
        "    source: {regulation: none}\n    applies_to: {categories: [toaster]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FOOTPRINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(footprint.resources, "rules_dir", lambda: rules)
    monkeypatch.setattr(footprint.compliance.loader, "rules_dir", lambda: rules)
    read = []
    real_read = footprint.compliance.loader.load_rule_file
    monkeypatch.setattr(
        footprint.compliance.loader, "load_rule_file", lambda p: read.append(p) or real_read(p)
    )
    footprint.compliance.categories._shipped_categories.cache_clear()
    assert shipped_categories() == {"kettle", "toaster"}
    footprint.compliance.categories._shipped_categories.cache_clear()
    assert shipped_categories() == {"kettle", "toaster"}
    assert read == [rule_file]  # the second answer came from the cache
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("kettle", "iron"))
    footprint.compliance.categories._shipped_categories.cache_clear()
    assert shipped_categories() == {"iron", "toaster"}
    assert read == [rule_file, rule_file]
    footprint.compliance.categories._shipped_categories.cache_clear()
