"""Stance's first pass over one answer in Python, and what any first pass finds.

The rules read an answer with regexes anchored at keywords. What those need from
the whole answer (the answer lower-cased, the starts of cue and evaluative
keywords) is found here with ``str.lower`` and Aho-Corasick, one answer at a
time: the reference that the compiled first pass (:mod:`helpers.stance.scan`)
reproduces over a batch, and the path without numba. :class:`_Found` holds the
result of either.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from helpers.stance.vocabulary import _EVAL_KEYWORDS, _EVAL_WINDOW, _WHOLE_WORD


@lru_cache(maxsize=2)
def _automaton(words: frozenset[str]):
    """An Aho-Corasick automaton over ``words``; values are (length, whole-word only)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, (len(w), w in _WHOLE_WORD))
    auto.make_automaton()
    return auto


def _merge(out: list[list[int]], ws: int, we: int) -> None:
    if out and ws <= out[-1][1]:
        out[-1][1] = max(out[-1][1], we)
    else:
        out.append([ws, we])


def _lower(text: str, lo: int, hi: int) -> str:
    """``text[lo:hi]`` lower-cased with its length kept (so offsets stay valid)."""
    low = text[lo:hi].lower()
    if len(low) != hi - lo:  # rare characters whose lower case is longer ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text[lo:hi])
    return low


def _hits(low: str, words: frozenset[str]) -> list[int]:
    """Starts (in ``low``) of whole-word keyword hits, in the automaton's order.

    A list rather than a generator: it runs on every answer, and resuming a
    generator per hit costs more than the list.
    """
    n_low = len(low)
    out = []
    add = out.append
    for end_idx, (n, whole) in _automaton(words).iter(low):
        k = end_idx - n + 1
        if k > 0 and low[k - 1].isalpha():
            continue
        if whole and end_idx + 1 < n_low and low[end_idx + 1].isalpha():
            continue
        add(k)
    return out


class _Found(NamedTuple):
    """The first pass over one lower-cased answer ``low`` (offsets relative to it).

    ``starts``: cue keyword starts, sorted. The rest is None when the pass did
    not find it (then the readers find it themselves): the sentence (starts,
    ends) around each cue keyword, the evaluative keyword starts and the first
    sentences that sentiment reads.
    """

    low: str
    starts: list[int]
    kws: list[int] | None = None  # which keyword each start is (vocabulary.keywords())
    cue_s: list[int] | None = None
    cue_e: list[int] | None = None
    evaluative: list[int] | None = None
    batch: Any = None  # the scan.BatchScan holding the first sentences, and
    index: int = 0  # the answer's number in it (built only when sentiment needs them)
    yesno: bool = True  # False: the answer cannot open with "yes"/"no"


def _eval_windows(low: str, lo: int, hi: int, starts: list[int] | None = None) -> list[list[int]]:
    """Merged regions around evaluative keywords (``starts``, found here when None),
    where the evaluative regex can match."""
    windows: list[list[int]] = []
    eb, ea = _EVAL_WINDOW
    for k in _hits(low, _EVAL_KEYWORDS) if starts is None else starts:
        _merge(windows, max(lo, lo + k - eb), min(hi, lo + k + ea))
    return windows
