"""Stage 1: read every response in an input folder into respondents and answers.

``run_ingest`` is the recipe: walk the folder; read each file with the
reader for its format (``readers``, through the parse cache, ``cache``; an
input folder unchanged since a cached run skips all of this: ``rerun``);
attach respondent metadata (a researcher's ``manifest.csv``, survey columns,
or inference from the text: ``respondents``); segment each document into
answers (``segment.segment_document``); and write
``respondents.parquet``, ``answers.parquet`` and ``ingest_log.parquet/.csv``,
plus ``copies.parquet``: groups of near-identical responses (campaign copies,
``campaigns.detect_copies``), and ``attributes.parquet``: each respondent's value
of every attribute the consultation declares (``ingest.attributes``).
One bad file never stops the run: every entry in the folder gets a log row
saying whether it was processed, skipped or failed, and why. See docs/ingest.md.

Respondents' files are untrusted input, so (rationale in docs/ingest.md,
"Untrusted input"):

- only regular files inside the input folder are read: symbolic links are
  never followed (a link to ``/etc/passwd`` would put a system file in the
  report), and FIFOs, sockets and devices are never opened (a FIFO blocks the
  run for ever); each is logged as skipped with what it is;
- each file is bounded by ``limits`` (``readers.limits``): its size is checked
  before its bytes are read, its text length after every read (cached or
  not), and reading plus segmenting it runs under ``max_seconds_per_file``, so
  a file over a limit fails alone and the run goes on;
- the log's CSV copy is written spreadsheet-safe (``core.safecsv``), since
  file names are chosen by whoever sent the file.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.consultation import Consultation, ConsultationError, load_consultation
from helpers.core.safecsv import write_csv
from helpers.ingest import rerun, survey_stage
from helpers.ingest.assemble import IngestResult, by_meaning, make_tables, respondent_row
from helpers.ingest.cache import read_cached
from helpers.ingest.campaign_source import type_campaign_sources
from helpers.ingest.capacity_types import (
    type_from_capacity_answer,
    type_unknown_from_capacity,
)
from helpers.ingest.inputs import (
    Entry,
    check_format,
    check_size,
    is_regular_inside,
    read_input,
    walk_inputs,
)
from helpers.ingest.readers import (
    SUPPORTED,
    TABLE_READERS,
    ReadError,
    ReadResult,
    SkipFile,
    read_file,
)
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import (
    DEFAULT_LIMITS,
    FileTimeout,
    Limits,
    parse_limits,
    time_limit,
)
from helpers.ingest.respondents import attach_metadata, load_metadata, metadata_for
from helpers.ingest.segment.answers import AnswerRows
from helpers.ingest.type_model import retype

__all__ = ["IngestResult", "read_document", "run_ingest"]

log = logging.getLogger(__name__)

# Survey CSV exports read straight into columns (``survey_columns``), not a Document per row.
COLUMNAR_SURVEYS = True


# --- Reading one file ----------------------------------------------------------


def read_document(
    path: str | Path,
    input_dir: str | Path,
    consultation: Consultation,
    limits: Limits | Mapping[str, Any] | None = None,
) -> list[schemas.Document]:
    """Read one input file into Documents (one, or one per survey-export row).

    Raises ReadError (the message names the file and what to do) or SkipFile
    (also for a symbolic link or a file that is not a regular file: the same
    rules as ``run_ingest``). Metadata and inference are not applied here; see
    ``run_ingest``.
    """
    limits = parse_limits(limits)
    input_dir = Path(input_dir)
    path = Path(path)
    if not os.path.lexists(path) and os.path.lexists(input_dir / path):
        path = input_dir / path  # given relative to the input folder
    try:
        name = path.absolute().relative_to(input_dir.absolute()).as_posix()
    except ValueError:  # a file outside the input folder: name it by its file name
        name = path.name
    check_format(path)  # an unsupported file is refused unread
    result = read_file(path, name, read_input(path, name, limits), consultation, limits)
    return _check_text_length(result, name, limits).documents


# --- The run ---------------------------------------------------------------------


def run_ingest(
    input_dir: str | Path,
    consultation_path: str | Path,
    output_dir: str | Path,
    metadata_file: str | None = "manifest.csv",
    cache_dir: str | Path | None = None,
    limits: Limits | Mapping[str, Any] | None = None,
) -> IngestResult:
    """Read, describe and segment every response in ``input_dir``; write the tables.

    ``limits`` bound the work one file may cause (a mapping as in run.yaml's
    ``limits:``, a :class:`Limits`, or None for the defaults; see ``readers.limits``).

    Raises ConsultationError for an invalid consultation file, or one whose
    survey mapping names a column an export does not have (the message names
    the file, the column and the field), and FileNotFoundError for a missing
    input folder; other problems with individual files are logged (status
    failed/skipped) and never stop the run.
    """
    consultation = load_consultation(consultation_path)
    limits = parse_limits(limits)
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"{input_dir}: input folder not found")
    cache = Path(cache_dir) if cache_dir is not None else None
    exclude = [p.resolve() for p in (output_dir, cache) if p is not None]
    if cache is not None:  # the stage cache: unchanged inputs, the tables a run wrote
        key, shas = rerun.ingest_key(
            input_dir, Path(consultation_path), consultation, metadata_file, limits, exclude
        )
        tables = rerun.restore(cache, key, output_dir)
        if tables is not None:
            return IngestResult(*tables)
    meta_path = input_dir / metadata_file if metadata_file else None
    meta, meta_row = _read_manifest(input_dir, meta_path, metadata_file, consultation, limits)

    # Read, describe and segment each file in turn, each within its time limit; every
    # entry gets a log row saying processed, skipped or failed, and why.
    log_rows: list[dict] = [meta_row] if meta_row else []
    state = _RunState(consultation, meta, cache, limits)
    for entry in tqdm(
        walk_inputs(input_dir, exclude), desc="Reading responses", unit="file", disable=None
    ):
        if meta_row is not None and entry.path == meta_path:
            continue  # the manifest: read above, already has its row
        if entry.skip is not None:
            status, reason = entry.skip
            log.info("%s: %s: %s", entry.name, status, reason)
            log_rows.append(_log_row(entry.name, status, reason, source_format=entry.fmt))
            continue
        log_rows.extend(_ingest_one(entry, state))

    unmatched = [k for k, v in meta.items() if id(v) not in state.matched]
    if unmatched and meta_row is not None:
        msg = f"{metadata_file}: entries that match no respondent read: {unmatched}"
        log.warning(msg)
        meta_row["reason"] += f"; {msg}"

    # Text no heading placed, read by meaning against what the run's answers say.
    answers = by_meaning(state.respondents, state.answers, consultation)
    type_unknown_from_capacity(state.respondents, answers, consultation)
    # The tables, with campaign copies found among the respondents; written.
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    texts = {q.id: q.text for q in consultation.questions}  # never an answer's own wording
    result = make_tables(
        state.respondents, answers, log_rows, profile, consultation.attributes, texts
    )
    # A named body whose answers others sent as theirs is the campaign (session 24).
    result = dataclasses.replace(
        result, respondents=type_campaign_sources(result.respondents, result.copies)
    )
    _write(result, output_dir)
    if cache is not None:
        rerun.store(cache, key, output_dir, result.log, shas)
    return result


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


def _ingest_one(entry: Entry, state: _RunState) -> list[dict]:
    """Read, describe and segment one file within ``max_seconds_per_file``; its log rows.

    How the time is bounded, and why:

    - A one-respondent document is read and segmented under one budget, since a
      hostile file can stall either (a huge parse, or a text that makes
      segmentation slow). Its respondent joins the run only if it finishes in
      time; otherwise the file fails with a timeout row.
    - A survey export is read under the budget; then each row (a respondent)
      is segmented under a budget of its own, and a row that stalls fails
      alone, as a segmentation error does. One budget for a whole export would
      fail every large export: segmenting a million rows takes far longer than
      any sensible per-file limit, yet each row is quick.
    """
    limit = state.limits.max_seconds_per_file
    rows_left: ReadResult | None = None
    try:
        with time_limit(limit, entry.name):
            result, row = _read_one(
                entry.path, entry.name, state.consultation, state.cache, state.limits, entry.size
            )
            outcome = _FileOutcome([row])
            if result is not None and entry.fmt in TABLE_READERS:
                rows_left = result  # segmented row by row below, each within the limit
            elif result is not None:
                _describe_and_segment(entry.name, result, row, state, outcome)
    except FileTimeout as exc:
        log.error("%s", exc)
        return [_log_row(entry.name, "failed", str(exc), source_format=entry.fmt)]
    if rows_left is not None:
        _describe_and_segment(entry.name, rows_left, row, state, outcome, row_limit=limit)
    state.respondents.extend(outcome.respondents)
    state.answers.extend(outcome.answers)
    state.used.update(outcome.used)
    state.matched |= outcome.matched
    return outcome.log_rows


def _read_manifest(
    input_dir: Path,
    meta_path: Path | None,
    metadata_file: str | None,
    consultation: Consultation,
    limits: Limits,
) -> tuple[dict, dict | None]:
    """The researcher's respondent metadata (if the file is there) and its log row.

    Like a response, the manifest is read only if it is a regular file inside
    the input folder (a link to a CSV elsewhere is logged as a skipped link by
    the folder walk instead) and within ``max_file_mb``.
    """
    if meta_path is None or not is_regular_inside(meta_path, input_dir):
        return {}, None
    data: bytes | None = None
    try:
        data = read_input(meta_path, metadata_file, limits)
        meta, warnings = load_metadata(meta_path, consultation.respondent_types, data=data)
    except (csv.Error, OSError, ReadError, SkipFile) as exc:
        meta, warnings = {}, [f"{metadata_file}: could not be read ({exc}); metadata ignored"]
    for w in warnings:
        log.warning(w)
    meta_row = _log_row(metadata_file, "skipped", "; ".join([schemas.METADATA_REASON, *warnings]))
    meta_row["source_format"] = "csv"
    meta_row["sha256"] = sha256(data) if data is not None else None
    return meta, meta_row


def _read_one(
    path: Path,
    name: str,
    consultation: Consultation,
    cache: Path | None,
    limits: Limits = DEFAULT_LIMITS,
    size: int | None = None,
) -> tuple[ReadResult | None, dict]:
    """Read one file; return what was read (None if skipped/failed) and its log row.

    Order matters: hidden files and unsupported extensions are skipped before
    the file is opened, whatever their size or what the cache holds; the size
    (``size``, from ``lstat``) is checked before any byte is read; the text
    length is checked after reading, whether the parse came from the cache or
    not. None of these depends on the cache.
    """
    fmt = SUPPORTED.get(path.suffix.lower())
    if any(part.startswith((".", "~$")) for part in Path(name).parts):
        return None, _log_row(name, "skipped", "hidden or temporary file")
    data: bytes | None = None
    sha: str | None = None  # a file read into columns is hashed as it is read
    try:
        check_format(path)  # an unsupported file is skipped unread, whatever its size
        if size is not None:
            check_size(name, size, limits)
        if COLUMNAR_SURVEYS and survey_stage.columnar(fmt, name, consultation, cache):
            result, sha = survey_stage.read_columns(path, name, fmt, consultation, limits)
        else:
            data = read_input(path, name, limits)
            result, _ = read_cached(path, name, consultation, cache, limits, data=data)
            result = _check_text_length(result, name, limits)
    except SkipFile as exc:
        log.info("%s: skipped: %s", name, exc)
        return None, _log_row(name, "skipped", str(exc), source_format=fmt)
    except ReadError as exc:
        log.error("%s", exc)
        sha = sha256(data) if data is not None else sha
        return None, _log_row(name, "failed", str(exc), source_format=fmt, sha256=sha)
    except ConsultationError:
        raise  # the configuration does not fit the input (a survey column missing): stop the run
    except Exception as exc:  # a reader bug must not stop the run
        log.exception("%s: unexpected error", name)
        reason = f"{name}: unexpected error while reading ({type(exc).__name__}: {exc}); please report it"
        return None, _log_row(name, "failed", reason, source_format=fmt)
    row = _log_row(
        name,
        "processed",
        source_format=fmt,
        sha256=sha256(data) if data is not None else sha,
        encoding=(
            result.tables.encoding
            if result.tables is not None
            else next((d.encoding for d in result.documents if d.encoding), None)
        ),
    )
    return result, row


def _check_text_length(result: ReadResult, name: str, limits: Limits) -> ReadResult:
    """Enforce ``max_text_chars`` on every document read, before it is segmented.

    A one-respondent document over the limit fails its file (ReadError); an
    over-long survey row is dropped with a failed row of its own, and the
    rest of the export goes on. Segmentation time and memory grow with the
    text, so this bounds them whatever the reader or the cache returned.
    """
    limit = limits.max_text_chars
    fix = "split the response or raise limits.max_text_chars in run.yaml"
    kept = []
    for doc in result.documents:
        n = len(doc.text)
        if n <= limit:
            kept.append(doc)
        elif doc.source_format not in TABLE_READERS:
            raise ReadError(
                f"{name}: text is {n:,} characters, over the limit of {limit:,} "
                f"(limits.max_text_chars); {fix}"
            )
        else:
            result.row_problems.append(
                (
                    "failed",
                    f"row {doc.source_row} (id '{doc.respondent_id}'): text is {n:,} characters, "
                    f"over the limit of {limit:,} (limits.max_text_chars); row dropped; {fix}",
                )
            )
    result.documents = kept
    return result


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


def _write(result: IngestResult, output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    result.respondents.to_parquet(output_dir / "respondents.parquet", index=False)
    result.answers.to_parquet(output_dir / "answers.parquet", index=False)
    result.log.to_parquet(output_dir / "ingest_log.parquet", index=False)
    write_csv(result.log, output_dir / "ingest_log.csv")  # spreadsheet-safe; Parquet stays raw
    result.copies.to_parquet(output_dir / "copies.parquet", index=False)
    result.attributes.to_parquet(output_dir / "attributes.parquet", index=False)
    counts = result.log["status"].value_counts().to_dict()
    log.info(
        "ingest: %d respondents, %d answers; files %s",
        len(result.respondents),
        len(result.answers),
        counts,
    )
    log.info(
        "ingest: %d campaign copy group(s) covering %d respondent(s) (see copies.parquet)",
        result.copies["copy_group"].nunique(),
        len(result.copies),
    )


def _log_row(file: str, status: str, reason: str | None = None, **kw) -> dict:
    row = {
        "file": file,
        "status": status,
        "reason": reason,
        "source_format": None,
        "encoding": None,
        "n_respondents": 0,
        "n_answers": 0,
        "sha256": None,
    }
    row.update(kw)
    return row
