"""Session 22 (issue 15): exact speed-ups of the trained coder must build the same arrays.

``rowstack.hstack`` now writes a dense block that holds zeros through its nonzero mask
instead of sending the whole matrix down scipy's path; the matrix must be the one
``sparse.hstack([dense_csr(a), ...]).tocsr()`` builds, array for array (data, indices,
indptr and their dtypes), so every product with it is the same bit for bit.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from helpers.coding import rowstack

ROOT = Path(__file__).resolve().parents[1]


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


# -- stance: which question a piece names, through the prefix index -----------------


def _names_pairwise(stems, words) -> int:
    """Session 21's test of every stem against every word of the question (the reference)."""
    return sum(
        1
        for s in stems
        if s in words
        or any(len(s) >= 5 and len(w) >= 5 and (s.startswith(w) or w.startswith(s)) for w in words)
    )


@pytest.mark.parametrize(
    "side,words,want",
    [
        ("an experimental order", {"experi"}, 1),  # the question's stem is a prefix of it
        ("the experiment", {"experimental"}, 1),  # it is a prefix of the question's word
        ("the bus gate", {"bu", "gate"}, 2),  # short stems ("bus" stems to "bu"): equal only
        ("buses and gates", {"bus", "gat"}, 0),  # "buse", "gate": under five letters, no prefix
        ("planters and filters", {"planter", "filter", "street"}, 2),
        ("nothing about it", {"planter"}, 0),
    ],
)
def test_names_hand_checked(side, words, want):
    from helpers.stance.comparison import _names
    from helpers.stance.unstructured import content_stems

    words = frozenset(words)
    assert _names(side, words) == want == _names_pairwise(content_stems(side), words)
    assert _names("ignored", words, content_stems(side)) == want  # stems given


def test_names_random_stems_match_pairwise():
    from helpers.stance.comparison import _names

    rng = random.Random(22)
    letters = "abcde"
    for _ in range(3000):
        words = frozenset(
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
            for _ in range(rng.randint(0, 6))
        )
        stems = {"".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(5)}
        # some stems made from the words: prefixes and extensions of them
        for w in list(words)[:2]:
            stems.add(w[: rng.randint(1, len(w))])
            stems.add(w + "".join(rng.choice(letters) for _ in range(rng.randint(0, 3))))
        assert _names("", words, stems) == _names_pairwise(stems, words)


def test_names_on_the_consultations_question_words():
    """Every closed question's words (``question_words`` and ``crossq.distinctive``) of the
    shipped consultation and the transport development set's, read against every
    question text of both and generated answers."""
    from helpers.core.consultation import load_consultation
    from helpers.stance.comparison import _names, question_words
    from helpers.stance.crossq import distinctive
    from helpers.stance.unstructured import content_stems

    paths = [
        *sorted((ROOT / "consultations").glob("*/consultation.yaml")),
        ROOT / "data" / "evaluation" / "transport" / "consultation.yaml",  # a spent set
    ]
    consultations = [load_consultation(p) for p in paths]
    sides = _generated_answers(3, 40) + [q.text for c in consultations for q in c.questions]
    checked = 0
    for consultation in consultations:
        words = {q.id: question_words(consultation, q.id) for q in consultation.closed_questions}
        for each in [*(w for pair in words.values() for w in pair), *distinctive(words).values()]:
            for side in sides:
                assert _names(side, each) == _names_pairwise(content_stems(side), each)
                checked += 1
    assert checked > 1000


def _generated_answers(seed: int, n: int) -> list[str]:
    from benchmarks.generate import codebook_vocabulary, default_paths, make_respondent
    from benchmarks.zipf import with_zipf
    from helpers.core.consultation import load_consultation

    cons_path, cb_path = default_paths()
    cons = load_consultation(cons_path)
    vocab = with_zipf(codebook_vocabulary(cb_path), seed)
    return [text for k in range(n) for _, text in make_respondent(cons, vocab, seed, k).answers]


# -- the stacker's candidate rows, built as one array ----------------------------------


def _reference_rows(where, theme_ids, prior, dictionary, pa, ps, themes, commas, ranks, votes):
    """Session 21's rows: ``candidate_features`` of each candidate, as ``decide`` built them."""
    from helpers.coding import stack

    return np.array([
        stack.candidate_features(
            theme_ids[k], bool(dictionary[i, k]), float(pa[i, k]), float(ps[i, k]), themes[i],
            commas[i], float(prior[k]), int(ranks[i, k]),
            0.0 if votes is None else float(votes[i, k]),
        )
        for i, k in where
    ])  # fmt: skip


def test_candidate_rows_hand_checked():
    """One answer of two sentences: "a" and "b" in the first (2 commas), "a" alone in the
    second (0 commas); candidates "a" (dictionary) and "c" (classifier only)."""
    from helpers.coding import stack

    themes = [[{"a", "b"}, {"a"}]]
    commas = [[2, 0]]
    theme_ids = ["a", "b", "c"]
    dictionary = np.array([[True, True, False]])
    pa = np.array([[0.5, 0.2, 0.9]])
    ps = np.array([[0.5, 0.2, 0.0005]])
    ranks = np.array([[1, 2, 0]])
    where = np.array([[0, 0], [0, 2]])
    rows = stack.candidate_rows(
        where, theme_ids, [0.7, 0.6, 0.5], dictionary, pa, ps, themes, commas, ranks, None
    )
    eps_logit = np.log(1e-3 / (1 - 1e-3))
    want = [
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, np.log1p(2), 0.7, 1.0, eps_logit],
        [0.0, np.log(0.9 / 0.1), eps_logit, 0.0, 0.0, 0.0, np.log1p(2), 0.0, 0.0, eps_logit],
    ]
    np.testing.assert_allclose(rows, want, rtol=1e-12, atol=1e-12)
    ref = _reference_rows(where, theme_ids, [0.7, 0.6, 0.5], dictionary, pa, ps, themes, commas,
                          ranks, None)  # fmt: skip
    assert np.array_equal(rows, ref)


@pytest.mark.parametrize("seed", range(5))
def test_candidate_rows_random_match_candidate_features(seed):
    from helpers.coding import stack

    rng = np.random.default_rng(seed)
    n_answers, theme_ids = 60, ["t0", "t1", "t2", "t3", "t4"]
    pool = theme_ids + ["unlearned"]  # a dictionary theme the trained coder did not learn
    themes, commas = [], []
    for _ in range(n_answers):
        n = int(rng.integers(0, 6))
        themes.append([{t for t in pool if rng.random() < 0.3} for _ in range(n)])
        commas.append([int(rng.integers(0, 9)) for _ in range(n)])
    shape = (n_answers, len(theme_ids))
    pa = rng.random(shape)
    ps = rng.random(shape)
    pa[rng.random(shape) < 0.1] = 0.0  # clipped at EPS
    ps[rng.random(shape) < 0.1] = 1.0
    allowed = rng.random(shape) < 0.8
    votes = rng.random(shape)
    prior = rng.random(len(theme_ids))
    dictionary = stack._dictionary_matrix(theme_ids, themes, shape)
    ranks = stack.outranked(pa, ps, allowed)
    where = np.argwhere(allowed & stack.is_candidate(dictionary, pa, ps))
    assert len(where) > 50
    for v in (votes, None):
        got = stack.candidate_rows(
            where, theme_ids, prior, dictionary, pa, ps, themes, commas, ranks, v
        )
        want = _reference_rows(where, theme_ids, prior, dictionary, pa, ps, themes, commas,
                               ranks, v)  # fmt: skip
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want)  # bit for bit


# -- the trained fit in one BLAS thread ------------------------------------------------


def test_trained_fit_is_the_same_whatever_the_callers_blas_threads():
    """The shipped codebook's classifiers fitted with the caller's BLAS allowed one thread
    and two: the same arrays (before session 22 the answer classifiers' weights moved by
    up to 3e-13 with OpenBLAS's thread count, i.e. with the machine's cores)."""
    from threadpoolctl import threadpool_limits

    from benchmarks.generate import default_paths
    from helpers.coding import trained
    from helpers.coding.codebook import load_codebook
    from helpers.core import embedding
    from helpers.core.consultation import load_consultation

    if not embedding.available(embedding.CODING_MODEL):
        pytest.skip("the coding embedding model is not installed")
    cons_path, cb_path = default_paths()
    codebook = load_codebook(cb_path, consultation=load_consultation(cons_path))
    training = trained.read_training_answers(codebook.training_answers, codebook)
    fits = []
    for threads in (2, 1):
        with threadpool_limits(limits=threads, user_api="blas"):
            fits.append(trained.fit(codebook, training, trained._default_encode))
    a, b = fits
    assert a.coef.shape[1] > 10_000  # long enough for OpenBLAS to split its dot products
    for x, y in ((a.coef, b.coef), (a.intercept, b.intercept), (a.idf, b.idf)):
        assert np.array_equal(x, y)
    assert np.array_equal(a.sentences.coef, b.sentences.coef)
    assert np.array_equal(a.sentences.intercept, b.sentences.intercept)


def test_synthesise_runs_in_one_blas_thread(monkeypatch):
    """``synthesise`` does its work with BLAS limited to one thread, and gives the caller's
    limit back afterwards (session 22, later: the analysis tables at 1,000 generated
    respondents 3.7-4.5 -> 2.0-2.4 CPU s, the tables equal)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from helpers.analysis import synthesis

    def blas_threads() -> set[int]:
        return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

    seen = []
    monkeypatch.setattr(synthesis, "_synthesise", lambda *a: seen.append(blas_threads()) or 7)
    with threadpool_limits(limits=2, user_api="blas"):
        if blas_threads() != {2}:
            pytest.skip("no BLAS library threadpoolctl can limit to 2 threads")
        assert synthesis.synthesise(None) == 7
        assert blas_threads() == {2}
    assert seen == [{1}]
