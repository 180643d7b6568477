"""One heading over the answers to two questions: "The judgement and the date".

A respondent writing their own headings sometimes joins two questions under
one ("Our position on the proposal and its timing", "Buses and the bridge"),
answering one in the first paragraphs and the other after. Read as one
answer, the second question's text lands under the first question and the
second question looks unanswered.

The rule (``two_question_parts``), for a heading in the respondent's own
words (not a question number: "Q3" names one question) that joins two things
("… and …", "… & …", "…, …", "… / …"), over at least two paragraphs:

- each paragraph's first two sentences are scored for each question with the
  evidence a letter's paragraph is judged by (``letters.lead_scores``: the
  questions' distinctive label words and phrases, a stance sentence for a
  closed question); a paragraph names a question clearly when it scores at
  least ``_MIN_SCORE`` and twice any other question;
- only the heading's own question and questions the respondent answered
  nowhere else in the document count, never a profile question;
- paragraphs that name nothing clearly continue the one before them (the
  first continues the heading's question);
- the split is made only when the paragraphs then fall into exactly two runs,
  one of them the heading's question (X X Y or Y X X): an answer that wanders
  between topics stays whole.

The run that starts the row keeps the heading; the other becomes a
``paragraph`` row with a warning to check. Linear in the answer's length.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.ingest.segment.letters import lead_scores, lead_sentences
from helpers.ingest.segment.similarity import text_similarity
from helpers.ingest.segment.thresholds import VERBATIM

_MIN_SCORE = 3.0  # a paragraph's lead must score this for a question…
_MARGIN = 2.0  # …and this many times any other question
_JOINS_RE = re.compile(r"\s(?:and|&|plus)\s|,\s|\s/\s|\s\+\s", re.I)
_PARA_RE = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*")  # lines up to a blank line
_MAX_PARAS = 12  # a longer answer under one heading is not two short answers


def joins_two(heading: str) -> bool:
    """Whether a heading joins two things ("The judgement and the date")."""
    return bool(_JOINS_RE.search(heading))


def repeats_question(heading: str, question: Question) -> bool:
    """Whether the heading is the question's own wording (quoted or not), near-verbatim.

    Why (session 20, ofsted-docs-22): a heading quoting the question in full
    ("“To what extent do you agree … 'The experiences and progress of care
    leavers'?”") joins nothing: its "and" and commas are the question's, and
    splitting its answer by topic cut the respondent's caveat off as an answer to
    another question the respondent never headed.
    """
    return text_similarity(heading.strip(" \t*_#\"'“”‘’"), question)[0] >= VERBATIM


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _PARA_RE.finditer(text[start:end])]


def two_question_parts(
    text: str,
    start: int,
    end: int,
    heading: str,
    qindex: int,
    questions: tuple[Question, ...],
    answered: set[int],
) -> list[tuple[int, int]]:
    """(start, question index) of each part of the answer ``text[start:end]``, or [].

    ``qindex`` is the heading's question; ``answered`` the questions the
    respondent answered elsewhere in the document.
    """
    if not joins_two(heading) or repeats_question(heading, questions[qindex]):
        return []
    paras = _paragraphs(text, start, end)
    if not 2 <= len(paras) <= _MAX_PARAS:
        return []
    allowed = {
        j
        for j, q in enumerate(questions)
        if q.kind != "profile" and (j == qindex or j not in answered)
    }
    labels: list[int] = []
    for s, e in paras:
        scores = lead_scores(lead_sentences(text[s:e]), questions)
        order = sorted(range(len(scores)), key=lambda j: -scores[j])
        best = order[0] if order else None
        runner = scores[order[1]] if len(order) > 1 else 0.0
        clear = (
            best is not None
            and best in allowed
            and scores[best] >= _MIN_SCORE
            and scores[best] >= _MARGIN * runner
        )
        if clear:
            labels.append(best)
        else:
            labels.append(labels[-1] if labels else qindex)
    runs: list[tuple[int, int]] = []  # (paragraph start, question)
    for (s, _e), label in zip(paras, labels, strict=True):
        if not runs or runs[-1][1] != label:
            runs.append((s, label))
    if len(runs) != 2 or qindex not in {q for _, q in runs}:
        return []
    return [(start, runs[0][1]), (runs[1][0], runs[1][1])]
