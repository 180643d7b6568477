"""The data of the report's sections other than Method and the per-question sections.

Title block, summary of key findings, introduction, respondent profile,
themes across all questions and the annexes (codebook, where the
per-respondent detail is, answers with no theme by question, campaign copies). Each function returns plain
data for its template in ``templates/sections/``: the sentences computed from
the counts, tables from :mod:`helpers.report.tables` and charts as data URIs.
Fixed wording (headings, notes that never change) is in the templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from helpers import analysis
from helpers.report import campaigns, tables
from helpers.report import narrative as nv
from helpers.report.context import COPIES_ANNEX, ReportContext, date_text
from helpers.report.questions import n_reservations, stance_counts

# Up to this many respondents, the profile prints who answered which question (a row per
# respondent); beyond it the table is the workbook's ``questions_answered`` sheet, so the
# report's length grows with questions and themes, not respondents (issue 16.5).
PROFILE_ANSWERED_MAX = 30
WORKBOOK = "tables.xlsx"
# The co-occurrence chart is shown only when at least this many respondents raised two or
# more themes in one answer: below it the chart is a few scattered 1s that say nothing
# (issue 16.3); the full matrix stays in the workbook (sheet cooccurrence).
COOCCURRENCE_MIN_RESPONDENTS = 10
WEB_SCHEMES = ("https://", "http://")


def title_block(ctx: ReportContext, title: str | None, today: dt.date) -> dict[str, Any]:
    """The report's title, the organisation running the consultation and the date produced."""
    return {
        "title": title or ctx.cons.title,
        "organisation": ctx.cons.organisation or None,
        "date": date_text(today),
    }


def type_breakdown(profile: pd.DataFrame) -> str:
    """'one from a charity or voluntary organisation and one from a campaign group'."""
    parts = []
    for r in profile.itertuples(index=False):
        label = r.label.lower() if r.respondent_type != "unknown" else "respondents of unknown type"
        if r.respondent_type == "individual":
            label = "individuals" if r.n != 1 else "an individual"
            parts.append(f"{nv.number_word(r.n)} from {label}" if r.n != 1 else f"one from {label}")
            continue
        if r.respondent_type == "other":
            parts.append(
                "one from another organisation"
                if r.n == 1
                else f"{nv.number_word(r.n)} from other organisations"
            )
            continue
        if r.respondent_type == "unknown":
            parts.append(f"{nv.number_word(r.n)} from {label}")
            continue
        article = "an" if label[:1] in "aeiou" else "a"
        noun = f"{article} {label}" if r.n == 1 else nv.plural(2, label)
        parts.append(f"{nv.number_word(r.n)} from {noun}")
    return nv.join_list(parts)


def _received(ctx: ReportContext) -> str:
    n = ctx.n_resp
    return f"{nv.capitalise(nv.count_noun(n, 'response'))} {nv.verb(n, 'was', 'were')} received"


def key_findings(ctx: ReportContext, agreement: str) -> list[str]:
    """One bullet for the responses, one per question with findings, the top theme overall
    and ``agreement`` (the bullet on agreement with hand coding)."""
    cons, n_resp = ctx.cons, ctx.n_resp
    key = [_received(ctx) + (f": {type_breakdown(ctx.profile)}." if n_resp else ".")]
    extra = [q for q in ctx.coded_qs if q not in cons.question_ids]
    for qid in [q.id for q in cons.questions] + extra:
        found = []
        if qid in cons.question_ids and cons.question(qid).kind == "closed":
            found.append(nv.stance_sentence(stance_counts(ctx.dist, qid)))
            n_res = n_reservations(ctx.s, qid)
            if n_res:
                found.append(
                    f"{nv.capitalise(nv.count_noun(n_res, 'respondent'))} expressed reservations."
                )
        if qid in ctx.coded_qs:
            freq = analysis.theme_frequencies(ctx.c, ctx.a, ctx.cb, qid, ctx.s)
            base = int(freq["base"].iloc[0]) if len(freq) else 0
            if base:
                pairs = zip(freq["label"], freq["n_respondents"], strict=True)
                found.append(nv.ranked_themes_sentence(pairs, base))
        if found:
            key.append(f"{ctx.qlabel(qid)} — {' '.join(found)}")
    overall = analysis.theme_frequencies(ctx.c, ctx.a, ctx.cb, stances=ctx.s)
    if len(overall) and overall["n_respondents"].max() > 0:
        top = overall.iloc[0]
        key.append(
            f"Across all questions, the theme raised by most respondents was {top['label']} "
            f"({nv.share_brief(int(top['n_respondents']), int(top['base']))})."
        )
    key.append(agreement)
    return key


def introduction(ctx: ReportContext) -> dict[str, Any]:
    """The consultation: who ran it, its description, dates, web page and questions."""
    cons = ctx.cons
    opening = f"This report summarises the responses to the consultation '{cons.title}'"
    opening += f", run by {cons.organisation}." if cons.organisation else "."
    return {
        "opening": opening,
        "description": cons.description or None,
        "dates": (
            f"The consultation opened on {date_text(cons.opened)} and closed on {date_text(cons.closed)}."
            if cons.opened or cons.closed
            else "The consultation's opening and closing dates are not recorded."
        ),
        "url": cons.url or None,
        # Only web addresses become links: a javascript: or file: URL in a config stays text.
        "url_is_link": bool(cons.url) and cons.url.lower().startswith(WEB_SCHEMES),
        "questions": f"The consultation asked {nv.count_noun(len(cons.questions), 'question')}:",
        "questions_table": tables.questions_table(ctx),
    }


def profile(ctx: ReportContext) -> dict[str, Any]:
    """Respondent profile: responses by type, campaign copies, who answered which question."""
    n_resp = ctx.n_resp
    if not n_resp:
        return {"received": None}
    return {
        "received": f"{_received(ctx)}: {type_breakdown(ctx.profile)}.",
        "copies": campaigns.profile_sentence(ctx),
        "types_table": tables.profile_table(ctx),
        "attribute_tables": tables.attribute_profile_tables(ctx),
        "answered_table": (tables.answered_table(ctx) if n_resp <= PROFILE_ANSWERED_MAX else None),
        "answered_pointer": (
            None
            if n_resp <= PROFILE_ANSWERED_MAX
            else f"Which questions each of the {nv.count_noun(n_resp, 'respondent')} answered "
            f"is in the workbook ({WORKBOOK}, sheet questions_answered); the number answering "
            "each question is in Table 1."
        ),
    }


def overall_figures(ctx: ReportContext) -> list[dict[str, str]]:
    """Themes across all questions: overall, by respondent type, raised together."""
    out = []
    if "themes_overall" in ctx.figs:
        out.append(
            ctx.figure(
                "themes_overall",
                "Bar chart of themes across all questions",
                "Respondents raising each theme in any answer",
            )
        )
    if "themes_by_type" in ctx.figs and ctx.r["respondent_type"].nunique() > 1:
        out.append(
            ctx.figure(
                "themes_by_type",
                "Heatmap of themes by respondent type",
                "Themes by respondent type",
            )
        )
    if "cooccurrence" in ctx.figs and len(ctx.themes) > 1 and not cooccurrence_note(ctx):
        out.append(
            ctx.figure(
                "cooccurrence",
                "Heatmap of themes raised together",
                "Themes raised together in the same answer",
            )
        )
    return out


def cooccurrence_note(ctx: ReportContext) -> str | None:
    """Why the chart of themes raised together is left out (None when it is shown)."""
    if len(ctx.themes) < 2:
        return None
    n = analysis.n_cooccurring(ctx.c)
    if n >= COOCCURRENCE_MIN_RESPONDENTS:
        return None
    who = nv.count_noun(n, "respondent") if n else "no respondent"
    return (
        f"Which themes were raised together is not charted: {who} raised two or more themes "
        f"in the same answer, fewer than the {COOCCURRENCE_MIN_RESPONDENTS} needed for the "
        f"pattern to mean anything. The full table is in the workbook ({WORKBOOK}, sheet "
        "cooccurrence)."
    )


def annexes(ctx: ReportContext) -> dict[str, Any]:
    """Annex A (codebook), B (where the per-respondent detail is), C (answers with no
    theme, counted by question), D (campaign copies).

    Nothing here has a row per respondent or per answer: which themes each
    respondent raised and the answers with no theme are sheets of the workbook,
    so the report's length grows with questions and themes, not respondents.
    """
    cb, themes = ctx.cb, ctx.themes
    title_cb, version = getattr(cb, "title", None), getattr(cb, "version", None)
    codebook_line = (
        f"Codebook: {title_cb}"
        + (f" (version {version})" if version else "")
        + f"; {nv.count_noun(len(themes), 'theme')}."
        if title_cb
        else None
    )
    codebook_table = tables.codebook_table(ctx)
    unc = ctx.inputs.uncoded
    uncoded = (
        {
            "sentence": f"{nv.capitalise(nv.count_noun(len(unc), 'answer'))} received no theme. "
            f"Each is listed, with its respondent and length, in the workbook ({WORKBOOK}, "
            "sheet uncoded) so none is lost and it can be read in full.",
            "table": tables.uncoded_counts_table(ctx),
        }
        if not unc.empty
        else None
    )
    copies = (
        {
            "letter": COPIES_ANNEX,
            "note": campaigns.annex_note(ctx),
            "table": campaigns.annex_table(ctx),
        }
        if len(ctx.copies)
        else None
    )
    detail = (
        f"Which themes each of the {nv.count_noun(ctx.n_resp, 'respondent')} raised is in "
        f"the workbook ({WORKBOOK}) rather than printed here, so this report stays the same "
        "length however many respond: sheet respondent_themes has a row per respondent, "
        "question and theme raised (with the theme's label), and sheet respondent_theme_matrix "
        "a row per respondent and a column per theme, headed by its codebook id (1 = raised in "
        "at least one answer; negated mentions excluded). A sheet longer than Excel's limit of 1,048,576 rows "
        "continues in a sheet of the same name numbered (2), (3) and so on."
        if ctx.n_resp
        else None
    )
    return {
        "codebook": {"summary": codebook_line, "table": codebook_table},
        "detail": detail,
        "uncoded": uncoded,
        "copies": copies,
    }
