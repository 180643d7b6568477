"""Run the whole analysis (ingest, code, analyse, report) as one auditable, schedulable job.

``python -m helpers.pipeline run`` executes the notebooks ``01_ingest``, ``02_code``,
``03_analyse`` and ``04_report`` in order with papermill. Each run gets its own folder,
``<output_root>/<consultation id>/<run id>/``, holding the executed notebooks (the audit
trail), the report, charts and tables, ``run.log`` and ``manifest.json`` (inputs and
configuration with SHA-256, package versions, parameters, git commit, times, status).

The run is built in a hidden sibling folder and renamed into place only on success;
then the ``latest`` pointer (a symlink plus a portable ``LATEST`` text file) is switched
atomically. A failed run is kept as ``<run id>.failed/`` and never becomes ``latest``.

Exit codes (for cron/systemd): 0 success, 1 failure (including an invalid configuration),
2 bad command line, 75 another run of the same consultation holds the lock.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from helpers.core import paths
from helpers.core.consultation import ConsultationError, load_consultation
from helpers.core.errors import ConfigError, ConsultError, RunError, one_line
from helpers.core.logs import FORMAT, setup_logging

log = logging.getLogger("helpers.pipeline")  # same name under `python -m`

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later

NOTEBOOKS = ("01_ingest", "02_code", "03_analyse", "04_report")
FORMATS = ("html", "pdf")
DEFAULT_CONFIG = "consultations/ofsted-ilacs-care-leavers-2022/run.yaml"
DEFAULT_LOG_FILE = "logs/pipeline.log"
LATEST_LINK = "latest"
LATEST_FILE = "LATEST"
LOCK_FILE = ".pipeline.lock"
FAILED_SUFFIX = ".failed"
PARTIAL_PREFIX = "."
PARTIAL_SUFFIX = ".partial"
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

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


class RunConfigError(ConfigError):
    """run.yaml (or a command-line override) is invalid; the message names the field to fix."""


class LockHeld(RunError):
    """Another pipeline run for the same consultation holds the lock."""


class PipelineError(RunError):
    """A run failed; ``run_dir`` is the ``<run id>.failed`` folder kept for diagnosis."""

    def __init__(self, message: str, run_dir: Path | None = None):
        super().__init__(message)
        self.run_dir = run_dir


@dataclass(frozen=True)
class RunConfig:
    """A validated run configuration (paths absolute)."""

    consultation: Path
    codebook: Path
    input_dir: Path
    processed_dir: Path
    output_root: Path
    overrides: Path | None = None
    metadata_file: str = "manifest.csv"
    cache_dir: Path | None = None
    title: str | None = None
    formats: tuple[str, ...] = FORMATS
    hand_coded: Path | None = None
    run_id: str | None = None
    notebooks_dir: Path | None = None
    source: Path | None = None  # the config file the values came from, if any
    consultation_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly parameters (for the manifest)."""
        out = {}
        for k, v in asdict(self).items():
            if isinstance(v, Path):
                v = str(v)
            elif isinstance(v, tuple):
                v = list(v)
            out[k] = v
        return out


# Fields a run.yaml may set, and whether each is a path.
_CONFIG_FIELDS: dict[str, bool] = {
    "consultation": True,
    "codebook": True,
    "overrides": True,
    "input_dir": True,
    "metadata_file": False,
    "processed_dir": True,
    "cache_dir": True,
    "output_root": True,
    "title": False,
    "formats": False,
    "hand_coded": True,
    "run_id": False,
    "notebooks_dir": True,
}
_REQUIRED = ("consultation", "codebook", "input_dir")


def _cerr(where: str, msg: str) -> RunConfigError:
    return RunConfigError(f"{where}: {msg}")


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Read a run.yaml into a mapping (unvalidated). Raises ConfigError naming the file."""
    path = paths.resolve(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RunConfigError(f"{path}: run configuration not found") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise RunConfigError(f"{path}{line}: not valid YAML: {exc}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RunConfigError(f"{path}: must be a YAML mapping of field: value")
    return raw


def build_config(
    values: dict[str, Any], where: str = "<run configuration>", source: Path | None = None
) -> RunConfig:
    """Validate ``values`` (from run.yaml and/or the command line) into a RunConfig.

    Relative paths resolve against the project root. Errors name ``where`` and the field.
    """
    unknown = sorted(set(values) - set(_CONFIG_FIELDS))
    if unknown:
        raise _cerr(where, f"unknown field(s) {unknown}; allowed: {sorted(_CONFIG_FIELDS)}")
    for key in _REQUIRED:
        if values.get(key) in (None, ""):
            raise _cerr(where, f"missing required field '{key}'")
    resolved: dict[str, Any] = {}
    for key, is_path in _CONFIG_FIELDS.items():
        v = values.get(key)
        if v is None or v == "":
            continue
        if is_path:
            if not isinstance(v, str | os.PathLike):
                raise _cerr(where, f"field '{key}' must be a path, got {v!r}")
            resolved[key] = paths.resolve(v)
        else:
            resolved[key] = v

    for key in ("consultation", "codebook", "overrides", "hand_coded"):
        p = resolved.get(key)
        if p is not None and not p.is_file():
            raise _cerr(where, f"field '{key}': file not found: {p}")
    if not resolved["input_dir"].is_dir():
        raise _cerr(where, f"field 'input_dir': folder not found: {resolved['input_dir']}")
    if "notebooks_dir" in resolved and not resolved["notebooks_dir"].is_dir():
        raise _cerr(where, f"field 'notebooks_dir': folder not found: {resolved['notebooks_dir']}")

    formats = resolved.get("formats", list(FORMATS))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, list | tuple) or not formats:
        raise _cerr(where, f"field 'formats' must be a list drawn from {list(FORMATS)}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise _cerr(where, f"field 'formats': unknown format(s) {bad}; allowed: {list(FORMATS)}")
    for key in ("title", "metadata_file", "run_id"):
        v = resolved.get(key)
        if v is not None and not (isinstance(v, str) and v.strip()):
            raise _cerr(where, f"field '{key}' must be a non-empty string, got {v!r}")
    run_id = resolved.get("run_id")
    if run_id is not None and (
        not _RUN_ID_RE.match(run_id)
        or run_id == LATEST_LINK
        or run_id.endswith((FAILED_SUFFIX, PARTIAL_SUFFIX))
    ):
        raise _cerr(
            where,
            f"field 'run_id' {run_id!r} must use letters, digits, '.', '_' or '-', "
            f"must not be '{LATEST_LINK}' or end in '{FAILED_SUFFIX}'",
        )

    try:
        consultation = load_consultation(resolved["consultation"])
    except ConsultationError as exc:
        raise _cerr(where, f"field 'consultation': {exc}") from exc
    cid = consultation.id
    processed = resolved.get("processed_dir") or paths.resolve(f"data/processed/{cid}")
    return RunConfig(
        consultation=resolved["consultation"],
        codebook=resolved["codebook"],
        input_dir=resolved["input_dir"],
        processed_dir=processed,
        output_root=resolved.get("output_root") or paths.resolve("reports"),
        overrides=resolved.get("overrides"),
        metadata_file=resolved.get("metadata_file", "manifest.csv"),
        cache_dir=resolved.get("cache_dir") or processed / ".cache",
        title=resolved.get("title") or consultation.title,
        formats=tuple(dict.fromkeys(formats)),
        hand_coded=resolved.get("hand_coded"),
        run_id=run_id,
        notebooks_dir=resolved.get("notebooks_dir"),
        source=source,
        consultation_id=cid,
    )


def load_config(config_path: str | Path | None = None, **overrides: Any) -> RunConfig:
    """Load ``config_path`` (default: the Ofsted run.yaml) and apply ``overrides``.

    Override values of None are ignored, so command-line options left unset keep the
    file's values.
    """
    values: dict[str, Any] = {}
    source = None
    if config_path is not None or not overrides.get("consultation"):
        source = paths.resolve(config_path or DEFAULT_CONFIG)
        values.update(read_config_file(source))
    values.update({k: v for k, v in overrides.items() if v is not None})
    where = str(source) if source else "<command line>"
    return build_config(values, where=where, source=source)


# --------------------------------------------------------------------------- run folder


def consultation_reports(config: RunConfig) -> Path:
    """``<output_root>/<consultation id>``: where the runs, ``latest`` and the lock live."""
    return config.output_root / config.consultation_id


def lock_path(config: RunConfig) -> Path:
    """The lock file shared by every run of this consultation into this output root."""
    return consultation_reports(config) / LOCK_FILE


def latest_run(reports_dir: str | Path) -> Path | None:
    """The newest complete run in ``<output_root>/<consultation id>``, from ``LATEST``."""
    marker = Path(reports_dir) / LATEST_FILE
    if not marker.is_file():
        return None
    run_id = marker.read_text(encoding="utf-8").strip()
    run = Path(reports_dir) / run_id
    return run if run_id and run.is_dir() else None


def _new_run_id(reports_dir: Path, requested: str | None) -> str:
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


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _point_latest(reports_dir: Path, run_id: str) -> None:
    """Switch ``latest`` (symlink) and ``LATEST`` (text) to ``run_id``, each atomically."""
    link = reports_dir / LATEST_LINK
    tmp_link = reports_dir / f".{LATEST_LINK}.tmp"
    try:
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        os.symlink(run_id, tmp_link, target_is_directory=True)
        os.replace(tmp_link, link)
    except OSError as exc:  # e.g. Windows without symlink rights: LATEST still works
        log.warning("could not update the %s symlink (%s); %s is updated", link, exc, LATEST_FILE)
    _atomic_write_text(reports_dir / LATEST_FILE, run_id + "\n")


def _recover_interrupted(reports_dir: Path) -> None:
    """Rename partial folders left by a killed run to ``.failed`` (we hold the lock)."""
    for p in reports_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        run_id = p.name[len(PARTIAL_PREFIX) : -len(PARTIAL_SUFFIX)]
        target = reports_dir / f"{run_id}{FAILED_SUFFIX}"
        if not target.exists():
            log.warning("run %s was interrupted earlier; keeping it as %s", run_id, target)
            p.rename(target)


# --------------------------------------------------------------------------- manifest


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _file_entry(path: Path, root: Path | None = None) -> dict[str, Any]:
    name = str(path.relative_to(root)) if root else str(path)
    return {"path": name, "bytes": path.stat().st_size, "sha256": sha256_file(path)}


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


def _manifest(
    config: RunConfig,
    run_id: str,
    run_dir: Path,
    started: dt.datetime,
    status: str,
    error: str | None,
    notebooks: list[str],
    final_dir: Path,
) -> dict[str, Any]:
    config_files = {}
    for key in ("consultation", "codebook", "overrides", "hand_coded", "source"):
        p = getattr(config, key)
        if p is not None and Path(p).is_file():
            config_files[key] = _file_entry(Path(p))
    meta = config.input_dir / config.metadata_file
    if meta.is_file():
        config_files["metadata_file"] = _file_entry(meta)
    outputs = [
        _file_entry(p, run_dir)
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
        "inputs": [_file_entry(p, config.input_dir) for p in input_files(config.input_dir)],
        "input_dir": str(config.input_dir),
        "configuration": config_files,
        "parameters": config.as_dict(),
        "notebooks": notebooks,
        "outputs": outputs,
        "packages": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git": git_state(paths.project_root()),
    }


# --------------------------------------------------------------------------- notebooks


def _python_kernel_ok(name: str = "python3") -> bool:
    """Whether kernel ``name`` would start the running interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return False
    exe = spec.argv[0] if spec.argv else ""
    major, minor = sys.version_info[:2]
    # jupyter_client swaps a bare python/python3/python3.X for sys.executable.
    if exe in ("python", f"python{major}", f"python{major}.{minor}"):
        return True
    with contextlib.suppress(OSError):
        return Path(exe).resolve() == Path(sys.executable).resolve()
    return False


@contextlib.contextmanager
def python_kernel() -> Iterator[str]:
    """Yield a kernel name that runs this interpreter (so notebooks see this venv).

    Normally ``python3``; if that kernelspec points elsewhere (e.g. a user-level
    kernel for another Python), a private kernelspec is put first on JUPYTER_PATH.
    """
    if _python_kernel_ok("python3"):
        yield "python3"
        return
    name = "consultation-helpers-python"
    with tempfile.TemporaryDirectory(prefix="consult-kernel-") as tmp:
        kdir = Path(tmp) / "kernels" / name
        kdir.mkdir(parents=True)
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python ({sys.executable})",
            "language": "python",
        }
        (kdir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (tmp, old) if p)
        log.info("python3 kernel is not %s; using a private kernelspec", sys.executable)
        try:
            yield name
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old


def notebook_parameters(config: RunConfig, run_dir: Path) -> dict[str, dict[str, Any]]:
    """The papermill parameters of each notebook (names as in docs/CONTRACTS.md)."""

    def s(p: Path | None) -> str | None:
        return None if p is None else str(p)

    common = {
        "processed_dir": s(config.processed_dir),
        "consultation": s(config.consultation),
        "codebook": s(config.codebook),
    }
    return {
        "01_ingest": {
            "input_dir": s(config.input_dir),
            "consultation": s(config.consultation),
            "output_dir": s(config.processed_dir),
            "metadata_file": config.metadata_file,
            "cache_dir": s(config.cache_dir),
        },
        "02_code": {**common, "overrides": s(config.overrides)},
        "03_analyse": {**common, "output_dir": s(run_dir)},
        "04_report": {
            **common,
            "output_dir": s(run_dir),
            "title": config.title,
            "hand_coded": s(config.hand_coded),
        },
    }


class _NotebookLogLevel(logging.Filter):
    """Restore the level of the helpers' own log lines relayed from a notebook.

    papermill relays everything a notebook writes to stderr as WARNING, and our
    logging (FORMAT) writes INFO lines to stderr; without this, ``-q`` would still
    show every INFO line of every notebook.
    """

    _LINE = re.compile(r"^\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO)\b")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and self._LINE.match(str(record.msg)):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def _execute(nb_in: Path, nb_out: Path, params: dict[str, Any], kernel: str) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    log.info("executing %s", nb_in.name)
    relay = logging.getLogger("papermill")
    level_fix = _NotebookLogLevel()
    relay.addFilter(level_fix)
    try:
        pm.execute_notebook(
            str(nb_in),
            str(nb_out),
            parameters=params,
            kernel_name=kernel,
            cwd=str(nb_in.parent),
            progress_bar=sys.stderr.isatty(),
            log_output=True,
            request_save_on_cell_execute=True,
        )
    except PapermillExecutionError as exc:
        # The full traceback is in run.log and the saved notebook; keep the summary short.
        raise PipelineError(
            f"{nb_in.name} failed in cell In[{exc.exec_count}]: {exc.ename}: {exc.evalue}"
        ) from exc
    finally:
        relay.removeFilter(level_fix)


def _publish(executed_report: Path, run_dir: Path, formats: Sequence[str]) -> list[Path]:
    from helpers import report

    html, pdf = report.publish(executed_report, run_dir)
    kept = []
    for fmt, path in (("html", Path(html)), ("pdf", Path(pdf))):
        if fmt in formats:
            kept.append(path)
        elif path.exists():
            path.unlink()  # publish writes both; keep only what was asked for
    return kept


def _preflight(config: RunConfig) -> None:
    """Fail fast, before any notebook runs, on an invalid codebook."""
    from helpers import coding as codebook

    try:
        codebook.load_codebook(config.codebook, load_consultation(config.consultation))
    except Exception as exc:
        raise RunConfigError(f"field 'codebook': {exc}") from exc


# --------------------------------------------------------------------------- run


@contextlib.contextmanager
def _file_log(path: Path) -> Iterator[None]:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    # papermill's cell output logging is at INFO; make sure it reaches run.log.
    if level > logging.INFO or level == logging.NOTSET:
        root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def run(config_path: str | Path | None = None, **overrides: Any) -> Path:
    """Run the pipeline; return the finished run folder.

    ``overrides`` are RunConfig fields (e.g. ``output_root=...``, ``run_id=...``) that
    take precedence over the config file. Raises ConfigError (invalid configuration),
    LockHeld (another run holds the lock) or PipelineError (the run failed; its folder
    is kept as ``<run id>.failed``).
    """
    from filelock import FileLock, Timeout

    config = load_config(config_path, **overrides)
    reports_dir = consultation_reports(config)
    reports_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(config)))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise LockHeld(
            f"another pipeline run for {config.consultation_id} holds {lock.lock_file}"
        ) from exc
    try:
        _recover_interrupted(reports_dir)
        return _run_locked(config, reports_dir)
    finally:
        lock.release()


def _run_locked(config: RunConfig, reports_dir: Path) -> Path:
    run_id = _new_run_id(reports_dir, config.run_id)
    build_dir = reports_dir / f"{PARTIAL_PREFIX}{run_id}{PARTIAL_SUFFIX}"
    build_dir.mkdir()
    started = dt.datetime.now(dt.UTC)
    notebooks_dir = config.notebooks_dir or paths.project_root() / "notebooks"
    done: list[str] = []
    status, error = "failed", None
    # Kernels inherit these: headless plotting and stable hashing, as under `make`.
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    try:
        with _file_log(build_dir / "run.log"):
            log.info("run %s of %s into %s", run_id, config.consultation_id, reports_dir)
            try:
                _preflight(config)
                params = notebook_parameters(config, build_dir)
                with python_kernel() as kernel:
                    for name in NOTEBOOKS:
                        nb_in = notebooks_dir / f"{name}.ipynb"
                        if not nb_in.is_file():
                            raise PipelineError(f"notebook not found: {nb_in}")
                        _execute(nb_in, build_dir / nb_in.name, params[name], kernel)
                        done.append(nb_in.name)
                outputs = _publish(build_dir / "04_report.ipynb", build_dir, config.formats)
                for p in outputs:
                    log.info("wrote %s", p.name)
                _copy_processed(config.processed_dir, build_dir / "processed")
                status = "ok"
            except BaseException as exc:  # also SIGTERM/Ctrl-C: never leave a half run
                error = f"{type(exc).__name__}: {exc}"
                log.exception("run %s failed: %s", run_id, error)
                if not isinstance(exc, Exception):
                    raise
    finally:
        try:
            final = reports_dir / (run_id if status == "ok" else f"{run_id}{FAILED_SUFFIX}")
            manifest = _manifest(config, run_id, build_dir, started, status, error, done, final)
        except Exception as exc:  # no manifest, no audit trail: the run cannot count
            log.exception("run %s: could not write its manifest", run_id)
            status, error = "failed", f"{error or ''} manifest failed: {exc}".strip()
            final = reports_dir / f"{run_id}{FAILED_SUFFIX}"
            manifest = {"run_id": run_id, "status": status, "error": error}
        (build_dir / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        build_dir.rename(final)
    if status != "ok":
        raise PipelineError(f"run {run_id} failed ({error}); see {final / 'run.log'}", final)
    _point_latest(reports_dir, run_id)
    log.info("run %s complete: %s", run_id, final)
    return final


def _copy_processed(processed_dir: Path, dest: Path) -> None:
    """Copy the processed tables the report was built from, so the run is self-contained."""
    dest.mkdir(exist_ok=True)
    for p in sorted(processed_dir.glob("*")):
        if p.is_file() and not p.name.startswith("."):
            shutil.copy2(p, dest / p.name)


def refresh_processed(config_path: str | Path | None = None, **overrides: Any) -> RunConfig:
    """Ingest and code with the library stages (no notebooks, no report).

    Brings the processed folder of a configuration (default: the Ofsted run.yaml) up to
    date, reusing cached parses; used before testing notebooks that read processed data.
    """
    from helpers import coding as code
    from helpers import ingest

    config = load_config(config_path, **overrides)
    ingest.run_ingest(
        config.input_dir,
        config.consultation,
        config.processed_dir,
        metadata_file=config.metadata_file,
        cache_dir=config.cache_dir,
    )
    code.run_coding(config.processed_dir, config.consultation, config.codebook, config.overrides)
    return config


# --------------------------------------------------------------------------- command line


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``run`` options (shared with the ``consult`` command)."""
    parser.add_argument("--config", help=f"run configuration YAML (default: {DEFAULT_CONFIG})")
    parser.add_argument("--consultation", help="consultation definition YAML")
    parser.add_argument("--codebook", help="codebook YAML")
    parser.add_argument("--overrides", help="manual overrides CSV")
    parser.add_argument("--input", dest="input_dir", help="folder of responses")
    parser.add_argument("--metadata-file", help="metadata CSV inside the input folder")
    parser.add_argument("--processed", dest="processed_dir", help="processed data folder")
    parser.add_argument("--cache", dest="cache_dir", help="parse cache (default: processed/.cache)")
    parser.add_argument("--output-root", help="where run folders go (default: reports)")
    parser.add_argument("--title", help="report title (default: the consultation's title)")
    parser.add_argument("--formats", help="comma-separated: html,pdf")
    parser.add_argument("--hand-coded", help="hand-coded sample CSV for the agreement section")
    parser.add_argument("--run-id", help="name of the run folder (default: UTC timestamp)")
    parser.add_argument("--notebooks-dir", help=argparse.SUPPRESS)
    parser.add_argument(
        "--log-file", default=DEFAULT_LOG_FILE, help=f"log file (default: {DEFAULT_LOG_FILE})"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only to stderr")


def run_from_args(args: argparse.Namespace) -> int:
    """Run with parsed arguments and return the exit code; never raises for run errors."""
    setup_logging(logging.WARNING if args.quiet else logging.INFO, paths.resolve(args.log_file))
    if args.quiet:  # keep INFO in the log files, warnings on the terminal
        logging.getLogger().setLevel(logging.INFO)
        for h in logging.getLogger().handlers:
            if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler):
                h.setLevel(logging.WARNING)
    keys = [f.name for f in fields(RunConfig) if f.name in _CONFIG_FIELDS]
    overrides = {k: getattr(args, k, None) for k in keys}
    try:
        run_dir = run(args.config, **overrides)
    except LockHeld as exc:
        log.warning("%s; exiting with %d", exc, EXIT_LOCKED)
        return EXIT_LOCKED
    except ConsultError as exc:  # expected: one line, no traceback
        log.error("%s", one_line(exc))
        return EXIT_FAILED
    except Exception:
        log.exception("pipeline failed unexpectedly")
        return EXIT_FAILED
    sys.stdout.write(f"{run_dir}\n")  # the one line of stdout: where the run is, for scripts
    return EXIT_OK


def _terminate(signum: int, frame: Any) -> None:
    # cron/systemd stop with SIGTERM: unwind so the partial run is kept as .failed.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.pipeline run [options]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.pipeline",
        description="Run ingest, coding, analysis and the report as one auditable run.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add_run_arguments(sub.add_parser("run", help="run the whole pipeline"))
    args = parser.parse_args(argv)
    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, _terminate)
    return run_from_args(args)


if __name__ == "__main__":
    sys.exit(main())
