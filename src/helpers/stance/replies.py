"""Positions that are not on the proposal as put: a hypothetical, a counter-proposal,
a reply to another person's view.

Session 16's census (issue 13) found agreement read where careful coders read
disagreement in two general shapes:

- **A hypothetical or a counter-proposal.** "If I lived on Mill Lane I'd love it"
  (the respondent does not; stance-items-15, gold disagree), "We would support an
  experimental order if it were shorter" (transport-18, gold disagree or neither):
  support only in a situation that is not the respondent's, or for a proposal changed
  in its size or length, is not support for the proposal as put. Such a position is
  turned round, as a weak point (never strong). Ordinary conditions stay agreement:
  "We would support it provided that funding follows", "I'd back it if care leavers
  are on the team", "I'd support it if the planter were replaced by a camera" (the
  spent sets label these agree), so only two narrow forms are read: a condition on
  the respondent's own situation in the past subjunctive ("if I lived / were / had /
  ran / worked / owned ..."), and a condition that the proposal be a different size,
  length or cost ("if it were shorter / cheaper / smaller ...").
- **A reply to someone else's view.** "My daughter thinks this is pointless. I don't
  agree with her." (stance-items-15, gold agree), "My neighbour says it's a waste of
  money. I say they're wrong.", "Some people say it is rushed. I think that's an excuse
  for doing nothing.": agreeing or disagreeing with a person, or calling
  them right or wrong or their view an excuse, takes that person's reported view, read in the text before,
  and keeps or turns it. When that person's view was read as no position on the
  proposal ("My neighbour says the council is a shambles and I strongly agree with
  her": stance-items-13, gold not answered), the reply is no position either.

Pure functions of the lower-cased answer and the reader's (start, end, direction)
readings, shared by the reader and its reference copy (``tests/discourse_reference.py``).
"""

from __future__ import annotations

import re

__all__ = ["replies", "unreal"]

_STOP_RE = re.compile(r"[.!?;\n]")
_COND_VERB = r"(?:lived|were|was|had|owned|ran|worked|drove|used|walked|cycled|rode)"
_SIZE = (
    r"(?:shorter|longer|smaller|bigger|larger|cheaper|narrower|wider|fewer|later|earlier|"
    r"slower|quicker|faster|simpler|less\s+[\w’'-]+|more\s+[\w’'-]+)"
)
_CHANGED = (
    r"\bif\s+(?:it|this|that|they|the\s+[\w’'-]+(?:\s+[\w’'-]+)?)\s+(?:were|was)\s+"
    r"(?:(?:a\s+(?:bit|lot|little)|much|far|rather)\s+)?" + _SIZE + r"\b"
)
_SELF = r"\bif\s+(?:i|we)\s+(?:(?:only|still|actually)\s+)?" + _COND_VERB + r"\b"
_WOULD = (
    r"(?:would|['’]d|could)(?:\s+(?:only|happily|gladly|definitely|certainly|really|then|be|"
    r"all|quite|very|much|fully|wholeheartedly))*\s*$"
)
# The condition before the position ("If I lived there I'd love it", "If it were
# shorter, we would support it") or after it ("We would support it if it were shorter").
_BEFORE_RE = re.compile(r"(?:" + _SELF + "|" + _CHANGED + r")[^.!?;\n]*?" + _WOULD)
_WOULD_RE = re.compile(_WOULD)
_AFTER_RE = re.compile(r"[^.!?;\n]{0,60}?(?:" + _SELF + "|" + _CHANGED + ")")


def _sentence_start(text: str, at: int) -> int:
    stops = [m.end() for m in _STOP_RE.finditer(text, max(0, at - 200), at)]
    return stops[-1] if stops else max(0, at - 200)


def unreal(text: str, start: int, end: int) -> bool:
    """Whether the position word at ``start``-``end`` is support in a hypothetical or for
    a changed proposal: "If I lived on Mill Lane I'd love it", "We would support an
    experimental order if it were shorter", "I'd back it if it were cheaper"."""
    if "if" not in text[max(0, start - 200) : end + 80]:  # a cheap test first (speed)
        return False
    before = text[_sentence_start(text, start) : start]
    if _BEFORE_RE.search(before):
        return True
    return _WOULD_RE.search(before) is not None and _AFTER_RE.match(text, end) is not None


# Someone else's view reported: "my neighbour says", "she thinks", "some people say".
_OTHERS_RE = re.compile(
    r"(?:^|(?<=[.!?;\n])\s*|\b(?:and|but)\s+)(?:my\s+[\w’'-]+(?:\s+[\w’'-]+)?|he|she|they|"
    r"some(?:\s+people)?|people|others|everyone|a\s+lot\s+of\s+people)\s+"
    r"(?:[\w’'-]+\s+){0,2}?(?:says?|said|thinks?|thought|reckons?|claims?|argues?|believes?|"
    r"feels?|told\s+(?:me|us))\b"
)
# The reply: a position taken "with" a person, or the person called right or wrong.
_WITH_PERSON_RE = re.compile(r"\s+with\s+(?:her|him|them|my\s+[\w’'-]+)\b(?!\s+and\b)")
_VERDICT_RE = re.compile(
    r"\b(?:(?:she|he|they)(?:['’]s|['’]re|\s+is|\s+are)|(?:she|he|they)\s+(?:is|are))\s+"
    r"(?:(?:quite|dead|completely|totally|just)\s+)?(?P<v>wrong|mistaken|right|correct|spot\s+on)\b"
    # the view dismissed: "I think that's an excuse for doing nothing", "that is nonsense"
    r"|\b(?:that|which)(?:['’]s|\s+is)\s+(?:(?:just|simply|frankly)\s+)?"
    r"(?P<d>an\s+excuse|nonsense|rubbish|not\s+true|untrue|a\s+myth|scaremongering)\b"
)


_CHEAP_RE = re.compile(r"\b(?:say|said|think|thought|reckon|claim|argue|believe|feel|told)")


def replies(
    text: str, evidence: list[tuple[int, int, int]]
) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
    """The readings that reply to another person's view: ({index in ``evidence``: new
    direction, 0 for none}, [(start, end, direction) of a person called right or
    wrong]). The reply's direction is its own times the reported view's (the sum of
    the readings between the report and the reply); with no reading there, none."""
    if not _CHEAP_RE.search(text):  # a cheap test first (speed)
        return {}, []
    reports = [m.start() for m in _OTHERS_RE.finditer(text)]
    if not reports:
        return {}, []

    def view(at: int) -> int | None:
        """The direction of the view reported before ``at`` (None: no report just before)."""
        lo = max((r for r in reports if r < at), default=None)
        if lo is None or at - lo > 300:
            return None
        s = sum(d for a, _, d in evidence if lo <= a < at)
        return (s > 0) - (s < 0)

    turned: dict[int, int] = {}
    for i, (start, end, direction) in enumerate(evidence):
        if _WITH_PERSON_RE.match(text, end) is None:
            continue
        r = view(start)
        if r is not None:
            turned[i] = direction * r
    added: list[tuple[int, int, int]] = []
    for m in _VERDICT_RE.finditer(text):
        r = view(m.start())
        if not r:
            continue
        v = m.group("v") or ""
        sign = 1 if v in {"right", "correct"} or v.startswith("spot") else -1
        inside = [i for i, (a, b, _) in enumerate(evidence) if a < m.end() and m.start() < b]
        for i in inside:  # "wrong" read as the respondent's own judgement
            turned[i] = sign * r
        if not inside:
            added.append((m.start(), m.end(), sign * r))
    return turned, added
