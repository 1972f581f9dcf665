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

    h is indexed like A's columns (activities); Aᵀ·λ = h gives λ per product row.
    """
    import bw2calc as bc
    import bw2data as bd

    packages = [bd.Database(name).datapackage() for name in databases]
    lca = bc.LCA(demand={}, data_objs=[*packages, bd.Method(methods[0]).datapackage()])
    lca.load_lci_data()
    columns = []
    for position, method in enumerate(methods):
        with warnings.catch_warnings():
            # a sub-indicator none of the flows in use counts for is a valid zero column
            warnings.filterwarnings("ignore", "All values in characterization matrix are zero")
            if position == 0:
                lca.load_lcia_data()
            else:
                lca.switch_method(method)
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
