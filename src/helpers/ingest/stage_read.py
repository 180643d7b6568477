"""Stage 1's reading of one input file: what was read, and the file's log row.

Split from :mod:`stage` (session 26) so the stage module keeps the run itself.
``_read_one`` reads one response file (hidden and unsupported files skipped
unread, the size checked before any byte is read, then through the parse cache
or, for a survey export, straight into columns: ``survey_stage``);
``_check_text_length`` enforces ``max_text_chars`` on every document read;
``_read_manifest`` reads the researcher's ``manifest.csv``; ``_log_row`` is the
shape of one ``ingest_log`` row. The untrusted-input rules these follow are in
:mod:`stage`'s docstring and docs/ingest.md.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from helpers.core import schemas
from helpers.core.consultation import Consultation, ConsultationError
from helpers.ingest import survey_stage
from helpers.ingest.cache import read_cached
from helpers.ingest.inputs import check_format, check_size, is_regular_inside, read_input
from helpers.ingest.readers import SUPPORTED, TABLE_READERS, ReadError, ReadResult, SkipFile
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits
from helpers.ingest.respondents import load_metadata

log = logging.getLogger("helpers.ingest.stage")  # the stage's logger, as before the split

# Survey CSV exports read straight into columns (``survey_columns``), not a Document per row.
COLUMNAR_SURVEYS = True


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
