"""The charts' look: one palette, type size, resolution and how a figure is saved.

Split from :mod:`helpers.analysis.charts` (session 21, no change of behaviour), which
re-exports every name here. Colours all come from the colour-blind-safe palette
(``core.palette``): the agree scale diverges blue to orange through grey, heatmaps run
white to blue, text on a coloured cell is black or white (:func:`text_colour`).
:func:`save_figure` writes PNG and/or SVG (the formats in :data:`FORMATS`, set for a
whole ``write_charts`` call) with the chart's alternative text beside them.
"""

from __future__ import annotations

import logging
import textwrap
from contextvars import ContextVar
from pathlib import Path

import matplotlib
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from helpers.analysis.chart_text import alt_path
from helpers.core.palette import PALETTE

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


def new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def titles(fig: Figure, ax, title: str, subtitle: str) -> None:
    """Title (wrapped) with the n subtitle under it."""
    ax.set_title(wrap(subtitle, 90), fontsize=FONT_SIZE - 1, color="#444444", loc="left")
    fig.suptitle(wrap(title, 70), fontsize=FONT_SIZE + 2, fontweight="bold", x=0.02, ha="left")
