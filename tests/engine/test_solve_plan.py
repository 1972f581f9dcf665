"""``solve.Plan`` / ``solve_planned``: the order computed once for a pattern solves every matrix
of that pattern as ``solve`` does (the same bits), and both agree with SciPy's ``spsolve``."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from footprint.lca.solve import SMALL_BLOCK, Plan, solve, solve_planned


def _looped(size: int, loop: int, rng: np.random.Generator) -> sp.csr_matrix:
    """M = Aᵀ: production amounts on the diagonal, inputs from upstream activities and a ring
    ``loop`` activities long (one strongly connected component of that size)."""
    rows, cols, values = list(range(size)), list(range(size)), [1.0] * size
    for i in range(1, size):
        for j in rng.choice(i, size=min(i, 2), replace=False):
            rows.append(i)
            cols.append(int(j))
            values.append(-float(rng.uniform(0.01, 0.2)))
    for i in range(loop):
        rows.append(i)
        cols.append((i + 1) % loop)
        values.append(-0.3)
    return sp.csr_matrix((values, (rows, cols)), shape=(size, size))


def _check(matrix: sp.csr_matrix, rng: np.random.Generator) -> Plan:
    matrix.sort_indices()
    plan = Plan.of(matrix.indptr, matrix.indices, matrix.shape[0])
    for _ in range(3):  # new values in the same pattern, as Monte Carlo iterations give
        varied = matrix.copy()
        varied.data = matrix.data * rng.lognormal(0, 0.2, len(matrix.data))
        rhs = rng.random(matrix.shape[0])
        planned = solve_planned(plan, varied.data, rhs)
        direct = solve(varied, rhs)
        assert np.array_equal(planned.solution, direct.solution)
        assert planned.solver == direct.solver
        np.testing.assert_allclose(planned.solution[:, 0], spsolve(varied.tocsc(), rhs), rtol=1e-10)
    return plan


def test_small_loops_reuse_the_order() -> None:
    rng = np.random.default_rng(1)
    plan = _check(_looped(300, 12, rng), rng)
    assert plan.small_only


def test_a_large_loop_goes_through_solve() -> None:
    rng = np.random.default_rng(2)
    plan = _check(_looped(SMALL_BLOCK + 150, SMALL_BLOCK + 50, rng), rng)
    assert not plan.small_only
