"""A yes/no question the writer asks and answers at once, either way (session 27, issue 13).

"Am I against the filters? Yes. Very much.", "Would I object to trying it for 18 months?
No, why would I.", "Do I disagree with a separate judgement? No. Not for a second.", "Is
there anything wrong with trying it first? Not that I can think of.", "Should it start in
January? Yes.", "Would I object to January? I would, yes." The position is the question's
own position times the reply: a reply "yes" keeps it, a reply "no" turns it round. The
discourse reader reads the question's words as the writer's statement and the bare reply
as a position of its own ("No." disagrees), so these came out the wrong way; its
``answered`` module (session 18) turns only a question that holds a position word
answered with a short "no" it lists.

The session-27 census of every spent item set's direction flips by mechanism
(``benchmarks.stance_flip_census``, ``docs/stance.md`` "Session 27") found this shape among
the flips of three sets (stance-items-18, -23, -24; 9 flips), all but one read wrong by the
discourse reader itself. The grammar was written from those listings (its gains are in
sample); the document sets 1-29 hold no such pair.

Read here (``self_answered``), on the lower-cased answer:

- a question: a sentence opening with an auxiliary ("am", "is", "do", "would", "should",
  …; not a negated one, "Isn't it time …?", which is read elsewhere) and ending in "?";
- at once a short reply (at most ``MAX_REPLY`` words, no contrast in it) that opens with a
  yes ("yes", "of course", a bare "I would", "it is", …) or a no ("no", "never", "not at
  all", "not that I …", "not one …", a bare "I don't", …); a request ("please", "can someone
  …?") is not a question of view;
- the question's own position: the discourse reader's reading of the question put as a
  statement ("Am I against the filters?" → "I am against the filters."), or, when it reads
  none and the question names the question's own words (``comparison.question_words``),
  the proposal as put ("Should it start in January?": agreement);
- the position is that times the reply's sign. Questions with no position and none of the
  question's words ("Should councils be graded harshly in the first round? No.") are not
  read; two pairs that disagree read nothing.

``by_self_answer`` puts the pair's side where the readings before it took the opposite side
(``MODE``, chosen leave-one-set-out like ``verdict.MODE``; "no position found" is left to the
gate), for an answer (``stance.table``), before the gate.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Consultation
from helpers.stance.comparison import QuestionWords, question_words
from helpers.stance.result import StanceResult
from helpers.stance.unstructured import content_stems
from helpers.stance.verdict import reread, turned

__all__ = [
    "CONFIDENCE", "MAX_REPLY", "MODE", "by_self_answer", "self_answered", "self_answers",
]  # fmt: skip

CONFIDENCE = 0.66  # a weak text reading, as ``verdict.CONFIDENCE`` (then the map)
MAX_REPLY = 8  # words: a reply, not an argument
# Which readings the pair overturns, chosen leave-one-set-out over stance-items … -26 (proxy on
# the census rows; docs/stance.md "Session 27"): "opposite" in every fold (7 fixed, 0 broken,
# in -23 and -24); "none" fixed nothing and would turn "Would I mind January? Not really.
# Would I mind later? Not really either." (gold neither) to disagreement.
MODE: frozenset[str] = frozenset({"opposite"})
TAIL = 600  # characters of an answer read (a short answer, or a long one's last part)

_AUX = r"(?:am|is|are|was|were|will|would|does|do|did|can|could|should|shall|has|have|must)"
_SUBJ = r"(?:i|we|it|this|that|they|you|he|she)"
_QUESTION_RE = re.compile(
    rf"(?:^|(?<=[.!?\n]))\s*(?P<q>{_AUX}\b(?![’']?n[’']?t\b)[^.!?\n]*\?+)\s*(?P<a>[^.!?\n]+[.!?]*)"
)
# An echo of the auxiliary is a reply only when bare: "I would, yes.", "I do." ("It has been
# out since August." is a statement, not a reply).
_BARE = r"(?:\s+(?:indeed|too|so|not|either))?\s*(?:[,.!]|$)"
_YES = (
    r"(?:(?:yes|yeah|yep|aye|of\s+course|certainly|definitely|absolutely|sure|too\s+right)\b|"
    rf"{_SUBJ}\s+(?:am|is|are|do|does|did|would|will|could|can|should|have|has)\b{_BARE})"
)
_NO = (
    r"(?:(?:no|nope|never|hardly|not\s+(?:at\s+all|really|likely|for\s+a\s+(?:second|moment|minute)|"
    r"a\s+(?:chance|bit|jot)|in\s+the\s+slightest|one|that\s+(?:i|we)|(?:to\s+)?me|so\s+far)|"
    r"of\s+course\s+not|certainly\s+not|absolutely\s+not|definitely\s+not|surely\s+not|"
    r"no\s+(?:way|chance)|i\s+doubt\s+it|i\s+think\s+not|i\s+don[’']?t\s+think\s+so)\b|"
    rf"{_SUBJ}\s+(?:am\s+not|(?:is|are|do|does|did|would|will|could|can|should|have|has|"
    rf"wo|ca)n[’']?t){_BARE})"
)
_REPLY_RE = re.compile(
    rf"^\s*(?:(?:also|still|again|and|well|honestly|frankly|so)[,\s]+)?(?:(?P<no>{_NO})|(?P<yes>{_YES}))"
)
# A request ("Can someone please fix …?") asks for something; it states no view to answer.
_REQUEST_RE = re.compile(r"\bplease\b|^\w+\s+(?:some|any)(?:one|body)\b")
_CONTRAST_RE = re.compile(r"\b(?:but|however|though|although|unless|except)\b")
_STATEMENT_RE = re.compile(rf"^(?P<aux>{_AUX})\s+(?P<subj>{_SUBJ}|there)\b")


def _statement(question: str) -> str:
    """The question put as a statement: "am i against it?" → "i am against it."."""
    q = question.rstrip("?").strip()
    m = _STATEMENT_RE.match(q)
    if m is not None:
        q = f"{m.group('subj')} {m.group('aux')}{q[m.end() :]}"
    return q + "."


def _own_position(question: str, words: QuestionWords) -> int:
    """The direction the question states put as a statement (0: none of its own and none of
    the question's words)."""
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stance

    statement = _statement(question)
    got = refine(statement, infer_stance(statement))
    if got.stance != "not_answered" and got.direction:
        return 1 if got.direction > 0 else -1
    stems = content_stems(question)
    return 1 if stems & (words[0] | words[1]) else 0


def self_answered(text: str, words: QuestionWords) -> tuple[int, int, int] | None:
    """(direction, start, end) of the question-and-reply pairs in ``text`` (offsets into it;
    the span is the last pair's), when they agree; else None."""
    if "?" not in text:
        return None
    base = max(0, len(text) - TAIL)
    low = text[base:].lower()
    found: list[tuple[int, int, int]] = []
    for m in _QUESTION_RE.finditer(low):
        reply = m.group("a")
        if len(reply.split()) > MAX_REPLY or _CONTRAST_RE.search(reply):
            continue
        r = _REPLY_RE.match(reply)
        if r is None:
            continue
        if _REQUEST_RE.search(m.group("q")):
            continue
        own = _own_position(m.group("q"), words)
        if own:
            sign = -1 if r.group("no") else 1
            found.append((own * sign, base + m.start("q"), base + m.end("a")))
    if not found or len({d for d, _, _ in found}) > 1:
        return None
    return found[-1]


def by_self_answer(
    text: str, spans: list[tuple[int, int]], r: StanceResult | None, words: QuestionWords
) -> StanceResult | None:
    """``r`` turned to the side of the answer's self-answered question (``self_answered``
    over its spans) when ``r`` found no position (``MODE`` "none") or the opposite one
    ("opposite"); anything else is ``r`` unchanged."""
    if not spans:
        return r
    if r is not None and r.stance in ("neither", "dont_know"):
        return r  # a stated middle is not overturned
    # Each span read on its own: text between two spans may be another question's answer.
    pairs = [(f, s0) for s0, e0 in spans if (f := self_answered(text[s0:e0], words))]
    if not pairs or len({f[0] for f, _ in pairs}) > 1:
        return r
    found, s0 = pairs[-1]
    return turned(text, s0, found, r, MODE, CONFIDENCE)


def self_answers(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each (respondent, question)'s reading after its answer's self-answered question
    (``by_self_answer``), for the ``stances`` table (``stance.table``)."""
    words = {q.id: question_words(consultation, q.id) for q in consultation.closed_questions}
    return reread(read, texts, segments, words, by_self_answer)
