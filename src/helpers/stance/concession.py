"""Positions held back, reported or asked: how the discourse reader weighs them (session 10).

Split from :mod:`helpers.stance.discourse` (one concern per module). Read on the
lower-cased answer; each function is a general way people write, seen in several
development sets (issue 13):

- :func:`reported`: a count of other people's positions ("104 in favour, 98
  against", "141 supported it and 71 opposed it") reports a ballot, not the
  respondent's own position.
- :func:`held_back`: a position the respondent marks as conceded ("I'm not opposed
  to it as such, but ...", "I'm all for fewer cars, don't get me wrong. But ...")
  or makes conditional without an "if" ("Peak hours only and I'd back it").
- :func:`last_side`: two replies that cancel out, each in a sentence of its own
  ("Yes, care leavers deserve more attention. No, a separate grade is not how"):
  the later one answers the question, the earlier grants a premise.
- :func:`undone`: a failure imagined in a condition with its remedy after it ("If it
  doesn't work, take it out") argues that the change can be undone, for trying it.
- :func:`questions_only`: an answer made only of questions takes no position that
  a sentiment score could read ("How will you grade a council when ...?").
- :func:`denied_before_contrast`: "We are not against buses but we do not see how we
  survive this" denies an objection to something general, then turns (session 20).
"""

from __future__ import annotations

import re

from helpers.stance.clauses import _SENTENCE_RE, AFTER_CONTRAST
from helpers.stance.discourse_lexicon import _lexicon

__all__ = [
    "contrast_after", "denied_before_contrast", "dropped", "held_back", "last_side",
    "questions_only", "reported", "undone",
]  # fmt: skip

# A number (or a share) right before a position word, with at most "of <noun>" and a
# verb between: "104 in favour", "60% of members were against", "141 supported". Its
# separators are inside it (session 20): "my bus takes 12 now, was 25. Keep it." ends a
# sentence with a number, and the position opening the next sentence is no count.
_COUNT_BEFORE_RE = re.compile(
    r"(?:^|[\s(])(?!(?:19|20)\d\d\s)\d(?:[\d,.]*\d)?\s*(?:%|per\s*cent|percent)?"
    r"(?:\s+of\s+(?:the\s+|our\s+|its\s+|their\s+)?[\w’'-]+)?"
    r"(?:\s+(?:were|are|was|is|have|had|voted|said))?\s+$"
)
_DATE_BEFORE_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$"
    r"|\b(?:in|from|by|on|since|until|till|before|after|at|to|of|page|para|paragraph|q|question)\s*$"
)
# "as such", "per se", "in itself" after a position in its clause: a point conceded.
_MARKED_RE = re.compile(r"\b(?:as\s+such|per\s+se|in\s+itself|in\s+themselves)\b")
_DONT_GET_ME_WRONG_RE = re.compile(r"\b(?:don['’]?t|do\s+not)\s+get\s+me\s+wrong\b")
# "<a change> and I'd back it": a condition without "if" (the respondent's own version).
_AND_I_WOULD_RE = re.compile(
    r"\band\s+(?:i|we)(?:['’]d|['’]ll|\s+would|\s+will|\s+could)\s+(?:\w+\s+){0,2}$"
)
_SUBJECT_RE = re.compile(
    r"\b(?:i|we|you|they|he|she|it['’]s|it\s+is|this\s+is|that['’]s|i['’]m|we['’]re)\b"
)


def reported(text: str, start: int) -> bool:
    """Whether the position word at ``start`` is a count of other people's positions
    ("104 in favour", "71 opposed it", "60% were against"): a ballot or a survey the
    respondent reports, not their own view. A year before a subject ("in 2023 we
    support") is no count: only a verb may stand between the number and the word."""
    m = _COUNT_BEFORE_RE.search(text, max(0, start - 40), start)
    # A date or a time is no count: "jan 23 can't come quick enough", "from 1 april".
    return (
        m is not None
        and _DATE_BEFORE_RE.search(text, max(0, m.start() - 12), m.start() + 1) is None
    )


def held_back(text: str, start: int, end: int, clause: tuple[int, int],
              sentence: tuple[int, int]) -> bool:  # fmt: skip
    """Whether the position at ``start:end`` is one the respondent holds back: conceded by
    "as such" / "per se" / "in itself" after it in its clause ("not opposed to it as such,
    but ..."), by "don't get me wrong" in its sentence, or made conditional without "if"
    ("Peak hours only and I'd back it"; "Make it shorter and we would support it")."""
    if _MARKED_RE.search(text, end, clause[1]) is not None:
        return True
    if _DONT_GET_ME_WRONG_RE.search(text, sentence[0], sentence[1]) is not None:
        return True
    m = _AND_I_WOULD_RE.search(text, max(sentence[0], start - 40), start)
    # Only after a clause with no subject of its own (an imperative or a fragment): "I live
    # here and I'd hate it" states a consequence, not a condition.
    return m is not None and _SUBJECT_RE.search(text, sentence[0], m.start()) is None


def questions_only(text: str) -> bool:
    """Whether every sentence of ``text`` (lower-cased or not) is a question."""
    sentences = [m.group().strip() for m in _SENTENCE_RE.finditer(text)]
    sentences = [s for s in sentences if s]
    return bool(sentences) and all(s.rstrip("\"'”’)").endswith("?") for s in sentences)


def contrast_after(clauses: list, starts: list[int]) -> bool:
    """Whether a clause after a contrast ("But blocking X means ...") follows the first
    of the positions at ``starts`` and holds none of them: what the respondent says
    after conceding them takes no side."""
    first = min(starts)
    return any(
        c.start > first and c.weight >= AFTER_CONTRAST
        and not any(c.start <= s < c.end for s in starts)
        for c in clauses
    )  # fmt: skip


def last_side(text: str, evidence: list[tuple[int, int]]) -> tuple[int, tuple[int, int]] | None:
    """The direction and sentence of the last sentence that takes a side, when the answer's
    positions (``(start, direction)`` pairs) weigh the same both ways and that sentence
    holds only one side and not all of them, and both sides are replies opening their
    sentences: "Yes, care leavers deserve more attention. No, a separate grade is not
    how to give it to them." answers the question in its second reply, the first
    granting a premise. Else None (a reply and a later aside, "Yes, let's keep X. What
    could possibly go wrong.", or a position and a later condition, keep the first
    reader's tie-break)."""
    if {d for _, d in evidence} != {1, -1}:
        return None
    spans = [m.span() for m in _SENTENCE_RE.finditer(text)]

    def sentence(at: int) -> tuple[int, int] | None:
        return next((sp for sp in spans if sp[0] <= at < sp[1]), None)

    def opens(at: int) -> bool:  # the reply opens its sentence ("No, a separate grade ...")
        sp = sentence(at)
        return sp is not None and not text[sp[0] : at].strip()

    start, direction = max(evidence)
    last = sentence(start)
    inside = [d for s, d in evidence if sentence(s) == last]
    if last is None or len(set(inside)) != 1 or len(inside) == len(evidence):
        return None
    if not opens(min(s for s, _ in evidence if sentence(s) == last)):
        return None
    if not any(opens(s) for s, d in evidence if d == -direction):
        return None  # two replies, each opening its sentence
    return direction, last


_IF_BEFORE_RE = re.compile(r"\b(?:if|should)\b[^.!?;\n]*$")
# What undoes a change: "take it out", "rip them out", "move it", "change it back".
_REMEDY_RE = re.compile(
    r"\b(?:take|rip|pull|have|get|put)\s+(?:it|them|the\s+[\w’'-]+|those|these)\s+"
    r"(?:out|away|back|down|up)\b"
    r"|\b(?:remove|reverse|undo|move|change|scrap|stop|end|drop|ditch|bin)\s+(?:it|them)\b"
)


def undone(text: str, start: int, sentence: tuple[int, int]) -> bool:
    """Whether the position at ``start`` is a failure imagined in a condition and undone
    in the same sentence: "If it doesn't work, take it out", "then if it's rubbish you
    can just take it away", "if the filter turns out to be in the wrong place, they can
    move it in a week". The respondent argues the change can be tried and undone (for a
    trial, in stance-items-7, -8 and transport-12 labelled agree), so the failure word is
    no evidence against it. A condition with no remedy ("If it goes ahead it will be a
    disaster") is read as before."""
    if _IF_BEFORE_RE.search(text, sentence[0], start) is None:
        return False
    return _REMEDY_RE.search(text, start, sentence[1]) is not None


def dropped(text: str, start: int, direction: int, sentence: tuple[int, int]) -> bool:
    """Whether the position at ``start`` is no evidence of the respondent's own: a count
    reported (:func:`reported`) or a failure undone in a condition (:func:`undone`)."""
    return reported(text, start) or (direction < 0 and undone(text, start, sentence))


# What a denied objection is about, right after it: "not against buses", "no objection to cars".
_OBJECT_WORDS_RE = re.compile(r"\s*(?:to\s+|with\s+)?(?P<obj>(?:[\w’'-]+\s*){1,3})")
_CONTRAST_NEXT_RE = re.compile(r"[,;:–—-]?\s*(?:but|however|yet)\b")


def denied_before_contrast(text: str, end: int, clause: tuple[int, int]) -> bool:
    """Whether a denied objection ending at ``end`` ("not against", "no objection to") is
    about something general, not the proposal, and a contrast follows its clause (in the same
    sentence, or opening the next: "I am not against a trial. But ..."): "We are not against
    buses but we do not see how we survive this as it stands" (transport-22), "I'm not
    against quieter streets – ... – but at 6.15am ..." (transport). The respondent clears themself of a
    general prejudice before turning to the proposal; the denial is no agreement with it,
    so it is held back like "not opposed to it as such, but ..." (:func:`held_back`). A
    denial naming the proposal (``proposal_references``: "it", "this", "the proposal", "the
    scheme" ...) keeps its weight: "We have no objection to the scheme but ask that ..."."""
    if _CONTRAST_NEXT_RE.match(text, clause[1]) is None:
        return False
    m = _OBJECT_WORDS_RE.match(text, end, clause[1])
    if m is None or not m.group("obj").strip():
        return False  # "I'm not against, but ...": nothing named
    refers_back = _lexicon()["proposal_references"]
    return refers_back.match(m.group("obj").strip()) is None
