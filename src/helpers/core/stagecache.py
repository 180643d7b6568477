"""Stage caches: a stage's output files kept under a key made of everything the stage reads.

A re-run whose inputs are unchanged copies the tables a previous run wrote
instead of computing them again (``ingest.rerun``, ``coding.rerun``). Rules,
and why:

- **The key is what the stage reads, never when or where.** Each stage hashes
  its inputs (file contents, the loaded configuration, the limits) and adds
  :func:`environment`: a hash of the package's own files (code and data lists)
  and of every installed distribution's name and version, so a code change, an
  upgrade or a model installed since the last run all miss. A miss costs only
  the time the stage would have taken anyway; a wrong hit would publish stale
  tables, so the key errs towards missing.
- **An entry is a folder of the stage's own output files, byte for byte**
  (Parquet as the stage wrote it), so a warm run's tables are the cold run's
  bytes. ``entry.json`` lists each file's SHA-256 and size and any extra
  values the stage keeps (e.g. what coding could not process).
- **Written aside, then renamed**: an entry is built in a hidden temporary
  folder and renamed into place, so a killed run leaves no half entry under a
  real key. An entry whose ``entry.json`` is missing or unreadable, or whose
  files do not match it (truncated, edited, deleted), is ignored with a
  warning and removed; the stage then runs as if cold.
- **Bounded**: each stage keeps its ``KEEP`` most recently used entries.

Layout: ``<cache_dir>/<stage>/<key>/{entry.json, <table>.parquet, …}``. The
cache is regenerable: deleting the folder only costs the next run its time.
See docs/pipeline.md ("Re-runs and the cache").
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["KEEP", "StageCache", "environment", "file_sha", "fingerprint"]

log = logging.getLogger(__name__)

KEEP = 3  # entries kept per stage (the newest, by last use)
ENTRY_FILE = "entry.json"
LAYOUT_VERSION = "1"  # bump when an entry's layout changes
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # helpers/


def fingerprint(parts: Any) -> str:
    """A SHA-256 of ``parts`` as canonical JSON (keys sorted; other objects by ``str``)."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def file_sha(path: str | Path, chunk: int = 1 << 20) -> str:
    """The SHA-256 of a file's bytes, read in chunks (memory stays flat)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@functools.cache
def environment() -> str:
    """A hash of what a stage's output depends on besides its inputs.

    The package's own files (every file under ``helpers/`` but byte code: the
    code and the generic data lists), the name and version of every installed
    distribution (pandas, pyarrow, the readers' libraries, the embedding
    model packages), whether the embedding models can run here (a model
    removed by hand changes segmentation and semantic coding) and
    ``PYTHONHASHSEED``.
    """
    from helpers.core import embedding

    files = sorted(
        p
        for p in _PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    code = hashlib.sha256()
    for p in files:
        code.update(p.relative_to(_PACKAGE_DIR).as_posix().encode())
        code.update(file_sha(p).encode())
    dists = sorted(
        {(d.metadata["Name"] or "").lower(): d.version for d in metadata.distributions()}.items()
    )
    models = {m: embedding.available(m) for m in embedding.MODELS}
    seed = os.environ.get("PYTHONHASHSEED")  # the pipeline fixes it; a set's order may follow it
    return fingerprint([LAYOUT_VERSION, code.hexdigest(), dists, models, seed])


class StageCache:
    """One stage's entries under ``<cache_dir>/<stage>/`` (see the module docstring)."""

    def __init__(self, cache_dir: str | Path, stage: str) -> None:
        self.root = Path(cache_dir) / stage
        self.stage = stage

    def restore(self, key: str, dest: Path, names: Iterable[str]) -> dict[str, Any] | None:
        """Copy entry ``key``'s files ``names`` into ``dest``; its extra values, or None on a miss.

        A damaged entry (see the module docstring) is a miss, warned about and removed.
        """
        entry = self.root / key
        if not entry.is_dir():
            return None
        names = list(names)
        try:
            info = json.loads((entry / ENTRY_FILE).read_text(encoding="utf-8"))
            files = info["files"]
            for name in names:
                path = entry / name
                want = files[name]
                if path.stat().st_size != want["size"] or file_sha(path) != want["sha256"]:
                    raise ValueError(f"{name} does not match {ENTRY_FILE}")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s cache: ignoring damaged entry %s (%s)", self.stage, entry, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            tmp = dest / f".{name}.{os.getpid()}.tmp"
            shutil.copyfile(entry / name, tmp)
            tmp.replace(dest / name)
        os.utime(entry)  # last used: pruning keeps the entries in use
        return dict(info.get("extra") or {})

    def store(
        self, key: str, src: Path, names: Iterable[str], extra: Mapping[str, Any] | None = None
    ) -> None:
        """Keep ``src``'s files ``names`` as entry ``key`` (built aside, then renamed).

        Never fails the stage: a cache that cannot be written is warned about.
        """
        tmp = self.root / f".tmp-{key[:16]}-{os.getpid()}"
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            files = {}
            for name in names:
                shutil.copyfile(src / name, tmp / name)
                files[name] = {"sha256": file_sha(tmp / name), "size": (tmp / name).stat().st_size}
            info = {"stage": self.stage, "files": files, "extra": dict(extra or {})}
            (tmp / ENTRY_FILE).write_text(json.dumps(info, indent=1), encoding="utf-8")
            final = self.root / key
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
        except OSError as exc:
            log.warning("%s cache: could not store an entry in %s (%s)", self.stage, self.root, exc)
            shutil.rmtree(tmp, ignore_errors=True)
            return
        self.prune()

    def prune(self, keep: int = KEEP) -> None:
        """Delete all but the ``keep`` most recently used entries (and stale temporary folders)."""
        try:
            entries = [p for p in self.root.iterdir() if p.is_dir()]
        except OSError:
            return
        stale = [p for p in entries if p.name.startswith(".tmp-")]
        live = sorted(
            (p for p in entries if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime_ns,
            reverse=True,
        )
        for p in live[keep:] + [p for p in stale if not p.name.endswith(f"-{os.getpid()}")]:
            shutil.rmtree(p, ignore_errors=True)
