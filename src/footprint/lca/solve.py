"""The adjoint solve Aᵀ·λ = h for supply-chain matrices, chosen from their structure.

Supply-chain technosphere matrices are nearly triangular (upstream first) with small loops.
A general sparse LU with a fill-reducing ordering can be catastrophically slow on them, so:

1. Jacobi (Neumann series) iteration on Aᵀ: exact after as many sweeps as the supply chain
   is deep when there are no loops, geometric inside loops.  Accepted only when the
   componentwise residual is at rounding level.
2. Otherwise a direct solve: the strongly connected components of the graph are put in
   topological order, which makes the matrix block-triangular, and SuperLU factorises it
   in that order (no fill outside the loop blocks).
"""

from __future__ import annotations

from collections import deque

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

MAX_SWEEPS = 400
_STEP_TOLERANCE = 1e-15
_RESIDUAL_TOLERANCE = 1e-12


def solve_adjoint(technosphere: sp.spmatrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    """Solve Aᵀ·λ = rhs for every column of ``rhs``; return λ and the name of the solve used."""
    transposed = sp.csr_matrix(technosphere.T)
    rhs = np.asarray(rhs, dtype=float).reshape(transposed.shape[0], -1)
    solution = _jacobi(transposed, rhs)
    if solution is not None:
        return solution, "jacobi"
    return _block_triangular_lu(transposed, rhs), "superlu-block-triangular"


def _jacobi(matrix: sp.csr_matrix, rhs: np.ndarray) -> np.ndarray | None:
    diagonal = matrix.diagonal()
    if np.any(diagonal == 0):
        return None
    off_diagonal = (matrix - sp.diags(diagonal)).tocsr()
    inverse_diagonal = (1.0 / diagonal)[:, None]
    scaled_rhs = rhs * inverse_diagonal
    scaled = (off_diagonal.multiply(inverse_diagonal)).tocsr()  # D⁻¹·N: one product per sweep
    x = scaled_rhs
    for _ in range(MAX_SWEEPS):
        updated = scaled_rhs - scaled @ x
        step = np.abs(updated - x).max(initial=0.0)
        x = updated
        if not step <= _STEP_TOLERANCE * max(np.abs(x).max(initial=0.0), 1e-300):
            continue  # also true for NaN: a diverging iteration runs out of sweeps
        break
    else:
        return None
    if not np.all(np.isfinite(x)):
        return None
    return x if _residual_ok(matrix, x, rhs) else None


def _residual_ok(matrix: sp.csr_matrix, x: np.ndarray, rhs: np.ndarray) -> bool:
    """Componentwise backward error |A·x − b| ≤ tol·(|A|·|x| + |b|)."""
    residual = np.abs(matrix @ x - rhs)
    scale = abs(matrix) @ np.abs(x) + np.abs(rhs)
    return bool(np.all(residual <= _RESIDUAL_TOLERANCE * scale + 1e-300))


def _block_triangular_lu(matrix: sp.csr_matrix, rhs: np.ndarray) -> np.ndarray:
    order = topological_order(matrix)
    permuted = matrix[order][:, order].tocsc()
    lu = splu(permuted, permc_spec="NATURAL")
    solution_permuted = lu.solve(rhs[order])
    solution = np.empty_like(solution_permuted)
    solution[order] = solution_permuted
    return solution


def topological_order(matrix: sp.spmatrix) -> np.ndarray:
    """Node order in which strongly connected components come in topological order."""
    graph = sp.csr_matrix(matrix, copy=True)
    graph.setdiag(0)
    graph.eliminate_zeros()
    count, labels = connected_components(graph, directed=True, connection="strong")
    coo = graph.tocoo()
    between = labels[coo.row] != labels[coo.col]
    edges = np.unique(np.stack([labels[coo.row][between], labels[coo.col][between]]), axis=1)
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
