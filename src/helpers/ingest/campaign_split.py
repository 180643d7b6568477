"""A campaign text split across two of a respondent's answers, under their own headings.

A supporter who pastes a campaign's text into a form or letter of their own headings may cut
it where their headings fall: its first sentences end the answer to one question and the
rest opens the next answer (``benchmarks/campaign_perturb`` kind ``split_headings``, session
28: 212 of 312 new pairs found at the release, the weakest kind). Neither piece is the
campaign text, and each is often shorter than a passage of it may be
(``passages.PASSAGE_CHARS``), so the per-question rules leave both alone.

:func:`joined_answers` gives, for each respondent of a document (not a survey row), each
pair of consecutive answers in document order as one text: the last paragraph of the first
answer and the first paragraph of the next, joined as one paragraph. ``find_copies`` reads
them as a letter's paragraphs are read (``campaign_letters._add_letters`` with
``groups_only``): only a whole-paragraph near copy of the text of a group of two or more
counts, and only under the FIRST answer's question (``allowed``), where the copy begins:
the joined text is then the sender's answer to that question, as the letter passes record a
letter's copied paragraph. Answers to the profile questions, preambles and closings are
not joined.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.core import schemas
from helpers.ingest.letter_copies import PARAGRAPH

SURVEY = "survey_column"  # a survey cell's match_method: its order is the export's, not a text's


def joined_answers(
    answers: pd.DataFrame | None, respondents: pd.DataFrame, skip_questions: Iterable[str] = ()
) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """(respondent_id, text) of consecutive answers joined, and the (respondent, question)
    each may be recorded under (the first answer's question)."""
    empty = pd.DataFrame({"respondent_id": [], "text": []})
    if answers is None or answers.empty or "start" not in answers:
        return empty, set()
    # One mask before any copy of the table (issue 15: a survey's answers are the largest
    # table of ingest, and none of its cells is joined).
    keep = ~answers["question_id"].astype(str).isin(
        {schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED, *skip_questions}
    )
    if "match_method" in answers:
        keep &= answers["match_method"].astype(str) != SURVEY
    if not keep.any():
        return empty, set()
    if "substantive" in answers:
        keep &= answers["substantive"].fillna(True).astype(bool)
    keep &= answers["respondent_id"].astype(str).isin(set(respondents["respondent_id"].astype(str)))
    a = answers.loc[keep, ["respondent_id", "question_id", "start", "answer_text"]]
    if a.empty:
        return empty, set()
    a = a.sort_values(["respondent_id", "start"], kind="stable")
    ids, texts, allowed = [], [], set()
    rows = list(
        zip(
            a["respondent_id"].astype(str),
            a["question_id"].astype(str),
            a["answer_text"],
            strict=True,
        )
    )
    for (r1, q1, t1), (r2, q2, t2) in zip(rows, rows[1:], strict=False):
        if r1 != r2 or q1 == q2 or not isinstance(t1, str) or not isinstance(t2, str):
            continue
        last = [p for p in PARAGRAPH.split(t1.strip()) if p.strip()]
        first = [p for p in PARAGRAPH.split(t2.strip()) if p.strip()]
        if not last or not first:
            continue
        ids.append(r1)
        texts.append(" ".join(f"{last[-1]} {first[0]}".split()))
        allowed.add((r1, q1))
    return pd.DataFrame({"respondent_id": ids, "text": texts}), allowed
