"""CSV files that are safe to open in a spreadsheet.

Researchers open the toolkit's CSV files (tables, ingest log, overrides) in
Excel or LibreOffice, which run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and treat a leading tab or carriage return the same way.
Respondents' text, file names and reviewers' names are untrusted, so every
text cell that starts with one of those characters is prefixed with a single
quote, as OWASP advises (CSV Injection). Numbers are left alone: ``-3`` in a
numeric column is a number, not a formula.

Files the toolkit reads back (``overrides.csv``) go through :func:`restore`,
which removes exactly the prefix :func:`neutralise` added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "clean_row",
    "neutralise",
    "neutralise_frame",
    "restore",
    "write_csv",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PREFIX = "'"


def neutralise(value: Any) -> Any:
    """``value`` with a leading quote if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return _PREFIX + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise`: drop the quote it put before a formula character."""
    if (
        isinstance(value, str)
        and value.startswith(_PREFIX)
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def clean_row(row: dict[str | None, str | None]) -> dict[str, str]:
    """A ``csv.DictReader`` row of a file the toolkit wrote: keys and cells stripped, prefix undone.

    Cells are stripped first, then the quote :func:`neutralise` put before a
    leading formula character is removed, so a written-then-read quote is the
    respondent's exact words (and still matches their text). Cells beyond the
    header (key None) are dropped.
    """
    return {(k or "").strip(): restore((v or "").strip()) for k, v in row.items() if k is not None}


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (numeric columns untouched).

    Columns of pandas' string dtype are tested whole (``str.startswith``) and only the
    cells that start with a formula character are changed; object columns, which may
    mix text with other values, go cell by cell (issue 15: a Python call per cell of
    every table was most of writing the CSV files at 100,000 respondents).
    """
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if isinstance(values.dtype, pd.StringDtype):
            starts = values.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
            if starts.any():
                out[col] = values.where(~starts, _PREFIX + values)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[col] = values.map(neutralise, na_action="ignore")
    return out


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    for col in frame.columns:
        values = frame[col]
        if isinstance(values.dtype, pd.StringDtype):
            if values.str.contains("\r", regex=False).fillna(False).any():
                return True
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            # A plain loop: object columns may hold other values than text.
            if any(isinstance(v, str) and "\r" in v for v in values.array):
                return True
    return False


def write_csv(frame: pd.DataFrame, path: str | Path, **kwargs: Any) -> Path:
    """Write ``frame`` as CSV (no index unless asked) with every text cell neutralised.

    Python's CSV writer quotes a cell only for the characters of its line
    terminator, so with pandas' ``"\n"`` a bare carriage return in a
    respondent's text is written unquoted and every reader splits the row there.
    When a text cell holds one, the file is written with ``"\r\n"`` line ends
    (RFC 4180), which makes the writer quote it; other files are unchanged.
    """
    kwargs.setdefault("index", False)
    path = Path(path)
    if "lineterminator" not in kwargs and _has_carriage_return(frame):
        kwargs["lineterminator"] = "\r\n"
    neutralise_frame(frame).to_csv(path, **kwargs)
    return path
