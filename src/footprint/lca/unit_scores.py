"""Unit scores λ of every activity of a Brightway project, per indicator, cached on disk.

Per method set: technosphere A and biosphere B are built once from the processed
datapackages (through bw2calc, so they are Brightway's own matrices), h = (C·B)ᵀ·1 for each
characterisation C, and one adjoint solve Aᵀ·λ = h gives the characterised score of one unit
of every product.  A footprint is then Σ amount·λ over the lines.

The cache key is a hash of the processed datapackage files and of the method datapackages,
so any change of a database or method recomputes; the cache folder is ``FOOTPRINT_CACHE_DIR``
when set, else a per-user cache folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from footprint.lca.solve import solve_adjoint

_CACHE_FORMAT = "1"


@dataclass(frozen=True)
class UnitScores:
    """λ per product row: ``scores[i, k]`` is indicator k for one unit of ``product_ids[i]``."""

    product_ids: np.ndarray
    scores: np.ndarray
    solver: str
    index: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update({int(pid): i for i, pid in enumerate(self.product_ids)})

    def rows(self, product_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        return np.fromiter((self.index[int(p)] for p in product_ids), dtype=np.int64)


def cache_dir() -> Path:
    configured = os.environ.get("FOOTPRINT_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("footprint", appauthor=False))


def cache_key(databases: Sequence[str], methods: Sequence[tuple[str, ...]]) -> str:
    import bw2data as bd

    digest = hashlib.sha256(_CACHE_FORMAT.encode())
    for name in sorted(databases):
        digest.update(name.encode())
        digest.update(_file_hash(Path(bd.Database(name).filepath_processed())))
    for method in methods:
        digest.update(repr(method).encode())
        digest.update(_file_hash(Path(bd.Method(method).filepath_processed())))
    return digest.hexdigest()


def _file_hash(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


def project_unit_scores(
    methods: Sequence[tuple[str, ...]], *, use_cache: bool = True
) -> UnitScores:
    """Unit scores of every product of the current project's databases, from cache if fresh."""
    import bw2data as bd

    bd.databases.clean()
    databases = sorted(bd.databases)
    key = cache_key(databases, methods)
    path = cache_dir() / f"unit-scores-{key}.npz"
    if use_cache and path.is_file():
        with np.load(path) as stored:
            return UnitScores(stored["product_ids"], stored["scores"], str(stored["solver"]))
    technosphere, characterised, product_ids = brightway_matrices(databases, methods)
    scores, solver = solve_adjoint(technosphere, characterised)
    result = UnitScores(product_ids, scores, solver)
    if use_cache:
        _store(path, result)
    return result


def brightway_matrices(
    databases: Sequence[str], methods: Sequence[tuple[str, ...]]
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """A, the characterised biosphere h = (C·B)ᵀ·1 per method (columns), and the product ids.

    h is indexed like A's columns (activities); Aᵀ·λ = h gives λ per product row.  The
    matrices are built straight from the processed datapackages, as bw2calc builds them
    (values negated where flipped, duplicates summed, biosphere entries of unknown activities
    and site-specific characterisation factors left out); datapackages with scenario arrays
    or distributions go through bw2calc itself.
    """
    import bw2data as bd

    packages = [bd.Database(name).datapackage() for name in databases]
    method_packages = [bd.Method(method).datapackage() for method in methods]
    try:
        return _matrices_from_vectors(packages, method_packages)
    except _NotStatic:
        return _matrices_through_bw2calc(packages, method_packages)


class _NotStatic(Exception):
    """A datapackage with arrays or distributions: only bw2calc interprets those."""


def _vectors(packages: Sequence[Any], matrix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols, values = [], [], []
    for package in packages:
        resources = [r for r in package.resources if r.get("matrix") == matrix]
        for group in sorted({r["group"] for r in resources}):
            kinds = {r["kind"]: r for r in resources if r["group"] == group}
            if any(r.get("category") != "vector" for r in kinds.values()) or "data" not in kinds:
                raise _NotStatic(group)
            indices = package.get_resource(kinds["indices"]["name"])[0]
            # Brightway keeps values as float32 and sums duplicates in float32: so do we
            data = np.asarray(package.get_resource(kinds["data"]["name"])[0], dtype=np.float32)
            if "flip" in kinds:
                flip = np.asarray(package.get_resource(kinds["flip"]["name"])[0], dtype=bool)
                data = np.where(flip, -data, data)
            rows.append(np.asarray(indices["row"], dtype=np.int64))
            cols.append(np.asarray(indices["col"], dtype=np.int64))
            values.append(data)
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def _matrices_from_vectors(
    packages: Sequence[Any], method_packages: Sequence[Any]
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    from bw2calc.utils import consistent_global_index

    from footprint.errors import DatasetError

    t_rows, t_cols, t_values = _vectors(packages, "technosphere_matrix")
    product_ids = np.unique(t_rows)
    size = len(product_ids)
    # Brightway gives a product the id of the activity producing it: the technosphere is
    # square when the activity ids are exactly the product ids
    t_positions = np.searchsorted(product_ids, t_cols).clip(max=max(size - 1, 0))
    produced = np.zeros(size, dtype=bool)
    produced[t_positions] = True
    if size and (not np.array_equal(product_ids[t_positions], t_cols) or not produced.all()):
        raise DatasetError(
            f"the Brightway project's technosphere is not square ({size} products, "
            f"{len(np.unique(t_cols))} activities): multi-output activities are not supported"
        )
    activity_ids = product_ids
    technosphere = sp.csr_matrix(
        (t_values, (np.searchsorted(product_ids, t_rows), t_positions)), shape=(size, size)
    ).astype(np.float64)
    b_rows, b_cols, b_values = _vectors(packages, "biosphere_matrix")
    position = np.searchsorted(activity_ids, b_cols).clip(max=max(size - 1, 0))
    known = activity_ids[position] == b_cols if size else np.zeros(len(b_cols), dtype=bool)
    flow_ids = np.unique(b_rows[known])
    biosphere = sp.csr_matrix(
        (b_values[known], (np.searchsorted(flow_ids, b_rows[known]), position[known])),
        shape=(len(flow_ids), size),
    ).astype(np.float64)
    columns = []
    for package in method_packages:
        c_rows, c_cols, c_values = _vectors([package], "characterization_matrix")
        global_index = consistent_global_index([package])
        if global_index is not None:
            site_generic = c_cols == global_index
            c_rows, c_values = c_rows[site_generic], c_values[site_generic]
        where = np.searchsorted(flow_ids, c_rows).clip(max=max(len(flow_ids) - 1, 0))
        used = flow_ids[where] == c_rows if len(flow_ids) else np.zeros(len(c_rows), bool)
        per_flow = np.zeros(len(flow_ids), dtype=np.float32)
        np.add.at(per_flow, where[used], c_values[used])
        per_flow = per_flow.astype(np.float64)
        columns.append(biosphere.T @ per_flow)
    return technosphere, np.column_stack(columns), product_ids


def _matrices_through_bw2calc(
    packages: Sequence[Any], method_packages: Sequence[Any]
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    import bw2calc as bc

    lca = bc.LCA(demand={}, data_objs=[*packages, method_packages[0]])
    lca.load_lci_data()
    columns = []
    for position, package in enumerate(method_packages):
        with warnings.catch_warnings():
            # a sub-indicator none of the flows in use counts for is a valid zero column
            warnings.filterwarnings("ignore", "All values in characterization matrix are zero")
            if position == 0:
                lca.load_lcia_data()
            else:
                lca.switch_method([package])
        per_flow = np.asarray(lca.characterization_matrix.diagonal()).ravel()
        columns.append(lca.biosphere_matrix.T @ per_flow)
    characterised = np.column_stack(columns)
    product_rows = lca.dicts.product.reversed
    product_ids = np.array([product_rows[i] for i in range(len(product_rows))], dtype=np.int64)
    return sp.csr_matrix(lca.technosphere_matrix), characterised, product_ids


def _store(path: Path, result: UnitScores) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".unit-scores.", suffix=".npz", dir=path.parent)
    os.close(fd)
    try:
        np.savez(
            tmp_name,
            product_ids=result.product_ids,
            scores=result.scores,
            solver=np.array(result.solver),
        )
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
