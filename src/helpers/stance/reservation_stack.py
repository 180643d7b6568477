"""A second look at the finder's best sentence: is it the writer's reservation? (session 28, issue 13)

The finder (:mod:`helpers.stance.reservation_model`) scores each sentence of an answer by its
words and place, and the answer has reservations when its best sentence scores at least a
threshold. On fresh item sets about half its flags are false alarms (stance-items-26 … -28:
precision .53, .59, .50): the best sentence is often the stance sentence itself, an
opponent's concession of the proposal's good side, another's view or a reason.

This module reads the answer as a whole around the best sentence and decides with a small
logistic regression over:

- the finder's log-odds of the best and the second-best sentence (how sure, and whether the
  answer has more than one candidate);
- where the best sentence stands: the stance sentence itself, before it, after it, no stance
  sentence; the answer's length;
- the writer's read position (the row's stance and method, its tick/text conflict, the rules'
  flag) and the best sentence's polarity against it
  (:func:`helpers.stance.reservation_cues.cue_features`: a supporter's negative sentence is the
  usual reservation, an opponent's positive one a concession), with the sentence's shapes
  (another's view, a question back, an opponent's concession, a concern about how things are
  now, a wish for more, a future act, a politeness hedge);
- a contrast or condition in the best sentence and in the stance sentence.

Fitted by ``benchmarks/reservation_stack.py`` on the finder's out-of-set scores of every spent
item set and chosen leave-one-set-out (docs/stance.md "Session 28: reservations"); shipped as
plain arrays (``data/reservation_stack.npz``). Without the file the finder's own threshold
decides, as before.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import numpy as np

from helpers.stance.reservation_cues import N_CUES, cue_features
from helpers.stance.reservation_model import _CONDITION_ANY, _CONTRAST_ANY, Row
from helpers.stance.reservation_split import plain

__all__ = ["N_STACK", "STACK", "load_stack", "stack_features", "stack_score"]

STACK_WEIGHTS = "reservation_stack.npz"
STACK = True  # decide with the second look when its weights ship
_STANCES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
_METHODS = ("text", "unstructured", "tick_box+text")
_OPPOSED = ("disagree", "strongly_disagree")
N_STACK = 2 + 4 + 2 + len(_STANCES) + len(_METHODS) + 2 + N_CUES + 3 + 2 + 1


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-4), 1 - 1e-4)
    return max(-8.0, min(8.0, math.log(p / (1 - p))))


def stack_features(sents: list[str], p: np.ndarray, ev: int | None, row: Row) -> np.ndarray:
    """The :data:`N_STACK` answer features around the best sentence of ``sents`` (``p``: the
    finder's sentence probabilities; ``ev``: the stance sentence's index or None)."""
    rule, stance, method, conflict = row
    b = int(np.argmax(p))
    z1 = _logit(p[b])
    z2 = _logit(np.partition(p, -2)[-2]) if len(p) > 1 else -8.0
    n = len(sents)
    f = [z1 / 4.0, z2 / 4.0]
    f += [0.0, 0.0, 0.0, 1.0] if ev is None else [float(b == ev), float(b < ev), float(b > ev), 0.0]
    f += [math.log1p(n) / 4.0, float(n == 1)]
    f += [float(stance == s) for s in _STANCES]
    f += [float(method == m) for m in _METHODS]
    f += [float(conflict), float(rule)]
    low = plain(sents[b]).lower()
    f += cue_features(plain(sents[b]), stance)
    ev_low = plain(sents[ev]).lower() if ev is not None else ""
    f += [
        float(_CONTRAST_ANY.search(low) is not None),
        float(_CONDITION_ANY.search(low) is not None),
        float(ev is not None and ev != b and _CONTRAST_ANY.search(ev_low) is not None),
    ]
    opposed = float(stance in _OPPOSED)
    f += [z1 / 4.0 * opposed, z1 / 4.0 * float(ev is not None and b == ev)]
    f.append(1.0)
    return np.array(f, dtype=np.float64)


@lru_cache(maxsize=1)
def load_stack() -> dict[str, np.ndarray] | None:
    """The shipped second look (coef, intercept, threshold), or None."""
    ref = resources.files("helpers.data").joinpath(STACK_WEIGHTS)
    if not ref.is_file():
        return None
    with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def stack_score(
    sents: list[str], p: np.ndarray, ev: int | None, row: Row, weights: dict[str, np.ndarray]
) -> float:
    """The probability that the answer's best sentence is the writer's reservation."""
    z = float(stack_features(sents, p, ev, row) @ weights["coef"]) + float(weights["intercept"])
    return 1.0 / (1.0 + math.exp(-z))
