"""Dataset records (the catalog) → a Brightway database.

Each dataset becomes one activity (code = dataset id, unit = its reference unit) with:

- gas columns (``co2_fossil``, ``ch4_fossil``, ``n2o`` …, see ``gas_flows.csv``) → biosphere
  exchanges on the matching biosphere3 flows, characterised by the method;
- otherwise the aggregated ``climate_change`` value → exchanges of footprint's own flows
  (``project.OWN_FLOW_CODES``), each counted 1:1 in the total and in its sub-indicator.
  Sub-indicator columns given are used as they are; the part of ``climate_change`` they do not
  explain goes on the "not split" flow, counted in the total only (so a dataset with only
  ``climate_change`` is all "not split": no split is invented).
  When a dataset has gas columns, they are its burden and ``climate_change`` is not added
  again;
- ``inputs`` (``id=amount``) → technosphere exchanges from the named datasets.

The database is rewritten only when the content of the datasets changes (a hash kept in the
database's metadata).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from footprint.errors import DatasetError, Problem
from footprint.lca.project import (
    BIOSPHERE,
    ENERGY_FLOW_CODE,
    FLOWS_DATABASE,
    NOT_SPLIT,
    OWN_FLOW_CODES,
)
from footprint.model import Dataset

DATASETS_DATABASE = "footprint-datasets"
_HASH_KEY = "footprint_content_hash"
_LAYOUT = "own-flows-2"  # 2: the unexplained part of a figure goes on the not-split flow
_GAS_FLOWS_FILE = Path(__file__).with_name("gas_flows.csv")


@cache
def gas_flow_codes() -> dict[str, str]:
    """Gas column → biosphere3 flow code."""
    with _GAS_FLOWS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["column"]: row["biosphere3_code"] for row in csv.DictReader(handle)}


def content_hash(datasets: Iterable[Dataset]) -> str:
    """A hash of everything in the datasets that changes the Brightway database."""
    digest = hashlib.sha256(_LAYOUT.encode())
    for ds in sorted(datasets, key=lambda d: d.id):
        fields = ds.model_dump(
            include={
                "id",
                "name",
                "unit",
                "climate_change",
                "climate_change_fossil",
                "climate_change_biogenic",
                "climate_change_luluc",
                "gases",
                "inputs",
            }
        )
        if ds.cumulative_energy_demand is not None:  # absent: the hash stays as it was
            fields["cumulative_energy_demand"] = ds.cumulative_energy_demand
        digest.update(json.dumps(fields, sort_keys=True).encode())
    return digest.hexdigest()


def import_datasets(datasets: Iterable[Dataset], database: str = DATASETS_DATABASE) -> str:
    """Write the datasets as ``database`` unless it already holds the same content."""
    import bw2data as bd

    records = list(datasets)
    fingerprint = content_hash(records)
    if database in bd.databases and bd.databases[database].get(_HASH_KEY) == fingerprint:
        return database
    known = {d.id for d in records}
    problems: list[Problem] = []
    data = {(database, ds.id): _activity(ds, database, known, problems) for ds in records}
    if problems:
        raise DatasetError(problems)
    # bw2data keeps databases.json and geomapping.pickle in memory per process and writes
    # them whole: another process that had the project open (a test's parent, a running
    # ``footprint serve``) can write back copies without this database while its activities
    # stay in SQLite.  ``register`` then processes those left-over rows before ``write``
    # replaces them, and their locations must be in the geomapping (KeyError otherwise).
    from bw2data.backends import ActivityDataset

    left_over = ActivityDataset.select(ActivityDataset.location).where(
        ActivityDataset.database == database
    )
    locations = {row.location for row in left_over.distinct() if row.location}
    bd.geomapping.add(sorted(locations | {activity["location"] for activity in data.values()}))
    db = bd.Database(database)
    db.register(description="footprint: datasets of the catalog and user dataset files")
    db.write(data)
    bd.databases[database][_HASH_KEY] = fingerprint
    bd.databases.flush()
    return database


def own_exchange_amounts(ds: Dataset) -> dict[str, float]:
    """Sub-indicator (and ``not_split``) → kg CO2-eq on footprint's own flows, for a dataset
    without gases.

    Given sub-indicators are used as they are.  When all three are given they are the whole
    figure; otherwise the part of ``climate_change`` they do not explain is ``not_split``.
    """
    if ds.gases or ds.climate_change is None and not _has_sub_indicators(ds):
        return {}
    parts = {
        "fossil": ds.climate_change_fossil,
        "biogenic": ds.climate_change_biogenic,
        "luluc": ds.climate_change_luluc,
    }
    given = {name: value for name, value in parts.items() if value is not None}
    amounts = {name: given.get(name, 0.0) for name in parts}
    if len(given) == len(parts) or ds.climate_change is None:
        amounts[NOT_SPLIT] = 0.0
    elif not given:
        amounts[NOT_SPLIT] = ds.climate_change  # as written: 0.4 stays 0.4
    else:
        amounts[NOT_SPLIT] = ds.climate_change - sum(given.values())
    return amounts


def _has_sub_indicators(ds: Dataset) -> bool:
    return any(
        v is not None
        for v in (ds.climate_change_fossil, ds.climate_change_biogenic, ds.climate_change_luluc)
    )


def _activity(
    ds: Dataset, database: str, known: set[str], problems: list[Problem]
) -> dict[str, Any]:
    exchanges: list[dict[str, Any]] = [
        {"input": (database, ds.id), "amount": 1.0, "type": "production"}
    ]
    codes = gas_flow_codes()
    for gas, amount in ds.gases.items():
        if gas not in codes:
            problems.append(
                ds.origin.problem(
                    f"dataset {ds.id!r}: unknown gas column {gas!r} "
                    f"(known: {', '.join(sorted(codes))})",
                    column=gas,
                )
            )
            continue
        exchanges.append({"input": (BIOSPHERE, codes[gas]), "amount": amount, "type": "biosphere"})
    for indicator, amount in own_exchange_amounts(ds).items():
        if amount:
            exchanges.append(
                {
                    "input": (FLOWS_DATABASE, OWN_FLOW_CODES[indicator]),
                    "amount": amount,
                    "type": "biosphere",
                }
            )
    if ds.cumulative_energy_demand:  # MJ on footprint's own flow, counted 1:1 by ced-total
        exchanges.append(
            {
                "input": (FLOWS_DATABASE, ENERGY_FLOW_CODE),
                "amount": ds.cumulative_energy_demand,
                "type": "biosphere",
            }
        )
    for upstream, amount in ds.inputs.items():
        if "::" in upstream:
            key = _brightway_key(upstream)
            if key is None:
                problems.append(
                    ds.origin.problem(
                        f"dataset {ds.id!r}: input {upstream!r} is not an activity of the "
                        "Brightway project",
                        column="inputs",
                    )
                )
                continue
            exchanges.append({"input": key, "amount": amount, "type": "technosphere"})
            continue
        if upstream not in known:
            problems.append(
                ds.origin.problem(
                    f"dataset {ds.id!r}: input {upstream!r} is not a dataset id",
                    column="inputs",
                )
            )
            continue
        exchanges.append({"input": (database, upstream), "amount": amount, "type": "technosphere"})
    return {
        "name": ds.name,
        "unit": ds.unit,
        "type": "process",
        "location": ds.geography or "GLO",
        "exchanges": exchanges,
    }


def _brightway_key(reference: str) -> tuple[str, str] | None:
    """``(database, code)`` of a ``<database>::<code>`` reference when that activity exists."""
    import bw2data as bd
    from bw2data.backends import ActivityDataset

    database, _, code = reference.partition("::")
    if database not in bd.databases:
        return None
    found = ActivityDataset.select(ActivityDataset.id).where(
        (ActivityDataset.database == database) & (ActivityDataset.code == code)
    )
    return (database, code) if found.exists() else None
