"""Logging set-up shared by the command line, the pipeline and notebooks."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from helpers.core.errors import install_notebook_handler

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(level: int | str = logging.INFO, log_file: str | Path | None = None) -> None:
    """Log to stderr (and to ``log_file`` if given). Safe to call more than once.

    In a notebook it also makes expected failures (:class:`~helpers.core.errors.ConsultError`)
    show as one line rather than a traceback.
    """
    install_notebook_handler()
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_helpers", False):
            root.removeHandler(h)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h._helpers = True  # type: ignore[attr-defined]
        root.addHandler(h)
