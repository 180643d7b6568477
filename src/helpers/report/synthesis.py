"""'What respondents said': the points made under a theme, as sentences with n and base.

The points come from :func:`helpers.analysis.synthesise` (clusters of the
respondents' evidence sentences, counted by respondent), computed once per
report and kept in the context's cache. Each is written as a computed sentence
in the quantifier convention of government social research, with the count and
base always given ("Most respondents who raised this theme (8 of 11) made this
point:"), followed by the representative sentence quoted as written and
attributed like every other quote, after the theme's own quotes.
On a closed question the points of respondents who agreed, who disagreed, and the
rest are listed apart, each side with its own base. Rendered by
``templates/sections/synthesis.html.j2``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import analysis
from helpers.report import narrative as nv
from helpers.report.context import ReportContext, cell_text

# Sides in the order a reader expects them, the heading of each list, and how each
# side's respondents are named in a sentence. "all" (an open question) has no heading.
SIDES = ("all", "agree", "disagree", "neither")
SIDE_HEADINGS = {
    "all": None,
    "agree": "Respondents who agreed",
    "disagree": "Respondents who disagreed",
    "neither": "Respondents who neither agreed nor disagreed, or gave no view",
}
SIDE_WHO = {
    "all": "who raised this theme",
    "agree": "who agreed and raised this theme",
    "disagree": "who disagreed and raised this theme",
    "neither": "with no view either way who raised this theme",
}


def report_points(ctx: ReportContext) -> pd.DataFrame:
    """The POINTS table of the report's (redacted) inputs, computed once."""
    if "points" not in ctx.cache:
        ctx.cache["points"] = analysis.synthesise(ctx.inputs)[0]
    return ctx.cache["points"]


def point_sentence(quantifier: str, k: int, n: int, side: str = "all") -> str:
    """'Most respondents who raised this theme (8 of 11) made this point:'.

    A lone point (no two respondents shared one) says so: 'Their points differed;
    the most typical, from one respondent (1 of 5):'.
    """
    who = SIDE_WHO.get(side, SIDE_WHO["all"])
    if int(k) == 1:
        if int(n) == 1:
            return f"The only respondent {who} (1 of 1) said:"
        return f"Their points differed; the most typical, from one respondent (1 of {n}):"
    return f"{nv.capitalise(quantifier)} respondents {who} ({k} of {n}) made this point:"


def theme_points(ctx: ReportContext, qid: str, theme_id: str) -> dict[str, Any] | None:
    """The points made under ``theme_id`` in ``qid``, by side; None when none was shared.

    Shown only when at least two respondents made one of the points (on any side):
    otherwise the theme's own quotes say as much. When shown, a side whose
    respondents all made different points shows its most typical sentence, so
    supporters and opponents are both heard.
    """
    points = report_points(ctx)
    sub = points[(points["question_id"] == qid) & (points["theme_id"] == theme_id)]
    if sub.empty or int(sub["n_respondents"].max()) < 2:
        return None
    groups = []
    for side in SIDES:
        rows = sub[sub["side"] == side].sort_values("rank")
        if rows.empty:
            continue
        groups.append(
            {
                "heading": SIDE_HEADINGS[side],
                "base": int(rows["base"].iloc[0]),
                "points": [
                    {
                        "sentence": point_sentence(p.quantifier, p.n_respondents, p.base, side),
                        "quote": cell_text(analysis.clean_quote(p.quote)),
                        "attribution": cell_text(ctx.names.get(p.respondent_id, "")),
                    }
                    for p in rows.itertuples(index=False)
                ],
            }
        )
    return {"groups": groups}
