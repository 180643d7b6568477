"""Restated copies: a campaign's short text rewritten in the sender's own words, found by its stems.

Session 16 (batch 18, read after it was spent): a supporter copies a campaign's two
sentences but rewrites them ("If it isn't inspected and graded, it won't be fixed" /
"IF NOBODY INSPECTS IT AND GRADES IT, NOBODY WILL FIX IT"; "Orchard Road children are
breathing less exhaust" / "orchard rd kids breathing less exhaust + crossing safely"), or
answers in a thread around it. The words change form, so neither the character distance of
:mod:`copyscore` nor the word trigrams of :mod:`reworded` see a copy (the pairs share 0-3
trigrams). What survives is the campaign's *content words* as stems: "inspect", "grade",
"fix", "deserv"; "orchard", "breath", "exhaust", "cross", "safe".

The rule (:func:`restated_copy`): the two texts' content-word stems (Porter stems of words
of three letters or more that are neither stopwords nor words of the question), each
weighted by its rarity among the question's answers (inverse document frequency, so a
topic word every answer uses counts for little), share

* at least ``MIN_STEMS`` stems (a campaign's few content words, not one common word), and
* at least ``MIN_WEIGHT_SHARE`` of the shorter text's stem weight (the shorter text is
  mostly the campaign's content; a long answer sharing a few topic words is not a copy),
  and at least ``MIN_LONG_SHARE`` of the longer one's (a campaign line quoted inside a
  long argument of the writer's own is not a copy),

and the two texts hold the same polarity words (:func:`same_polarity`).
Measured on the gold answer texts of every spent set (``benchmarks/accounting_gold.py``;
docs/evaluation.md, session 16): over every pair of answers to one question, pairs of
*different* answers reach these bars once (a long form answer and a survey row sharing
five stems), while 697 of the 762 campaign pairs do.

Only texts that the earlier passes left alone may join a group, and only a leader
(as :mod:`reworded`); stems in more than ``STOCK_CAP`` of the question's texts are not
indexed, so the candidates are found in time linear in the texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from helpers.core.stemming import stem
from helpers.core.text import stopwords
from helpers.ingest.copytext import SENTENCE_BREAK, polar

MIN_STEMS = 6  # content stems a restated pair shares at least (batch 18's pairs: 4-8)
MIN_WEIGHT_SHARE = 0.7  # of the shorter text's rarity-weighted stems (different answers: < 0.7)
MIN_LONG_SHARE = 0.2  # of the longer one's: a campaign line quoted in a long argument is no copy
STOCK_CAP = 20  # texts a stem may be in before it is a topic word of the question, not indexed
MAX_CHARS = 600  # only short texts: a campaign's sentence or two, not a letter

_NO_APOSTROPHE = re.compile(
    r"^(don|can|won|isn|aren|didn|doesn|wasn|weren|shouldn|wouldn|couldn|haven|hasn)t$"
)
_WORD = re.compile(r"[a-z][a-z'’-]+")


def content_stems(text: str, question_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stems of a normalised text's content words: no stopword, no word of the question."""
    stop = stopwords()
    return frozenset(
        stem(w.strip("'’-"), "porter")
        for w in _WORD.findall(text.replace(SENTENCE_BREAK, " ").lower())
        if len(w) > 2 and w not in stop and w not in question_words
    )


def restated_copy(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> bool:
    """Whether stem sets ``a`` and ``b`` (with the question's ``idf``) are one text restated."""
    shared = a & b
    if len(shared) < MIN_STEMS:
        return False
    weight = sum(idf[s] for s in shared)
    wa, wb = sum(idf[s] for s in a), sum(idf[s] for s in b)
    return weight >= MIN_WEIGHT_SHARE * min(wa, wb) and weight >= MIN_LONG_SHARE * max(wa, wb)


def restated_pairs(
    texts: Sequence[str], alone: Sequence[int], leaders: Sequence[int], question_words=frozenset()
) -> dict[int, int]:
    """For each text in ``alone``, an earlier leader it is a restated copy of (if any).

    ``texts`` are one question's distinct normalised texts; the leader chosen is the one
    sharing the most stem weight (ties: the earliest). Texts over ``MAX_CHARS`` take no part.
    """
    short = [len(t) <= MAX_CHARS for t in texts]
    stems = [
        content_stems(t, question_words) if s else frozenset()
        for t, s in zip(texts, short, strict=True)
    ]
    n = len(texts)
    df = Counter(s for st in stems for s in st)
    idf = {s: math.log((n + 1) / (c + 0.5)) for s, c in df.items()}
    posting: dict[str, list[int]] = {}
    for j in sorted(leaders):
        if short[j]:
            for s in stems[j]:
                if df[s] <= STOCK_CAP:
                    posting.setdefault(s, []).append(j)
    out: dict[int, int] = {}
    for i in sorted(alone):
        if not short[i] or not stems[i]:
            continue
        met = Counter(j for s in stems[i] if df[s] <= STOCK_CAP for j in posting.get(s, ()))
        best, best_w = None, 0.0
        for j, k in sorted(met.items()):
            if j >= i or k < MIN_STEMS or not restated_copy(stems[i], stems[j], idf):
                continue
            w = sum(idf[s] for s in stems[i] & stems[j])
            if w > best_w:
                best, best_w = j, w
        if best is not None and same_polarity(texts[i], texts[best]):
            out[i] = best
    return out


def same_polarity(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` hold the same polarity words (:func:`copytext.polar`).

    A restated copy is aligned too loosely for word-by-word polarity
    (:func:`copytext.polarity_kept`), so the two texts' sets of polarity words ("not",
    "no", "oppose" …, contractions as "not", also typed without the apostrophe: "dont")
    must be equal: "Keep the filters" restated as "Don't keep the filters", or followed by
    "But I disagree", is no copy. A sender's own narrative negation after the copy ("haven't
    had one since") blocks it too: the price of never joining a reversed position.
    """

    def carrying(text: str) -> list[str]:
        return [
            piece
            for w in text.split()
            # "dont", "cant" typed without the apostrophe: the contraction's pieces
            for piece in (_NO_APOSTROPHE.sub(r"\1 t", w).split())
        ]

    return polar(carrying(a)) == polar(carrying(b))
