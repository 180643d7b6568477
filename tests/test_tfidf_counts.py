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
