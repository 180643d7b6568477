"""Answers that give no position of their own: a view declined, or a pointer to another document.

Session 21 (issue 13): stance-items-20 read four such answers as positions:

- "I'd rather not give a view on this, as I work for one of Ofsted's partner inspectorates."
  (disagree: "rather not" is a preference against something, ``stance_lexicon.yaml``);
- "I'll keep my view on this to myself, thanks." (agree: the sentiment of "thanks");
- "See the Become response." and "See the Kingsford Cycle Campaign's submission." (agree: the
  learned no-position gate, which reads every answer the rules found no position in).

The documented convention (``docs/stance.md``, the ``declines_to_say`` items of every spent set)
is no position (``not_answered``) for an answer that declines to say or only points elsewhere;
a pointer that also says where the other response stands ("As per the LGA's response: January
is too early", "the Forum's response, which supports the filters") keeps that position, so
:func:`points_elsewhere` matches only an answer that is nothing but the pointer.

- :func:`declined_spans`: "rather not say / give / offer / express / share a view", "keep my
  view(s) / thoughts to myself": the words of position inside them are no position.
- :func:`says_nothing`: the whole answer is a decline or a pointer; neither the sentiment
  reading nor the gate reads it.
"""

from __future__ import annotations

import re

__all__ = ["declined_spans", "points_elsewhere", "says_nothing"]

_DECLINE_RE = re.compile(
    r"\brather\s+not\s+(?:say|give|offer|express|share|state|comment|answer|take)\b"
    r"|\b(?:keep|keeping)\s+(?:my|our)\s+(?:views?|opinions?|thoughts)\s+"
    r"(?:(?:on|about)\s+(?:[\w’'-]+\s+){1,3})?to\s+(?:myself|ourselves)\b",
    re.IGNORECASE,
)
# The whole answer a pointer: "See the X response.", "Please refer to our submission."
_POINTER_RE = re.compile(
    r"^\s*(?:please\s+)?(?:see|refer\s+to|as\s+set\s+out\s+in)\s+(?:the|our|my|their|its|his|her)\s+"
    r"(?:[\w’'&.-]+\s+){0,6}?(?:response|submission|letter|answer|comments|reply|paper|statement)s?"
    r"(?:\s+(?:to|on|for|about)\s+(?:the|this|that|our|my|an?)\s+[^.!?:;,]{1,60}?)?"
    r"(?:\s+(?:there|above|below|attached|enclosed))?\s*[.!]*\s*$",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?\n]")


def declined_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that decline to give a view ("I'd rather not give a view")."""
    return [m.span() for m in _DECLINE_RE.finditer(text)]


def points_elsewhere(text: str) -> bool:
    """Whether the whole of ``text`` only points to another response or document."""
    return _POINTER_RE.match(text) is not None


def says_nothing(text: str) -> bool:
    """Whether ``text`` gives no position of its own: it only points elsewhere, or its first
    sentence declines to give a view."""
    if points_elsewhere(text):
        return True
    m = _DECLINE_RE.search(text)
    if m is None:
        return False
    end = _SENTENCE_END_RE.search(text)
    return end is None or m.start() < end.start()
