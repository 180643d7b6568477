"""Emphasis the phrase lists miss: an intensifier before a phrase, or a sentence that
only repeats or intensifies the one before (session 9, issue 13).

The discourse reader (:mod:`helpers.stance.discourse`) makes a position strong when
a strong cue or phrase carries it. Respondents also intensify a plain phrase with an
adverb the phrase does not hold ("Absolutely against it.", "Completely and utterly
against."), or say it again, alone: "Yes. Unreservedly.", "NO. NO. NO.", "No. Just
no." Read on the unseen item sets of sessions 7 and 8 (and stance-items-3 and -5),
each came out as the plain stance. The adverbs are the lexicon's
``emphatic_adverbs`` (generic English; "really" is not one: "I really like it" is
not emphatic enough to be strong).
"""

from __future__ import annotations

import re

from helpers.stance.clauses import _SENTENCE_RE
from helpers.stance.lexicon import words as _words

_WORD_RE = re.compile(r"[\w’'%-]+")
_FILLER = frozenset({"and", "just", "simply", "so"})


def words_before(text: str, start: int, n: int) -> str:
    """The ``n`` words before ``start``, joined (the adverbs before "supports")."""
    return " ".join(re.findall(r"[\w’'-]+", text[max(0, start - 30) : start])[-n:])


def adverb_before(text: str, start: int) -> bool:
    """Whether an emphatic adverb stands in the two words before ``start`` in its clause
    ("absolutely against it", "completely and utterly against")."""
    before = re.split(r"[.!?;,:\n]", text[max(0, start - 30) : start])[-1]
    words = _WORD_RE.findall(before)[-2:]
    adverbs = _words("emphatic_adverbs")
    return any(w in adverbs for w in words)


def echoed(text: str, sentence: tuple[int, int]) -> bool:
    """Whether the sentence after ``sentence`` only intensifies it ("Unreservedly.",
    "Totally.") or says it again ("NO. NO.", "No. Just no.")."""
    nxt = _SENTENCE_RE.search(text, sentence[1])
    if nxt is None:
        return False
    said = _WORD_RE.findall(text[sentence[0] : sentence[1]].lower())
    again = [w for w in _WORD_RE.findall(nxt.group().lower()) if w not in _FILLER]
    if not again or len(again) > 3:
        return False
    adverbs = _words("emphatic_adverbs")
    return all(w in adverbs for w in again) or again == said
