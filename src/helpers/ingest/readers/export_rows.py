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

import collections
import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator

from helpers.ingest.readers.base import ReadError
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


CHUNK_CHARS = 1 << 20  # characters of text handed to the line splitter at a time
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")


def text_chunks(text: str, size: int | None = None) -> Iterator[str]:
    """``text`` in pieces of ``size`` (default ``CHUNK_CHARS``) characters, each piece a copy:
    the whole is never copied."""
    size = size or CHUNK_CHARS
    for start in range(0, len(text), size):
        yield text[start : start + size]


def iter_lines(chunks: Iterable[str]) -> Iterator[str]:
    """The physical lines of text arriving in ``chunks``, as ``io.StringIO(text, newline="")``
    yields them: each line keeps its ending (``\n``, ``\r\n`` or a lone ``\r``).

    Why: the CSV parser read ``io.StringIO(text)``, which copies the whole decoded export
    (four times, with the delimiter tried under three candidates: a quarter of the read at
    10,000 respondents, and a copy of the file per candidate in memory). Lines are cut from
    one chunk at a time, so only a chunk and the current line are held; a line may span
    chunks (a quoted cell's line breaks make a record span lines, which the ``csv`` module
    joins), and a ``\r`` that ends a chunk waits for the next one, which may start with its
    ``\n``. A line longer than a chunk is kept as pieces and joined once.
    """
    pending: list[str] = []  # pieces of the current line; only the last may end in "\r"
    for chunk in chunks:
        if not chunk:
            continue
        start = 0
        if pending and pending[-1][-1] == "\r":  # the previous chunk ended on a line end
            if chunk[0] == "\n":
                pending.append("\n")
                start = 1
            yield "".join(pending)
            pending = []
        size = len(chunk)
        end = size - 1 if chunk[-1] == "\r" else size
        for m in _LINE.finditer(chunk, start, end):
            if pending:
                pending.append(m.group())
                yield "".join(pending)
                pending = []
            else:
                yield m.group()
            start = m.end()
        if start < size:
            pending.append(chunk[start:])
    if pending:
        yield "".join(pending)


class _Lines:
    """Physical lines of CSV text, with the lines of the current record kept to replay."""

    def __init__(self, text: str, chunk_chars: int | None = None) -> None:
        self._lines = iter_lines(text_chunks(text, chunk_chars))
        self.replay: collections.deque[str] = collections.deque()
        self.record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.replay.popleft() if self.replay else next(self._lines)
        self.record.append(line)
        return line


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let one cell be as long as the text (csv's default limit is 128 KB)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


def _csv_records(
    text: str, delimiter: str, stop: int, chunk_chars: int | None = None
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int, bool]], int]:
    """Non-blank records of CSV text by index, and the broken ones: (index, line, spanned lines).

    Parsed strictly; a record that breaks (a quote left open, or text after
    a closing quote) is re-read from its first line alone, leniently, and
    parsing resumes on the next line. Every line is read at most twice: a
    broken record runs at most to the next quote in the file. Blank records
    are counted, not kept (a file of empty lines costs no memory); parsing
    stops after ``stop`` non-blank records. The third value is how many
    records (blank ones included) were read.
    """
    lines = _Lines(text, chunk_chars)
    records: list[tuple[int, list[str]]] = []
    broken: list[tuple[int, int, bool]] = []
    index = 0  # index of the next record
    line_no = 1  # line on which the next record starts
    with _field_limit(len(text) + 1):
        while len(records) < stop:
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            try:
                for row in reader:
                    if not _blank(row):
                        records.append((index, row))
                    index += 1
                    line_no += len(lines.record)
                    lines.record = []
                    if len(records) >= stop:
                        break
                else:
                    break  # end of the text
            except csv.Error:
                spanned, lines.record = lines.record, []
                if not spanned:
                    break
                lines.replay.extendleft(reversed(spanned[1:]))
                broken.append((index, line_no, len(spanned) > 1))
                row = next(csv.reader([spanned[0].rstrip("\r\n")], delimiter=delimiter), [])
                if not _blank(row):
                    records.append((index, row))
                index += 1
                line_no += 1
    return records, broken, index


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


def _csv_rows(
    data: bytes, name: str, id_column: IdColumn, limits: Limits, keep: bool = False
) -> tuple[list[str], list[tuple[int, list[str]]], str, list[str]]:
    text, enc, _ = decode(data, name)
    notes: list[str] = []
    # The delimiter (comma, semicolon as European Excel writes, tab) is the
    # one under which the header row is found among the first rows.
    found = [
        d
        for d in (",", ";", "\t")
        if _header_at(_top(_csv_records(text, d, HEADER_SEARCH_ROWS)[0]), id_column) is not None
    ]
    delimiter = found[0] if found else ","
    if delimiter != ",":
        notes.append("semicolon-separated" if delimiter == ";" else "tab-separated")
    # The header, the rows above it, the limit and one more: past that, the file is over it.
    records, broken, n_read = _csv_records(
        text, delimiter, HEADER_SEARCH_ROWS + limits.max_rows + 1
    )
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
    extra = _Notes("rows with cells beyond the header")
    width = len(header)
    for n, row in rows:
        if len(row) > width and any(c.strip() for c in row[width:]):
            extra.add(
                f"row {n}: {len(row) - width} cell(s) beyond the header's {width} columns not read"
            )
    rows = _finish(header, rows, n_read - at - 1, id_column, notes, keep)
    return header, rows, enc, notes + quotes.out() + extra.out()


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
            if _blank(cells):
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
