"""``trained_fit.dense_csr`` is ``scipy.sparse.csr_matrix`` of a dense array, array for array."""

import numpy as np
import pytest
from scipy import sparse

from helpers.coding.trained_fit import dense_csr


def _same(a: np.ndarray) -> None:
    want, got = sparse.csr_matrix(a), dense_csr(a)
    assert got.shape == want.shape
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, name), getattr(want, name), equal_nan=True), name
    coef = np.random.default_rng(1).standard_normal((5, a.shape[1]))
    assert np.array_equal(got @ coef.T, want @ coef.T, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_csr_matches_scipy_with_and_without_zeros(dtype):
    rng = np.random.default_rng(0)
    full = rng.standard_normal((300, 17)).astype(dtype)
    _same(full)  # no zero: the tiled-columns path
    holes = full.copy()
    holes[4] = 0.0  # an empty answer's zero vector
    holes[:, 3] = 0.0
    holes[10, 11] = -0.0  # negative zero is a zero to scipy too
    holes[12, 2] = np.nan  # NaN is kept, as scipy keeps it
    _same(holes)


def test_dense_csr_edge_shapes():
    _same(np.zeros((0, 256)))
    _same(np.zeros((3, 0)))
    _same(np.zeros((4, 6)))
    _same(np.array([[0.0, 1.5, 0.0]]))
