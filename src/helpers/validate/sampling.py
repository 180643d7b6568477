"""Draw a stratified sample of answers for hand coding, and a workbook to code them in.

The sample is proportional to stratum size (by question and respondent type
by default) with at least one answer from every non-empty stratum when ``n``
allows, and is deterministic for a given seed. The workbook has one row per
sampled answer, a 0/1 column per theme (with data validation), a stance column
for closed questions and an instructions sheet with the theme descriptions;
``read_sample_workbook`` turns the filled workbook back into the hand-coding
table that ``agreement`` reads.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.core.errors import InputError
from helpers.core.schemas import SPECIAL_QUESTION_IDS, STANCES
from helpers.validate.framework import set_text

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

CODING_SHEET = "Coding"
INSTRUCTIONS_SHEET = "Instructions"
NOT_APPLICABLE = "n/a"
FIXED_COLUMNS = ["respondent_id", "question_id", "organisation", "respondent_type", "answer_text"]
TRAILING_COLUMNS = ["stance", "coder", "note"]
_GREY = PatternFill("solid", fgColor="DDDDDD")


class SampleWorkbookError(InputError, ValueError):
    """A filled sampling workbook is invalid; the message names the sheet, row and column."""


def _allocate(sizes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Per-stratum sample sizes: one each where possible, the rest proportional (largest remainder)."""
    k = len(sizes)
    total = int(sizes.sum())
    if n >= total:
        return sizes.copy()
    if n < k:
        # Too few to cover every stratum: pick n strata with probability by size.
        chosen = rng.choice(k, size=n, replace=False, p=sizes / total)
        out = np.zeros(k, dtype=int)
        out[chosen] = 1
        return out
    out = np.ones(k, dtype=int)
    spare = sizes - 1
    quota = spare / spare.sum() * (n - k) if spare.sum() else np.zeros(k)
    add = np.minimum(np.floor(quota).astype(int), spare)
    out += add
    left = n - int(out.sum())
    # Largest remainders first; ties broken by stratum order (deterministic).
    order = sorted(range(k), key=lambda i: (-(quota[i] - add[i]), i))
    while left > 0:
        for i in order:
            if left and out[i] < sizes[i]:
                out[i] += 1
                left -= 1
    return out


def draw_sample(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    n: int,
    seed: int = 0,
    by: Sequence[str] = ("question_id", "respondent_type"),
    exclude_questions: Iterable[str] = SPECIAL_QUESTION_IDS,
) -> pd.DataFrame:
    """A stratified random sample of ``n`` answers (deterministic for a seed).

    Answers with no text and answers to ``exclude_questions`` (preamble,
    closing, unstructured by default) are not sampled. Returns the sampled
    answer rows with ``organisation``, ``respondent_type`` and ``stratum``,
    ordered by respondent and position.
    """
    if n < 0:
        raise ValueError(f"draw_sample: n must be >= 0, got {n}")
    meta = respondents[["respondent_id", "organisation", "respondent_type"]]
    pool = answers.drop(
        columns=[c for c in ("organisation", "respondent_type") if c in answers.columns]
    )
    pool = pool.merge(meta, on="respondent_id", how="left", validate="many_to_one")
    pool["respondent_type"] = pool["respondent_type"].fillna("unknown")
    text = pool["answer_text"].fillna("").astype(str).str.strip()
    pool = pool[(text != "") & ~pool["question_id"].isin(list(exclude_questions))]
    missing = [c for c in by if c not in pool.columns]
    if missing:
        raise ValueError(
            f"draw_sample: cannot stratify by {missing}; columns available: {list(pool.columns)}"
        )
    pool = pool.sort_values(
        ["respondent_id", "start"] if "start" in pool.columns else ["respondent_id", "question_id"],
        kind="stable",
    )
    pool = pool.reset_index(drop=True)
    pool["stratum"] = pool[list(by)].astype(str).agg(" | ".join, axis=1) if by else "all"
    strata = sorted(pool["stratum"].unique())
    sizes = np.array([int((pool["stratum"] == s).sum()) for s in strata], dtype=int)
    rng = np.random.default_rng(seed)
    counts = _allocate(sizes, n, rng) if len(strata) else np.array([], dtype=int)
    picked: list[int] = []
    for s, c in zip(strata, counts, strict=True):
        idx = pool.index[pool["stratum"] == s].to_numpy()
        if c:
            picked.extend(rng.choice(idx, size=int(c), replace=False).tolist())
    log.info(
        "sampled %d of %d answers across %d strata (seed %d)",
        len(picked),
        len(pool),
        len(strata),
        seed,
    )
    return pool.loc[sorted(picked)].reset_index(drop=True)


def export_sample_workbook(
    sample: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    path: str | Path,
    closed_questions: Iterable[str] | None = None,
) -> Path:
    """Write an XLSX to hand-code ``sample``: a 0/1 column per theme and a stance column.

    ``closed_questions``: ids of agree/disagree questions (e.g.
    ``[q.id for q in consultation.closed_questions]``); the stance cell is
    offered only on their rows. Theme cells that do not apply to a row's
    question hold "n/a" and are greyed out.
    """
    path = Path(path)
    closed = set(closed_questions or [])
    themes = codebook.themes
    meta = respondents.set_index("respondent_id")
    wb = Workbook()
    ws = wb.active
    ws.title = CODING_SHEET
    header = [*FIXED_COLUMNS, *[t.id for t in themes], *TRAILING_COLUMNS]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_theme = len(FIXED_COLUMNS) + 1
    stance_col = first_theme + len(themes)
    binary = DataValidation(
        type="list",
        formula1='"0,1"',
        allow_blank=True,
        showErrorMessage=True,
        error="Enter 0 (theme absent) or 1 (theme present).",
    )
    stance_dv = DataValidation(
        type="list",
        formula1=f'"{",".join(STANCES)}"',
        allow_blank=True,
        showErrorMessage=True,
        error="Choose a stance from the list.",
    )
    ws.add_data_validation(binary)
    ws.add_data_validation(stance_dv)
    for i, row in enumerate(sample.itertuples(index=False), start=2):
        rid, qid = str(row.respondent_id), str(row.question_id)
        org = meta["organisation"].get(rid) if "organisation" in meta.columns else None
        rtype = meta["respondent_type"].get(rid) if "respondent_type" in meta.columns else None
        values = [
            rid,
            qid,
            None if pd.isna(org) else str(org),
            None if pd.isna(rtype) else str(rtype),
            str(row.answer_text),
        ]
        for j, v in enumerate(values, start=1):
            set_text(ws.cell(i, j), v)
        ws.cell(i, 5).alignment = Alignment(wrap_text=True, vertical="top")
        for j, t in enumerate(themes):
            cell = ws.cell(i, first_theme + j)
            if t.applies_to(qid):
                binary.add(cell)
            else:
                cell.value = NOT_APPLICABLE
                cell.fill = _GREY
        scell = ws.cell(i, stance_col)
        if qid in closed:
            stance_dv.add(scell)
        else:
            scell.value = NOT_APPLICABLE
            scell.fill = _GREY
    ws.freeze_panes = ws.cell(2, first_theme)
    ws.column_dimensions["E"].width = 80
    for col in ("A", "B", "C", "D"):
        ws.column_dimensions[col].width = 18
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), themes)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    log.info(
        "wrote hand-coding workbook %s (%d answers, %d themes)", path, len(sample), len(themes)
    )
    return path


def _instructions(ws: Any, themes: list[Any]) -> None:
    lines = [
        "How to hand-code this sample",
        "1. Read each answer on the Coding sheet without looking at the automatic codes.",
        "2. For every theme column, enter 1 if the answer raises the theme as described below, else 0. "
        "Cells marked n/a do not apply to that question.",
        "3. Code only what the respondent says; a theme mentioned only to say it does not matter is 0.",
        "4. For closed (agree/disagree) questions choose the stance the respondent expresses.",
        "5. Put your name in 'coder' and anything unsure in 'note'. Leave a row blank if you did not code it.",
        "",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["theme_id", "label", "description", "parent", "questions"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for t in themes:
        qs = getattr(t, "questions", None)
        row = ws.max_row + 1
        values = [
            t.id,
            getattr(t, "label", t.id),
            getattr(t, "description", ""),
            getattr(t, "parent", None),
            ", ".join(qs) if qs else "all",
        ]
        # Labels and descriptions are free text: written as text cells, never formulas.
        for j, v in enumerate(values, start=1):
            set_text(ws.cell(row, j), v)
        ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 90


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise SampleWorkbookError(f"{path}: workbook not found") from exc
    if CODING_SHEET not in wb.sheetnames:
        raise SampleWorkbookError(
            f"{path}: no sheet named {CODING_SHEET!r} (sheets: {wb.sheetnames})"
        )
    rows = wb[CODING_SHEET].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in ("respondent_id", "question_id") if c not in header]
    if missing:
        raise SampleWorkbookError(
            f"{path}: sheet {CODING_SHEET!r} row 1: missing column(s) {missing}"
        )
    out = []
    for r, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append((r, dict(zip(header, values, strict=False))))
    wb.close()
    return header, out


def _theme_columns(header: list[str]) -> list[str]:
    return [h for h in header if h and h not in FIXED_COLUMNS and h not in TRAILING_COLUMNS]


def read_sample_workbook(path: str | Path) -> pd.DataFrame:
    """The filled workbook as a hand-coding table (respondent_id, question_id, theme_id, quote, coder, note).

    A row whose theme cells are all blank was not coded and is skipped; a row
    with some blank cells, or a value other than 0/1, is an error naming the
    sheet, row and column.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    themes = _theme_columns(header)
    out = []
    skipped = 0
    for r, row in rows:
        where = f"{path}: sheet {CODING_SHEET!r} row {r}"
        rid, qid = row.get("respondent_id"), row.get("question_id")
        if rid is None or qid is None or not str(rid).strip() or not str(qid).strip():
            raise SampleWorkbookError(f"{where}: respondent_id and question_id must be filled")
        cells = {t: row.get(t) for t in themes}
        live = {
            t: v
            for t, v in cells.items()
            if not (isinstance(v, str) and v.strip().lower() == NOT_APPLICABLE)
        }
        blank = [t for t, v in live.items() if v is None or str(v).strip() == ""]
        if live and len(blank) == len(live):
            skipped += 1
            continue
        if blank:
            raise SampleWorkbookError(
                f"{where}, column {blank[0]!r}: empty cell; enter 0 or 1 for every theme of a coded answer"
            )
        coder, note = row.get("coder"), row.get("note")
        present = []
        for t, v in live.items():
            value = _binary(v)
            if value is None:
                raise SampleWorkbookError(f"{where}, column {t!r}: {v!r} is not 0 or 1")
            if value:
                present.append(t)
        for t in present or [None]:
            out.append(
                {
                    "respondent_id": str(rid).strip(),
                    "question_id": str(qid).strip(),
                    "theme_id": t,
                    "quote": None,
                    "coder": coder,
                    "note": note,
                }
            )
    if skipped:
        log.warning(
            "%s: %d row(s) with no theme cells filled were skipped as not yet coded", path, skipped
        )
    df = pd.DataFrame(
        out, columns=["respondent_id", "question_id", "theme_id", "quote", "coder", "note"]
    )
    return (
        df.astype("string")
        .drop_duplicates(subset=["respondent_id", "question_id", "theme_id"])
        .reset_index(drop=True)
    )


def _binary(v: Any) -> int | None:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float) and v in (0, 1):
        return int(v)
    s = str(v).strip()
    return int(s) if s in ("0", "1") else None


def read_sample_stances(path: str | Path) -> pd.DataFrame:
    """Hand-coded stances from the workbook's stance column (respondent_id, question_id, stance)."""
    path = Path(path)
    header, rows = _read_rows(path)
    if "stance" not in header:
        raise SampleWorkbookError(f"{path}: sheet {CODING_SHEET!r} row 1: no 'stance' column")
    out = []
    for r, row in rows:
        v = row.get("stance")
        if v is None or str(v).strip() in ("", NOT_APPLICABLE):
            continue
        s = str(v).strip()
        if s not in STANCES:
            raise SampleWorkbookError(
                f"{path}: sheet {CODING_SHEET!r} row {r}, column 'stance': {s!r} is not one of {list(STANCES)}"
            )
        out.append(
            {
                "respondent_id": str(row["respondent_id"]).strip(),
                "question_id": str(row["question_id"]).strip(),
                "stance": s,
            }
        )
    return pd.DataFrame(out, columns=["respondent_id", "question_id", "stance"]).astype("string")
