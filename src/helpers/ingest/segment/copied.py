"""Passages placed by the answer they copy: a campaign text goes where its senders put it.

A campaign gives many respondents one text for one question. Some paste it
under a clear heading ("Q5", the question's wording); others put it in a
letter with no headings, or under a heading of their own that the meaning
pass read as another question. Where the text went under a clear heading,
that heading says which question the text answers, more surely than any
reading of its meaning: this step finds every passage that nearly copies an
answer placed by its heading (or a survey column) and files it under that
question (``match_method = copy``).

Rules, and why:

- **Sources** are answers placed by number, wording, a form's table or a
  survey column, with at least ``nearcopies.LONG_CHARS`` normalised
  characters: a short answer ("I agree with the proposal") recurs by chance.
  A text placed under different questions by different respondents says
  nothing about where it belongs and is not a source.
- **Passages** are the paragraphs of text the earlier steps placed weakly:
  ``unstructured``, ``meaning``, ``order`` or ``paragraph`` rows. Rows placed
  by a heading are never moved: a respondent who pasted the campaign text
  under another question's heading answered that question with it.
- A passage moves only to a question its respondent has not answered under a
  clear heading, and only when it is a near copy of a source
  (``nearcopies.match``, the campaign threshold: small edits, or a personal
  sentence added).

Linear in the number of answers: sources and passages are compared by MinHash
LSH with bounded buckets (``nearcopies.match``).
"""

from __future__ import annotations

import logging

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.text import strip_span
from helpers.ingest import campaigns, nearcopies
from helpers.ingest.segment.letters import _paragraphs

log = logging.getLogger(__name__)

METHOD = "copy"
SOURCE_METHODS = ("number", "text", "number+text", "survey_column", "table")
MOVABLE_METHODS = ("unstructured", "meaning", "order", "paragraph")
THRESHOLD = campaigns.DEFAULT_THRESHOLD


def _sources(answers: pd.DataFrame, consultation: Consultation) -> dict[str, str]:
    """Normalised source text → the one question it was placed under by heading."""
    answerable = {q.id for q in consultation.questions if q.kind != "profile"}
    placed = answers[
        answers["match_method"].isin(SOURCE_METHODS)
        & answers["question_id"].isin(answerable)
        & answers["substantive"].fillna(False)
    ]
    where: dict[str, set[str]] = {}
    for text, qid in zip(placed["answer_text"], placed["question_id"], strict=True):
        norm = campaigns.normalise(text or "")
        if len(norm) >= nearcopies.LONG_CHARS:
            where.setdefault(norm, set()).add(qid)
    return {t: next(iter(q)) for t, q in where.items() if len(q) == 1}


def place_copies(
    answers: pd.DataFrame, texts: dict[str, str], consultation: Consultation
) -> pd.DataFrame:
    """``answers`` with weakly placed passages that copy a placed answer moved to its question."""
    if answers.empty:
        return answers
    # Passages first: a survey export has none (every answer is placed by its column), and
    # then the sources, every placed answer normalised, are not needed.
    queries, where = [], []  # normalised passage; (row index, start, end)
    for i in answers.index[answers["match_method"].isin(MOVABLE_METHODS)]:
        text = texts.get(str(answers.at[i, "respondent_id"]), "")
        s, e = int(answers.at[i, "start"]), int(answers.at[i, "end"])
        for a, b in _paragraphs(text[s:e]):
            norm = campaigns.normalise(text[s + a : s + b])
            if len(norm) >= nearcopies.LONG_CHARS:
                queries.append(norm)
                where.append((i, s + a, s + b))
    if not queries:
        return answers
    sources = _sources(answers, consultation)
    if not sources:
        return answers
    clear = answers[answers["match_method"].isin(SOURCE_METHODS)]
    answered = set(zip(clear["respondent_id"], clear["question_id"], strict=True))
    targets = list(sources)
    found = nearcopies.match(queries, targets, THRESHOLD)
    moves: dict[int, list[tuple[int, int, str, float]]] = {}
    for (i, a, b), j, score in zip(where, found.leader, found.score, strict=True):
        if j < 0:
            continue
        qid = sources[targets[j]]
        rid = answers.at[i, "respondent_id"]
        if qid != answers.at[i, "question_id"] and (rid, qid) not in answered:
            moves.setdefault(i, []).append((a, b, qid, score))
    if not moves:
        return answers
    records = []
    for i, rec in zip(answers.index, answers.to_dict("records"), strict=True):
        records.extend(
            _split(rec, texts[str(rec["respondent_id"])], moves[i], consultation)
            if i in moves
            else [rec]
        )
    log.info(
        "segment: %d passage(s) placed as copies of other respondents' answers",
        sum(map(len, moves.values())),
    )
    out = pd.DataFrame(records, columns=answers.columns)
    return schemas.conform(out, schemas.ANSWERS)


def _split(
    row: dict, text: str, moved: list[tuple[int, int, str, float]], consultation
) -> list[dict]:
    """One row cut around its moved passages: each moved passage its own row, the rest kept."""
    numbers = {q.id: q.number for q in consultation.questions}
    out, pos = [], int(row["start"])
    for a, b, qid, score in sorted(moved):
        if a > pos and text[pos:a].strip():
            out.append(_piece(row, text, pos, a, keep_heading=not out))
        out.append(
            dict(
                _piece(row, text, a, b, keep_heading=False),
                question_id=qid,
                question_number=numbers.get(qid),
                match_method=METHOD,
                match_score=round(score / 100, 3),
                warning="placed as a copy of another respondent's answer to this question: check",
            )
        )
        pos = b
    end = int(row["end"])
    if end > pos and text[pos:end].strip():
        out.append(_piece(row, text, pos, end, keep_heading=not out))
    return out


def _piece(row: dict, text: str, s: int, e: int, keep_heading: bool) -> dict:
    s, e = strip_span(text, s, e)
    piece = dict(row, start=s, end=e, answer_text=text[s:e])
    if not keep_heading:
        piece.update(heading_text=None, heading_start=None)
    return piece
