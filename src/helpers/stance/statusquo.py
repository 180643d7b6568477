"""A complaint about how things have been is a wish for the change (session 9, issue 13).

"Too long" / "far too long" is a complaint about the proposal's length ("18 months is
far too long for a trial": disagree). "For too long care leavers have been a
footnote", "they have been invisible for too long" is a complaint about the status
quo, made by respondents who want the proposal: in the spent sets it stands in a dozen
agreeing answers (stance-items, -2, -5, -7, ofsted-docs batches) and in no
disagreeing one, where it read as a point against. The discourse reader turns the
phrase round when "for" stands before it and its sentence says "been" or opens with
it and goes on.
"""

from __future__ import annotations

import re

_FOR_RE = re.compile(r"\bfor\s+$")
_BEEN_RE = re.compile(r"\bbeen\b")
_STOP_RE = re.compile(r"[.!?\n]")


def status_quo(text: str, start: int) -> bool:
    """Whether the "too long" phrase at ``start`` complains of the past: its sentence
    says "been" ("have been ignored for far too long", "For too long X has been Y"),
    or opens with it and goes on ("For too long a council could be judged good ...")."""
    if _FOR_RE.search(text, max(0, start - 6), start) is None:
        return False
    stops = [m.end() for m in _STOP_RE.finditer(text, max(0, start - 300), start)]
    s = stops[-1] if stops else max(0, start - 300)
    end = _STOP_RE.search(text, start)
    e = end.start() if end else len(text)
    if _BEEN_RE.search(text, s, e) is not None:
        return True
    opens = re.fullmatch(r"\W*(?:\w+\s*[:–—-]\s*)?for\s*", text[s:start]) is not None
    return opens and len(text[start:e].split()) >= 6


# "Oh yes, let's keep X as a footnote": the mock proposal is to keep things as they are.
_KEEP_RE = re.compile(
    r"\blet['’]?s\s+(?:just\s+)?(?:keep|leave|carry\s+on|stick\s+with|stay\s+as)\b"
    r"|\blet\s+us\s+(?:just\s+)?(?:keep|leave|carry\s+on|stick\s+with)\b"
    r"|\bkeep\s+(?:things|everything|it\s+all)\s+(?:as|the\s+way)\b"
)


def mocks_status_quo(text: str, sentence: tuple[int, int]) -> bool:
    """Whether a sarcastic sentence mocks keeping things as they are (session 10): "Oh
    yes, let's keep care leavers as a footnote.", "Yes, let's leave it as a rat-run past
    a school." The respondent wants the change, so its praise is not turned round (in
    stance-items-5 and -9 such answers are labelled agree)."""
    return _KEEP_RE.search(text, sentence[0], sentence[1]) is not None
