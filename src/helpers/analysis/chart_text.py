"""Alternative text for the charts: what each chart shows, with its numbers.

A screen-reader user, or anyone reading the PDF's text, gets the chart's
content in words, computed from the same table the chart was drawn from
(:mod:`helpers.analysis.charts` calls these functions as it draws), e.g.
"Bar chart: Q1: Agreement, themes (n=2 respondents): Cost 1 (50%), …".

Length is bounded: a chart with many bars lists its largest items and says
how many more there are, so the text stays readable when spoken
(``MAX_ITEMS`` items, at most ``MAX_CHARS`` characters before the tail).
The text sits next to each chart as ``<stem>.alt.txt`` (see
:func:`alt_path`), where the report and anyone reusing the chart find it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.formatting import format_percent

MAX_ITEMS = 8  # bars, groups or cells listed before "and N more"
MAX_CHARS = 700  # the listed items' text is shortened to about this length


def alt_path(png: str | Path) -> Path:
    """Where a chart's alternative text is kept: ``<stem>.alt.txt`` next to its PNG."""
    png = Path(png)
    return png.with_name(png.stem + ".alt.txt")


def read_alt(png: str | Path) -> str | None:
    """A chart's alternative text, or None when it has none (an older charts folder)."""
    path = alt_path(png)
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def listing(items: Sequence[str], noun: str = "more", sep: str = ", ") -> str:
    """'a, b, c' — at most MAX_ITEMS items and about MAX_CHARS characters, then 'and N more'."""
    shown: list[str] = []
    length = 0
    for item in items[:MAX_ITEMS]:
        if shown and length + len(item) > MAX_CHARS:
            break
        shown.append(item)
        length += len(item) + 2
    rest = len(items) - len(shown)
    text = sep.join(shown)
    if rest:
        text += f"{sep}and {rest} {noun}"
    return text


def bar_alt(title: str, base: int, rows: Sequence[tuple[str, int]], hidden: int = 0) -> str:
    """'Bar chart: <title> (n=12 respondents): Cost 7 (58%), Access 3 (25%), and 4 more.'"""
    head = f"Bar chart: {title} (n={base} respondent{'s' if base != 1 else ''})"
    if not rows:
        return f"{head}: no theme was identified."
    items = [f"{label} {k} ({format_percent(k, base)})" for label, k in rows]
    text = f"{head}, respondents raising each theme, most frequent first: {listing(items)}"
    if hidden:
        text += f"; {hidden} theme{'s' if hidden != 1 else ''} not raised or not shown"
    return text + "."


def stance_alt(title: str, groups: Sequence[dict]) -> str:
    """'Stacked bar chart of level of agreement: <title>. All respondents (n=2): agree 1 (50%), …'

    Each group: ``name``, ``base`` (who gave a view: the percentages' base),
    ``counts`` (label, k) in scale order, ``dont_know`` and ``not_answered``
    (outside the base). Stances nobody chose are left out; groups are separated
    by semicolons.
    """
    parts = []
    for g in groups:
        base = g["base"]
        shares = [
            f"{label[:1].lower()}{label[1:]} {k} ({format_percent(k, base)})"
            for label, k in g["counts"]
            if k
        ]
        shares += [
            f"{k} {what}"
            for k, what in ((g["dont_know"], "don't know"), (g["not_answered"], "not answered"))
            if k
        ]
        parts.append(f"{g['name']} (n={base}): {', '.join(shares) or 'no answer'}")
    shown = listing(parts, "more groups", sep="; ")
    return f"Stacked bar chart of level of agreement: {title}. {shown}."


def heatmap_alt(
    title: str,
    subtitle: str,
    values: pd.DataFrame | np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    value_format: str = "{:.0f}",
    row_name: str = "rows",
    col_name: str = "columns",
) -> str:
    """'Heatmap: <title> (<subtitle>); 5 rows (Theme) by 3 columns (Respondent type); highest
    values first: Cost, Individual (n=4): 3; …'

    A symmetric table with the same rows and columns (themes raised together)
    lists each pair of different rows once; its diagonal is left to the other charts.
    """
    grid = np.asarray(values, dtype="float64")
    symmetric = list(rows) == list(cols) and np.array_equal(grid, grid.T, equal_nan=True)
    cells = [
        (grid[i, j], i, j)
        for i in range(grid.shape[0])
        for j in range(i + 1 if symmetric else 0, grid.shape[1])
        if np.isfinite(grid[i, j]) and grid[i, j] > 0
    ]
    cells.sort(key=lambda c: (-c[0], c[1], c[2]))  # largest first, then reading order
    pair = " and " if symmetric else ", "  # 'Cost and Access: 2'; 'Cost, Individual (n=4): 3'
    items = [f"{rows[i]}{pair}{cols[j]}: {value_format.format(v)}" for v, i, j in cells]
    head = (
        f"Heatmap: {title} ({subtitle}); {len(rows)} rows ({row_name}) "
        f"by {len(cols)} columns ({col_name})"
    )
    if not items:
        return f"{head}; " + (
            "no two were raised together." if symmetric else "every value is zero."
        )
    first = "pairs most often together first" if symmetric else "highest values first"
    return f"{head}; {first}: {listing(items, 'more non-zero cells', sep='; ')}."
