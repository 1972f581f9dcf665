"""Smoke test of the benchmark's synthetic background (the benchmark itself is not a test)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def test_background_is_shaped_like_ecoinvent(engine_benchmark) -> None:
    bench = engine_benchmark
    n = 2000
    data = bench.synthetic_background(n=n, seed=3)
    assert len(data) == n
    rows, cols = [], []
    for (_, code), activity in data.items():
        for exchange in activity["exchanges"]:
            if exchange["type"] == "technosphere":
                rows.append(int(exchange["input"][1][1:]))
                cols.append(int(code[1:]))
    rows_a, cols_a = np.array(rows), np.array(cols)
    assert 5 <= len(rows) / n <= 12  # about ten inputs per activity
    graph = csr_matrix((np.ones(len(rows)), (rows_a, cols_a)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="strong")
    assert np.bincount(labels).max() <= bench.MAX_GROUP  # loops only inside small groups
    assert np.bincount(labels).max() > 1  # and there are loops
    downstream = rows_a > cols_a  # inputs from later activities stay inside a small group
    assert np.all(rows_a[downstream] - cols_a[downstream] < bench.MAX_GROUP)
    # most inputs come from a few hundred hubs
    counts = np.bincount(rows_a, minlength=n)
    top = np.sort(counts)[::-1][: bench.N_HUBS]
    assert top.sum() / counts.sum() > 0.6
