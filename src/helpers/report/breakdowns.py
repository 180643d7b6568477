"""A question section's stances and themes broken down by the attributes a run lists.

run.yaml's ``breakdowns`` (``[area, age_group]``; default ``[respondent_type]``)
names the attributes each question section breaks down by. Respondent type is
the section's standard table and chart (``tables.stance_table``); every other
attribute listed adds, per closed question, a stance table and stacked bar by
that attribute and, per coded question, a table and heatmap of the themes by
that attribute. Groups come from ``analysis.breakdown_by``, so a value of an
open attribute given by a single respondent is counted as 'Other' (no group of
one singles a respondent out), as in the profile's tables. An attribute nobody
has a value for (every respondent unknown) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers import analysis
from helpers.core.attributes import RESPONDENT_TYPE, UNKNOWN
from helpers.report import narrative as nv
from helpers.report.context import ReportContext
from helpers.report.tables import table

GROUP_COLUMNS = 6  # groups per theme-breakdown table: with the Theme column, fits A4 at 8.5pt


@dataclass(frozen=True)
class Breakdown:
    """One attribute as the question sections break down by it."""

    id: str
    name: str  # the attribute's label, e.g. 'Area'
    labels: dict[str, str]  # value id -> label, in display order
    respondents: pd.DataFrame  # the respondents frame plus a column ``id``
    distribution: pd.DataFrame  # stance_distribution by this attribute

    @property
    def lower(self) -> str:
        return self.name[:1].lower() + self.name[1:]


def attribute_breakdowns(ctx: ReportContext) -> list[Breakdown]:
    """The attributes of ``ctx.breakdowns`` other than respondent_type that someone has."""
    attrs = getattr(ctx.inputs, "attributes", None)
    if attrs is None:
        return []
    if "attribute_breakdowns" in ctx.cache:
        return ctx.cache["attribute_breakdowns"]
    out = []
    for aid in ctx.breakdowns:
        if aid == RESPONDENT_TYPE:
            continue
        rb = analysis.breakdown_by(ctx.r, attrs, aid, ctx.cons)
        if rb.empty or set(rb[aid]) <= {UNKNOWN}:
            continue
        labels = analysis.breakdown_labels(attrs, aid, ctx.cons) or {}
        dist = analysis.stance_distribution(
            ctx.s, rb, ctx.cons, by_type=True, by=aid, labels=labels
        )
        out.append(Breakdown(aid, analysis.attribute_label(aid, ctx.cons), labels, rb, dist))
    ctx.cache["attribute_breakdowns"] = out
    return out


def stance_breakdowns(ctx: ReportContext, qid: str) -> list[dict[str, Any]]:
    """Per listed attribute: the closed question's stance table and chart by it."""
    out = []
    for b in attribute_breakdowns(ctx):
        df = analysis.stance_table(b.distribution, qid, by=b.id, labels=b.labels)
        tab = table(
            df,
            ctx.count.tab(
                f"Responses by level of agreement and {b.lower}: count (percentage of n); "
                "n = number in the group who gave a view on the scale (Don't know and "
                "No answer are outside n)"
            ),
            cls="data compact",
            numeric=[c for c in df.columns if c != "Group"],
        )
        key = f"{qid}_stance_by_{b.id}"
        fig = (
            ctx.figure(
                key,
                f"Stacked bar chart of agreement for {qid} by {b.lower}",
                f"Level of agreement by {b.lower} among those who answered",
            )
            if key in ctx.figs
            else None
        )
        out.append({"heading": f"By {b.lower}", "table": tab, "figure": fig})
    return out


def theme_breakdowns(ctx: ReportContext, qid: str) -> list[dict[str, Any]]:
    """Per listed attribute: respondents raising each theme on ``qid``, by its groups.

    Each cell is 'count (percentage of n)', n being the group's respondents who
    answered the question (in the column heading); themes nobody raised, and groups
    nobody in answered, are left out.
    """
    out = []
    for b in attribute_breakdowns(ctx):
        counts = analysis.theme_by_type(
            ctx.c, b.respondents, ctx.cb, qid, ctx.a, by=b.id, labels=b.labels
        )
        counts = counts[counts.sum(axis=1) > 0]
        if counts.empty:
            continue
        base = counts.attrs.get("base", {})
        themes = [ctx.themes["label"].get(t, t) for t in counts.index]
        cols = {}
        for g in counts.columns:
            n = int(base.get(g, 0))
            if not n and not counts[g].any():
                continue  # nobody in the group answered: an empty column says nothing
            head = f"{b.labels.get(g, g)} (n={n})"
            cols[head] = [f"{k} ({nv.format_percent(k, n)})" if n else str(k) for k in counts[g]]
        # Many groups: several tables of GROUP_COLUMNS groups each, so none is wider
        # than the page (a clipped column would hide a group; issue 16.3).
        heads = list(cols)
        tables = []
        for i in range(0, len(heads), GROUP_COLUMNS):
            part = heads[i : i + GROUP_COLUMNS]
            df = pd.DataFrame({"Theme": themes, **{h: cols[h] for h in part}})
            which = (
                f" (groups {i + 1}–{i + len(part)} of {len(heads)})"
                if len(heads) > GROUP_COLUMNS
                else ""
            )
            tables.append(
                table(
                    df,
                    ctx.count.tab(
                        f"Respondents raising each theme, by {b.lower}{which}: count "
                        "(percentage of n); n = number in the group who answered the question"
                    ),
                    cls="data compact",
                    numeric=part,
                )
            )
        key = f"{qid}_themes_by_{b.id}"
        fig = (
            ctx.figure(
                key,
                f"Heatmap of themes for {qid} by {b.lower}",
                f"Respondents raising each theme, by {b.lower}",
            )
            if key in ctx.figs
            else None
        )
        out.append(
            {"heading": f"By {b.lower}", "table": tables[0], "tables": tables, "figure": fig}
        )
    return out
