"""Stance's bounded memo caches, shared by the readers, and :func:`clear_caches`.

Sentences and short answers repeat verbatim across respondents ("Agree.",
campaign letters), so the sentence finder (:mod:`helpers.stance.sentences`), the
cue reading (:mod:`helpers.stance.cues`), VADER (:mod:`helpers.stance.sentiment`),
the confidence rounding (:mod:`helpers.stance.result`), whole short answers
(:mod:`helpers.stance.infer`), the discourse reader's results
(:mod:`helpers.stance.discourse`) and the reservation finder's per-sentence terms
(:mod:`helpers.stance.reservation_model`) are memoised here. Results are the same with or
without them.
"""

from __future__ import annotations

from typing import Any

# Bounded memo caches: sentences and short answers repeat verbatim across
# respondents ("Agree.", campaign letters). Cleared past this size to keep memory flat.
_CACHE_MAX = 200_000
_compound_cache: dict[str, float] = {}
_break_cache: dict[str, bool] = {}
_cue_cache: dict[tuple[str, int, str, str, int], tuple[int, bool, bool, bool, bool]] = {}
_answer_cache: dict[str, Any] = {}  # StanceResult by answer text
_rounded: dict[float, float] = {}
_line_cache: dict[tuple[str, int], tuple[int, int]] = {}
_LINE_CACHE_LEN = 1000  # longer lines (rare) are not kept
_LINE_CACHE_MAX = 20_000  # keys hold whole lines: at most 20M characters
_ANSWER_CACHE_LEN = 200  # only short answers ("Agree.") are worth keeping whole
_ANSWER_CACHE_MAX = 20_000  # whole results are larger than the other entries
# The discourse reader's result by (answer, first reading): campaign copies and stock
# answers repeat whole. Keys hold the answers: at most 10,000 of up to 2,000 characters
# (20M characters, as the line cache).
_refine_cache: dict[tuple[str, Any], Any] = {}
_REFINE_CACHE_LEN = 2000
_REFINE_CACHE_MAX = 10_000
# The reservation finder's n-gram term and rule hits by lower-cased sentence, for the
# weights in ``_sentence_weights`` (``reservation_model._sentence_terms``).
_sentence_terms_cache: dict[str, tuple[float, tuple[bool, ...]]] = {}
_sentence_weights: list[Any] = [None]


def clear_caches() -> None:
    """Empty the memo caches (results are the same either way; benchmarks use this so
    that every timed pass starts from the same state)."""
    for cache in (_compound_cache, _break_cache, _cue_cache, _answer_cache, _line_cache,
                  _refine_cache, _sentence_terms_cache):  # fmt: skip
        cache.clear()
