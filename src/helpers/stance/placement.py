"""Which closed answers were placed by their content rather than by a heading, and when
such an answer takes its letter's own reading (``stance.unstructured``) instead of its
paragraph's: the rules :mod:`stance.table` applies to letters and e-mails.

Split from :mod:`stance.table` (session 17) so the table's assembly and these placement
rules each stay one concern.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.stance.result import StanceResult

# Ingest's ``match_method`` values of a paragraph placed by what it says, not by a heading.
PLACED_BY_CONTENT = ("meaning", "paragraph")


def structured_respondents(answers: pd.DataFrame, consultation: Consultation) -> set[str]:
    """Respondents with an answer placed under a question by its heading (not a letter's
    paragraph placed by its content, not ``unstructured`` text)."""
    ids = {q.id for q in consultation.questions}
    placed = answers["question_id"].isin(ids)
    if "match_method" in answers:
        placed &= ~answers["match_method"].isin((*PLACED_BY_CONTENT, "learned"))
    return set(answers.loc[placed, "respondent_id"].astype(str))


def letters_reading(
    r: StanceResult | None,
    lr: StanceResult | None,
    others: list[StanceResult | None],
    letter: bool,
    addressed: bool = False,
) -> bool:
    """Whether an answer placed by its content takes its letter's reading: its paragraph takes
    no position while another does ("I fully support it" under "Any other comments?"); or, in
    a letter, its position is another closed question's by the letter's own placement (what
    the position is about) and the letter reads this question's elsewhere (session 17: "We
    support the judgement for care leavers" put under the start date by "inspection").

    Session 21: also when this question's own position is in the same paragraph. Before, a
    letter's reading inside the answer's span was never taken, so a paragraph placed under
    the bus gate that objects to it and then turns to the trial ("The bus gate I do object
    to, strongly … On the trial, I'm roughly 60/40 in favour") kept the whole paragraph's
    reading, which is the trial's sentence; the letter's sentence-level reading is the bus
    gate's own.

    Session 23: a letter's reading the learned reader gave (``addressed``: a paragraph it
    judged answers the question, ``stance.addressing``) is never taken for an answer placed
    under the question: the reader only fills a question with no answer of its own. Let it
    fill an answer the rules read no position in, it overwrote what the learned gate then
    reads there (the start date's "We are, however, disappointed by the proposed start
    date" lost to a closing "We would be glad to help Ofsted ...", stance-items-5)."""
    if addressed:
        return False
    if lr is None or lr.stance == "not_answered" or r is None or r.stance == "not_answered":
        return lr is not None and lr.stance != "not_answered"
    if not letter:
        return False
    return any(o is not None and o.start == r.start for o in others)  # others' readings


def gate_reading(consultation: Consultation):
    """The second reading ``stance.unstructured`` gives a letter's paragraphs that name one
    closed question and take no position by the rules' words: the learned no-position gate
    (``stance.gate``), as it reads an answer under that question (closing courtesies
    blanked, the question's topic words), returning (stance, confidence, evidence span in
    the paragraph) or None for each paragraph (see ``unstructured._second_reading``)."""
    from helpers.stance import gate
    from helpers.stance.topic import topic_vocabulary

    closed = consultation.closed_questions
    vocab = [topic_vocabulary(consultation, q.id) for q in closed]

    def read(texts: list[str], questions: list[int]):
        said = [gate.without_courtesies(t) for t in texts]
        out = []
        for text, got in zip(said, gate.read(said, [vocab[k] for k in questions]), strict=True):
            out.append(None if got is None else (*got, gate.evidence(text, got[0])))
        return out

    return read
