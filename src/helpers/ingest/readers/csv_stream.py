"""CSV records of a survey export, cut from chunks of text and parsed one record at a time.

``export_rows`` reads a CSV export through here (issue 15, item 3: a million respondents).
The lines come from ``CHUNK_CHARS`` characters of text at a time (``iter_lines``), never a
copy of the whole export, and the records come out one at a time (``iter_records``), so the
survey reader turns each into a respondent before the next is parsed, instead of holding a
list of every row's cells.

Parsing is strict; a record that breaks (a quote left open, or text after a closing quote)
is re-read from its first line alone, leniently, and parsing resumes on the next line
(``export_rows`` notes each one).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

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


class ChunkedText(Protocol):
    """Text read a chunk at a time (``readers.file_text.FileText``): ``chunks()`` gives the
    characters from the start each time it is called; ``max_chars`` bounds their number."""

    max_chars: int

    def chunks(self) -> Iterator[str]: ...


def _chunks(text: str | ChunkedText, chunk_chars: int | None = None) -> Iterator[str]:
    return text_chunks(text, chunk_chars) if isinstance(text, str) else text.chunks()


def _max_chars(text: str | ChunkedText) -> int:
    return len(text) if isinstance(text, str) else text.max_chars


class _Lines:
    """Physical lines of CSV text, with the lines of the current record kept to replay."""

    def __init__(self, text: str | ChunkedText, chunk_chars: int | None = None) -> None:
        self._lines = iter_lines(_chunks(text, chunk_chars))
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


def blank(row: list[str]) -> bool:
    """True when no cell of ``row`` holds anything but spaces."""
    return not any(c.strip() for c in row)


@dataclass
class RecordCount:
    """What ``iter_records`` has read so far: the broken records (index, line, whether
    the record spanned lines) and how many records, blank ones included."""

    broken: list[tuple[int, int, bool]] = field(default_factory=list)
    n_read: int = 0


def iter_records(
    text: str | ChunkedText,
    delimiter: str,
    stop: int,
    count: RecordCount,
    chunk_chars: int | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records of CSV text, ``(index, cells)``, one at a time.

    Every line is read at most twice: a broken record runs at most to the next quote
    in the file. Blank records are counted (``count.n_read``), not yielded; parsing stops
    after ``stop`` non-blank records. ``count`` is final once the iterator is exhausted.
    """
    lines = _Lines(text, chunk_chars)
    kept = 0
    index = 0  # index of the next record
    line_no = 1  # line on which the next record starts
    with _field_limit(_max_chars(text) + 1):
        while kept < stop:
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            try:
                for row in reader:
                    here = index
                    index += 1
                    count.n_read = index
                    line_no += len(lines.record)
                    lines.record = []
                    if not blank(row):
                        kept += 1
                        yield here, row
                    if kept >= stop:
                        break
                else:
                    break  # end of the text
            except csv.Error:
                spanned, lines.record = lines.record, []
                if not spanned:
                    break
                lines.replay.extendleft(reversed(spanned[1:]))
                count.broken.append((index, line_no, len(spanned) > 1))
                row = next(csv.reader([spanned[0].rstrip("\r\n")], delimiter=delimiter), [])
                here = index
                index += 1
                count.n_read = index
                line_no += 1
                if not blank(row):
                    kept += 1
                    yield here, row


def csv_records(
    text: str | ChunkedText, delimiter: str, stop: int, chunk_chars: int | None = None
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int, bool]], int]:
    """Every record ``iter_records`` gives, the broken ones and how many records were read."""
    count = RecordCount()
    records = list(iter_records(text, delimiter, stop, count, chunk_chars))
    return records, count.broken, count.n_read
