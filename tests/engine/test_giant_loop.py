"""The solve on real-shaped backgrounds: one giant loop in random insertion order, and nearly
triangular; every path (block-triangular, Jacobi, BiCGSTAB, ordered LU, COLAMD) against
``bw2calc.LCA`` or NumPy's dense solve.

The backgrounds are the benchmark's own generators (``benchmarks/engine.py``) at a size where
bw2calc answers in a fraction of a second.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

from footprint.lca import solve as solve_module
from footprint.lca.project import INDICATORS, footprint_method
from footprint.lca.solve import (
    BICGSTAB,
    BLOCK_TRIANGULAR,
    COLAMD_LU,
    FEEDBACK_LAST_LU,
    FEEDBACK_LAST_LU_PIVOTED,
    JACOBI,
    solve,
)

N = 1500
DATABASE = "synthetic"  # the benchmark's database name
LOOP_SHARE = 0.65


def _transposed(inputs: list[dict[int, float]], production: float = 1.0) -> sp.csr_matrix:
    """Aᵀ (row i: the inputs of activity i) from the generator's input lists."""
    n = len(inputs)
    rows = [i for i, row in enumerate(inputs) for _ in row]
    cols = [j for row in inputs for j in row]
    values = [-v for row in inputs for v in row.values()]
    off = sp.csr_matrix((values, (rows, cols)), shape=(n, n))
    return sp.csr_matrix(off + production * sp.eye(n))


def _bw_unit_scores(lca, ids: list[int]) -> np.ndarray:
    """λ of each activity id by bw2calc: the score of one unit of it, per indicator."""
    scores = np.zeros((len(ids), len(INDICATORS)))
    for k, indicator in enumerate(INDICATORS):
        lca.switch_method(footprint_method(indicator))
        for row, activity in enumerate(ids):
            lca.lci({activity: 1.0})
            lca.lcia_calculation()
            scores[row, k] = lca.score
    return scores


@pytest.fixture(scope="module")
def backgrounds(bw_template: str, engine_benchmark):
    """Two projects: a giant loop written in random order, and the nearly triangular one."""
    import bw2data as bd

    bench = engine_benchmark
    made = {}
    for shape, data in (
        ("loop", bench.giant_loop_background(N, LOOP_SHARE, insertion="random", seed=5)),
        ("triangular", bench.synthetic_background(n=N, seed=5)),
    ):
        name = f"footprint-test-shape-{shape}"
        bd.projects.set_current(bw_template)
        if name in bd.projects:
            bd.projects.delete_project(name, delete_dir=True)
        bd.projects.copy_project(name, switch=True)
        bd.Database(bench.DATABASE).write(data)
        made[shape] = name
    yield made
    bd.projects.set_current(bw_template)
    for name in made.values():
        bd.projects.delete_project(name, delete_dir=True)


def _matrices(project: str):
    import bw2data as bd

    from footprint.lca.unit_scores import brightway_matrices

    bd.projects.set_current(project)
    methods = [footprint_method(i) for i in INDICATORS]
    technosphere, characterised, product_ids = brightway_matrices(sorted(bd.databases), methods)
    return sp.csr_matrix(technosphere.T), characterised, product_ids


def _bw2calc_reference(project: str, product_ids: np.ndarray, count: int = 12):
    import bw2calc as bc
    import bw2data as bd
    from bw2data.backends import ActivityDataset

    bd.projects.set_current(project)
    rng = np.random.default_rng(3)
    query = ActivityDataset.select(ActivityDataset.id).where(ActivityDataset.database == DATABASE)
    synthetic = np.flatnonzero(np.isin(product_ids, [row.id for row in query]))
    rows = rng.choice(synthetic, size=count, replace=False)
    ids = [int(product_ids[r]) for r in rows]
    lca = bc.LCA({ids[0]: 1.0}, method=footprint_method("total"))
    lca.lci()
    return rows, _bw_unit_scores(lca, ids)


def test_the_loop_background_has_one_giant_loop_in_random_order(backgrounds) -> None:
    """Guard on the test itself: the shape the issue describes."""
    transposed, _, _ = _matrices(backgrounds["loop"])
    _, labels = connected_components(transposed, directed=True, connection="strong")
    largest = np.bincount(labels).max()
    assert largest >= 0.6 * N  # one loop of ~65 % of the activities (plus footprint's own)
    assert largest > solve_module.SMALL_BLOCK
    coo = transposed.tocoo()
    upstream_first = np.mean(coo.col[coo.row != coo.col] < coo.row[coo.row != coo.col])
    assert 0.3 < upstream_first < 0.7  # matrix order is insertion order: random, not upstream


@pytest.mark.parametrize(
    ("large_blocks", "fill_budget", "expected"),
    [
        ("auto", solve_module.FILL_BUDGET, {JACOBI}),
        ("krylov", solve_module.FILL_BUDGET, {BICGSTAB}),
        ("direct", solve_module.FILL_BUDGET, {FEEDBACK_LAST_LU, FEEDBACK_LAST_LU_PIVOTED}),
        ("direct", 0, {COLAMD_LU}),
    ],
)
def test_giant_loop_equals_bw2calc_on_every_path(
    backgrounds, large_blocks, fill_budget, expected
) -> None:
    transposed, characterised, product_ids = _matrices(backgrounds["loop"])
    solved = solve(transposed, characterised, large_blocks=large_blocks, fill_budget=fill_budget)
    assert [block.method for block in solved.large_blocks] and {
        block.method for block in solved.large_blocks
    } <= expected
    rows, expected_scores = _bw2calc_reference(backgrounds["loop"], product_ids)
    np.testing.assert_allclose(solved.solution[rows], expected_scores, rtol=1e-9, atol=1e-15)


def test_nearly_triangular_background_equals_bw2calc_block_triangular(backgrounds) -> None:
    transposed, characterised, product_ids = _matrices(backgrounds["triangular"])
    solved = solve(transposed, characterised)
    assert solved.solver == BLOCK_TRIANGULAR and not solved.large_blocks
    rows, expected_scores = _bw2calc_reference(backgrounds["triangular"], product_ids)
    np.testing.assert_allclose(solved.solution[rows], expected_scores, rtol=1e-9, atol=1e-15)


def test_project_unit_scores_report_the_path_that_ran(backgrounds) -> None:
    """Through the cached engine entry point: the solver name says Jacobi ran on the loop."""
    import bw2data as bd

    from footprint.lca.unit_scores import project_unit_scores

    bd.projects.set_current(backgrounds["loop"])
    scores = project_unit_scores([footprint_method(i) for i in INDICATORS], use_cache=False)
    assert scores.solver.startswith(f"{BLOCK_TRIANGULAR}; loop of ")
    assert f": {JACOBI}, " in scores.solver and " sweeps" in scores.solver


def _scaled_loop(bench, factor: float) -> tuple[sp.csr_matrix, np.ndarray, float]:
    """A 900-activity giant loop with every input × ``factor``; Aᵀ, its dense form, and the
    spectral radius of the loop's Jacobi iteration matrix D⁻¹N (NumPy's eigenvalues)."""
    inputs = bench.giant_loop_inputs(900, LOOP_SHARE, seed=8)
    transposed = _transposed([{j: factor * v for j, v in row.items()} for row in inputs])
    dense = transposed.toarray()
    _, labels = connected_components(transposed, directed=True, connection="strong")
    loop = np.flatnonzero(labels == np.argmax(np.bincount(labels)))
    block = dense[np.ix_(loop, loop)]
    iteration = np.eye(len(loop)) - block / np.diag(block)[:, None]  # D⁻¹N
    return transposed, dense, float(np.max(np.abs(np.linalg.eigvals(iteration))))


def test_loop_whose_iteration_must_fail_falls_back_exactly(engine_benchmark, monkeypatch) -> None:
    """Inputs summing above 1 in the loop: spectral radius of D⁻¹N above 1, Jacobi diverges;
    BiCGSTAB (which does not need the radius below 1) answers, and with BiCGSTAB cut short
    the ordered LU does; both equal to NumPy's dense solve."""
    transposed, dense, radius = _scaled_loop(engine_benchmark, 3.0)
    assert radius >= 1.0
    h = np.random.default_rng(4).uniform(0, 2, (900, 3))
    exact = np.linalg.solve(dense, h)
    solved = solve(transposed, h, small_block=100)
    (report,) = solved.large_blocks
    assert report.method == BICGSTAB and report.krylov_iterations > 0
    assert report.sweeps > 0 and report.contraction is not None and report.contraction >= 1.0
    np.testing.assert_allclose(solved.solution, exact, rtol=1e-9)
    monkeypatch.setattr(solve_module, "MAX_KRYLOV_ITERATIONS", 1)  # BiCGSTAB cannot finish
    solved = solve(transposed, h, small_block=100)
    (report,) = solved.large_blocks
    assert report.method in {FEEDBACK_LAST_LU, FEEDBACK_LAST_LU_PIVOTED}
    assert report.contraction >= 1.0 and report.krylov_iterations >= 1
    assert "BiCGSTAB iterations" in solved.solver
    np.testing.assert_allclose(solved.solution, exact, rtol=1e-9)


def test_loop_where_jacobi_is_too_slow_goes_to_bicgstab(engine_benchmark) -> None:
    """Spectral radius of D⁻¹N just below 1: Jacobi would need more than MAX_SWEEPS sweeps and
    gives up early; BiCGSTAB answers, equal to NumPy's dense solve."""
    transposed, dense, radius = _scaled_loop(engine_benchmark, 1.55)
    assert 0.9 < radius < 1.0
    h = np.random.default_rng(5).uniform(0, 2, (900, 4))
    solved = solve(transposed, h, small_block=100)
    (report,) = solved.large_blocks
    assert report.method == BICGSTAB
    assert report.sweeps < solve_module.MAX_SWEEPS  # given up early, from the contraction
    assert f"{BICGSTAB}, {report.krylov_iterations} iterations after" in solved.solver
    np.testing.assert_allclose(solved.solution, np.linalg.solve(dense, h), rtol=1e-9)


def test_a_large_loop_never_goes_to_an_unordered_lu(engine_benchmark, monkeypatch) -> None:
    """Every LU on a matrix holding the large loop is either in feedback-last order with its
    fill bounded beforehand, or SuperLU's COLAMD; the natural order is never factorised."""
    bench = engine_benchmark
    transposed = _transposed(bench.giant_loop_inputs(2000, LOOP_SHARE, seed=9))
    calls: list[tuple[sp.csc_matrix, str]] = []
    real = solve_module._lu_solve

    def spy(matrix, rhs, threshold, permc_spec="NATURAL"):
        calls.append((matrix, permc_spec))
        return real(matrix, rhs, threshold, permc_spec)

    monkeypatch.setattr(solve_module, "_lu_solve", spy)
    h = np.ones((2000, 2))
    solved = solve(transposed, h, large_blocks="direct")
    (report,) = solved.large_blocks
    assert report.method == FEEDBACK_LAST_LU
    assert report.feedback and report.fill_bound is not None and report.fill is not None
    assert report.fill <= report.fill_bound < report.size**2  # bounded beforehand, not dense
    _, labels = connected_components(transposed, directed=True, connection="strong")
    loop = np.flatnonzero(labels == np.argmax(np.bincount(labels)))
    natural = splu(transposed[loop][:, loop].tocsc(), permc_spec="NATURAL", diag_pivot_thresh=0)
    assert report.fill < (natural.L.nnz + natural.U.nnz) / 2  # what the unordered LU fills
    big = [(m, spec) for m, spec in calls if m.shape[0] >= report.size]
    assert big
    for matrix, spec in big:
        if spec != "NATURAL":
            continue
        # in feedback-last order, entries above the diagonal are inside small loops or in the
        # last `feedback` columns
        upper = sp.triu(matrix, k=1).tocoo()
        outside = upper.col < matrix.shape[0] - report.feedback
        _, labels = connected_components(
            matrix[: -report.feedback, : -report.feedback], directed=True, connection="strong"
        )
        assert np.all(labels[upper.row[outside]] == labels[upper.col[outside]])
        assert np.bincount(labels).max() <= solve_module.SMALL_BLOCK
    np.testing.assert_allclose(solved.solution, np.linalg.solve(transposed.toarray(), h), rtol=1e-9)
