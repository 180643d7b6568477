"""A claim restated, then denied: "We would support it if it came with funding. It does not."

Respondents set up a claim (the consultation's, other people's, or their own
position under a condition) and knock it down with a bare denial as the next
sentence: "The consultation says waiting makes the start fair. It doesn't.",
"People think that settles it for us drivers. It doesn't.", "We would support
a separate judgement if it came with the funding. It does not." The claim's
words are not the respondent's position; the denial is, and it disagrees.
Session 11 (issue 13): seen in stance-items-3, -5, -9 and -10 (gold
``disagree`` each time; before, the claim's "support" read as agreement or no
position was found).

A bare denial is a whole sentence of a pronoun, an auxiliary and "not"/"n't"
("It doesn't.", "They won't.", "That isn't so."), after another sentence. "I"
and "we" are left out: "Do we agree? We do not." answers a quoted question
(the reader's own rule). A pure function of the lower-cased answer, shared by
the reader and its reference copy (``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re

__all__ = ["denials"]

_DENIAL_RE = re.compile(
    r"(?<=[.!?])[\s\"'”’)]*(?P<denial>(?:it|they|that|this|he|she)\s+"
    r"(?:(?:does|do|did|is|are|was|were|will|would|has|have|can|could)(?:\s+not|n['’]t)"
    r"|won['’]t|cannot|shan['’]t)(?:\s+so)?\s*[.!]+)"
)
_STOP_RE = re.compile(r"[.!?]")


def denials(text: str) -> list[tuple[int, int, int]]:
    """For each bare denial in ``text`` (lower-cased): (start of the sentence it denies,
    start of the denial, end of the denial)."""
    out: list[tuple[int, int, int]] = []
    if "not" not in text and "n't" not in text and "n’t" not in text:
        return out
    for m in _DENIAL_RE.finditer(text):
        s, e = m.span("denial")
        claim_end = m.start()  # just after the claim's stop
        prev = [p.end() for p in _STOP_RE.finditer(text, 0, max(0, claim_end - 1))]
        claim_start = prev[-1] if prev else 0
        if not text[claim_start:claim_end].strip(" \n.!?"):
            continue
        out.append((claim_start, s, e))
    return out
