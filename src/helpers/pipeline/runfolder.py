"""A consultation's reports folder: run ids, the lock, building a run aside, ``latest``.

::

    <output_root>/<consultation id>/
      .pipeline.lock        held by the one run allowed at a time
      LATEST, latest        the newest complete run (text file, symlink)
      <run id>/             complete runs only
      <run id>.failed/      failed runs, kept for diagnosis
      .<run id>.partial/    the run being built

A run is built in its hidden ``.partial`` folder, logging to its own ``run.log``;
when it ends its ``manifest.json`` is written and the folder renamed into place,
``<run id>`` on success, ``<run id>.failed`` otherwise (SIGTERM included). Only
then does ``latest`` move, atomically, so nothing reading it sees a half-built or
failed run. Sealing is written so that it cannot itself be what fails: a full
disk that stops ``manifest.json`` (written atomically, so never truncated) still
ends the run as ``.failed`` with what of its manifest fitted, and a ``latest``
that cannot be moved demotes the sealed run to ``.failed``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.logs import FORMAT, RedactingFormatter
from helpers.pipeline.config import (
    FAILED_SUFFIX,
    LATEST_LINK,
    PARTIAL_SUFFIX,
    RunConfig,
)
from helpers.pipeline.errors import (  # noqa: F401 (LockHeld re-exported)
    LockHeld,
    PipelineError,
    RunConfigError,
    is_expected,
)
from helpers.pipeline.manifest import build_manifest, write_manifest
from helpers.pipeline.processed import hold_at_once, hold_processed_lock

log = logging.getLogger("helpers.pipeline")  # one name for the run's lines, as under `python -m`
# The traceback of an expected failure goes to run.log only (see _log_failure).
_run_log_only = logging.getLogger("helpers.pipeline.run_log")
_run_log_only.propagate = False

LATEST_FILE = "LATEST"
LOCK_FILE = ".pipeline.lock"
PARTIAL_PREFIX = "."


def consultation_reports(config: RunConfig) -> Path:
    """``<output_root>/<consultation id>``: where the runs, ``latest`` and the lock live."""
    return config.output_root / config.consultation_id


def lock_path(config: RunConfig) -> Path:
    """The lock file shared by every run of this consultation into this output root."""
    return consultation_reports(config) / LOCK_FILE


@contextlib.contextmanager
def hold_lock(config: RunConfig) -> Iterator[Path]:
    """Hold the consultation's lock and the processed folder's; yield the reports folder.

    The reports lock keeps two runs into one output root from racing for run ids
    and ``latest``; the processed lock (processed.hold_processed_lock) keeps any
    two writers of one processed folder apart, whatever their output roots, and
    ``consult prepare`` too. Raises LockHeld at once, without waiting, if either
    is held.
    """
    reports_dir = consultation_reports(config)
    reports_dir.mkdir(parents=True, exist_ok=True)
    with (
        hold_at_once(lock_path(config), f"another pipeline run for {config.consultation_id}"),
        hold_processed_lock(config),
    ):
        yield reports_dir


def latest_run(reports_dir: str | Path) -> Path | None:
    """The newest complete run in ``<output_root>/<consultation id>``, from ``LATEST``."""
    marker = Path(reports_dir) / LATEST_FILE
    if not marker.is_file():
        return None
    run_id = marker.read_text(encoding="utf-8").strip()
    run = Path(reports_dir) / run_id
    return run if run_id and run.is_dir() else None


def new_run_id(reports_dir: Path, requested: str | None) -> str:
    """``requested`` if no run has it yet, else a UTC timestamp (``-2``, ``-3``… if taken)."""
    if requested:
        taken = [reports_dir / requested, reports_dir / f"{requested}{FAILED_SUFFIX}"]
        if any(p.exists() for p in taken):
            raise RunConfigError(
                f"run id {requested!r} already exists in {reports_dir}; pick another"
            )
        return requested
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while any(
        (reports_dir / name).exists()
        for name in (run_id, f"{run_id}{FAILED_SUFFIX}", f".{run_id}{PARTIAL_SUFFIX}")
    ):
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def point_latest(reports_dir: Path, run_id: str) -> None:
    """Switch ``latest`` (symlink) and ``LATEST`` (text) to ``run_id``, each atomically.

    Both are prepared aside first (the only step that needs disk space), then
    renamed into place, so a full disk leaves both naming the previous run and
    raises OSError.
    """
    marker, tmp_marker = reports_dir / LATEST_FILE, reports_dir / f".{LATEST_FILE}.tmp"
    link, tmp_link = reports_dir / LATEST_LINK, reports_dir / f".{LATEST_LINK}.tmp"
    try:
        tmp_marker.write_text(run_id + "\n", encoding="utf-8")
    except OSError:
        with contextlib.suppress(OSError):
            tmp_marker.unlink()
        raise
    try:
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        os.symlink(run_id, tmp_link, target_is_directory=True)
        os.replace(tmp_link, link)
    except OSError as exc:  # e.g. Windows without symlink rights: LATEST still works
        log.warning("could not update the %s symlink (%s); %s is updated", link, exc, LATEST_FILE)
    os.replace(tmp_marker, marker)


def recover_interrupted(reports_dir: Path) -> None:
    """Rename partial folders left by a killed run to ``.failed`` (we hold the lock)."""
    for p in reports_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        run_id = p.name[len(PARTIAL_PREFIX) : -len(PARTIAL_SUFFIX)]
        target = reports_dir / f"{run_id}{FAILED_SUFFIX}"
        if not target.exists():
            log.warning("run %s was interrupted earlier; keeping it as %s", run_id, target)
            p.rename(target)


@contextlib.contextmanager
def log_to_file(path: Path) -> Iterator[None]:
    """Send every log line (papermill's relay of notebook output included) to ``path`` too,
    with personal data replaced by placeholders (the run folder is shared)."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(RedactingFormatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    _run_log_only.addHandler(handler)
    level = root.level
    # papermill's cell output logging is at INFO; make sure it reaches run.log.
    if level > logging.INFO or level == logging.NOTSET:
        root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        _run_log_only.removeHandler(handler)
        root.setLevel(level)
        handler.close()


@dataclass
class RunBuild:
    """A run being built: its id, the folder it is built in, the notebooks executed so far."""

    run_id: str
    path: Path  # .<run id>.partial while the run is built
    started: dt.datetime
    notebooks: list[str] = field(default_factory=list)
    final: Path | None = None  # <run id> or <run id>.failed, once renamed


@contextlib.contextmanager
def build_run(config: RunConfig, reports_dir: Path, run_id: str) -> Iterator[RunBuild]:
    """Build run ``run_id`` in a hidden folder, logging to its ``run.log``; then seal it.

    On leaving, ``manifest.json`` is written and the folder renamed to
    ``<run id>`` (``build.final``). If the body fails, even by SIGTERM or
    Ctrl-C, the run is kept as ``<run id>.failed`` and PipelineError is raised
    (a SystemExit or KeyboardInterrupt goes on after the run is sealed).
    """
    build = RunBuild(
        run_id, reports_dir / f"{PARTIAL_PREFIX}{run_id}{PARTIAL_SUFFIX}", dt.datetime.now(dt.UTC)
    )
    build.path.mkdir()
    status, error = "failed", None
    try:
        with log_to_file(build.path / "run.log"):
            log.info("run %s of %s into %s", run_id, config.consultation_id, reports_dir)
            try:
                yield build
                status = "ok"
            except BaseException as exc:  # also SIGTERM/Ctrl-C: never leave a half run
                error = f"{type(exc).__name__}: {exc}"
                _log_failure(run_id, error, exc)
                if not isinstance(exc, Exception):
                    raise
    finally:
        status, error = _seal(config, build, status, error)
    if status != "ok":
        raise PipelineError(
            f"run {run_id} failed ({error}); see {build.final / 'run.log'}", build.final
        )


def _log_failure(run_id: str, error: str, exc: BaseException) -> None:
    """Log why a run failed, keeping a bug's traceback where it will be seen.

    An expected failure (is_expected) is reported in one line by whoever catches
    the PipelineError that follows; its traceback goes to run.log only. Anything
    else, a bug or a stop signal, is logged with its traceback everywhere.
    """
    if is_expected(exc):
        _run_log_only.error("run %s failed: %s", run_id, error, exc_info=exc)
    else:
        log.error("run %s failed: %s", run_id, error, exc_info=exc)


def _seal(
    config: RunConfig, build: RunBuild, status: str, error: str | None
) -> tuple[str, str | None]:
    """Write ``manifest.json``, rename the build folder into place, move ``latest``.

    Returns the final status and error. Sealing must itself not fail: a run
    that cannot write its manifest (disk full) is still renamed ``.failed``,
    with as much of its manifest as could be written (the full one compactly,
    else its id, status and error), never left as ``.partial``; a run whose
    ``latest`` cannot be moved is renamed ``.failed`` after the fact.
    """
    reports_dir = build.path.parent
    failed = reports_dir / f"{build.run_id}{FAILED_SUFFIX}"
    final = reports_dir / build.run_id if status == "ok" else failed
    try:
        manifest = build_manifest(
            config, build.run_id, build.path, build.started, status, error, build.notebooks, final
        )
    except Exception as exc:  # no manifest, no audit trail: the run cannot count
        log.exception("run %s: could not write its manifest", build.run_id)
        status, error, final = "failed", f"{error or ''} manifest failed: {exc}".strip(), failed
        manifest = {"run_id": build.run_id, "status": status, "error": error, "run_dir": str(final)}
    try:
        write_manifest(build.path / "manifest.json", manifest)
    except OSError as exc:
        log.error("run %s: could not write manifest.json (%s)", build.run_id, exc)
        status, error, final = "failed", f"{error or ''} manifest.json: {exc}".strip(), failed
        manifest.update(status=status, error=error, run_dir=str(final))
        _write_what_fits(build.path / "manifest.json", manifest)
    try:
        build.path.rename(final)
    except OSError as exc:  # the next run's recover_interrupted renames it .failed
        log.error("run %s: could not rename %s (%s)", build.run_id, build.path, exc)
        build.final = build.path
        return "failed", f"{error or ''} rename failed: {exc}".strip()
    build.final = final
    if status == "ok":
        try:
            point_latest(reports_dir, build.run_id)
        except OSError as exc:
            error = f"latest could not be moved: {exc}"
            log.error("run %s: %s", build.run_id, error)
            manifest.update(status="failed", error=error, run_dir=str(failed))
            _demote(build, manifest)
            return "failed", error
    return status, error


def _write_what_fits(path: Path, manifest: dict) -> None:
    """The manifest, else compactly, else only the run id, status and error, else nothing."""
    short = {k: manifest.get(k) for k in ("run_id", "status", "error", "run_dir")}
    for attempt, compact in ((manifest, False), (manifest, True), (short, True)):
        try:
            write_manifest(path, attempt, compact=compact)
            return
        except OSError as exc:
            log.error("manifest.json: %s", exc)


def _demote(build: RunBuild, manifest: dict) -> None:
    """Rename a sealed run ``.failed`` (``latest`` still names the previous run)."""
    assert build.final is not None
    failed = build.final.with_name(f"{build.run_id}{FAILED_SUFFIX}")
    try:
        build.final.rename(failed)
    except OSError as exc:
        log.error("run %s: could not rename it %s (%s)", build.run_id, failed.name, exc)
        return
    build.final = failed
    _write_what_fits(failed / "manifest.json", manifest)
