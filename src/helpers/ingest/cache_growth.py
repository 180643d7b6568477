"""A survey export that only grew: parse its new rows, take the earlier ones from the cache.

Exports are usually downloaded again as responses come in: the same bytes
with rows appended. When a CSV's bytes begin with the bytes of a cached parse
(same format and configuration; the prefix's SHA-256 is that entry's key), the
new rows are parsed on their own, below the file's header lines, renumbered
after the cached rows and appended to them.

That is only done when the result is provably the one a full parse gives;
otherwise the file is parsed in full (a miss, never a wrong answer). What a
full parse decides from the whole file must then be decided by the header or
be absent from both parts:

- the cached part ends at a line break outside any quoted cell (an even number
  of ``"`` bytes), so the new bytes start a new row, and the header lines end
  outside quotes too;
- the encoding the whole file is read in is the one both parts were read in
  (new rows in plain ASCII read the same in any of them), and is one in which a
  line break is the byte ``\\n`` (not UTF-16/32);
- neither part has a per-row problem (a duplicated id) or a note about rows
  (blank rows, description rows, broken quotes, extra cells, unrecognised
  respondent types, empty ids): those notes count and name rows of the whole
  file; the notes both parts have (delimiter, header line, columns, encoding)
  are the same;
- every row of each part is a respondent numbered in order (no blank row
  between them), no new row repeats an earlier respondent id, and the total
  is within ``max_rows``.

XLSX files are zip archives (appending a row rewrites the file): parsed in full.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import NamedTuple

from helpers.core.consultation import Consultation, ConsultationError
from helpers.ingest.cache_entry import entry_info, read_entry
from helpers.ingest.readers import ReadError, ReadResult, read_file
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import Limits
from helpers.ingest.readers.text import detect_encoding

__all__ = ["Grown", "grow_from_cache"]

log = logging.getLogger(__name__)

_ROW_NOTE = re.compile(r"\brows?\b", re.IGNORECASE)  # a note that counts or names rows
_HEADER_LINE = re.compile(r"^header found on line (\d+)$")


class Grown(NamedTuple):
    """A grown export's parse, the entry it grew from, and how many rows were parsed."""

    result: ReadResult
    superseded: Path
    new_rows: int


def grow_from_cache(
    folder: Path,
    fmt: str,
    config: str,
    path: Path,
    name: str,
    data: bytes,
    consultation: Consultation,
    limits: Limits,
) -> Grown | None:
    """The parse of ``data`` from a cached parse of its first bytes, or None (parse in full)."""
    for entry, n_bytes in _candidates(folder, fmt, config, len(data)):
        prefix_sha = entry.name.split("-", 1)[0]
        if sha256(data[:n_bytes]) != prefix_sha:
            continue
        grown = _grow(entry, n_bytes, fmt, path, name, data, consultation, limits)
        if grown is not None:
            log.info(
                "%s: grown export: %d cached row(s) reused, %d new row(s) read",
                name,
                len(grown.result.documents) - grown.new_rows,
                grown.new_rows,
            )
        return grown
    return None


def _candidates(folder: Path, fmt: str, config: str, size: int) -> list[tuple[Path, int]]:
    """Entries of the same format and configuration for fewer bytes, longest first."""
    found = []
    for entry in folder.glob(f"*-{fmt}-{config}.parquet"):
        info = entry_info(entry)
        if info is not None and 0 < int(info["n_bytes"]) < size:
            found.append((entry, int(info["n_bytes"])))
    return sorted(found, key=lambda e: -e[1])


def _grow(
    entry: Path,
    n_bytes: int,
    fmt: str,
    path: Path,
    name: str,
    data: bytes,
    consultation: Consultation,
    limits: Limits,
) -> Grown | None:
    """Cached rows + the new rows parsed under the header, if provably a full parse's result."""
    prefix = data[:n_bytes]
    if not prefix.endswith(b"\n") or prefix.count(b'"') % 2:
        return None
    enc = detect_encoding(data)[0]
    if enc.startswith(("utf-16", "utf-32")):
        return None
    file_sha = sha256(data)
    cached = read_entry(entry, path, name, fmt, file_sha)
    if cached is None or not _clean(cached[0], enc):
        return None
    old = cached[0]
    head = _head(data, old.notes)
    if head is None:
        return None
    part = data[:head] + data[n_bytes:]
    try:
        new = read_file(path, name, part, consultation, limits)
    except (ReadError, ConsultationError):
        return None  # a full parse says why, with the whole file's row numbers
    notes = new.notes
    if part.isascii():
        # Plain ASCII reads the same in every encoding a CSV can have here; on its own it
        # is taken for UTF-8, while the whole file (a £ in an earlier row) is Windows-1252.
        for d in new.documents:
            d.encoding = enc
        notes, old_notes = _but_encoding(new.notes), _but_encoding(old.notes)
    else:
        old_notes = old.notes
    if not _clean(new, enc) or notes != old_notes:
        return None
    k = len(old.documents)
    if k + len(new.documents) > limits.max_rows:
        return None
    ids = {d.respondent_id for d in old.documents}
    if any(d.respondent_id in ids for d in new.documents):
        return None
    for d in new.documents:
        d.source_row = (d.source_row or 0) + k
        d.source_sha256 = file_sha
    result = ReadResult(old.documents + new.documents, list(old.notes), [])
    return Grown(result, entry, len(new.documents))


def _but_encoding(notes: list[str]) -> list[str]:
    """The notes without the survey reader's ``encoding X`` note."""
    return [n for n in notes if not n.startswith("encoding ")]


def _clean(result: ReadResult, enc: str) -> bool:
    """No row problems or notes about rows; rows numbered 1..n in order; read as ``enc``."""
    if result.row_problems or any(_ROW_NOTE.search(n) for n in result.notes):
        return False
    rows = [d.source_row for d in result.documents]
    if rows != list(range(1, len(rows) + 1)):
        return False
    return all(d.encoding == enc for d in result.documents)


def _head(data: bytes, notes: list[str]) -> int | None:
    """Where the header's line ends (the lines above it included), outside quotes; or None."""
    line = 1
    for note in notes:
        m = _HEADER_LINE.match(note)
        if m:
            line = int(m.group(1))
    end = -1
    for _ in range(line):
        end = data.find(b"\n", end + 1)
        if end < 0:
            return None
    head = end + 1
    return None if data[:head].count(b'"') % 2 else head
