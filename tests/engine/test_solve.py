"""The adjoint solve against dense NumPy solves, on the structures it chooses between."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from footprint.lca.solve import (
    BLOCK_TRIANGULAR,
    BLOCK_TRIANGULAR_PIVOTED,
    _block_lower_triangular,
    _kahn_order,
    _permuted_csc,
    _residual_ok,
    solve_adjoint,
    topological_order,
)


def _random_supply_chain(rng: np.random.Generator, n: int) -> np.ndarray:
    """A technosphere A (column j: activity j) with random inputs, loops included."""
    dense = np.eye(n) * rng.uniform(0.8, 1.5, n)
    for j in range(n):
        for i in rng.choice(n, 4, replace=False):
            if i != j:
                dense[i, j] -= rng.uniform(0.0, 0.1)
    return dense


def test_random_supply_chain_matches_dense_solve() -> None:
    rng = np.random.default_rng(7)
    dense = _random_supply_chain(rng, 300)
    h = rng.uniform(0, 5, (300, 4))
    solution, solver = solve_adjoint(sp.csr_matrix(dense), h)
    assert solver == BLOCK_TRIANGULAR
    np.testing.assert_allclose(solution, np.linalg.solve(dense.T, h), rtol=1e-11)


def test_loop_whose_neumann_series_diverges() -> None:
    # a 2-cycle with loop gain 2 × 0.6 = 1.2 > 1 (no fixed-point iteration converges), in a chain
    a = sp.csr_matrix(
        np.array(
            [
                [1.0, -2.0, 0.0, 0.0],
                [-0.6, 1.0, 0.0, 0.0],
                [0.0, -0.5, 2.0, 0.0],
                [-1.0, 0.0, -0.25, 1.0],
            ]
        )
    )
    h = np.array([[1.0, 0.0], [2.0, 1.0], [0.5, 0.0], [0.0, 3.0]])
    solution, solver = solve_adjoint(a, h)
    assert solver == BLOCK_TRIANGULAR
    np.testing.assert_allclose(solution, np.linalg.solve(a.toarray().T, h), rtol=1e-12)


def test_tiny_pivot_falls_back_to_pivoting() -> None:
    # the loop block [[1e-16, 1], [1, 1]]: eliminating without pivoting multiplies by 1e16 and
    # loses every digit, which the residual check sees
    a = np.array([[1e-16, 1.0, 0.0], [1.0, 1.0, 0.0], [-0.3, -0.2, 1.0]])
    h = np.array([[1.0], [2.0], [4.0]])
    solution, solver = solve_adjoint(sp.csr_matrix(a), h)
    assert solver == BLOCK_TRIANGULAR_PIVOTED
    np.testing.assert_allclose(solution, np.linalg.solve(a.T, h), rtol=1e-12)


def test_zero_production_in_a_loop_is_solved() -> None:
    # activities 0 and 1 make each other's product and none of their own (zero diagonal)
    a = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [-0.3, -0.2, 1.0]])
    h = np.array([[1.0], [2.0], [4.0]])
    solution, _ = solve_adjoint(sp.csr_matrix(a), h)
    np.testing.assert_allclose(solution, np.linalg.solve(a.T, h), rtol=1e-12)


def _dependencies_first(matrix: sp.csr_matrix, order: np.ndarray) -> bool:
    """Every dependency outside a node's loop comes before it in ``order``."""
    from scipy.sparse.csgraph import connected_components

    _, labels = connected_components(matrix, directed=True, connection="strong")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    coo = matrix.tocoo()
    between = labels[coo.row] != labels[coo.col]
    component_first = np.full(labels.max() + 1, len(order))
    component_last = np.full(labels.max() + 1, -1)
    np.minimum.at(component_first, labels, rank)
    np.maximum.at(component_last, labels, rank)
    contiguous = np.all(component_last - component_first + 1 == np.bincount(labels))
    return bool(contiguous and np.all(rank[coo.col[between]] < rank[coo.row[between]]))


def test_topological_order_on_shuffled_supply_chain() -> None:
    rng = np.random.default_rng(11)
    dense = _random_supply_chain(rng, 200)
    shuffle = rng.permutation(200)
    transposed = sp.csr_matrix(dense[np.ix_(shuffle, shuffle)].T)
    assert _dependencies_first(transposed, topological_order(transposed))


def test_kahn_order_agrees_with_the_dependency_rule() -> None:
    """The fallback used when SciPy's component numbering is not in dependency order."""
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(12)
    transposed = sp.csr_matrix(_random_supply_chain(rng, 150).T)
    count, labels = connected_components(transposed, directed=True, connection="strong")
    assert _dependencies_first(transposed, _kahn_order(transposed, count, labels))


def test_order_check_rejects_an_order_against_the_dependencies() -> None:
    """A reversed order is seen as not block-triangular (then Kahn's order is used)."""
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(13)
    transposed = sp.csr_matrix(_random_supply_chain(rng, 150).T)
    _, labels = connected_components(transposed, directed=True, connection="strong")
    good = np.argsort(labels, kind="stable")
    bad = good[::-1]
    assert _block_lower_triangular(_permuted_csc(transposed, good)[0], labels[good])
    assert not _block_lower_triangular(_permuted_csc(transposed, bad)[0], labels[bad])


def test_zero_columns_are_exactly_zero_and_the_others_solved() -> None:
    rng = np.random.default_rng(11)
    dense = _random_supply_chain(rng, 200)
    h = np.zeros((200, 5))
    h[:, 1] = rng.uniform(0, 5, 200)
    h[::7, 3] = rng.uniform(0, 2, len(h[::7, 3]))
    solution, solver = solve_adjoint(sp.csr_matrix(dense), h)
    assert solver == BLOCK_TRIANGULAR
    assert not solution[:, [0, 2, 4]].any()  # Aᵀ·0 = 0: zero, not merely small
    np.testing.assert_allclose(solution, np.linalg.solve(dense.T, h), rtol=1e-11, atol=0)


def test_many_columns_in_groups_equal_the_dense_solve() -> None:
    # 11 indicator columns go to SuperLU in groups of 4, 4 and 3
    rng = np.random.default_rng(13)
    dense = _random_supply_chain(rng, 250)
    h = rng.uniform(0, 5, (250, 11))
    solution, solver = solve_adjoint(sp.csr_matrix(dense), h)
    assert solver == BLOCK_TRIANGULAR
    assert solution.shape == (250, 11)
    np.testing.assert_allclose(solution, np.linalg.solve(dense.T, h), rtol=1e-11, atol=0)


def test_all_zero_right_hand_sides_on_a_singular_matrix_still_raise() -> None:
    singular = sp.csr_matrix(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, -0.5, 1.0]]))
    with pytest.raises(np.linalg.LinAlgError):
        solve_adjoint(singular, np.zeros((3, 2)))


def _backward_error_ok(matrix: np.ndarray, x: np.ndarray, b: np.ndarray) -> bool:
    """The componentwise test written out densely: |A·x − b| ≤ 1e-12·(|A|·|x| + |b|)."""
    residual = np.abs(matrix @ x - b)
    return bool(np.all(residual <= 1e-12 * (np.abs(matrix) @ np.abs(x) + np.abs(b)) + 1e-300))


@pytest.mark.parametrize("perturbation", [0.0, 1e-14, 1e-11, 1e-9])
def test_residual_check_agrees_with_the_dense_componentwise_test(perturbation: float) -> None:
    # rows where the diagonal carries almost nothing of |A|·|x| (1e-6 production amounts)
    # must be judged on the full scale; perturbed solutions must fail exactly when the dense
    # test fails
    rng = np.random.default_rng(5)
    dense = _random_supply_chain(rng, 120)
    dense[np.arange(0, 120, 9), np.arange(0, 120, 9)] = 1e-6
    b = rng.uniform(0, 3, (120, 3))
    b[::9] = 0.0
    x = np.linalg.solve(dense, b)
    x = x * (1 + perturbation * rng.standard_normal(x.shape))
    expected = _backward_error_ok(dense, x, b)
    assert _residual_ok(sp.csc_matrix(dense), x, b) == expected
    assert _residual_ok(sp.csr_matrix(dense), x, b) == expected
    if perturbation >= 1e-9:
        assert not expected  # the case the check is there for
