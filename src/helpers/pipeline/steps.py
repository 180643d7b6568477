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

from helpers.core import paths
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
        "02_code": {**common, "overrides": s(config.overrides), "hand_coded": s(config.hand_coded)},
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


def execute_notebook(nb_in: Path, nb_out: Path, params: dict[str, Any], kernel: str) -> None:
    """Execute one notebook with papermill, saving it (with its outputs) as ``nb_out``."""
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


def execute_notebooks(config: RunConfig, run_dir: Path, done: list[str]) -> None:
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
            execute_notebook(nb_in, run_dir / nb_in.name, params[name], kernel)
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

    html, pdf = report.publish(executed_report, run_dir, templates_dir)
    kept = []
    for fmt, path in (("html", Path(html)), ("pdf", Path(pdf))):
        if fmt in formats:
            kept.append(path)
        elif path.exists():
            path.unlink()  # publish writes both; keep only what was asked for
    for p in kept:
        log.info("wrote %s", p.name)
    return kept


def copy_processed(processed_dir: Path, dest: Path) -> None:
    """Copy the processed tables the report was built from, so the run is self-contained."""
    dest.mkdir(exist_ok=True)
    for p in sorted(processed_dir.glob("*")):
        if p.is_file() and not p.name.startswith("."):
            shutil.copy2(p, dest / p.name)
