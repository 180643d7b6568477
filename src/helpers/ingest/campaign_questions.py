"""One question's campaign-pair candidates and its unrelated-pair null (``campaign_pairs``' input).

Split from :mod:`campaign_pairs` (session 26), which pools these over the
questions and decides which respondent pairs are a campaign.
:func:`question_pairs` reads one question's normalised answers: the overlaps of
its unrelated pairs (the null, one pair per two copy groups), its candidate
pairs (answers of two respondents sharing at least ``MIN_RARE_SHARED`` features
found in at most ``RARE_CAP`` answers, kept when above the null's 99th
percentile), the pairs the copy rules grouped already (``_same_group``), and
``MEANING_ANSWERS`` answers for the meaning null. The integer-coded features of
:mod:`pair_features` do the work; the feature sets of :mod:`campaign_wording`
(``_set_pairs``, ``_candidates``) are the reference and the fallback.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from helpers.core.text import stopwords
from helpers.ingest import pair_features
from helpers.ingest.campaign_sizes import STOCK_SHARE  # the size rule's share (_same_group)
from helpers.ingest.campaign_wording import (
    NULL_TRIM,
    Feature,
    _once,
    features,
    null_sample,
    overlap,
    rarity,
    set_weight,
)
from helpers.ingest.copytext import SENTENCE_BREAK

MEANING_ANSWERS = 200  # answers of a question whose pairs are the meaning null (all when fewer)
RARE_CAP = 20  # answers of a question a feature may be in and still find candidates
MIN_RARE_SHARED = 3  # rare features a candidate pair shares


@dataclass
class QuestionPairs:
    """One question's candidate pairs (respondents, overlap, texts) and its null samples."""

    question_id: str
    candidates: list[tuple[str, str, float, str, str]] = field(default_factory=list)
    null_overlap: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Unrelated pairs of answers the null was drawn from, before one pair per two copy groups
    # was kept (``SINGLE_MIN_NULL`` counts these: how many answers the null rests on).
    null_count: int = 0
    # ``MEANING_ANSWERS`` answers' texts and copy-group keys, for the meaning null.
    meaning_texts: list[str] = field(default_factory=list)
    meaning_groups: list[object] = field(default_factory=list)
    known: frozenset[str] = frozenset()  # the question's own words (not features)
    # Candidate respondent pairs (sorted) whose answers the copy rules put in one group, in a
    # question large enough that two copies are under ``STOCK_SHARE`` of its answers: the size
    # rules turned that text down (``campaigns.min_group_size``), so a pair of them never
    # stands alone under ``SINGLE_Z`` (five people's identical stock sentence among 1,000).
    same_group: set[tuple[str, str]] = field(default_factory=set)


def _candidates(feature_sets: Sequence[frozenset[Feature]]) -> list[tuple[int, int]]:
    """Pairs sharing at least ``MIN_RARE_SHARED`` features found in at most ``RARE_CAP`` answers."""
    postings: dict[Feature, list[int]] = defaultdict(list)
    for k, fs in enumerate(feature_sets):
        for f in fs:
            postings[f].append(k)
    met: Counter = Counter()
    for ks in postings.values():
        if 1 < len(ks) <= RARE_CAP:
            met.update(combinations(ks, 2))
    return sorted(p for p, c in met.items() if c >= MIN_RARE_SHARED)


def question_pairs(
    question_id: str,
    respondents: Sequence[str],
    texts: Sequence[str],
    groups: Sequence[object],
    known: frozenset[str] = frozenset(),
) -> QuestionPairs:
    """Candidate pairs and the unrelated-pair sample of one question's normalised answers.

    ``respondents`` and ``texts`` are one answer per respondent; ``groups`` is each
    answer's copy-group key from the copy rules (its own text's key when alone).
    Candidates at or under the 99th percentile of the question's own null are
    dropped (an answer pair no more alike than the question's unrelated pairs is
    no outlier under any null). ``MEANING_ANSWERS`` answers drawn with a fixed
    seed (all of them in a small consultation) are kept for the meaning null,
    which :func:`corroborated_pairs` reads only when some pair needs it.
    """
    out = QuestionPairs(str(question_id), known=known)
    if len(texts) < 2:
        return out
    null = null_sample(len(texts), groups)
    once = _once(null, groups)
    coded = pair_features.features(texts, known, stopwords(), SENTENCE_BREAK, groups)
    if coded is not None:  # integer-coded features (issue 15): the sets' numbers, in numpy
        if null:
            i, j = np.array(null, dtype=np.int64).T
            out.null_overlap = pair_features.overlaps(coded, i, j)[once]
        out.null_count = len(null)
        floor = float(np.quantile(out.null_overlap, NULL_TRIM)) if len(null) else 0.0
        a, b = pair_features.candidates(coded, RARE_CAP, MIN_RARE_SHARED)
        who = pd.factorize(pd.Series(list(respondents), dtype=object))[0]
        two = who[a] != who[b]  # two respondents, not one respondent's two answers
        a, b = a[two], b[two]
        ov = pair_features.overlaps(coded, a, b)
        above = ov > floor
        out.candidates = [
            (respondents[x], respondents[y], v, texts[x], texts[y])
            for x, y, v in zip(
                a[above].tolist(), b[above].tolist(), ov[above].tolist(), strict=True
            )
        ]
        out.same_group = _same_group(
            respondents, groups, zip(a[above].tolist(), b[above].tolist(), strict=True)
        )
    else:  # more distinct words than the codes hold: the sets
        _set_pairs(out, respondents, texts, known, null, groups)
    some = np.sort(np.random.default_rng(0).permutation(len(texts))[:MEANING_ANSWERS]).tolist()
    out.meaning_texts = [texts[k] for k in some]
    out.meaning_groups = [groups[k] for k in some]
    return out


def _set_pairs(
    out: QuestionPairs,
    respondents: Sequence[str],
    texts: Sequence[str],
    known: frozenset[str],
    null: list[tuple[int, int]],
    groups: Sequence[object] = (),
) -> None:
    """``question_pairs``' null overlaps and candidates from feature sets (the reference)."""
    fsets = [features(t, known) for t in texts]
    idf = rarity(fsets, groups if len(groups) else None)
    weight = [set_weight(fs, idf) for fs in fsets]

    def score(a: int, b: int) -> float:
        return overlap(fsets[a], fsets[b], idf, (weight[a], weight[b]))

    once = _once(null, groups) if len(groups) else np.ones(len(null), dtype=bool)
    out.null_overlap = np.array([score(a, b) for a, b in null]).reshape(-1)[once]
    out.null_count = len(null)
    floor = float(np.quantile(out.null_overlap, NULL_TRIM)) if len(null) else 0.0
    found = [
        (a, b, ov)
        for a, b in _candidates(fsets)
        if respondents[a] != respondents[b] and (ov := score(a, b)) > floor
    ]
    out.candidates = [
        (respondents[a], respondents[b], ov, texts[a], texts[b]) for a, b, ov in found
    ]
    out.same_group = _same_group(respondents, groups, ((a, b) for a, b, _ in found))


def _same_group(
    respondents: Sequence[str], groups: Sequence[object], pairs: Iterable[tuple[int, int]]
) -> set[tuple[str, str]]:
    """The respondent pairs (sorted) among ``pairs`` of answer indices whose answers the copy
    rules put in one group, in a question large enough that two copies are under
    ``STOCK_SHARE`` of its answers (a stock sentence recurs there); empty otherwise."""
    if not len(groups) or math.ceil(STOCK_SHARE * len(respondents)) <= 2:
        return set()
    return {
        tuple(sorted((respondents[a], respondents[b]))) for a, b in pairs if groups[a] == groups[b]
    }
