"""Survey exports (CSV or the first sheet of an XLSX): one respondent per row.

The consultation's ``survey:`` section maps the export's columns to
questions; each row becomes one Document whose text is synthesised as
``Q1. question / tick-box / free text`` with the answer spans given, so
segmentation takes them as they are. The respondent-type column is mapped
to a respondent type with the consultation's respondent-type words
(``ingest.respondent_types``).

Every row is a respondent (docs/survey-exports.md):

- a row with an id and nothing else answered nothing, and is kept: its text
  is empty and every mapped question gets an empty answer, so the report
  counts it among those who responded and did not answer;
- a row with answers but an empty id cell is kept under the id ``row-N``
  (N its data row), with a note: the answers are the respondent's, the id is
  the platform's;
- a row with nothing in any cell is no respondent (``export_rows`` notes how
  many there were); a duplicated id keeps the first row and fails the others.

Speed: an export may hold a million rows, so the work per row is a few dict
look-ups and string joins. Cells are normalised through a per-file memo
(tick-box values, organisations and types repeat) and a cell that is plain
one-line ASCII with no stray spaces, which ``normalise`` would return as it
is, is not passed through it at all (``clean_cell``). ``run_ingest`` reads an export
into columns rather than Documents (``ingest.survey_columns``: ``rows_class``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from helpers.core.consultation import Consultation, ConsultationError, SurveyMapping
from helpers.core.schemas import Document
from helpers.ingest.readers.base import ReadError, ReadResult
from helpers.ingest.readers.csv_stream import ChunkedText
from helpers.ingest.readers.export_rows import (
    MAX_NOTED,
    CsvRowStream,
    IdColumn,
    column_index,
    csv_row_stream,
    export_rows,
)
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits
from helpers.ingest.respondent_types import map_respondent_type, survey_row_type
from helpers.ingest.textnorm import Cue, normalise

_METADATA = ("respondent_id", "organisation", "respondent_type")
_MEMO_CHARS, _MEMO_SIZE = 200, 100_000  # memoised cells: at most this long, this many
_NONE = 1 << 62  # the column index of an unmapped part: past the end of every row
_ATTR = "attribute:"  # key prefix of an attribute's column (consultation ``attributes:``)


def _plain(value: str) -> bool:
    """True when ``normalise(value) == value``, decided without running it.

    Printable ASCII has no line breaks, tabs, invisible or odd spaces,
    ligatures or bullet glyphs; with no leading, trailing or doubled space and
    no "* "/"- " list marker at the start, no step of ``normalise`` changes it.
    """
    return (
        value.isascii()
        and value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and not (value[:1] in "*-" and value[1:2] == " ")
    )


def clean_cell(value: str, memo: dict[str, str]) -> str:
    """``normalise(value)``, fast for plain cells and repeated values (``memo``)."""
    if not value or _plain(value):
        return value
    out = memo.get(value)
    if out is None:
        out = normalise(value)
        if len(value) <= _MEMO_CHARS and len(memo) < _MEMO_SIZE:  # labels repeat; prose does not
            memo[value] = out
    return out


def _wanted(mapping: SurveyMapping, attributes: tuple = ()) -> dict[str, IdColumn]:
    """Key → column (a name, or names and patterns from a preset) for every mapped column."""
    wanted: dict[str, IdColumn] = {}
    for key in _METADATA:
        name = getattr(mapping, key)
        alternatives = tuple(
            re.compile(p, re.IGNORECASE) for p in mapping.alternatives.get(key, ())
        )
        if name or alternatives:
            wanted[key] = ((name,) if name else ()) + alternatives
    for qid, cols in mapping.questions.items():
        for part in ("tick_box", "text"):
            if getattr(cols, part):
                wanted[f"{qid}.{part}"] = getattr(cols, part)
    for attr in attributes:
        if attr.columns:  # any of the names (several exports may name it differently)
            wanted[f"{_ATTR}{attr.id}"] = attr.columns
    return wanted


def _describe(column: IdColumn) -> str:
    """A column as named in the mapping; a preset's patterns joined with 'or'."""
    if isinstance(column, str):
        return column
    return " or ".join(c if isinstance(c, str) else c.pattern for c in column)


def read_survey(
    data: bytes | ChunkedText,
    name: str,
    fmt: str,
    consultation: Consultation,
    file_sha: str,
    limits: Limits = DEFAULT_LIMITS,
    rows_class: Callable[..., Any] | None = None,
) -> ReadResult:
    """One Document per data row of a survey export, pre-segmented by mapped column.

    The rows come from ``export_rows``, which bounds them by ``limits.max_rows``
    and notes malformed rows (broken quotes, extra cells, unsaved formulas).
    ``data`` may also be a CSV's ``FileText`` (read from the file in chunks), and
    ``rows_class`` what turns the rows into respondents (default: a Document per row;
    ``survey_columns.ColumnRows``: Arrow columns, on ``result.tables``).
    """
    mappings = consultation.surveys_for(name)
    if not mappings:
        if consultation.survey is None:
            raise ReadError(
                f"{name}: a survey export needs a `survey:` section in the consultation file "
                f"({consultation.path or consultation.id}) mapping its columns to questions"
            )
        raise ReadError(
            f"{name}: no `survey:` mapping in the consultation file applies to this file "
            "(its `files:` patterns do not match the name); add one, or a pattern that matches"
        )
    failures: list[_MissingColumns] = []
    for mapping in mappings:
        try:
            return _read_with(
                mapping, data, name, fmt, consultation, file_sha, limits, rows_class or _Rows
            )
        except _MissingColumns as exc:
            failures.append(exc)
    # The configuration does not fit the export: stop the run (exit 1), naming the fields.
    where = f"{consultation.path or consultation.id} (consultation '{consultation.id}')"
    fix = (
        "Fix the column names under `survey:` in the consultation file or the export's header "
        "(`consult init --from-export` drafts a mapping from an export)"
    )
    if len(failures) == 1:
        f = failures[0]
        raise ConsultationError(
            f"{name}: column(s) named in the survey mapping{f.preset} of {where} are not in "
            f"the export: {f.missing}; columns present: {f.header}. {fix}"
        )
    tried = "; ".join(f"survey[{i}] lacks {f.missing}" for i, f in enumerate(failures))
    raise ConsultationError(
        f"{name}: none of the {len(failures)} survey mappings of {where} fits this export "
        f"({tried}); columns present: {failures[0].header}. {fix}"
    )


class _MissingColumns(Exception):
    """A mapping names columns this export lacks (the next mapping may fit)."""

    def __init__(self, missing: list[str], header: list[str], preset: str) -> None:
        super().__init__(f"missing {missing}")
        self.missing, self.header, self.preset = missing, header, preset


def _read_with(
    mapping: SurveyMapping,
    data: bytes,
    name: str,
    fmt: str,
    consultation: Consultation,
    file_sha: str,
    limits: Limits,
    rows_class: Callable[..., Any],
) -> ReadResult:
    """Read the export with one mapping; _MissingColumns when its columns are not all there."""
    wanted = _wanted(mapping, consultation.attributes)
    if fmt == "csv":  # rows parsed as they are turned into documents (``CsvRowStream``)
        header, rows, enc, notes = csv_row_stream(data, name, wanted["respondent_id"], limits)
    else:
        header, rows, enc, notes = export_rows(data, name, fmt, wanted["respondent_id"], limits)
    idx = {k: column_index(header, col) for k, col in wanted.items()}
    after_header: list[str] = []  # notes that follow the rows' own (columns, encoding)
    # Columns a preset only suggests (organisation, type) may be absent; named ones may not.
    optional = {k for k in ("organisation", "respondent_type") if not getattr(mapping, k)}
    # An attribute's column may be in one export and not another: noted, not fatal.
    for key in [k for k in wanted if k.startswith(_ATTR)]:
        if idx[key] is None:
            after_header.append(
                f"attribute {key[len(_ATTR) :]}: no column {_describe(wanted[key])!r}"
            )
            optional.add(key)
    missing = [
        f"'{_describe(wanted[k])}' (field {_field(k)})"
        for k, i in idx.items()
        if i is None and k not in optional
    ]
    if missing:
        preset = f" (preset {mapping.preset!r})" if mapping.preset else ""
        raise _MissingColumns(missing, header, preset)
    idx = {k: i for k, i in idx.items() if i is not None}
    for key in sorted(optional & set(idx)):
        after_header.append(f"{key.replace('_', ' ')} read from column '{header[idx[key]]}'")
    if enc and enc not in ("utf-8", "utf-8-sig"):
        after_header.append(f"encoding {enc}")
    notes += after_header
    result = ReadResult()
    rows_class(consultation, mapping, idx, name, fmt, file_sha, enc, result).read(rows)
    if isinstance(rows, CsvRowStream):  # what the rows showed, after the header's notes
        at = len(notes) - len(after_header)
        notes[at:at] = rows.notes
    result.notes[:0] = notes
    return result


def _field(key: str) -> str:
    """The consultation.yaml field naming a mapped column: 'q2.text' -> 'survey.questions.q2.text'."""
    return f"survey.questions.{key}" if "." in key else f"survey.{key}"


class _Rows:
    """Turns an export's rows into Documents: the per-row loop, kept small."""

    def __init__(self, consultation, mapping, idx, name, fmt, file_sha, enc, result) -> None:
        self.consultation = consultation
        self.idx = idx
        self.name, self.fmt, self.file_sha, self.enc = name, fmt, file_sha, enc
        self.result = result
        self.memo: dict[str, str] = {}
        # raw type cell → (mapped type, whether the words recognised it)
        self.types: dict[str, tuple[str | None, bool]] = {}
        # (type cell, organisation cell) → (type, type source, organisation): values repeat
        self.row_types: dict[tuple[str, str | None], tuple[str, str, str | None]] = {}
        mapped = mapping.questions
        # (column key, attribute id) of the attributes whose column this export has
        self.attribute_keys = [(k, k[len(_ATTR) :]) for k in idx if k.startswith(_ATTR)]
        # (question id, number, heading, tick column, text column), in the consultation's order
        self.plan = [
            (
                q.id,
                q.number,
                f"Q{q.number}. {q.text}" if q.number is not None else q.text,
                idx.get(f"{q.id}.tick_box", _NONE),
                idx.get(f"{q.id}.text", _NONE),
            )
            for q in consultation.questions
            if q.id in mapped
        ]

    def cell(self, row: list[str], key: str) -> str:
        i = self.idx.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    def read(self, rows: list[tuple[int, list[str]]]) -> None:
        first_row: dict[str, int] = {}
        no_id: list[int] = []
        unknown_types: dict[str, list[int]] = {}  # unrecognised type → its rows
        for n, row in rows:
            rid = self.cell(row, "respondent_id")
            if not rid:
                rid = f"row-{n}"
                no_id.append(n)
            if rid in first_row:
                self.result.row_problems.append(
                    (
                        "failed",
                        f"rows {first_row[rid]} and {n}: duplicated respondent id '{rid}'; "
                        f"kept row {first_row[rid]}, dropped row {n}",
                    )
                )
                continue
            first_row[rid] = n
            self.keep(row, n, rid)
            raw = self.cell(row, "respondent_type")
            if raw and self.types[raw][1] is False:
                unknown_types.setdefault(raw, []).append(n)
        self.done()
        for raw, where in list(unknown_types.items())[:MAX_NOTED]:
            rows_text = (
                f"row {where[0]}" if len(where) == 1 else f"{len(where):,} rows, first {where[0]}"
            )
            self.result.notes.append(
                f"respondent type '{raw}' not recognised ({rows_text}), typed from the "
                "organisation's name if it shows one, else other"
            )
        if no_id:
            shown = ", ".join(map(str, no_id[:MAX_NOTED])) + (
                " …" if len(no_id) > MAX_NOTED else ""
            )
            self.result.notes.append(
                f"{len(no_id):,} row(s) with an empty respondent id kept as 'row-N' (rows {shown})"
            )

    def respondent_type(self, raw: str) -> str | None:
        """The mapped type of a type cell: ``other`` when unrecognised, None when blank."""
        if raw not in self.types:
            mapped = map_respondent_type(raw, self.consultation.respondent_types) if raw else None
            self.types[raw] = (mapped or ("other" if raw else None), mapped is not None)
        return self.types[raw][0]

    def keep(self, row: list[str], n: int, rid: str) -> None:
        """Keep one respondent's row (a Document here; columns in ``survey_columns``)."""
        self.result.documents.append(self.document(row, n, rid))

    def done(self) -> None:
        """Called once every row has been kept."""

    def document(self, row: list[str], n: int, rid: str) -> Document:
        """One row as a Document (``values``)."""
        text, cues, answers, org, rtype, rtype_source, attributes = self.values(row)
        return Document(
            respondent_id=rid,
            text=text,
            source_file=self.name,
            source_format=self.fmt,
            source_sha256=self.file_sha,
            source_row=n,
            encoding=self.enc,
            cues=cues,
            organisation=org,
            organisation_source="survey" if org else "none",
            respondent_type=rtype,
            respondent_type_source=rtype_source,
            survey_answers=answers,
            attributes=attributes,
        )

    def values(self, row: list[str]) -> tuple:
        """Synthesise ``Q1. question\\ntick-box\\nfree text\\n\\n...`` and the answer spans:
        ``(text, cues, answers, organisation, type, type source, attributes)``.

        Questions the row left blank are not written into the text but still get
        an empty span (where their answer would be), so every mapped question has
        an answer row; ``answers`` maps question id → (start, end, tick box or None)
        in the consultation's question order.
        """
        parts: list[str] = []
        size = 0
        cues: list[Cue] = []
        answers: dict[str, tuple[int, int, str | None]] = {}
        memo = self.memo
        width = len(row)
        for qid, _number, heading, tick_col, text_col in self.plan:
            tick = clean_cell(row[tick_col].strip(), memo) if tick_col < width else ""
            free = clean_cell(row[text_col].strip(), memo) if text_col < width else ""
            if not tick and not free:
                answers[qid] = (size, size, None)
                continue
            if parts:
                parts.append("\n\n")
                size += 2
            cues.append((size, size + len(heading), "survey_column"))
            block = heading + ("\n" + tick if tick else "") + ("\n" if free else "")
            parts.append(block)
            size += len(block)
            answers[qid] = (size, size + len(free), tick or None)
            parts.append(free)
            size += len(free)
        raw_type = self.cell(row, "respondent_type")
        self.respondent_type(raw_type)  # noted when not recognised
        key = (raw_type, clean_cell(self.cell(row, "organisation"), memo) or None)
        if key not in self.row_types:
            self.row_types[key] = survey_row_type(*key, self.consultation.respondent_types)
        rtype, rtype_source, org = self.row_types[key]
        attributes = {}
        for akey, aid in self.attribute_keys:
            value = clean_cell(self.cell(row, akey), memo)
            if value:
                attributes[aid] = (value, "survey")
        return "".join(parts), cues, answers, org, rtype, rtype_source, attributes
