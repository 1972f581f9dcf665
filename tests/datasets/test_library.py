"""The shipped library: every row valid, every unit readable, provenance on every row, and the
build script reproduces the committed CSVs byte for byte."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from footprint.catalog import load_catalog, read_dataset_file, shipped_dataset_files
from footprint.units import parse_unit

REPO = Path(__file__).resolve().parents[2]
PROVENANCE = ("source", "license", "url", "year", "geography", "gwp_basis")


def _raw_rows() -> list[dict[str, str]]:
    rows = []
    for path in shipped_dataset_files():
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_shipped_files_are_the_top_level_csvs_only():
    names = {p.name for p in shipped_dataset_files()}
    assert names == {
        "materials.csv",
        "end_of_life.csv",
        "freight.csv",
        "fuels.csv",
        "well_to_tank.csv",
        "electricity.csv",
        "metals.csv",
        "battery_materials.csv",
        "electronics.csv",
    }


def test_every_shipped_row_validates():
    catalog = load_catalog()
    assert len(catalog) == len(_raw_rows()) > 400


def test_every_unit_parses():
    units = Counter(row["unit"] for row in _raw_rows())
    for unit in units:
        parse_unit(unit)
    assert set(units) == {"kg", "kWh", "t*km", "l", "m**3", "cm**2", "GB"}


def test_ids_are_unique_across_files():
    ids = Counter(row["id"] for row in _raw_rows())
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_row_carries_provenance_and_quality_scores():
    for dataset in load_catalog():
        for name in PROVENANCE:
            assert getattr(dataset, name), f"{dataset.id} has no {name}"
        # a row given as gases is characterised with the EF 3.1 factors themselves
        assert dataset.gwp_basis in ({"EF3.1"} if dataset.gases else {"AR4", "AR5", "AR6"})
        assert dataset.dqr.dqr is not None, dataset.id
        licences = {"OGL-3.0", "CC-BY-4.0", "MIT", "public-domain", "IPCC-defaults"}
        assert dataset.license in licences


def test_library_covers_the_agreed_ids():
    catalog = load_catalog()
    families = [
        "aluminium", "steel", "mixed-metals", "plastics-average", "pet", "pp", "hdpe", "ldpe",
        "ps", "pvc", "plastics-film", "plastics-rigid", "glass", "paper-board", "paper",
    ]  # fmt: skip
    for family in families:
        primary = catalog.get(f"material-{family}-primary")
        recycled = catalog.get(f"material-{family}-recycled")
        assert (primary.material, primary.recycled) == (family, False)
        assert (recycled.material, recycled.recycled) == (family, True)
        for route in ("landfill", "combustion", "recycling"):
            assert f"eol-{family}-{route}" in catalog
    elements = [
        "lithium", "cobalt", "nickel", "copper", "manganese", "tin", "gold", "silver",
        "platinum", "palladium", "tantalum", "tungsten", "gallium", "indium", "germanium",
        "neodymium", "dysprosium", "praseodymium", "terbium", "magnesium", "titanium", "zinc",
    ]  # fmt: skip
    for element in elements:
        assert len(catalog.get(f"metal-{element}").composition) == 1
    for suffix in (
        "lorry-average", "lorry-rigid", "lorry-articulated", "rail", "container-ship",
        "bulk-carrier", "air-short-haul", "air-long-haul",
    ):  # fmt: skip
        assert catalog.get(f"freight-{suffix}").unit == "t*km"
    for route in ("carbonate-brine", "carbonate-spodumene", "hydroxide-brine"):
        assert catalog.get(f"battery-lithium-{route}").composition["Li"] > 0
    grids = [d for d in catalog if d.id.startswith("electricity-grid-")]
    assert len(grids) >= 151 and "electricity-grid-world" in catalog
    assert catalog.get("fuel-diesel").unit == "l"
    assert catalog.get("electronics-ic-die-7nm").unit == "cm**2"
    assert catalog.get("electronics-ssd").unit == "GB"


def test_every_input_of_a_shipped_dataset_is_shipped():
    catalog = load_catalog()
    for dataset in catalog:
        for input_id in dataset.inputs:
            assert input_id in catalog


def test_build_reproduces_the_committed_csvs(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_datasets.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    built = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert built == sorted(p.name for p in shipped_dataset_files())
    for name in built:
        assert (tmp_path / name).read_bytes() == (REPO / "datasets" / name).read_bytes(), name


@pytest.mark.parametrize("path", shipped_dataset_files(), ids=lambda p: p.name)
def test_each_file_reads_on_its_own(path):
    assert read_dataset_file(path)


def test_gas_columns_are_the_ones_the_engine_maps_to_biosphere3():
    from footprint.catalog import GAS_COLUMNS

    flows = REPO / "src" / "footprint" / "lca" / "gas_flows.csv"
    with flows.open(encoding="utf-8", newline="") as handle:
        assert [row["column"] for row in csv.DictReader(handle)] == list(GAS_COLUMNS)


def test_build_restores_the_en_dashes_the_desnz_mirror_lost():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_datasets", REPO / "scripts" / "build_datasets.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    sys.modules["build_datasets"] = build  # dataclasses look their module up there
    spec.loader.exec_module(build)
    raw = (build.SOURCES / "desnz_2025_freighting_goods.csv").read_text(encoding="utf-8")
    assert raw.count("\ufffd") == 120  # as the source note says
    rows = build.read_csv("desnz_2025_freighting_goods.csv")
    sizes = {row["Level 4"] for row in rows}
    assert "10,000\u201334,999 dwt" in sizes
    assert not any("\ufffd" in value for row in rows for value in row.values())
    flat = "desnz_2025_scope3_and_outside_scopes_flat.csv"
    assert (build.SOURCES / flat).read_text(encoding="utf-8").count("\ufffd") == 150
    wtt_sizes = {
        row["Level 4"]
        for row in build.read_csv(flat)
        if row["Level 1"] == "WTT- delivery vehs & freight"
    }
    assert "10,000\u201334,999 dwt" in wtt_sizes
