"""``manifest.json``: what a run read, how it was configured, what it wrote, with what software.

Inputs and configuration files with their SHA-256, the resolved parameters,
package versions, Python and platform, the git commit (and whether the checkout
had uncommitted changes), times, status and error, the notebooks executed and
every output file with its SHA-256: enough to tell later exactly what a report
was built from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers.core import paths
from helpers.core.stagecache import file_sha
from helpers.pipeline.config import RunConfig

# Packages whose versions go into the manifest (the ones that shape the results).
MANIFEST_PACKAGES = (
    "consultation-helpers",
    "pandas",
    "numpy",
    "pyarrow",
    "pyyaml",
    "nltk",
    "python-docx",
    "pypdf",
    "openpyxl",
    "rapidfuzz",
    "pyahocorasick",
    "vaderSentiment",
    "matplotlib",
    "papermill",
    "nbconvert",
    "ipykernel",
    "weasyprint",
    "krippendorff",
    "filelock",
)


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex (the stage caches' :func:`~helpers.core.stagecache.file_sha`)."""
    return file_sha(path)


def file_entry(path: Path, root: Path | None = None) -> dict[str, Any]:
    name = str(path.relative_to(root)) if root else str(path)
    return {"path": name, "bytes": path.stat().st_size, "sha256": sha256_file(path)}


def input_errors(run_dir: Path) -> list[dict[str, str]]:
    """The inputs ingest could not read in a run: ``{"file", "reason"}`` per failed log row.

    Read from the run's own copy of ``processed/ingest_log.parquet`` (a
    failed file, or a failed row of a survey export). Such a run still
    publishes and moves ``latest`` (the report names each one in a warning
    box), but ``python -m helpers.pipeline`` exits 3, "completed with input
    errors", so a scheduler notices.
    """
    return processed_input_errors(run_dir / "processed")


def processed_input_errors(processed_dir: Path) -> list[dict[str, str]]:
    """The failed rows of ``processed_dir/ingest_log.parquet`` (``consult prepare``'s exit 3)."""
    import pandas as pd  # only once a run has tables to read

    path = Path(processed_dir) / "ingest_log.parquet"
    if not path.is_file():
        return []
    log_df = pd.read_parquet(path, columns=["file", "status", "reason"])
    failed = log_df[log_df["status"].astype(str) == "failed"]
    return [
        {"file": str(f), "reason": "" if pd.isna(r) else str(r)}
        for f, r in zip(failed["file"], failed["reason"], strict=True)
    ]


def input_files(input_dir: Path) -> list[Path]:
    """Every non-hidden file under ``input_dir``, sorted (what the manifest lists)."""
    out = []
    for p in sorted(input_dir.rglob("*")):
        rel = p.relative_to(input_dir)
        if p.is_file() and not any(part.startswith((".", "~$")) for part in rel.parts):
            out.append(p)
    return out


def package_versions(names: Sequence[str] = MANIFEST_PACKAGES) -> dict[str, str | None]:
    """Installed versions of ``names`` (None when not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_state(root: Path) -> dict[str, Any] | None:
    """The checkout's commit and whether it has uncommitted changes, if it is a git repo."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


def build_manifest(
    config: RunConfig,
    run_id: str,
    run_dir: Path,
    started: dt.datetime,
    status: str,
    error: str | None,
    notebooks: list[str],
    final_dir: Path,
) -> dict[str, Any]:
    """The manifest of a run built in ``run_dir`` that will be kept as ``final_dir``."""
    config_files = {}
    for key in ("consultation", "codebook", "overrides", "hand_coded", "source"):
        p = getattr(config, key)
        if p is not None and Path(p).is_file():
            config_files[key] = file_entry(Path(p))
    meta = config.input_dir / config.metadata_file
    if meta.is_file():
        config_files["metadata_file"] = file_entry(meta)
    outputs = [
        file_entry(p, run_dir)
        for p in sorted(run_dir.rglob("*"))
        if p.is_file() and p.name not in ("manifest.json", "run.log")
    ]
    ended = dt.datetime.now(dt.UTC)
    return {
        "run_id": run_id,
        "consultation_id": config.consultation_id,
        "status": status,
        "error": error,
        "run_dir": str(final_dir),
        "started": started.isoformat(timespec="seconds"),
        "ended": ended.isoformat(timespec="seconds"),
        "duration_seconds": round((ended - started).total_seconds(), 1),
        "inputs": [file_entry(p, config.input_dir) for p in input_files(config.input_dir)],
        "input_dir": str(config.input_dir),
        "configuration": config_files,
        "parameters": config.as_dict(),
        "notebooks": notebooks,
        # Failed inputs (files or survey rows): the run completed with input errors (exit 3).
        "input_errors": input_errors(run_dir),
        "outputs": outputs,
        "packages": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git": git_state(paths.project_root()),
    }


def write_manifest(path: Path, manifest: dict[str, Any], compact: bool = False) -> None:
    """Write ``manifest`` to ``path`` atomically: a temporary file beside it, then a rename.

    A reader (or a disk that fills up half-way) sees either the complete old
    file or the complete new one, never a truncated one. ``compact`` drops the
    indentation, for when space is short. On failure the temporary file is
    removed and the OSError raised.
    """
    text = json.dumps(manifest, indent=None if compact else 2, ensure_ascii=False)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
