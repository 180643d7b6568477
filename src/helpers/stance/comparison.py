"""Which side of a comparison is the proposal: "I'd rather see a permit scheme than planters".

Session 15 (issue 13). A respondent who compares two things and prefers one takes a
side on the proposal only through which side the proposal is on: "I'd rather see a
residents' permit scheme than planters" rejects the planters the question proposes,
"we would rather start in January than not start at all" accepts the January start,
"Do it properly, with a full public inquiry, instead of an experiment" rejects the
experimental order. The discourse reader reads the words of position in such a
sentence ("rather", "better", "properly") without knowing what the question
proposes, so it often took the preferred side for the proposal (in the spent sets
stance-items 1-14 and batches 2-17, eleven of 92 text answers with a comparison were
read the wrong way, most of them so).

This rule compares each side with the question's own words (its text, short label,
aliases and keywords; the words every closed question shares, "agree", "extent",
are left out, and the consultation's generic words): the side that names the
question more is the proposal. Preferred side names it: agreement; rejected side
names it: disagreement; a side that is the present state ("the current ...", "the
existing ...", "what we have now", "nothing") is never the proposal, so preferring
something to it agrees, and preferring it disagrees. A tie, or no question word on
either side, decides nothing and the reading stands.

Forms read (lower-cased text, one sentence at a time): "would/'d rather A than B",
"would/'d prefer A to/over/than B", a preference verb ("would rather/prefer/like",
"want", "should", "please") or an imperative followed by "A rather than B" /
"A instead of B", "Rather than B, A" / "Instead of B, A" opening a sentence, and "A
is/would be (far/much) better than B". A plain "X rather than Y" that describes ("adding
grades narrows attention rather than widening it") is no preference and is not read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from helpers.core.consultation import Consultation
from helpers.core.text import strip_span
from helpers.stance.result import StanceResult, _stance_result
from helpers.stance.unstructured import content_stems

__all__ = ["by_comparison", "compared", "question_words", "side_taken"]

_ADV = r"(?:\s+(?:much|far|really|strongly|still|probably|personally|honestly|definitely|just|rather|a\s+lot|infinitely))?"
_WOULD_RATHER_RE = re.compile(
    rf"\b(?:would|['’]d){_ADV}\s+(?:rather|prefer|sooner)\b(?!\s+not\b)(?P<a>[^.!?;\n]*?)"
    r"\b(?:than|over)\b(?P<b>[^.!?;\n]*)"
)
_PREFER_TO_RE = re.compile(
    rf"\b(?:would|['’]d){_ADV}\s+prefer\b(?P<a>[^.!?;\n]*?)\bto\s+(?P<b>(?:a|an|the|any|its|their|this|"
    r"that|these|those|keeping|having|making|doing|leaving|nothing|current|existing)\b[^.!?;\n]*)"
)
_PREFERENCE_RE = re.compile(
    r"\b(?:would|['’]d)(?:\s+(?:much|far|really|rather))?\s+(?:rather|prefer|like|want|ask|sooner)\b"
    r"|\b(?:i|we)\s+(?:want|need)\b|\bshould\b|\bplease\b"
)
_RATHER_THAN_RE = re.compile(r"\b(?:rather\s+than|instead\s+of)\b")
_OPENING_RE = re.compile(r"\W*(?:rather\s+than|instead\s+of)\b(?P<b>[^,;:]*)[,;:](?P<a>.*)", re.S)
_BETTER_RE = re.compile(
    r"(?P<a>[^.!?;\n]*?\b(?:is|are|would\s+be|['’]s|will\s+be|'d\s+be|seems?)"
    r"(?:\s+(?:far|much|a\s+lot|so\s+much|infinitely|still))?\s+(?:better|preferable)\s+)"
    r"(?:than|to)\b(?P<b>[^.!?;\n]*)"
)
# A subject-like first word: a sentence that opens with one is no imperative.
_SUBJECT_RE = re.compile(
    r"\W*(?:i|we|you|they|he|she|it|this|that|these|those|there|the|a|an|our|my|their|his|"
    r"her|its|some|many|most|all|any|no|one|if|when|while|as|because|since|although|though|"
    r"i['’]\w+|we['’]\w+|it['’]s|that['’]s|there['’]s|[\d£$])\b"
)
_STATUS_QUO_RE = re.compile(
    r"\b(?:current|currently|existing|present|presently|status\s+quo|at\s+the\s+moment|as\s+it\s+is|"
    r"as\s+things\s+are|today|what\s+(?:we|there)\s+(?:have|has|had|is|are)|we\s+have\s+now|"
    r"we['’]ve\s+got)\b"
    r"|^\W*(?:not|nothing|never|no\s+change|doing\s+nothing|no\s+\w+\s+at\s+all)\b"
)
_COPULA_RE = re.compile(
    r"\s*\b(?:is|are|would\s+be|['’]s|will\s+be|'d\s+be|seems?)(?:\s+(?:far|much|a\s+lot|so\s+much|"
    r"infinitely|still))?\s+(?:better|preferable)\s*$"
)
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_KEYS = ("rather", "prefer", "instead", "better")
_FRAME = frozenset({"agre", "disagre", "extent", "propos", "question", "view"})


QuestionWords = tuple[frozenset[str], frozenset[str]]


def question_words(consultation: Consultation, question_id: str) -> QuestionWords:
    """The stems of one closed question's name (its short label, or its text when it has
    none) and of all its own words (text, short label, aliases, keywords), each without
    the words every closed question shares ("to what extent do you agree")."""

    def stems(q) -> set[str]:
        return content_stems(" ".join([q.text, q.short or "", *q.aliases, *q.keywords]))

    own = {q.id: stems(q) for q in consultation.closed_questions}
    shared = set.intersection(*own.values()) if len(own) > 1 else set()
    q = next(q for q in consultation.questions if q.id == question_id)
    mine = own.get(question_id) or stems(q)
    name = content_stems(q.short or q.text)
    return frozenset(name - shared - _FRAME), frozenset(mine - shared - _FRAME)


def _names(side: str, words: frozenset[str], stems: set[str] | None = None) -> int:
    """How many of ``side``'s content words are the question's (a stem, or one stem the
    prefix of the other, at least five letters: "experiment" / "experimental").

    ``stems``: ``content_stems(side)`` when the caller has it already (``crossq`` asks
    this of one piece for every closed question). A stem is tested through
    ``_prefix_index`` (set look-ups), not against every word of the question: the same
    count (session 22, speed only: the pairwise test was four fifths of the stance step
    on a generated survey, 2.7 million prefix tests at 1,000 respondents).
    """
    long_words, prefixes = _prefix_index(frozenset(words))
    n = 0
    for s in content_stems(side) if stems is None else stems:
        if s in words or (
            len(s) >= 5
            and (s in prefixes or any(s[:k] in long_words for k in range(5, len(s) + 1)))
        ):
            n += 1
    return n


@lru_cache(maxsize=256)
def _prefix_index(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """``words`` of at least five letters, and every prefix of at least five letters of them.

    A stem ``s`` of five letters or more shares a prefix relation with such a word ``w``
    exactly when ``s`` is one of the prefixes (``w.startswith(s)``) or one of ``s``'s own
    prefixes of five letters or more is such a word (``s.startswith(w)``)."""
    long_words = frozenset(w for w in words if len(w) >= 5)
    prefixes = frozenset(w[:k] for w in long_words for k in range(5, len(w) + 1))
    return long_words, prefixes


# The preferred side is only a word that points back at the proposal: "I'd rather that".
_POINTER_RE = re.compile(
    r"\W*(?:(?:i|we|you)\s+)?(?:have\s+|see\s+|do\s+)?(?:it|that|this|one|them|so)\W*$"
)


def _verdict(a: str, b: str, words: QuestionWords) -> int:
    """+1 when the preferred side ``a`` is the proposal, -1 when the rejected ``b`` is:
    a side that is the present state is not; else the side naming the question's name
    more, or on a tie its words more."""
    qa, qb = _STATUS_QUO_RE.search(a) is not None, _STATUS_QUO_RE.search(b) is not None
    if qb and not qa:
        return 1 if a.strip() else 0
    if qa and not qb:
        return -1
    if _POINTER_RE.match(a):
        return 1
    for w in words:
        na, nb = _names(a, w), _names(b, w)
        if na != nb:
            return 1 if na > nb else -1
    return 0


def compared(sentence: str, words: QuestionWords) -> int:
    """The side a comparison in ``sentence`` (lower-cased) takes on the proposal, whose
    own words are ``words``: +1, -1, or 0 when it holds no comparison or decides nothing."""
    if not any(words) or not any(k in sentence for k in _KEYS):
        return 0
    # Each form is tried only when its key word stands in the sentence (speed).
    if "rather" in sentence or "prefer" in sentence or "sooner" in sentence:
        for pat in (_WOULD_RATHER_RE, _PREFER_TO_RE):
            m = pat.search(sentence)
            if m is not None:
                return _verdict(m.group("a"), m.group("b"), words)
    keyed = "rather than" in sentence or "instead of" in sentence
    m = _OPENING_RE.match(sentence) if keyed else None
    if m is not None:
        return _verdict(m.group("a"), m.group("b"), words)
    m = _RATHER_THAN_RE.search(sentence) if keyed else None
    if m is not None:
        head = sentence[: m.start()]
        if _PREFERENCE_RE.search(head) or _SUBJECT_RE.match(sentence) is None:
            p = _PREFERENCE_RE.search(head)
            a = head[p.end() :] if p else head
            end = re.search(r"[,;:]", sentence[m.end() :])
            b = sentence[m.end() : m.end() + end.start()] if end else sentence[m.end() :]
            return _verdict(a, b, words)
        return 0
    m = _BETTER_RE.match(sentence) if "better" in sentence or "preferable" in sentence else None
    if m is not None:  # the preferred side: its own clause ("..., but it is better than")
        a = re.split(r"[,;:]|\b(?:but|however|yet|then|so|and)\b", m.group("a"))[-1]
        return _verdict(_COPULA_RE.sub("", a), m.group("b"), words)
    return 0


def side_taken(text: str, words: QuestionWords) -> list[tuple[int, int, int]]:
    """(start, end, side) of every sentence of ``text`` whose comparison takes a side."""
    low = text.lower()
    if not any(k in low for k in _KEYS):
        return []
    out = []
    for m in _SENTENCE_RE.finditer(low):
        v = compared(m.group(), words)
        if v:
            out.append((m.start(), m.end(), v))
    return out


# A reading set by a comparison alone: the side is inferred from the question's words.
CONFIDENCE = 0.6


def by_comparison(
    text: str, spans: list[tuple[int, int]], r: StanceResult, words: QuestionWords
) -> StanceResult:
    """``r`` (a reading of ``text[s:e]`` for the ``spans``, offsets into ``text``) with the
    side its comparisons take: a reading whose evidence sentence holds a comparison that
    takes the other side is turned round (weak); an answer read as no position whose
    comparisons all take one side takes it. Anything else is ``r`` unchanged."""
    d = r.direction
    if d and r.evidence and r.start is not None:
        found = side_taken(r.evidence, words)
        if found and all(v == -d for _, _, v in found):
            return _stance_result(_WEAK[-d], float(-d), r.reservations, CONFIDENCE, r.evidence,
                                  r.start, r.end, r.method, r.cues)  # fmt: skip
        return r
    if r.stance != "not_answered":
        return r
    found = [(s + a, s + b, v) for s, e in spans for a, b, v in side_taken(text[s:e], words)]
    if not found or len({v for _, _, v in found}) != 1:
        return r
    a, b, v = found[0]
    a, b = strip_span(text, a, b)
    return _stance_result(_WEAK[v], float(v), r.reservations, CONFIDENCE, text[a:b], a, b,
                          r.method if r.method != "none" else "discourse", r.cues)  # fmt: skip


_WEAK = {1: "agree", -1: "disagree"}
