"""The report's tables as plain data for the ``table`` macro in ``templates/macros.html.j2``.

:func:`table` turns a DataFrame into a dict of strings (caption, header,
rows, which columns are numbers, column widths); the template writes the
``<table>`` and escapes every header and cell. The other functions build the
particular tables of the report (questions, profile, codebook, answers with no
theme by question; the campaign-copies annex is in ``campaigns``). Tables whose
rows are respondents or answers are not printed beyond a few respondents: the
workbook (``tables.xlsx``) holds them, so the report's length does not grow with
the number of respondents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers import analysis
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.report import narrative as nv
from helpers.report.context import ReportContext, cell_text

# Fixed-width tables: the text column's width on A4 (210 mm less 2 x 18 mm margins) in
# points, and the header font (report.css: 8.5pt bold DejaVu Sans, about 0.66 em a
# character, plus the cell's padding), so no header word is wider than its column and
# none is broken inside ("Answere d"); the widest column gives way.
PAGE_TEXT_WIDTH_PT = 174 / 25.4 * 72
HEADER_CHAR_PT = 8.5 * 0.66
CELL_PADDING_PT = 0.9 * 8.5 + 2
# A table of more rows than this may break across pages (class "long"): kept whole, a
# table taller than the space left leaves its caption alone at the page foot.
LONG_TABLE_ROWS = 12
QUESTION_KINDS = {
    "closed": "Agree/disagree scale with comments",
    "open": "Open text",
    "profile": "About the respondent",
}


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    cls: str = "data",
    numeric: Sequence[str] = (),
    widths: Sequence[int] | None = None,
    row_header: bool = True,
) -> dict[str, Any]:
    """A DataFrame as the table macro prints it.

    ``numeric`` columns are right-aligned. ``widths`` (percentages, one per
    column) fix the column widths, so long text wraps inside its column instead
    of squeezing its neighbours (the table gets the class ``fixed``).
    ``row_header``: the first column names each row (a theme, a group, a
    question), so its cells are row headers (``<th scope="row">``).
    """
    long = len(df) > LONG_TABLE_ROWS  # may run over a page: rows flow, the header repeats
    return {
        "row_header": row_header,
        "cls": f"{cls} long" if long else cls,
        "caption": caption or "",
        "widths": header_widths([cell_text(c) for c in df.columns], widths or ()),
        "head": [cell_text(c) for c in df.columns],
        "numeric": [c in numeric for c in df.columns],
        "rows": [[cell_text(v) for v in rec] for rec in df.itertuples(index=False)],
    }


def header_widths(head: Sequence[str], widths: Sequence[int]) -> list[int]:
    """``widths`` (percent) raised so each column holds its header's longest word.

    What a column gains is taken from the widest column, so the total stays the
    same; no widths (an automatic layout) stay none.
    """
    if not widths:
        return []
    out = [int(w) for w in widths]
    need = [
        math.ceil(
            100
            * (max((len(w) for w in str(h).split()), default=0) * HEADER_CHAR_PT + CELL_PADDING_PT)
            / PAGE_TEXT_WIDTH_PT
        )
        for h in head
    ]
    for i, n in enumerate(need):
        if out[i] < n:
            widest = max(range(len(out)), key=lambda k: out[k] - need[k])
            give = min(n - out[i], out[widest] - need[widest])
            out[i] += give
            out[widest] -= give
    return out


def questions_table(ctx: ReportContext) -> dict[str, Any]:
    """Introduction: the consultation's questions and how many answered each.

    "No substantive answer" counts respondents who wrote only a non-answer
    ("No comment", "N/A"); they are not in "Answered". The caption gives the
    base: every respondent is in one of the two columns or did not answer.
    """
    nothing = "No substantive answer"
    rows = pd.DataFrame(
        [
            {
                "No.": (f"Q{q.number}" if q.number is not None else "–"),
                "Wording": q.text,
                "Type": QUESTION_KINDS[q.kind],
                "Answered": int(ctx.qcounts.loc[q.id, "n_answered"]),
                nothing: int(ctx.qcounts.loc[q.id, "n_no_substantive"]),
            }
            for q in ctx.cons.questions
        ]
    )
    return table(
        rows,
        ctx.count.tab(
            "The consultation's questions and how many respondents answered each "
            f"(of {nv.count_noun(ctx.n_resp, 'respondent')})"
        ),
        cls="data questions",
        numeric=["Answered", nothing],
        widths=[9, 47, 16, 13, 15],
    )


def profile_table(ctx: ReportContext) -> dict[str, Any]:
    """Respondent profile: responses by respondent type."""
    profile = ctx.profile
    df = pd.DataFrame(
        {
            "Respondent type": profile["label"],
            "Number": profile["n"],
            "Percentage": [nv.format_percent(k, ctx.n_resp) for k in profile["n"]],
        }
    )
    return table(
        df, ctx.count.tab("Responses by respondent type"), numeric=["Number", "Percentage"]
    )


def attribute_profile_tables(ctx: ReportContext) -> list[dict[str, Any]]:
    """Respondent profile: responses by each attribute the consultation declares (area, age …).

    An attribute nobody has a value for (every respondent unknown) is left out.
    """
    out = []
    attrs = getattr(ctx.inputs, "attributes", None)
    if attrs is None:
        return out
    for aid in analysis.attribute_ids(ctx.cons)[1:]:
        labels = analysis.breakdown_labels(attrs, aid, ctx.cons)
        rb = analysis.breakdown_by(ctx.r, attrs, aid, ctx.cons)
        if rb.empty or set(rb[aid]) == {"unknown"}:
            continue
        prof = analysis.respondent_profile(rb, by=aid, labels=labels)
        name = analysis.attribute_label(aid, ctx.cons)
        df = pd.DataFrame(
            {
                name: prof["label"],
                "Number": prof["n"],
                "Percentage": [nv.format_percent(k, ctx.n_resp) for k in prof["n"]],
            }
        )
        caption = ctx.count.tab(f"Responses by {name[:1].lower() + name[1:]}")
        out.append(table(df, caption, numeric=["Number", "Percentage"]))
    return out


def answered_table(ctx: ReportContext) -> dict[str, Any]:
    """Respondent profile: which questions each respondent answered (✓ / –)."""
    qa = analysis.questions_answered(ctx.r, ctx.a, ctx.cons, ctx.s)
    show = pd.DataFrame(
        {
            "Respondent": qa["attribution"],
            "Type": qa["respondent_type"].map(analysis.type_label),
        }
    )
    for q in ctx.cons.questions:
        show[_short_qlabel(ctx, q.id)] = qa[q.id].map({True: "✓", False: "–"})
    return table(
        show,
        ctx.count.tab("Questions each respondent answered (✓ answered, – not answered)"),
        cls="data compact",
    )


def stance_table(ctx: ReportContext, qid: str) -> dict[str, Any]:
    """A closed question: responses by level of agreement, by respondent type if mixed
    (and the report breaks down by respondent type: ``ctx.breakdowns``)."""
    dist = ctx.dist
    multi = (
        (dist["respondent_type"] != analysis.ALL).any()
        and ctx.r["respondent_type"].nunique() > 1
        and RESPONDENT_TYPE in ctx.breakdowns
    )
    shown = dist if multi else dist[dist["respondent_type"] == analysis.ALL]
    df = analysis.stance_table(shown, qid)
    return table(
        df,
        ctx.count.tab(
            "Responses by level of agreement: count (percentage of n); n = number who gave a "
            "view on the scale (Don't know and No answer are outside n)"
        ),
        cls="data compact",
        numeric=[c for c in df.columns if c != "Group"],
    )


def codebook_table(ctx: ReportContext) -> dict[str, Any]:
    """Annex A: every theme, its parent, description, questions and patterns."""
    themes = ctx.themes
    df = pd.DataFrame(
        {
            "Theme": themes["label"],
            "Parent": [
                themes["label"].get(p, p) if isinstance(p, str) and p else ""
                for p in themes["parent"]
            ],
            "Description": [ctx.plain(d) for d in themes["description"]],
            "Applies to": [
                ", ".join(_short_qlabel(ctx, q) for q in qs) if qs else "all"
                for qs in themes["questions"]
            ],
            "Patterns": [", ".join(theme_patterns(ctx.cb, tid)) for tid in themes.index],
        }
    )
    return table(
        df,
        ctx.count.tab("Themes, what they cover, and the word patterns that find them"),
        cls="data codebook",
        widths=[18, 12, 38, 11, 21],
    )


def _short_qlabel(ctx: ReportContext, qid: str) -> str:
    """'Q3' for a numbered question, else its label: never the internal id."""
    if qid in ctx.cons.question_ids:
        q = ctx.cons.question(qid)
        return f"Q{q.number}" if q.number is not None else (q.short or q.label)
    return ctx.qlabel(qid)


def theme_patterns(cb: Any, theme_id: str) -> list[str]:
    """The codebook's word patterns for one theme."""
    for t in getattr(cb, "themes", []) or []:
        tid = t.get("id") if isinstance(t, dict) else getattr(t, "id", None)
        if tid == theme_id:
            pats = t.get("patterns") if isinstance(t, dict) else getattr(t, "patterns", ())
            return list(pats or [])
    return []


def uncoded_counts_table(ctx: ReportContext) -> dict[str, Any]:
    """Annex C: per coded question, the answers and how many received no theme.

    One row per question, so the annex does not grow with the respondents; the
    answers themselves are in the workbook's ``uncoded`` sheet.
    """
    unc = ctx.inputs.uncoded
    rows = []
    qids = list(ctx.coded_qs)
    qids += [q for q in dict.fromkeys(unc["question_id"].astype(str)) if q not in qids]
    for qid in qids:
        n_unc = int((unc["question_id"] == qid).sum())
        n_ans = int(ctx.qcounts.loc[qid, "n_answered"]) if qid in ctx.qcounts.index else None
        rows.append(
            {
                "Question": ctx.qlabel(qid),
                "Answered": "" if n_ans is None else n_ans,
                "No theme": n_unc,
                "Share": nv.format_percent(n_unc, n_ans) if n_ans else "",
            }
        )
    df = pd.DataFrame(rows, columns=["Question", "Answered", "No theme", "Share"])
    return table(
        df,
        ctx.count.tab(
            "Answers that received no theme, by question (Share = percentage of those who answered)"
        ),
        numeric=["Answered", "No theme", "Share"],
    )
