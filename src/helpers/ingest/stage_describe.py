"""Stage 1's describing and segmenting of one file's documents.

Split from :mod:`stage` (session 26) so the stage module keeps the run itself.
``_describe_and_segment`` gives each document of one file a unique respondent
id and its metadata (``respondents``), segments it into answers (``_segment``,
an indirection tests stub), types its respondent (capacity answer, learned
scorer) and adds the rows to the file's ``_FileOutcome``; ``_RunState`` is what
the run holds across files. A survey export read into columns goes to
``survey_stage.describe_columns`` instead. How the time per file and per row is
bounded is in ``stage._ingest_one``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.ingest import survey_stage
from helpers.ingest.assemble import respondent_row
from helpers.ingest.capacity_types import type_from_capacity_answer
from helpers.ingest.readers import ReadResult
from helpers.ingest.readers.limits import FileTimeout, Limits, time_limit
from helpers.ingest.respondents import attach_metadata, metadata_for
from helpers.ingest.segment.answers import AnswerRows
from helpers.ingest.stage_read import _log_row
from helpers.ingest.type_model import retype

log = logging.getLogger("helpers.ingest.stage")  # the stage's logger, as before the split


@dataclass
class _RunState:
    """What one file's ingest needs from the run, and what it adds to it."""

    consultation: Consultation
    meta: dict
    cache: Path | None
    limits: Limits
    respondents: list[dict] = dataclasses.field(default_factory=list)
    # A survey file's answers as a frame; a document's as its rows (``segment.run_frames``).
    answers: list[pd.DataFrame | AnswerRows] = dataclasses.field(default_factory=list)
    used: dict[str, str] = dataclasses.field(default_factory=dict)  # respondent id → file
    matched: set[int] = dataclasses.field(default_factory=set)  # metadata entries used


@dataclass
class _FileOutcome:
    """One file's rows, kept apart until the file has finished within its time limit."""

    log_rows: list[dict]
    respondents: list[dict] = dataclasses.field(default_factory=list)
    answers: list[pd.DataFrame | AnswerRows] = dataclasses.field(default_factory=list)
    used: dict[str, str] = dataclasses.field(default_factory=dict)
    matched: set[int] = dataclasses.field(default_factory=set)


def _describe_and_segment(
    name: str,
    result: ReadResult,
    row: dict,
    state: _RunState,
    out: _FileOutcome,
    row_limit: float | None = None,
) -> None:
    """Give each of one file's documents a unique id and its metadata, then segment it.

    Adds respondent rows, answer frames, the ids and metadata entries used, and
    per-row problems to ``out``, and fills in the file's log ``row``. With
    ``row_limit`` (survey exports), each document is described and segmented
    within that many seconds and one that takes longer fails alone; without it
    a FileTimeout propagates, failing the whole file (see ``_ingest_one``).
    """
    if result.tables is not None:  # a survey export read into columns
        survey_stage.describe_columns(name, result, row, state, out, _log_row)
        return
    extra = {"source_format": row["source_format"], "sha256": row["sha256"]}
    for status, reason in result.row_problems:
        log.warning("%s: %s", name, reason)
        out.log_rows.append(_log_row(name, status, f"{name}: {reason}", **extra))
    n_warnings = 0
    survey_rows: list[dict] = []  # survey rows' answers, made into one frame for the file
    for doc in result.documents:
        base, k = doc.respondent_id, 1
        while doc.respondent_id in state.used or doc.respondent_id in out.used:
            k += 1
            doc.respondent_id = f"{base}-{k}"
        if k > 1:
            result.notes.append(
                f"respondent id '{base}' already used by "
                f"{state.used.get(base) or out.used[base]}; this one is '{doc.respondent_id}'"
            )
        out.used[doc.respondent_id] = name
        where = name if row_limit is None else f"{name}, row {doc.source_row} (id '{base}')"
        try:
            with contextlib.ExitStack() as stack:
                if row_limit is not None:
                    stack.enter_context(time_limit(row_limit, where))
                seg = _describe_one(doc, name, state, out)
        except FileTimeout as exc:
            if row_limit is None:
                raise  # the file's time is up: _ingest_one fails the whole file
            seg, reason = None, str(exc)
        except Exception as exc:  # one document must not stop the run
            log.exception("%s: segmentation failed", name)
            seg, reason = (
                None,
                (
                    f"{name}: respondent '{doc.respondent_id}': segmentation failed "
                    f"({type(exc).__name__}: {exc}); please report it"
                ),
            )
        if seg is None:
            log.error("%s", reason)
            out.log_rows.append(_log_row(name, "failed", reason, **extra))
            continue
        records = seg if isinstance(seg, list) else seg.to_dict("records")
        bad = [
            r["question_id"] for r in records if doc.text[r["start"] : r["end"]] != r["answer_text"]
        ]
        if bad:
            result.notes.append(
                f"respondent '{doc.respondent_id}': answer offsets do not match the text for {bad}"
            )
        for r in records:
            w = r["warning"]
            if isinstance(w, str) and w:
                n_warnings += 1
                log.warning("%s (%s, %s): %s", name, doc.respondent_id, r["question_id"], w)
        if isinstance(seg, list) and not isinstance(seg, AnswerRows):
            survey_rows.extend(seg)
        else:
            out.answers.append(seg)
        row["n_respondents"] += 1
        row["n_answers"] += len(records)
        out.respondents.append(respondent_row(doc))
    if survey_rows:
        out.answers.append(pd.DataFrame(survey_rows, columns=schemas.ANSWERS.names))
    if n_warnings:
        result.notes.append(f"{n_warnings} segmentation warning(s): see answers.warning")
    if row["n_respondents"] == 0:
        row["status"] = "failed"
        result.notes.append("no usable respondents in the file")
    row["reason"] = "; ".join(result.notes) or None


def _describe_one(
    doc: schemas.Document, name: str, state: _RunState, out: _FileOutcome
) -> pd.DataFrame | list[dict] | AnswerRows:
    """Attach one document's metadata and segment it into ANSWERS rows."""
    entry = metadata_for(doc, state.meta)
    attach_metadata(
        doc,
        state.meta,
        state.consultation.respondent_types,
        state.consultation.attributes,
        state.consultation.organisation,
    )
    seg = _segment(doc, state.consultation)
    type_from_capacity_answer(doc, seg, state.consultation)
    retype(doc, seg, state.consultation)  # the learned scorer where the rules found no type
    if entry is not None:
        out.matched.add(id(entry))
    return seg


def _segment(
    doc: schemas.Document, consultation: Consultation
) -> pd.DataFrame | list[dict] | AnswerRows:
    """Segment one document into ANSWERS rows (indirection so tests can stub it).

    A survey row's answers come back as a list of ANSWERS-row dicts: an export
    of a million rows is made into one frame per file, not a frame per row
    (building and conforming a frame costs milliseconds, a dict microseconds).
    A document's come back as ``AnswerRows``, made into one frame with every
    other document's (``segment.run_frames``); a stub may return a frame.
    """
    from helpers.ingest.segment import segment_rows, survey_answer_rows

    if doc.survey_answers is not None:
        return survey_answer_rows(doc, consultation)
    return segment_rows(doc, consultation)
