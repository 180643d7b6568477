"""The steps of a run: check the codebook, execute the notebooks with papermill, publish, copy.

Notebooks run in order (``NOTEBOOKS``), each with the parameters in
docs/CONTRACTS.md, in ``notebooks/`` as working directory, on a Jupyter kernel
that is the interpreter running the pipeline (so they see this venv). The
report is then published from the executed ``04_report`` notebook, and the
processed tables are copied in, so a run folder is complete on its own.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from helpers.core import logs, paths
from helpers.core.consultation import load_consultation
from helpers.core.errors import ConsultError
from helpers.pipeline.config import RunConfig
from helpers.pipeline.errors import PipelineError, RunConfigError

log = logging.getLogger("helpers.pipeline")  # one name for the run's lines, as under `python -m`

NOTEBOOKS = ("01_ingest", "02_code", "03_analyse", "04_report")


def check_codebook(config: RunConfig) -> None:
    """Fail fast, before any notebook runs, on an invalid codebook.

    An invalid or unreadable file is a RunConfigError naming the field; any other
    exception is a bug in the checks and keeps its type and traceback.
    """
    from helpers import coding

    try:
        coding.load_codebook(config.codebook, load_consultation(config.consultation))
    except (ConsultError, OSError, UnicodeError) as exc:
        raise RunConfigError(f"field 'codebook': {exc}") from exc


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
            "limits": config.limits,
        },
        "02_code": {
            **common,
            "overrides": s(config.overrides),
            "hand_coded": s(config.hand_coded),
            "dask": config.dask,
            "cache_dir": s(config.cache_dir),
        },
        "03_analyse": {**common, "output_dir": s(run_dir)},
        "04_report": {
            **common,
            "output_dir": s(run_dir),
            "title": config.title,
            "hand_coded": s(config.hand_coded),
            "report_templates": s(config.report_templates),
            "breakdowns": list(config.breakdowns),
        },
    }


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


class _NotebookStream:
    """Where papermill writes a notebook's stdout or stderr when cell logging is off.

    The helpers' log lines a notebook writes (``FORMAT``) become log records again,
    at their own level and logger, marked ``relayed`` (the console shows their
    warnings, run.log every line); any other stderr text is a warning, stdout text
    INFO (run.log only). Lines are grouped: a traceback stays with its log line.
    """

    _HEAD = re.compile(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+(\S+): ?(.*)$"
    )

    def __init__(self, notebook: str, stderr: bool) -> None:
        self.notebook = notebook
        self.stderr = stderr
        self.buffer = ""
        self.pending: tuple[int, str, list[str]] | None = None

    def write(self, text: str) -> None:
        self.buffer += text
        *lines, self.buffer = self.buffer.split("\n")
        for line in lines:
            self._line(line.split("\r")[-1])  # a progress bar's last state only

    def _line(self, line: str) -> None:
        m = self._HEAD.match(line)
        if m:
            self._emit()
            self.pending = (logging.getLevelName(m.group(1)), m.group(2), [m.group(3)])
        elif self.pending is not None and self.stderr:
            self.pending[2].append(line)
        elif line.strip():
            level = logging.WARNING if self.stderr else logging.INFO
            self.pending = (level, "helpers.pipeline.notebook", [line])
            self._emit()

    def _emit(self) -> None:
        if self.pending is None:
            return
        level, name, lines = self.pending
        self.pending = None
        while lines and not lines[-1].strip():
            lines.pop()
        logging.getLogger(name).log(level, "%s", "\n".join(lines), extra={"relayed": self.notebook})

    def flush(self) -> None:
        if self.buffer:
            self._line(self.buffer.split("\r")[-1])
            self.buffer = ""
        self._emit()


def _kernel_manager(kernel_log: Path | None) -> type:
    """A kernel manager whose kernel process writes its own stderr/stdout to ``kernel_log``.

    What a kernel prints outside any cell (ipykernel's "running over TCP" warning,
    a KeyboardInterrupt traceback when it is shut down) then goes to run.log, not
    the terminal.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            if kernel_log is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with open(kernel_log, "ab") as out:  # the child keeps its own copy
                kw.setdefault("stdout", out)
                kw.setdefault("stderr", out)
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def execute_notebook(
    nb_in: Path, nb_out: Path, params: dict[str, Any], kernel: str, verbose: bool | None = None
) -> None:
    """Execute one notebook with papermill, saving it (with its outputs) as ``nb_out``.

    Quiet (the default when the console is quiet, ``logs.quiet_console``): papermill
    logs no cells; the notebook's log lines come back as records (``_NotebookStream``)
    and the warnings held on the console are printed, each kind once, when it ends.
    ``verbose``: papermill logs every cell and output, as before.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if verbose is None:
        verbose = not logs.console_is_quiet()
    log.info("executing %s", nb_in.name)
    relay = logging.getLogger("papermill")
    level_fix = _NotebookLogLevel()
    relay.addFilter(level_fix)
    run_log = nb_out.parent / "run.log"
    streams = {
        "stdout_file": _NotebookStream(nb_in.stem, stderr=False),
        "stderr_file": _NotebookStream(nb_in.stem, stderr=True),
    }
    try:
        pm.execute_notebook(
            str(nb_in),
            str(nb_out),
            parameters=params,
            kernel_name=kernel,
            cwd=str(nb_in.parent),
            progress_bar=sys.stderr.isatty(),
            log_output=verbose,
            request_save_on_cell_execute=True,
            kernel_manager_class=_kernel_manager(run_log if run_log.is_file() else None),
            **({} if verbose else streams),
        )
    except PapermillExecutionError as exc:
        # The full traceback is in run.log and the saved notebook; keep the summary short.
        raise PipelineError(
            f"{nb_in.name} failed in cell In[{exc.exec_count}]: {exc.ename}: {exc.evalue}"
        ) from exc
    finally:
        relay.removeFilter(level_fix)
        for stream in streams.values():
            stream.flush()
        logs.flush_warnings()


def execute_notebooks(
    config: RunConfig, run_dir: Path, done: list[str], verbose: bool | None = None
) -> None:
    """Execute ``NOTEBOOKS`` in order into ``run_dir``, appending each to ``done`` as it finishes."""
    notebooks_dir = config.notebooks_dir or paths.project_root() / "notebooks"
    # Kernels inherit these: headless plotting and stable hashing, as under `make`.
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    params = notebook_parameters(config, run_dir)
    with python_kernel() as kernel:
        for name in NOTEBOOKS:
            nb_in = notebooks_dir / f"{name}.ipynb"
            if not nb_in.is_file():
                raise PipelineError(f"notebook not found: {nb_in}")
            quiet = {} if verbose is None else {"verbose": verbose}
            execute_notebook(nb_in, run_dir / nb_in.name, params[name], kernel, **quiet)
            done.append(nb_in.name)


def publish_report(
    executed_report: Path,
    run_dir: Path,
    formats: Sequence[str],
    templates_dir: Path | None = None,
) -> list[Path]:
    """Publish the report of the executed ``04_report`` notebook in the requested formats.

    ``templates_dir`` is the run's ``report_templates`` folder (a team's own templates
    and CSS, searched before the package's), or None.
    """
    from helpers import report

    html, pdf = report.publish(executed_report, run_dir, templates_dir, formats=tuple(formats))
    kept = []
    for fmt, path in (("html", Path(html)), ("pdf", Path(pdf))):
        if fmt in formats:
            kept.append(path)
        elif path.exists():
            path.unlink()  # publish writes both; keep only what was asked for
    for p in kept:
        log.info("wrote %s", p.name)
    return kept


def publish_explorer(config: RunConfig, processed_dir: Path, run_dir: Path) -> Path:
    """Write ``explorer.html`` in the run folder from the run's processed tables.

    The offline explorer (``report.write_explorer``): counts per question, theme,
    stance and attribute and a bounded, redacted sample of quotes, in one file a
    reader opens with no server. Written when ``formats`` includes ``explorer``.
    """
    from helpers import analysis, report

    inputs = analysis.load_inputs(processed_dir, config.consultation, config.codebook)
    return report.write_explorer(inputs, run_dir, config.title, config.report_templates)


def copy_processed(processed_dir: Path, dest: Path) -> None:
    """Copy the processed tables the report was built from, so the run is self-contained."""
    dest.mkdir(exist_ok=True)
    for p in sorted(processed_dir.glob("*")):
        if p.is_file() and not p.name.startswith("."):
            shutil.copy2(p, dest / p.name)
