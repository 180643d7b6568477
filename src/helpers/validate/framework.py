"""Framework matrix: the coded quotes laid out respondent x theme, one sheet per question.

This is the "framework method" chart qualitative researchers build by hand:
rows are respondents (with organisation and type), columns are themes, and
each cell holds the respondent's own words that were coded to the theme, so a
reader can scan across a row (one respondent's view) or down a column (one
theme across respondents). A final sheet holds the same as 0/1 for statistics.
Only codes with ``negated == False`` count.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from helpers.core.safecsv import FORMULA_STARTS
from helpers.core.schemas import counted_codes

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

MATRIX_SHEET = "Respondent x theme"
QUOTE_SEPARATOR = "\n\n"
EXCEL_CELL_LIMIT = 32_767
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_WRAP = Alignment(wrap_text=True, vertical="top")


def set_text(cell: Any, value: Any) -> None:
    """Put untrusted text in a cell as text: never a formula, no illegal characters, within Excel's limit."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        cell.value = None
        return
    if not isinstance(value, str):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    if len(text) > EXCEL_CELL_LIMIT:
        marker = " […truncated: see the codes table for the rest]"
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    cell.value = text
    # openpyxl turns any string starting with '=' into a formula; respondents' words stay words.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        # Excel's "quote prefix": the cell stays text even after someone edits it.
        cell.quotePrefix = True


def _sheet_name(question: Any, taken: set[str]) -> str:
    number = getattr(question, "number", None)
    base = f"Q{number}" if number is not None else str(question.id)
    short = getattr(question, "short", None)
    name = _SHEET_BAD.sub(" ", f"{base} {short}" if short else base)[:31].strip()
    candidate, n = name, 2
    while candidate.lower() in taken or candidate.lower() == MATRIX_SHEET.lower():
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _live(codes: pd.DataFrame) -> pd.DataFrame:
    if codes is None or len(codes) == 0:
        return pd.DataFrame(
            columns=["respondent_id", "question_id", "theme_id", "start", "end", "quote"]
        )
    live = counted_codes(codes)
    return live.sort_values(["respondent_id", "start", "end"], kind="stable")


def quote_matrix(
    respondents: pd.DataFrame, codes: pd.DataFrame, question_id: str, theme_ids: list[str]
) -> pd.DataFrame:
    """Respondent x theme frame of coded quotes for one question (distinct quotes, in text order)."""
    live = _live(codes)
    live = live[live["question_id"] == question_id]
    cells: dict[tuple[str, str], list[str]] = {}
    for r, t, q in live[["respondent_id", "theme_id", "quote"]].itertuples(index=False):
        quotes = cells.setdefault((r, t), [])
        if q not in quotes:
            quotes.append(str(q))
    rows = []
    for r in respondents.itertuples(index=False):
        rows.append(
            [
                r.respondent_id,
                *(
                    QUOTE_SEPARATOR.join(cells.get((r.respondent_id, t), [])) or None
                    for t in theme_ids
                ),
            ]
        )
    return pd.DataFrame(rows, columns=["respondent_id", *theme_ids])


def presence_matrix(
    respondents: pd.DataFrame, codes: pd.DataFrame, theme_ids: list[str]
) -> pd.DataFrame:
    """Respondent x theme 0/1: the respondent raised the theme in any answer."""
    live = _live(codes)
    seen = set(zip(live["respondent_id"], live["theme_id"], strict=True))
    rows = [[r, *(int((r, t) in seen) for t in theme_ids)] for r in respondents["respondent_id"]]
    return pd.DataFrame(rows, columns=["respondent_id", *theme_ids])


def export_framework_matrix(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Any,
) -> Path:
    """Write the framework matrix XLSX: a sheet per question and a 0/1 respondent x theme sheet.

    Question sheets cover the consultation's open and closed questions (and
    any other question with codes); themes are those that apply to the question.
    """
    path = Path(path)
    resp = respondents.sort_values("respondent_id").reset_index(drop=True)
    meta = resp[["respondent_id", "organisation", "respondent_type"]]
    questions = [q for q in consultation.questions if getattr(q, "kind", "open") != "profile"]
    known = {q.id for q in questions}
    extra = sorted(set(_live(codes)["question_id"]) - known)
    if extra:
        log.warning(
            "codes for question(s) %s outside the consultation's questions; given their own sheets",
            extra,
        )
        questions += [
            type("Q", (), {"id": q, "number": None, "short": None, "text": q})() for q in extra
        ]
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    labels = {t.id: t.label for t in codebook.themes}
    for q in questions:
        ids = [t.id for t in codebook.themes_for(q.id)]
        frame = meta.merge(quote_matrix(resp, codes, q.id, ids), on="respondent_id")
        ws = wb.create_sheet(_sheet_name(q, taken))
        _write_sheet(ws, frame, labels, wrap=True)
        ws.freeze_panes = "D2"
        # The full question wording travels with the sheet, under the table.
        note = ws.cell(ws.max_row + 2, 1)
        set_text(note, f"{getattr(q, 'label', q.id)}: {q.text}")
        note.font = Font(italic=True)
    ids = codebook.theme_ids
    frame = meta.merge(presence_matrix(resp, codes, ids), on="respondent_id")
    ws = wb.create_sheet(MATRIX_SHEET)
    _write_sheet(ws, frame, None, wrap=False)
    ws.freeze_panes = "D2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    log.info(
        "wrote framework matrix %s (%d question sheets, %d respondents)",
        path,
        len(questions),
        len(resp),
    )
    return path


def _write_sheet(ws: Any, frame: pd.DataFrame, labels: dict[str, str] | None, wrap: bool) -> None:
    """Header row (theme labels if given) then the frame's rows; wrapped quote cells."""
    header = [labels.get(c, c) if labels else c for c in frame.columns]
    for j, h in enumerate(header, start=1):
        cell = ws.cell(1, j)
        set_text(cell, h)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(i, j)
            set_text(cell, v)
            if wrap and j > 3:
                cell.alignment = _WRAP
    for j in range(1, len(frame.columns) + 1):
        letter = ws.cell(1, j).column_letter
        ws.column_dimensions[letter].width = 45 if (wrap and j > 3) else (28 if j <= 3 else 12)
