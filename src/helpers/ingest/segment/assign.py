"""Step 3 of segmentation: choose which candidate headings open which question's answer.

Dynamic programming picks the best chain of headings whose questions follow
the consultation's order; the order is a prior, not a rule, so a strong
heading outside the chain is kept with a warning (out of order, or answered
twice). Styled question-shaped headings that name no question are placed by
position, and a heading is extended over the wrapped rest of its question.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from helpers.core.consultation import Question
from helpers.ingest.segment import intents
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.numbering import is_reply
from helpers.ingest.segment.parts import best_chain
from helpers.ingest.segment.sections import recheck_weak
from helpers.ingest.segment.similarity import norm, ratio_at_least, variants
from helpers.ingest.segment.thresholds import (
    ACCEPT,
    BARE_NUMBER_SCORE,
    NEXT_BONUS,
    ORDER_SCORE,
    PARAPHRASE_OUT,
    SKIP_PENALTY,
    STRONG,
    VERBATIM,
)

_NON_SPACE = re.compile(r"\S")


@dataclass
class Heading:
    cand: Candidate
    qindex: int
    score: float
    method: str
    warnings: list[str] = field(default_factory=list)


def _chain(cands: list[Candidate]) -> list[tuple[int, int]]:
    """Best monotonic assignment: [(candidate index, question index)] (``parts.best_chain``).

    Each candidate is skipped or assigned to a later question. Gain = score - ACCEPT, plus
    NEXT_BONUS when it is the very next question, minus SKIP_PENALTY per question skipped.
    """

    def step(j: int, last: int) -> float:
        return NEXT_BONUS if j == last + 1 else -SKIP_PENALTY * (j - last - 1)

    return best_chain([{j: s - ACCEPT for j, s in c.scores.items()} for c in cands], step)


def assign_headings(
    text: str, cands: list[Candidate], questions: tuple[Question, ...]
) -> list[Heading]:
    chain = _chain(cands)
    headings = [Heading(cands[ci], j, cands[ci].scores[j], cands[ci].methods[j]) for ci, j in chain]
    in_chain = {ci for ci, _ in chain}
    taken = {j for _, j in chain}
    plain_ok = not any(h.cand.cue is not None or h.cand.numbering is not None for h in headings)
    for ci, c in enumerate(cands):
        if ci in in_chain:
            continue
        j, s = c.best()
        # A numbered heading, or the question repeated near-verbatim; a looser
        # match outside the order (a title echoing the question) is not enough...
        need = STRONG if c.numbering == "q" else VERBATIM
        if c.order_free:  # "3." alone on its line, among distinct question numbers
            need = BARE_NUMBER_SCORE
        elif _clear_paraphrase(c, j, s, taken, plain_ok):
            need = PARAPHRASE_OUT
        if j < 0 or s < need:
            continue
        headings.append(Heading(c, j, s, c.methods[j]))
        taken.add(j)
    headings.sort(key=lambda h: h.cand.start)
    _order_only(text, cands, headings, len(questions))
    recheck_weak(text, headings, questions)  # weak headings judged again with their lead
    headings.sort(key=lambda h: h.cand.start)
    # Warnings for order and duplicates.
    seen: dict[int, int] = {}
    max_j = -1
    for h in headings:
        q = questions[h.qindex]
        if h.qindex in seen:
            h.warnings.append(
                f"duplicate: {q.label} is answered more than once (see also offset {seen[h.qindex]})"
            )
        elif h.qindex < max_j:
            h.warnings.append(f"out of order: {q.label} comes after {questions[max_j].label}")
        seen.setdefault(h.qindex, h.cand.start)
        max_j = max(max_j, h.qindex)
        if h.cand.conflict:
            h.warnings.append(h.cand.conflict)
        if h.method == "order":
            h.warnings.append(
                f"matched by position only: the heading names no question; check it is {q.label}"
            )
        elif h.method == "number" and h.cand.numbering == "bare" and h.cand.end < h.cand.line_end:
            h.warnings.append(
                f"a numbered paragraph was taken as {q.label} from its number alone; check"
            )
        elif h.method == "text" and h.score < 0.75:
            h.warnings.append(
                f"heading only paraphrases {q.label} (score {h.score:.2f}); check the match"
            )
        elif h.score < 0.6 and h.method != "section":
            h.warnings.append(f"weak heading match ({h.score:.2f}): check the answer is {q.label}")
    return headings


def _clear_paraphrase(c: Candidate, j: int, s: float, taken: set[int], plain_ok: bool) -> bool:
    """...unless it is a heading-shaped line clearly paraphrasing one unanswered question.

    "Our views on the proposal" before the answer to Q2 names Q4 and no other:
    it is kept out of order (with a warning) when its line is shaped like a
    heading (bold, or a plain title where the document's headings are plain
    text), the question has no answer yet, and the next best question scores
    at least 0.15 less.
    """
    if j < 0 or j in taken or c.methods.get(j) != "text":
        return False
    if c.shape != "styled" and not (plain_ok and c.shape in ("title", "question")):
        return False
    second = max((v for k, v in c.scores.items() if k != j), default=0.0)
    return s - second >= 0.15


def _framed(h: Heading) -> bool:
    """Whether ``h`` was matched by a self-description frame alone ("About me": ``intents``).

    Such a heading names the profile question, not a place in the consultation's
    order: the own-words headings after it are not the next questions by
    position (a young person's "About me" before "People who came alone",
    "Good help", "The new judgement", answering questions 5, 2 and 1).
    """
    c = h.cand
    if h.method != "text" or c.number is not None:
        return False
    found = intents.intent_of(c.plain_text)
    return found is not None and found == ("self", "")


def _order_only(
    text: str, cands: list[Candidate], headings: list[Heading], n_questions: int
) -> None:
    """Place heading-shaped lines that name no question by their position.

    A line shaped like a heading (``shapes.heading_shape``: a short bold or
    Word-heading line, or, in a document whose headings are neither styled
    nor numbered, a plain title line or a line of its own ending in '?')
    that lies after the heading of question a, where question a+1 is
    unanswered and comes before the next heading's question, is taken as
    question a+1 (method ``order``, always warned); a second such line in the
    same gap takes a+2, and so on. When a gap holds more such lines than
    unanswered questions, they are subheadings of one answer and none is
    placed (they are reported as unmatched). Plain lines must lie between
    two headings; none may be the first line of an answer ("Agree" under
    "Q1)"). Linear: headings are found by bisection.
    """
    # Plain lines count only where the headings themselves are plain text.
    styled = any(h.cand.cue is not None or h.cand.numbering is not None for h in headings)
    taken = {h.qindex for h in headings}
    used = {id(h.cand) for h in headings}
    headings.sort(key=lambda h: h.cand.start)
    starts = [h.cand.start for h in headings]
    gaps: dict[int, list[Candidate]] = {}
    for c in cands:
        if id(c) in used or c.scores or c.shape not in ("styled", "question", "title"):
            continue
        plain = c.shape != "styled"
        if plain and styled:
            continue
        k = bisect.bisect_left(starts, c.start)
        if k == 0:
            continue  # before the first heading: part of the preamble
        first_line = _NON_SPACE.search(text, headings[k - 1].cand.end)
        if first_line is not None and first_line.start() >= c.start:
            continue  # the first line under a heading is its answer
        if plain and k >= len(headings):
            continue
        if _framed(headings[k - 1]):
            continue  # "About me": no evidence the answers after it follow in order
        gaps.setdefault(k, []).append(c)
    placed: list[Heading] = []
    for k, lines in gaps.items():
        limit = headings[k].qindex if k < len(headings) else n_questions
        free = []
        j = headings[k - 1].qindex + 1
        while j < limit and j not in taken and len(free) <= len(lines):
            free.append(j)
            j += 1
        if len(lines) > len(free):
            continue
        for c, j in zip(lines, free, strict=False):
            c.end = c.line_end
            placed.append(Heading(c, j, ORDER_SCORE, "order"))
            taken.add(j)
    headings.extend(placed)
    headings.sort(key=lambda h: h.cand.start)


def extend_wrapped(
    text: str, headings: list[Heading], questions: tuple[Question, ...]
) -> list[Heading]:
    """Extend a heading over following lines that continue the question's wording.

    A question wrapped onto two lines (a Word line break, an unjoined PDF
    line) would otherwise leave its second half at the top of the answer.
    The next line must be a near-exact piece of the question and make the
    heading as a whole closer to it. A second half that was itself taken as a
    heading for the same question is swallowed.
    """
    out: list[Heading] = []
    for i, h in enumerate(headings):
        c = h.cand
        if out and c.start < out[-1].cand.end:
            continue  # swallowed by the heading before
        out.append(h)
        if h.method not in ("text", "number+text") or c.end < c.line_end:
            continue
        later = [g.cand.start for g in headings[i + 1 :] if g.qindex != h.qindex]
        limit = later[0] if later else len(text)
        wordings = variants(questions[h.qindex])
        for _ in range(3):
            m = re.compile(r"\s*([^\n]+)").match(text, c.end, limit)
            if not m:
                break
            line = norm(m.group(1))
            # A piece of a wording at least as long as the line (a short label
            # inside a sentence is not the rest of a wrapped question).
            piece = max(
                (fuzz.partial_ratio(line, v.norm) for v in wordings if len(v.norm) >= len(line)),
                default=0,
            )
            piece = piece if len(line) >= 10 else 0
            if piece < 95:
                break
            before = max(fuzz.ratio(norm(text[c.rest : c.end]), v.norm) for v in wordings)
            # Only a ratio above ``before`` counts: a long line is cut off from its length.
            after = max(
                ratio_at_least(norm(text[c.rest : m.end(1)]), v.norm, before) for v in wordings
            )
            if after <= before:
                break
            c.end = c.line_end = m.end(1)
    return out


_LABEL_WORDS = 8  # a label after a heading's number has at most this many words


def extend_labels(text: str, headings: list[Heading]) -> None:
    """Take a short label after a heading's number into the heading.

    "3. Timing" or "QUESTION 4 – PARKING" over an answer on the following
    lines: the label names the question in the respondent's words and is
    not the answer. A label that is a sentence (ends in '.', '!', ',' or ';'),
    starts like a reply ("Strongly support", ``reply_words`` in
    heading_words.yaml), or has nothing under it ("Q4 - None") stays the
    answer.
    """
    for i, h in enumerate(headings):
        c = h.cand
        if h.method != "number" or c.end >= c.line_end:
            continue
        label = text[c.end : c.line_end].rstrip(" *_'\"’”")
        words = label.split()
        if not words or len(words) > _LABEL_WORDS or label.endswith((".", "!", ",", ";")):
            continue
        if is_reply(label):  # "Q1 – Strongly support" over more answer text
            continue
        below = headings[i + 1].cand.start if i + 1 < len(headings) else len(text)
        if _NON_SPACE.search(text, c.line_end, below) is None:
            continue
        c.end = c.line_end
