"""The parse cache: a file's Documents, stored as JSON named by the bytes that made them.

With a cache folder, each file's parse (its Documents before metadata and
segmentation) is stored under the file's SHA-256 and ``PARSER_VERSION``, so
an unchanged file, even moved or renamed, is not parsed again. Survey
exports embed the consultation's questions and respondent-type words, so for
them those are part of the key too. See docs/ingest.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from pathlib import Path

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.ingest.readers import PARSER_VERSION, SUPPORTED, TABLE_READERS, ReadResult, read_file
from helpers.ingest.readers.base import sha256
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits

log = logging.getLogger(__name__)


def cache_key(file_sha: str, fmt: str | None, consultation: Consultation) -> str:
    """The cache entry's name for a file's bytes read as ``fmt``."""
    key = f"{file_sha}-v{PARSER_VERSION}"
    if fmt in TABLE_READERS:
        survey = dataclasses.asdict(consultation.survey) if consultation.survey else None
        # Survey documents embed question text and mapped respondent types, so the
        # questions and the respondent-type words are part of the key too.
        blob = json.dumps(
            [
                survey,
                [dataclasses.asdict(q) for q in consultation.questions],
                dataclasses.asdict(consultation.respondent_types),
            ]
        )
        key += "-" + hashlib.sha256(blob.encode()).hexdigest()[:16]
    return key


def to_json(result: ReadResult) -> str:
    return json.dumps(
        {
            "documents": [dataclasses.asdict(d) for d in result.documents],
            "notes": result.notes,
            "row_problems": result.row_problems,
        }
    )


def from_json(blob: str, name: str) -> ReadResult:
    raw = json.loads(blob)
    docs = []
    for d in raw["documents"]:
        d["cues"] = [tuple(c) for c in d["cues"]]
        if d["survey_answers"] is not None:
            d["survey_answers"] = {k: tuple(v) for k, v in d["survey_answers"].items()}
        d["source_file"] = name  # the same bytes may have been moved or renamed
        docs.append(schemas.Document(**d))
    return ReadResult(docs, raw["notes"], [tuple(p) for p in raw["row_problems"]])


def read_cached(
    path: Path,
    name: str,
    consultation: Consultation,
    cache_dir: Path | None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[ReadResult, bool]:
    """Read a file, reusing a cached parse of the same bytes when there is one."""
    data = path.read_bytes()
    if cache_dir is None or not data:
        return read_file(path, name, data, consultation, limits), False
    key = cache_key(sha256(data), SUPPORTED.get(path.suffix.lower()), consultation)
    cached = cache_dir / f"{key}.json"
    if cached.exists():
        try:
            return from_json(cached.read_text(encoding="utf-8"), name), True
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s: ignoring unreadable cache entry %s (%s)", name, cached, exc)
    result = read_file(path, name, data, consultation, limits)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(to_json(result), encoding="utf-8")
    tmp.replace(cached)
    return result, False
