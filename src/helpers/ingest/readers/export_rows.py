"""The rows of a survey export (CSV, or the first sheet of an XLSX), bounded and checked.

``survey`` turns rows into documents; this module gets the rows, and says
what was wrong with them rather than losing them quietly:

- **Row limit.** More than ``max_rows`` non-blank data rows fail the file
  (ReadError naming the limit); reading stops there, so memory stays bounded.
- **Unterminated or misplaced quotes (CSV).** A quote that opens a cell and
  is never closed would swallow every later row into that cell. Rows are
  parsed strictly; a row that breaks is read again on its own line only (the
  open cell runs to the end of that line) and parsing resumes on the next
  line, so no later row is lost, with a note naming the row and line.
- **Extra cells (CSV).** Cells beyond the header's columns are not read; a
  row that has any gets a note.
- **Formulas with no saved value (XLSX).** openpyxl reads the value Excel
  saved with a formula; a file written by a program other than Excel may
  have none, and the cell would read as empty. Such cells get a note.
- **A sheet's declared size is not trusted (XLSX).** Its stated dimensions
  are reset and data rows are read only as wide as the header, so a file
  claiming 16,384 columns or a cell far to the right cannot multiply the work.

- **Blank rows.** A row with nothing in any cell (Excel's padding below the
  data, a blank line in a CSV) is no respondent: no platform writes a response
  without an id. Such rows are not returned; how many there were is noted, so
  they are accounted for. A row with anything in it is returned.
- **Description rows under the header.** Qualtrics writes the question text
  in the row under the column ids and ``{"ImportId": …}`` in the row under
  that. A row directly under the header whose respondent-id cell is
  ``{"ImportId"…`` or the id column's own name spelled out ("Response ID"
  under "ResponseId") is a description row: skipped (at most two), noted,
  and not counted as a data row.

- **Repeated column names.** Platforms head two questions' comment boxes alike
  ("Please explain your answer" under Q1 and under Q3; Microsoft Forms and
  Citizen Space write the wording as it is). The second and later columns of
  a name are renamed "NAME (2)", "NAME (3)" (``unique_header``) and noted, so
  a mapping can name each of them.

Notes of one kind name the first ``MAX_NOTED`` rows, then give a count, so a
million bad rows make one bounded log entry.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.csv_stream import (
    ChunkedText,
    RecordCount,
    blank,
    csv_records,
    iter_records,
)
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits
from helpers.ingest.readers.text import decode

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_NOTED",
    "column_index",
    "describes_column",
    "export_rows",
    "unique_header",
]

HEADER_SEARCH_ROWS = 10  # title or notes rows an export may have above its header
MAX_NOTED = 20  # rows named per kind of problem; the rest are counted
EXCEL_MAX_ROWS = 1_048_576  # a sheet's row numbers go no further


MAX_DESCRIPTION_ROWS = 2  # Qualtrics: question text, then ImportId
IdColumn = str | tuple[str | re.Pattern[str], ...]


def column_index(header: list[str], wanted: IdColumn) -> int | None:
    """Index of column ``wanted`` in ``header``.

    ``wanted`` is a column name (matched exactly, else ignoring case) or a
    tuple of names and compiled patterns tried in turn (a pattern must match
    the whole header cell, ignoring case), the first that matches winning.
    """
    if isinstance(wanted, tuple):
        for w in wanted:
            if isinstance(w, str):
                i = column_index(header, w)
            else:
                i = next((k for k, h in enumerate(header) if w.fullmatch(h.strip())), None)
            if i is not None:
                return i
        return None
    if wanted in header:
        return header.index(wanted)
    folded = [h.casefold() for h in header]
    return folded.index(wanted.casefold()) if wanted.casefold() in folded else None


def unique_header(header: list[str]) -> tuple[list[str], list[str]]:
    """The header with repeated names made unique, and a note per repeated name.

    The first column of a name keeps it; the k-th is "NAME (k)" (a further
    " (k)" until no column has that name). Names are compared ignoring case,
    as ``column_index`` matches them. Empty header cells stay empty.
    """
    seen: dict[str, int] = {}
    taken = {h.casefold() for h in header}
    out: list[str] = []
    repeated: dict[str, int] = {}
    for h in header:
        key = h.casefold()
        if not h or key not in seen:
            seen.setdefault(key, 1)
            out.append(h)
            continue
        seen[key] += 1
        new = f"{h} ({seen[key]})"
        while new.casefold() in taken:
            new = f"{new} ({seen[key]})"
        taken.add(new.casefold())
        repeated[h] = seen[key]
        out.append(new)
    notes = [
        f"column '{h}' appears {k} times: the later ones are read as '{h} (2)'"
        + (f" … '{h} ({k})'" if k > 2 else "")
        for h, k in repeated.items()
    ]
    return out, notes


def _header_at(rows: list[list[str]], id_column: IdColumn) -> int | None:
    """Index of the first row (among the first few) holding the respondent id column."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if column_index([c.strip() for c in row], id_column) is not None:
            return i
    return None


def _squash(value: str) -> str:
    return re.sub(r"[\W_]+", "", value).casefold()


def describes_column(cell: str, column: str) -> bool:
    """Whether ``cell``, under the header cell ``column``, describes it rather than answering.

    ``{"ImportId": …}`` (Qualtrics' third header row), or the column's name
    spelled out: "Response ID" under "ResponseId".
    """
    cell = cell.strip()
    return cell.startswith('{"ImportId"') or (bool(cell) and _squash(cell) == _squash(column))


def _descriptions(header: list[str], rows: list[tuple[int, list[str]]], id_column: IdColumn) -> int:
    """How many of the first ``rows`` (at most ``MAX_DESCRIPTION_ROWS``) describe the columns."""
    at = column_index(header, id_column)
    skip = 0
    if at is not None:
        while (
            skip < min(MAX_DESCRIPTION_ROWS, len(rows))
            and rows[skip][0] == skip + 1
            and at < len(rows[skip][1])
            and describes_column(rows[skip][1][at], header[at])
        ):
            skip += 1
    return skip


def _finish(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    n_records: int,
    id_column: IdColumn,
    notes: list[str],
    keep_descriptions: bool = False,
) -> list[tuple[int, list[str]]]:
    """Drop description rows under the header (renumbering), and note blank rows.

    ``n_records`` is how many data rows (blank or not) the file has below the
    header. With ``keep_descriptions`` the description rows are kept (for
    ``survey_init``, which reads the question wording from them).
    """
    skip = _descriptions(header, rows, id_column)
    if skip and keep_descriptions:
        skip = 0
    elif skip:
        notes.append(f"{skip} description row(s) under the header skipped (not respondents)")
        rows = [(n - skip, row) for n, row in rows[skip:]]
    blank = n_records - skip - len(rows)
    if blank > 0:
        notes.append(f"{blank:,} blank row(s) (no id, no answer in any cell) are not respondents")
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


class _Notes:
    """Notes of one kind: the first MAX_NOTED in full, then how many more."""

    def __init__(self, more: str) -> None:
        self.items: list[str] = []
        self.extra = 0
        self.more = more

    def add(self, note: str) -> None:
        if len(self.items) < MAX_NOTED:
            self.items.append(note)
        else:
            self.extra += 1

    def out(self) -> list[str]:
        return self.items + ([f"… and {self.extra:,} more {self.more}"] if self.extra else [])


def _too_many_rows(name: str, limits: Limits) -> ReadError:
    return ReadError(
        f"{name}: more than {limits.max_rows:,} data rows (max_rows in run.yaml's limits:); "
        "reading stopped: split the export, or raise the limit"
    )


# --- CSV --------------------------------------------------------------------------


def _top(records: list[tuple[int, list[str]]]) -> list[list[str]]:
    """The first HEADER_SEARCH_ROWS rows, blank ones included (where the header is looked for)."""
    top: list[list[str]] = [[] for _ in range(HEADER_SEARCH_ROWS)]
    for i, row in records:
        if i >= HEADER_SEARCH_ROWS:
            break
        top[i] = row
    return top


def _row_label(index: int, at: int, line: int) -> str:
    return f"row {index - at} (line {line})" if index > at else f"line {line}"


def _delimiter(text: str | ChunkedText, id_column: IdColumn, notes: list[str]) -> str:
    """The delimiter (comma, semicolon as European Excel writes, tab) under which the
    header row is found among the first rows (only those rows are parsed)."""
    found = [
        d
        for d in (",", ";", "\t")
        if _header_at(_top(csv_records(text, d, HEADER_SEARCH_ROWS)[0]), id_column) is not None
    ]
    delimiter = found[0] if found else ","
    if delimiter != ",":
        notes.append("semicolon-separated" if delimiter == ";" else "tab-separated")
    return delimiter


def _quote_notes(broken: list[tuple[int, int, bool]], at: int) -> list[str]:
    quotes = _Notes("rows with a broken quote")
    for index, line, spanned in broken:
        where = _row_label(index, at, line)
        if spanned:
            quotes.add(
                f"{where}: unterminated quote; the row was read up to the end of its line "
                "and the lines after it as rows of their own"
            )
        else:
            quotes.add(f"{where}: text after a closing quote; the row was read as written")
    return quotes.out()


def _extra_cells(extra: _Notes, n: int, row: list[str], width: int) -> None:
    if len(row) > width and any(c.strip() for c in row[width:]):
        extra.add(
            f"row {n}: {len(row) - width} cell(s) beyond the header's {width} columns not read"
        )


def _csv_rows(
    data: bytes, name: str, id_column: IdColumn, limits: Limits, keep: bool = False
) -> tuple[list[str], list[tuple[int, list[str]]], str, list[str]]:
    text, enc, _ = decode(data, name)
    notes: list[str] = []
    delimiter = _delimiter(text, id_column, notes)
    # The header, the rows above it, the limit and one more: past that, the file is over it.
    records, broken, n_read = csv_records(text, delimiter, HEADER_SEARCH_ROWS + limits.max_rows + 1)
    if not records:
        raise ReadError(f"{name}: the export is empty (no header row)")
    top = _top(records)
    at = _header_at(top, id_column)
    if at is None:  # as before: the first row, blank or not, is taken as the header
        at = 0
    if at:
        notes.append(f"header found on line {at + 1}")
    header, repeated = unique_header([h.strip() for h in top[at]])
    notes += repeated
    rows = [(i - at, row) for i, row in records if i > at]
    if len(rows) > limits.max_rows:
        raise _too_many_rows(name, limits)
    quotes = _quote_notes(broken, at)
    extra = _Notes("rows with cells beyond the header")
    width = len(header)
    for n, row in rows:
        _extra_cells(extra, n, row, width)
    rows = _finish(header, rows, n_read - at - 1, id_column, notes, keep)
    return header, rows, enc, notes + quotes + extra.out()


class CsvRowStream:
    """The data rows of a CSV export, ``(row number, cells)``, parsed as they are taken.

    What ``_csv_rows`` returns as a list, one row at a time (issue 15: at a million
    respondents the list of every row's cells was a second copy of the export, as
    Python strings). Iterate it once; then ``notes`` holds what ``_csv_rows`` notes after
    the header's (description rows, blank rows, broken quotes, extra cells), in its order.
    More than ``max_rows`` rows raise the same ReadError, when the row past the limit is
    reached.
    """

    def __init__(
        self,
        text: str | ChunkedText,
        name: str,
        delimiter: str,
        id_column: IdColumn,
        limits: Limits,
    ):
        self.notes: list[str] = []
        self._name, self._id_column, self._limits = name, id_column, limits
        self._count = RecordCount()
        stop = HEADER_SEARCH_ROWS + limits.max_rows + 1
        self._records = iter_records(text, delimiter, stop, self._count)
        # The first HEADER_SEARCH_ROWS records (where the header is looked for) and one more.
        self._head: list[tuple[int, list[str]]] = []
        for record in self._records:
            self._head.append(record)
            if record[0] >= HEADER_SEARCH_ROWS:
                break
        if not self._head:
            raise ReadError(f"{name}: the export is empty (no header row)")
        top = _top(self._head)
        at = _header_at(top, id_column)
        self.at = 0 if at is None else at  # as before: else the first row is the header
        self.header, self.repeated = unique_header([h.strip() for h in top[self.at]])

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        at, header, limits = self.at, self.header, self._limits
        head, self._head = self._head, []
        rows = ((i - at, row) for i, row in itertools.chain(head, self._records) if i > at)
        first = list(itertools.islice(rows, MAX_DESCRIPTION_ROWS))
        skip = _descriptions(header, first, self._id_column)
        extra = _Notes("rows with cells beyond the header")
        width = len(header)
        n_rows = 0
        for n, row in itertools.chain(first, rows):
            n_rows += 1
            if n_rows > limits.max_rows:
                raise _too_many_rows(self._name, limits)
            _extra_cells(extra, n, row, width)
            if n_rows > skip:
                yield n - skip, row
        if skip:
            self.notes.append(
                f"{skip} description row(s) under the header skipped (not respondents)"
            )
        blank_rows = self._count.n_read - at - 1 - n_rows
        if blank_rows > 0:
            self.notes.append(
                f"{blank_rows:,} blank row(s) (no id, no answer in any cell) are not respondents"
            )
        self.notes += _quote_notes(self._count.broken, at) + extra.out()


def csv_row_stream(
    data: bytes | ChunkedText, name: str, id_column: IdColumn, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[str], CsvRowStream, str, list[str]]:
    """``export_rows`` for a CSV export with the rows as a :class:`CsvRowStream`: the
    header, the stream, the encoding and the notes known before the rows are read (the
    stream's own ``notes`` follow them once it has been read). ``data`` is the file's
    bytes, or its text read from the file in chunks (``readers.file_text.FileText``)."""
    if isinstance(data, bytes):
        text, enc, _ = decode(data, name)
    else:
        text, enc = data, data.encoding
    notes: list[str] = []
    delimiter = _delimiter(text, id_column, notes)
    stream = CsvRowStream(text, name, delimiter, id_column, limits)
    if stream.at:
        notes.append(f"header found on line {stream.at + 1}")
    return stream.header, stream, enc, notes + stream.repeated


# --- XLSX -------------------------------------------------------------------------

# A formula element in sheet XML: <f>, <f t="shared" …/>, or with a namespace prefix.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formulas(wb, ws) -> bool:
    """Whether the sheet's XML holds any formula (streamed; True when it cannot be told)."""
    try:
        source = wb._archive.open(ws._worksheet_path)
    except (AttributeError, KeyError, OSError):
        return True
    tail = b""
    with source:
        while chunk := source.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _open_xlsx(data: bytes, name: str, data_only: bool):
    import zipfile

    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(
            f"{name}: not a valid Excel .xlsx file (corrupt or renamed?): {exc}"
        ) from exc


def _xlsx_rows(
    data: bytes, name: str, id_column: IdColumn, limits: Limits, keep: bool = False
) -> tuple[list[str], list[tuple[int, list[str]]], None, list[str]]:
    from openpyxl.utils import get_column_letter

    notes: list[str] = []
    wb = _open_xlsx(data, name, data_only=True)
    wb_f = None
    try:
        ws = wb.worksheets[0]
        if len(wb.worksheets) > 1:
            notes.append(
                f"read sheet '{ws.title}'; {len(wb.worksheets) - 1} other sheet(s) ignored"
            )
        ws.reset_dimensions()  # stated dimensions may lie; read what is there
        top = [
            [_cell(v) for v in row]
            for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        ]
        if not top:
            raise ReadError(f"{name}: the export is empty (no header row)")
        at = _header_at(top, id_column) or 0
        if at:
            notes.append(f"header found on line {at + 1}")
        header = [h.strip() for h in top[at]]
        while header and not header[-1]:
            header.pop()
        header, repeated = unique_header(header)
        notes += repeated
        width = max(len(header), 1)
        values = ws.iter_rows(min_row=at + 2, max_col=width, values_only=True)
        formulas: Iterator | None = None
        if _has_formulas(wb, ws):
            wb_f = _open_xlsx(data, name, data_only=False)
            ws_f = wb_f.worksheets[0]
            ws_f.reset_dimensions()
            formulas = ws_f.iter_rows(min_row=at + 2, max_col=width, values_only=True)
        unsaved = _Notes("formula cells with no saved value")
        rows: list[tuple[int, list[str]]] = []
        n = 0
        for n, row in enumerate(values, start=1):  # n: the data rows read, after the loop
            if n + at + 1 > EXCEL_MAX_ROWS:
                raise ReadError(
                    f"{name}: the sheet has rows numbered beyond Excel's {EXCEL_MAX_ROWS:,}; "
                    "the file is damaged or was not written by a spreadsheet program"
                )
            frow = next(formulas, ()) if formulas is not None else ()
            for i, (v, f) in enumerate(zip(row, frow, strict=False)):
                if v is None and f is not None:
                    col = get_column_letter(i + 1)
                    label = f" ('{header[i]}')" if i < len(header) and header[i] else ""
                    unsaved.add(
                        f"row {n}, column {col}{label}: formula with no saved value, "
                        "read as empty (open and save the file in Excel)"
                    )
            cells = [_cell(v) for v in row]
            if blank(cells):
                continue
            rows.append((n, cells))
            if len(rows) > limits.max_rows:
                raise _too_many_rows(name, limits)
    finally:
        wb.close()
        if wb_f is not None:
            wb_f.close()
    rows = _finish(header, rows, n, id_column, notes, keep)
    return header, rows, None, notes + unsaved.out()


def export_rows(
    data: bytes,
    name: str,
    fmt: str,
    id_column: IdColumn,
    limits: Limits = DEFAULT_LIMITS,
    keep_descriptions: bool = False,
) -> tuple[list[str], list[tuple[int, list[str]]], str | None, list[str]]:
    """Header, non-blank data rows ``(row number, cells as strings)``, encoding and notes.

    Row numbers count data rows from 1 below the header (and any description
    rows under it), blank ones included.

    The header is the first row (among the first ``HEADER_SEARCH_ROWS``)
    holding the respondent id column, so title rows above it are allowed.
    """
    if fmt == "csv":
        return _csv_rows(data, name, id_column, limits, keep_descriptions)
    return _xlsx_rows(data, name, id_column, limits, keep_descriptions)
