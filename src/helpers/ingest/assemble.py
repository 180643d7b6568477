"""The ingest tables from what the files gave: respondents, answers, copies, attributes.

Split from ``stage`` (which reads the files). A file's respondents arrive as dicts (a
document: ``respondent_row``) or, for a survey export read into columns
(``survey_columns``), as one frame for the file; its answers as ``AnswerRows`` or a frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from helpers.core import schemas
from helpers.core.attributes import Attribute
from helpers.core.consultation import Consultation
from helpers.ingest.attributes import attribute_table
from helpers.ingest.campaigns import detect_copies
from helpers.ingest.survey_columns import ATTR, ATTR_SOURCE


@dataclass
class IngestResult:
    """The tables ``run_ingest`` writes (RESPONDENTS, ANSWERS, INGEST_LOG, COPIES, ATTRIBUTES)."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    log: pd.DataFrame
    copies: pd.DataFrame = dataclasses.field(default_factory=lambda: schemas.empty(schemas.COPIES))
    attributes: pd.DataFrame = dataclasses.field(
        default_factory=lambda: schemas.empty(schemas.ATTRIBUTES)
    )


Respondents = list  # of dict (one respondent) or pd.DataFrame (a survey file's respondents)


def respondent_row(doc: schemas.Document) -> dict:
    return {
        "respondent_id": doc.respondent_id,
        "source_file": doc.source_file,
        "source_sha256": doc.source_sha256,
        "source_format": doc.source_format,
        "source_row": doc.source_row,
        "encoding": doc.encoding,
        "organisation": doc.organisation,
        "organisation_source": doc.organisation_source,
        "respondent_type": doc.respondent_type,
        "respondent_type_source": doc.respondent_type_source,
        "text": doc.text,
        "n_chars": len(doc.text),
        "attributes": doc.attributes,  # not a RESPONDENTS column: the ATTRIBUTES table's input
    }


def respondents_frame(respondents: Respondents) -> pd.DataFrame:
    """The RESPONDENTS table of the run's respondents, in the order they were read."""
    names = schemas.RESPONDENTS.names
    pieces: list[pd.DataFrame] = []
    run: list[dict] = []
    for r in respondents:
        if isinstance(r, pd.DataFrame):
            if run:
                pieces.append(pd.DataFrame(run, columns=names))
                run = []
            pieces.append(r[names])
        else:
            run.append(r)
    if run or not pieces:
        pieces.append(pd.DataFrame(run, columns=names))
    return schemas.conform(pd.concat(pieces, ignore_index=True), schemas.RESPONDENTS)


def _attribute_inputs(respondents: Respondents, attributes: tuple[Attribute, ...]) -> Iterator:
    """Each respondent as ``attribute_table`` reads it; a survey frame's, row by row."""
    for r in respondents:
        if not isinstance(r, pd.DataFrame):
            yield r
            continue
        if not attributes:
            continue  # no rows to make
        ids = [a.id for a in attributes]
        cols = [r["respondent_id"], r["source_file"]]
        for aid in ids:
            cols += [r[ATTR + aid], r[ATTR_SOURCE + aid]]
        for values in zip(*(c.tolist() for c in cols), strict=True):
            given = {
                aid: (values[2 + 2 * k], values[3 + 2 * k])
                for k, aid in enumerate(ids)
                if isinstance(values[2 + 2 * k], str) and values[2 + 2 * k]
            }
            yield {"respondent_id": values[0], "source_file": values[1], "attributes": given}


class RunTexts(Mapping):
    """Respondent id → text, for segmentation's second pass (``stage._by_meaning``).

    Documents' texts in a dict; a survey frame's looked up only when asked for (its
    answers are placed by their columns, so they seldom are), through an index built then.
    """

    def __init__(self, respondents: Respondents) -> None:
        self._docs = {
            str(r["respondent_id"]): r["text"] for r in respondents if isinstance(r, dict)
        }
        self._frames = [r for r in respondents if isinstance(r, pd.DataFrame)]
        self._index: dict[str, tuple[int, int]] | None = None

    def _survey(self) -> dict[str, tuple[int, int]]:
        if self._index is None:
            self._index = {
                str(rid): (f, i)
                for f, frame in enumerate(self._frames)
                for i, rid in enumerate(frame["respondent_id"].tolist())
                if str(rid) not in self._docs
            }
        return self._index

    def __getitem__(self, rid: str) -> str:
        if rid in self._docs:
            return self._docs[rid]
        f, i = self._survey()[rid]
        return self._frames[f]["text"].iat[i]

    def __iter__(self) -> Iterator[str]:
        yield from self._docs
        yield from self._survey()

    def __len__(self) -> int:
        return len(self._docs) + len(self._survey())


def by_meaning(
    respondents: Respondents, answers: list, consultation: Consultation
) -> list[pd.DataFrame]:
    """The run's answers with text no heading placed assigned by meaning (``segment.meaning``),
    then by the answers it copies (``segment.copied``), letters re-read as one sequence
    (``segment.letterseq``, when its weights are enabled), then the learned re-ranker if on;
    then copies of one campaign text are filed under one question (``segment.copyvote``);
    then an answer's trailing sign-off or footer is cut off (``segment.trailing``); last,
    every row judged again on its final text and a non-answer left at the end of another
    answer split off under the question it names (``segment.substantive_tail``). Both
    session 27; in this order the tails are judged without the footer (batches 23-29:
    one more non-answer and one more precise row than the other order, nothing lost)."""
    if not answers:
        return answers
    from helpers.ingest.segment import (
        place_copies,
        read_letters,
        rerank,
        resolve_unstructured,
        run_frames,
    )
    from helpers.ingest.segment.copyvote import file_copies_together
    from helpers.ingest.segment.substantive_tail import judged_again, split_tails
    from helpers.ingest.segment.trailing import cut_trailing

    texts = RunTexts(respondents)
    frame = pd.concat(run_frames(answers, consultation), ignore_index=True)
    frame = place_copies(resolve_unstructured(frame, texts, consultation), texts, consultation)
    frame = read_letters(frame, texts, consultation)
    frame = rerank(frame, texts, consultation) if consultation.segmentation_reranker else frame
    frame = file_copies_together(frame, consultation)
    frame = cut_trailing(frame, texts)  # an answer's own sign-off or footer
    return [split_tails(judged_again(frame, consultation), consultation)]


def make_tables(
    respondents: Respondents,
    answers: list[pd.DataFrame],
    log_rows: list[dict],
    skip_questions: set[str] | frozenset[str] = frozenset(),
    attributes: tuple[Attribute, ...] = (),
    question_texts: dict[str, str] | None = None,
):
    """Conform the rows to their schemas, find campaign copies and classify attributes."""
    attr_df, attr_notes = attribute_table(_attribute_inputs(respondents, attributes), attributes)
    for row in log_rows:  # unmatched attribute values, noted on the file they came from
        if row["status"] == "processed" and attr_notes.get(row["file"]):
            row["reason"] = "; ".join([*filter(None, [row["reason"]]), *attr_notes[row["file"]]])
    # Files were walked in sorted order; a stable sort keeps each file's own row
    # before its per-row problems.
    log_rows.sort(key=lambda r: r["file"])
    resp_df = respondents_frame(respondents)
    if not answers:
        ans_df = schemas.empty(schemas.ANSWERS)
    else:
        ans_df = schemas.conform(pd.concat(answers, ignore_index=True), schemas.ANSWERS)
    log_df = schemas.conform(
        pd.DataFrame(log_rows, columns=schemas.INGEST_LOG.names), schemas.INGEST_LOG
    )
    # Profile questions ("In what capacity are you responding?") describe the respondent:
    # identical answers are expected there, so they are not searched for campaign copies.
    copies_df = detect_copies(
        resp_df, answers=ans_df, skip_questions=skip_questions, question_texts=question_texts
    )
    return IngestResult(resp_df, ans_df, log_df, copies_df, attr_df)
