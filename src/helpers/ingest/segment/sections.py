"""Sections: a document whose headings are all in the respondent's own words.

Some respondents title their answers themselves — "What worries me", "The
proposal", "Timing", "Is it fair?" — often out of the consultation's order
and with no numbers, so no heading names a question and heading detection
finds nothing. Such a document is still structured: each heading-shaped line
(``shapes.heading_shape``: a short bold or Word-heading line, a plain title
over a paragraph, a line of its own ending in '?') opens a section. Each
section is judged by its heading *together with* the first two sentences of
its text, with the evidence a letter's paragraph is judged by
(``letters.lead_scores``: each question's distinctive label words and
phrases, plus a stance sentence for a closed question), so "Timing" + "I
would not object to September as the start" lands on the start-date question
even though "Timing" alone names none.

One assignment is solved for the whole document: each section proposes the
question it clearly names (at least ``MIN_SCORE`` and ``MARGIN`` times the
runner-up); proposals are taken strongest first, each question at most once
(a weaker section naming a question already taken stays unassigned — it may
be the answer's second section or a passing mention). Answers may come in
any order: the headings, not the order, delimit them. A section whose title
is a document section's ("Introduction", "Background", "Conclusion") is
never assigned, and fewer than two assigned sections is no evidence of a
structured response (one echo of a question's phrase in a letter about
something else), so then nothing is assigned. Everything not assigned stays
``unstructured`` with a warning. Linear in the document's length: each
section's heading and lead (bounded to ``_LEAD_CHARS``) are scored once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from helpers.core.consultation import Question
from helpers.ingest.segment import intents
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.letters import MARGIN, MIN_SCORE, lead_scores, lead_sentences
from helpers.ingest.segment.numbering import is_section_title

log = logging.getLogger(__name__)

__all__ = ["Section", "recheck_weak", "split_sections"]

_SHAPES = ("styled", "title", "question")  # heading-shaped lines that may open a section
_LEAD_CHARS = 600  # a section's lead is read from at most this much of its text
_MIN_ASSIGNED = 2  # fewer assigned sections than this: the document is not read as sections
ORDER_MIN = 2.0  # a heading placed by position only moves on two label words of one question
_WEAK = 0.75  # a heading matched by text below this only paraphrases its question


@dataclass(frozen=True)
class Section:
    """A heading-shaped line and the text under it, up to the next such line.

    ``question_index`` is None when the section names no question clearly.
    ``head_start``/``head_end`` span the heading line; ``start``/``end`` the
    text under it.
    """

    head_start: int
    head_end: int
    start: int
    end: int
    question_index: int | None = None
    score: float = 0.0


def _propose(scores: list[float], minimum: float = MIN_SCORE) -> int | None:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    if not order or scores[order[0]] < minimum:
        return None
    runner_up = scores[order[1]] if len(order) > 1 else 0.0
    return order[0] if scores[order[0]] >= MARGIN * runner_up else None


def split_sections(
    text: str, cands: list[Candidate], questions: tuple[Question, ...]
) -> list[Section]:
    """Sections of ``text`` in order, or [] when fewer than two name a question clearly."""
    questions = tuple(questions)
    heads = [c for c in cands if c.shape in _SHAPES and c.start == c.line_start]
    if len(heads) < 2:
        return []
    sections: list[Section] = []
    proposals: list[tuple[float, int, int]] = []  # (score, section index, question index)
    for k, c in enumerate(heads):
        end = heads[k + 1].line_start if k + 1 < len(heads) else len(text)
        body = text[c.line_end : end]
        sections.append(Section(c.line_start, c.line_end, c.line_end, end))
        if not body.strip() or is_section_title(c.plain_text):
            continue
        lead = lead_sentences(body.strip()[:_LEAD_CHARS])
        title = c.plain_text.strip().rstrip(".:?!")
        scores = lead_scores(f"{title}. {lead}", questions)
        i = _propose(scores)
        log.debug("section %d %r: %s %s", k, title, i, scores)
        if i is not None:
            proposals.append((scores[i], k, i))
        elif (j := _frame_question(c.plain_text, questions)) is not None:
            # A frame-only title ("What we ask for", "Your story") whose lead names no
            # question clearly: the frame names its kind's question, weakest of all
            # proposals (any section whose words name that question takes it first).
            proposals.append((0.0, k, j))
    taken: dict[int, int] = {}  # question index -> section index
    for score, k, i in sorted(proposals, key=lambda p: (-p[0], p[1])):
        if i in taken or k in taken.values():
            continue
        taken[i] = k
        s = sections[k]
        sections[k] = Section(s.head_start, s.head_end, s.start, s.end, i, score)
    if sum(sections[k].score > 0 for k in taken.values()) < _MIN_ASSIGNED:
        return []
    return sections


def _frame_question(title: str, questions: tuple[Question, ...]) -> int | None:
    """The question a title that is nothing but a frame of ``intents`` names, or None
    (no frame, a deferred frame such as "About the X", or no question of its kind)."""
    found = intents.intent_of(title)
    if found is None or found[1] or intents.deferred(title):
        return None
    return intents.targets(questions).get(found[0])


def _self_frame(title: str, qindex: int, questions: tuple[Question, ...]) -> bool:
    """Whether the heading is a self-description frame ("Who we are", "Our members",
    "About me") placed on the profile question.

    Why (session 22): the respondent describing itself names its places, members and
    services ("410 member businesses, 62 of them in Riverside or on Bridge Street",
    "240 nurses … responding as a professional network"), which are the other questions'
    label words, so its lead names one of them; the frame is the better evidence
    (transport-17's chamber, ofsted-docs-24's health network were moved off the
    profile question by their lead).
    """
    return (
        intents.intent_of(title) == ("self", "")
        and intents.targets(tuple(questions)).get("self") == qindex
    )


def recheck_weak(text: str, headings: list, questions: tuple[Question, ...]) -> None:
    """Move a weakly matched heading to the question its section's lead clearly names.

    A heading placed by position only (method ``order``) or that only
    paraphrases its question (method ``text`` below ``_WEAK``) is judged again
    by its words together with the first two sentences under it, among the
    questions still in play (those with no strong heading): the evidence is
    scored with the vocabulary distinctive among them ("impact" tells two
    questions apart once the equality question has its own heading). When
    that names another question in play clearly (``MIN_SCORE``, ``MARGIN``
    times the runner-up, the heading's own question included; for a heading
    placed by position, whose own evidence is nothing but its place, two of
    a question's label words, ``ORDER_MIN``, are enough) and no other
    heading has it, the heading moves there, with a warning. Linear: each
    weak heading's lead is scored once.
    """
    questions = tuple(questions)
    weak = [
        h
        for h in headings
        if h.cand.numbering is None
        and (h.method == "order" or (h.method == "text" and h.score < _WEAK))
        and not _self_frame(h.cand.plain_text, h.qindex, questions)
    ]
    if not weak:
        return
    strong = {h.qindex for h in headings if h not in weak}
    play = [j for j in range(len(questions)) if j not in strong]
    sub = tuple(questions[j] for j in play)
    order = sorted(headings, key=lambda h: h.cand.start)
    for h in weak:
        k = order.index(h)
        end = order[k + 1].cand.start if k + 1 < len(order) else len(text)
        lead = lead_sentences(text[h.cand.end : end].strip()[:_LEAD_CHARS])
        title = h.cand.plain_text.strip().rstrip(".:?!")
        scores = lead_scores(f"{title}. {lead}", sub)
        i = _propose(scores, ORDER_MIN if h.method == "order" else MIN_SCORE)
        if i is None or play[i] == h.qindex:
            continue
        j = play[i]
        if any(o.qindex == j for o in headings):
            continue
        log.debug("heading %r moved from %d to %d by its lead %s", title, h.qindex, j, scores)
        h.warnings.append(
            f"heading {title!r} moved to {questions[j].label} by its first sentences; check"
        )
        h.qindex, h.method, h.score = j, "section", min(scores[i] / 10, 1.0)
