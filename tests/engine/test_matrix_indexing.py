"""Id → position lookups used to build the matrices, against NumPy's sort-based answers."""

from __future__ import annotations

import numpy as np

from footprint.lca.unit_scores import _lookup, _positions


def _snowflake_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Large ids like bw2data's: millisecond time stamp, then a sequence number."""
    stamps = np.sort(rng.integers(1_700_000_000_000, 1_700_000_100_000, n))
    return (stamps << 22) + rng.integers(0, 4096, n)


def test_lookup_matches_searchsorted_and_marks_absent_ids() -> None:
    rng = np.random.default_rng(5)
    known = np.unique(_snowflake_ids(rng, 5_000))
    absent = np.setdiff1d(_snowflake_ids(rng, 500), known)
    queries = np.concatenate([rng.choice(known, 50_000), absent])
    rng.shuffle(queries)
    expected = np.searchsorted(known, queries)
    expected[~np.isin(queries, known)] = -1
    np.testing.assert_array_equal(_lookup(known, queries), expected)


def test_positions_match_unique_on_concatenated_sorted_runs() -> None:
    rng = np.random.default_rng(6)
    parts = [np.sort(rng.choice(_snowflake_ids(rng, 3_000), 20_000)) for _ in range(3)]
    ids = np.concatenate(parts)  # as several processed datapackages give them
    distinct, positions = _positions(ids)
    expected_distinct, expected_positions = np.unique(ids, return_inverse=True)
    np.testing.assert_array_equal(distinct, expected_distinct)
    np.testing.assert_array_equal(positions, expected_positions.reshape(-1))
    unsorted = rng.permutation(ids)
    distinct, positions = _positions(unsorted)
    np.testing.assert_array_equal(distinct[positions], unsorted)
