"""The Brightway project footprint computes in, set up offline.

What a project needs, and what ``ensure_project`` adds when it is missing (nothing else in
a user's project is touched):

- ``biosphere3``: the elementary flows bw2io ships (``bw2io.create_default_biosphere3()``).
- The EF v3.1 climate-change methods (total, fossil, biogenic, land use and land-use change)
  and IPCC 2021 GWP100, written straight from bw2io's shipped ``lcia_39_ecoinvent.zip``.
  ``bw2setup()`` and ``create_default_lcia_methods()`` fail offline and are never called.
- ``footprint-flows``: four project-owned biosphere flows that carry a dataset's aggregated
  ``climate_change`` value (already kg CO2-eq) — one per sub-indicator, and one for the part
  of the figure its source does not split ("not split").
- footprint's own methods, ``("footprint", *EF v3.1 method)``: the EF v3.1 factors plus a
  factor of 1 for the project-owned flows — each flow counts 1:1 in the total and in its own
  sub-indicator; the not-split flow counts in the total only.  The shipped methods themselves
  are left as they are.

bw2data reads ``BRIGHTWAY_DIR`` when it is imported; without it the project lives in
Brightway's per-user data folder.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from footprint.errors import DatasetError, Problem

PROJECT_NAME = "footprint"
BIOSPHERE = "biosphere3"
FLOWS_DATABASE = "footprint-flows"

# indicator → the EF v3.1 method of bw2io's shipped LCIA data
EF31_METHODS: dict[str, tuple[str, str, str]] = {
    "total": ("EF v3.1", "climate change", "global warming potential (GWP100)"),
    "fossil": ("EF v3.1", "climate change: fossil", "global warming potential (GWP100)"),
    "biogenic": ("EF v3.1", "climate change: biogenic", "global warming potential (GWP100)"),
    "luluc": (
        "EF v3.1",
        "climate change: land use and land use change",
        "global warming potential (GWP100)",
    ),
}
IPCC2021_GWP100 = ("IPCC 2021", "climate change", "global warming potential (GWP100)")
SHIPPED_METHODS: tuple[tuple[str, ...], ...] = (*EF31_METHODS.values(), IPCC2021_GWP100)
INDICATORS: tuple[str, ...] = tuple(EF31_METHODS)
SUB_INDICATORS: tuple[str, ...] = ("fossil", "biogenic", "luluc")
#: The part of a total that no sub-indicator explains: total − fossil − biogenic − luluc.
NOT_SPLIT = "not_split"
#: Columns of every unit-score row the engine answers: the indicators, then the not-split part.
SCORE_COLUMNS: tuple[str, ...] = (*INDICATORS, NOT_SPLIT)

# project-owned flow of each sub-indicator and of the not-split part (code in FLOWS_DATABASE)
OWN_FLOW_CODES: dict[str, str] = {
    "fossil": "climate-change-fossil",
    "biogenic": "climate-change-biogenic",
    "luluc": "climate-change-luluc",
    NOT_SPLIT: "climate-change-not-split",
}

# project-owned flow of a dataset's cumulative energy demand (MJ), and the method counting it
ENERGY_FLOW_CODE = "cumulative-energy-demand"
CED_TOTAL = ("Cumulative Energy Demand (CED)", "total", "energy content (HHV)")
FOOTPRINT_CED_TOTAL = ("footprint", *CED_TOTAL)

_SETUP_LOCK = threading.Lock()


def footprint_method(indicator: str) -> tuple[str, ...]:
    """The Brightway method footprint computes ``indicator`` with."""
    return ("footprint", *EF31_METHODS[indicator])


def computing_method(method: tuple[str, ...]) -> tuple[str, ...]:
    """The method footprint computes a shipped method with: the EF v3.1 climate-change methods
    are footprint's own (they also count the datasets' aggregated climate-change flows), every
    other method is bw2io's as shipped."""
    for indicator, shipped in EF31_METHODS.items():
        if tuple(method) == shipped:
            return footprint_method(indicator)
    if tuple(method) == CED_TOTAL:
        return FOOTPRINT_CED_TOTAL
    return tuple(method)


def ensure_project(name: str | None = None, methods: Sequence[tuple[str, ...]] = ()) -> str:
    """Make ``name`` (default: footprint's own project) current and add what is missing.

    A user's project must exist already; footprint's own project is created on first use.
    ``methods``: further bw2io methods (``lcia_39_ecoinvent.zip``) the project must have; a
    missing one is written offline from bw2io's data.  Returns the project name.
    """
    # Brightway and bw2io print their logs and progress on stdout, which is ours (tables, JSON)
    with _SETUP_LOCK, contextlib.redirect_stdout(sys.stderr):
        project = _ensure_project(name)
        _ensure_methods(methods)
        return project


def _ensure_methods(methods: Sequence[tuple[str, ...]]) -> None:
    import bw2data as bd

    missing = [tuple(m) for m in methods if tuple(m) not in bd.methods and m[0] != "footprint"]
    if missing:
        _write_shipped_methods(missing)
    if CED_TOTAL in map(tuple, methods) and FOOTPRINT_CED_TOTAL not in bd.methods:
        _write_footprint_energy_method()
    if not missing:
        return
    absent = [m for m in missing if m not in bd.methods]
    if absent:
        raise DatasetError(
            Problem(
                f"method {' | '.join(absent[0])!r} is neither in the Brightway project nor in "
                "bw2io's shipped lcia_39_ecoinvent.zip",
                column="indicators",
            )
        )


def _ensure_project(name: str | None) -> str:
    import bw2data as bd

    project = name or PROJECT_NAME
    if name is not None and project not in bd.projects:
        known = ", ".join(sorted(p.name for p in bd.projects)) or "none"
        raise DatasetError(
            Problem(
                f"Brightway project {project!r} does not exist (known projects: {known})",
                column="brightway_project",
            )
        )
    if bd.projects.current != project:
        bd.projects.set_current(project)
    if BIOSPHERE not in bd.databases:
        _create_biosphere()
    missing = [m for m in SHIPPED_METHODS if m not in bd.methods]
    if missing:
        _write_shipped_methods(missing)
    # a project set up before the not-split (or the energy) flow existed gets it, and its
    # methods count it
    outdated = FLOWS_DATABASE not in bd.databases or not {
        *OWN_FLOW_CODES.values(),
        ENERGY_FLOW_CODE,
    } <= _database_codes(FLOWS_DATABASE)
    if outdated:
        _write_own_flows()
    for indicator in INDICATORS:
        if outdated or footprint_method(indicator) not in bd.methods:
            _write_footprint_method(indicator)
    if outdated and FOOTPRINT_CED_TOTAL in bd.methods:  # its flow was written anew
        _write_footprint_energy_method()
    return project


def _create_biosphere() -> None:
    import bw2io

    bw2io.create_default_biosphere3()


def _shipped_lcia_file() -> Path:
    import bw2io

    return Path(bw2io.__file__).parent / "data" / "lcia" / "lcia_39_ecoinvent.zip"


def _write_shipped_methods(names: list[tuple[str, ...]]) -> None:
    """Write the named methods from bw2io's shipped LCIA data; skip CFs of absent flows."""
    import bw2data as bd

    with zipfile.ZipFile(_shipped_lcia_file()) as archive:
        data: list[dict[str, Any]] = json.load(archive.open("data.json"))
    wanted = {tuple(n) for n in names}
    known_codes = _database_codes(BIOSPHERE)
    for entry in data:
        name = tuple(entry["name"])
        if name not in wanted:
            continue
        cfs = [
            ((BIOSPHERE, exc["input"][1]), exc["amount"])
            for exc in entry["exchanges"]
            if exc["input"][0] == BIOSPHERE and exc["input"][1] in known_codes
        ]
        method = bd.Method(name)
        method.register(
            unit=entry.get("unit"),
            description=entry.get("description", ""),
            filename="lcia_39_ecoinvent.zip (bw2io)",
            unlinked_cfs=len(entry["exchanges"]) - len(cfs),
        )
        method.write(cfs)


def _database_codes(database: str) -> set[str]:
    from bw2data.backends import ActivityDataset

    query = ActivityDataset.select(ActivityDataset.code).where(ActivityDataset.database == database)
    return {row.code for row in query}


def _write_own_flows() -> None:
    import bw2data as bd

    db = bd.Database(FLOWS_DATABASE)
    db.register(
        description="footprint: aggregated climate change (kg CO2-eq) and cumulative energy "
        "demand (MJ) of datasets"
    )
    flows: dict[tuple[str, str], dict[str, Any]] = {
        (FLOWS_DATABASE, code): {
            "name": f"climate change, {indicator.replace('_', ' ')} (aggregated, kg CO2-eq)",
            "unit": "kilogram",
            "type": "emission",
            "categories": ("air",),
            "exchanges": [],
        }
        for indicator, code in OWN_FLOW_CODES.items()
    }
    flows[(FLOWS_DATABASE, ENERGY_FLOW_CODE)] = {
        "name": "cumulative energy demand (aggregated, MJ)",
        "unit": "megajoule",
        "type": "natural resource",
        "categories": ("natural resource",),
        "exchanges": [],
    }
    db.write(flows)


def _write_footprint_energy_method() -> None:
    """bw2io's CED total plus a factor of 1 for the datasets' aggregated CED flow (MJ)."""
    import bw2data as bd

    cfs = _method_cfs(bd.Method(CED_TOTAL))
    cfs.append(((FLOWS_DATABASE, ENERGY_FLOW_CODE), 1.0))
    method = bd.Method(FOOTPRINT_CED_TOTAL)
    method.register(
        unit="MJ-Eq",
        description=f"{' | '.join(CED_TOTAL)} plus footprint's aggregated energy-demand flow "
        "at 1 MJ per MJ",
    )
    method.write(cfs)


def _write_footprint_method(indicator: str) -> None:
    import bw2data as bd

    base = bd.Method(EF31_METHODS[indicator])
    cfs: list[tuple[Any, float]] = [(flow, amount) for flow, amount in _method_cfs(base)]
    # the not-split part counts in the total only: no sub-indicator may claim it
    own = OWN_FLOW_CODES.values() if indicator == "total" else [OWN_FLOW_CODES[indicator]]
    cfs.extend(((FLOWS_DATABASE, code), 1.0) for code in own)
    method = bd.Method(footprint_method(indicator))
    method.register(
        unit="kg CO2-eq",
        description=(
            f"{' | '.join(EF31_METHODS[indicator])} plus footprint's aggregated "
            "climate-change flows at 1 kg CO2-eq per kg"
        ),
    )
    method.write(cfs)


def _method_cfs(method: Any) -> list[tuple[Any, float]]:
    """A method's CFs as (flow, amount); a flow is an id or a key as bw2data stored it."""
    result = []
    for row in method.load():
        flow, amount = row[0], row[1]
        if isinstance(amount, dict):
            amount = amount["amount"]
        result.append((tuple(flow) if isinstance(flow, list) else flow, float(amount)))
    return result
