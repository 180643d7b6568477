"""The one colour palette every chart draws from: Okabe & Ito's colour-blind-safe set.

Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct
with any common colour-vision deficiency (protanopia, deuteranopia,
tritanopia) and keep different lightnesses in greyscale print. The report's
charts (``analysis.charts``: the agree scale, bars, heatmaps) and the
validation charts (``validate.agreement``) take their colours from here, so a
team that must use its house colours changes them in one place (and should
check them with a colour-vision simulator: ``tests/test_report_accessibility.py``).
"""

from __future__ import annotations

PALETTE = {
    "blue": "#0072b2",
    "sky_blue": "#56b4e9",
    "grey": "#bbbbbb",  # neutral: not one of the eight, for a scale's centre
    "orange": "#e69f00",
    "vermillion": "#d55e00",
    "reddish_purple": "#cc79a7",
    "bluish_green": "#009e73",
    "yellow": "#f0e442",
    "black": "#000000",
}
