"""Reading hand coding: the human side of an agreement check.

A hand-coded sample arrives as a CSV (``#`` comment lines above the header say
who coded it, when and how; an empty theme_id marks an answer coded with no
theme), as the filled sampling workbook, or as a REFI-QDA project coded in a
QDA package. Every form becomes one table: respondent_id, question_id,
theme_id, quote, coder, note. Hand-coded stances are a CSV of respondent_id,
question_id and stance on the five-point scale. Errors name the file and line.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core.errors import InputError
from helpers.core.safecsv import restore
from helpers.core.schemas import STANCES
from helpers.validate.qdpx import hand_coding_from_qdpx
from helpers.validate.sampling import read_sample_workbook

log = logging.getLogger(__name__)

HAND_COLUMNS = ["respondent_id", "question_id", "theme_id"]
_THEME_RE = re.compile(r"^[a-z0-9_]+$")


class HandCodingError(InputError, ValueError):
    """A hand-coding file is invalid; the message names the file, line and what to fix."""


def load_hand_coding(
    path: str | Path, answers: pd.DataFrame | None = None, **qdpx_tables: Any
) -> pd.DataFrame:
    """Read a hand-coding table: respondent_id, question_id, theme_id (+ optional quote, coder, note).

    ``path`` may be a CSV (lines starting with '#' before the header are
    comments; an empty theme_id marks an answer coded with no theme), a filled
    sampling workbook (.xlsx, see ``sampling.export_sample_workbook``) or a
    REFI-QDA project (.qdpx; needs ``answers`` and ``respondents=``, ``codes=``,
    ``codebook=`` to map selections back to answers). Duplicate rows are dropped.
    With ``answers``, a file whose respondents are not in the data is refused
    (HandCodingError naming the file and the ids, :func:`check_respondents`).
    """
    path = Path(path)
    hand = _load(path, answers, **qdpx_tables)
    if answers is not None:
        check_respondents(hand, answers, qdpx_tables.get("respondents"), where=str(path))
    return hand


def check_respondents(
    hand: pd.DataFrame,
    answers: pd.DataFrame,
    respondents: pd.DataFrame | None = None,
    where: str = "hand coding",
) -> None:
    """Raise HandCodingError naming the hand-coded respondents the data does not have.

    A hand-coding file made on an earlier version of the data (respondents
    since renamed, removed or re-read with other ids) would otherwise be
    compared as if the automatic coder had found nothing in those answers,
    and print a meaningless "kappa 0.00". Respondents present but without
    an answer to a hand-coded question are only warned about (``decision_table``):
    segmentation may legitimately have found no answer there.
    """
    known = set(answers["respondent_id"].astype(str))
    if respondents is not None:
        known |= set(respondents["respondent_id"].astype(str))
    ids = list(dict.fromkeys(hand["respondent_id"].dropna().astype(str)))
    missing = [r for r in ids if r not in known]
    if not missing:
        return
    shown = ", ".join(repr(r) for r in missing[:10]) + (
        f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    )
    which = (
        f"none of its {len(ids)} respondents is in the data"
        if len(missing) == len(ids)
        else f"{len(missing)} of its {len(ids)} respondents are not in the data"
    )
    raise HandCodingError(
        f"{where}: stale hand coding: {which} (not found: {shown}); it was made on other "
        "data. Re-draw the sample from this data (notebook 05_validate) or point hand_coded "
        "at the file made for it"
    )


def _load(path: Path, answers: pd.DataFrame | None, **qdpx_tables: Any) -> pd.DataFrame:
    """The hand-coding table, from whichever of the three forms ``path`` is."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_sample_workbook(path)
    if suffix == ".qdpx":
        if answers is None or not {"respondents", "codes", "codebook"} <= set(qdpx_tables):
            raise HandCodingError(
                f"{path}: reading hand coding from a REFI-QDA project needs the answers, "
                "respondents, codes and codebook (load_hand_coding(path, answers, respondents=..., codes=..., codebook=...))"
            )
        return hand_coding_from_qdpx(
            path,
            qdpx_tables["respondents"],
            answers,
            qdpx_tables["codebook"],
            qdpx_tables.get("consultation"),
        )
    return _read_hand_csv(path)


def _read_hand_csv(path: Path) -> pd.DataFrame:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:  # keep CRs inside cells
            raw = fh.read()
    except FileNotFoundError as exc:
        raise HandCodingError(f"{path}: hand-coding file not found") from exc
    except UnicodeDecodeError as exc:
        raise HandCodingError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"
        ) from exc
    lines = raw.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    # Parsed as one stream, not line by line: a quoted cell may hold a line break
    # or a carriage return (respondents' words), which must not split its row.
    reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""))
    header = next(reader, None)
    if header is None:
        raise HandCodingError(f"{path}: empty file; expected a header {','.join(HAND_COLUMNS)}")
    header = [h.strip() for h in header]
    missing = [c for c in HAND_COLUMNS if c not in header]
    if missing:
        raise HandCodingError(
            f"{path}: line {skip + 1}: missing column(s) {missing}; the header must include {HAND_COLUMNS}"
        )
    rows = []
    for values in reader:
        line = skip + reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise HandCodingError(
                f"{path}: line {line}: {len(values)} fields, expected {len(header)} ({','.join(header)})"
            )
        # A cell a spreadsheet-safe writer quoted ('=…, '-…) reads back as written.
        row = {h: restore(v.strip()) for h, v in zip(header, values, strict=True)}
        _check_row(row, f"{path}: line {line}")
        rows.append(row)
    return _finish_hand_table(pd.DataFrame(rows, columns=header), str(path))


def _check_row(row: dict, where: str) -> None:
    for col in ("respondent_id", "question_id"):
        if not row[col]:
            raise HandCodingError(f"{where}: empty {col}; every row names the answer it codes")
    if row["theme_id"] and not _THEME_RE.match(row["theme_id"]):
        raise HandCodingError(
            f"{where}: theme_id {row['theme_id']!r} is not a theme id (a-z, 0-9, _); leave it empty for an answer with no theme"
        )


def _finish_hand_table(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Columns in order, string dtype, empty theme as <NA>, duplicates dropped."""
    for col in ("quote", "coder", "note"):
        if col not in df.columns:
            df[col] = pd.NA
    df = df[[*HAND_COLUMNS, "quote", "coder", "note"]].astype("string")
    df["theme_id"] = df["theme_id"].replace("", pd.NA)
    for col in ("quote", "coder", "note"):
        df[col] = df[col].replace("", pd.NA)
    dup = df.duplicated(subset=HAND_COLUMNS, keep="first")
    if dup.any():
        log.warning("%s: %d duplicate hand-coded row(s) ignored", where, int(dup.sum()))
        df = df[~dup]
    return df.reset_index(drop=True)


def hand_coding_provenance(path: str | Path) -> str:
    """The '#' comment lines above a hand-coding CSV's header (who coded it, when, how), joined.

    Reports should quote this so readers know whether the "human" coder was a
    researcher, a team, or something else. Empty for workbooks, projects and
    CSVs without comments.
    """
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return ""
    notes = []
    # Provenance is a courtesy for the report: undecodable bytes are shown, not fatal.
    for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        if not line.lstrip().startswith("#"):
            break
        notes.append(line.lstrip().lstrip("#").strip())
    return " ".join(n for n in notes if n)


def load_hand_stances(path: str | Path) -> pd.DataFrame:
    """Read hand-coded stances: respondent_id, question_id, stance (one of schemas.STANCES)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise HandCodingError(f"{path}: hand-coded stance file not found") from exc
    except UnicodeDecodeError as exc:
        raise HandCodingError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"
        ) from exc
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    reader = csv.DictReader(lines[skip:])
    need = ["respondent_id", "question_id", "stance"]
    if reader.fieldnames is None or any(c not in reader.fieldnames for c in need):
        raise HandCodingError(f"{path}: line {skip + 1}: the header must include {need}")
    rows = []
    for i, row in enumerate(reader):
        where = f"{path}: line {skip + 2 + i}"
        row = {k: restore((v or "").strip()) for k, v in row.items() if k is not None}
        stance = row.get("stance") or ""
        if stance not in STANCES:
            raise HandCodingError(f"{where}: stance {stance!r} is not one of {list(STANCES)}")
        if not row["respondent_id"] or not row["question_id"]:
            raise HandCodingError(f"{where}: respondent_id and question_id must not be empty")
        rows.append({c: row[c] for c in need})
    return pd.DataFrame(rows, columns=need).astype("string")
