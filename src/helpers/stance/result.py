"""What stance reads from an answer: :class:`Cue`, :class:`StanceResult` and the confidence heuristic.

Also the fast constructors of both (the readers build many), the rounding of
confidence into a result (:func:`_result`) and the move of a result's offsets
into a longer text (:func:`_placed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core import schemas
from helpers.stance.caches import _CACHE_MAX, _rounded

# Confidence heuristic (see docs/stance.md).
CONFIDENCE = {
    "cue": 0.9,
    "formal": 0.9,
    "yesno": 0.75,
    "neither": 0.7,
    "evaluative": 0.7,
    "sentiment_max": 0.4,
    "none": 0.2,
}
NEGATION_PENALTY = 0.1

_SCORE_TO_STANCE = {v: k for k, v in schemas.STANCE_SCORES.items()}
_SCORE = {k: float(v) for k, v in schemas.STANCE_SCORES.items()}


@dataclass(frozen=True)
class Cue:
    """One stance signal found in the text.

    ``kind`` is agree, disagree, neither, formal (the scale's own "neither agree
    nor disagree"), yesno, evaluative or sentiment. ``direction`` is +1/-1/0
    after negation; ``strong`` marks an intensifier; ``hedged`` a hedge or
    contrast in the cue's sentence; ``partial`` a negated intensifier ("not
    fully agree").
    """

    kind: str
    text: str
    start: int
    end: int
    direction: int
    strong: bool = False
    negated: bool = False
    hedged: bool = False
    partial: bool = False
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True)
class StanceResult:
    """The stance read from one answer.

    ``method`` is cue, evaluative, sentiment or none; ``start``/``end`` locate
    the evidence sentence in the text given to :func:`infer_stance`.
    """

    stance: str
    score: float | None
    reservations: bool
    confidence: float
    evidence: str | None
    start: int | None
    end: int | None
    method: str
    cues: tuple[Cue, ...] = ()

    @property
    def direction(self) -> int:
        """+1 agree, -1 disagree, 0 neither (or not answered)."""
        return 0 if not self.score else (1 if self.score > 0 else -1)


# Speed: a frozen dataclass's __init__ sets each field with object.__setattr__
# (11 calls for a Cue); these build the same instances (same fields, equality,
# hash and repr) by setting their __dict__ once, about twice as fast.
_new = object.__new__
_set = object.__setattr__


def _cue(
    kind: str,
    text: str,
    start: int,
    end: int,
    direction: int,
    strong: bool = False,
    negated: bool = False,
    hedged: bool = False,
    partial: bool = False,
    sentence_start: int = 0,
    sentence_end: int = 0,
) -> Cue:
    """``Cue(...)``, built faster."""
    c = _new(Cue)
    _set(
        c,
        "__dict__",
        {
            "kind": kind,
            "text": text,
            "start": start,
            "end": end,
            "direction": direction,
            "strong": strong,
            "negated": negated,
            "hedged": hedged,
            "partial": partial,
            "sentence_start": sentence_start,
            "sentence_end": sentence_end,
        },
    )
    return c


def _stance_result(
    stance: str,
    score: float | None,
    reservations: bool,
    confidence: float,
    evidence: str | None,
    start: int | None,
    end: int | None,
    method: str,
    cues: tuple[Cue, ...],
) -> StanceResult:
    """``StanceResult(...)``, built faster."""
    r = _new(StanceResult)
    _set(
        r,
        "__dict__",
        {
            "stance": stance,
            "score": score,
            "reservations": reservations,
            "confidence": confidence,
            "evidence": evidence,
            "start": start,
            "end": end,
            "method": method,
            "cues": cues,
        },
    )
    return r


def _result(
    text: str, stance: str, reservations: bool, confidence: float, span, method: str, cues
) -> StanceResult:
    s, e = span if span else (None, None)
    # Confidences take few distinct values: their rounding is memoised.
    rounded = _rounded.get(confidence)
    if rounded is None:
        if len(_rounded) > _CACHE_MAX:
            _rounded.clear()
        rounded = _rounded[confidence] = round(min(1.0, max(0.05, confidence)), 3)
    return _stance_result(
        stance,
        _SCORE.get(stance),
        reservations,
        rounded,
        text[s:e] if span else None,
        s,
        e,
        method,
        tuple(cues),
    )


def _placed(r: StanceResult, lo: int) -> StanceResult:
    """``r`` (offsets relative to the answer) with offsets moved ``lo`` further on."""
    # Built field by field: dataclasses.replace is several times slower.
    cues = tuple(
        _cue(
            c.kind,
            c.text,
            lo + c.start,
            lo + c.end,
            c.direction,
            c.strong,
            c.negated,
            c.hedged,
            c.partial,
            lo + c.sentence_start,
            lo + c.sentence_end,
        )
        for c in r.cues
    )
    s = e = None
    if r.start is not None:
        s, e = lo + r.start, lo + r.end
    return _stance_result(
        r.stance, r.score, r.reservations, r.confidence, r.evidence, s, e, r.method, cues
    )
