"""One campaign text, one question: copies filed under different questions are filed together.

``segment.copied`` moves a passage that copies an answer placed by a clear
heading. Where no sender used a clear heading, each copy is placed by its own
reading (meaning, the letter's order, the learned re-ranker), and the same
text can land under different questions for different senders: transport-26's
campaign text on the planters went under the filters question in the
campaign's own document (its heading "Think again on the planters" read as
that question, score 0.86) and under the suggestions question in two
supporters' letters with no headings (0.42, 0.43). The campaign pairs are then
lost (pairs are per question) and two of three answers are misfiled. The same
mechanism missed campaign pairs in batches 2, 5, 14, 17 and 26 (session 24's
census: a copy of at least 100 characters under another question than its
campaign's other copies).

Rules, and why:

- **Members** are rows under an answerable question (not ``profile``,
  ``unstructured``, ``preamble`` or ``closing``) of at least
  ``nearcopies.LONG_CHARS`` normalised characters: a short answer recurs by
  chance. Rows are compared whole, with the campaign threshold
  (``nearcopies.cluster``: small edits, or a sender's added sentence).
- A group of near copies sent by two or more respondents under two or more
  questions takes the question of its **most surely placed** member: a clear
  heading (number or wording, a form's table, a survey column, a placed copy)
  beats any reading of meaning; among readings, the highest ``match_score``.
  The copies' own words are the same, so what differs is each sender's
  context (a heading of their own, the neighbouring answers), and the
  clearest context says best where the text belongs. A tie between two
  questions moves nothing.
- Rows placed by a clear heading never move (a respondent who pasted the
  text under another question's heading answered that question with it),
  and a row never moves to a question its respondent answered under a clear
  heading.

Linear in the number of rows (LSH candidates in ``nearcopies.cluster``).
"""

from __future__ import annotations

import logging
from collections import defaultdict

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.ingest import campaigns, nearcopies

log = logging.getLogger(__name__)

METHOD = "copy"
CLEAR_METHODS = ("number", "text", "number+text", "survey_column", "table", "copy")
NOT_ANSWERS = ("unstructured", "preamble", "closing")
CLEAR_STRENGTH = 2.0  # above any match_score (0-1)
TIE = 1e-9


def _strength(method: str, score: object) -> float:
    if method in CLEAR_METHODS:
        return CLEAR_STRENGTH
    try:
        value = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if value != value else value


def _groups(rows: pd.DataFrame) -> dict[int, list[int]]:
    """Row index → members of its near-copy group (leader clustering on normalised text)."""
    order = sorted(
        rows.index,
        key=lambda i: -_strength(str(rows.at[i, "match_method"]), rows.at[i, "match_score"]),
    )
    distinct: dict[str, int] = {}
    slot = [
        distinct.setdefault(campaigns.normalise(rows.at[i, "answer_text"] or ""), len(distinct))
        for i in order
    ]
    found = nearcopies.cluster(list(distinct), campaigns.DEFAULT_THRESHOLD, passages=True)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, k in zip(order, slot, strict=True):
        groups[found.leader[k]].append(i)
    return groups


def file_copies_together(answers: pd.DataFrame, consultation: Consultation) -> pd.DataFrame:
    """``answers`` with near copies sent by several respondents moved under one question."""
    if answers.empty or answers["match_method"].isin(CLEAR_METHODS).all():
        # Nothing may move: a survey export's rows are all placed by their columns. Asked
        # first (session 27), before every text is normalised for its length: that cost a
        # copy of the whole answer-text column and 6 CPU s at 30,000 survey respondents.
        return answers
    answerable = {q.id for q in consultation.questions if q.kind != "profile"}
    norm_len = answers["answer_text"].fillna("").map(lambda t: len(campaigns.normalise(t)))
    rows = answers[
        answers["question_id"].isin(answerable)
        & ~answers["match_method"].isin(NOT_ANSWERS)
        & (norm_len >= nearcopies.LONG_CHARS)
    ]
    if len(rows) < 2 or rows["match_method"].isin(CLEAR_METHODS).all():
        return answers  # nothing that may move (a survey export: every row placed by its column)
    clear = answers[answers["match_method"].isin(CLEAR_METHODS)]
    answered = set(zip(clear["respondent_id"], clear["question_id"], strict=True))
    numbers = {q.id: q.number for q in consultation.questions}
    out = answers.copy()
    moved = 0
    for members in _groups(rows).values():
        if len(members) < 2 or len(set(rows.loc[members, "respondent_id"])) < 2:
            continue
        if len(set(rows.loc[members, "question_id"])) < 2:
            continue
        best: dict[str, float] = {}
        for i in members:
            s = _strength(str(rows.at[i, "match_method"]), rows.at[i, "match_score"])
            q = str(rows.at[i, "question_id"])
            best[q] = max(best.get(q, 0.0), s)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if ranked[0][1] - ranked[1][1] <= TIE:
            continue
        target = ranked[0][0]
        for i in members:
            rid = rows.at[i, "respondent_id"]
            if rows.at[i, "question_id"] == target or rows.at[i, "match_method"] in CLEAR_METHODS:
                continue
            if (rid, target) in answered:
                continue
            out.at[i, "question_id"] = target
            out.at[i, "question_number"] = numbers.get(target)
            out.at[i, "match_method"] = METHOD
            out.at[i, "warning"] = (
                "filed with other respondents' copies of this text under this question: check"
            )
            moved += 1
    if moved:
        log.info("segment: %d campaign cop(ies) filed under their copies' question", moved)
    return out
