"""The indicator registry is bw2io's EF v3.1 and CED methods; selections and bad names."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from footprint.errors import DatasetError, FootprintError
from footprint.lca.indicators import all_indicators, known_names, parse_selection


def _shipped_methods() -> dict[tuple[str, ...], str]:
    import bw2io

    path = Path(bw2io.__file__).parent / "data" / "lcia" / "lcia_39_ecoinvent.zip"
    with zipfile.ZipFile(path) as archive:
        data = json.load(archive.open("data.json"))
    return {
        tuple(e["name"]): e["unit"]
        for e in data
        if e["name"][0] in ("EF v3.1", "Cumulative Energy Demand (CED)")
    }


def test_the_registry_is_every_ef31_and_ced_method_bw2io_ships() -> None:
    shipped = _shipped_methods()
    ours = {i.method: i.unit for i in all_indicators()}
    assert ours == shipped
    assert sum(1 for m in shipped if m[0] == "EF v3.1") == 25
    assert sum(1 for m in shipped if m[0] != "EF v3.1") == 12
    assert len({i.id for i in all_indicators()}) == 37


def test_selections() -> None:
    assert parse_selection(None) == ()
    assert parse_selection("climate") == ()
    assert len(parse_selection("ef31")) == 25
    assert len(parse_selection("ced")) == 12
    assert len(parse_selection("ef31+ced")) == 37
    assert [i.id for i in parse_selection("water-use, acidification")] == [
        "acidification",
        "water-use",
    ]
    assert [i.id for i in parse_selection("climate,land-use")] == ["climate-change", "land-use"]


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(FootprintError) as caught:
        parse_selection("ef31,acidity,water")
    message = str(caught.value)
    assert "'acidity', 'water'" in message
    assert all(name in message for name in known_names())
    assert "\n" not in message


def test_cli_unknown_indicator_exits_2_with_the_known_names(examples_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "footprint", "assess", str(examples_dir / "e-bike-battery.xlsx"),
         "--indicators", "ef31+acidity"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "'acidity'" in errors[0] and "ef31+ced" in errors[0] and "water-use" in errors[0]


def test_a_project_lacking_a_method_gets_it_offline(bw_module: str) -> None:
    import bw2data as bd

    from footprint.lca.project import ensure_project

    method = ("EF v3.1", "water use", "user deprivation potential (deprivation-weighted water "
              "consumption)")  # fmt: skip
    bd.Method(method).deregister()
    assert method not in bd.methods
    ensure_project(bw_module, [method])
    assert method in bd.methods
    assert len(bd.Method(method).load()) > 0


def test_a_method_bw2io_does_not_ship_is_one_line_naming_it(bw_module: str) -> None:
    from footprint.lca.project import ensure_project

    with pytest.raises(DatasetError) as caught:
        ensure_project(bw_module, [("EF v9", "nothing", "at all")])
    assert str(caught.value).count("\n") == 0
    assert "EF v9 | nothing | at all" in str(caught.value)
