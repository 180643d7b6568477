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

import dataclasses
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.arrowmemory import trim_heap
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.safecsv import write_csv
from helpers.ingest import rerun
from helpers.ingest.assemble import IngestResult, by_meaning, make_tables
from helpers.ingest.campaign_source import type_campaign_sources
from helpers.ingest.capacity_types import type_unknown_from_capacity
from helpers.ingest.inputs import Entry, check_format, read_input, walk_inputs
from helpers.ingest.readers import TABLE_READERS, ReadResult, read_file
from helpers.ingest.readers.limits import FileTimeout, Limits, parse_limits, time_limit
from helpers.ingest.stage_describe import _describe_and_segment, _FileOutcome, _RunState
from helpers.ingest.stage_read import _check_text_length, _log_row, _read_manifest, _read_one

__all__ = ["IngestResult", "read_document", "run_ingest"]

log = logging.getLogger(__name__)


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
    # The tables, with campaign copies found among the respondents; written. Reading and
    # segmenting left freed memory the C heap keeps: handed back before detection's peak.
    trim_heap()
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
