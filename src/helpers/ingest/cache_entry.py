"""One parse-cache entry: a file's Documents as a Parquet table, identity left out.

A row per Document, a column per field; the structured fields (``cues``,
``survey_answers``, ``attributes``) are JSON text cells, which Parquet
compresses well. The file's notes, per-row problems and byte length are in
the table's metadata under ``helpers.parse``. The file name, SHA-256 and
format, and a one-respondent document's id, are stored blank and set from the
current file when the entry is read (see ``cache``'s docstring: content,
never identity). Written to a temporary file and renamed, so an entry is
whole or absent; an entry that cannot be read back is a miss.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from helpers.core import schemas
from helpers.ingest.readers import DOCUMENT_READERS, ReadResult
from helpers.ingest.readers.base import slugify

__all__ = ["entry_info", "read_entry", "write_entry"]

log = logging.getLogger(__name__)

META_KEY = b"helpers.parse"
_IDENTITY = ("source_file", "source_sha256", "source_format")
_JSON_FIELDS = ("cues", "survey_answers", "attributes")
_FIELDS = [f.name for f in dataclasses.fields(schemas.Document)]
_TYPES = {"source_row": pa.int64()}


def write_entry(entry: Path, result: ReadResult, fmt: str, n_bytes: int) -> None:
    """Store ``result`` (the parse of ``n_bytes`` bytes read as ``fmt``) as ``entry``.

    Never fails the read: a cache that cannot be written is warned about.
    """
    document = fmt in DOCUMENT_READERS
    columns: dict[str, list] = {f: [] for f in _FIELDS}
    for doc in result.documents:
        for f in _FIELDS:
            value = getattr(doc, f)
            if f in _IDENTITY or (document and f == "respondent_id"):
                value = ""
            elif f in _JSON_FIELDS:
                value = None if value is None else json.dumps(value, ensure_ascii=False)
            columns[f].append(value)
    fields = [pa.field(f, _TYPES.get(f, pa.string())) for f in _FIELDS]
    meta = {"notes": result.notes, "row_problems": result.row_problems, "n_bytes": n_bytes}
    schema = pa.schema(fields, metadata={META_KEY: json.dumps(meta).encode()})
    table = pa.table(columns, schema=schema)
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, tmp, compression="zstd")
        tmp.replace(entry)
    except OSError as exc:
        log.warning("could not write the parse cache entry %s (%s)", entry, exc)
        tmp.unlink(missing_ok=True)


def entry_info(entry: Path) -> dict | None:
    """An entry's metadata (notes, row problems, byte length, rows) without its rows."""
    try:
        schema = pq.read_schema(entry)
        meta = json.loads(schema.metadata[META_KEY])
        meta["n_rows"] = pq.ParquetFile(entry).metadata.num_rows
        return meta
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None


def read_entry(
    entry: Path, path: Path, name: str, fmt: str, file_sha: str
) -> tuple[ReadResult, int] | None:
    """The cached parse and its byte length, identity from the current file; None if damaged."""
    try:
        table = pq.read_table(entry)
        meta = json.loads(table.schema.metadata[META_KEY])
        if set(table.column_names) != set(_FIELDS):
            raise ValueError(f"columns {table.column_names}")
        docs = [_document(d, path, name, fmt, file_sha) for d in table.to_pylist()]
        result = ReadResult(docs, list(meta["notes"]), [tuple(p) for p in meta["row_problems"]])
        return result, int(meta["n_bytes"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException) as exc:
        log.warning("%s: ignoring unreadable cache entry %s (%s)", name, entry, exc)
        entry.unlink(missing_ok=True)
        return None


def _document(d: dict, path: Path, name: str, fmt: str, file_sha: str) -> schemas.Document:
    """A Document from an entry's row, its identity set from the current file."""
    d["cues"] = [tuple(c) for c in json.loads(d["cues"])]
    if d["survey_answers"] is not None:
        d["survey_answers"] = {k: tuple(v) for k, v in json.loads(d["survey_answers"]).items()}
    d["attributes"] = {k: tuple(v) for k, v in json.loads(d["attributes"] or "{}").items()}
    d.update(source_file=name, source_format=fmt, source_sha256=file_sha)
    if fmt in DOCUMENT_READERS:
        d["respondent_id"] = slugify(path.stem)
    return schemas.Document(**d)
