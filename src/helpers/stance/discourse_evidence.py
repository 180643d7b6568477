"""The discourse reader's evidence: cues, subject-verb positions and lexicon phrases in an answer.

Split from :mod:`helpers.stance.discourse` (session 20, one concern per module): what
counts as a position word and which way it points, before the reader weighs it by where
it stands. ``_evidence`` takes the first reader's cues (:mod:`helpers.stance.infer`),
the verbs of position (``subject_verb``, ``third_person``) and the phrases of
``data/stance_lexicon.yaml``; a phrase covering a cue replaces it, a negator in the
four words before a phrase turns it round, and a cue inside a courtesy is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpers.stance import scope  # session 14: what a position word is about
from helpers.stance.discourse_lexicon import (
    _POLARITY,
    _VERBS,
    _gates,
    _lexicon,
    _present,
    _verb_starts,
)
from helpers.stance.emphasis import adverb_before, words_before
from helpers.stance.lexgate import WordPlaces
from helpers.stance.result import Cue
from helpers.stance.statusquo import status_quo
from helpers.stance.vocabulary import mask_asides

__all__ = ["_Evidence", "_evidence", "_verb_hits"]


@dataclass
class _Evidence:
    direction: int
    strong: bool
    start: int
    end: int
    kind: str  # cue | phrase
    weight: float = 1.0  # CONCEDED for a point conceded in passing ("it's not that I don't ...")
    negated: bool = False  # a negator turned it round, or is its own ("not opposed")


_WORDS_ONLY_RE = re.compile(r"[\w’'\-\s]+")
_CONTRAST_WORD_RE = re.compile(r"\b(?:but|however|yet|although|though|whereas)\b")


def _negated(text: str, start: int) -> bool:
    """Whether a negator stands in the four words before ``start`` ("not a bad idea",
    "can't say we are against it")."""
    before = mask_asides(text[max(0, start - 40) : start])  # "not, however, a good idea"
    before = re.split(r"[.!?;,:\n]", before)[-1]  # within the clause: "Absolutely not. Pointless"
    # Nor across a contrast: "It's not perfect but it's better than the status quo".
    before = _CONTRAST_WORD_RE.split(before)[-1]
    words = re.findall(r"[\w’'-]+", before)[-4:]
    end = bool(words) and bool(_lexicon()["negator_end"].search(" ".join(words) + " "))
    return end or scope.negated_belief(text, start)  # "we do not believe it adds value"


def _evidence(
    text: str,
    cues: tuple[Cue, ...],
    words: set[str] | None = None,
    short: WordPlaces | None = None,
) -> list[_Evidence]:
    """The first reader's directional cues, subject-verb positions and the lexicon's phrases.

    A phrase that covers a cue replaces it ("couldn't agree more" is not a
    negated "agree"; "No-brainer" is not a bare "No"); a negator in the four
    words before a phrase that does not carry its own turns it round ("not a
    bad idea", "can't say we are against it"). A cue inside a courtesy ("we would
    welcome the opportunity to meet") is no position.
    """
    lex, gates = _lexicon(), _gates()
    short = WordPlaces(text) if short is None else short
    found: list[_Evidence] = []
    for name, (direction, strong) in _POLARITY.items():
        finder = gates[name].finder(text, words, short)  # only the phrases the answer's words allow
        for m in finder.finditer(text) if finder is not None else ():
            if scope.literal(text, m.group(), m.start(), m.end()):
                continue
            own_negation = lex["negators"].match(m.group()) or "n't" in m.group().lower()
            d, st, flipped = direction, strong, False
            if not own_negation and _negated(text, m.start()):
                d, st, flipped = -direction, False, True
            elif not st and not own_negation and adverb_before(text, m.start()):
                st = True  # "absolutely against it" (session 9)
            if d < 0 and m.group().endswith("too long") and status_quo(text, m.start()):
                d, st = 1, False  # "For too long care leavers have been ..." (session 9)
            found.append(_Evidence(d, st, m.start(), m.end(), "phrase", 1.0,
                                   bool(own_negation) or flipped))  # fmt: skip
    vtext = mask_asides(text)  # read through "do not, however, support" (session 16)
    for m in _verb_hits(vtext, words):
        groups = m.groupdict()
        agree = groups.get("agree") or groups.get("agree2")
        verb = "agree" if groups.get("agree") else "agree2" if groups.get("agree2") else (
            "disagree" if groups.get("disagree") else "disagree2")  # fmt: skip
        if groups.get("gap") is not None:
            gap = groups["gap"]
        elif groups.get("modal"):
            gap = words_before(vtext, m.start(), 2) + " " + groups["modal"]
        else:
            gap = words_before(vtext, m.start(), 2)
        d = 1 if agree else -1
        negated = bool(lex["negators"].search(gap)) or "n't" in gap or "n’t" in gap
        strong = bool(lex["strong_adverbs"].search(gap)) and not negated
        found.append(_Evidence(-d if negated else d, strong, m.start(verb), m.end(), "cue", 1.0,
                               negated))  # fmt: skip
    # Longest first; a span inside a longer one, or overlapping it the other way, is read twice.
    found.sort(key=lambda e: (e.start - e.end, e.start))
    out: list[_Evidence] = []
    for e in found:
        if not any(o.start <= e.start and e.end <= o.end or (
                o.start < e.end and e.start < o.end and o.direction != e.direction)
                for o in out):  # fmt: skip
            out.append(e)
    for c in cues:
        if not c.direction or c.kind in ("sentiment", "echo"):
            continue
        cover = [o for o in out if o.start <= c.start and c.end <= o.end and o.kind == "phrase"]
        if cover:
            # a phrase covers it; a strong cue of the same direction ("strongly oppose")
            # keeps its strength in the phrase that replaces it ("oppose")
            for o in cover:
                if c.strong and o.direction == c.direction:
                    o.strong = True
            continue
        if any(o.kind == "cue" and o.start < c.end and c.start < o.end for o in out):
            continue  # the same verb, read above
        out.append(_Evidence(c.direction, c.strong, c.start, c.end, "cue", 1.0, c.negated))
    out = [o for o in out if not any(
        p is not o and p.start <= o.start and o.end <= p.end and p.kind == "phrase"
        for p in out)]  # fmt: skip
    # A courtesy is no position: "We would welcome the opportunity to meet" does not
    # welcome the proposal (a cue inside a ``courtesies`` phrase is dropped).
    courtesies = gates["courtesies"].finder(text, words, short)
    polite = [m.span() for m in courtesies.finditer(text)] if courtesies is not None else []
    if polite:
        out = [o for o in out if not any(a < o.end and o.start < b for a, b in polite)]
    return out


def _verb_hits(text: str, words: set[str] | None) -> list[re.Match[str]]:
    """``subject_verb`` matches, then ``third_person`` ones, as ``finditer`` over ``text``.

    Both patterns need a verb of position and consume only words, apostrophes,
    hyphens and spaces, so every match lies in one stretch of those characters
    (``_WORDS_ONLY_RE``) that holds a verb's opening letters (or, with the compiled
    scan, a verb's match): only those stretches are read, each from its start (``\b`` still sees the character
    before it) to its end (a non-word character, as in the whole text).
    """
    at = _verb_starts(text)  # where a verb matches (the compiled scan), else its letters
    if at is None:
        gates, words = _gates(), _present(text) if words is None else words
        if not any(gates[v].possible(words) for v in _VERBS):
            return []
        at = sorted(i for h in _verb_heads() for i in _find_all(text, h))
    if not at:
        return []
    stretches, k = [], 0
    for m in _WORDS_ONLY_RE.finditer(text):  # the stretches, in order, kept if a verb opens in one
        while k < len(at) and at[k] < m.start():
            k += 1
        if k < len(at) and at[k] < m.end():
            stretches.append(m.span())
    lex = _lexicon()
    return [m for name in ("subject_verb", "third_person") for a, b in stretches
            for m in lex[name].finditer(text, a, b)]  # fmt: skip


@lru_cache(maxsize=1)
def _verb_heads() -> tuple[str, ...]:
    """The opening letters of every verb of position (every ``_VERBS`` match holds one)."""
    return tuple(sorted(set().union(*(_gates()[v].heads for v in _VERBS))))


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out
