"""The parse cache: a file's Documents, stored as JSON under what its bytes are.

With a cache folder, each file's parse (its Documents before metadata and
segmentation) is stored as JSON under a key made of the file's SHA-256, the
format it is read as, ``PARSER_VERSION``, the limits that can change what a
reader returns and, for survey exports, the consultation's questions and
respondent-type words. An unchanged file, even moved or renamed, is not parsed
again. Rules, and why:

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

See docs/ingest.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from pathlib import Path

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.ingest.inputs import check_format, read_input
from helpers.ingest.readers import (
    DOCUMENT_READERS,
    PARSER_VERSION,
    TABLE_READERS,
    ReadResult,
    read_file,
)
from helpers.ingest.readers.base import sha256, slugify
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits

__all__ = ["cache_key", "from_json", "read_cached", "to_json"]

log = logging.getLogger(__name__)


# Bump when the cache entry's layout or key changes, so old entries are not reused.
CACHE_VERSION = "3"  # 3: survey documents carry attribute values
# Limits enforced on every run outside the readers (before reading, or around it), so
# they need not be part of the key; every other limit can change what a reader returns.
_STAGE_LIMITS = {"max_file_mb", "max_seconds_per_file"}
# A one-respondent document's identity comes from its file, never from the cache.
_IDENTITY = ("source_file", "source_sha256", "source_format")


# --- The parse cache --------------------------------------------------------------------


def cache_key(
    file_sha: str, fmt: str, consultation: Consultation, limits: Limits = DEFAULT_LIMITS
) -> str:
    """The cache entry's name for a file's bytes read as ``fmt`` under ``limits``."""
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
    return f"{file_sha}-{fmt}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def to_json(result: ReadResult, fmt: str) -> str:
    """The parse as JSON, without the file's identity (name, SHA-256, format, document id)."""
    documents = []
    for doc in result.documents:
        d = dataclasses.asdict(doc)
        for field in _IDENTITY:
            d[field] = ""
        if fmt in DOCUMENT_READERS:
            d["respondent_id"] = ""
        documents.append(d)
    return json.dumps(
        {"documents": documents, "notes": result.notes, "row_problems": result.row_problems}
    )


def from_json(blob: str, path: Path, name: str, fmt: str, file_sha: str) -> ReadResult:
    """A cached parse, with its identity set from the current file (see the module docstring)."""
    raw = json.loads(blob)
    docs = []
    for d in raw["documents"]:
        d["cues"] = [tuple(c) for c in d["cues"]]
        if d["survey_answers"] is not None:
            d["survey_answers"] = {k: tuple(v) for k, v in d["survey_answers"].items()}
        d["attributes"] = {k: tuple(v) for k, v in (d.get("attributes") or {}).items()}
        d.update(source_file=name, source_format=fmt, source_sha256=file_sha)
        if fmt in DOCUMENT_READERS:
            d["respondent_id"] = slugify(path.stem)
        docs.append(schemas.Document(**d))
    return ReadResult(docs, list(raw["notes"]), [tuple(p) for p in raw["row_problems"]])


def read_cached(
    path: Path,
    name: str,
    consultation: Consultation,
    cache_dir: Path | None,
    limits: Limits = DEFAULT_LIMITS,
    data: bytes | None = None,
) -> tuple[ReadResult, bool]:
    """Read a file (``data`` if already read), reusing a cached parse of the same bytes.

    Returns ``(result, reused)``. The extension is checked first and the size
    before any byte is read (``read_input``), so neither depends on the cache.
    """
    fmt = check_format(path)
    if data is None:
        data = read_input(path, name, limits)
    if cache_dir is None or not data:
        return read_file(path, name, data, consultation, limits), False
    file_sha = sha256(data)
    entry = cache_dir / f"{cache_key(file_sha, fmt, consultation, limits)}.json"
    if entry.is_file():
        try:
            blob = entry.read_text(encoding="utf-8")
            return from_json(blob, path, name, fmt, file_sha), True
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("%s: ignoring unreadable cache entry %s (%s)", name, entry, exc)
    result = read_file(path, name, data, consultation, limits)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    tmp.write_text(to_json(result, fmt), encoding="utf-8")
    tmp.replace(entry)
    return result, False
