"""Whether two normalised texts are near copies as wholes: the score :mod:`nearcopies` verifies with.

A candidate pair that MinHash LSH proposes is scored here with rapidfuzz
(:func:`similarity`): an edit distance over characters for short texts, and
for longer ones the share of the shorter text's words found in order in the
longer (lines added or deleted cost nothing); a short copy may add whole
sentences of its own (:func:`sentence_run_score`), and one question's answers
may share only a passage (:func:`passages.passage_copy`). The reasons for
each rule are in :mod:`nearcopies`' docstring, step 3.
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from helpers.ingest.copytext import SENTENCE_BREAK, flat_words, polarity_kept, polarity_words
from helpers.ingest.passages import passage_copy

LONG_CHARS = 100  # from this length (about 18 words) a copy may add its own lines (words in order); 200 missed two-sentence campaign texts with a personal line added (dev sets)
MIN_LENGTH_RATIO = 0.5  # shorter / longer normalised length for a near copy
RATIO_MARGIN = 1e-6  # below the word score, the character ratio's cutoff (``similarity``)


def similarity(
    a: str, b: str, threshold: float = 0.0, added: bool = True, passage: bool = False
) -> float:
    """0-100 score of two normalised texts as near copies (0 when their lengths differ too much).

    From ``LONG_CHARS``: the share of the shorter text's words found in the same
    order in the longer (a word-level longest common subsequence), so lines
    added or deleted cost nothing and each changed word costs one word; or, if
    higher, ``fuzz.ratio`` over characters, so many one-word edits that keep
    the text's letters ("I would" / "we would" throughout) still count as small.
    Below: ``fuzz.ratio``, and 0 when the words that differ include one that
    turns the answer's position around (:func:`polarity_words`: "agree" /
    "disagree", "not"); failing that, :func:`sentence_run_score`, when ``a``
    (the copy; ``b`` is the representative) is ``b`` with a sentence of the
    sender's own before or after it. Not the other way: a representative with
    sentences the copy lacks is a longer text the copy is only part of (a stock
    sentence of a campaign text, sent on its own, is not a copy of it).
    ``added=False`` leaves that rule out. ``passage=True`` adds the shared-passage
    rule (:func:`passages.passage_copy`), for one question's answers (``cluster``).
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_LENGTH_RATIO * len(long_):
        return passage_copy(short, long_, threshold) if passage else 0.0
    (fs, ws), (fl, wl) = flat_words(short), flat_words(long_)
    if len(short) >= LONG_CHARS:
        # With a threshold, both scores are computed with a cutoff (rapidfuzz stops early
        # when a pair cannot reach it): a score under the threshold is 0 either way, and
        # one at or over it is exact. The word cutoff is one edit looser than the bound.
        cutoff = None
        if threshold > 0:
            cutoff = max(0, math.floor(len(ws) + len(wl) - threshold * max(len(ws), 1) / 50) + 1)
        common = (len(ws) + len(wl) - Indel.distance(ws, wl, score_cutoff=cutoff)) / 2
        words = 100.0 * common / max(len(ws), 1)
        # The character ratio counts only when it beats the word score, so that is its
        # cutoff too (less ``RATIO_MARGIN``, far under one edit, so a ratio equal to it is
        # never lost to rounding): rapidfuzz's bound stops early on long pairs whose words
        # already match closely (session 20: 1.8 -> 1.0 ms on 17,000 characters at 95
        # against a cutoff of 90). A ratio under the cutoff is 0: the max is the same.
        chars = fuzz.ratio(
            fs, fl, processor=None, score_cutoff=max(threshold, words - RATIO_MARGIN)
        )
        score = max(words, chars)
        # A word that turns the position around ("support" / "oppose", "not") inside the
        # copied text makes another answer, however long (session 11: pairs of 100-150
        # characters now make a campaign, so the check the short texts had is needed here).
        if score >= threshold and polarity_kept(ws, wl):
            return score
        return passage_copy(short, long_, threshold) if passage else 0.0
    score = 0.0
    if not (set(ws) ^ set(wl)) & polarity_words():
        score = fuzz.ratio(fs, fl, processor=None, score_cutoff=threshold)
    if score or not added or long_ is not a:  # only a copy adds sentences, never the leader
        return score
    return sentence_run_score(short, long_, threshold)


def sentence_run_score(short: str, long_: str, threshold: float = 0.0) -> float:
    """Score of ``short`` as a copy of a contiguous run of *whole* sentences of ``long_``.

    The rule for short texts sent with the sender's own sentence added ("This is
    my view too. <campaign text>"): ``short`` must match, with small edits
    (``fuzz.ratio`` at least ``threshold``, no polarity word among the words
    that differ), the sentences ``long_[i:j]`` for some run that leaves at least
    one sentence out, and the sentences left out (the added part) must hold no
    polarity word either, so "<campaign text> But I disagree." is not a copy.
    Whole sentences only: a word or clause added inside a sentence changes what
    it says ("keep the library open" / "keep the library open fewer hours").
    The caller's length check (``MIN_LENGTH_RATIO``) keeps the added part at
    most as long as the shared text. Both texts are normalised with
    ``SENTENCE_BREAK`` between sentences; a short text has few sentences, so
    the runs tried are few. Returns the best run's score, or 0.
    """
    sentences = long_.split(SENTENCE_BREAK)
    if len(sentences) < 2:
        return 0.0
    polar = polarity_words()
    words = set(short.split())
    best = 0.0
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences) + 1):
            if j - i == len(sentences):
                continue
            run = " ".join(sentences[i:j])
            if len(run) < MIN_LENGTH_RATIO * len(short) or len(run) > 2 * len(short):
                continue
            added = {w for s in sentences[:i] + sentences[j:] for w in s.split()}
            if added & polar or (words ^ set(run.split())) & polar:
                continue
            score = fuzz.ratio(short.replace(SENTENCE_BREAK, " "), run, processor=None)
            if score >= threshold and score > best:
                best = score
    return best
