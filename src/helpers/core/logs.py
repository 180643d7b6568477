"""Logging set-up shared by the command line, the pipeline and notebooks."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from helpers.core.errors import install_notebook_handler

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """A formatter whose lines carry no personal data (``core.redact``): for logs that are shared.

    Rationale: the run folder's run.log is published beside the report, and a
    warning may quote a respondent ("unmatched heading: 'Contact me on 07700
    900123'"). The record itself is left alone, so a local log still has the
    full line for the researcher.
    """

    def format(self, record: logging.LogRecord) -> str:
        from helpers.core.redact import redact

        return redact(super().format(record))[0]


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


# --------------------------------------------------------------------------- quiet consoles
#
# A pipeline run's terminal shows progress and warnings; run.log keeps every line.
# ``quiet_console`` puts two filters on the console handler of ``setup_logging``:
# ``ConsoleQuiet`` drops the chatter of the notebook machinery (papermill, nbclient,
# jupyter_client, traitlets, asyncio) and the notebooks' own INFO lines below WARNING;
# ``WarningDigest`` holds warnings back and prints each distinct kind once, with a
# count, when a stage ends (``flush_warnings``). Errors pass at once, never collapsed.

NOISY_LOGGERS = (
    "papermill",
    "nbclient",
    "jupyter_client",
    "traitlets",
    "asyncio",
    "weasyprint",
    "fontTools",
)


def _from(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


class ConsoleQuiet(logging.Filter):
    """Drop INFO/DEBUG from the notebook machinery and lines relayed from notebooks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not (getattr(record, "relayed", None) or _from(record.name, NOISY_LOGGERS))


_PREFIX_RE = re.compile(r"^[^:\s\"']*\.\w{1,5}\b[^:]*?:\s+")  # "a.txt (id, q1): "
_QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'|“[^”]*”")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def warning_kind(record: logging.LogRecord) -> tuple[str, int, str]:
    """What makes two warnings "the same": logger, level and the message's wording.

    The file or respondent the message starts with, quoted text and numbers are
    left out, and only the wording up to the first quote counts, so "a.txt: 3
    heading(s) matched no question: "X"" and "b.txt: 1 heading(s) … "Y"" are one kind.
    """
    text = record.getMessage().split("\n", 1)[0]
    text = _PREFIX_RE.sub("", text)
    quote = min((i for i in (text.find('"'), text.find("“")) if i >= 0), default=-1)
    if quote > 0:
        text = text[:quote]
    text = _NUMBER_RE.sub("N", _QUOTED_RE.sub("…", text))
    return record.name, record.levelno, text.strip()


class WarningDigest(logging.Filter):
    """Hold WARNING records back; ``flush`` prints each kind once with its count.

    Attached to a console handler only, so other handlers (run.log) still get
    every record as it comes.
    """

    def __init__(self, handler: logging.Handler, where: str = "run.log") -> None:
        super().__init__()
        self.handler = handler
        self.where = where
        self.held: dict[tuple[str, int, str], list] = {}
        self._flushing = False

    def filter(self, record: logging.LogRecord) -> bool:
        if self._flushing or record.levelno != logging.WARNING:
            return True
        entry = self.held.setdefault(warning_kind(record), [record, 0])
        entry[1] += 1
        return False

    def flush(self) -> None:
        """Print the held warnings, each kind once (with ``(×N …)`` when repeated)."""
        held, self.held = self.held, {}
        self._flushing = True
        try:
            for record, n in held.values():
                if n > 1:
                    record = logging.makeLogRecord(record.__dict__)
                    record.msg = f"{record.getMessage()} (×{n} like this; each in {self.where})"
                    record.args = None
                self.handler.handle(record)
        finally:
            self._flushing = False


def _console_handlers() -> list[logging.Handler]:
    return [
        h
        for h in logging.getLogger().handlers
        if getattr(h, "_helpers", False) and not isinstance(h, logging.FileHandler)
    ]


def quiet_console(verbose: bool = False, where: str = "run.log") -> None:
    """Quiet the console handler(s) of ``setup_logging`` (nothing to do if ``verbose``)."""
    if verbose:
        return
    for h in _console_handlers():
        if not any(isinstance(f, ConsoleQuiet) for f in h.filters):
            h.addFilter(ConsoleQuiet())
            h.addFilter(WarningDigest(h, where))


def console_is_quiet() -> bool:
    """Whether ``quiet_console`` is in force (the pipeline then runs papermill quietly)."""
    return any(isinstance(f, ConsoleQuiet) for h in _console_handlers() for f in h.filters)


def flush_warnings() -> None:
    """End of a stage: print the warnings held on the console, each kind once."""
    for h in _console_handlers():
        for f in h.filters:
            if isinstance(f, WarningDigest):
                f.flush()
