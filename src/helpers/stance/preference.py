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

__all__ = ["alternative_values", "preferred_alternatives"]

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


# Session 19 (issue 13): the largest class of the unseen polarity errors of stance-items-14
# ... -18 (30 of 108) was an alternative named instead of the proposal, most often another
# time or size: "Later, ideally September.", "Two years would be better", "Leave it till the
# spring", "shorter trial please", "Why not September?", "no earlier than April". A time or
# a size is what a proposal's date or length is answered with; naming another one with a
# preference word is disagreeing with the one proposed. Not read: a sentence that compares
# ("Better January than never, but April would be better still": the comparison reader
# weighs which side is the proposal), "the sooner the better", "wait until" (often the
# proposal itself: "wait until every council has had an inspection").
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|spring|summer|autumn|winter|next\s+(?:year|month|spring|summer|autumn|winter|term))"
)
_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|nine|twelve|eighteen|twenty-four|a\s+few)"
_SPAN = rf"(?:{_NUMBER}\s+(?:weeks?|months?|years?))"
_COMPARATIVE = r"(?:shorter|longer|smaller|later|slower|fewer|gentler|phased)"
_VALUE = rf"(?:(?:in\s+|from\s+|until\s+|till\s+)?(?:the\s+)?(?:{_MONTH}|{_SPAN}|later|{_COMPARATIVE}\s+[\w-]+))"
_ALT_VALUE_RE = re.compile(
    rf"\b{_VALUE}(?:\s+[\w’'-]+){{0,3}}\s+(?:would|will|['’]d|might|could)\s+(?:be|make|seem|sound)\s+"
    r"(?:(?:much|far|a\s+lot|so\s+much|even|more)\s+)?(?:better|more\s+(?:sense|sensible|realistic|"
    r"workable|achievable|reasonable)|fairer|wiser|preferable|kinder)\b"
    rf"|\b(?:ideally|preferably)\s*,?\s+{_VALUE}\b"
    rf"|\bwhy\s+not\s+{_VALUE}(?:\s+[\w’'-]+){{0,3}}\s*\?"
    r"|\b(?:leave\s+it|hold\s+off|put\s+it\s+off|push\s+it\s+back|delay\s+it)\s+(?:un)?till?\b"
    rf"|\b(?:a|an)\s+{_COMPARATIVE}\s+[\w-]+(?:\s*,)?\s+(?:please|instead)\b"
    rf"|\b{_COMPARATIVE}\s+[\w-]+(?:\s*,)?\s+please\b"
    r"|\bno\s+(?:earlier|sooner)\s+than\b"
    rf"|\b{_VALUE}\s+instead\b(?!\s+of\b)"
)
# A comparison in the sentence is weighed by the comparison reader (``stance.comparison``).
_ACCEPTING_RE = re.compile(r"\b(?<!earlier\s)(?<!sooner\s)than\b|\bthe\s+sooner\b")


def alternative_values(text: str) -> list[tuple[int, int]]:
    """The spans where ``text`` (lower-cased) names another time or size than the
    proposal's with a preference word ("two years would be better", "ideally September",
    "why not April?", "leave it till the spring"); each is weak disagreement."""
    out: list[tuple[int, int]] = []
    for m in _ALT_VALUE_RE.finditer(text):
        end = _SENTENCE_END_RE.search(text, m.end() - 1)  # "why not april?" ends its own
        stop = end.end() if end else len(text)
        starts = [e.end() for e in _SENTENCE_END_RE.finditer(text, 0, m.start())]
        if not _ACCEPTING_RE.search(text, starts[-1] if starts else 0, stop):
            out.append(m.span())
    return out
