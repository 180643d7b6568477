"""Rare wording two answers share, read against the unrelated pairs (``campaign_pairs``' measures).

Split from :mod:`campaign_pairs` (session 26), which keeps the decision: which
respondent pairs are a campaign. Here are the measures it decides on, with no
notion of a question's candidates or of meaning:

* the features of an answer (:func:`features`: words and adjacent word pairs that
  are neither stopwords nor the question's own words), their rarity
  (:func:`rarity`, inverse document frequency, a copy group counted once) and a
  pair's weighted Jaccard (:func:`overlap`, :func:`set_weight`);
* the unrelated pairs a score is read against (:func:`null_sample`,
  :func:`null_sample_once`, ``_once``) and the score in standard deviations above
  them, the top ``1 - NULL_TRIM`` left out (:func:`standardise`).

:mod:`pair_features` computes the same features and overlaps as integer arrays.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from helpers.core.text import stopwords
from helpers.ingest.copytext import SENTENCE_BREAK

NULL_TRIM = 0.99  # the unrelated pairs' top 1 % (campaigns among them) are left out of the null
NULL_PAIRS = 10_000  # pairs of a question's answers sampled for the null (all when fewer)

Feature = str | tuple[str, str]


def features(text: str, known: frozenset[str] = frozenset()) -> frozenset[Feature]:
    """The words and adjacent word pairs of normalised ``text`` that say something of its own.

    A word counts when it is neither a stopword nor one of the question's words
    (``known``); an adjacent pair of words (within a sentence) when either word
    counts. Two answers quoting the question share nothing by it.
    """
    common = stopwords() | known
    out: set[Feature] = set()
    for sentence in text.split(SENTENCE_BREAK):
        words = sentence.split()
        out.update(w for w in words if w not in common and len(w) > 1)
        out.update(
            (a, b)
            for a, b in zip(words, words[1:], strict=False)
            if a not in common or b not in common
        )
    return frozenset(out)


def rarity(
    feature_sets: Sequence[frozenset[Feature]], groups: Sequence[object] | None = None
) -> dict[Feature, float]:
    """Each feature's inverse document frequency among one question's answers.

    ``groups`` (each answer's copy-group key): a copy group counts once, over the number
    of groups. Session 23: counted by answers, a campaign's words grew less rare with
    every copy the copy rules had grouped, so one more word-for-word copy of a campaign
    text pushed its reworded copy under ``MIN_Z`` (the perturbed gold of batches 14-25,
    ``benchmarks/campaign_perturb``); a campaign sent a thousand times is one source of
    its words, as a text sent once is."""
    if groups is not None:
        union: dict[object, set[Feature]] = defaultdict(set)
        for fs, g in zip(feature_sets, groups, strict=True):
            union[g].update(fs)
        feature_sets = [frozenset(u) for u in union.values()]
    n = len(feature_sets)
    df = Counter(f for fs in feature_sets for f in fs)
    return {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items()}


def set_weight(fs: frozenset[Feature], idf: dict[Feature, float]) -> float:
    """A feature set's summed rarity, the same in every run (``math.fsum``: see :func:`overlap`)."""
    return math.fsum(map(idf.get, fs))


def overlap(
    a: frozenset[Feature],
    b: frozenset[Feature],
    idf: dict[Feature, float],
    weights: tuple[float, float] | None = None,
) -> float:
    """Weighted Jaccard of two feature sets: rare features shared over rare features in either.

    ``weights``: the two sets' summed weights, when the caller has them (a question's
    answers are each in many pairs, so they are summed once per answer). Sums are
    ``math.fsum``: a set's order follows the string hash, which changes from run to run, and a
    plain sum's last bit with it; a pair exactly at the null's floor then came and went."""
    shared = math.fsum(idf[f] for f in a & b)
    wa, wb = weights if weights is not None else (set_weight(a, idf), set_weight(b, idf))
    total = wa + wb - shared
    return shared / total if total > 0 else 0.0


def null_sample(n: int, groups: Sequence[object], limit: int = NULL_PAIRS) -> list[tuple[int, int]]:
    """Pairs of a question's ``n`` answers read as unrelated: all of them when there are at
    most ``limit``, else ``limit`` drawn with a fixed seed (the result does not change from run
    to run); pairs in one copy group already (``groups``: each answer's group key) left out."""
    total = n * (n - 1) // 2
    if total <= limit:
        pairs: Iterable[tuple[int, int]] = combinations(range(n), 2)
    else:
        rng = np.random.default_rng(0)
        i = rng.integers(0, n, size=limit)
        j = rng.integers(0, n, size=limit)
        pairs = ((int(a), int(b)) for a, b in zip(i, j, strict=True) if a != b)
    return [(a, b) for a, b in pairs if groups[a] != groups[b]]


def _once(null: Sequence[tuple[int, int]], groups: Sequence[object]) -> np.ndarray:
    """Which of the ``null`` pairs is the first of its two copy groups (:func:`null_sample_once`
    as a mask): the null :func:`question_pairs` keeps (floor, deviations)."""
    first = set(null_sample_once(null, groups))
    return np.array([p in first for p in null], dtype=bool)


def null_sample_once(
    null: Sequence[tuple[int, int]], groups: Sequence[object]
) -> list[tuple[int, int]]:
    """``null`` with one pair per two copy groups (the first drawn).

    Session 23: a campaign text the copy rules grouped is one source, however many sent it; with every copy in the null, a
    reworded copy's pairs with each of the group's copies were that many "unrelated" pairs
    as alike as the campaign pair itself, so one more word-for-word copy lifted the null's
    top percentile (``question_pairs``' floor) to the campaign pair and it was dropped
    (``benchmarks/campaign_perturb``, kind ``exact``, batches 14-25). ``question_pairs``
    keeps these pairs' overlaps as the null (floor and deviations: :func:`_once`), and
    counts every pair for ``SINGLE_MIN_NULL`` (``QuestionPairs.null_count``): counted once,
    transport-22's and -24's nulls fell from 121 to 99 pairs and their single-question
    pairs were lost through ingest (5/0/0 -> 3/0/2).
    """
    seen: set[frozenset] = set()
    kept = []
    for a, b in null:
        key = frozenset((groups[a], groups[b]))
        if key not in seen:
            seen.add(key)
            kept.append((a, b))
    return kept


def standardise(values: np.ndarray, null: np.ndarray) -> np.ndarray:
    """``values`` in standard deviations above the mean of ``null`` with its top
    ``1 - NULL_TRIM`` left out (NaN when the null has no spread)."""
    null = null[~np.isnan(null)]
    if len(null) < 2:
        return np.full(len(values), np.nan)
    core = null[null <= np.quantile(null, NULL_TRIM)]
    sd = float(core.std())
    if sd <= 0:
        return np.full(len(values), np.nan)
    return (np.asarray(values, dtype=float) - float(core.mean())) / sd
