"""The parse cache: a file's Documents, stored as Parquet under what its bytes are.

With a cache folder, each file's parse (its Documents before metadata and
segmentation) is stored as one Parquet file, ``<cache_dir>/parse/<key>.parquet``
(a row per Document; the notes and per-row problems in the file's metadata),
under a key made of the file's SHA-256, the format it is read as,
``PARSER_VERSION``, the limits that can change what a reader returns and, for
survey exports, the consultation's questions, survey mappings, attributes and
respondent-type words. An unchanged file, even moved or renamed, is not
parsed again; a survey export that only grew has only its new rows parsed
(``cache_growth``). Rules, and why:

- **Content, never identity.** The same bytes may arrive under two names (two
  copies of a campaign letter) or be renamed between runs; a cached parse must
  not hand one file the other's respondent id or name. So the entry stores no
  file name and, for one-respondent documents, no respondent id; after a hit
  the file name, format, SHA-256 and (for documents) the respondent id (the
  slug of the current file's stem) are set from the current file. A survey
  row's respondent id comes from its id column, i.e. from the bytes, so it is
  kept.
- **The format is part of the key.** The same bytes read as ``.txt`` and as
  ``.md`` give different text, and bytes cached as ``.txt`` must never make a
  renamed ``.exe`` or ``.doc`` readable: the extension is checked before the
  cache is looked at (``inputs.check_format``).
- **The cache cannot bypass a limit.** The file size is checked before the
  cache (``inputs.read_input``); the limits the readers enforce (rows,
  unzipped size, zip ratio, text length) are part of the key, so a parse made
  under looser limits is never reused under stricter ones; text length is
  checked by the stage after every read, cached or not.
- **A damaged entry is a miss.** Entries are written to a temporary file and
  renamed; one that cannot be read back (truncated, edited) is warned about,
  removed, and the file parsed again.

Whether a parse was reused is logged and counted in ``STATS`` (not written in
the ingest log: a warm run's tables are the cold run's). See docs/ingest.md.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import json
import logging
import re
from pathlib import Path

from helpers.core.consultation import Consultation
from helpers.ingest import cache_growth
from helpers.ingest.cache_entry import read_entry, write_entry
from helpers.ingest.inputs import check_format, read_input
from helpers.ingest.readers import PARSER_VERSION, TABLE_READERS, ReadResult, read_file
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits

__all__ = ["PARSE_DIR", "STATS", "cache_key", "read_cached"]

log = logging.getLogger(__name__)

# Bump when the cache entry's layout or key changes, so old entries are not reused.
CACHE_VERSION = "4"  # 4: Parquet entries under parse/, grown exports read from their new rows
PARSE_DIR = "parse"
# Limits enforced on every run outside the readers (before reading, or around it), so
# they need not be part of the key; every other limit can change what a reader returns.
_STAGE_LIMITS = {"max_file_mb", "max_seconds_per_file"}
# What the cache did in this process: "reused" (whole parses), "grown" (exports read
# from their new rows), "parsed" (files read in full), "rows_parsed" (survey rows read).
STATS: collections.Counter[str] = collections.Counter()


def cache_key(
    file_sha: str, fmt: str, consultation: Consultation, limits: Limits = DEFAULT_LIMITS
) -> str:
    """The cache entry's name for a file's bytes read as ``fmt`` under ``limits``."""
    return f"{file_sha}-{fmt}-{_config_hash(fmt, consultation, limits)}"


def _config_hash(fmt: str, consultation: Consultation, limits: Limits) -> str:
    """What besides the bytes decides a parse: format, reader version, limits, survey config."""
    reader_limits = {k: v for k, v in limits.as_dict().items() if k not in _STAGE_LIMITS}
    parts: list = [fmt, PARSER_VERSION, CACHE_VERSION, reader_limits]
    if fmt in TABLE_READERS:
        # Survey documents embed question text, mapped respondent types and attribute
        # columns' values, so the questions, the respondent-type words and the
        # attributes are part of the key too.
        surveys = [dataclasses.asdict(m) for m in consultation.surveys]
        parts += [
            surveys,
            [dataclasses.asdict(q) for q in consultation.questions],
            dataclasses.asdict(consultation.respondent_types),
            [dataclasses.asdict(a) for a in consultation.attributes],
        ]
    blob = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def read_cached(
    path: Path,
    name: str,
    consultation: Consultation,
    cache_dir: Path | None,
    limits: Limits = DEFAULT_LIMITS,
    data: bytes | None = None,
) -> tuple[ReadResult, bool]:
    """Read a file (``data`` if already read), reusing a cached parse of the same bytes.

    Returns ``(result, reused)``; ``reused`` is also true for a grown export
    whose earlier rows came from the cache. The extension is checked first and
    the size before any byte is read (``read_input``), so neither depends on
    the cache.
    """
    fmt = check_format(path)
    if data is None:
        data = read_input(path, name, limits)
    if cache_dir is None or not data:
        return _parse(path, name, data, consultation, limits), False
    file_sha = sha256(data)
    _drop_legacy(Path(cache_dir))
    folder = Path(cache_dir) / PARSE_DIR
    config = _config_hash(fmt, consultation, limits)
    entry = folder / f"{file_sha}-{fmt}-{config}.parquet"
    if entry.is_file():
        cached = read_entry(entry, path, name, fmt, file_sha)
        if cached is not None:
            STATS["reused"] += 1
            log.info("%s: cached parse reused", name)
            return cached[0], True
    grown = None
    if fmt == "csv":
        grown = cache_growth.grow_from_cache(
            folder, fmt, config, path, name, data, consultation, limits
        )
    if grown is not None:
        result, superseded = grown.result, grown.superseded
        STATS["grown"] += 1
        STATS["rows_parsed"] += grown.new_rows
    else:
        result, superseded = _parse(path, name, data, consultation, limits), None
    write_entry(entry, result, fmt, len(data))
    if superseded is not None:
        superseded.unlink(missing_ok=True)  # the grown file's entry holds its rows now
    return result, grown is not None


_LEGACY = re.compile(r"^[0-9a-f]{64}-[a-z]+-[0-9a-f]{16}\.json$")  # CACHE_VERSION 3's entries
_LEGACY_CHECKED: set[Path] = set()


def _drop_legacy(cache_dir: Path) -> None:
    """Delete the JSON entries earlier versions wrote at the cache's top level (never read
    again), once per cache folder and process."""
    if cache_dir in _LEGACY_CHECKED:
        return
    _LEGACY_CHECKED.add(cache_dir)
    with contextlib.suppress(OSError):
        for old in cache_dir.glob("*.json"):
            if _LEGACY.match(old.name):
                old.unlink(missing_ok=True)


def _parse(
    path: Path, name: str, data: bytes, consultation: Consultation, limits: Limits
) -> ReadResult:
    """A full parse (the reader), counted in ``STATS``."""
    result = read_file(path, name, data, consultation, limits)
    STATS["parsed"] += 1
    if path.suffix.lower().lstrip(".") in TABLE_READERS:
        STATS["rows_parsed"] += len(result.documents) + len(result.row_problems)
    return result
