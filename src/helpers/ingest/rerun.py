"""The ingest stage's cache: an unchanged input folder gets the tables of the run that read it.

``run_ingest`` with a cache folder first computes :func:`ingest_key` from
everything the stage reads: every entry the folder walk finds (its name,
size, why it is skipped if it is, and the SHA-256 of every file that is
read, the researcher's manifest included), the consultation (its file's bytes
and what loading it gave), the metadata file's name, the limits, and
``stagecache.environment`` (the package's code and data, installed
distributions, the embedding models). A hit copies the six files the stage
writes, byte for byte, into the output folder (``stagecache.StageCache``);
a miss runs the stage and keeps what it wrote.

What is not kept, and why: a run in which a file hit ``max_seconds_per_file``
(how long a read takes depends on the machine's load, so the next run may
finish it), and a run during which a file changed after it was hashed (its
log's SHA-256 differs from the key's; the entry would be filed under bytes it
did not read).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pandas as pd

from helpers.core.consultation import Consultation
from helpers.core.stagecache import StageCache, environment, file_sha, fingerprint
from helpers.ingest.inputs import Entry, walk_inputs
from helpers.ingest.readers import PARSER_VERSION
from helpers.ingest.readers.limits import Limits

__all__ = ["TABLE_FILES", "ingest_key", "restore", "store"]

log = logging.getLogger(__name__)

STAGE = "ingest"
# The files the stage writes, in IngestResult's order, plus the log's CSV copy.
TABLE_FILES = (
    "respondents.parquet",
    "answers.parquet",
    "ingest_log.parquet",
    "copies.parquet",
    "attributes.parquet",
)
FILES = (*TABLE_FILES, "ingest_log.csv")
_TIMEOUT = "max_seconds_per_file"  # in the reason of a file that ran out of time


def _entry_part(entry: Entry, limits: Limits) -> list:
    """What the key holds of one walk entry; the content hash of each file that is read."""
    sha: str | None = None
    if entry.skip is None and entry.size <= limits.max_file_bytes:
        try:
            sha = file_sha(entry.path)
        except OSError as exc:
            sha = f"unreadable: {exc}"
    return [entry.name, entry.size, entry.skip, sha]


def ingest_key(
    input_dir: Path,
    consultation_path: Path,
    consultation: Consultation,
    metadata_file: str | None,
    limits: Limits,
    exclude: list[Path],
) -> tuple[str, dict[str, str]]:
    """The stage's key and the SHA-256 of each file it hashed (by name)."""
    entries = [_entry_part(e, limits) for e in walk_inputs(input_dir, exclude)]
    consult = [file_sha(consultation_path), dataclasses.asdict(consultation)]
    key = fingerprint(
        [STAGE, PARSER_VERSION, entries, consult, metadata_file, limits.as_dict(), environment()]
    )
    return key, {name: sha for name, _, _, sha in entries if sha is not None}


def restore(cache_dir: Path, key: str, output_dir: Path) -> list[pd.DataFrame] | None:
    """The tables of entry ``key``, copied into ``output_dir``; None on a miss."""
    if StageCache(cache_dir, STAGE).restore(key, output_dir, FILES) is None:
        return None
    tables = [pd.read_parquet(output_dir / name) for name in TABLE_FILES]
    log.info(
        "ingest: inputs unchanged since a previous run: %d respondents, %d answers "
        "restored from the cache (%s)",
        len(tables[0]),
        len(tables[1]),
        cache_dir,
    )
    return tables


def store(
    cache_dir: Path, key: str, output_dir: Path, ingest_log: pd.DataFrame, shas: dict[str, str]
) -> bool:
    """Keep what the stage wrote in ``output_dir`` under ``key``, unless the run was not
    repeatable (see the module docstring). Returns whether it was kept."""
    reasons = ingest_log["reason"].dropna().astype(str)
    if reasons.str.contains(_TIMEOUT, regex=False).any():
        log.info("ingest cache: not stored (a file ran out of time; the next run tries again)")
        return False
    read = ingest_log.dropna(subset=["sha256"])
    changed = [f for f, s in zip(read["file"], read["sha256"], strict=True) if shas.get(f, s) != s]
    if changed:
        log.warning("ingest cache: not stored: %s changed while the run read it", changed[:5])
        return False
    StageCache(cache_dir, STAGE).store(key, output_dir, FILES)
    return True
