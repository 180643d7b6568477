"""A question the respondent asks and answers at once: "Is January realistic ...? Of course not."

People put the proposal's merit as a yes/no question and answer it themselves:
"Is January realistic when half the advisers have thirty young people each? Of
course not.", "Will the new bins help anyone? No.", "Is this the right time to cut
the service? I don't think so." The question's own words read as a position
("realistic", "the right time": agreement) and the short reply carried none, so the
answer came out as agreement. Session 18 (issue 13): on the unseen stance-items
the largest direction error was disagreement read as agreement; a self-answered
question was one of its shapes (stance-items-17, tag ``rhetorical_question``).

Read here: a sentence that opens with an auxiliary ("is", "will", "would", "does",
"can", "should" ... , not a negated one: "Isn't it time ...?" is read elsewhere) and
ends with "?", followed at once by a sentence that is only a short negative reply
("No.", "Hardly.", "Of course not.", "Not at all.", "I don't think so.", "I doubt
it.", "No chance."). The positions read in the question are turned round (never
strong), and what the reply's own words were read as is dropped. A question with
no position read in it, or answered "Yes" / "Of course", is left as it is.

A pure function of the lower-cased answer and the reader's evidence (objects with
``start``, ``direction`` and ``strong``), shared by the reader and its reference copy
(``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["answered_no", "turn_answered"]

_QUESTION_RE = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?P<q>(?:is|are|was|were|will|would|does|do|did|can|could|should|"
    r"has|have|must)\b(?![’']?n[’']?t\b)[^.!?\n]*\?)"
    r"\s*(?P<a>(?:no|nope|hardly|never|unlikely|of\s+course\s+not|certainly\s+not|"
    r"absolutely\s+not|definitely\s+not|surely\s+not|not\s+at\s+all|not\s+really|"
    r"not\s+likely|not\s+a\s+chance|no\s+chance|no\s+way|i\s+don[’']?t\s+think\s+so|"
    r"i\s+doubt\s+it|i\s+think\s+not|(?:it|that|they)\s+(?:is|are|will|would|does|can)n[’']?t)"
    r"(?:,\s*(?:no|sadly|frankly|honestly))?\s*(?:[.!]+|(?=\n)|\Z))"
)


def answered_no(text: str) -> list[tuple[int, int, int, int]]:
    """(question start, question end, reply start, reply end) of each yes/no question in
    ``text`` (lower-cased) that the respondent answers at once with a short "no"."""
    if "?" not in text:
        return []
    return [
        (m.start("q"), m.end("q"), m.start("a"), m.end("a")) for m in _QUESTION_RE.finditer(text)
    ]


def turn_answered(text: str, evidence: list[Any]) -> list[Any]:
    """``evidence`` with the positions read in each question answered "no" turned round
    and those read in the reply itself dropped (only where the question holds one)."""
    for qs, qe, rs, re_ in answered_no(text):
        asked = [ev for ev in evidence if qs <= ev.start < qe]
        if not asked:
            continue
        for ev in asked:
            ev.direction, ev.strong = -ev.direction, False
        evidence = [ev for ev in evidence if not rs <= ev.start < re_]
    return evidence
