"""The report's tables as plain data for the ``table`` macro in ``templates/macros.html.j2``.

:func:`table` turns a DataFrame into a dict of strings (caption, header,
rows, which columns are numbers, column widths); the template writes the
``<table>`` and escapes every header and cell. The other functions build the
particular tables of the report (questions, profile, codebook, who raised
which theme, answers with no theme; the campaign-copies annex is in ``campaigns``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers import analysis
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.report import narrative as nv
from helpers.report.context import ReportContext, cell_text

MATRIX_THEME_COLUMNS = 14  # themes per table when respondents are the rows
MATRIX_COLUMNS = 8  # respondents per annex matrix table, so it fits an A4 page
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
    return {
        "row_header": row_header,
        "cls": cls,
        "caption": caption or "",
        "widths": [int(w) for w in widths or ()],
        "head": [cell_text(c) for c in df.columns],
        "numeric": [c in numeric for c in df.columns],
        "rows": [[cell_text(v) for v in rec] for rec in df.itertuples(index=False)],
    }


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
                "No.": (f"Q{q.number}" if q.number is not None else q.id),
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
        widths=[10, 50, 16, 11, 13],
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
        show[f"Q{q.number}" if q.number is not None else q.id] = qa[q.id].map(
            {True: "✓", False: "–"}
        )
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
            "Theme": [f"{row.label} ({tid})" for tid, row in themes.iterrows()],
            "Parent": [
                themes["label"].get(p, p) if isinstance(p, str) and p else ""
                for p in themes["parent"]
            ],
            "Description": themes["description"],
            "Applies to": [", ".join(qs) if qs else "all" for qs in themes["questions"]],
            "Patterns": [", ".join(theme_patterns(ctx.cb, tid)) for tid in themes.index],
        }
    )
    return table(
        df,
        ctx.count.tab("Themes, what they cover, and the word patterns that find them"),
        cls="data codebook",
        widths=[19, 12, 39, 9, 21],
    )


def theme_patterns(cb: Any, theme_id: str) -> list[str]:
    """The codebook's word patterns for one theme."""
    for t in getattr(cb, "themes", []) or []:
        tid = t.get("id") if isinstance(t, dict) else getattr(t, "id", None)
        if tid == theme_id:
            pats = t.get("patterns") if isinstance(t, dict) else getattr(t, "patterns", ())
            return list(pats or [])
    return []


def matrix_tables(ctx: ReportContext, themes: pd.DataFrame) -> list[dict[str, Any]] | None:
    """Annex B: who raised which theme, in tables narrow enough for A4 (None: no response).

    Up to ``3 * MATRIX_COLUMNS`` respondents: themes are rows and respondents
    columns (in chunks). Beyond that, respondents are rows and themes numbered
    columns (T1, T2… with a key), chunked by ``MATRIX_THEME_COLUMNS`` themes.
    """
    inputs = ctx.inputs
    m = analysis.respondent_theme_matrix(inputs.codes, inputs.respondents, inputs.codebook)
    if m.empty:
        return None
    tids = list(themes.index)
    out = []
    ids = list(m.index)
    if len(ids) <= 3 * MATRIX_COLUMNS:
        for i in range(0, len(ids), MATRIX_COLUMNS):
            chunk = ids[i : i + MATRIX_COLUMNS]
            df = pd.DataFrame({"Theme": [themes.loc[t, "label"] for t in tids]})
            for rid in chunk:
                df[str(m.loc[rid, "attribution"])] = ["✓" if m.loc[rid, t] else "" for t in tids]
            df["Total"] = [int(m[t].sum()) for t in tids]
            label = "Themes raised by each respondent"
            if len(ids) > MATRIX_COLUMNS:
                label += f" (respondents {i + 1}–{i + len(chunk)} of {len(ids)}; Total is all respondents)"
            out.append(table(df, ctx.count.tab(label), cls="data matrix", numeric=["Total"]))
        return out
    for j in range(0, len(tids), MATRIX_THEME_COLUMNS):
        chunk = tids[j : j + MATRIX_THEME_COLUMNS]
        key = "; ".join(f"T{j + k + 1} = {themes.loc[t, 'label']}" for k, t in enumerate(chunk))
        df = pd.DataFrame({"Respondent": m["attribution"].astype(str).to_numpy()})
        for k, t in enumerate(chunk):
            df[f"T{j + k + 1}"] = ["✓" if v else "" for v in m[t]]
        out.append(
            table(df, ctx.count.tab(f"Themes raised by each respondent ({key})"), cls="data matrix")
        )
    return out


def uncoded_table(ctx: ReportContext) -> dict[str, Any]:
    """Annex C: each answer that received no theme (respondent, question, length)."""
    unc = ctx.inputs.uncoded
    df = pd.DataFrame(
        {
            "Respondent": unc["respondent_id"].astype(str).map(ctx.names),
            "Question": [ctx.qlabel(q) for q in unc["question_id"]],
            "Length (characters)": unc["n_chars"],
        }
    )
    return table(df, ctx.count.tab("Answers with no theme"), numeric=["Length (characters)"])
