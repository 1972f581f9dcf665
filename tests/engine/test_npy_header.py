"""``unit_scores._npy_header`` against NumPy's own .npy reader (``np.load``)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from footprint.lca import unit_scores
from footprint.lca.unit_scores import _npy_header

ARRAYS = [
    np.arange(7, dtype="<f4"),
    np.zeros(4, dtype=[("row", "<i4"), ("col", "<i4")]),  # bw_processing's indices
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.ones((3, 2, 2), dtype=np.int64),
    np.zeros(0, dtype=bool),
    np.array(3.5),
    np.arange(3, dtype=">i2"),
]


@pytest.mark.parametrize("array", ARRAYS, ids=lambda a: f"{a.dtype}-{a.shape}")
def test_header_read_as_numpy_reads_it(array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array)
    raw = memoryview(buffer.getvalue())
    unit_scores._DTYPES.clear()
    shape, fortran_order, dtype, offset = _npy_header(raw)
    assert unit_scores._DTYPES  # NumPy's own header format: the fast path answered
    count = int(np.prod(shape, dtype=np.int64))
    read = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    read = read.reshape(shape, order="F" if fortran_order else "C")
    expected = np.load(io.BytesIO(buffer.getvalue()))
    assert read.dtype == expected.dtype and read.shape == expected.shape
    assert np.array_equal(read, expected)


def test_other_headers_go_to_numpy() -> None:
    # a version 2.0 header (NumPy writes one only for huge headers): NumPy's reader answers
    array = np.arange(5, dtype="<f8")
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=(2, 0))
    raw = memoryview(buffer.getvalue())
    unit_scores._DTYPES.clear()
    shape, fortran_order, dtype, offset = _npy_header(raw)
    assert not unit_scores._DTYPES
    read = np.frombuffer(raw, dtype=dtype, count=5, offset=offset)
    assert shape == (5,) and not fortran_order and np.array_equal(read, array)
