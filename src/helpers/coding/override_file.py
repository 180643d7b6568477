"""Writing ``overrides.csv``: one validated row appended at a time, and taken back.

The review widget (``helpers.review``) records every decision the moment it is
made, so a closed notebook or a crashed kernel loses nothing. This module is the
one writer of the file the pipeline reads (``overrides.apply_overrides`` and
``overrides.apply_stance_overrides``); it keeps that file's format exactly:

- the header is ``OVERRIDE_COLUMNS`` when the file is new, else the file's own
  header (its column order is kept, columns it lacks are an ``OverrideError``);
- every text cell is neutralised (``core.safecsv``) so a respondent's words that
  start with ``=`` cannot run as a spreadsheet formula; the reader undoes it;
- a carriage return in a cell becomes a line feed, which the CSV writer quotes
  (a bare ``\\r`` would split the row for every reader), and the quote still
  matches the answer because quotes are found ignoring spacing.

``drop_override`` removes the last row equal to one this module wrote (undo),
rewriting the other rows exactly as they were read.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from helpers.coding.overrides import ACTIONS, OVERRIDE_COLUMNS, OverrideError
from helpers.core import schemas
from helpers.core.safecsv import neutralise

log = logging.getLogger(__name__)


def _header(path: Path) -> list[str] | None:
    """The file's header (stripped), or None when the file is absent or empty."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = next(csv.reader(fh), None)
    return [h.strip() for h in first] if first else None


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return neutralise(text.replace("\r\n", "\n").replace("\r", "\n"))


def override_row(
    respondent_id: str,
    question_id: str,
    theme_id: str,
    action: str,
    quote: str = "",
    coder: str = "",
    note: str = "",
) -> dict[str, str]:
    """A validated override row (cells as the file will hold them, neutralised).

    ``action`` is ``add``, ``remove`` or ``stance``; for ``stance`` the
    ``theme_id`` cell holds the new stance (one of ``schemas.STANCES``).
    """
    action = str(action).strip().lower()
    if action not in ACTIONS:
        raise OverrideError(f"action must be one of {list(ACTIONS)}, got {action!r}")
    for name, value in (
        ("respondent_id", respondent_id),
        ("question_id", question_id),
        ("theme_id", theme_id),
    ):
        if not str(value or "").strip():
            raise OverrideError(f"{name} is empty")
    if action == "stance" and theme_id not in schemas.STANCES:
        raise OverrideError(f"stance {theme_id!r} is not one of {list(schemas.STANCES)}")
    values = (respondent_id, question_id, theme_id, action, quote, coder, note)
    return {
        c: _cell(v).strip() if i < 4 else _cell(v)
        for i, (c, v) in enumerate(zip(OVERRIDE_COLUMNS, values, strict=True))
    }


def append_override(path: str | Path, row: dict[str, str]) -> dict[str, str]:
    """Append ``row`` (from :func:`override_row`) to the overrides CSV at ``path``.

    Creates the file with the standard header when it is absent or empty.
    Returns the row as written.
    """
    path = Path(path)
    header = _header(path)
    if header is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow(OVERRIDE_COLUMNS)
        header = list(OVERRIDE_COLUMNS)
    missing = [c for c in OVERRIDE_COLUMNS[:4] if c not in header]
    if missing:
        raise OverrideError(f"{path}, line 1: missing column(s) {missing}")
    raw = path.read_bytes()
    with path.open("a", encoding="utf-8", newline="") as fh:
        if raw and not raw.endswith(b"\n"):
            fh.write("\n")
        csv.writer(fh, lineterminator="\n").writerow([row.get(c, "") for c in header])
    log.info(
        "%s: %s %s for %s %s",
        path,
        row["action"],
        row["theme_id"],
        row["respondent_id"],
        row["question_id"],
    )
    return row


def drop_override(path: str | Path, row: dict[str, str]) -> bool:
    """Remove the last row of the file equal to ``row`` (as written); True if one was removed."""
    path = Path(path)
    header = _header(path)
    if header is None:
        return False
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    want = [row.get(c, "") for c in header]
    for i in range(len(rows) - 1, 0, -1):
        cells = rows[i] + [""] * (len(header) - len(rows[i]))
        if [c.strip() if j < 4 else c for j, c in enumerate(cells[: len(header)])] == [
            w.strip() if j < 4 else w for j, w in enumerate(want)
        ]:
            del rows[i]
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            log.info(
                "%s: undid %s %s for %s", path, row["action"], row["theme_id"], row["respondent_id"]
            )
            return True
    log.warning("%s: the row to undo is no longer in the file", path)
    return False
