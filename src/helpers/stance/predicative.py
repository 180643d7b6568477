"""A position stated of the proposal through a relative clause: "It is not one I can support".

People often name the proposal (or "it", "this") as the subject and say what
*kind of thing* it is for them: "A gate that fines pensioners ... is not one I
can support", "This is not a scheme we could ever back", "It isn't a decision
I can get behind", "That is something we can support". The position verb
stands inside a relative clause ("one I can support"), which the first reader
rightly skips as a cue ("the young people we support" is no position), so the
sentence fell to the sentiment reading: "support" is a warm word and the
answer came out as agreement. Session 18 (issue 13): on the unseen
stance-items the largest direction error was disagreement read as agreement;
stance-items-17's "... is not one I can support" was one of them, and the
rules read every negated variant of this shape as agreement.

The shape: a copula ("is", "are", "was", "'s", "isn't" ...), an optional
negator, a bare head ("a"/"an" + up to three words, "one", "something",
"anything", a plural ("measures"), "the kind/sort/type of" + a word), an optional
"that"/"which", who takes the position ("I", "we", "anyone", "our members"), then modals
and adverbs and a position verb. The direction is the verb's (support, back,
endorse, welcome, agree with, get behind, accept: +1; oppose, object to,
reject: -1) turned round by the negator. Without a negator a modal is
needed ("something we can support"), so "a charity we support" is not read.
Each span is ordinary (never strong) evidence, so a contrast or an explicit
position elsewhere still weighs.

A pure function of the lower-cased answer, shared by the reader and its
reference copy (``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["predicated", "predicated_positions"]

_VERBS = {
    "support": 1,
    "back": 1,
    "endorse": 1,
    "welcome": 1,
    "agree with": 1,
    "get behind": 1,
    "accept": 1,
    "oppose": -1,
    "object to": -1,
    "reject": -1,
}
_PREDICATIVE_RE = re.compile(
    r"\b(?:(?:is|are|was|were|be)(?P<neg1>n['’]t)?|['’]s)"
    r"(?:\s+(?P<neg2>not|never|hardly))?"
    r"\s+(?:(?:a|an)(?:\s+[a-z][\w'-]*){1,3}?|one|something|anything|[a-z][\w'-]*s|"
    r"the\s+(?:kind|sort|type)\s+of(?:\s+[a-z][\w'-]*)?)"
    r"(?:\s+(?:that|which))?"
    r"\s+(?:i|we|anyone|anybody|our\s+[a-z]+)"
    r"(?P<mods>(?:\s+(?:can|could|would|will|shall|should|am|are|be|able\s+to|ever|really|"
    r"fully|happily|possibly|willingly|honestly|actually|in\s+good\s+conscience))*)"
    r"\s+(?P<verb>support|back|endorse|welcome|agree\s+with|get\s+behind|accept|oppose|"
    r"object\s+to|reject)\b"
)
_ANY_VERB = ("support", "back", "endorse", "welcome", "agree", "behind", "accept", "oppose",
             "object", "reject")  # fmt: skip


def predicated_positions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, direction) of each "is (not) one I can support" in ``text``
    (lower-cased): the span from the copula to the position verb."""
    if not any(v in text for v in _ANY_VERB):
        return []
    out = []
    for m in _PREDICATIVE_RE.finditer(text):
        negated = bool(m.group("neg1") or m.group("neg2"))
        if not negated and not m.group("mods").strip():
            continue  # "a charity we support": no position
        d = _VERBS[" ".join(m.group("verb").split())]
        out.append((m.start(), m.end(), -d if negated else d))
    return out


def predicated(text: str, evidence: list[Any], make: Callable[[int, int, int], Any]) -> list[Any]:
    """``evidence`` (objects with ``start``, ``end``, ``direction``) with each predicated
    position read in: readings of its words the other way are dropped, and
    ``make(direction, start, end)`` added unless a reading the same way stays there."""
    for a, b, d in predicated_positions(text):
        evidence = [ev for ev in evidence if ev.direction == d or not a < ev.end or ev.start >= b]
        if not any(ev.start < b and a < ev.end for ev in evidence):
            evidence.append(make(d, a, b))
    return evidence
