"""TF-IDF of many texts with a fitted scikit-learn vectoriser, its counting step in arrays.

Speed only (issue 15): ``TfidfVectorizer.transform`` counts each text's unigrams and
bigrams in a Python loop (``_count_vocab``: every bigram joined into a string, then a
dictionary look-up per n-gram), 17 % of the trained coder's time on a generated survey of
10,000 respondents (session 16's profile). Here the same tokenizer and preprocessor (the
vectoriser's own, so the same tokens) cut every text; the tokens of the whole batch are
numbered at once (``pd.factorize``), a bigram is looked up as the pair of its two words'
numbers (never joined into a string), and the counts are summed by ``np.unique``. The
count matrix is the one scikit-learn builds (same values, same sorted indices, same
dtype), weighted as ``TfidfTransformer.transform`` weights it (sublinear tf, the public
``idf_``, ``sklearn.preprocessing.normalize``: the same operations in the same order), so
the result is the same numbers (``tests/test_tfidf_counts.py``). Anything but word unigrams
and bigrams without stop words goes to ``vec.transform``; only public scikit-learn names
are read.

The vocabulary's split into words and word pairs (``_Terms``) is built once per vectoriser
and vocabulary (``_terms_of``), not per call: the trained coder transforms every block of
answers, and its coded sentences, with the same vectoriser.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["transform"]


def _supported(vec) -> bool:
    """Whether ``vec`` is a fitted TF-IDF vectoriser counting word unigrams and bigrams the way
    :func:`_counts` does (anything else, unfitted ones included, goes to ``vec.transform``)."""
    return (
        vec.analyzer == "word"
        and tuple(vec.ngram_range) in ((1, 1), (1, 2))
        and vec.stop_words is None
        and vec.tokenizer is None
        and not vec.binary
        and vec.input == "content"
        and getattr(vec, "use_idf", False)
        and bool(getattr(vec, "vocabulary_", None))
        and hasattr(vec, "idf_")  # False until fitted (``NotFittedError`` is an AttributeError)
    )


@dataclass(frozen=True)
class _Terms:
    """A vocabulary as word numbers: every word a term uses (``words``, numbered by position),
    the column of each word's unigram (-1: none), and the bigrams as sorted keys
    ``first * len(words) + second`` with their columns in the same order."""

    words: pd.Index
    word_col: np.ndarray
    bigram_key: np.ndarray
    bigram_col: np.ndarray


def _terms(vocabulary: dict[str, int]) -> _Terms:
    """The vocabulary's words, unigram columns and bigram keys (``_Terms``); a term of more
    than two words is never counted (the vectoriser makes none)."""
    number: dict[str, int] = {}
    uni: list[tuple[int, int]] = []
    first, second, bi_cols = [], [], []
    for term, col in vocabulary.items():
        parts = term.split(" ")
        if len(parts) == 1:
            uni.append((number.setdefault(term, len(number)), col))
        elif len(parts) == 2:
            first.append(number.setdefault(parts[0], len(number)))
            second.append(number.setdefault(parts[1], len(number)))
            bi_cols.append(col)
    n_words = len(number)
    word_col = np.full(n_words, -1, dtype=np.int64)
    if uni:
        at, col = np.asarray(uni, dtype=np.int64).T
        word_col[at] = col
    key = np.asarray(first, dtype=np.int64) * n_words + np.asarray(second, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    return _Terms(
        words=pd.Index(list(number), dtype=object),
        word_col=word_col,
        bigram_key=key[order],
        bigram_col=np.asarray(bi_cols, dtype=np.int64)[order],
    )


# Each vectoriser's terms, with the vocabulary they were built from (a new vocabulary_ object
# builds them again); dropped with the vectoriser.
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _terms_of(vec) -> _Terms:
    """``_terms`` of ``vec``'s vocabulary, built once per vectoriser and vocabulary."""
    vocabulary = vec.vocabulary_
    kept = _CACHE.get(vec)
    if kept is not None and kept[0] is vocabulary:
        return kept[1]
    terms = _terms(vocabulary)
    _CACHE[vec] = (vocabulary, terms)
    return terms


def _counts(vec, docs: Sequence[str]) -> sparse.csr_matrix:
    """The count matrix ``CountVectorizer.transform`` gives ``docs`` (rows in order)."""
    preprocess, tokenize = vec.build_preprocessor(), vec.build_tokenizer()
    tokens_of = [tokenize(preprocess(vec.decode(d))) for d in docs]
    lengths = np.fromiter(map(len, tokens_of), dtype=np.int64, count=len(tokens_of))
    flat = [t for tokens in tokens_of for t in tokens]
    n_docs, n_cols = len(docs), len(vec.vocabulary_)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    rows, cols = [], []
    if flat:
        terms = _terms_of(vec)
        codes, distinct = pd.factorize(pd.Index(flat, dtype=object), sort=False)
        # each token's number among the vocabulary's words (-1: in no term)
        word = terms.words.get_indexer(distinct).astype(np.int64)[codes]
        known = word >= 0
        # unigrams: each known token's column (-1: the word is only part of bigrams)
        col = np.where(known, terms.word_col[np.maximum(word, 0)], -1)
        keep = col >= 0
        rows.append(doc[keep])
        cols.append(col[keep])
        if tuple(vec.ngram_range) == (1, 2) and len(terms.bigram_key) and len(word) > 1:
            # bigrams: two adjacent known tokens of one text, looked up by their numbers
            pair_ok = (doc[1:] == doc[:-1]) & known[1:] & known[:-1]
            pair = word[:-1][pair_ok] * len(terms.words) + word[1:][pair_ok]
            pair_doc = doc[:-1][pair_ok]
            key = terms.bigram_key
            pos = np.minimum(np.searchsorted(key, pair), len(key) - 1)
            hit = key[pos] == pair
            rows.append(pair_doc[hit])
            cols.append(terms.bigram_col[pos[hit]])
    if rows:
        r, c = np.concatenate(rows), np.concatenate(cols)
    else:
        r = c = np.zeros(0, dtype=np.int64)
    cell, count = np.unique(r * max(n_cols, 1) + c, return_counts=True)
    r, c = cell // max(n_cols, 1), cell % max(n_cols, 1)
    indptr = np.searchsorted(r, np.arange(n_docs + 1), side="left")
    big = len(cell) > np.iinfo(np.int32).max
    itype = np.int64 if big else np.int32
    return sparse.csr_matrix(
        (count.astype(vec.dtype), c.astype(itype), indptr.astype(itype)),
        shape=(n_docs, n_cols),
    )


def _weighted(vec, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``counts`` weighted as the vectoriser's ``TfidfTransformer.transform`` weights them
    (scikit-learn 1.9): ``1 + log`` of each count when ``sublinear_tf``, times the column's
    ``idf_``, then each row scaled to unit ``norm``; in place, in the same order."""
    from sklearn.preprocessing import normalize

    if counts.dtype not in (np.float64, np.float32):
        counts = counts.astype(np.float64)
    if vec.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    counts.data *= vec.idf_[counts.indices]
    if vec.norm is not None:
        counts = normalize(counts, norm=vec.norm, copy=False)
    return counts


def transform(vec, docs: Sequence[str]):
    """``vec.transform(docs)`` for a fitted ``TfidfVectorizer``: the same matrix, counted in
    arrays (module docstring)."""
    if isinstance(docs, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    docs = list(docs)
    if not docs or not _supported(vec):
        return vec.transform(docs)
    return _weighted(vec, _counts(vec, docs))
