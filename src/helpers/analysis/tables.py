"""Every analysis table at once, and writing them as CSV files and one XLSX workbook.

The table functions live by subject (``respondents``, ``stances``, ``themes``,
``quotes``) on the counting rules in ``counting``; this module bundles them the
way notebook 03 and the report read them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from helpers.analysis import synthesis_cache
from helpers.analysis.accounting import input_accounting
from helpers.analysis.breakdowns import attribute_ids, breakdown_by, breakdown_labels
from helpers.analysis.campaigns import campaign_counts, campaign_groups, representative_answers
from helpers.analysis.counting import ALL, computed_once, theme_labels
from helpers.analysis.inputs import AnalysisInputs
from helpers.analysis.quotes import attributions
from helpers.analysis.redaction import redact_tables
from helpers.analysis.respondents import question_counts, questions_answered, respondent_profile
from helpers.analysis.stances import stance_distribution
from helpers.analysis.synthesis import synthesise
from helpers.analysis.themes import (
    coded_questions,
    cooccurrence,
    respondent_theme_matrix,
    respondent_themes,
    theme_by_type,
    theme_frequencies,
    theme_methods,
)
from helpers.analysis.workbook import write_workbook
from helpers.core.redact import write_log
from helpers.core.safecsv import write_csv

log = logging.getLogger(__name__)

EXCEL_ROW_LIMIT = 1_048_576  # rows in one worksheet, the header row included
SHEET_NAME_LIMIT = 31

__all__ = ["analysis_tables", "attribute_tables", "write_tables"]


@computed_once()  # raised/answered once for every table (issue 15)
def analysis_tables(inputs: AnalysisInputs) -> dict[str, pd.DataFrame]:
    """Every analysis table, keyed by a short name (used for CSV file and sheet names)."""
    r, a, c, s, cb = inputs.frames()
    cons = inputs.consultation
    labels = theme_labels(cb)
    tables: dict[str, pd.DataFrame] = {
        "respondent_profile": respondent_profile(r),
        "input_accounting": input_accounting(inputs.ingest_log, r, a).table(),
        "question_counts": question_counts(r, a, cons, s),
        "questions_answered": questions_answered(r, a, cons, s),
        "stance_distribution": stance_distribution(s, r, cons, by_type=True),
        "theme_frequencies": theme_frequencies(c, a, cb, stances=s).assign(question_id=ALL),
    }
    per_q = [
        theme_frequencies(c, a, cb, q, s).assign(question_id=q) for q in coded_questions(inputs)
    ]
    if per_q:
        tables["theme_frequencies"] = pd.concat(
            [tables["theme_frequencies"], *per_q], ignore_index=True
        )
    by_type = theme_by_type(c, r, cb)
    by_type.insert(0, "label", by_type.index.map(labels))
    tables["theme_by_type"] = by_type.reset_index()
    co = cooccurrence(c, cb)
    tables["cooccurrence"] = (
        co.rename(index=labels, columns=labels).rename_axis("theme").reset_index()
    )
    tables["theme_methods"] = theme_methods(c, cb)
    tables["respondent_theme_matrix"] = respondent_theme_matrix(c, r, cb).reset_index()
    tables["respondent_themes"] = respondent_themes(c, r, cb)
    tables["uncoded"] = inputs.uncoded.assign(
        attribution=inputs.uncoded["respondent_id"].astype(str).map(attributions(r))
    )
    tables["campaign_copies"] = campaign_counts(a, inputs.copies, s)
    # The distinct points made under each theme (POINTS; quotes redacted by write_tables),
    # fingerprinted so write_tables keeps them for build_report (synthesis_cache).
    points = synthesise(inputs)[0]
    points.attrs[synthesis_cache.ATTR] = synthesis_cache.fingerprint(inputs)
    tables["points"] = points
    # Every campaign group with its representative's text: the report's annex lists the
    # largest only (report.campaigns.ANNEX_GROUPS_MAX).
    # Only the representatives' answer text is read (issue 15: inputs loaded without it).
    quoted = inputs.with_answer_text(representative_answers(inputs.copies, a)).answers
    groups = campaign_groups(inputs.copies, quoted, r, inputs.response_texts)
    groups.insert(3, "attribution", groups["respondent_id"].astype(str).map(attributions(r)))
    tables["campaign_groups"] = groups
    tables.update(attribute_tables(inputs))
    return tables


def attribute_tables(inputs: AnalysisInputs) -> dict[str, pd.DataFrame]:
    """The type tables again for each attribute the consultation declares (``breakdowns``).

    ``profile_by_<id>`` (respondents per value), ``stances_by_<id>`` (the
    stance distribution per value) and ``themes_by_<id>`` (theme × value).
    """
    r, _a, c, s, cb = inputs.frames()
    labels = theme_labels(cb)
    out: dict[str, pd.DataFrame] = {}
    for aid in attribute_ids(inputs.consultation)[1:]:  # respondent_type's tables are above
        rb = breakdown_by(r, inputs.attributes, aid, inputs.consultation)
        values = breakdown_labels(inputs.attributes, aid, inputs.consultation)
        out[f"profile_by_{aid}"] = respondent_profile(rb, by=aid, labels=values)
        out[f"stances_by_{aid}"] = stance_distribution(
            s, rb, inputs.consultation, by_type=True, by=aid, labels=values
        )
        themes = theme_by_type(c, rb, cb, by=aid, labels=values)
        themes.insert(0, "label", themes.index.map(labels))
        out[f"themes_by_{aid}"] = themes.reset_index()
    return out


def sheet_parts(name: str, n_rows: int, limit: int | None = None) -> list[tuple[str, int, int]]:
    """(sheet name, first row, end row) for a table of ``n_rows`` rows under a header.

    A table longer than a worksheet holds (``limit`` rows, the header included;
    Excel's ``EXCEL_ROW_LIMIT`` by default)
    continues in sheets named "name (2)", "name (3)" …, each with the header again;
    names are cut so the suffix fits Excel's 31 characters.
    """
    per = (limit or EXCEL_ROW_LIMIT) - 1
    if n_rows <= per:
        return [(name[:SHEET_NAME_LIMIT], 0, n_rows)]
    parts = []
    for k, first in enumerate(range(0, n_rows, per), start=1):
        suffix = "" if k == 1 else f" ({k})"
        parts.append(
            (name[: SHEET_NAME_LIMIT - len(suffix)] + suffix, first, min(first + per, n_rows))
        )
    return parts


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``tables/<name>.csv`` and all of them to ``tables.xlsx`` (a sheet each).

    Returns the paths written. Sheet names are cut to Excel's 31-character limit, and
    a table longer than a worksheet's 1,048,576 rows continues in "name (2)", "name (3)"
    … (:func:`sheet_parts`); the CSV is always one file.
    Personal data in every text cell becomes a typed placeholder (``[email]``,
    ``[name]``, …; :func:`~helpers.analysis.redaction.redact_tables`) and what was
    replaced is logged, by kind and place, in ``out_dir/redaction_log.csv``.
    CSV text cells are neutralised (``core.safecsv``); XLSX cells holding text
    are always text cells, never formulas.
    """
    out_dir = Path(out_dir)
    tdir = out_dir / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    if "points" in tables:  # synthesis kept for build_report (synthesis_cache)
        synthesis_cache.save(out_dir, tables["points"])
    tables, redactions = redact_tables(tables)
    log.info("redaction log: %s", write_log(redactions, out_dir, "tables"))
    written = []
    for name, df in tables.items():
        path = tdir / f"{name}.csv"
        # Uncoded answers, attributions and labels carry respondents' words: a cell
        # starting with '=', '+', '-', '@', tab or CR is quoted so a spreadsheet
        # shows it instead of running it (core.safecsv).
        write_csv(df, path, encoding="utf-8")
        written.append(path)
    xlsx = out_dir / "tables.xlsx"
    # Streamed a block of rows at a time, column by column (analysis.workbook): the
    # per-respondent sheets grow with respondents.
    write_workbook(
        (
            (sheet, df.iloc[first:end])
            for name, df in tables.items()
            for sheet, first, end in sheet_parts(name, len(df))
        ),
        xlsx,
    )
    written.append(xlsx)
    log.info("wrote %d tables to %s and %s", len(tables), tdir, xlsx)
    return written
