"""The coding stage's cache: unchanged answers, codebook and overrides get the tables already coded.

``run_coding`` with a cache folder computes :func:`coding_key` from everything
the stage reads: the bytes of ``respondents.parquet`` and ``answers.parquet``
(the ingest stage writes the same bytes for the same inputs, so an unchanged
re-run hits here too), the consultation (its file's bytes and what loading it
gave), the codebook's and the overrides' bytes, the hand-coded sample, and
``stagecache.environment`` (the package's code and data, installed
distributions, whether the embedding models can run). A hit copies
``codes``, ``stances``, ``uncoded`` and ``suggestions`` (byte for byte) into
the processed folder and returns what coding could not process as the run
that made them recorded it; a miss codes and keeps what it wrote.

Not in the key: ``workers`` and ``dask`` (where the work runs; the tables are
the same, ``tests/test_distributed.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

import pandas as pd

from helpers.coding.stack import WEIGHTS as STACKER_WEIGHTS
from helpers.core.consultation import Consultation
from helpers.core.stagecache import StageCache, environment, file_sha, fingerprint

__all__ = ["FILES", "coding_key", "restore", "store"]

log = logging.getLogger(__name__)

STAGE = "coding"
FILES = ("codes.parquet", "stances.parquet", "uncoded.parquet", "suggestions.parquet")
INPUTS = ("respondents.parquet", "answers.parquet")


def _sha(source: str | Path | pd.DataFrame | None) -> str | None:
    """The content hash of an optional input file, or of a table given in memory."""
    if source is None:
        return None
    if isinstance(source, pd.DataFrame):
        rows = pd.util.hash_pandas_object(source, index=False).to_numpy().tobytes()
        return hashlib.sha256(rows + str(list(source.columns)).encode()).hexdigest()
    return file_sha(source)


def _training_answers(codebook_path: str | Path) -> Path | None:
    """The codebook's ``training_answers`` file (coding.trained), which the stage reads too."""
    from helpers.coding.codebook import load_codebook

    try:
        return load_codebook(codebook_path).training_answers
    except Exception:  # noqa: BLE001 - an unreadable codebook fails in the stage itself
        return None


def coding_key(
    processed_dir: Path,
    consultation_path: str | Path,
    consultation: Consultation,
    codebook_path: str | Path,
    overrides_path: str | Path | None,
    hand_coded: str | Path | pd.DataFrame | None,
) -> str:
    """The stage's key: a hash of everything it reads (see the module docstring)."""
    return fingerprint(
        [
            STAGE,
            [file_sha(processed_dir / name) for name in INPUTS],
            file_sha(consultation_path),
            dataclasses.asdict(consultation),
            file_sha(codebook_path),
            _sha(_training_answers(codebook_path)),
            _sha(STACKER_WEIGHTS),  # the packaged stacker's weights (codebook training_stacker)
            _sha(overrides_path),
            _sha(hand_coded),
            environment(),
        ]
    )


def restore(
    cache_dir: Path, key: str, processed_dir: Path
) -> tuple[list[pd.DataFrame], list[str]] | None:
    """Entry ``key``'s tables copied into ``processed_dir`` and its unprocessed list; None on a miss."""
    extra = StageCache(cache_dir, STAGE).restore(key, processed_dir, FILES)
    if extra is None:
        return None
    tables = [pd.read_parquet(processed_dir / name) for name in FILES]
    unprocessed = [str(u) for u in extra.get("unprocessed", [])]
    log.info(
        "coding: answers, codebook and overrides unchanged since a previous run: "
        "%d codes, %d stances restored from the cache (%s)",
        len(tables[0]),
        len(tables[1]),
        cache_dir,
    )
    if unprocessed:
        log.warning(
            "coding (restored from the cache): %d item(s) not processed, e.g. %s",
            len(unprocessed),
            unprocessed[0],
        )
    return tables, unprocessed


def store(cache_dir: Path, key: str, processed_dir: Path, unprocessed: list[str]) -> None:
    """Keep the tables the stage wrote in ``processed_dir`` under ``key``."""
    StageCache(cache_dir, STAGE).store(
        key, processed_dir, FILES, extra={"unprocessed": list(unprocessed)}
    )
