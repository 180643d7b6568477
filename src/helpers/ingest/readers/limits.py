"""Limits on the work one input file may cause: respondents' files are untrusted.

A file over a limit fails alone (``ReadError`` naming the file, the limit and
how to raise it) and the rest of the run goes on. The defaults suit a real
consultation on a 2-core, 8 GB machine; a run changes them in ``run.yaml``::

    limits:
      max_file_mb: 200            # bytes of one input file
      max_unzipped_mb: 500        # decompressed size of a zip-based file (.docx, .xlsx, .odt)
      max_zip_ratio: 200          # decompressed / compressed size of such a file
      max_rows: 1000000           # data rows in one survey export
      max_text_chars: 2000000     # characters of one respondent's text (about 1,000 pages)
      max_seconds_per_file: 300   # wall-clock time to read and segment one file

Rationale for each default:

- ``max_file_mb``: a survey export of a million short answers is ~100–200 MB;
  a single response document is rarely over 20 MB (a PDF with images).
- ``max_unzipped_mb`` / ``max_zip_ratio``: Office files are zip archives; text
  and XML compress 5–20×, so a ratio of hundreds is a decompression bomb
  (a 1 MB .docx that inflates to 1 GB).
- ``max_rows``: one respondent per row; bounded so a malformed export cannot
  exhaust memory.
- ``max_text_chars``: the longest real responses run to tens of pages; a
  million characters is far beyond them and still segments in seconds.
- ``max_seconds_per_file``: stops a pathological file stalling a scheduled run.
  Enforced with ``SIGALRM``, so only on POSIX and in the main thread (where
  notebooks and the pipeline run); elsewhere it is not enforced and a debug
  message says so.
"""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from helpers.core.errors import ConfigError
from helpers.ingest.readers.base import ReadError

__all__ = ["DEFAULT_LIMITS", "FileTimeout", "Limits", "parse_limits", "time_limit"]

log = logging.getLogger(__name__)

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Per-file limits (see the module docstring for each default's rationale)."""

    max_file_mb: float = 200
    max_unzipped_mb: float = 500
    max_zip_ratio: float = 200
    max_rows: int = 1_000_000
    max_text_chars: int = 2_000_000
    max_seconds_per_file: float = 300

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)

    def as_dict(self) -> dict[str, float | int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_LIMITS = Limits()

_INT_FIELDS = {"max_rows", "max_text_chars"}


def parse_limits(values: Mapping[str, Any] | Limits | None, where: str = "limits") -> Limits:
    """A validated :class:`Limits` from a mapping (run.yaml's ``limits:``); None → defaults.

    Raises ConfigError naming the field for an unknown name or a value that is
    not a positive number.
    """
    if values is None:
        return DEFAULT_LIMITS
    if isinstance(values, Limits):
        return values
    if not isinstance(values, Mapping):
        raise ConfigError(f"{where}: must be a mapping of limit: value, got {values!r}")
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown limit(s) {unknown}; allowed: {sorted(known)}")
    out: dict[str, float | int] = {}
    for name, value in values.items():
        ok = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value > 0
        )
        if not ok:
            raise ConfigError(f"{where}.{name}: must be a positive number, got {value!r}")
        if name in _INT_FIELDS:
            if int(value) != value:
                raise ConfigError(f"{where}.{name}: must be a whole number, got {value!r}")
            value = int(value)
        out[name] = value
    return Limits(**out)


class FileTimeout(ReadError):
    """Reading or segmenting one file took longer than ``max_seconds_per_file``."""


@contextlib.contextmanager
def time_limit(seconds: float, name: str) -> Iterator[None]:
    """Raise :class:`FileTimeout` naming ``name`` if the block runs longer than ``seconds``.

    Uses ``SIGALRM`` (POSIX, main thread only); elsewhere the block runs unbounded.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        log.debug("time limit not enforced for %s (no SIGALRM in this thread)", name)
        yield
        return

    def _expired(signum: int, frame: Any) -> None:
        raise FileTimeout(
            f"{name}: took longer than {seconds:g} s to read (limit max_seconds_per_file "
            "in run.yaml); check the file or raise the limit"
        )

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
