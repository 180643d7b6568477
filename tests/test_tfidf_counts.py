"""``coding.tfidf_counts.transform`` gives the matrix ``TfidfVectorizer.transform`` gives
(session 17, speed only): same shape, type, indices, values, bit for bit."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers.coding.tfidf_counts import transform
from helpers.coding.trained_fit import TFIDF, preprocess
from helpers.coding.trained_score import TFIDF as SCORE_TFIDF

# Written for this test: repeats, a bigram met twice in one text, accents, digits, a text
# with no token, one with a single token, tokens only some texts share.
TRAIN = [
    "The library opening hours are too short, the library should open longer.",
    "Opening hours at the weekend: the library is closed on Sunday.",
    "Café users want longer opening hours and better wi-fi in the café.",
    "Bus routes 12 and 34 were cut; the bus is now late every day.",
    "We agree. We agree with the proposal to keep the bus routes.",
    "No comment",
    "",
    "a b c",
]
QUERIES = [
    *TRAIN,
    "library library library opening opening hours hours hours",
    "the the the the",
    "Unseen words only: zebra quokka.",
    "naïve coöperation façade ÉCOLE",
    "x",
    "bus routes bus routes bus routes",
    "hours the library; library the hours",
]


def _same(a, b) -> None:
    assert type(a) is type(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    a, b = a.tocsr(), b.tocsr()
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.mark.parametrize(
    "params",
    [
        {**TFIDF, "min_df": 1},
        TFIDF,
        {**SCORE_TFIDF, "preprocessor": preprocess},
        {"ngram_range": (1, 1)},
        {"ngram_range": (1, 2), "sublinear_tf": False, "norm": None},
    ],
)
def test_written_texts(params):
    vec = TfidfVectorizer(**params).fit(TRAIN)
    _same(transform(vec, QUERIES), vec.transform(QUERIES))
    _same(transform(vec, ["", ""]), vec.transform(["", ""]))


def test_rebuilt_from_a_vocabulary():
    """As ``trained_score.Fitted.vectorizer`` builds it: a fixed vocabulary and idf."""
    fitted = TfidfVectorizer(**TFIDF).fit(TRAIN * 2)
    vec = TfidfVectorizer(
        vocabulary=list(fitted.get_feature_names_out()), preprocessor=preprocess, **SCORE_TFIDF
    )
    vec.idf_ = fitted.idf_
    _same(transform(vec, QUERIES), vec.transform(QUERIES))


def test_random_texts():
    rng = random.Random(7)
    words = [f"w{i}" for i in range(60)] + ["é", "ab", "Ünï", "12", "x_y", "—", "it's"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))

    train = [text() for _ in range(200)]
    queries = [text() for _ in range(300)]
    vec = TfidfVectorizer(**TFIDF).fit(train)
    _same(transform(vec, queries), vec.transform(queries))


def test_unsupported_falls_back():
    vec = TfidfVectorizer(ngram_range=(1, 3)).fit(TRAIN)
    _same(transform(vec, QUERIES), vec.transform(QUERIES))
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit(TRAIN)
    _same(transform(vec, QUERIES), vec.transform(QUERIES))
    with pytest.raises(ValueError):
        transform(vec, "one string")


@pytest.mark.parametrize(
    "params",
    [
        {**TFIDF, "dtype": np.float32},
        {**TFIDF, "norm": "l1", "smooth_idf": False},
        {"ngram_range": (1, 2), "lowercase": False, "token_pattern": r"(?u)\b\w+\b"},
    ],
)
def test_other_settings(params):
    """Other dtypes, norms and token patterns still give scikit-learn's own matrix."""
    vec = TfidfVectorizer(**params).fit(TRAIN)
    _same(transform(vec, QUERIES), vec.transform(QUERIES))


def test_terms_built_once_per_vocabulary(monkeypatch):
    """The vocabulary's split is cached per vectoriser (session 18) and built again when the
    vectoriser is refitted (a new vocabulary), so a refit never reads stale terms."""
    from helpers.coding import tfidf_counts

    built = []
    inner = tfidf_counts._terms
    monkeypatch.setattr(tfidf_counts, "_terms", lambda v: built.append(1) or inner(v))
    vec = TfidfVectorizer(**TFIDF).fit(TRAIN)
    for _ in range(3):
        _same(transform(vec, QUERIES), vec.transform(QUERIES))
    assert len(built) == 1
    vec.fit(QUERIES[-7:])
    _same(transform(vec, QUERIES), vec.transform(QUERIES))
    assert len(built) == 2


def test_unfitted_raises_as_scikit_learn_does():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        transform(TfidfVectorizer(**TFIDF), QUERIES)


def test_no_private_scikit_learn_names():
    """Only public scikit-learn names are read (a scikit-learn upgrade cannot break it
    silently): no ``vec._...`` attribute, no ``sklearn`` private module."""
    import inspect

    from helpers.coding import tfidf_counts

    source = inspect.getsource(tfidf_counts)
    assert "vec._" not in source and "sklearn._" not in source and ".utils." not in source
