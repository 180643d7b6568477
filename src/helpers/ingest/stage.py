"""Stage 1: read every response in an input folder into respondents and answers.

``run_ingest`` is the recipe: walk the folder; read each file with the
reader for its format (``readers``, through the parse cache, ``cache``);
attach respondent metadata (a researcher's ``manifest.csv``, survey columns,
or inference from the text: ``respondents``); segment each document into
answers (``segment.segment_document``); and write
``respondents.parquet``, ``answers.parquet`` and ``ingest_log.parquet/.csv``,
plus ``copies.parquet``: groups of near-identical responses (campaign copies,
``campaigns.detect_copies``).
One bad file never stops the run: every file gets a log row saying whether
it was processed, skipped or failed, and why. See docs/ingest.md.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.ingest.cache import read_cached
from helpers.ingest.campaigns import detect_copies
from helpers.ingest.readers import SUPPORTED, ReadError, ReadResult, SkipFile, read_file
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits, parse_limits
from helpers.ingest.respondents import attach_metadata, load_metadata, metadata_for

__all__ = ["IngestResult", "read_document", "run_ingest"]

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """The tables ``run_ingest`` writes (RESPONDENTS, ANSWERS, INGEST_LOG, COPIES)."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    log: pd.DataFrame
    copies: pd.DataFrame = dataclasses.field(default_factory=lambda: schemas.empty(schemas.COPIES))


# --- Reading one file ----------------------------------------------------------


def read_document(
    path: str | Path, input_dir: str | Path, consultation: Consultation
) -> list[schemas.Document]:
    """Read one input file into Documents (one, or one per survey-export row).

    Raises ReadError (the message names the file and what to do) or SkipFile.
    Metadata and inference are not applied here; see ``run_ingest``.
    """
    input_dir = Path(input_dir)
    path = Path(path)
    if not path.exists() and (input_dir / path).exists():
        path = input_dir / path  # given relative to the input folder
    try:
        name = path.resolve().relative_to(input_dir.resolve()).as_posix()
    except ValueError:  # a file outside the input folder: name it by its file name
        name = path.name
    return read_file(path, name, path.read_bytes(), consultation).documents


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

    Raises ConsultationError for an invalid consultation file and
    FileNotFoundError for a missing input folder; problems with individual
    files are logged (status failed/skipped) and never stop the run.
    """
    consultation = load_consultation(consultation_path)
    limits = parse_limits(limits)
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"{input_dir}: input folder not found")
    cache = Path(cache_dir) if cache_dir is not None else None
    meta_path = input_dir / metadata_file if metadata_file else None
    meta, meta_row = _read_manifest(meta_path, metadata_file, consultation)

    # 1. Read every file (its log row says processed, skipped or failed, and why).
    exclude = [p.resolve() for p in (output_dir, cache) if p is not None]
    files = [p for p in _input_files(input_dir, exclude) if p != meta_path]
    log_rows: list[dict] = [meta_row] if meta_row else []
    read: list[tuple[str, ReadResult, dict]] = []  # (file, what was read, its log row)
    for path in tqdm(files, desc="Reading responses", unit="file", disable=None):
        name = path.relative_to(input_dir).as_posix()
        result, row = _read_one(path, name, consultation, cache, limits)
        log_rows.append(row)
        if result is not None:
            read.append((name, result, row))

    # 2. Say who each respondent is, and segment their answers.
    respondents, answers, matched = _describe_and_segment(read, consultation, meta, log_rows)
    unmatched = [k for k, v in meta.items() if id(v) not in matched]
    if unmatched and meta_row is not None:
        msg = f"{metadata_file}: entries that match no respondent read: {unmatched}"
        log.warning(msg)
        meta_row["reason"] += f"; {msg}"

    # 3. The tables, with campaign copies found among the respondents; written.
    result = _tables(respondents, answers, log_rows)
    _write(result, output_dir)
    return result


def _read_manifest(
    meta_path: Path | None, metadata_file: str | None, consultation: Consultation
) -> tuple[dict, dict | None]:
    """The researcher's respondent metadata (if the file is there) and its log row."""
    if meta_path is None or not meta_path.is_file():
        return {}, None
    try:
        meta, warnings = load_metadata(meta_path, consultation.respondent_types)
    except (csv.Error, OSError, ReadError) as exc:
        meta, warnings = {}, [f"{metadata_file}: could not be read ({exc}); metadata ignored"]
    for w in warnings:
        log.warning(w)
    meta_row = _log_row(
        metadata_file, "skipped", "; ".join(["respondent metadata file", *warnings])
    )
    meta_row["source_format"] = "csv"
    meta_row["sha256"] = sha256(meta_path.read_bytes())
    return meta, meta_row


def _read_one(
    path: Path,
    name: str,
    consultation: Consultation,
    cache: Path | None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[ReadResult | None, dict]:
    """Read one file; return what was read (None if skipped/failed) and its log row."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if any(part.startswith((".", "~$")) for part in Path(name).parts):
        return None, _log_row(name, "skipped", "hidden or temporary file")
    try:
        result, cached = read_cached(path, name, consultation, cache, limits)
    except SkipFile as exc:
        log.info("%s: skipped: %s", name, exc)
        return None, _log_row(name, "skipped", str(exc), source_format=fmt)
    except ReadError as exc:
        log.error("%s", exc)
        return None, _log_row(
            name, "failed", str(exc), source_format=fmt, sha256=sha256(path.read_bytes())
        )
    except Exception as exc:  # a reader bug must not stop the run
        log.exception("%s: unexpected error", name)
        reason = f"{name}: unexpected error while reading ({type(exc).__name__}: {exc}); please report it"
        return None, _log_row(name, "failed", reason, source_format=fmt)
    if cached:
        result.notes.insert(0, "cached parse reused")
    row = _log_row(
        name,
        "processed",
        source_format=fmt,
        sha256=sha256(path.read_bytes()),
        encoding=next((d.encoding for d in result.documents if d.encoding), None),
    )
    return result, row


def _describe_and_segment(
    read: list[tuple[str, ReadResult, dict]],
    consultation: Consultation,
    meta: dict,
    log_rows: list[dict],
) -> tuple[list[dict], list[pd.DataFrame], set[int]]:
    """Give each document a unique id and its metadata, then segment it.

    Returns respondent rows, answer frames and the ids of the metadata entries
    used; appends per-row problems to ``log_rows`` and fills in each file's row.
    """
    respondents: list[dict] = []
    answers: list[pd.DataFrame] = []
    used: dict[str, str] = {}
    matched: set[int] = set()
    for name, result, row in read:
        extra = {"source_format": row["source_format"], "sha256": row["sha256"]}
        for status, reason in result.row_problems:
            log.warning("%s: %s", name, reason)
            log_rows.append(_log_row(name, status, f"{name}: {reason}", **extra))
        n_warnings = 0
        for doc in result.documents:
            base, k = doc.respondent_id, 1
            while doc.respondent_id in used:
                k += 1
                doc.respondent_id = f"{base}-{k}"
            if k > 1:
                result.notes.append(
                    f"respondent id '{base}' already used by {used[base]}; "
                    f"this one is '{doc.respondent_id}'"
                )
            used[doc.respondent_id] = name
            entry = metadata_for(doc, meta)
            if entry is not None:
                matched.add(id(entry))
            attach_metadata(doc, meta, consultation.respondent_types)
            try:
                seg = _segment(doc, consultation)
            except Exception as exc:  # one document must not stop the run
                log.exception("%s: segmentation failed", name)
                reason = (
                    f"{name}: respondent '{doc.respondent_id}': segmentation failed "
                    f"({type(exc).__name__}: {exc}); please report it"
                )
                log_rows.append(_log_row(name, "failed", reason, **extra))
                continue
            bad = [
                r.question_id
                for r in seg.itertuples()
                if doc.text[int(r.start) : int(r.end)] != r.answer_text
            ]
            if bad:
                result.notes.append(
                    f"respondent '{doc.respondent_id}': answer offsets do not match the text for {bad}"
                )
            for r in seg.itertuples():
                if isinstance(r.warning, str) and r.warning:
                    n_warnings += 1
                    log.warning(
                        "%s (%s, %s): %s", name, doc.respondent_id, r.question_id, r.warning
                    )
            answers.append(seg)
            row["n_respondents"] += 1
            row["n_answers"] += len(seg)
            respondents.append(_respondent_row(doc))
        if n_warnings:
            result.notes.append(f"{n_warnings} segmentation warning(s): see answers.warning")
        if row["n_respondents"] == 0:
            row["status"] = "failed"
            result.notes.append("no usable respondents in the file")
        row["reason"] = "; ".join(result.notes) or None
    return respondents, answers, matched


def _segment(doc: schemas.Document, consultation: Consultation) -> pd.DataFrame:
    """Segment one document into ANSWERS rows (indirection so tests can stub it)."""
    from helpers.ingest.segment import segment_document

    return segment_document(doc, consultation)


def _respondent_row(doc: schemas.Document) -> dict:
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
    }


def _tables(
    respondents: list[dict], answers: list[pd.DataFrame], log_rows: list[dict]
) -> IngestResult:
    """Conform the rows to their schemas and find campaign copies."""
    # Files were walked in sorted order; a stable sort keeps each file's own row
    # before its per-row problems.
    log_rows.sort(key=lambda r: r["file"])
    resp_df = schemas.conform(
        pd.DataFrame(respondents, columns=schemas.RESPONDENTS.names), schemas.RESPONDENTS
    )
    ans_df = (
        schemas.conform(pd.concat(answers, ignore_index=True), schemas.ANSWERS)
        if answers
        else schemas.empty(schemas.ANSWERS)
    )
    log_df = schemas.conform(
        pd.DataFrame(log_rows, columns=schemas.INGEST_LOG.names), schemas.INGEST_LOG
    )
    copies_df = detect_copies(resp_df, answers=ans_df)
    return IngestResult(resp_df, ans_df, log_df, copies_df)


def _write(result: IngestResult, output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    result.respondents.to_parquet(output_dir / "respondents.parquet", index=False)
    result.answers.to_parquet(output_dir / "answers.parquet", index=False)
    result.log.to_parquet(output_dir / "ingest_log.parquet", index=False)
    result.log.to_csv(output_dir / "ingest_log.csv", index=False)
    result.copies.to_parquet(output_dir / "copies.parquet", index=False)
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


def _input_files(input_dir: Path, exclude: list[Path]) -> list[Path]:
    """Every file under ``input_dir`` in sorted order, minus output/cache folders inside it."""
    out = []
    for p in input_dir.rglob("*"):
        if not p.is_file():
            continue
        resolved = p.resolve()
        if any(resolved.is_relative_to(x) for x in exclude):
            continue
        out.append(p)
    return sorted(out, key=lambda p: p.relative_to(input_dir).as_posix())
