"""How a pipeline run fails, in the toolkit's one exception hierarchy (core.errors).

Every failure here is *expected*: the command line reports it in one line and
exits 1 (or 75 for :class:`LockHeld`). :func:`is_expected` tells such a failure
from a bug, whose traceback must stay visible.
"""

from __future__ import annotations

import errno
from pathlib import Path

from helpers.core.errors import ConfigError, ConsultError, RunError


class RunConfigError(ConfigError):
    """run.yaml (or a command-line override) is invalid; the message names the field to fix."""


class LockHeld(RunError):
    """Another run of the same consultation, or a writer of the same processed folder, holds a lock."""


class PipelineError(RunError):
    """A run failed; ``run_dir`` is the ``<run id>.failed`` folder kept for diagnosis."""

    def __init__(self, message: str, run_dir: Path | None = None):
        super().__init__(message)
        self.run_dir = run_dir


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def is_expected(exc: BaseException) -> bool:
    """Whether a failure inside a run is expected (a ConsultError) rather than a bug.

    A notebook that failed counts as expected only when its cell raised a
    ConsultError, which a notebook shows as one line naming the error
    (core.errors.install_notebook_handler); any other error in a cell is a bug,
    and so is anything that is not a ConsultError (SIGTERM's SystemExit included).
    A full disk or an exhausted quota is expected too: not a bug in the code, and
    what to do (free space) is said in one line.
    """
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
        return True
    if not isinstance(exc, ConsultError):
        return False
    cell = exc.__cause__  # papermill's PapermillExecutionError, when a notebook failed
    ename, shown = getattr(cell, "ename", None), getattr(cell, "traceback", None)
    if ename is None or not isinstance(shown, list):
        return True
    return len(shown) == 1 and str(shown[0]).startswith(f"{ename}:")
