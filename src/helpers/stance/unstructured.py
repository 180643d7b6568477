"""Stances from letters and e-mails that answer no question by heading (method ``unstructured``).

A respondent who writes a letter still takes positions: "I am in favour of
the road closures", "January is far too soon". When ingest could not place
such text under a question (it stays ``unstructured``), the closed
questions' stances are read from it here, so a clear supporter is not
missing from the question's table:

1. each paragraph is read like an answer (the fast reader, then
   :func:`helpers.stance.discourse.refine`); paragraphs that take no
   position are skipped;
2. a paragraph that takes a position addresses a closed question when it is
   the consultation's only closed question, or when the paragraph uses that
   question's distinctive words (words of its text, label, aliases or
   keywords found in no other closed question) and no other's;
3. a question's stance is its most confident paragraph's, with confidence
   times ``CONFIDENCE_FACTOR`` (the placement is inferred); a question no
   paragraph addresses stays ``not_answered``.

Linear in the letter's length; nothing about any consultation is in code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nltk.stem.porter import PorterStemmer

from helpers.core.consultation import Question
from helpers.stance.discourse import refine
from helpers.stance.infer import infer_stances
from helpers.stance.result import StanceResult, _placed, _stance_result

CONFIDENCE_FACTOR = 0.7
_PARA_RE = re.compile(r"\S(?:.*?\S)??(?=\n\s*\n|\s*\Z)", re.S)
_WORD_RE = re.compile(r"[a-z][a-z'-]+")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = resources.files("helpers").joinpath("data", "stopwords_en.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip())


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return PorterStemmer().stem(word)


def _stems(text: str) -> set[str]:
    stop = _stopwords()
    return {_stem(w) for w in _WORD_RE.findall(text.lower()) if w not in stop and len(w) > 2}


@lru_cache(maxsize=8)
def _distinctive(questions: tuple[Question, ...]) -> list[set[str]]:
    """Each closed question's word stems that no other closed question uses."""
    own = [_stems(" ".join([q.text, q.short or "", *q.aliases, *q.keywords])) for q in questions]
    return [s - set().union(*(o for k, o in enumerate(own) if k != i)) for i, s in enumerate(own)]


def unstructured_stances(
    text: str, spans: list[tuple[int, int]], questions: tuple[Question, ...]
) -> dict[str, StanceResult]:
    """The stance each closed question gets from the unstructured ``text[s:e]`` spans.

    Offsets in the results are offsets into ``text``; method ``unstructured``.
    """
    if not questions:
        return {}
    paras = [(s + m.start(), s + m.end()) for s, e in spans for m in _PARA_RE.finditer(text[s:e])]
    pieces = [text[a:b] for a, b in paras]
    read = [refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True)]
    words = _distinctive(questions) if len(questions) > 1 else None
    best: dict[str, StanceResult] = {}
    for (a, _b), piece, r in zip(paras, pieces, read, strict=True):
        if r.stance == "not_answered" or r.method == "sentiment":
            continue
        if words is None:
            q = questions[0]
        else:
            stems = _stems(piece)
            hits = [i for i, w in enumerate(words) if stems & w]
            if len(hits) != 1:
                continue
            q = questions[hits[0]]
        placed = _placed(r, a)
        kept = best.get(q.id)
        if kept is None or placed.confidence > kept.confidence:
            best[q.id] = placed
    return {
        qid: _stance_result(
            r.stance,
            r.score,
            r.reservations,
            round(r.confidence * CONFIDENCE_FACTOR, 2),
            r.evidence,
            r.start,
            r.end,
            "unstructured",
            r.cues,
        )  # fmt: skip
        for qid, r in best.items()
    }
