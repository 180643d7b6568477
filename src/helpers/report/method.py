"""The Method section's sentences: how responses were received, split, coded and checked.

Every sentence states what was done to *this* consultation's responses, with
its counts (formats, how the respondent type was found, campaign copies,
heading-match methods, negated and hand-added codes, stance conflicts), plus
the agreement between the automatic coding and a hand-coded sample. Fixed
wording (headings, what automatic coding can and cannot tell us) lives in
``templates/sections/method.html.j2``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import validate
from helpers.report import accounting, campaigns
from helpers.report import narrative as nv
from helpers.report.context import ReportContext

SMALL_N = 30  # below this, percentages get an explicit caution

FORMAT_NAMES = {
    "txt": ("a plain-text file", "plain-text files"),
    "md": ("a Markdown file", "Markdown files"),
    "docx": ("a Word document", "Word documents"),
    "pdf": ("a PDF document", "PDF documents"),
    "csv": ("a row of a survey export (CSV)", "rows of a survey export (CSV)"),
    "xlsx": ("a row of a survey export (Excel)", "rows of a survey export (Excel)"),
}
MATCH_METHODS = {
    "number": "by question number",
    "text": "by the question's wording",
    "number+text": "by number and wording",
    "order": "by position (no heading found)",
    "survey_column": "from survey export columns",
    "preamble": "as text before the first question",
    "closing": "as closing text after the last answer",
    "unstructured": "as a whole document with no recognisable questions",
    "paragraph": "by the content of a letter's paragraph",
    "section": "by a section's own heading and its first sentences",
    "meaning": "by what its heading or content means (sentence embeddings; to check)",
    "copy": "as a copy of another respondent's answer placed under that question",
}
TYPE_SOURCES = {
    "metadata": "recorded in the metadata file",
    "survey": "taken from the survey export",
    "inferred": "inferred from the text",
}


def method_section(
    ctx: ReportContext, agreement: dict | None, hand_coded: str | Path | None
) -> dict[str, Any]:
    """The Method section's data for ``sections/method.html.j2``."""
    n_resp = ctx.n_resp
    return {
        "accounting": accounting.method_part(ctx.accounting),
        "received": _received(ctx) if n_resp else None,
        "respondent_type": _type_sources(ctx) if n_resp else None,
        "copies": campaigns.method_sentence(ctx) if n_resp else None,
        "split": _split(ctx),
        "coding": _coding(ctx),
        "stances": _stances(ctx) if ctx.cons.closed_questions else None,
        "small_numbers": (
            f"This consultation received {nv.count_noun(n_resp, 'response')}. With so few, a single "
            "respondent changes a percentage by a large amount, so counts are given alongside every "
            "percentage and differences between groups should not be over-interpreted."
            if n_resp < SMALL_N
            else None
        ),
        "agreement": agreement_section(agreement, hand_coded),
    }


def _received(ctx: ReportContext) -> str:
    n_resp = ctx.n_resp
    fmts = ctx.r["source_format"].astype(str).value_counts()
    if len(fmts) == 1 and n_resp > 1:
        f = fmts.index[0]
        fmt_text = (
            f"{'both' if n_resp == 2 else 'all'} as {FORMAT_NAMES.get(f, ('', f'{f} files'))[1]}"
        )
    else:
        fmt_text = nv.join_list(
            f"{nv.number_word(k)} as {FORMAT_NAMES.get(f, (f'a {f} file', f'{f} files'))[0 if k == 1 else 1]}"
            for f, k in sorted(fmts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    return (
        f"{nv.capitalise(nv.count_noun(n_resp, 'response'))} "
        f"{nv.verb(n_resp, 'was', 'were')} received: {fmt_text}."
    )


def _type_sources(ctx: ReportContext) -> str:
    n_resp = ctx.n_resp
    src = ctx.r["respondent_type_source"].astype(str).value_counts()
    if len(src) == 1 and n_resp > 1:
        everyone = "both responses" if n_resp == 2 else f"all {nv.number_word(n_resp)} responses"
        parts = [f"{TYPE_SOURCES.get(src.index[0], 'not recorded')} for {everyone}"]
    else:
        parts = [
            f"{TYPE_SOURCES.get(t, 'not recorded')} for {nv.count_noun(k, 'response') if i == 0 else nv.number_word(k)}"
            for i, (t, k) in enumerate(src.items())
        ]
    return f"The respondent type was {nv.join_list(parts)}."


def _split(ctx: ReportContext) -> str:
    a = ctx.a
    body = a[~a["question_id"].isin(["preamble", "closing"])]
    mm = body["match_method"].astype(str).value_counts()
    mm_text = nv.join_list(f"{nv.number_word(k)} {MATCH_METHODS.get(m, m)}" for m, k in mm.items())
    warn = int(a["warning"].notna().sum())
    return (
        f"Each response was divided into answers to the consultation's questions by finding the question "
        f"headings the respondent used. {nv.capitalise(nv.count_noun(len(body), 'answer'))} "
        f"{nv.verb(len(body), 'was', 'were')} found"
        + (f": {mm_text}." if len(body) else ".")
        + (
            f" {nv.capitalise(nv.count_noun(warn, 'answer'))} carried a segmentation warning for the analyst to check."
            if warn
            else " No segmentation warning was raised."
        )
    )


def _coding(ctx: ReportContext) -> str:
    c = ctx.c
    manual = int((c["source"] == "manual_add").sum()) if not c.empty else 0
    negated = int(c["negated"].fillna(False).astype(bool).sum()) if not c.empty else 0
    return (
        f"Answers were coded against a codebook of {nv.count_noun(len(ctx.themes), 'theme')} (Annex A). Each theme "
        "has a plain-language description and a list of word patterns; a pattern matches a word and its "
        "inflections (by stemming), so 'record' also finds 'records'. Every code keeps the sentence it was "
        "found in, so each count in this report can be traced to the respondent's exact words. A match in a "
        "negated phrase ('we do not think…') is recorded but not counted as raising the theme"
        + (
            f" ({nv.count_noun(negated, 'such match', 'such matches')} in this consultation)."
            if negated
            else "."
        )
        + (f" The analyst added {nv.count_noun(manual, 'code')} by hand." if manual else "")
        + _methods_sentence(c)
    )


# How the report names each coding method (``codes.method``); others appear as written.
METHOD_NAMES = {
    "dictionary": "word patterns",
    "semantic": "closeness in meaning to the theme's description and examples (sentence embeddings)",
    "learned": "a classifier trained on the analyst's own coding",
    "manual": "the analyst, by hand",
}


def _methods_sentence(c: pd.DataFrame) -> str:
    """Which coding methods contributed, when any besides word patterns did."""
    if c.empty or "method" not in c:
        return ""
    counted = c[~c["negated"].fillna(False).astype(bool)]
    per = counted.groupby(counted["method"].astype(str))["respondent_id"].nunique()
    if set(per.index) <= {"dictionary", "manual"}:
        return ""
    parts = [
        f"{nv.count_noun(int(n), 'respondent')} by {METHOD_NAMES.get(m, m)}"
        for m, n in per.sort_values(ascending=False).items()
    ]
    return (
        " Themes were coded by more than one method: "
        + "; ".join(parts)
        + " (a respondent coded by two methods counts under both; the theme_methods table "
        "gives the numbers per theme)."
    )


def _stances(ctx: ReportContext) -> str:
    s = ctx.s
    conflicts = int(s["conflict"].fillna(False).astype(bool).sum()) if not s.empty else 0
    reserv = int(s["reservations"].fillna(False).astype(bool).sum()) if not s.empty else 0
    return (
        "For agree/disagree questions, each respondent's position was taken from the tick-box answer "
        "where there was one, and otherwise read from the wording of the answer ('we agree', 'we do not "
        "support'). Agreement expressed with reservations ('in principle… however') is noted."
        + (
            f" {nv.capitalise(nv.count_noun(reserv, 'answer'))} expressed reservations."
            if reserv
            else ""
        )
        + (
            f" In {nv.count_noun(conflicts, 'answer')} the tick-box and the text disagreed; these are listed for checking."
            if conflicts
            else ""
        )
    )


# --------------------------------------------------------------------------- agreement
def load_agreement(inputs: Any, hand_coded: str | Path) -> dict:
    """Agreement of the automatic codes with an existing hand-coding file (``validate``'s summary)."""
    if hasattr(inputs, "with_answer_text"):  # every answer's text, when loaded without it
        inputs = inputs.with_answer_text(np.ones(len(inputs.answers), dtype=bool))
    # A REFI-QDA project needs the tables to map its selections back to answers.
    hand = validate.load_hand_coding(
        hand_coded,
        inputs.answers,
        respondents=inputs.respondents,
        codes=inputs.codes,
        codebook=inputs.codebook,
        consultation=inputs.consultation,
    )
    return validate.report_summary(inputs.codes, inputs.answers, hand, inputs.codebook)


def agreement_section(summary: dict | None, hand_coded: str | Path | None) -> dict[str, Any]:
    """'Agreement with hand coding': measured figures, who coded, a small-sample caution."""
    if summary is None:
        return {"measured": False}

    def num(x: Any, digits: int = 2) -> str:
        return "not computable" if x is None or pd.isna(x) else f"{float(x):.{digits}f}"

    def ci(pair: Any) -> str:
        if not pair or any(v is None or pd.isna(v) for v in pair):
            return ""
        return f" (95% interval {float(pair[0]):.2f} to {float(pair[1]):.2f})"

    pa = summary.get("percent_agreement")
    pa_text = (
        "not computable"
        if pa is None or pd.isna(pa)
        else f"{float(pa) * (100 if pa <= 1 else 1):.0f}%"
    )
    figures = (
        f"The automatic coding was compared with hand coding of {nv.count_noun(summary['n_answers'], 'answer')} "
        f"across {nv.count_noun(summary['n_themes'], 'theme')} (file: {Path(str(hand_coded)).name}). "
        f"Percent agreement was {pa_text}; Cohen's kappa was {num(summary.get('kappa'))}"
        f"{ci(summary.get('kappa_ci'))} and Krippendorff's alpha was {num(summary.get('alpha'))}"
        f"{ci(summary.get('alpha_ci'))}. Precision was {num(summary.get('precision'))} and recall "
        f"{num(summary.get('recall'))} (the automatic coder's codes judged against the hand coding)."
    )
    provenance = validate.hand_coding_provenance(hand_coded) if hand_coded else ""
    return {
        "measured": True,
        "figures": figures,
        "provenance": provenance or None,
        "small_sample": (
            f"The sample is small ({nv.count_noun(summary['n_answers'], 'answer')}), so these figures "
            "are uncertain; the intervals show how uncertain."
            if summary["n_answers"] < SMALL_N
            else None
        ),
    }


def agreement_finding(summary: dict | None) -> str:
    """The key findings' bullet on agreement with the hand-coded sample."""
    if (
        summary is not None
        and summary.get("kappa") is not None
        and not pd.isna(summary.get("kappa"))
    ):
        n = nv.count_noun(summary["n_answers"], "answer")
        result = f"Cohen's kappa {summary['kappa']:.2f} on {n}."
    elif summary is None:
        result = "not measured (no hand-coded sample)."
    else:
        result = "kappa could not be computed on the hand-coded sample."
    return "Agreement with the hand-coded sample: " + result
