"""One rooted exception hierarchy for every failure the toolkit expects.

Anything derived from :class:`ConsultError` is an *expected* failure: bad
configuration, an unreadable input file, a run that could not finish. The CLI
and the notebooks report it in one line that names the file and what to fix,
without a traceback. Anything else is a bug and keeps its traceback.

::

    ConsultError
    ├── ConfigError        a YAML/CSV configuration file is invalid
    │   ├── ConsultationError   consultation.yaml
    │   ├── CodebookError       codebook.yaml / codebook CSV
    │   ├── OverrideError       overrides.csv
    │   └── RunConfigError      run.yaml
    ├── InputError         an input file cannot be read as the toolkit needs
    │   ├── ReadError           a response file (ingest)
    │   ├── HandCodingError     a hand-coded sample (validation)
    │   ├── SampleWorkbookError a returned sample workbook (validation)
    │   └── QdpxError           a REFI-QDA project (validation)
    ├── SchemaError        a table does not match its declared schema
    ├── RunError           a pipeline run failed or could not start
    │   ├── PipelineError       the run failed (kept as <run id>.failed)
    │   └── LockHeld            another run holds the consultation's lock
    └── ModelMissingError  the sentence-embedding model package is not installed
                           (also an ImportError; helpers.core.embedding)

The leaf classes live with the stage that raises them; they are re-exported
here so callers can catch by family without importing every stage.
``ValueError`` stays a base of the configuration and input errors that were
``ValueError`` before, so existing ``except ValueError`` callers keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConsultError(Exception):
    """Root of every expected failure; its message is one line a researcher can act on."""


class ConfigError(ConsultError, ValueError):
    """A configuration file is invalid; the message names the file and field to fix."""


class InputError(ConsultError):
    """An input file cannot be read; the message names the file (and line or question)."""


class SchemaError(ConsultError, ValueError):
    """A table does not match its declared schema (a column missing or of the wrong type)."""


class RunError(ConsultError, RuntimeError):
    """A pipeline run failed or could not start."""


def one_line(exc: BaseException) -> str:
    """The message shown for an expected failure: its class family and text, on one line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def read_yaml(path: Path, error: type[ConfigError], missing: str) -> Any:
    """The YAML document in ``path``, or ``error`` naming the file.

    ``missing`` is the message for a file that does not exist ("codebook file
    not found"); a file that is not valid YAML names the line where the parser
    stopped. Why one reader: every configuration file (consultation.yaml,
    codebook.yaml, run.yaml) reports these two failures in the same shape.
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise error(f"{path}: {missing}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise error(f"{path}{line}: not valid YAML: {exc}") from exc


def install_notebook_handler() -> bool:
    """In IPython/Jupyter, show a :class:`ConsultError` as one line instead of a traceback.

    The cell still fails (papermill and nbval see the error and stop the run);
    only what the researcher reads changes. Other exceptions keep their
    traceback. Returns whether a shell was found.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to install
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def _one_line(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 - IPython's signature
        stb = [one_line(value)]
        shell._showtraceback(etype, value, stb)  # publishes an error output, marks the cell failed
        return stb

    shell.set_custom_exc((ConsultError,), _one_line)
    return True
