"""Charts for the analysis and the report: readable in print and on screen.

Each function draws one chart from a table made by :mod:`helpers.analysis.tables`,
saves it as PNG (200 dpi) and SVG next to each other, and returns the
matplotlib Figure. Figures are built with ``matplotlib.figure.Figure``
directly (no pyplot), so nothing depends on the interactive backend and no
figure is left open in a long notebook session.

Design choices: every chart has a title, labelled axes and the number of
respondents (n) in a subtitle; every colour comes from one colour-blind-safe
palette (Okabe & Ito's, ``PALETTE``): the agree scale diverges blue (agree)
to orange (disagree) through grey, heatmaps run from white to the palette's
blue, and text on a coloured cell is black or white, whichever contrasts
more; each chart's alternative text, with its numbers, is written next to
it (``<stem>.alt.txt``, :mod:`helpers.analysis.chart_text`); "Don't know" is
drawn apart from the scale, in a panel of its own to the right of the bars,
because it is outside the percentages' base (``analysis.stances``); long
labels are wrapped rather than clipped, and files are saved with a tight
bounding box.

The bar charts and ``write_charts`` are here; the palette, type size and
:func:`save_figure` are in :mod:`helpers.analysis.chart_style`, the heatmaps in
:mod:`helpers.analysis.heatmaps` (split off in session 21; every name is re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from helpers.analysis import chart_cache
from helpers.analysis.breakdowns import (
    attribute_ids,
    attribute_label,
    breakdown_by,
    breakdown_labels,
)
from helpers.analysis.chart_style import (  # noqa: F401 (re-exported)
    BAR_COLOUR,
    DONT_KNOW_COLOUR,
    DPI,
    FONT_SIZE,
    FORMATS,
    HEATMAP_CMAP,
    STANCE_COLOURS,
    new_figure,
    save_figure,
    text_colour,
    titles,
    wrap,
)
from helpers.analysis.chart_text import bar_alt, stance_alt
from helpers.analysis.counting import ALL, computed_once, theme_labels, type_label
from helpers.analysis.heatmaps import (  # noqa: F401 (re-exported)
    cooccurrence_heatmap,
    heatmap,
    theme_type_heatmap,
)
from helpers.analysis.stances import stance_distribution
from helpers.analysis.themes import (
    coded_questions,
    cooccurrence,
    theme_by_type,
    theme_frequencies,
)
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.core.formatting import format_percent
from helpers.core.palette import PALETTE  # noqa: F401 (re-exported)
from helpers.core.schemas import STANCE_LABELS


def stance_chart(
    distribution: pd.DataFrame,
    question_id: str,
    out_path: str | Path,
    title: str | None = None,
    group_labels: Mapping[str, str] | None = None,
    by: str = "respondent_type",
) -> Figure:
    """A 100% stacked bar of stances for one closed question, one bar per group.

    ``by`` is the distribution's group column (``stance_distribution(by=...)``:
    respondent_type, or an attribute's id with its labels as ``group_labels``).

    ``distribution`` is :func:`~helpers.analysis.stances.stance_distribution` output (overall only,
    or by type). Bars show the percentage of those in the group who gave a
    view on the scale (the base); segments are labelled with counts; each
    group's n, "don't know" and not-answered counts are in its axis label. When
    anyone ticked "Don't know", a panel to the right shows those counts as bars
    of their own, outside the 100%.
    """
    sub = distribution[distribution["question_id"] == question_id]
    if sub.empty:
        raise ValueError(
            f"stance_chart: no rows for question {question_id!r} in the distribution table"
        )
    base_col = "base" if "base" in sub.columns else "n_answered"
    dk = sub["n_dont_know"] if "n_dont_know" in sub.columns else pd.Series(0, index=sub.index)
    groups = list(dict.fromkeys(sub[by]))
    stances = list(STANCE_COLOURS)
    fig = new_figure(7.5 if not dk.any() else 8.5, 1.6 + 0.5 * len(groups))
    if dk.any():
        ax, ax_dk = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [5, 1]})
    else:
        ax, ax_dk = fig.add_subplot(), None
    ylabels = []
    dk_counts = []
    described = []  # each bar in words, for the alternative text
    for i, g in enumerate(groups):
        rows = sub[sub[by] == g].set_index("stance")
        n_ans, n_missing = int(rows[base_col].iloc[0]), int(rows["n_not_answered"].iloc[0])
        n_dk = int(dk[sub[by] == g].iloc[0])
        dk_counts.append(n_dk)
        name = "All respondents" if g == ALL else (group_labels or {}).get(g, type_label(g))
        extra = (f"; {n_dk} don't know" if n_dk else "") + (
            f"; {n_missing} not answered" if n_missing else ""
        )
        ylabels.append(wrap(f"{name} (n={n_ans}{extra})", 34))
        described.append(
            {
                "name": name,
                "base": n_ans,
                "counts": [(STANCE_LABELS[s], int(rows.loc[s, "n"])) for s in stances],
                "dont_know": n_dk,
                "not_answered": n_missing,
            }
        )
        left = 0.0
        for s in stances:
            k = int(rows.loc[s, "n"])
            width = 100.0 * k / n_ans if n_ans else 0.0
            if width <= 0:
                continue
            ax.barh(i, width, left=left, color=STANCE_COLOURS[s], edgecolor="white", height=0.6)
            if width >= 6:
                colour = text_colour(STANCE_COLOURS[s])
                ax.text(left + width / 2, i, str(k), ha="center", va="center", color=colour)
            left += width
    ax.set_yticks(range(len(groups)), ylabels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel(
        "Percentage of respondents who "
        + ("gave a view" if any(dk_counts) else "answered")
        + " (segment labels are counts)"
    )
    ax.set_ylabel("Respondent group")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=STANCE_COLOURS[s], label=STANCE_LABELS[s]) for s in stances]
    if ax_dk is not None:
        _dont_know_panel(ax_dk, dk_counts)
        handles.append(Patch(color=DONT_KNOW_COLOUR, label=STANCE_LABELS["dont_know"]))
    fig.legend(
        handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=FONT_SIZE - 1
    )
    total = sub[sub[by] == groups[0]]
    n_ans, n_missing = int(total[base_col].iloc[0]), int(total["n_not_answered"].iloc[0])
    title = title or f"Stance: {question_id}"
    titles(
        fig,
        ax,
        title,
        f"n = {n_ans} who "
        + ("gave a view" if any(dk_counts) else "answered")
        + (f"; {dk_counts[0]} did not know" if dk_counts[0] else "")
        + (f"; {n_missing} did not answer" if n_missing else ""),
    )
    save_figure(fig, out_path, stance_alt(title, described))
    return fig


def _dont_know_panel(ax, counts: list[int]) -> None:
    """The "Don't know" counts per group, as bars apart from the scale's 100%."""
    ax.barh(range(len(counts)), counts, color=DONT_KNOW_COLOUR, height=0.6)
    top = max(counts) if counts else 0
    ax.set_xlim(0, top * 1.4 + 1)
    for i, k in enumerate(counts):
        ax.text(k + 0.05 * (top + 1), i, str(k), va="center", ha="left")
    ax.set_xlabel("Don't know\n(count)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
    ax.tick_params(axis="y", left=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def theme_frequency_chart(
    frequencies: pd.DataFrame,
    out_path: str | Path,
    title: str = "Themes raised",
    max_themes: int = 20,
) -> Figure:
    """Horizontal bars: respondents raising each theme, most frequent at the top.

    ``frequencies`` is :func:`~helpers.analysis.themes.theme_frequencies` output. Themes raised by
    nobody are left out (and noted in the subtitle); bars are labelled 'k (p%)'.
    """
    base = int(frequencies["base"].iloc[0]) if len(frequencies) else 0
    shown = frequencies[frequencies["n_respondents"] > 0].head(max_themes)
    hidden = len(frequencies) - len(shown)
    fig = new_figure(7.5, 1.5 + 0.3 * max(len(shown), 1))
    ax = fig.add_subplot()
    if shown.empty:
        ax.text(
            0.5, 0.5, "No theme was identified", ha="center", va="center", transform=ax.transAxes
        )
        ax.set_yticks([])
    else:
        y = np.arange(len(shown))
        ax.barh(y, shown["n_respondents"], color=BAR_COLOUR, height=0.6)
        ax.set_yticks(y, [wrap(s) for s in shown["label"]])
        ax.invert_yaxis()
        top = int(shown["n_respondents"].max())
        ax.set_xlim(0, top * 1.25 + 0.5)
        for yi, k in enumerate(shown["n_respondents"]):
            ax.text(k + top * 0.02 + 0.05, yi, f"{k} ({format_percent(k, base)})", va="center")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Number of respondents raising the theme")
    ax.set_ylabel("Theme")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    subtitle = f"n = {base} respondents; percentages are of n"
    if hidden:
        subtitle += f"; {hidden} theme{'s' if hidden != 1 else ''} not raised or not shown"
    titles(fig, ax, title, subtitle)
    rows = list(zip(shown["label"], (int(k) for k in shown["n_respondents"]), strict=True))
    save_figure(fig, out_path, bar_alt(title, base, rows, hidden))
    return fig


def write_charts(
    inputs,
    out_dir: str | Path,
    breakdowns: Sequence[str] = (RESPONDENT_TYPE,),
    formats: Sequence[str] = ("png", "svg"),
    reuse: bool = False,
) -> dict[str, Path]:
    """Draw every chart for an :class:`~helpers.analysis.inputs.AnalysisInputs` into ``out_dir/charts``.

    Keys (and file stems): ``<question>_stance`` per closed question,
    ``<question>_themes`` per coded question, ``themes_overall``,
    ``themes_by_type`` and ``cooccurrence``; for each attribute the
    consultation declares that some respondent has, ``<question>_stance_by_<id>``
    and ``themes_by_<id>``. Values are the PNG paths (an SVG sits next to each).

    ``breakdowns`` are the attributes the report's question sections break down by:
    ``<question>_stance`` has a bar per respondent type only when it lists
    respondent_type; for each other attribute listed, ``<question>_themes_by_<id>``
    is drawn per coded question.

    ``formats``: png and/or svg. ``reuse``: when ``out_dir/charts`` already holds the
    charts drawn from the same data in these formats (``chart_cache``), return them
    without drawing again. The fingerprint is recorded either way.
    """
    cdir = Path(out_dir) / "charts"
    formats = tuple(f for f in ("png", "svg") if f in formats)
    digest = chart_cache.fingerprint(inputs, breakdowns)
    if reuse and (kept := chart_cache.reusable(cdir, digest, formats)) is not None:
        return kept
    token = FORMATS.set(formats)
    try:
        out = _draw_charts(inputs, cdir, breakdowns)
    finally:
        FORMATS.reset(token)
    for stale in (p.with_suffix(f".{f}") for p in out.values() for f in ("png", "svg")):
        if stale.suffix[1:] not in formats:
            stale.unlink(missing_ok=True)  # an older draw's file would not match this one
    chart_cache.record(cdir, digest, formats, out)
    return out


@computed_once()  # raised/answered once for every chart (issue 15)
def _draw_charts(inputs, cdir: Path, breakdowns: Sequence[str]) -> dict[str, Path]:
    """Every chart of ``write_charts``, drawn into ``cdir``."""
    r, a, c, s, cb = inputs.frames()
    cons = inputs.consultation
    labels = theme_labels(cb)
    out: dict[str, Path] = {}
    if cons.closed_questions:
        multi_type = r["respondent_type"].nunique() > 1 and RESPONDENT_TYPE in breakdowns
        dist = stance_distribution(s, r, cons, by_type=multi_type)
        for q in cons.closed_questions:
            key = f"{q.id}_stance"
            stance_chart(dist, q.id, cdir / key, title=q.label)
            out[key] = cdir / f"{key}.png"
    for qid in coded_questions(inputs):
        key = f"{qid}_themes"
        title = cons.question(qid).label if qid in cons.question_ids else qid.capitalize()
        theme_frequency_chart(
            theme_frequencies(c, a, cb, qid, s), cdir / key, title=f"{title}: themes"
        )
        out[key] = cdir / f"{key}.png"
    theme_frequency_chart(
        theme_frequencies(c, a, cb, stances=s),
        cdir / "themes_overall",
        title="Themes across all questions",
    )
    out["themes_overall"] = cdir / "themes_overall.png"
    theme_type_heatmap(theme_by_type(c, r, cb), cdir / "themes_by_type", labels)
    out["themes_by_type"] = cdir / "themes_by_type.png"
    cooccurrence_heatmap(cooccurrence(c, cb), cdir / "cooccurrence", labels, n=len(r))
    out["cooccurrence"] = cdir / "cooccurrence.png"
    out.update(_attribute_charts(inputs, cdir, labels))
    out.update(_question_theme_charts(inputs, cdir, labels, breakdowns))
    return out


def _question_theme_charts(
    inputs, cdir: Path, labels: Mapping[str, str], breakdowns: Sequence[str]
) -> dict[str, Path]:
    """Per coded question, themes by each listed attribute (not respondent_type)."""
    r, a, c, _s, cb = inputs.frames()
    cons = inputs.consultation
    attrs = getattr(inputs, "attributes", None)
    out: dict[str, Path] = {}
    for aid in breakdowns if attrs is not None else ():
        if aid == RESPONDENT_TYPE or aid not in attribute_ids(cons):
            continue
        rb = breakdown_by(r, attrs, aid, cons)
        if set(rb[aid]) <= {"unknown"}:
            continue
        values = breakdown_labels(attrs, aid, cons)
        name = attribute_label(aid, cons)
        for qid in coded_questions(inputs):
            table = theme_by_type(c, rb, cb, qid, a, by=aid, labels=values)
            if not table.to_numpy().any():
                continue  # no theme raised: nothing to break down
            base = table.attrs.get("base", {})
            keep = [g for g in table.columns if base.get(g, 0) or table[g].any()]
            table = table[keep]  # a group nobody in answered: an empty column says nothing
            table.attrs["base"] = {g: base[g] for g in keep if g in base}
            key = f"{qid}_themes_by_{aid}"
            title = cons.question(qid).label if qid in cons.question_ids else qid.capitalize()
            theme_type_heatmap(
                table, cdir / key, labels, f"{title}: themes by {name.lower()}", values, name
            )
            out[key] = cdir / f"{key}.png"
    return out


def _attribute_charts(inputs, cdir: Path, labels: Mapping[str, str]) -> dict[str, Path]:
    """Stance and theme charts by each declared attribute (``breakdowns``)."""
    r, _a, c, s, cb = inputs.frames()
    cons = inputs.consultation
    attrs = getattr(inputs, "attributes", None)
    out: dict[str, Path] = {}
    for aid in attribute_ids(cons)[1:] if attrs is not None else ():
        rb = breakdown_by(r, attrs, aid, cons)
        if set(rb[aid]) <= {"unknown"}:
            continue  # nobody has a value: a chart of one 'Unknown' bar says nothing
        values = breakdown_labels(attrs, aid, cons)
        name = attribute_label(aid, cons)
        if cons.closed_questions:
            dist = stance_distribution(s, rb, cons, by_type=True, by=aid, labels=values)
            for q in cons.closed_questions:
                key = f"{q.id}_stance_by_{aid}"
                stance_chart(dist, q.id, cdir / key, f"{q.label} by {name.lower()}", values, aid)
                out[key] = cdir / f"{key}.png"
        key = f"themes_by_{aid}"
        table = theme_by_type(c, rb, cb, by=aid, labels=values)
        theme_type_heatmap(table, cdir / key, labels, f"Themes by {name.lower()}", values, name)
        out[key] = cdir / f"{key}.png"
    return out
