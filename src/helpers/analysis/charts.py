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
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb
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
from helpers.analysis.chart_text import alt_path, bar_alt, heatmap_alt, stance_alt
from helpers.analysis.counting import ALL, computed_once, group_label, theme_labels, type_label
from helpers.analysis.stances import stance_distribution
from helpers.analysis.themes import (
    coded_questions,
    cooccurrence,
    theme_by_type,
    theme_frequencies,
)
from helpers.core.attributes import RESPONDENT_TYPE
from helpers.core.formatting import format_percent
from helpers.core.palette import PALETTE
from helpers.core.schemas import STANCE_LABELS

log = logging.getLogger(__name__)

# Every chart colour comes from the one colour-blind-safe palette (core.palette).
# The 5-point agree scale: blue for agree, orange for disagree (the pair every
# colour-vision deficiency keeps apart), the strong ends darker, grey in the middle.
STANCE_COLOURS = {
    "strongly_agree": PALETTE["blue"],
    "agree": PALETTE["sky_blue"],
    "neither": PALETTE["grey"],
    "disagree": PALETTE["orange"],
    "strongly_disagree": PALETTE["vermillion"],
}
DONT_KNOW_COLOUR = PALETTE["reddish_purple"]  # apart from the scale and its grey centre
BAR_COLOUR = PALETTE["blue"]
# Sequential white-to-blue: lightness alone carries the value, so it reads in any vision.
HEATMAP_CMAP = LinearSegmentedColormap.from_list("okabe_ito_blues", ["#ffffff", PALETTE["blue"]])
DPI = 200
# The formats save_figure writes, set for a whole write_charts call (its ``formats``).
FORMATS: ContextVar[tuple[str, ...]] = ContextVar("chart_formats", default=("png", "svg"))
FONT_SIZE = 10
_STYLE = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 2,
    "axes.labelsize": FONT_SIZE,
    "svg.hashsalt": "consultation-helpers",  # stable SVG ids between runs
}


def wrap(text: str, width: int = 38) -> str:
    """Wrap a label onto several lines so it is never clipped."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def text_colour(colour) -> str:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "white" if (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05) else "black"


def save_figure(fig: Figure, out_path: str | Path, alt: str | None = None) -> tuple[Path, Path]:
    """Save ``fig`` as ``<stem>.png`` and ``<stem>.svg`` (any suffix on ``out_path`` is replaced).

    ``alt``: the chart's alternative text, written to ``<stem>.alt.txt`` beside them.
    Only the formats in :data:`FORMATS` are written (both unless ``write_charts`` was
    asked for fewer); the SVG path is returned either way.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    png, svg = out_path.with_suffix(".png"), out_path.with_suffix(".svg")
    formats = FORMATS.get()
    with matplotlib.rc_context(_STYLE):
        if "png" in formats:
            fig.savefig(png, dpi=DPI, bbox_inches="tight", pad_inches=0.15, facecolor="white",
                        metadata={"Software": None})  # fmt: skip
        if "svg" in formats:
            fig.savefig(svg, bbox_inches="tight", pad_inches=0.15, facecolor="white",
                        metadata={"Date": None})  # fmt: skip
    if alt is not None:
        alt_path(png).write_text(alt + "\n", encoding="utf-8")
    log.info("chart written: %s (%s)", png.with_suffix(""), ", ".join(formats))
    return png, svg


def _new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def _titles(fig: Figure, ax, title: str, subtitle: str) -> None:
    """Title (wrapped) with the n subtitle under it."""
    ax.set_title(wrap(subtitle, 90), fontsize=FONT_SIZE - 1, color="#444444", loc="left")
    fig.suptitle(wrap(title, 70), fontsize=FONT_SIZE + 2, fontweight="bold", x=0.02, ha="left")


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
    fig = _new_figure(7.5 if not dk.any() else 8.5, 1.6 + 0.5 * len(groups))
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
    _titles(
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
    fig = _new_figure(7.5, 1.5 + 0.3 * max(len(shown), 1))
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
    _titles(fig, ax, title, subtitle)
    rows = list(zip(shown["label"], (int(k) for k in shown["n_respondents"]), strict=True))
    save_figure(fig, out_path, bar_alt(title, base, rows, hidden))
    return fig


def heatmap(
    matrix: pd.DataFrame,
    out_path: str | Path,
    title: str,
    subtitle: str,
    xlabel: str,
    ylabel: str,
    row_labels: list[str] | None = None,
    col_labels: list[str] | None = None,
    value_format: str = "{:.0f}",
    scale_label: str = "Respondents",
    vmax: float | None = None,
    alt_labels: tuple[list[str], list[str]] | None = None,
) -> Figure:
    """A labelled heatmap with each cell's value written in it (NaN cells blank).

    ``scale_label`` names the colour bar; ``vmax`` fixes its top (100 for percentages).
    ``alt_labels``: the (row, column) names the alternative text uses where the chart
    shows shorter ones (the co-occurrence chart's numbered columns).
    """
    values = matrix.to_numpy(dtype="float64")
    rows = row_labels or [str(i) for i in matrix.index]
    cols = col_labels or [str(c) for c in matrix.columns]
    # Many columns: narrower cells and slanted labels, so the chart still fits a page width.
    # (numbers, as the co-occurrence chart's columns, stay horizontal).
    narrow = len(cols) > 6
    many = narrow and max(len(c) for c in cols) > 3
    cell_w = (0.5 if many else 0.4) if narrow else (1.25 if len(cols) <= 3 else 0.95)
    fig = _new_figure(
        max(5.0, (3.4 if narrow else 4.4) + cell_w * len(cols)),
        max(2.6, 1.6 + 0.3 * len(rows) + (1.2 if many else 0)),
    )
    ax = fig.add_subplot()
    finite = values[np.isfinite(values)]
    if vmax is None:
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    im = ax.imshow(
        np.ma.masked_invalid(values), cmap=HEATMAP_CMAP, vmin=0, vmax=vmax, aspect="auto"
    )
    cell_colour = im.to_rgba
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    value_format.format(v),
                    ha="center",
                    va="center",
                    color=text_colour(cell_colour(v)[:3]),
                    fontsize=FONT_SIZE - 1 if narrow else FONT_SIZE,
                )
    if many:
        ax.set_xticks(
            range(len(cols)),
            [wrap(c, 30) for c in cols],
            rotation=50,
            ha="right",
            rotation_mode="anchor",
        )
    else:
        ax.set_xticks(range(len(cols)), [wrap(c, 14) for c in cols], rotation=0)
    ax.set_yticks(range(len(rows)), [wrap(r, 34) for r in rows])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    bar = fig.colorbar(im, ax=ax, shrink=0.8, label=scale_label)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    _titles(fig, ax, title, subtitle)
    alt_rows, alt_cols = alt_labels or (rows, cols)
    alt = heatmap_alt(title, subtitle, values, alt_rows, alt_cols, value_format, ylabel, xlabel)
    save_figure(fig, out_path, alt)
    return fig


def theme_type_heatmap(
    table: pd.DataFrame,
    out_path: str | Path,
    theme_labels: Mapping[str, str] | None = None,
    title: str = "Themes by respondent type",
    group_labels: Mapping[str, str] | None = None,
    group_name: str = "Respondent type",
) -> Figure:
    """Heatmap of :func:`~helpers.analysis.themes.theme_by_type`: the percentage of each
    group raising each theme, the group's n in its column label ("Charity (n=12)").

    Raw counts would compare groups of different sizes (layout, issue 16.3): each
    cell is the count divided by its group's base (``table.attrs['base']``); a group
    with no base is blank. For a table by another attribute (``theme_by_type(by=...)``),
    ``group_labels`` are its value labels and ``group_name`` its label.
    """
    base = table.attrs.get("base", {})
    raised_any = table.fillna(0).sum(axis=1) > 0
    hidden = int((~raised_any).sum())
    if raised_any.any():
        table = table[raised_any]
    cols = [
        f"{group_label(t, group_labels)}" + (f" (n={base[t]})" if t in base else "")
        for t in table.columns
    ]
    rows = [(theme_labels or {}).get(t, t) for t in table.index]
    groups = pd.Series({t: base.get(t, 0) for t in table.columns}, dtype="float64")
    shares = 100.0 * table.astype("float64") / groups.where(groups > 0)
    n = sum(base.values()) if base else None
    return heatmap(
        shares,
        out_path,
        title,
        # Short: a subtitle wider than the heatmap shrinks the whole chart on the page.
        ("% of each type" if group_labels is None else "% of each group")
        + " raising the theme; n per group under its label"
        + (f"; n = {n} in all" if n is not None else "")
        + (
            f"; {hidden} theme{'s' if hidden != 1 else ''} raised by no one not shown"
            if hidden
            else ""
        ),
        group_name,
        "Theme",
        rows,
        cols,
        value_format="{:.0f}%",
        scale_label="% of the group",
        vmax=100.0,
    )


def cooccurrence_heatmap(
    matrix: pd.DataFrame,
    out_path: str | Path,
    theme_labels: Mapping[str, str] | None = None,
    title: str = "Themes raised together",
    n: int | None = None,
    max_themes: int = 15,
) -> Figure:
    """Heatmap of :func:`~helpers.analysis.themes.cooccurrence`: respondents raising both themes in one answer."""
    diag = pd.Series(np.diag(matrix.to_numpy()), index=matrix.index)
    # Themes nobody raised add only empty rows; beyond max_themes the chart becomes unreadable.
    keep = set(diag[diag > 0].sort_values(ascending=False, kind="stable").head(max_themes).index)
    keep = [t for t in matrix.index if t in keep] or list(matrix.index[:1])
    dropped = len(matrix) - len(keep)
    matrix = matrix.loc[keep, keep]
    # Rows carry the numbered labels and columns the numbers, all horizontal: slanted
    # labels at a small size were unreadable in print (issue 16.3).
    names = [(theme_labels or {}).get(t, t) for t in matrix.index]
    labels = [f"{i}. {name}" for i, name in enumerate(names, 1)]
    numbers = [str(i) for i in range(1, len(matrix) + 1)]
    subtitle = "Respondents raising both themes in the same answer; diagonal = respondents raising the theme"
    if dropped:
        subtitle += (
            f"; {dropped} less frequent or unraised theme{'s' if dropped != 1 else ''} not shown"
        )
    if n is not None:
        subtitle += f"; n = {n}"
    return heatmap(
        matrix, out_path, title, subtitle, "Theme (numbered as the rows)", "Theme", labels, numbers,
        alt_labels=(names, names),
    )  # fmt: skip


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
