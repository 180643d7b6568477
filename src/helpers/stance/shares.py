"""A position given as a share of oneself: "90% yes", "I'm 80% for it", "40% of me says go, 60% says wait".

Session 21 (issue 13): stance-items-20's worst tag was ``percent_split`` (9 of 18 acceptable).
A respondent who puts a number on how far they are for or against states a position, and the
part left over is a reservation, not the other side:

- "Put me down as 90% yes. The other 10% is worry about it turning into a tick-box exercise."
  was read as disagreement from the worry in the second sentence (gold agree);
- "I'm 80% for it. The other 20% is Wharf Road." and "Maybe 40% of me says go, 60% says wait."
  had no position word the rules read (gold agree, disagree).

Two readings, both on the lower-cased text:

- :func:`share_positions`: a share (a percentage, "per cent", or a number word with "per
  cent") followed, with at most "of me/us" and a verb ("says", "is", "am", "are") between, by
  a word of side ("yes", "for", "in favour", "behind", "go", "no", "against", "wait" ...). The
  largest share decides: more than half on a side is that side; less than half on a side is
  the other side; exactly half takes none (not read here). A share of others ("60% of members
  were against") is no share of oneself: "of" must be followed by "me" or "us" when present, and
  a share after "were" / "voted" is not read (``concession.reported`` drops those counts), nor
  any share in a sentence that counts others ("58% of households supported it, 34% opposed it").
- :func:`reported_no_side`: "62% agreed, 21% disagreed and the rest were unsure. So, on
  behalf of the service, we agree." opened with a count whose last part ("the rest were
  unsure") was taken as the answer saying it takes no side (read dont_know, gold agree). A
  no-side word after a count or "the rest / the others / the remainder" and a verb of saying
  or being reports others' view, as ``concession.reported`` does for position words.
- :func:`even_split`: "Fifty-fifty", "50/50", "50-50" opening an answer: an even split of
  oneself takes no side (the lexicon's ``neither`` phrases hold the spelled-out forms; its
  word finder does not see "50/50").
- :func:`remainders`: a sentence opening "the other / remaining N%" or "the rest" names the
  part left over; the position words in it are a reservation, not the answer's side.
"""

from __future__ import annotations

import re

__all__ = [
    "even_split", "own_shares", "remainders", "reported_no_side", "share_pairs", "share_positions",
]  # fmt: skip

_NUMBER_WORDS = {
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "ninety-five": 95, "ninety-nine": 99,
    "a hundred": 100, "one hundred": 100,
}  # fmt: skip
_SHARE = (
    r"(?:(?P<n>\d{1,3})\s*(?:%|per\s*cent\b|percent\b)"
    r"|(?P<w>"
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + r")\s*(?:%|per\s*cent\b|percent\b))"
)
# A bare "yes", "no", "for", "go" or "wait" is a side only where nothing it could govern follows
# ("90% yes.", "80% for it", "60% says wait"); "a 20% for buses" or "10% no change" is not.
_ENDS = r"(?=\s*(?:[^\w\s-]|$)|\s+(?:it|this|that|them|ahead|on|but|and|if|though|i|we)\b)"
_FOR = r"(?:yes|for|go)" + _ENDS + r"|in\s+favou?r|behind|agree|support|supportive|on\s+board"
_AGAINST = r"(?:no|wait)" + _ENDS + r"|against|opposed"
_SHARE_RE = re.compile(
    r"(?<![\w/.-])"
    + _SHARE
    + r"(?:\s+of\s+(?:me|us))?(?:\s+(?:says|say|is|am|are|thinks|think|leans?|leaning))?\s+"
    + r"(?:(?P<for>"
    + _FOR
    + r")|(?P<against>"
    + _AGAINST
    + r"))\b"
)
# A sentence that counts others ("58% of households supported it, 34% opposed it"): its
# shares are a survey reported, not the respondent's own.
_OTHERS_COUNTED_RE = re.compile(
    r"\d\s*(?:%|per\s*cent|percent)\s+of\s+(?!me\b|us\b)[\w’'-]+"
    r"|\d\s*(?:%|per\s*cent|percent)\s+(?:supported|opposed|agreed|disagreed|voted|said|were|was)\b"
)
_REPORTED_BEFORE_RE = re.compile(r"\b(?:were|was|voted|said|of\s+(?!me\b|us\b)[\w’'-]+)\s*$")
_REMAINDER_RE = re.compile(
    r"(?:^|(?<=[.!?;\n])\s*)(?:and\s+)?the\s+(?:other|remaining|last|rest)\b(?:\s+" + _SHARE + r")?"
)


def _value(m: re.Match) -> int:
    return int(m.group("n")) if m.group("n") else _NUMBER_WORDS[m.group("w")]


STRONG_SHARE = 95  # "100% yes!!!", "Ninety-nine percent behind it": all of oneself is strong


def share_positions(text: str) -> list[tuple[int, int, int, bool]]:
    """The (start, end, direction, strong) of the share that decides ``text`` (lower-cased).

    Every own share is read; the largest decides (its side when over half, the other
    side when under half); an even half, or two largest shares that disagree, read nothing.
    A share of ``STRONG_SHARE`` or more is strong.
    """
    if "%" not in text and "cent" not in text:
        return []
    found = []
    for m in _SHARE_RE.finditer(text):
        if _REPORTED_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        a = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        b = min((i for i in (text.find(c, m.end()) for c in ".!?\n") if i >= 0), default=len(text))
        if _OTHERS_COUNTED_RE.search(text, a, b):
            continue  # "58% of households supported it, 34% opposed it" (session 21)
        v = _value(m)
        side = 1 if m.group("for") else -1
        if v == 50 or v > 100:
            continue
        found.append((v if v > 50 else 100 - v, side if v > 50 else -side, m.span()))
    if not found:
        return []
    top = max(v for v, _, _ in found)
    sides = {d for v, d, _ in found if v == top}
    if len(sides) != 1:
        return []
    v, d, (a, b) = next(f for f in found if f[0] == top)
    return [(a, b, d, v >= STRONG_SHARE)]


def remainders(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` (lower-cased) that open with the part left over ("The other
    10% is worry ...") after a share of oneself was stated."""
    if not share_positions(text):
        return []
    out = []
    for m in _REMAINDER_RE.finditer(text):
        if m.group("n") is None and m.group("w") is None and "rest" not in m.group():
            continue
        end = re.search(r"[.!?\n]|$", text[m.end() :])
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        out.append((start, m.end() + (end.end() if end else 0)))
    return out


_REPORTED_NO_SIDE_RE = re.compile(
    r"(?:\d\s*%?|\d\s*per\s*cent|\bthe\s+rest|\bthe\s+others|\bthe\s+remainder|\bothers)"
    r"(?:\s+of\s+(?:the\s+|our\s+|them\s+)?[\w’'-]+)?\s+(?:were|was|are|is|said|say|felt|voted)"
    r"\s+(?:\w+\s+)?(?:unsure|undecided|neutral|not\s+sure|don['’]t\s+know|did\s+not\s+know"
    r"|didn['’]t\s+know|no\s+view|had\s+no\s+view|no\s+opinion)"
)


def reported_no_side(sentence: str) -> bool:
    """Whether ``sentence`` (lower-cased) reports a count of others taking no side ("the rest
    were unsure", "12 said don't know"), so its no-side words are not the respondent's."""
    return _REPORTED_NO_SIDE_RE.search(sentence) is not None


_EVEN_RE = re.compile(r"(?<![\w/.])(?:fifty[\s-]*fifty|50\s*%?\s*[/:-]\s*50\b\s*%?)")


def even_split(sentence: str) -> bool:
    """Whether ``sentence`` (lower-cased) says the respondent is split evenly ("50/50")."""
    return _EVEN_RE.search(sentence) is not None


# Session 22: one grammar of a share for both readers of the writer's own split (the stance's
# :func:`share_positions` here and the reservation's ``reservation_split.own_split``): the same
# share ("70%", "70 per cent", "seventy percent") and the same test for a count of others.
_ANY_SHARE_RE = re.compile(r"(?<![\w/.-])" + _SHARE)
# A pair of shares of one whole ("70/30", "60-40", "40:60"); a date or score ("7/10") fails
# the sum the caller checks.
_PAIR_RE = re.compile(r"(?<![\d/.,:])(\d{1,2})\s?[/:\-–]\s?(\d{1,2})(?![\d/.,:%])")


def own_shares(sentence: str) -> list[tuple[int, int]]:
    """The (value, start) of every share in ``sentence`` (lower-cased) that may be the writer's
    own: none when the sentence counts others ("61% of households opposed it", "38% of care
    leavers …"), and no share reported after "were" / "voted" / "of <others>"."""
    if "%" not in sentence and "cent" not in sentence:
        return []
    if _OTHERS_COUNTED_RE.search(sentence):
        return []
    out = []
    for m in _ANY_SHARE_RE.finditer(sentence):
        if _REPORTED_BEFORE_RE.search(sentence, max(0, m.start() - 30), m.start()):
            continue
        out.append((_value(m), m.start()))
    return out


def share_pairs(sentence: str) -> list[tuple[int, int]]:
    """Every pair of numbers written as one whole's parts ("70/30", "60-40") in ``sentence``."""
    return [(int(m.group(1)), int(m.group(2))) for m in _PAIR_RE.finditer(sentence)]
