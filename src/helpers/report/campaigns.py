"""What the report says about campaign copies: method, profile, each question, the annex.

GOV.UK consultation analyses count campaign responses separately from the
answers people wrote themselves, so every statement here gives both numbers
with their base: "Of the 120 answers to this question, 40 were copies of two
campaign texts (Annex D); the other 80 were written independently." Copies
are found per question at ingest (``ingest.campaigns``); the counts come from
``analysis.campaign_counts`` and the annex's texts from
``analysis.campaign_groups``. Copies stay in every other count of the report:
they are responses, and the report says how many there were.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import analysis, ingest
from helpers.core.schemas import WHOLE_RESPONSE
from helpers.report import narrative as nv
from helpers.report.context import COPIES_ANNEX, ReportContext
from helpers.report.tables import table

OPENING_WORDS = 25  # words of the shared text shown in the annex
ANNEX_GROUPS_MAX = 20  # groups listed in the annex (the largest); all are in the workbook
WHOLE_LABEL = "Whole response (no question headings)"


def _how() -> str:
    """How copies were found, with the thresholds ingest used."""
    sizes = ingest.MIN_GROUP_SIZES
    parts = []
    for i in range(len(sizes) - 1, -1, -1):
        shortest, fewest, share = sizes[i]
        upper = sizes[i - 1][0] if i > 0 else None
        if upper is not None:
            span = f"a text under {upper} characters"
        elif shortest:
            span = f"a text of {shortest} characters or more"
        else:
            span = "any text"
        also = f" (and at least {share:.0%} of the question's answers)" if share else ""
        parts.append(f"{nv.number_word(fewest)} copies of {span}{also}")
    return (
        "Answers were compared question by question (a response with no question headings as "
        "a whole), ignoring case and punctuation; an answer counts as a copy when its "
        f"similarity to the group's most-sent text is at least {ingest.DEFAULT_THRESHOLD:g} out "
        f"of 100 (small edits allowed; answers of {ingest.LONG_CHARS} characters or more may "
        f"also add or drop lines of their own). Answers under {ingest.DEFAULT_MIN_CHARS} "
        f"characters were not compared, and a group needs at least {nv.join_list(parts)}, "
        "because short common sentences recur without any campaign. Two short answers that "
        "differ in a word that turns the position around ('agree' and 'disagree', 'not') are "
        "never counted as copies of one text."
    )


def _of_the(ctx: ReportContext, qid: str, row: pd.Series) -> str:
    """'of the 120 answers to Q2: Factors, 40 were copies of two campaign texts'."""
    n, k, g = int(row["n_answers"]), int(row["n_copies"]), int(row["n_groups"])
    if qid == WHOLE_RESPONSE:
        base = f"of the {nv.count_noun(n, 'response')} with no question headings"
    else:
        base = f"of the {nv.count_noun(n, 'answer')} to {ctx.qlabel(qid)}"
    return (
        f"{base}, {nv.number_word(k)} {nv.verb(k, 'was a copy', 'were copies')} of "
        f"{nv.count_noun(g, 'campaign text')}"
    )


def method_sentence(ctx: ReportContext) -> str:
    """The Method section's paragraph on campaign copies."""
    counts = ctx.campaigns
    if counts.empty:
        return "No answers were identified as copies of a shared (campaign) text. " + _how()
    n, people = int(counts["n_copies"].sum()), ctx.copies["respondent_id"].nunique()
    groups = int(counts["n_groups"].sum())
    per_q = nv.join_list(_of_the(ctx, q, row) for q, row in counts.iterrows())
    return (
        f"{nv.capitalise(nv.count_noun(n, 'answer'))} from "
        f"{nv.count_noun(people, 'respondent')} {nv.verb(n, 'was a copy', 'were copies')} of "
        f"{nv.count_noun(groups, 'shared (campaign) text')}: {per_q}. They are counted as "
        "separate responses in this report; each question's section says how many of its "
        f"answers were copies, and Annex {COPIES_ANNEX} lists the groups. " + _how()
    )


def profile_sentence(ctx: ReportContext) -> str | None:
    """The respondent profile's sentence on campaign copies (None without copies)."""
    if ctx.copies.empty:
        return None
    people = int(ctx.copies["respondent_id"].nunique())
    groups = int(ctx.copies["copy_group"].nunique())
    return (
        f"Of these, {nv.count_noun(people, 'response')} contained "
        f"answers copied from {nv.count_noun(groups, 'shared (campaign) text')} (Annex "
        f"{COPIES_ANNEX}); each is counted as a separate response."
    )


def question_sentence(ctx: ReportContext, qid: str) -> str | None:
    """'Of the 120 answers to this question, 40 were copies of two campaign texts …'."""
    if qid not in ctx.campaigns.index:
        return None
    row = ctx.campaigns.loc[qid]
    n, k, g = int(row["n_answers"]), int(row["n_copies"]), int(row["n_groups"])
    own = int(row["n_independent"])
    base = (
        f"{nv.count_noun(n, 'response')} with no question headings"
        if qid == WHOLE_RESPONSE
        else f"{nv.count_noun(n, 'answer')} to this question"
    )
    return (
        f"Of the {base}, {nv.number_word(k)} "
        f"{nv.verb(k, 'was a copy', 'were copies')} of {nv.count_noun(g, 'campaign text')} "
        f"(Annex {COPIES_ANNEX}); the other {nv.number_word(own, zero='none')} "
        f"{nv.verb(own, 'was', 'were')} written independently."
    )


def annex_groups(ctx: ReportContext) -> pd.DataFrame:
    """The groups the annex lists: the ``ANNEX_GROUPS_MAX`` largest, in group order.

    Groups multiply with respondents; every group is in the workbook's
    ``campaign_groups`` sheet, so the annex stays a page or two (issue 16.5).
    """
    groups = ctx.campaign_groups
    if len(groups) <= ANNEX_GROUPS_MAX:
        return groups
    top = groups.sort_values("n_copies", ascending=False, kind="stable").head(ANNEX_GROUPS_MAX)
    return groups.loc[sorted(top.index)]


def annex_note(ctx: ReportContext) -> str | None:
    """'The 20 largest of 34 groups are listed; …' (None when all are listed)."""
    n = len(ctx.campaign_groups)
    if n <= ANNEX_GROUPS_MAX:
        return None
    return (
        f"The {ANNEX_GROUPS_MAX} largest of the {n} groups are listed; every group, with its "
        "representative's full text, is in the workbook (tables.xlsx, sheet campaign_groups)."
    )


def annex_table(ctx: ReportContext) -> dict[str, Any]:
    """Annex: each group's question, size, representative (anonymised) and opening words."""
    rows = []
    for g in annex_groups(ctx).itertuples(index=False):
        words = analysis.clean_quote(g.text).split()
        opening = " ".join(words[:OPENING_WORDS]) + ("…" if len(words) > OPENING_WORDS else "")
        rows.append(
            {
                "Group": g.copy_group,
                "Question": WHOLE_LABEL
                if g.question_id == WHOLE_RESPONSE
                else ctx.qlabel(g.question_id),
                "Copies": g.n_copies,
                "Representative": ctx.names.get(g.respondent_id, g.respondent_id),
                "Opening words of the shared text": opening,
            }
        )
    return table(
        pd.DataFrame(rows),
        ctx.count.tab("Campaign copies: groups of answers copying a shared text"),
        numeric=["Copies"],
        widths=[12, 18, 9, 16, 45],
    )
