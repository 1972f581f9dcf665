"""The adjoint solve Aᵀ·λ = h for supply-chain matrices, chosen from their structure.

Supply-chain technosphere matrices are nearly triangular (upstream first) with small loops.
A general sparse LU with a fill-reducing ordering can be catastrophically slow on them
(SuperLU's default COLAMD ordering took minutes on 20,000 activities), so the matrix is put in
block-triangular form first: its strongly connected components (the loops) in topological
order, upstream first.  SuperLU then factorises it in that order: fill stays inside the loop
blocks, and one factorisation solves every indicator at once.

1. Without pivoting (technosphere diagonals are the production amounts and dominate their
   columns), accepted only when the componentwise residual is at rounding level.
2. Otherwise with SuperLU's partial pivoting, in the same order.
"""

from __future__ import annotations

import warnings
from collections import deque

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import MatrixRankWarning, splu

_RESIDUAL_TOLERANCE = 1e-12
BLOCK_TRIANGULAR = "superlu-block-triangular"
BLOCK_TRIANGULAR_PIVOTED = "superlu-block-triangular-pivoted"


def solve_adjoint(technosphere: sp.spmatrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    """Solve Aᵀ·λ = rhs for every column of ``rhs``; return λ and the name of the solve used."""
    return solve_transposed(sp.csr_matrix(technosphere.T), rhs)


def solve_transposed(transposed: sp.csr_matrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    """Solve M·λ = rhs where M = Aᵀ is given as CSR (row i: the inputs of activity i)."""
    rhs = np.asarray(rhs, dtype=float).reshape(transposed.shape[0], -1)
    count, labels = connected_components(transposed, directed=True, connection="strong")
    # SciPy's (Pearce's) algorithm numbers the components as it completes them, dependencies
    # first: that order is tried, and checked, as it is not a documented promise
    order = np.argsort(labels, kind="stable")
    permuted, inverse = _permuted_csc(transposed, order)
    if not _block_lower_triangular(permuted, labels[order]):
        order = _kahn_order(transposed, count, labels)
        permuted, inverse = _permuted_csc(transposed, order)
    permuted_rhs = rhs[order]
    for threshold, name in ((0.0, BLOCK_TRIANGULAR), (1.0, BLOCK_TRIANGULAR_PIVOTED)):
        solution = _lu_solve(permuted, permuted_rhs, threshold)
        if solution is not None and _residual_ok(permuted, solution, permuted_rhs):
            return solution[inverse], name
    solution = _lu_solve(permuted, permuted_rhs, 1.0)
    if solution is None:
        raise np.linalg.LinAlgError("the technosphere matrix is singular")
    return solution[inverse], BLOCK_TRIANGULAR_PIVOTED


def _permuted_csc(matrix: sp.csr_matrix, order: np.ndarray) -> tuple[sp.csc_matrix, np.ndarray]:
    """P·M·Pᵀ in CSC (rows and columns taken in ``order``), and the inverse permutation."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    rows = matrix[order]  # rows gathered; columns renumbered below
    renumbered = sp.csr_matrix(
        (rows.data, inverse[rows.indices], rows.indptr), shape=matrix.shape, copy=False
    )
    return renumbered.tocsc(), inverse  # CSC conversion sorts each column's rows


def _block_lower_triangular(matrix: sp.csc_matrix, labels: np.ndarray) -> bool:
    """Whether every entry above the diagonal lies inside its component's diagonal block.

    ``labels``: the component of each row/column, each component's rows contiguous.  Rows are sorted
    within each column, so the first row of each column is enough.
    """
    size = matrix.shape[0]
    if not size:
        return True
    block_starts = np.flatnonzero(np.concatenate(([True], labels[1:] != labels[:-1])))
    block_start = np.repeat(block_starts, np.diff(np.append(block_starts, size)))
    counts = np.diff(matrix.indptr)
    filled = counts > 0
    first_rows = matrix.indices[matrix.indptr[:-1][filled]]
    return bool(np.all(first_rows >= block_start[filled]))


def _lu_solve(matrix: sp.csc_matrix, rhs: np.ndarray, threshold: float) -> np.ndarray | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MatrixRankWarning)
        try:
            lu = splu(
                matrix,
                permc_spec="NATURAL",
                diag_pivot_thresh=threshold,
                relax=1,  # no supernodes: the loop blocks are small, amalgamating them costs
                panel_size=1,
                options={"SymmetricMode": threshold == 0.0},
            )
            solution = lu.solve(rhs)
        except (RuntimeError, MatrixRankWarning):  # exactly singular pivot
            return None
    return solution if np.all(np.isfinite(solution)) else None


def _residual_ok(matrix: sp.csc_matrix, x: np.ndarray, rhs: np.ndarray) -> bool:
    """Componentwise backward error |A·x − b| ≤ tol·(|A|·|x| + |b|)."""
    residual = np.abs(matrix @ x - rhs)
    magnitude = sp.csc_matrix((np.abs(matrix.data), matrix.indices, matrix.indptr), matrix.shape)
    scale = magnitude @ np.abs(x) + np.abs(rhs)
    return bool(np.all(residual <= _RESIDUAL_TOLERANCE * scale + 1e-300))


def topological_order(matrix: sp.spmatrix) -> np.ndarray:
    """Node order in which strongly connected components come in topological order.

    ``matrix[i, j] != 0`` means node i depends on node j: j's component comes first.
    """
    graph = sp.csr_matrix(matrix)
    count, labels = connected_components(graph, directed=True, connection="strong")
    order = np.argsort(labels, kind="stable")
    permuted, _ = _permuted_csc(graph, order)
    if _block_lower_triangular(permuted, labels[order]):
        return order
    return _kahn_order(graph, count, labels)


def _kahn_order(graph: sp.csr_matrix, count: int, labels: np.ndarray) -> np.ndarray:
    """Components in topological order by Kahn's algorithm on the condensed graph."""
    targets = labels[graph.indices]
    sources = np.repeat(labels, np.diff(graph.indptr))
    between = sources != targets
    # dependency → dependant
    edges = np.unique(np.stack([targets[between], sources[between]]), axis=1)
    condensed = sp.csr_matrix((np.ones(edges.shape[1]), (edges[0], edges[1])), shape=(count, count))
    indegree = np.bincount(edges[1], minlength=count)
    queue = deque(np.flatnonzero(indegree == 0).tolist())
    rank = np.empty(count, dtype=np.int64)
    position = 0
    indptr, indices = condensed.indptr, condensed.indices
    while queue:
        component = queue.popleft()
        rank[component] = position
        position += 1
        for successor in indices[indptr[component] : indptr[component + 1]]:
            indegree[successor] -= 1
            if indegree[successor] == 0:
                queue.append(successor)
    return np.argsort(rank[labels], kind="stable")
