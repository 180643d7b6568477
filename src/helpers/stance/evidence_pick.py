"""Which sentence an answer's stance is quoted from: the reading that weighed most (session 24).

The discourse reader (:mod:`helpers.stance.discourse`) sums every position word of an
answer, each weighted by where it stands (after a contrast, conceded, in a short closing
verdict, strong). Until session 24 it quoted the first winning word of the heaviest
*clause* kind, so a story's first cue ("Far too rushed. … Strongly disagree.", "Can't come
soon enough. … Long, long overdue.") was quoted instead of the verdict that decided it.

Rationale (measured, ``docs/stance.md`` "Session 24"): over every spent item set
(stance-items … stance-items-23, the answers and forms the rules read, 2,458 with gold
evidence), the gold evidence was missed 250 times; in 147 of those the gold was the last
sentence and the quote came from an earlier one (in 22 of 23 sets). Quoting the winner with
the largest weight in the sum, ties to the first as before: 35 quotes fixed, 9 broken, better
on 16 sets and worse on 2; no stance or reservation flag changed (the strength is read as
before). Ties to the last instead fixed 59 and broke 29 (chosen by 4 hits leave-one-set-out,
worse on 4 sets): not taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

__all__ = ["pick_quote"]


class _Clause(Protocol):
    sentence: tuple[int, int]


C = TypeVar("C", bound=_Clause)


def pick_quote(
    winners: Sequence[tuple[object, C]], weight_of: Mapping[int, float], fallback: C
) -> tuple[int, int]:
    """The sentence span to quote: of ``winners`` (evidence, clause) pairs on the winning side,
    the one whose evidence weighed most (``weight_of`` by ``id`` of the evidence), the first of
    equal weights; ``fallback``'s sentence when there are none."""
    if not winners:
        return fallback.sentence
    best = max(winners, key=lambda p: weight_of.get(id(p[0]), 0.0))
    return best[1].sentence
