"""Stance: closed agree/disagree answers in, a five-point stance with evidence out.

In:  the ``answers`` of closed questions (tick-box value and text).
Out: the ``stances`` table: one row per closed answer with the stance, how it was
     found (tick box, explicit statement, inference), confidence, reservations and
     the sentence that shows it (character offsets and quote).

Modules: ``rules`` (cues, tick boxes and the rules that weigh them), ``scan``
(the compiled first pass over a batch), ``vader`` (sentiment, the last resort).
"""

from helpers.stance.rules import (
    LOW_CONFIDENCE,
    StanceResult,
    clear_caches,
    infer_stance,
    infer_stances,
    stance_answers,
    stance_summary,
    tick_box_stance,
)

__all__ = [
    "LOW_CONFIDENCE",
    "StanceResult",
    "clear_caches",
    "infer_stance",
    "infer_stances",
    "stance_answers",
    "stance_summary",
    "tick_box_stance",
]
