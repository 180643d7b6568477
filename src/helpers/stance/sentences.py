"""Stance's light sentence finder: the sentence around a cue, and an answer's first sentences.

Line breaks and runs of ``. ! ?`` before whitespace bound a sentence; a lone
period after a listed abbreviation or a single letter does not. The compiled
first pass (:mod:`helpers.stance.scan`) reproduces these functions exactly.
"""

from __future__ import annotations

import re

from helpers.core.sentences import ABBREVIATIONS
from helpers.core.text import strip_span
from helpers.stance.caches import (
    _CACHE_MAX,
    _LINE_CACHE_LEN,
    _LINE_CACHE_MAX,
    _break_cache,
    _line_cache,
)

# Sentence ends: runs of . ! ? (plus closing quotes/brackets) before whitespace.
# A full Punkt pass per cue is too slow for the benchmark, so stance uses this
# light splitter with the same abbreviation list as helpers.core.sentences; within a
# line the two agree except on rare orthographic cases (see docs/stance.md).
_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")
_NONSPACE_RE = re.compile(r"\S")
_SENTENCE_LOOKBACK = 600


def _is_break(text: str, m: re.Match, ls: int) -> bool:
    """Whether the sentence-end match ``m`` ends a sentence (not "e.g." or an initial)."""
    ms = m.start()
    if text[ms] != "." or m.end() - ms > 1:
        return True  # "?", "!", "..." or a period with closing quote
    # Decided by the (at most 20) characters before the period alone: memoised.
    before = text[max(ls, ms - 20) : ms + 1]
    brk = _break_cache.get(before)
    if brk is None:
        if len(_break_cache) > _CACHE_MAX:
            _break_cache.clear()
        w = _WORD_BEFORE_RE.search(before)
        word = w.group(1).lower() if w else ""
        brk = _break_cache[before] = not w or not (
            word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        )
    return brk


def _sentence_at(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence span around ``pos``: line breaks and sentence ends bound it."""
    ls = text.rfind("\n", lo, pos) + 1 or lo  # max(lo, …), as rfind gives -1 or >= lo
    le = text.find("\n", pos, hi)
    if le == -1:
        le = hi
    if le - ls > _LINE_CACHE_LEN:
        return _sentence_in(text, pos, ls, le)
    # Everything below reads only the line [ls, le) (``_is_break`` too), so the
    # span is a function of the line and ``pos`` in it. Lines repeat across
    # answers (template paragraphs, "We agree with the proposal."): memoised.
    key = (text[ls:le], pos - ls)
    span = _line_cache.get(key)
    if span is None:
        if len(_line_cache) > _LINE_CACHE_MAX:
            _line_cache.clear()
        s, e = _sentence_in(key[0], pos - ls, 0, le - ls)
        span = _line_cache[key] = (s, e)
    return ls + span[0], ls + span[1]


def _sentence_in(text: str, pos: int, ls: int, le: int) -> tuple[int, int]:
    """``_sentence_at`` given the bounds [ls, le) of the line around ``pos``."""
    # Look back a bounded distance first: paragraphs can be long.
    scan = max(ls, pos - _SENTENCE_LOOKBACK)
    start = scan
    # The last sentence end before ``pos`` wins: try them from the right (most
    # cues open their line, with nothing to try).
    m = _END_RE.search(text, scan, pos)
    if m:
        ends = [m]
        ends.extend(_END_RE.finditer(text, m.end(), pos))  # as finditer would go on
        for m in reversed(ends):
            if _is_break(text, m, ls):
                start = m.end()
                break
    if start == scan and scan > ls:  # no sentence end in the window: a very long sentence
        start = ls
        for m in _END_RE.finditer(text, ls, pos):
            if _is_break(text, m, ls):
                start = m.end()
    end = le
    m = _END_RE.search(text, pos, le)
    while m:  # the first sentence end after ``pos`` (as finditer would find them)
        if _is_break(text, m, ls):
            end = m.end()
            break
        m = _END_RE.search(text, m.end(), le)
    return strip_span(text, start, end)


def _first_sentences(text: str, lo: int, hi: int, limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` sentence spans from the start of ``text[lo:hi]``."""
    spans: list[tuple[int, int]] = []
    pos = lo
    while len(spans) < limit:
        m = _NONSPACE_RE.search(text, pos, hi)
        if not m:
            break
        s, e = _sentence_at(text, m.start(), lo, hi)
        if e <= s:
            break
        spans.append((s, e))
        pos = e
    return spans


def sentence_spans(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """The sentence spans of ``text`` (at most ``limit``), trimmed, as the stance rules
    cut them: line breaks and sentence ends, not after "e.g." or an initial. The
    public face of the splitter for the layers read after the rules (``stance.gate``)."""
    return _first_sentences(text, 0, len(text), len(text) if limit is None else limit)
