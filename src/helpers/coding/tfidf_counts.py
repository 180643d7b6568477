"""TF-IDF of many texts with a fitted scikit-learn vectoriser, its counting step in arrays.

Speed only (issue 15): ``TfidfVectorizer.transform`` counts each text's unigrams and
bigrams in a Python loop (``_count_vocab``: every bigram joined into a string, then a
dictionary look-up per n-gram), 17 % of the trained coder's time on a generated survey of
10,000 respondents (session 16's profile). Here the same tokenizer and preprocessor (the
vectoriser's own, so the same tokens) cut every text; the tokens of the whole batch are
numbered at once (``pd.factorize``), a bigram is looked up as the pair of its two words'
numbers (never joined into a string), and the counts are summed by ``np.unique``. The
count matrix is the one scikit-learn builds (same values, same sorted indices, same
dtype), and the vectoriser's own ``TfidfTransformer`` weights it, so the result is the
same numbers (``tests/test_tfidf_counts.py``). Anything but word unigrams and bigrams
without stop words goes to ``vec.transform``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["transform"]


def _supported(vec) -> bool:
    """Whether ``vec`` counts word unigrams and bigrams the way :func:`_counts` does."""
    return (
        vec.analyzer == "word"
        and tuple(vec.ngram_range) in ((1, 1), (1, 2))
        and vec.stop_words is None
        and vec.tokenizer is None
        and not vec.binary
        and vec.input == "content"
        and hasattr(vec, "_tfidf")
    )


def _terms(vocabulary: dict[str, int]) -> tuple[pd.Index, np.ndarray, list[str], list[str]]:
    """The vocabulary's unigrams (an index of their terms and their column numbers) and its
    bigrams' first and second words, in the order of ``bigram_columns``."""
    uni_terms, uni_cols, first, second, bi_cols = [], [], [], [], []
    for term, col in vocabulary.items():
        parts = term.split(" ")
        if len(parts) == 1:
            uni_terms.append(term)
            uni_cols.append(col)
        elif len(parts) == 2:
            first.append(parts[0])
            second.append(parts[1])
            bi_cols.append(col)
    return (
        pd.Index(uni_terms, dtype=object),
        np.asarray(uni_cols, dtype=np.int64),
        first,
        second,
        np.asarray(bi_cols, dtype=np.int64),
    )


def _counts(vec, docs: Sequence[str]) -> sparse.csr_matrix:
    """The count matrix ``CountVectorizer.transform`` gives ``docs`` (rows in order)."""
    vocabulary = vec.vocabulary_
    preprocess, tokenize = vec.build_preprocessor(), vec.build_tokenizer()
    tokens_of = [tokenize(preprocess(vec.decode(d))) for d in docs]
    lengths = np.fromiter(map(len, tokens_of), dtype=np.int64, count=len(tokens_of))
    flat = [t for tokens in tokens_of for t in tokens]
    n_docs, n_cols = len(docs), len(vocabulary)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    rows, cols = [], []
    if flat:
        codes, words = pd.factorize(pd.Index(flat, dtype=object), sort=False)
        codes = np.asarray(codes, dtype=np.int64)
        uni_terms, uni_cols, first, second, bi_cols = _terms(vocabulary)
        # unigrams: each distinct word's column (-1: not in the vocabulary)
        at = uni_terms.get_indexer(words)
        word_col = np.where(at >= 0, uni_cols[np.maximum(at, 0)] if len(uni_cols) else -1, -1)
        col = word_col[codes]
        keep = col >= 0
        rows.append(doc[keep])
        cols.append(col[keep])
        if tuple(vec.ngram_range) == (1, 2) and len(bi_cols) and len(codes) > 1:
            # bigrams: two adjacent tokens of one text, looked up by their words' numbers
            n_words = len(words)
            a, b = words.get_indexer(first), words.get_indexer(second)
            known = (a >= 0) & (b >= 0)
            key = a[known].astype(np.int64) * n_words + b[known]
            order = np.argsort(key, kind="stable")
            key, key_col = key[order], bi_cols[known][order]
            same = doc[1:] == doc[:-1]
            pair = codes[:-1][same] * n_words + codes[1:][same]
            pair_doc = doc[:-1][same]
            pos = np.searchsorted(key, pair)
            pos = np.minimum(pos, max(len(key) - 1, 0))
            hit = (key[pos] == pair) if len(key) else np.zeros(len(pair), dtype=bool)
            rows.append(pair_doc[hit])
            cols.append(key_col[pos[hit]])
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


def transform(vec, docs: Sequence[str]):
    """``vec.transform(docs)`` for a fitted ``TfidfVectorizer``: the same matrix, counted in
    arrays (module docstring)."""
    if isinstance(docs, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    docs = list(docs)
    if not _supported(vec) or not docs:
        return vec.transform(docs)
    vec._check_vocabulary()
    return vec._tfidf.transform(_counts(vec, docs), copy=False)
