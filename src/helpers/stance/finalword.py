"""A short last sentence that takes a side weighs double: the closing verdict (session 23).

People often tell a story, weigh both sides or say what they used to think, and then close
with a short verdict: "... Six months on, I'll admit I was wrong ... Keep them.", "As a
resident I'd love it. As a cabbie it's a nightmare. I'll vote with my wallet: against.",
"For: a full seasonal cycle of data. Against: 18 months is a long time. Net: for, just."
The discourse reader weighed every sentence alike unless a contrast or a summing-up opener
("Overall", "So") marked it, so the story's positions outvoted the verdict or cancelled it
("no position found").

Rationale (measured, ``docs/stance.md`` "Session 23"): the weight of the evidence in an
answer's last sentence was fitted as one parameter of the reader, leave-one-set-out over
every spent item set (stance-items … stance-items-22; answers and forms read by the
rules): weights 1 (before), 1.5, 2, 3, each for last sentences of at most 4, 6, 8 or 10
words or of any length. Chosen on the other 21 sets by acceptable readings, every fold chose
weight 2 for a last sentence of at most 6 words; on the held-out sets acceptable rose 2,707 →
2,718 (better on 8 sets, worse on 1). The existing clause weights (after a contrast 1.5, a
conceded clause 0.3) were re-fitted the same way and are already best.

Only an answer of at least two sentences has a closing verdict; a one-sentence answer is
read as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["FINAL_WEIGHT", "FINAL_WORDS", "final_sentence"]

FINAL_WEIGHT = 2.0
FINAL_WORDS = 6


class _Clause(Protocol):
    start: int
    end: int
    sentence: tuple[int, int]


def final_sentence(text: str, clauses: Sequence[_Clause]) -> tuple[int, int] | None:
    """The span of ``text``'s last sentence when it has at most ``FINAL_WORDS`` words and
    the answer has at least two sentences (``clauses`` as ``clauses._clauses`` cuts them),
    else None."""
    sentences = {c.sentence for c in clauses if text[c.start : c.end].strip()}
    if len(sentences) < 2:
        return None
    last = max(sentences)
    return last if len(text[last[0] : last[1]].split()) <= FINAL_WORDS else None
