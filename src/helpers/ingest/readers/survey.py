"""Survey exports (CSV or the first sheet of an XLSX): one respondent per row.

The consultation's ``survey:`` section maps the export's columns to
questions; each row becomes one Document whose text is synthesised as
``Q1. question / tick-box / free text`` with the answer spans given, so
segmentation takes them as they are. The respondent-type column is mapped
to a respondent type with the consultation's respondent-type words
(``ingest.respondent_types``).
"""

from __future__ import annotations

from helpers.core.consultation import Consultation, ConsultationError
from helpers.core.schemas import Document
from helpers.ingest.readers.base import ReadError, ReadResult
from helpers.ingest.readers.export_rows import column_index, export_rows
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits
from helpers.ingest.respondent_types import map_respondent_type
from helpers.ingest.textnorm import Cue, normalise


def read_survey(
    data: bytes,
    name: str,
    fmt: str,
    consultation: Consultation,
    file_sha: str,
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """One Document per data row of a survey export, pre-segmented by mapped column.

    The rows come from ``export_rows``, which bounds them by ``limits.max_rows``
    and notes malformed rows (broken quotes, extra cells, unsaved formulas).
    """
    mapping = consultation.survey
    if mapping is None:
        raise ReadError(
            f"{name}: a survey export needs a `survey:` section in the consultation file "
            f"({consultation.path or consultation.id}) mapping its columns to questions"
        )
    header, rows, enc, notes = export_rows(data, name, fmt, mapping.respondent_id, limits)
    wanted = {"respondent_id": mapping.respondent_id}
    if mapping.organisation:
        wanted["organisation"] = mapping.organisation
    if mapping.respondent_type:
        wanted["respondent_type"] = mapping.respondent_type
    for qid, cols in mapping.questions.items():
        for part in ("tick_box", "text"):
            if getattr(cols, part):
                wanted[f"{qid}.{part}"] = getattr(cols, part)
    idx = {k: column_index(header, col) for k, col in wanted.items()}
    missing = [k for k, i in idx.items() if i is None]
    if missing:  # the configuration does not fit the export: stop the run (exit 1)
        raise ConsultationError(
            f"{name}: column(s) named in the survey mapping of "
            f"{consultation.path or consultation.id} (consultation '{consultation.id}') are not "
            "in the export: "
            + "; ".join(f"'{wanted[k]}' (field {_field(k)})" for k in missing)
            + f"; columns present: {header}. Fix the column name in the consultation file or "
            "the export's header"
        )

    def get(row: list[str], key: str) -> str:
        i = idx.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    result = ReadResult(notes=notes)
    if enc and enc not in ("utf-8", "utf-8-sig"):
        result.notes.append(f"encoding {enc}")
    first_row: dict[str, int] = {}
    for n, row in rows:
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


def _field(key: str) -> str:
    """The consultation.yaml field naming a mapped column: 'q2.text' -> 'survey.questions.q2.text'."""
    return f"survey.questions.{key}" if "." in key else f"survey.{key}"


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
