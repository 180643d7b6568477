"""Session 23 (issue 15, speed only): ``rowstack.hstack`` writes its entries with two numba
kernels instead of numpy's fancy-index scatter.

The matrix must be the one the numpy loop (``rowstack._fill_by_rows``, session 22's code,
kept as the reference) and scipy's ``sparse.hstack([dense_csr(a), ...]).tocsr()`` build:
the same ``data``, ``indices`` and ``indptr`` arrays and dtypes, so every product with it,
and so every trained code, is the same bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from helpers.coding import rowstack


def _arrays(m: sparse.csr_matrix) -> list[np.ndarray]:
    return [m.data, m.indices, m.indptr]


def _same(got: sparse.csr_matrix, want: sparse.csr_matrix) -> None:
    assert got.shape == want.shape
    for g, w in zip(_arrays(got), _arrays(want), strict=True):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)  # NaN equal to NaN, -0.0 never kept


def _scipy(blocks) -> sparse.csr_matrix:
    return sparse.hstack(
        [rowstack.dense_csr(b) if isinstance(b, np.ndarray) else b for b in blocks]
    ).tocsr()


def _numpy_loop(monkeypatch, blocks) -> sparse.csr_matrix:
    """The matrix by the numpy loop the kernels replaced."""
    with monkeypatch.context() as m:
        m.setattr(rowstack, "_KERNELS", None)
        return rowstack.hstack(blocks)


def _no_scipy(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("rowstack.hstack fell back to scipy's hstack")

    monkeypatch.setattr(rowstack.sparse, "hstack", refuse)


def test_the_kernels_are_compiled():
    """numba is a dependency: the compiled path is the one the trained coder takes."""
    assert rowstack._KERNELS is not None


def test_hand_checked_matrix(monkeypatch):
    """A dense block with a zero, a NaN and a -0.0, a sparse block with an empty row, and a
    dense block without zeros; the arrays worked out by hand."""
    a = np.array([[1.5, 0.0], [np.nan, -0.0]], dtype=np.float32)
    s = sparse.csr_matrix(([7.0], [2], [0, 1, 1]), shape=(2, 3))
    b = np.array([[2.0], [3.0]])
    want_scipy = _scipy([a, s, b])
    _no_scipy(monkeypatch)
    got = rowstack.hstack([a, s, b])
    assert got.shape == (2, 6)
    np.testing.assert_array_equal(got.data, [1.5, 7.0, 2.0, np.nan, 3.0])
    np.testing.assert_array_equal(got.indices, [0, 4, 5, 0, 5])
    np.testing.assert_array_equal(got.indptr, [0, 3, 5])
    assert got.data.dtype == np.float64 and got.indices.dtype == np.int32
    _same(got, want_scipy)
    _same(got, _numpy_loop(monkeypatch, [a, s, b]))


@pytest.mark.parametrize("seed", range(6))
def test_random_blocks_match_the_numpy_loop_and_scipy(monkeypatch, seed):
    """Random dense (float32 / float64, with and without zeros, NaN, -0.0, empty rows) and
    sparse blocks (empty rows, unsorted columns kept as they are), in random order."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    blocks = []
    for _ in range(int(rng.integers(1, 5))):
        if rng.random() < 0.5:
            w = int(rng.integers(0, 40))
            d = rng.standard_normal((n, w)).astype(rng.choice([np.float32, np.float64]))
            if rng.random() < 0.7 and d.size:
                k = int(rng.integers(1, d.size + 1))
                at = rng.integers(0, d.size, k)
                d.ravel()[at] = rng.choice([0.0, -0.0, np.nan], k)
            if rng.random() < 0.2 and n:
                d[rng.integers(0, n)] = 0.0  # a whole row of zeros
            blocks.append(d)
        else:
            w = int(rng.integers(1, 500))
            m = sparse.random(n, w, density=float(rng.random() * 0.1), format="csr", rng=rng)
            m.indices = m.indices.astype(np.int32)
            m.indptr = m.indptr.astype(np.int32)
            blocks.append(m)
    want_scipy = _scipy(blocks)
    want_loop = _numpy_loop(monkeypatch, blocks)
    _no_scipy(monkeypatch)
    got = rowstack.hstack(blocks)
    _same(got, want_loop)
    _same(got, want_scipy)


def test_sentence_features_shape_match_the_numpy_loop(monkeypatch):
    """The trained coder's layout at a realistic width: a sentence vector (float32, a few
    exact zeros), its TF-IDF row, its answer's vector (float64), rows repeated per answer;
    more rows than the numpy loop's ``ROWS_AT_ONCE``, so its blocks of rows are crossed."""
    rng = np.random.default_rng(23)
    n = rowstack.ROWS_AT_ONCE * 2 + 77
    vec = rng.standard_normal((n, 256)).astype(np.float32)
    vec[rng.integers(0, n, 9), rng.integers(0, 256, 9)] = 0.0
    nnz = rng.integers(0, 30, n)
    indptr = np.concatenate([[0], np.cumsum(nnz)]).astype(np.int32)
    cols = np.concatenate([np.sort(rng.choice(3000, k, replace=False)) for k in nnz])
    words = sparse.csr_matrix(
        (rng.random(int(indptr[-1])), cols.astype(np.int32), indptr), shape=(n, 3000)
    )
    answers = rng.standard_normal((n // 4, 256))
    owner = np.sort(rng.integers(0, n // 4, n))
    blocks = [vec, words, answers[owner]]
    want = _numpy_loop(monkeypatch, blocks)
    _no_scipy(monkeypatch)
    got = rowstack.hstack(blocks)
    _same(got, want)
    zeros = int((vec == 0).sum())  # 9 drawn, fewer if two fell on one entry
    assert 1 <= zeros <= 9
    assert got.nnz == n * 512 - zeros + int(nnz.sum())
