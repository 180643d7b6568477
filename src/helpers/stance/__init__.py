"""Stance: closed agree/disagree answers in, a five-point stance with evidence out.

In:  the ``answers`` of closed questions (tick-box value and text).
Out: the ``stances`` table: one row per closed answer with the stance, how it was
     found (tick box, explicit statement, inference), confidence, reservations and
     the sentence that shows it (character offsets and quote).

Modules, in the order an answer is read:

- ``vocabulary``: the cue words and patterns, as tables;
- ``firstpass`` (Python) or ``scan`` (compiled, a batch at a time): the answer
  lower-cased and its keywords found;
- ``sentences``: the sentence around a cue, and an answer's first sentences;
- ``cues``: the explicit and evaluative cues, each read in its sentence;
- ``sentiment`` (with ``vader`` and ``vader_tables``, VADER compiled): the last resort;
- ``result``: cues, results and the confidence heuristic;
- ``infer``: the rules that weigh the cues into a stance (``infer_stance``,
  ``infer_stances``), and the choice of the compiled first pass;
- ``tickbox``: tick-box values; ``table``: the ``stances`` table and its summary;
- ``caches``: the bounded memo caches.
"""

from helpers.stance.caches import clear_caches
from helpers.stance.infer import infer_stance, infer_stances
from helpers.stance.result import StanceResult
from helpers.stance.table import LOW_CONFIDENCE, stance_answers, stance_summary
from helpers.stance.tickbox import tick_box_stance

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
