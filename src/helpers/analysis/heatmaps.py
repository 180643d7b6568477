"""Heatmap charts: themes by respondent type (or any attribute) and theme co-occurrence.

Split from :mod:`helpers.analysis.charts` (session 21, no change of behaviour), which
re-exports :func:`heatmap`, :func:`theme_type_heatmap` and :func:`cooccurrence_heatmap`.
Cells run from white to the palette's blue (``chart_style.HEATMAP_CMAP``), each labelled
with its value in black or white, whichever contrasts more; long labels are wrapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers.analysis.chart_style import (
    FONT_SIZE,
    HEATMAP_CMAP,
    new_figure,
    save_figure,
    text_colour,
    titles,
    wrap,
)
from helpers.analysis.chart_text import heatmap_alt
from helpers.analysis.counting import group_label


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
    fig = new_figure(
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
    titles(fig, ax, title, subtitle)
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
