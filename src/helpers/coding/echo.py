"""Codes whose evidence only echoes the consultation's own words.

Respondents often copy a question, or a passage of the consultation document,
before they answer it: "To what extent do you agree ... using planters and
camera-enforced filters to stop through traffic on residential streets?" The
theme words in such a copy ("camera", "through traffic") are the
consultation's, not a point the respondent makes (issue 14: a code needs the
theme to be a point the respondent makes). On the development sets these copies
gave 12 wrong codes and no right one in batches 5-11 (ofsted-docs-9, transport-9,
ofsted-docs-11, transport-11; session 9).

A sentence **echoes** the consultation when it has at least ``MIN_TRIGRAMS``
word trigrams and at least ``ECHO_SHARE`` of them occur in the consultation's
own text: every question's ``text`` and the consultation's ``description``. A
code is dropped when its evidence sentence echoes; a sentence that copies a few
words of the question inside the respondent's own point ("We agree that a
separate judgement for care leavers is needed because ...") shares too few of
its trigrams to count. The comparison ignores case, punctuation and hyphens,
and treats curly apostrophes as straight ones. Nothing here names a
consultation's words: the reference text is the consultation's own YAML.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

ECHO_SHARE = 0.5  # share of a sentence's word trigrams found in the consultation's text
MIN_TRIGRAMS = 3  # shorter sentences are never called echoes: too little to tell
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _trigrams(text: str) -> list[tuple[str, str, str]]:
    words = _WORD.findall(text.lower().translate(_APOSTROPHES))
    return list(zip(words, words[1:], words[2:], strict=False))


def consultation_trigrams(consultation: Consultation | None) -> frozenset:
    """Word trigrams of the consultation's question texts and description."""
    if consultation is None:
        return frozenset()
    texts = [q.text or "" for q in consultation.questions]
    texts.append(consultation.description or "")
    return frozenset(g for t in texts for g in _trigrams(t))


def echoes(sentence: str, reference: frozenset) -> bool:
    """True when ``sentence`` is mostly a copy of the consultation's text (``reference``)."""
    grams = _trigrams(sentence)
    if len(grams) < MIN_TRIGRAMS or not reference:
        return False
    return sum(map(reference.__contains__, grams)) >= ECHO_SHARE * len(grams)


def drop_echoes(codes: pd.DataFrame, consultation: Consultation | None) -> pd.DataFrame:
    """``codes`` without the rows whose evidence sentence (``quote``) echoes the consultation."""
    reference = consultation_trigrams(consultation)
    if not reference or not len(codes):
        return codes
    memo: dict[str, bool] = {}
    keep = []
    for quote in codes["quote"].astype(str).tolist():
        if quote not in memo:
            memo[quote] = echoes(quote, reference)
        keep.append(not memo[quote])
    dropped = len(keep) - sum(keep)
    if not dropped:
        return codes
    log.info("%d code rows dropped: their evidence copies the consultation's own text", dropped)
    return codes.loc[keep].reset_index(drop=True)
