"""``run_ingest``'s steps for a survey export read into columns (``survey_columns``).

What ``stage`` does to a survey export's Documents one at a time (``_read_one``,
``_describe_and_segment``), done to the file's frames at once, with the same outcome:
the file read from disk in chunks and hashed as it is read (``readers.file_text``); a
respondent id another file already used renamed ``ID-2``, ``ID-3`` … with a note; a
manifest entry for a respondent id (``id:…``) giving its organisation, type and manifest
attributes; the file's log row counting respondents and answers.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.ingest.inputs import open_input, read_input
from helpers.ingest.readers import ReadError, ReadResult
from helpers.ingest.readers.archive import ZIP_FORMATS, check_zip
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.file_text import FileText
from helpers.ingest.readers.limits import Limits
from helpers.ingest.readers.survey import read_survey
from helpers.ingest.survey_columns import ATTR, ATTR_SOURCE, ColumnRows

log = logging.getLogger(__name__)


def columnar(fmt: str | None, name: str, consultation: Consultation, cache: Path | None) -> bool:
    """Whether a file is read into columns: a survey export (CSV or XLSX) a mapping applies
    to, when no parse cache is kept (the cache stores Documents: ``cache``)."""
    return fmt in ("csv", "xlsx") and cache is None and bool(consultation.surveys_for(name))


def read_columns(
    path: Path, name: str, fmt: str, consultation: Consultation, limits: Limits
) -> tuple[ReadResult, str]:
    """The export read into columns (``result.tables``), and the file's sha256.

    A CSV is read from the file in chunks (``FileText``); an XLSX as ``read_file`` reads
    it (its bytes, the zip checked before openpyxl inflates it), then row by row.
    """
    rows = functools.partial(ColumnRows, max_text_chars=limits.max_text_chars)
    if fmt == "csv":
        source = FileText(
            path, name, functools.partial(open_input, limits=limits), limits.max_file_bytes
        )
        size, sha = source.size, source.sha256
    else:
        source = read_input(path, name, limits)
        size, sha = len(source), sha256(source)
    if not size:
        raise ReadError(f"{name}: empty file (0 bytes)")
    if fmt in ZIP_FORMATS:
        check_zip(source, name, limits)
    result = read_survey(source, name, fmt, consultation, sha, limits, rows_class=rows)
    return result, sha


def describe_columns(name: str, result: ReadResult, row: dict, state, out, log_row) -> None:
    """``stage_describe._describe_and_segment`` for a file read into columns (module docstring)."""
    extra = {"source_format": row["source_format"], "sha256": row["sha256"]}
    for status, reason in result.row_problems:
        log.warning("%s: %s", name, reason)
        out.log_rows.append(log_row(name, status, f"{name}: {reason}", **extra))
    tables = result.tables
    resp, ans = tables.respondents(), tables.answers()
    ids = resp["respondent_id"]
    if state.used or out.used:
        taken = ids.isin(list(state.used) + list(out.used))
        if taken.any():
            resp, ans = _renamed(name, resp, ans, result.notes, state, out)
            ids = resp["respondent_id"]
    out.used.update(dict.fromkeys(ids.tolist(), name))
    if any(k.startswith("id:") for k in state.meta):
        _with_metadata(resp, state, out)
    row["n_respondents"] += len(resp)
    row["n_answers"] += len(ans)
    if len(resp):
        out.respondents.append(resp)
        out.answers.append(ans)
    if row["n_respondents"] == 0:
        row["status"] = "failed"
        result.notes.append("no usable respondents in the file")
    row["reason"] = "; ".join(result.notes) or None


def _renamed(name, resp, ans, notes, state, out) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ids another file (or an earlier rename) took, renamed as ``stage`` renames them."""
    new_ids = []
    mine: set[str] = set()
    for base in resp["respondent_id"].tolist():
        rid, k = base, 1
        while rid in state.used or rid in out.used or rid in mine:
            k += 1
            rid = f"{base}-{k}"
        if k > 1:
            first = state.used.get(base) or out.used.get(base) or name
            notes.append(f"respondent id '{base}' already used by {first}; this one is '{rid}'")
        mine.add(rid)
        new_ids.append(rid)
    mapping = dict(zip(resp["respondent_id"].tolist(), new_ids, strict=True))
    resp = resp.assign(respondent_id=pd.array(new_ids, dtype="string"))
    ans = ans.assign(
        respondent_id=pd.array([mapping[r] for r in ans["respondent_id"].tolist()], dtype="string")
    )
    return resp, ans


def _with_metadata(resp: pd.DataFrame, state, out) -> None:
    """A manifest entry's organisation, type and attributes on the respondent it names."""
    meta = state.meta
    attributes = state.consultation.attributes
    for i, rid in enumerate(resp["respondent_id"].tolist()):
        entry = meta.get(f"id:{rid}")
        if entry is None:
            continue
        out.matched.add(id(entry))
        fields = entry.get("fields") or {}
        for attr in attributes:
            value = fields.get(attr.manifest.casefold()) if attr.manifest else None
            if value:
                resp.iat[i, resp.columns.get_loc(ATTR + attr.id)] = value
                resp.iat[i, resp.columns.get_loc(ATTR_SOURCE + attr.id)] = "metadata"
        if entry.get("organisation"):
            resp.iat[i, resp.columns.get_loc("organisation")] = entry["organisation"]
            resp.iat[i, resp.columns.get_loc("organisation_source")] = "metadata"
        if entry.get("respondent_type"):
            resp.iat[i, resp.columns.get_loc("respondent_type")] = entry["respondent_type"]
            resp.iat[i, resp.columns.get_loc("respondent_type_source")] = "metadata"
