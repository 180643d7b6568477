"""A section per question: level of agreement (closed questions) and the themes raised.

For a closed question: the stance sentence (naming respondents when there are
few), reservations, tick-box/text conflicts, the table and chart, and how
respondents put it. For a coded question: the ranked themes, their chart, and
the most frequent themes written up with a sentence, the codebook description
and representative quotes; the rest listed in one sentence. Rendered by
``templates/sections/question.html.j2``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import analysis
from helpers.core.schemas import STANCE_LABELS, UNSTRUCTURED, WHOLE_RESPONSE
from helpers.report import breakdowns, campaigns, synthesis, tables
from helpers.report import narrative as nv
from helpers.report.context import ReportContext, cell_text

MAX_THEMES_DETAILED = 6  # themes per question written up with quotes; the rest are listed
STANCE_GROUPS = {
    "strongly_agree": "agree",
    "agree": "agree",
    "strongly_disagree": "disagree",
    "disagree": "disagree",
    "neither": "neither",
}


def question_sections(ctx: ReportContext) -> list[dict[str, Any]]:
    """One section per consultation question (profile questions only if coded), then
    one per coded kind of text outside any question (e.g. unstructured responses)."""
    out = []
    for q in ctx.cons.questions:
        if q.kind == "profile" and q.id not in ctx.coded_qs:
            continue
        answered = answered_sentence(ctx, q.id)
        closed = closed_question(ctx, q.id) if q.kind == "closed" else None
        out.append(
            {
                "heading": cell_text(q.label),
                "unattributed": False,
                "text": cell_text(q.text),
                "answered": answered,
                "campaigns": campaigns.question_sentence(ctx, q.id),
                "closed": closed,
                "themes": themes_raised(ctx, q.id) if q.id in ctx.coded_qs else None,
                "comments": q.kind == "closed",  # themes then come from the comments
            }
        )
    for qid in ctx.coded_qs:
        if qid not in ctx.cons.question_ids:
            out.append(
                {
                    "heading": ctx.qlabel(qid),
                    "unattributed": True,  # not a consultation question: no wording, no count
                    "text": None,
                    "answered": None,
                    "campaigns": (
                        campaigns.question_sentence(ctx, WHOLE_RESPONSE)
                        if qid == UNSTRUCTURED
                        else None
                    ),
                    "closed": None,
                    "themes": themes_raised(ctx, qid),
                    "comments": False,
                }
            )
    return out


def answered_sentence(ctx: ReportContext, qid: str) -> str:
    """'Five respondents answered this question; two gave no substantive answer ('No
    comment', 'N/A'); one did not.' The three counts add up to the respondents."""
    n_ans = int(ctx.qcounts.loc[qid, "n_answered"])
    n_nothing = int(ctx.qcounts.loc[qid, "n_no_substantive"])
    n_not = int(ctx.qcounts.loc[qid, "n_not_answered"])
    text = f"{nv.capitalise(nv.count_noun(n_ans, 'respondent'))} answered this question"
    if n_nothing:
        text += (
            f"; {nv.number_word(n_nothing)} gave no substantive answer "
            "(for example 'No comment' or 'N/A') and {verb} not counted as answering".format(
                verb=nv.verb(n_nothing, "is", "are")
            )
        )
    return text + (f"; {nv.number_word(n_not)} did not." if n_not else ".")


def stance_counts(dist: pd.DataFrame, qid: str) -> dict[str, int]:
    """Respondents per stance on ``qid``, all respondent types together."""
    sub = dist[(dist["question_id"] == qid) & (dist["respondent_type"] == analysis.ALL)]
    return dict(zip(sub["stance"], sub["n"].astype(int), strict=True))


def n_reservations(stances: pd.DataFrame, qid: str) -> int:
    """Respondents whose stance on ``qid`` came with reservations ('in principle… however')."""
    if stances.empty:
        return 0
    sub = stances[stances["question_id"] == qid]
    return int(sub["reservations"].fillna(False).astype(bool).sum())


def _stance_names(details: pd.DataFrame) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"agree": [], "disagree": [], "neither": []}
    for r in details.itertuples(index=False):
        key = STANCE_GROUPS.get(r.stance)
        if key:
            groups[key].append(str(r.attribution))
    return groups


def closed_question(ctx: ReportContext, qid: str) -> dict[str, Any]:
    """'Level of agreement' for a closed question."""
    details = analysis.stance_details(ctx.s, ctx.r, qid)
    groups = _stance_names(details) if ctx.name_people else None
    out: dict[str, Any] = {
        "sentence": nv.stance_sentence(stance_counts(ctx.dist, qid), names=groups),
        "reservations": None,
        "conflicts": None,
        "letters": None,
    }
    if not details.empty:
        res = details[
            details["reservations"].fillna(False).astype(bool)
            & (details["stance"] != "not_answered")
        ]
        if len(res):
            who = (
                nv.join_list(res["attribution"])
                if ctx.name_people
                else nv.count_noun(len(res), "respondent")
            )
            out["reservations"] = (
                f"{who} expressed reservations alongside {nv.verb(len(res), 'its', 'their')} position."
            )
        if "method" in details:
            read = details[
                (details["method"] == "unstructured") & (details["stance"] != "not_answered")
            ]
            if len(read):
                n_read = nv.count_noun(len(read), "stance")
                out["letters"] = (
                    f"{n_read[:1].upper()}{n_read[1:]} {nv.verb(len(read), 'was', 'were')} read "
                    "from letters or e-mails that do not follow the questions (inferred from the "
                    "whole text, with lower confidence)."
                )
        conf = details[details["conflict"].fillna(False).astype(bool)]
        if len(conf):
            out["conflicts"] = (
                f"For {nv.count_noun(len(conf), 'respondent')} the tick-box answer and the written answer "
                "disagreed; the tick-box answer is counted."
            )
    out["table"] = tables.stance_table(ctx, qid)
    key = f"{qid}_stance"
    out["figure"] = (
        ctx.figure(
            key,
            f"Stacked bar chart of agreement for {qid}",
            "Level of agreement among those who answered",
        )
        if key in ctx.figs
        else None
    )
    out["breakdowns"] = breakdowns.stance_breakdowns(ctx, qid)
    ev = (
        details[details["stance"] != "not_answered"].dropna(subset=["evidence"])
        if "evidence" in details
        else details.iloc[0:0]
    )
    out["evidence"] = (
        [
            {
                "quote": analysis.clean_quote(cell_text(r.evidence)),
                "attribution": cell_text(r.attribution),
                "stance": str(STANCE_LABELS.get(r.stance, r.stance)).lower(),
            }
            for r in ev.head(4).itertuples(index=False)
        ]
        if ctx.name_people
        else []
    )
    ctx.cache[f"evidence_{qid}"] = [e["quote"] for e in out["evidence"]]
    return out


def themes_raised(ctx: ReportContext, qid: str) -> dict[str, Any]:
    """'Main themes' (or 'Themes in the comments') for one question."""
    freq = analysis.theme_frequencies(ctx.c, ctx.a, ctx.cb, qid, ctx.s)
    base = int(freq["base"].iloc[0]) if len(freq) else 0
    ranked = nv.ranked_themes_sentence(
        zip(freq["label"], freq["n_respondents"], strict=True), base, limit=5
    )
    key = f"{qid}_themes"
    raised = freq[freq["n_respondents"] > 0]
    figure = (
        ctx.figure(
            key,
            f"Bar chart of themes for {qid}",
            f"Respondents raising each theme (n = {base} who answered)",
        )
        if key in ctx.figs and len(raised)
        else None
    )
    # The most frequent themes get a write-up with quotes; the rest one sentence, so a long
    # codebook does not bury the main points (all counts are in the chart and the tables).
    detailed, rest = raised.head(MAX_THEMES_DETAILED), raised.iloc[MAX_THEMES_DETAILED:]
    # One quote-allocation pass per question: each theme gets sentences no other theme
    # (nor the stance evidence above) printed, reusing one only when it has no other.
    allocated = analysis.allocate_quotes(
        ctx.c,
        ctx.r,
        [
            (t.theme_id, ctx.max_quotes if rank < 3 else min(1, ctx.max_quotes))
            for rank, t in enumerate(detailed.itertuples(index=False))
        ],
        qid,
        used=ctx.cache.get(f"evidence_{qid}", ()),
    )
    written = []
    for t in detailed.itertuples(index=False):
        desc = ctx.themes["description"].get(t.theme_id, "")
        quotes = allocated[t.theme_id]
        written.append(
            {
                "label": cell_text(t.label),
                "sentence": nv.theme_sentence(t.label, t.n_respondents, base, t.mentions),
                "description": (
                    ctx.plain(desc.strip()) if isinstance(desc, str) and desc.strip() else None
                ),
                "quotes": [
                    {"quote": cell_text(q.quote), "attribution": cell_text(q.attribution)}
                    for q in quotes.itertuples(index=False)
                ],
                "points": synthesis.theme_points(ctx, qid, t.theme_id),
            }
        )
    others = (
        nv.join_list(
            f"{t.label} ({nv.share_brief(t.n_respondents, base)})"
            for t in rest.itertuples(index=False)
        )
        if len(rest)
        else None
    )
    n_uncoded = int((ctx.inputs.uncoded["question_id"] == qid).sum())
    return {
        "ranked": ranked,
        "figure": figure,
        "breakdowns": breakdowns.theme_breakdowns(ctx, qid) if len(raised) else [],
        "detailed": written,
        "others": others,
        "uncoded": (
            f"{nv.capitalise(nv.count_noun(n_uncoded, 'answer'))} to this question received no theme (Annex C)."
            if n_uncoded
            else None
        ),
    }
