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

__all__ = ["denials", "narrowed", "restatements"]

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


# Session 16 (issue 13): "I'm not against buses. I'm against being fined for a gate I never
# saw." A position denied about the general thing, then stated about the proposal's detail:
# the denial concedes, the restated opposition decides. Seen in stance-items, -11, -14 and
# -15 (gold ``disagree`` each time; before, the two cancelled out or the denial won).
_NARROWED_RE = re.compile(
    r"\bnot\s+(?:that\s+(?:i['’]m|i\s+am|we['’]re|we\s+are)\s+)?(?:against|opposed|anti)\b"
    r"[^.!?;\n]*[.!?;:]+[\s\"'”’)]*"
    r"(?P<pos>(?:but\s+)?(?:(?:it\s+is|it['’]s)\s+that\s+)?"
    r"(?:(?:i['’]m|i\s+am|im|we['’]re|we\s+are|they\s+are|it\s+is)\s+)?(?:against|opposed)\b"
    r"[^.!?;\n]*)"
)


def narrowed(text: str) -> list[tuple[int, int, int]]:
    """For each opposition denied and then restated (``_NARROWED_RE``) in ``text``
    (lower-cased): (start of the denying sentence, start and end of the restated
    opposition), in the shape of :func:`denials`."""
    if "against" not in text and "opposed" not in text:  # a cheap test first (speed)
        return []
    out: list[tuple[int, int, int]] = []
    for m in _NARROWED_RE.finditer(text):
        prev = [p.end() for p in _STOP_RE.finditer(text, 0, m.start())]
        out.append((prev[-1] if prev else 0, m.start("pos"), m.end("pos")))
    return out


# Session 16: "No. Sorry, I mean yes - I read the question the wrong way round." A reply
# corrected: what came before it is withdrawn, the corrected reply is the position.
_CORRECTED_RE = re.compile(
    r"\b(?:sorry|oops|whoops|correction)\b[\s,:;.!–—-]*(?:i\s+)?mean[t]?\s*[,:–—-]?\s*"
    r"(?P<yn>yes|no)\b"
)


def restatements(text: str) -> list[tuple[int, int, int, int]]:
    """What a later statement takes back, for the reader: (start of what is withdrawn,
    start and end of the statement that replaces it, its direction). Bare denials and
    narrowed oppositions disagree; a corrected reply ("Sorry, I mean yes") withdraws
    everything before it and takes its own side."""
    out = [(a, s, e, -1) for a, s, e in denials(text) + narrowed(text)]
    if "mean" in text:
        out += [(0, m.start("yn"), m.end("yn"), 1 if m.group("yn") == "yes" else -1)
                for m in _CORRECTED_RE.finditer(text)]  # fmt: skip
    return out
