"""Candidate reservation features measured in session 25 (not shipped): word classes, positions, two minds.

    PYTHONPATH=src python -m benchmarks.reservation_loso rows.jsonl out.pkl --extra=B

Each candidate is a block of 0/1 sentence features beside the finder's own
(:mod:`helpers.stance.reservation_model`), read from a lower-cased answer's sentences and the index of
its stance sentence. ``B`` (:data:`CUE_FEATURES`):

- ``cond_noif``: a condition phrased without "if" ("provided", "as long as", "only once", "subject to",
  "depends", "until", "need to see … first", "before I decide");
- ``resource``: money, staff, capacity or time as a concern ("caseloads", "underfunded", "too short");
- ``concern``: a word of worry, doubt or risk ("wary", "not convinced", "time will tell");
- ``faint``: support given grudgingly or provisionally ("I suppose", "reluctantly", "give it a go");
- ``later_cue``: after the stance sentence and holding any cue above, a contrast or a condition word;
- ``question_other``: a question of the writer's other than the stance sentence;
- ``after_question_cond``: a condition answering the writer's own question just before it ("Can we
  have the guidance first? If so, yes.");
- ``others_cue``: the first cue word in another's view (:func:`helpers.stance.voice.whose_view`).

``C``: ``cond_noif``, ``question_other``, ``after_question_cond`` and ``two_minds`` (:data:`TWO_MINDS`:
"my head / heart", "head says", "pros", "cons", "on the one hand", "in two minds", "torn", "part of me",
in the sentence or the one before).

Measured leave-one-set-out over stance-items … -24 (docs/stance.md, "Session 25"): neither won on most
sets against what ships, so neither is in the package; kept here so the measurement can be re-run.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from benchmarks.reservation_misses import RESOURCE  # one word class, shared with the census
from helpers.stance.voice import whose_view

__all__ = ["CANDIDATES", "CUE_FEATURES", "TWO_MINDS", "candidate", "cue_features"]

COND_NOIF = re.compile(
    r"\b(?:provided|providing|as long as|so long as|only once|only when|only after|only with|only where|"
    r"only on|subject to|on condition|conditional|assuming|dependent on|depends|depending|"
    r"contingent|in return for|on the basis that|proviso|unless|until|till|as soon as|not before|not until|"
    r"need to (?:see|know|hear|understand)|want to (?:see|know)|"
    r"before (?:i|we) (?:say|decide|commit|agree|support|back))\b"
)
CONCERN = re.compile(
    r"\b(?:worr\w+|concern\w*|fear\w*|afraid|anxious|nervous|wary|sceptic\w*|skeptic\w*|doubt\w*|"
    r"unsure|not sure|hesitant|reservations?|caveats?|risks?|risky|danger\w*|hope|hoped|hopefully|"
    r"not convinced|remains? to be seen|time will tell|unclear|caution\w*|mindful|downside\w*|"
    r"drawback\w*)\b"
)
FAINT = re.compile(
    r"\b(?:i suppose|suppose so|reluctantly|grudgingly|give it a (?:go|chance|try|fair)|fair chance|"
    r"i guess|not the worst|can't be worse|cannot be worse|better than nothing|than never|narrowly|"
    r"just about|for now|for the time being|at a push|half-hearted\w*|lukewarm|live with|not ideal|"
    r"on balance|with reservations|with caveats|in principle|broadly|mostly|largely)\b"
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|whereas|except)\b")
_CONDITION = re.compile(
    r"\b(?:if|unless|provided|providing|as long as|so long as|on condition|subject to|assuming|"
    r"only when|only once|until)\b"
)
_THEN = re.compile(r"\W*then\b")
_CUES = (CONCERN, RESOURCE, COND_NOIF, FAINT, _CONTRAST, _CONDITION)
CUE_FEATURES = ("cond_noif", "resource", "concern", "faint", "later_cue", "question_other",
                "after_question_cond", "others_cue")  # fmt: skip


def _first_cue(low: str) -> re.Match | None:
    for p in _CUES:
        m = p.search(low)
        if m is not None:
            return m
    return None


@lru_cache(maxsize=65536)
def _sentence_cues(low: str) -> tuple[bool, ...]:
    """What one sentence holds, apart from its place: the four word classes, a question mark,
    any cue, a cue in another's view, a condition or an opening "then" (sentences repeat across
    answers, so this is kept)."""
    m = _first_cue(low)
    return (
        COND_NOIF.search(low) is not None,
        RESOURCE.search(low) is not None,
        CONCERN.search(low) is not None,
        FAINT.search(low) is not None,
        "?" in low,
        m is not None,
        m is not None and whose_view(low, m.start(), m.end()) == "other",
        (COND_NOIF.search(low) or _CONDITION.search(low) or _THEN.match(low)) is not None,
    )


def cue_features(lows: list[str], ev: int | None) -> np.ndarray:
    """One row of :data:`CUE_FEATURES` (0/1) per lower-cased sentence of an answer (``ev``: the
    stance sentence's index, or None)."""
    got = [_sentence_cues(low.replace("’", "'")) for low in lows]
    out = np.zeros((len(lows), len(CUE_FEATURES)), dtype=np.float64)
    for k, (cond, res, con, faint, q, cue, other, conditional) in enumerate(got):
        out[k] = (
            cond, res, con, faint,
            ev is not None and k > ev and cue,
            q and k != ev,
            k > 0 and got[k - 1][4] and conditional,
            other,
        )  # fmt: skip
    return out


TWO_MINDS = re.compile(
    r"\b(?:head|heart|gut)\b\W+(?:says|said|tells|told|wins|won|thinks|wants)\b|\bmy (?:head|heart)\b|"
    r"\bon (?:the )?one hand\b|\bon the other hand\b|\bpros\b|\bcons\b|\bof two minds\b|\bin two minds\b|"
    r"\btorn\b|\bpart of me\b|\bhalf of me\b"
)


def _two_minds(lows: list[str]) -> np.ndarray:
    """1 where the sentence or the one before it weighs two minds of the writer's."""
    hit = [TWO_MINDS.search(low.replace("’", "'")) is not None for low in lows]
    return np.array([h or (k > 0 and hit[k - 1]) for k, h in enumerate(hit)], dtype=np.float64)


CANDIDATES = {
    "B": CUE_FEATURES,
    "C": ("cond_noif", "question_other", "after_question_cond", "two_minds"),
    "D": ("question_other", "after_question_cond", "two_minds"),
}


def candidate(name: str):
    """The feature function ``(lows, ev) -> n x k array`` of candidate ``name`` (:data:`CANDIDATES`)."""
    cols = CANDIDATES[name]

    def extra(lows: list[str], ev: int | None) -> np.ndarray:
        full = np.column_stack([cue_features(lows, ev), _two_minds(lows)])
        names = (*CUE_FEATURES, "two_minds")
        return full[:, [names.index(c) for c in cols]].reshape(len(lows), len(cols))

    return extra
