"""A score given to the proposal: "I'd give it eight out of ten", "the closures get an 8/10".

People who are asked how far they agree sometimes answer with a mark instead: "I'd
score January three out of ten", "7/10 - would be 10 if ...". No word of position is
written, yet a mark above the middle of its scale is approval and one below it is
disapproval. Session 16 (issue 13): stance-items-15 held seven such answers (numbers
and words, out of ten and "/10"); the rules read none of them by their mark (one was
read the wrong way by a later complaint, two were missed in letters).

Read as a weak position (an ordinary phrase, never strong), so a contrast after it or
an explicit position elsewhere still decides. A mark at the middle of its scale (5 of
10, 3 of 5) is no evidence. Not a mark: a proportion of people or things ("eight out
of ten councils", "3/10 of respondents"), told by a word after the mark that is not
a preposition, a stop or the end of the text.

A traffic-light rating (session 17) is a mark too: "Green.", "The new judgement: GREEN",
"RED for January" — green approval, red disapproval, amber the middle (no evidence). Only
a colour standing alone where an answer or a labelled line opens (the text's start, a line
start, after a colon or a dash) and followed by a stop, the end or "for"/"from", so "green
space", "red tape" and "a red line" are no rating. (stance-items-16 held 21 such answers;
"Green." alone was read as disagreement by the gate.)

A pure function of the lower-cased answer, shared by the reader and its reference
copy (``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re

__all__ = ["ratings"]

_NUMBERS = {
    "zero": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_MARK_RE = re.compile(
    r"\b(?P<n>10|\d(?:\.5)?|zero|nil|one|two|three|four|five|six|seven|eight|nine|ten)\s*"
    r"(?:/|out\s+of)\s*(?P<d>10|ten|5|five)\b"
    # what may follow a mark: a stop, the end, or a preposition ("from me", "for the idea")
    r"(?=\s*(?:[.,;:!?)\-–—\n]|$|(?:from|for|as|on|overall|at|by|tops|max|maximum|in|if|"
    r"because|but|and|though|although|so)\b))"
)
_CHEAP = re.compile(r"/|out\s+of")
_LIGHT_RE = re.compile(
    r"(?:^|(?<=[\n:–—])|(?<=\s-))[^\S\n]*(?P<c>green|red)(?=[^\S\n]*(?:[.,;:!?)\-–—\n]|$|(?:from|for)\b))"
)
_LIGHTS = {"green": 1, "red": -1}


def ratings(text: str) -> list[tuple[int, int, int]]:
    """(start, end, direction) of each mark out of ten or five, and each traffic light, in
    the lower-cased ``text``: +1 above the middle of its scale, -1 below it; marks at the
    middle (and amber) are left out."""
    out = []
    if "green" in text or "red" in text:  # cheap tests first (speed)
        out = [(m.start("c"), m.end("c"), _LIGHTS[m.group("c")]) for m in _LIGHT_RE.finditer(text)]
    if not _CHEAP.search(text):
        return out
    for m in _MARK_RE.finditer(text):
        n = m.group("n")
        value = float(n) if n[0].isdigit() else _NUMBERS[n]
        scale = 10 if m.group("d") in ("10", "ten") else 5
        if value > scale:
            continue
        mid = scale / 2
        if value != mid:
            out.append((m.start(), m.end(), 1 if value > mid else -1))
    return out
