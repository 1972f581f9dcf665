"""Unit scores λ of every activity of a Brightway project, per indicator, cached on disk.

Per method set: technosphere A and biosphere B are built once from the processed
datapackages (read as bw2calc reads them: flipped values negated, duplicates summed in float32;
datapackages with arrays or distributions go through bw2calc itself), h = (C·B)ᵀ·1 for each
characterisation C, and one adjoint solve Aᵀ·λ = h gives the characterised score of one unit
of every product.  A footprint is then Σ amount·λ over the lines.

The cache key is made of the processed database and method files' stamps (path, size, mtime,
inode), so any change of a database or method recomputes; the cache folder is
``FOOTPRINT_CACHE_DIR`` when set, else a per-user cache folder.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import mmap
import os
import re
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from footprint.cache import cache_dir

if TYPE_CHECKING:  # SciPy is imported when unit scores are computed, not read from the cache
    import scipy.sparse as sp

__all__ = ["UnitScores", "cache_dir", "cache_key", "file_stamp", "project_unit_scores"]

_CACHE_FORMAT = "2"  # 2: product ids stored sorted


@dataclass(frozen=True)
class UnitScores:
    """λ per product row: ``scores[i, k]`` is indicator k for one unit of ``product_ids[i]``.

    ``product_ids`` are sorted (``rows`` searches them).
    """

    product_ids: np.ndarray
    scores: np.ndarray
    solver: str

    def rows(self, product_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row of each product id; KeyError for an id that is not a product."""
        wanted = np.asarray(product_ids, dtype=np.int64).reshape(-1)
        if not len(self.product_ids):
            if len(wanted):
                raise KeyError(int(wanted[0]))
            return np.zeros(0, dtype=np.int64)
        rows = np.searchsorted(self.product_ids, wanted).clip(max=len(self.product_ids) - 1)
        missing = self.product_ids[rows] != wanted
        if missing.any():
            raise KeyError(int(wanted[missing][0]))
        return rows


def cache_key(databases: Sequence[str], methods: Sequence[tuple[str, ...]]) -> str:
    """A key that changes whenever a processed database or method file changes.

    bw2data rewrites a processed file whole whenever its database or method changes, so the
    file's path, size and modification time in nanoseconds identify its content without
    reading it.
    """
    import bw2data as bd

    digest = hashlib.sha256(_CACHE_FORMAT.encode())
    for name in sorted(databases):
        digest.update(name.encode())
        digest.update(file_stamp(Path(bd.Database(name).filepath_processed())))
    for method in methods:
        digest.update(repr(method).encode())
        digest.update(file_stamp(Path(bd.Method(method).filepath_processed())))
    return digest.hexdigest()


def file_stamp(path: Path) -> bytes:
    """Path, size, mtime (ns) and inode: bw2data rewrites its files whole, so this changes."""
    status = path.stat()
    return f"{path}|{status.st_size}|{status.st_mtime_ns}|{status.st_ino}".encode()


def project_unit_scores(
    methods: Sequence[tuple[str, ...]], *, use_cache: bool = True
) -> UnitScores:
    """Unit scores of every product of the current project's databases, from cache if fresh."""
    import bw2data as bd
    import scipy.sparse as sp

    from footprint.lca.solve import solve_transposed

    bd.databases.clean()
    databases = sorted(bd.databases)
    path = unit_scores_file(methods) if use_cache else None
    if path is not None and path.is_file():
        with np.load(path) as stored:
            return UnitScores(stored["product_ids"], stored["scores"], str(stored["solver"]))
    technosphere, characterised, product_ids = brightway_matrices(databases, methods)
    scores, solver = solve_transposed(sp.csr_matrix(technosphere.T), characterised)
    order = np.argsort(product_ids, kind="stable")  # bw2calc's fallback path is not sorted
    result = UnitScores(product_ids[order], scores[order], solver)
    if path is not None:
        _store(path, result)
    return result


def unit_scores_file(methods: Sequence[tuple[str, ...]]) -> Path:
    """The cache file of the current project's unit scores for ``methods``."""
    import bw2data as bd

    return cache_dir() / f"unit-scores-{cache_key(sorted(bd.databases), methods)}.npz"


def brightway_matrices(
    databases: Sequence[str], methods: Sequence[tuple[str, ...]]
) -> tuple[sp.spmatrix, np.ndarray, np.ndarray]:
    """A, the characterised biosphere h = (C·B)ᵀ·1 per method (columns), and the product ids.

    h is indexed like A's columns (activities); Aᵀ·λ = h gives λ per product row.  The
    matrices are built straight from the processed datapackages, as bw2calc builds them
    (values negated where flipped, duplicates summed, biosphere entries of unknown activities
    and site-specific characterisation factors left out); datapackages with scenario arrays
    or distributions go through bw2calc itself.
    """
    parts = matrix_parts(databases, methods)
    return parts.technosphere_transposed.T, parts.characterised(), parts.product_ids


@dataclass(frozen=True)
class MatrixParts:
    """The matrices of a project as Brightway builds them, before they are multiplied.

    ``technosphere_transposed``: Aᵀ (CSR, row i: the inputs of activity i); ``biosphere``:
    Bᵀ (activities × flows, CSR); ``factors``: flows × methods, the characterisation factor of
    each flow (summed in float32 like bw2calc); ids of the activities (= products) and flows.
    """

    technosphere_transposed: sp.csr_matrix
    biosphere: sp.csr_matrix
    factors: np.ndarray
    product_ids: np.ndarray
    flow_ids: np.ndarray

    def characterised(self) -> np.ndarray:
        """h = (C·B)ᵀ·1 per method (columns), indexed like the activities."""
        # one sparse × dense product for all methods: per column the same sums as a
        # matrix-vector product each (bit for bit), without 25 passes and a stack
        return np.ascontiguousarray(self.biosphere @ self.factors)


def matrix_parts(databases: Sequence[str], methods: Sequence[tuple[str, ...]]) -> MatrixParts:
    """A, B and the characterisation factors of the current project (see ``MatrixParts``)."""
    import bw2data as bd

    packages = [_package(bd.Database(name)) for name in databases]
    method_packages = [_package(bd.Method(method)) for method in methods]
    try:
        return _parts_from_vectors(packages, method_packages)
    except _NotStatic:
        return _parts_through_bw2calc(
            [bd.Database(name).datapackage() for name in databases],
            [bd.Method(method).datapackage() for method in methods],
        )


def _package(data_store: Any) -> Any:
    """The processed datapackage of a bw2data database or method.

    Read straight from its zip file (bw_processing's layout: ``datapackage.json`` and one
    ``.npy`` per resource, stored uncompressed); bw_processing's own loader, which goes
    through fsspec, is the fallback for anything else.
    """
    path = Path(data_store.filepath_processed())
    try:
        return _ZipPackage(path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return data_store.datapackage()


class _ZipPackage:
    """The part of bw_processing's ``Datapackage`` that ``_vectors`` reads.

    bw2data stores processed datapackages uncompressed, so the arrays are mapped straight
    from the file (no copy); any other zip raises ValueError and bw_processing reads it.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            members = zipfile.ZipFile(handle).infolist()
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._members = {member.filename: member for member in members}
        if any(m.compress_type != zipfile.ZIP_STORED or m.flag_bits & 1 for m in members):
            raise ValueError(f"{path}: compressed or encrypted members")
        self.resources: list[dict[str, Any]] = json.loads(bytes(self._member("datapackage.json")))[
            "resources"
        ]
        self._by_name = {resource["name"]: resource for resource in self.resources}

    def _member(self, filename: str) -> memoryview:
        member = self._members[filename]
        start = member.header_offset
        local_header = self._map[start : start + 30]
        if local_header[:4] != b"PK\x03\x04":
            raise ValueError(f"{filename}: no zip local header")
        name_length, extra_length = struct.unpack("<HH", local_header[26:30])
        start += 30 + name_length + extra_length
        return memoryview(self._map)[start : start + member.file_size]

    def get_resource(self, name: str) -> tuple[np.ndarray, dict[str, Any]]:
        resource = self._by_name[name]
        raw = self._member(resource["path"])
        shape, fortran_order, dtype, offset = _npy_header(raw)
        if dtype.hasobject:
            raise ValueError(f"{name}: object arrays are not read")
        count = int(np.prod(shape, dtype=np.int64))
        array = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
        return array.reshape(shape, order="F" if fortran_order else "C"), resource


# the header NumPy writes (format 1.0): {'descr': …, 'fortran_order': …, 'shape': (…), }
_NPY_HEADER = re.compile(
    rb"\{'descr': (?P<descr>.+), 'fortran_order': (?P<fortran>True|False), "
    rb"'shape': \((?P<shape>[0-9, ]*)\), \}\s*"
)
_DTYPES: dict[bytes, np.dtype] = {}


def _npy_header(raw: memoryview) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """(shape, Fortran order, dtype, data offset) of an .npy member.

    NumPy parses the header with ``ast.literal_eval`` (a fifth of a millisecond each, four
    arrays per method); the header NumPy itself writes is matched here, each distinct dtype
    evaluated once, and anything else goes to NumPy's own reader.
    """
    start = bytes(raw[:10])
    if start[:8] == b"\x93NUMPY\x01\x00":
        length = struct.unpack("<H", start[8:10])[0]
        found = _NPY_HEADER.fullmatch(bytes(raw[10 : 10 + length]))
        if found:
            descr = found["descr"]
            dtype = _DTYPES.get(descr)
            if dtype is None:
                dtype = _DTYPES[descr] = np.lib.format.descr_to_dtype(
                    ast.literal_eval(descr.decode("latin1"))
                )
            shape = tuple(int(n) for n in found["shape"].split(b",") if n.strip())
            return shape, found["fortran"] == b"True", dtype, 10 + length
    header = io.BytesIO(raw[:4096])
    version = np.lib.format.read_magic(header)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(header)
    else:
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(header)
    return shape, fortran_order, dtype, header.tell()


class _NotStatic(Exception):
    """A datapackage with arrays or distributions: only bw2calc interprets those."""


def _vectors(packages: Sequence[Any], matrix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and values of one matrix over all packages, values as Brightway has them.

    Each package's arrays are copied once, straight into the concatenated arrays (aligned and
    contiguous: arrays mapped from a zip are often unaligned, which slows every later pass).
    """
    parts = []
    for package in packages:
        resources = [r for r in package.resources if r.get("matrix") == matrix]
        for group in sorted({r["group"] for r in resources}):
            kinds = {r["kind"]: r for r in resources if r["group"] == group}
            if any(r.get("category") != "vector" for r in kinds.values()) or "data" not in kinds:
                raise _NotStatic(group)
            indices = package.get_resource(kinds["indices"]["name"])[0]
            data = package.get_resource(kinds["data"]["name"])[0]
            flip = package.get_resource(kinds["flip"]["name"])[0] if "flip" in kinds else None
            parts.append((indices, data, flip))
    size = sum(len(data) for _, data, _ in parts)
    rows = np.empty(size, dtype=np.int64)
    cols = np.empty(size, dtype=np.int64)
    # Brightway keeps values as float32 and sums duplicates in float32: so do we
    values = np.empty(size, dtype=np.float32)
    start = 0
    for indices, data, flip in parts:
        end = start + len(data)
        rows[start:end] = indices["row"]
        cols[start:end] = indices["col"]
        values[start:end] = data
        if flip is not None:
            np.negative(values[start:end], out=values[start:end], where=flip.astype(bool))
        start = end
    return rows, cols, values


def _matrices_from_vectors(
    packages: Sequence[Any], method_packages: Sequence[Any]
) -> tuple[sp.spmatrix, np.ndarray, np.ndarray]:
    parts = _parts_from_vectors(packages, method_packages)
    return parts.technosphere_transposed.T, parts.characterised(), parts.product_ids


def _parts_from_vectors(packages: Sequence[Any], method_packages: Sequence[Any]) -> MatrixParts:
    import scipy.sparse as sp

    from footprint.errors import DatasetError

    t_rows, t_cols, t_values = _vectors(packages, "technosphere_matrix")
    product_ids, t_positions = _positions(t_rows)
    size = len(product_ids)
    # Brightway gives a product the id of the activity producing it: the technosphere is
    # square when the activity ids are exactly the product ids
    activity_positions = _lookup(product_ids, t_cols)
    produced = np.zeros(size, dtype=bool)
    produced[activity_positions[activity_positions >= 0]] = True
    if size and (np.any(activity_positions < 0) or not produced.all()):
        raise DatasetError(
            f"the Brightway project's technosphere is not square ({size} products, "
            f"{len(np.unique(t_cols))} activities): multi-output activities are not supported"
        )
    # built as Aᵀ in CSR (row i: the inputs of activity i), what the adjoint solve reads;
    # duplicates are summed in float32 like Brightway, then widened
    transposed = sp.csr_matrix(
        (t_values, (activity_positions, t_positions)), shape=(size, size)
    ).astype(np.float64)
    b_rows, b_cols, b_values = _vectors(packages, "biosphere_matrix")
    position = _lookup(product_ids, b_cols)
    known = position >= 0
    flow_ids, flow_positions = _positions(b_rows[known])
    biosphere_transposed = sp.csr_matrix(
        (b_values[known], (position[known], flow_positions)), shape=(size, len(flow_ids))
    ).astype(np.float64)
    factors = _factors(method_packages, flow_ids)
    return MatrixParts(transposed, biosphere_transposed, factors, product_ids, flow_ids)


def _factors(method_packages: Sequence[Any], flow_ids: np.ndarray) -> np.ndarray:
    """flows × methods: each method's site-generic factors, duplicates summed in float32 in
    their order (bw2calc's sum), all methods in one lookup and one accumulation."""
    rows, values, columns = [], [], []
    for k, package in enumerate(method_packages):
        c_rows, c_cols, c_values = _vectors([package], "characterization_matrix")
        global_index = _global_index(package)
        if global_index is not None:
            site_generic = c_cols == global_index
            c_rows, c_values = c_rows[site_generic], c_values[site_generic]
        rows.append(c_rows)
        values.append(c_values)
        columns.append(np.full(len(c_rows), k, dtype=np.int64))
    factors = np.zeros((len(flow_ids), len(method_packages)), dtype=np.float32)
    if rows:
        where = _lookup(flow_ids, np.concatenate(rows))
        used = where >= 0
        positions = (where[used], np.concatenate(columns)[used])
        np.add.at(factors, positions, np.concatenate(values)[used])
    return factors.astype(np.float64)


def _global_index(package: Any) -> int | None:
    """The index of the global location, under which site-generic factors are (bw2calc's rule)."""
    found = {
        resource.get("global_index")
        for resource in package.resources
        if resource.get("matrix") == "characterization_matrix" and resource.get("kind") == "indices"
    }
    if len(found) > 1:
        raise _NotStatic("several global indices")  # bw2calc then gives its own message
    return found.pop() if found else None


def _positions(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct ids, and the position of each of ``ids`` among them."""
    if not len(ids):
        return ids[:0], np.zeros(0, dtype=np.int64)
    # processed datapackages come sorted by row, so equal ids come in runs: only the first
    # id of each run is looked up
    new_run = np.empty(len(ids), dtype=bool)
    new_run[0] = True
    np.not_equal(ids[1:], ids[:-1], out=new_run[1:])
    run = np.cumsum(new_run) - 1
    distinct, run_positions = np.unique(ids[new_run], return_inverse=True)
    return distinct, run_positions.reshape(-1)[run]


_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)  # 2⁶⁴/φ: multiplicative hashing


def _lookup(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Position of each of ``ids`` in ``sorted_ids``, −1 where absent.

    Brightway ids are large (snowflake) numbers, and a binary search per exchange is slow on
    unordered ids, so this is a hash table 4–8 times the number of ids, with a binary search
    only for the few ids whose slot another id took.
    """
    size = len(sorted_ids)
    if not size or not len(ids):
        return np.full(len(ids), -1, dtype=np.int64)
    bits = size.bit_length() + 2
    table = np.full(1 << bits, -1, dtype=np.int64)
    table[_slots(sorted_ids, bits)] = np.arange(size)
    positions = table[_slots(ids, bits)]
    hit = sorted_ids[positions] == ids
    hit &= positions >= 0
    missed = np.flatnonzero(~hit)
    if len(missed):
        where = np.searchsorted(sorted_ids, ids[missed]).clip(max=size - 1)
        positions[missed] = np.where(sorted_ids[where] == ids[missed], where, -1)
    return positions


def _slots(ids: np.ndarray, bits: int) -> np.ndarray:
    hashed = np.multiply(np.ascontiguousarray(ids, dtype=np.int64).view(np.uint64), _FIBONACCI)
    np.right_shift(hashed, np.uint64(64 - bits), out=hashed)
    return hashed.view(np.int64)  # below 2^bits: the same numbers


def _matrices_through_bw2calc(
    packages: Sequence[Any], method_packages: Sequence[Any]
) -> tuple[sp.spmatrix, np.ndarray, np.ndarray]:
    parts = _parts_through_bw2calc(packages, method_packages)
    return parts.technosphere_transposed.T, parts.characterised(), parts.product_ids


def _parts_through_bw2calc(packages: Sequence[Any], method_packages: Sequence[Any]) -> MatrixParts:
    import bw2calc as bc
    import scipy.sparse as sp

    lca = bc.LCA(demand={}, data_objs=[*packages, method_packages[0]])
    lca.load_lci_data()
    factors = np.zeros((lca.biosphere_matrix.shape[0], len(method_packages)))
    for position, package in enumerate(method_packages):
        with warnings.catch_warnings():
            # a sub-indicator none of the flows in use counts for is a valid zero column
            warnings.filterwarnings("ignore", "All values in characterization matrix are zero")
            if position == 0:
                lca.load_lcia_data()
            else:
                lca.switch_method([package])
        factors[:, position] = np.asarray(lca.characterization_matrix.diagonal()).ravel()
    product_rows = lca.dicts.product.reversed
    product_ids = np.array([product_rows[i] for i in range(len(product_rows))], dtype=np.int64)
    flow_rows = lca.dicts.biosphere.reversed
    flow_ids = np.array([flow_rows[i] for i in range(len(flow_rows))], dtype=np.int64)
    return MatrixParts(
        sp.csr_matrix(lca.technosphere_matrix.T),
        sp.csr_matrix(lca.biosphere_matrix.T),
        factors,
        product_ids,
        flow_ids,
    )


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
