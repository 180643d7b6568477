"""A preferred alternative: "We would rather the start moved to the spring".

People who disagree with a proposal often say only what they would prefer
instead: "I'd rather you took a year and got it right", "We would prefer the
judgement to begin in April", "I'd rather have that day with my young
people". No word of position is written, yet preferring something else to
what is proposed is disagreeing with it. Session 11 (issue 13): such answers
were read as no position (or by a stray phrase elsewhere) in ofsted-docs-6 and
-7, stance-items-7 and -10; the gold is ``disagree`` in each.

Read as weak disagreement (an ordinary phrase, never strong), so a contrast or
an explicit position elsewhere still decides ("We would prefer a shorter trial,
but we agree with the approach overall"). Not a preferred alternative:

- a comparison, whose other side the lexicon or the reader weighs: "I'd rather
  have it than not", "I'd prefer quieter streets to the current free-for-all"
  ("than" in the sentence, or "to" + a determiner or "doing"/"nothing"/"now");
- "rather not", read by the lexicon ("I'd rather not take a view");
- a preference about the proposal itself, "it"/"this" right after the verb: "I'd
  rather they gave it a proper go", "we'd prefer it closed round the clock" (the
  proposal made stronger, not replaced).

A pure function of the lower-cased answer, shared by the reader and its
reference copy (``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re

__all__ = ["preferred_alternatives"]

_PREFER_RE = re.compile(
    r"\b(?:would|['’]d)(?:\s+(?:much|far|really|strongly|still|probably|personally|"
    r"honestly|definitely|just))?\s+(?:prefer|rather)\b(?!\s+(?:not|than)\b)"
)
_SENTENCE_END_RE = re.compile(r"[.!?;\n]")
# The other side of a comparison: "... than not", "prefer X to the current ...".
_COMPARISON_RE = re.compile(
    r"\bthan\b|\bto\s+(?:the\s+)?(?:current|existing|present|status\s+quo|nothing|doing|what\s+we|"
    r"now|having|keeping|leaving)\b"
)
# The proposal itself named right after the verb: "rather they gave it a go".
_ABOUT_IT_RE = re.compile(r"(?:\s+[\w’'-]+){0,2}?\s+(?:it|this|these)\b")


def preferred_alternatives(text: str) -> list[tuple[int, int]]:
    """The spans ("would rather", "'d prefer") where ``text`` (lower-cased) states a
    preference for something other than the proposal; each is weak disagreement."""
    out: list[tuple[int, int]] = []
    if "prefer" not in text and "rather" not in text:
        return out
    for m in _PREFER_RE.finditer(text):
        end = _SENTENCE_END_RE.search(text, m.end())
        stop = end.start() if end else len(text)
        if stop - m.end() < 8:  # "I'd rather." / "if you'd prefer": nothing preferred
            continue
        if _COMPARISON_RE.search(text, m.end(), stop) or _ABOUT_IT_RE.match(text, m.end(), stop):
            continue
        out.append(m.span())
    return out
