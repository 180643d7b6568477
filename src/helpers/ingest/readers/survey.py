"""Survey exports (CSV or the first sheet of an XLSX): one respondent per row.

The consultation's ``survey:`` section maps the export's columns to
questions; each row becomes one Document whose text is synthesised as
``Q1. question / tick-box / free text`` with the answer spans given, so
segmentation takes them as they are. The respondent-type column is mapped
to a respondent type with the consultation's respondent-type words
(``ingest.respondent_types``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from helpers.core.consultation import Consultation
from helpers.core.schemas import Document
from helpers.ingest.readers.base import ReadError, ReadResult
from helpers.ingest.readers.text import decode
from helpers.ingest.respondent_types import map_respondent_type
from helpers.ingest.textnorm import Cue, normalise


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


HEADER_SEARCH_ROWS = 10  # title or notes rows an export may have above its header


def _header_at(rows: list[list[str]], id_column: str) -> int | None:
    """Index of the first row (among the first few) holding the respondent id column."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _column_index([c.strip() for c in row], id_column) is not None:
            return i
    return None


def _survey_rows(
    data: bytes, name: str, fmt: str, id_column: str
) -> tuple[list[str], list[list[str]], str | None, list[str]]:
    """Header, data rows (cells as strings), encoding and notes of a CSV/XLSX export.

    The header is the first row holding the respondent id column (so title
    rows above it are allowed); for CSV the delimiter is the one (comma,
    semicolon as European Excel writes, tab) under which that row is found.
    """
    notes: list[str] = []
    if fmt == "csv":
        text, enc, _ = decode(data, name)
        parsed = {
            d: list(csv.reader(io.StringIO(text, newline=""), delimiter=d))
            for d in (",", ";", "\t")
        }
        found = [d for d, rows in parsed.items() if _header_at(rows, id_column) is not None]
        delimiter = found[0] if found else ","
        rows = parsed[delimiter]
        if delimiter != ",":
            notes.append("semicolon-separated" if delimiter == ";" else "tab-separated")
    else:
        import zipfile

        import openpyxl

        enc = None
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ReadError(
                f"{name}: not a valid Excel .xlsx file (corrupt or renamed?): {exc}"
            ) from exc
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if len(wb.worksheets) > 1:
            notes.append(
                f"read sheet '{ws.title}'; {len(wb.worksheets) - 1} other sheet(s) ignored"
            )
        wb.close()
    if not rows:
        raise ReadError(f"{name}: the export is empty (no header row)")
    at = _header_at(rows, id_column) or 0
    if at:
        notes.append(f"header found on line {at + 1}")
    header = [h.strip() for h in rows[at]]
    return header, rows[at + 1 :], enc, notes


def _column_index(header: list[str], wanted: str) -> int | None:
    if wanted in header:
        return header.index(wanted)
    folded = [h.casefold() for h in header]
    return folded.index(wanted.casefold()) if wanted.casefold() in folded else None


def read_survey(
    data: bytes, name: str, fmt: str, consultation: Consultation, file_sha: str
) -> ReadResult:
    """One Document per data row of a survey export, pre-segmented by mapped column."""
    mapping = consultation.survey
    if mapping is None:
        raise ReadError(
            f"{name}: a survey export needs a `survey:` section in the consultation file "
            f"({consultation.path or consultation.id}) mapping its columns to questions"
        )
    header, rows, enc, notes = _survey_rows(data, name, fmt, mapping.respondent_id)
    wanted = {"respondent_id": mapping.respondent_id}
    if mapping.organisation:
        wanted["organisation"] = mapping.organisation
    if mapping.respondent_type:
        wanted["respondent_type"] = mapping.respondent_type
    for qid, cols in mapping.questions.items():
        for part in ("tick_box", "text"):
            if getattr(cols, part):
                wanted[f"{qid}.{part}"] = getattr(cols, part)
    idx = {k: _column_index(header, col) for k, col in wanted.items()}
    missing = sorted({wanted[k] for k, i in idx.items() if i is None})
    if missing:
        raise ReadError(
            f"{name}: column(s) {missing} named in the consultation's survey mapping are not in "
            f"the export; columns present: {header}"
        )

    def get(row: list[str], key: str) -> str:
        i = idx.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    result = ReadResult(notes=notes)
    if enc and enc not in ("utf-8", "utf-8-sig"):
        result.notes.append(f"encoding {enc}")
    first_row: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        rid = get(row, "respondent_id")
        if not rid:
            result.row_problems.append(
                (
                    "failed",
                    f"row {n}: empty respondent id column '{mapping.respondent_id}'; row dropped",
                )
            )
            continue
        if rid in first_row:
            result.row_problems.append(
                (
                    "failed",
                    f"rows {first_row[rid]} and {n}: duplicated respondent id '{rid}'; "
                    f"kept row {first_row[rid]}, dropped row {n}",
                )
            )
            continue
        first_row[rid] = n
        doc = _survey_document(row, n, rid, get, name, fmt, consultation, file_sha, enc)
        if doc.survey_answers:
            result.documents.append(doc)
        else:
            result.row_problems.append(
                ("skipped", f"row {n} (id '{rid}'): no answer in any mapped column")
            )
        rtype_raw = get(row, "respondent_type")
        if rtype_raw and map_respondent_type(rtype_raw, consultation.respondent_types) is None:
            result.notes.append(
                f"row {n}: respondent type '{rtype_raw}' not recognised, set to other"
            )
    return result


def _survey_document(row, n, rid, get, name, fmt, consultation, file_sha, enc) -> Document:
    """Synthesise ``Q1. question\\ntick-box\\nfree text\\n\\n...`` and the answer spans."""
    mapping = consultation.survey
    text = ""
    cues: list[Cue] = []
    answers: dict[str, tuple[int, int, str | None]] = {}
    for q in consultation.questions:
        if q.id not in mapping.questions:
            continue
        tick = normalise(get(row, f"{q.id}.tick_box")) or None
        free = normalise(get(row, f"{q.id}.text"))
        if not tick and not free:
            continue
        if text:
            text += "\n\n"
        heading = f"Q{q.number}. {q.text}" if q.number is not None else q.text
        cues.append((len(text), len(text) + len(heading), "survey_column"))
        text += heading
        if tick:
            text += "\n" + tick
        text += "\n" if free else ""
        answers[q.id] = (len(text), len(text) + len(free), tick)
        text += free
    org = normalise(get(row, "organisation")) or None
    rtype_raw = get(row, "respondent_type")
    rtype = map_respondent_type(rtype_raw, consultation.respondent_types) or (
        "other" if rtype_raw else None
    )
    return Document(
        respondent_id=rid,
        text=text,
        source_file=name,
        source_format=fmt,
        source_sha256=file_sha,
        source_row=n,
        encoding=enc,
        cues=cues,
        organisation=org,
        organisation_source="survey" if org else "none",
        respondent_type=rtype or "unknown",
        respondent_type_source="survey" if rtype else "none",
        survey_answers=answers,
    )
