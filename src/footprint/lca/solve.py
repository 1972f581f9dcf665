"""The adjoint solve Aᵀ·λ = h for supply-chain matrices, chosen from their structure.

Public face: ``solve_transposed(Aᵀ, H)`` (and ``solve_adjoint(A, H)``) solve every column of H
at once and name the path that ran; ``solve`` returns the same with the details of each loop.

The matrix is put in block-triangular form first: its strongly connected components (the loops)
in topological order, upstream first.  Then, segment by segment in that order:

- **small loops** (≤ ``SMALL_BLOCK`` activities; a nearly triangular database has only these)
  are factorised together by SuperLU in that order, where fill stays inside the loop blocks:
  without pivoting (technosphere diagonals are the production amounts and dominate their
  columns), accepted only when the componentwise residual is at rounding level, else with
  partial pivoting in the same order;
- **a large loop** (real databases such as ecoinvent have one: markets ⇄ producers, Kuczenski
  2015) is never given to an LU in its natural order, which fills a quarter of the dense block.
  It is solved by Jacobi sweeps λ ← D⁻¹(h − N·λ) with all right-hand sides together (the
  Neumann series bw_timex sums, preconditioned by the production amounts as bw2calc's
  ``JacobiGMRESLCA`` is), run until the change is at rounding level and accepted only when the
  componentwise backward error is.  When the sweeps do not contract fast enough (spectral
  radius near or above 1, a zero production amount), the fallback is a direct LU in a
  fill-reducing order whose fill is bounded before it is attempted: the loop's feedback
  activities (the most used, found by peeling the loop until only small loops remain) last,
  the rest block-triangular before them.  Only when that bound is above ``FILL_BUDGET`` does
  SuperLU's own COLAMD ordering run, with pivoting.

A column of the right-hand side that is zero everywhere (an indicator no activity of the
project emits for) is not solved: its λ is exactly zero.  Every indicator's column is solved
together with the others (one factorisation, one multi-column solve, one residual check over
all columns), so 25 EF 3.1 methods cost little more than the four climate ones.

The name of the path that ran is reported (``Solved.solver``; the engine puts it in the
assessment's ``method.solver``).
"""

from __future__ import annotations

import math
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import MatrixRankWarning, SuperLU, splu

_RESIDUAL_TOLERANCE = 1e-12
SMALL_BLOCK = 500  # a loop this size or smaller is factorised directly
FILL_BUDGET = 30_000_000  # stored entries of L + U the ordered LU of one large loop may take
MAX_SWEEPS = 600
_CONVERGED_CHANGE = 1e-15  # relative change per sweep at which Jacobi is at rounding level
_STAGNATION = 1e-13  # a change this small that stops shrinking is rounding noise
_NEGLIGIBLE = 1e-8  # a component this small against its column's largest counts absolutely

BLOCK_TRIANGULAR = "superlu-block-triangular"
BLOCK_TRIANGULAR_PIVOTED = "superlu-block-triangular-pivoted"
JACOBI = "jacobi"
FEEDBACK_LAST_LU = "superlu-feedback-last"
FEEDBACK_LAST_LU_PIVOTED = "superlu-feedback-last-pivoted"
COLAMD_LU = "superlu-colamd-pivoted"

MAX_KRYLOV_ITERATIONS = 300  # BiCGSTAB iterations (two products each) before the direct LU
BICGSTAB = "bicgstab"

LargeBlockMethod = Literal["auto", "krylov", "direct"]


@dataclass(frozen=True)
class LargeBlock:
    """How one large loop was solved."""

    size: int
    method: str  # JACOBI, BICGSTAB, FEEDBACK_LAST_LU(_PIVOTED) or COLAMD_LU
    sweeps: int = 0  # Jacobi sweeps run (also when they were abandoned for the fallback)
    contraction: float | None = None  # Jacobi's observed contraction per sweep
    krylov_iterations: int = 0  # BiCGSTAB iterations run (also when abandoned)
    feedback: int | None = None  # activities ordered last by the ordered LU
    fill_bound: int | None = None  # L + U entries bound computed before the ordered LU
    fill: int | None = None  # L + U entries of the LU that ran

    def describe(self) -> str:
        text = f"loop of {self.size} activities: {self.method}"
        if self.method == JACOBI:
            return f"{text}, {self.sweeps} sweeps"
        if self.method == BICGSTAB:
            text += f", {self.krylov_iterations} iterations"
        if self.sweeps:
            text += f" after {self.sweeps} Jacobi sweeps (contraction {self.contraction:.3g})"
        if self.krylov_iterations and self.method != BICGSTAB:
            text += f" and {self.krylov_iterations} BiCGSTAB iterations"
        if self.fill is not None:
            text += f", fill {self.fill:,}"
        if self.fill_bound is not None:
            text += f" (bound {self.fill_bound:,}, {self.feedback} feedback activities)"
        return text


@dataclass(frozen=True)
class Solved:
    """λ, and which path computed it."""

    solution: np.ndarray
    small_blocks: str  # BLOCK_TRIANGULAR or BLOCK_TRIANGULAR_PIVOTED
    large_blocks: list[LargeBlock] = field(default_factory=list)

    @property
    def solver(self) -> str:
        """``superlu-block-triangular``, plus ``; loop of n activities: …`` per large loop."""
        return "; ".join([self.small_blocks, *(block.describe() for block in self.large_blocks)])


def solve_adjoint(technosphere: sp.spmatrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    """Solve Aᵀ·λ = rhs for every column of ``rhs``; return λ and the name of the solve used."""
    return solve_transposed(sp.csr_matrix(technosphere.T), rhs)


def solve_transposed(transposed: sp.spmatrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    """Solve M·λ = rhs where M = Aᵀ (row i: the inputs of activity i), all columns at once."""
    solved = solve(transposed, rhs)
    return solved.solution, solved.solver


def solve(
    transposed: sp.spmatrix,
    rhs: np.ndarray,
    *,
    small_block: int = SMALL_BLOCK,
    large_blocks: LargeBlockMethod = "auto",
    fill_budget: int = FILL_BUDGET,
) -> Solved:
    """Solve M·λ = rhs (M = Aᵀ in any sparse format); see the module docstring for the path.

    ``large_blocks="krylov"`` skips the Jacobi sweeps (BiCGSTAB, then the ordered LU),
    ``large_blocks="direct"`` both iterations (the ordered LU runs); ``small_block`` and
    ``fill_budget`` move the thresholds (tests force each path with them).
    """
    matrix = sp.csr_matrix(transposed, dtype=np.float64)
    rhs = np.asarray(rhs, dtype=float).reshape(matrix.shape[0], -1)
    live = _live_columns(rhs)
    if live is not None:  # an all-zero column's solution is exactly zero: not solved
        solved = solve(
            matrix,
            rhs[:, live],
            small_block=small_block,
            large_blocks=large_blocks,
            fill_budget=fill_budget,
        )
        solution = np.zeros_like(rhs)
        solution[:, live] = solved.solution
        return Solved(solution, solved.small_blocks, solved.large_blocks)
    order, labels, (permuted, inverse, permuted_rows) = _block_order(matrix)
    permuted_rhs = rhs[order]
    starts = _block_starts(labels[order])
    sizes = np.diff(np.append(starts, matrix.shape[0]))
    if not np.any(sizes > small_block):
        solution, name = _small_blocks_solve(permuted, permuted_rhs, permuted_rows)
        return Solved(solution[inverse], name)
    rows = permuted_rows
    solution = np.zeros_like(permuted_rhs)
    small_names: set[str] = set()
    large: list[LargeBlock] = []
    for start, end, is_large in _segments(starts, sizes, small_block, matrix.shape[0]):
        # block lower triangular: the rows of a segment reach no column beyond it, and
        # solution[start:] is still zero
        segment_rows = rows[start:end]
        segment_rhs = permuted_rhs[start:end] - segment_rows @ solution
        block = segment_rows[:, start:end]
        if is_large:
            solution[start:end], report = _large_block_solve(
                block.tocsr(), segment_rhs, large_blocks, small_block, fill_budget
            )
            large.append(report)
        else:
            solution[start:end], name = _small_blocks_solve(block.tocsc(), segment_rhs, block)
            small_names.add(name)
    pivoted = BLOCK_TRIANGULAR_PIVOTED in small_names
    small = BLOCK_TRIANGULAR_PIVOTED if pivoted else BLOCK_TRIANGULAR
    return Solved(solution[inverse], small, large)


def _live_columns(rhs: np.ndarray) -> np.ndarray | None:
    """The columns of ``rhs`` with a non-zero entry, or None when that is all of them.

    M·λ = 0 has the solution λ = 0 (exactly, and the only one for a regular M); one column is
    kept when all are zero, so a singular matrix is still reported.  An indicator that no
    activity of the project emits (most EF 3.1 categories on footprint's shipped datasets)
    then costs nothing in the solve.
    """
    if not rhs.shape[1]:
        return None
    live = np.flatnonzero(np.any(rhs != 0, axis=0))
    if not len(live):
        live = np.zeros(1, dtype=np.int64)
    return None if len(live) == rhs.shape[1] else live


# -- order -------------------------------------------------------------------------------------


def _block_order(
    matrix: sp.csr_matrix,
) -> tuple[np.ndarray, np.ndarray, tuple[sp.csc_matrix, np.ndarray, sp.csr_matrix]]:
    """An order in which the components come dependencies first, each node's component, and
    the matrix permuted to that order with the inverse permutation (``_permuted_csc``)."""
    count, labels = connected_components(matrix, directed=True, connection="strong")
    # SciPy's (Pearce's) algorithm numbers the components as it completes them, dependencies
    # first: that order is tried, and checked, as it is not a documented promise
    order = np.argsort(labels, kind="stable")
    permuted = _permuted_csc(matrix, order)
    if not _block_lower_triangular(permuted[0], labels[order]):
        order = _kahn_order(matrix, count, labels)
        permuted = _permuted_csc(matrix, order)
    return order, labels, permuted


def topological_order(matrix: sp.spmatrix) -> np.ndarray:
    """Node order in which strongly connected components come in topological order.

    ``matrix[i, j] != 0`` means node i depends on node j: j's component comes first.
    """
    return _block_order(sp.csr_matrix(matrix))[0]


def _block_starts(ordered_labels: np.ndarray) -> np.ndarray:
    if not len(ordered_labels):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], ordered_labels[1:] != ordered_labels[:-1])))


def _segments(
    starts: np.ndarray, sizes: np.ndarray, small_block: int, size: int
) -> list[tuple[int, int, bool]]:
    """Runs of consecutive small blocks, and each large block alone: (start, end, is_large)."""
    segments: list[tuple[int, int, bool]] = []
    run_start: int | None = None
    for start, length in zip(starts.tolist(), sizes.tolist(), strict=True):
        if length > small_block:
            if run_start is not None:
                segments.append((run_start, start, False))
                run_start = None
            segments.append((start, start + length, True))
        elif run_start is None:
            run_start = start
    if run_start is not None:
        segments.append((run_start, size, False))
    return segments


def _permuted_csc(
    matrix: sp.csr_matrix, order: np.ndarray
) -> tuple[sp.csc_matrix, np.ndarray, sp.csr_matrix]:
    """P·M·Pᵀ in CSC (rows and columns taken in ``order``), the inverse permutation, and
    P·M·Pᵀ in CSR (each row's columns unsorted: what the residual check multiplies by)."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    rows = matrix[order]  # rows gathered; columns renumbered below
    renumbered = sp.csr_matrix(
        (rows.data, inverse[rows.indices], rows.indptr), shape=matrix.shape, copy=False
    )
    return renumbered.tocsc(), inverse, renumbered  # CSC conversion sorts each column's rows


def _block_lower_triangular(matrix: sp.csc_matrix, labels: np.ndarray) -> bool:
    """Whether every entry above the diagonal lies inside its component's diagonal block.

    ``labels``: the component of each row/column, each component's rows contiguous.  Rows are sorted
    within each column, so the first row of each column is enough.
    """
    size = matrix.shape[0]
    if not size:
        return True
    block_starts = _block_starts(labels)
    block_start = np.repeat(block_starts, np.diff(np.append(block_starts, size)))
    counts = np.diff(matrix.indptr)
    filled = counts > 0
    first_rows = matrix.indices[matrix.indptr[:-1][filled]]
    return bool(np.all(first_rows >= block_start[filled]))


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


# -- small loops: SuperLU in block-triangular order ---------------------------------------------


def _small_blocks_solve(
    matrix: sp.csc_matrix, rhs: np.ndarray, rows: sp.csr_matrix | None = None
) -> tuple[np.ndarray, str]:
    """LU in the given (block-triangular) order: no pivoting, else partial pivoting.

    ``rows``: the same matrix in CSR when the caller has it (the residual check multiplies
    by rows; converting 214,000 entries costs about 1 ms).
    """
    checked = matrix if rows is None else rows
    for threshold, name in ((0.0, BLOCK_TRIANGULAR), (1.0, BLOCK_TRIANGULAR_PIVOTED)):
        solution, _ = _lu_solve(matrix, rhs, threshold)
        if solution is not None and _residual_ok(checked, solution, rhs):
            return solution, name
    solution, _ = _lu_solve(matrix, rhs, 1.0)
    if solution is None:
        raise np.linalg.LinAlgError("the technosphere matrix is singular")
    return solution, BLOCK_TRIANGULAR_PIVOTED


def _lu_solve(
    matrix: sp.csc_matrix, rhs: np.ndarray, threshold: float, permc_spec: str = "NATURAL"
) -> tuple[np.ndarray | None, int]:
    """SuperLU's solution (None when singular or not finite) and the fill of L + U."""
    natural = permc_spec == "NATURAL"
    with warnings.catch_warnings():
        warnings.simplefilter("error", MatrixRankWarning)
        try:
            lu = splu(
                matrix,
                permc_spec=permc_spec,
                diag_pivot_thresh=threshold,
                # in the given order the loop blocks are small: no supernodes
                **({"relax": 1, "panel_size": 1} if natural else {}),
                options={"SymmetricMode": natural and threshold < 1.0},
            )
            solution = _grouped_solve(lu, rhs)
        except (RuntimeError, MatrixRankWarning):  # exactly singular pivot
            return None, 0
    fill = int(lu.L.nnz + lu.U.nnz)
    return (solution if np.all(np.isfinite(solution)) else None), fill


_SOLVE_COLUMNS = 4  # right-hand sides per SuperLU triangular solve


def _grouped_solve(lu: SuperLU, rhs: np.ndarray) -> np.ndarray:
    """SuperLU's solve, ``_SOLVE_COLUMNS`` right-hand sides at a time, into a C-ordered array.

    SuperLU updates every right-hand side column (Fortran order: C order is 3× slower) for
    each entry of L and U, so all columns of the solution are its working set: with 25
    columns on a 20,000-activity matrix (4 MB) that leaves the core's cache, with 4 (640 KB)
    it mostly stays (20 → 13 ms CPU there, best of 9; the same bits as one call there, not
    everywhere: SuperLU's dense kernels may round one column differently from several).
    C order out is what the residual check multiplies by rows.
    """
    columns = np.asfortranarray(rhs)  # each group of columns is then one contiguous block
    solution = np.empty(rhs.shape)
    for start in range(0, rhs.shape[1], _SOLVE_COLUMNS):
        group = slice(start, start + _SOLVE_COLUMNS)
        solution[:, group] = lu.solve(columns[:, group])
    return solution


def _residual_ok(matrix: sp.spmatrix, x: np.ndarray, rhs: np.ndarray) -> bool:
    """Componentwise backward error |A·x − b| ≤ tol·(|A|·|x| + |b|).

    Checked first against the smaller scale tol·(|diag A|·|x| + |b|) (row by row
    |A_ii·x_i| ≤ Σ_j |A_ij·x_j|): an entry within it passes the full test too.  In a
    technosphere the production amount on the diagonal carries about half of each row's
    |A|·|x|, so nearly every entry passes there, and |A|·|x| is formed only for the rows of
    those that do not.  One sparse product and a few whole-array passes for all columns (no
    Python loop over slices of rows: with 25 columns on 20,000 activities the slices' own
    overhead cost as much as the product; 10.6 → 6.1 ms CPU, best of 15).
    """
    if not np.all(np.isfinite(x)):
        return False
    # by rows, on C-ordered blocks: SciPy's CSC product (or F-ordered x) is 5× slower
    rows = matrix if sp.isspmatrix_csr(matrix) else sp.csr_matrix(matrix)
    x = np.ascontiguousarray(x)
    rhs = np.asarray(rhs).reshape(x.shape)
    residual = rows @ x
    residual -= rhs
    scale = np.abs(x)
    scale *= np.abs(rows.diagonal())[:, None]
    scale += np.abs(rhs)
    scale *= _RESIDUAL_TOLERANCE
    scale += 1e-300
    # |r| > s ⇔ r > s or r < −s, without an array of |r|
    outside = residual > scale
    np.negative(scale, out=scale)
    outside |= residual < scale
    rows_outside = np.flatnonzero(outside.any(axis=1))
    if not len(rows_outside):
        return True
    magnitude = rows[rows_outside]
    np.abs(magnitude.data, out=magnitude.data)
    full = magnitude @ np.abs(x)
    full += np.abs(rhs[rows_outside])
    full *= _RESIDUAL_TOLERANCE
    full += 1e-300
    return bool(np.all(np.abs(residual[rows_outside]) <= full))


# -- a large loop: Jacobi sweeps, else an ordered LU --------------------------------------------


def _large_block_solve(
    block: sp.csr_matrix,
    rhs: np.ndarray,
    method: LargeBlockMethod,
    small_block: int,
    fill_budget: int,
) -> tuple[np.ndarray, LargeBlock]:
    size = block.shape[0]
    sweeps, contraction, iterations = 0, None, 0
    if method == "auto":
        solution, sweeps, contraction = _jacobi(block, rhs)
        if solution is not None and _residual_ok(block, solution, rhs):
            return solution, LargeBlock(size, JACOBI, sweeps, contraction)
    if method in ("auto", "krylov"):
        solution, iterations = _bicgstab(block, rhs)
        if solution is not None and _residual_ok(block, solution, rhs):
            return solution, LargeBlock(size, BICGSTAB, sweeps, contraction, iterations)
    order, feedback, bound = _feedback_last_order(block, small_block, fill_budget)
    if order is not None and bound <= fill_budget:
        permuted, inverse, _ = _permuted_csc(block, order)
        for threshold, name in ((0.0, FEEDBACK_LAST_LU), (0.1, FEEDBACK_LAST_LU_PIVOTED)):
            solution, fill = _lu_solve(permuted, rhs[order], threshold)
            if solution is not None and _residual_ok(permuted, solution, rhs[order]):
                report = LargeBlock(
                    size, name, sweeps, contraction, iterations, feedback, bound, fill
                )
                return solution[inverse], report
    solution, fill = _lu_solve(block.tocsc(), rhs, 1.0, permc_spec="COLAMD")
    if solution is None:
        raise np.linalg.LinAlgError("the technosphere matrix is singular")
    known_bound = bound if order is not None else None
    return solution, LargeBlock(
        size, COLAMD_LU, sweeps, contraction, iterations, feedback, known_bound, fill
    )


def _bicgstab(block: sp.csr_matrix, rhs: np.ndarray) -> tuple[np.ndarray | None, int]:
    """BiCGSTAB on every column together (each its own scalars, one sparse × dense-block
    product per half step), right-preconditioned by the production amounts D (as bw2calc's
    ``JacobiGMRESLCA`` preconditions GMRES).  For loops where Jacobi contracts too slowly
    (spectral radius of D⁻¹N near or above 1): Krylov methods do not need it below 1.

    Runs until each column's residual is at rounding level (max-norm ≤ 1e-16 of
    ‖A‖·‖x‖ + ‖b‖) or stops shrinking, then once more from the true residual (one step of
    iterative refinement).  Returns (x or None, iterations); the caller accepts x only on
    the componentwise backward error.
    """
    diagonal = block.diagonal()
    if not np.all(diagonal != 0) or not np.all(np.isfinite(diagonal)):
        return None, 0
    inverse_diagonal = (1.0 / diagonal)[:, None]
    norm = float(abs(block).sum(axis=1).max()) if block.nnz else 0.0
    x = rhs * inverse_diagonal
    total = 0
    for _ in range(2):  # the second pass refines from the true residual
        correction, iterations = _bicgstab_pass(block, rhs - block @ x, inverse_diagonal, norm, x)
        total += iterations
        if correction is None:
            return None, total
        x = x + correction
    return (x if np.all(np.isfinite(x)) else None), total


def _bicgstab_pass(
    block: sp.csr_matrix,
    residual: np.ndarray,
    inverse_diagonal: np.ndarray,
    norm: float,
    x_scale: np.ndarray,
) -> tuple[np.ndarray | None, int]:
    """One BiCGSTAB run for A·d = residual from d = 0; (d or None, iterations).

    Every column is updated in place each iteration; a finished column (at rounding level,
    stalled, broken down) gets zero step lengths from then on, so it no longer changes and no
    columns are gathered or scattered.
    """
    r = np.array(residual, order="C")
    shadow = r.copy()
    d = np.zeros_like(r)
    p = np.zeros_like(r)
    v = np.zeros_like(r)
    work = np.empty_like(r)
    k = r.shape[1]
    rho_old = np.ones(k)
    alpha = np.ones(k)
    omega = np.ones(k)
    target = 1e-16 * (norm * np.abs(x_scale).max(axis=0) + np.abs(residual).max(axis=0))
    best = np.abs(r).max(axis=0)
    since_best = np.zeros(k, dtype=np.int64)
    active = best > target
    iterations = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while active.any() and iterations < MAX_KRYLOV_ITERATIONS:
            iterations += 1
            rho = _column_dots(shadow, r)
            beta = np.where(active, (rho / rho_old) * (alpha / omega), 0.0)
            # p ← r + β(p − ω·v)
            np.multiply(v, omega, out=work)
            p -= work
            p *= beta
            p += r
            y = p * inverse_diagonal
            v = block @ y
            alpha = np.where(active, rho / _column_dots(shadow, v), 0.0)
            np.multiply(v, alpha, out=work)
            r -= work  # r is s from here
            z = r * inverse_diagonal
            t = block @ z
            omega = _column_dots(t, r) / _column_dots(t, t)
            omega = np.where(active & np.isfinite(omega), omega, 0.0)  # s = 0: the half step did it
            np.multiply(y, alpha, out=work)
            d += work
            np.multiply(z, omega, out=work)
            d += work
            np.multiply(t, omega, out=work)
            r -= work
            rho_old = np.where(active, rho, rho_old)
            size = np.abs(r, out=work).max(axis=0)
            if not np.all(np.isfinite(size)):
                return None, iterations  # breakdown
            improved = size < 0.5 * best
            best = np.where(improved, size, best)
            since_best = np.where(improved, 0, since_best + 1)
            # done: at rounding level, stalled (20 iterations without halving), or broken down
            stalled = (since_best >= 20) | (omega == 0.0) | (rho == 0.0)
            active &= ~((size <= target) | stalled)
    return d, iterations


def _column_dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->j", a, b)


def _jacobi(block: sp.csr_matrix, rhs: np.ndarray) -> tuple[np.ndarray | None, int, float | None]:
    """Jacobi sweeps x ← D⁻¹(b − N·x) on all columns; (x or None, sweeps, contraction).

    Stops when every component's change is at rounding level, or gives up when the observed
    contraction per sweep predicts more than ``MAX_SWEEPS`` sweeps (or none: divergence).
    """
    diagonal = block.diagonal()
    if not np.all(diagonal != 0) or not np.all(np.isfinite(diagonal)):
        return None, 0, None
    # scaled once, x ← D⁻¹h − (D⁻¹N)·x: one sparse product and one subtraction per sweep
    # (with every indicator's column, the vector passes cost as much as the product)
    inverse_diagonal = (1.0 / diagonal)[:, None]
    off_diagonal = sp.csr_matrix(sp.diags(inverse_diagonal[:, 0]) @ (block - sp.diags(diagonal)))
    off_diagonal.eliminate_zeros()
    scaled_rhs = np.ascontiguousarray(rhs * inverse_diagonal)
    x = scaled_rhs.copy()
    previous_change = math.inf
    contraction = None
    for sweep in range(1, MAX_SWEEPS + 1):
        updated = off_diagonal @ x
        np.subtract(scaled_rhs, updated, out=updated)
        change = np.subtract(updated, x, out=x)  # x's memory is reused for the change
        x = updated
        largest = _largest_magnitude(change)
        if not math.isfinite(largest):
            return None, sweep, contraction
        scale = _largest_magnitude(x)
        if largest <= _CONVERGED_CHANGE * scale:  # at rounding level for the largest: all?
            magnitude = np.abs(x)
            floor = _NEGLIGIBLE * magnitude.max(axis=0)
            if np.all(np.abs(change) <= _CONVERGED_CHANGE * (magnitude + floor)):
                return x, sweep, contraction
        if sweep > 1 and previous_change > 0:
            contraction = largest / previous_change
        previous_change = largest
        if contraction is not None and sweep >= 8 and largest > 0:
            if contraction >= 1.0:
                # stagnating in rounding noise: let the residual check judge; else diverging
                near = largest <= _STAGNATION * scale
                return (x if near else None), sweep, contraction
            # sweeps still needed to take the change to rounding level, 8 decades below the
            # largest component (the floor of the componentwise test)
            target = _CONVERGED_CHANGE * _NEGLIGIBLE * (scale or 1.0)
            needed = math.log(target / largest) / math.log(contraction)
            if sweep + needed > MAX_SWEEPS:
                return None, sweep, contraction
    return None, MAX_SWEEPS, contraction


def _largest_magnitude(values: np.ndarray) -> float:
    """max |v| without an array of |v| (NaN when there is one)."""
    if not values.size:
        return 0.0
    return max(float(values.max()), -float(values.min()))


def _feedback_last_order(
    block: sp.csr_matrix, small_block: int, fill_budget: int
) -> tuple[np.ndarray | None, int, int]:
    """An order for the LU of one large loop whose fill is bounded in advance.

    The loop is peeled: its most connected activities (in-degree × out-degree inside what is
    still a large loop) are set aside, 2 % at a time, until only loops of ≤ ``small_block``
    remain.  The rest goes first in block-triangular order, the set-aside (feedback) activities
    last.  Without pivoting, fill then stays inside the small loops' blocks, the feedback
    activities' rows and columns and their dense corner:
    bound = nnz + Σ bᵢ² + 2·k·(n − k) + k².  Returns (order, k, bound); order None when the
    bound passes ``fill_budget`` on the way.
    """
    size = block.shape[0]
    pattern = sp.csr_matrix((np.ones(block.nnz, dtype=np.int8), block.indices, block.indptr),
                            shape=block.shape)  # fmt: skip
    kept = np.ones(size, dtype=bool)
    while True:
        rest = np.flatnonzero(kept)
        sub = pattern[rest][:, rest]
        _, labels = connected_components(sub, directed=True, connection="strong")
        sizes = np.bincount(labels)
        in_large = sizes[labels] > small_block
        feedback = size - len(rest)
        # the small loops' squares count once peeling is done; the rest grows with k
        bound = _fill_bound(block.nnz, sizes[sizes <= small_block], feedback, size)
        if bound > fill_budget:
            return None, feedback, bound
        if not in_large.any():
            break
        large_nodes = np.flatnonzero(in_large)
        inner = sub[large_nodes][:, large_nodes]
        score = np.diff(inner.indptr).astype(np.float64) * np.asarray(inner.sum(axis=0)).ravel()
        take = max(1, int(0.02 * len(large_nodes)))
        chosen = large_nodes[np.argsort(-score, kind="stable")[:take]]
        kept[rest[chosen]] = False
    rest = np.flatnonzero(kept)
    order = np.concatenate([rest[topological_order(pattern[rest][:, rest])], np.flatnonzero(~kept)])
    return order, size - len(rest), bound


def _fill_bound(nnz: int, rest_block_sizes: np.ndarray, feedback: int, size: int) -> int:
    squares = int(np.sum(rest_block_sizes.astype(np.int64) ** 2))
    return nnz + squares + 2 * feedback * (size - feedback) + feedback**2


# -- many matrices of one pattern (Monte Carlo) ------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The block-triangular order of one sparsity pattern of M = Aᵀ, computed once for many
    matrices that share it (Monte Carlo iterations change values, never the structure).

    ``slots[k]``: where entry k of M's CSR data goes in the permuted CSC data.
    """

    size: int
    csr_indptr: np.ndarray  # M's own CSR pattern
    csr_indices: np.ndarray
    order: np.ndarray
    inverse: np.ndarray
    indptr: np.ndarray  # the permuted CSC pattern
    indices: np.ndarray
    slots: np.ndarray
    small_only: bool  # every loop ≤ ``SMALL_BLOCK``: one LU in this order solves it

    @classmethod
    def of(cls, indptr: np.ndarray, indices: np.ndarray, size: int) -> Plan:
        """The plan of the CSR pattern (``indptr``, ``indices``) of a size × size M."""
        numbered = sp.csr_matrix(
            (np.arange(1, len(indices) + 1, dtype=np.float64), indices, indptr), shape=(size, size)
        )
        order, labels, (permuted, inverse, _) = _block_order(numbered)
        sizes = np.bincount(labels) if size else np.zeros(0, dtype=np.int64)
        slots = np.empty(len(indices), dtype=np.int64)
        slots[permuted.data.astype(np.int64) - 1] = np.arange(len(indices))
        return cls(
            size,
            np.asarray(indptr),
            np.asarray(indices),
            order,
            inverse,
            permuted.indptr.copy(),
            permuted.indices.copy(),
            slots,
            not np.any(sizes > SMALL_BLOCK),
        )


def solve_planned(plan: Plan, data: np.ndarray, rhs: np.ndarray) -> Solved:
    """Solve M·λ = rhs where M has ``plan``'s CSR pattern and CSR ``data``: the same path as
    ``solve``, without recomputing the order (a large loop goes through ``solve`` itself)."""
    rhs = np.asarray(rhs, dtype=float).reshape(plan.size, -1)
    if not plan.small_only:
        shape = (plan.size, plan.size)
        return solve(sp.csr_matrix((data, plan.csr_indices, plan.csr_indptr), shape=shape), rhs)
    values = np.empty(len(data))
    values[plan.slots] = data
    permuted = sp.csc_matrix((values, plan.indices, plan.indptr), shape=(plan.size, plan.size))
    solution, name = _small_blocks_solve(permuted, rhs[plan.order])
    return Solved(solution[plan.inverse], name)
