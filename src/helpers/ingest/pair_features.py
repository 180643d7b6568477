"""One question's rare-wording features as integer arrays: :mod:`campaign_pairs` in numpy.

Issue 15 (session 15): ``campaign_pairs.question_pairs`` held every answer's features
as a frozenset of strings and word-pair tuples, counted them with Python Counters,
listed candidate pairs by ``itertools.combinations`` per rare feature and scored each
pair by a Python sum over a set intersection. At 10,000 generated survey respondents it
was about 60 % of campaign detection's time (benchmarks/README.md, session 15), and its
sets grew with the answers.

Here the same quantities are numpy operations on 8-byte codes, as
:mod:`reworded_index` does for trigrams:

* each word gets an integer id (per block of texts, ``pd.factorize`` in C, then the
  block's few distinct words mapped to the question's ids), a word feature is its id
  and a word-pair feature is the two ids packed into one int64 (exact, no hashing;
  more than ``MAX_WORDS`` distinct words and ``None`` is returned, the caller keeps the
  sets);
* the features of each *distinct* text are worked out once (a campaign sent 5,000 times
  is tokenised once) and counted by how many answers hold that text;
* idf, each answer's summed weight, and the weighted overlap of a pair of answers are
  sums over the sorted features (:func:`shared_weights`, a merge of two sorted rows);
* candidate pairs are the adjacent entries of the (feature, answer)-sorted array of rare
  features, at most ``cap`` answers a feature, counted with ``np.unique``.

The results are the sets' (``tests/test_pair_features.py`` compares them with
``campaign_pairs``' reference on the identical-table fixtures and hand-checked texts):
the same features, idf values (``math.log`` of the same counts), candidate pairs in the
same order and overlaps equal up to the last bits of a float sum taken in another order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core.uniq import unique_ints

try:
    from numba import njit

    _compiled = njit(cache=True, nogil=True)
except ImportError:  # pragma: no cover - numba is a dependency

    def _compiled(function):
        return function


BITS = 21
MAX_WORDS = 1 << BITS
BLOCK_TEXTS = 2_000  # distinct texts tokenised at a time (their words as Python strings)


@dataclass
class Features:
    """One question's answers' features, by distinct text.

    ``unit_text[k]``: answer ``k``'s distinct text; ``indptr``/``column``/``idf``: each
    distinct text's features as a CSR row (columns sorted: one column per feature, in
    code order) with the feature's idf; ``weight[d]``: distinct text ``d``'s summed idf;
    ``df[c]``: how many answers hold feature ``c``."""

    unit_text: np.ndarray
    indptr: np.ndarray
    column: np.ndarray
    idf: np.ndarray
    weight: np.ndarray
    df: np.ndarray


def _pack_pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a + 1) << (BITS + 1)) | b  # never equal to a word's own id (< 2**21)


def _block_features(
    texts: Sequence[str],
    sentence_break: str,
    ids: dict[str, int],
    common: frozenset[str],
    is_common: list[bool],
    is_long: list[bool],
) -> tuple[np.ndarray, np.ndarray]:
    """(text position in the block, feature code) of every feature occurrence of ``texts``."""
    tokens: list[str] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for k, text in enumerate(texts):
        before = len(tokens)
        for sentence in text.split(sentence_break):
            tokens.extend(sentence.split())
            tokens.append(sentence_break)  # the end of a sentence: no pair across it
        counts[k] = len(tokens) - before
    if not tokens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    local, uniques = pd.factorize(np.array(tokens, dtype=object))
    del tokens
    glob = np.empty(len(uniques), dtype=np.int64)
    for u, word in enumerate(uniques.tolist()):
        i = ids.get(word)
        if i is None:
            i = ids[word] = len(ids)
            is_common.append(word in common or word == sentence_break)
            is_long.append(len(word) > 1 and word != sentence_break)
        glob[u] = i
    w = glob[local]
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    common_arr = np.array(is_common, dtype=bool)
    long_arr = np.array(is_long, dtype=bool)
    brk = ids[sentence_break]
    word = ~common_arr[w] & long_arr[w]
    a, b = w[:-1], w[1:]
    pair = (a != brk) & (b != brk) & (~common_arr[a] | ~common_arr[b])
    text = np.concatenate([owner[word], owner[:-1][pair]])
    code = np.concatenate([w[word], _pack_pair(a[pair], b[pair])])
    return text, code


def _distinct_entries(text: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(text, code)`` with each pair once (sorted by code, then text)."""
    order = np.lexsort((text, code))
    text, code = text[order], code[order]
    first = np.ones(len(code), dtype=bool)
    first[1:] = (code[1:] != code[:-1]) | (text[1:] != text[:-1])
    return text[first].astype(np.int32), code[first]


def features(
    texts: Sequence[str],
    known: frozenset[str],
    common: frozenset[str],
    sentence_break: str,
    groups: Sequence[object] | None = None,
) -> Features | None:
    """The features of one question's answers ``texts`` (``campaign_pairs.features`` of each:
    words neither in ``common`` nor ``known`` and longer than one character, and adjacent
    pairs within a sentence with such a word), their idf among the answers and weights.
    None when the distinct words are too many to code exactly.

    ``groups`` (each answer's copy-group key; answers with one text are in one group): idf
    counts each group once, over the number of groups (``campaign_pairs.rarity``'s
    ``groups``); ``df`` (for candidates) still counts answers."""
    n = len(texts)
    unit_text, distinct = pd.factorize(pd.Series(list(texts), dtype=object))
    distinct = distinct.tolist()
    ids: dict[str, int] = {}
    is_common: list[bool] = []
    is_long: list[bool] = []
    common = frozenset(common | known)
    text_parts, code_parts = [], []
    for start in range(0, len(distinct), BLOCK_TEXTS):
        t, c = _block_features(
            distinct[start : start + BLOCK_TEXTS], sentence_break, ids, common, is_common, is_long
        )
        # Each (text, feature) once already here (session 26): a text is in one block, so the
        # arrays kept for the whole question are the distinct entries, not every occurrence.
        t, c = _distinct_entries(t + start, c)
        text_parts.append(t)
        code_parts.append(c)
        if len(ids) > MAX_WORDS:
            return None
    text = np.concatenate(text_parts) if text_parts else np.zeros(0, dtype=np.int64)
    code = np.concatenate(code_parts) if code_parts else np.zeros(0, dtype=np.int64)
    # One entry per (distinct text, feature) (made so per block), sorted by feature then
    # text. Intermediate arrays are dropped as soon as they are read.
    order = np.lexsort((text, code))
    text, code = text[order].astype(np.int32), code[order]
    del order
    new = np.ones(len(code), dtype=bool)
    new[1:] = code[1:] != code[:-1]
    del code
    column = (np.cumsum(new) - 1).astype(np.int32)
    del new
    mult = np.bincount(unit_text, minlength=len(distinct))  # answers holding each text
    df = np.bincount(column, weights=mult[text]).astype(np.int64) if len(column) else column
    rare_df, rare_n = df, n
    if groups is not None and len(column):
        group_code = pd.factorize(pd.Series(list(groups), dtype=object))[0]
        text_group = np.zeros(len(distinct), dtype=np.int64)
        text_group[unit_text] = group_code  # a distinct text is in one group
        # sorted, not np.unique's hash path (session 24: 9 of campaigns' 45 CPU s at 10,000)
        pairs = unique_ints(column.astype(np.int64) * (group_code.max() + 1) + text_group[text])
        rare_df = np.bincount(pairs // (group_code.max() + 1), minlength=len(df))
        rare_n = int(group_code.max()) + 1
    # idf as campaign_pairs.rarity computes it (math.log of the same numbers), per count.
    counts, inverse = np.unique(rare_df, return_inverse=True)
    values = np.array([math.log((rare_n + 1) / (c + 0.5)) for c in counts.tolist()], dtype=float)
    idf_col = values[inverse.reshape(-1)] if len(counts) else np.zeros(0)
    # CSR rows by distinct text, columns ascending within a row: the entries are in column
    # order, so a stable sort by text keeps each row's columns ascending.
    by_text = np.argsort(text, kind="stable")
    indptr = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(np.bincount(text, minlength=len(distinct)), out=indptr[1:])
    del text
    row_col = column[by_text]
    del column, by_text
    vals = idf_col[row_col]
    weight = _row_sums(indptr, vals)
    return Features(unit_text.astype(np.int64), indptr, row_col, vals, weight, df)


@_compiled
def _row_sums(indptr, vals):  # pragma: no cover - compiled
    out = np.zeros(indptr.shape[0] - 1)
    for r in range(indptr.shape[0] - 1):
        s = 0.0
        for k in range(indptr[r], indptr[r + 1]):
            s += vals[k]
        out[r] = s
    return out


@_compiled
def _shared(indptr, column, vals, a, b, out):  # pragma: no cover - compiled
    """``out[p]``: the summed idf of the features distinct texts ``a[p]`` and ``b[p]`` share."""
    for p in range(a.shape[0]):
        i, iend = indptr[a[p]], indptr[a[p] + 1]
        j, jend = indptr[b[p]], indptr[b[p] + 1]
        s = 0.0
        while i < iend and j < jend:
            ci, cj = column[i], column[j]
            if ci == cj:
                s += vals[i]
                i += 1
                j += 1
            elif ci < cj:
                i += 1
            else:
                j += 1
        out[p] = s


def overlaps(f: Features, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weighted Jaccard of answers ``a[p]`` and ``b[p]`` (``campaign_pairs.overlap``)."""
    a = f.unit_text[np.asarray(a, dtype=np.int64)]
    b = f.unit_text[np.asarray(b, dtype=np.int64)]
    shared = np.zeros(len(a))
    if len(a):
        _shared(f.indptr, f.column, f.idf, a, b, shared)
    total = f.weight[a] + f.weight[b] - shared
    out = np.zeros(len(a))
    np.divide(shared, total, out=out, where=total > 0)
    return out


def candidates(f: Features, cap: int, min_shared: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of answers ``(a, b)``, ``a < b``, in sorted order, sharing at least ``min_shared``
    features that are in 2 to ``cap`` answers (``campaign_pairs._candidates``)."""
    rare = (f.df >= 2) & (f.df <= cap)
    row_text = np.repeat(np.arange(len(f.indptr) - 1), np.diff(f.indptr))
    keep = rare[f.column]
    d_text, col = row_text[keep], f.column[keep]
    # Each (distinct text, rare feature) entry stands for every answer holding the text.
    order = np.argsort(f.unit_text, kind="stable")
    starts = np.zeros(len(f.indptr), dtype=np.int64)
    np.cumsum(np.bincount(f.unit_text, minlength=len(f.indptr) - 1), out=starts[1:])
    mult = starts[d_text + 1] - starts[d_text]
    at = np.repeat(starts[d_text], mult) + (
        np.arange(int(mult.sum())) - np.repeat(np.cumsum(mult) - mult, mult)
    )
    unit = order[at]
    col = np.repeat(col, mult)
    srt = np.lexsort((unit, col))
    unit, col = unit[srt], col[srt]
    n = len(f.unit_text)
    keys = []
    for d in range(1, cap):
        if len(col) <= d:
            break
        same = col[d:] == col[:-d]
        if same.any():
            keys.append(unit[:-d][same] * n + unit[d:][same])
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs, counts = np.unique(np.concatenate(keys), return_counts=True)
    pairs = pairs[counts >= min_shared]
    return pairs // n, pairs % n
