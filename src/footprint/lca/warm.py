"""A warm start: what an engine needs from an unchanged Brightway project, without bw2data.

Importing bw2data costs most of a warm ``footprint assess`` (it builds its own pint registry and
imports deepdiff, pandas, bw_processing).  So once an engine has been built the normal way, a
small snapshot is written beside the cached unit scores: the project's name and databases, the
unit-scores file, the table of footprint's datasets database (code → id, name, unit), and the
stamps (path, size, mtime, inode) of every file whose change means the project changed —
bw2data's ``databases.json`` and ``methods.json``, the activities' SQLite file, and the
processed file of every database and method the unit scores were computed from.

The next engine asked for the same thing (Brightway folder, project, catalog content, methods)
stats those files; when none changed, it answers from the snapshot.  bw2data is imported later
only if a reference to another database has to be looked up.  Any doubt (a file missing or
changed, an unreadable snapshot) means no snapshot: the engine is then built the normal way.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from footprint.cache import replace_file
from footprint.lca.unit_scores import UnitScores, cache_dir, file_stamp

_FORMAT = "2"  # 2: gas factors of the exact catalog scores


@dataclass(frozen=True)
class Snapshot:
    project: str
    databases: list[str]
    datasets_database: str
    datasets_table: dict[str, tuple[int, str, str]]  # code → (id, name, unit)
    unit_scores: UnitScores
    # indicator → {gas column: characterisation factor} of the project's methods (exact.py)
    gas_factors: dict[str, dict[str, float]] = field(default_factory=dict)


def _path(brightway_project: str | None, catalog_hash: str, methods: Sequence[tuple[str, ...]]):
    request = {
        "format": _FORMAT,
        # the Brightway folder as bw2data will read it (footprint.lca passes BRIGHTWAY_DIR on)
        "brightway_dir": os.environ.get("BRIGHTWAY2_DIR", ""),
        "project": brightway_project,
        "catalog": catalog_hash,
        "methods": [list(m) for m in methods],
    }
    key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
    return cache_dir() / f"warm-{key}.json"


def load(
    brightway_project: str | None, catalog_hash: str, methods: Sequence[tuple[str, ...]]
) -> Snapshot | None:
    """The snapshot for this request, when every file it depends on is unchanged."""
    try:
        stored = json.loads(_path(brightway_project, catalog_hash, methods).read_text("utf-8"))
        for path, stamp in stored["stamps"].items():
            if file_stamp(Path(path)).decode() != stamp:
                return None
        with np.load(stored["unit_scores_file"]) as scores:
            unit_scores = UnitScores(scores["product_ids"], scores["scores"], str(scores["solver"]))
        table = {code: (int(i), str(n), str(u)) for code, (i, n, u) in stored["table"].items()}
        return Snapshot(
            stored["project"],
            list(stored["databases"]),
            stored["datasets_database"],
            table,
            unit_scores,
            {k: {g: float(f) for g, f in v.items()} for k, v in stored["gas_factors"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(
    brightway_project: str | None,
    catalog_hash: str,
    methods: Sequence[tuple[str, ...]],
    snapshot: Snapshot,
    unit_scores_file: Path,
) -> None:
    """Write the snapshot of an engine just built (bw2data is imported: it was used)."""
    import bw2data as bd

    project_dir = Path(bd.projects.dir)
    files = [project_dir / "databases.json", project_dir / "methods.json"]
    files.append(project_dir / "lci" / "databases.db")
    files += [Path(bd.Database(name).filepath_processed()) for name in snapshot.databases]
    files += [Path(bd.Method(method).filepath_processed()) for method in methods]
    document: dict[str, Any] = {
        "project": snapshot.project,
        "databases": snapshot.databases,
        "datasets_database": snapshot.datasets_database,
        "table": snapshot.datasets_table,
        "unit_scores_file": str(unit_scores_file),
        "gas_factors": snapshot.gas_factors,
        "stamps": {str(path): file_stamp(path).decode() for path in files},
    }
    replace_file(_path(brightway_project, catalog_hash, methods), lambda h: json.dump(document, h))
