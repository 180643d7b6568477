"""Session 22 (issue 15): exact speed-ups of the trained coder must build the same arrays.

``rowstack.hstack`` now writes a dense block that holds zeros through its nonzero mask
instead of sending the whole matrix down scipy's path; the matrix must be the one
``sparse.hstack([dense_csr(a), ...]).tocsr()`` builds, array for array (data, indices,
indptr and their dtypes), so every product with it is the same bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from helpers.coding import rowstack


def _scipy_hstack(blocks):
    return sparse.hstack(
        [rowstack.dense_csr(b) if isinstance(b, np.ndarray) else b for b in blocks]
    ).tocsr()


def _same(a, b) -> None:
    assert type(a) is type(b) and a.shape == b.shape
    for x, y in ((a.data, b.data), (a.indices, b.indices), (a.indptr, b.indptr)):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


def _no_scipy(monkeypatch) -> None:
    """Make scipy's path fail loudly: the fast path must build these matrices itself."""

    def refuse(*args, **kwargs):
        raise AssertionError("rowstack.hstack fell back to scipy's hstack")

    monkeypatch.setattr(rowstack.sparse, "hstack", refuse)


def test_hand_checked_matrix_with_zeros(monkeypatch):
    """A 3 x (2 + 2) matrix written out by hand: the zeros of the dense block are left out."""
    dense = np.array([[1.0, 0.0], [0.0, 0.0], [2.5, -1.0]])
    words = sparse.csr_matrix(np.array([[0.0, 3.0], [4.0, 0.0], [0.0, 0.0]]))
    _no_scipy(monkeypatch)
    got = rowstack.hstack([dense, words])
    np.testing.assert_array_equal(got.data, [1.0, 3.0, 4.0, 2.5, -1.0])
    np.testing.assert_array_equal(got.indices, [0, 3, 2, 0, 1])
    np.testing.assert_array_equal(got.indptr, [0, 2, 3, 5])
    assert got.indices.dtype == np.int32 and got.indptr.dtype == np.int32


@pytest.mark.parametrize("rows_at_once", [1, 2, 5, 4096])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_zeros_nan_and_negative_zero_match_scipy(monkeypatch, rows_at_once, dtype):
    rng = np.random.default_rng(22)
    n = 41
    left = rng.standard_normal((n, 6)).astype(dtype)
    left[3] = 0.0  # an empty sentence's zero vector
    left[7, 2] = 0.0  # one exact zero, as WordLlama's vectors sometimes hold
    left[8, 0] = -0.0  # negative zero is a zero to scipy too
    left[9, 5] = np.nan  # NaN is kept, as dense_csr keeps it
    left[:, 4] = np.where(np.arange(n) % 3 == 0, 0.0, left[:, 4])
    right = rng.standard_normal((n, 4)).astype(dtype)  # no zero: the tiled path
    dense_words = sparse.random(n, 13, density=0.25, random_state=5).toarray()
    dense_words[[0, 3, 40]] = 0.0  # empty rows, one at each end
    words = sparse.csr_matrix(dense_words)
    want = {}
    for blocks in ([left, words, right], [right, words, left], [words, left], [left, left]):
        want[id(blocks)] = (blocks, _scipy_hstack(blocks))
    monkeypatch.setattr(rowstack, "ROWS_AT_ONCE", rows_at_once)
    _no_scipy(monkeypatch)
    for blocks, expected in want.values():
        got = rowstack.hstack(blocks)
        _same(got, expected)
        coef = rng.standard_normal((3, got.shape[1]))
        np.testing.assert_array_equal(
            np.nan_to_num(np.asarray(got @ coef.T)), np.nan_to_num(np.asarray(expected @ coef.T))
        )


def test_all_zero_and_empty_blocks(monkeypatch):
    zeros = np.zeros((5, 3))
    words = sparse.csr_matrix(np.eye(5, 4))
    cases = [[zeros, words], [words, zeros], [zeros[:0], words[:0]], [np.zeros((5, 0)), words]]
    want = [_scipy_hstack(b) for b in cases]
    _no_scipy(monkeypatch)
    for blocks, expected in zip(cases, want, strict=True):
        _same(rowstack.hstack(blocks), expected)


def test_real_sentence_vectors_with_a_zero(monkeypatch):
    """WordLlama vectors of written sentences, one entry set to an exact 0.0, beside their
    TF-IDF and their answers' vectors: the trained coder's sentence features."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.coding import tfidf_counts, trained_fit
    from helpers.core import embedding

    if not embedding.available(embedding.CODING_MODEL):
        pytest.skip("the coding embedding model is not installed")
    texts = [
        "The inspection should report on care leavers separately.",
        "We agree. Young people told us the support stops at 18.",
        "No comment.",
        "Personal advisers need smaller caseloads, and training.",
    ]
    spans, sentences, owner = trained_fit.split(texts)
    vec = np.asarray(embedding.encode(sentences, model=embedding.CODING_MODEL), dtype=np.float64)
    vec[1, 17] = 0.0
    words = tfidf_counts.transform(TfidfVectorizer(ngram_range=(1, 2)).fit(sentences), sentences)
    answers = trained_fit.answer_vectors(vec, owner, len(texts))
    blocks = [vec, words, answers[owner]]
    expected = _scipy_hstack(blocks)
    assert expected.nnz == vec.size - 1 + words.nnz + answers[owner].size
    _no_scipy(monkeypatch)
    _same(trained_fit.features(vec, words, owner), expected)
