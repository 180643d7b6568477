"""Stated confidence mapped to the accuracy observed on unseen text (session 22, issue 13).

The readers' confidence is a heuristic (``stance.result``, ``docs/stance.md``): a cue 0.9, a
phrase 0.85, "no position found" 0.35, an unfound letter answer 0.45, the gate's own Platt map.
Scored on item and document sets nobody had tuned on (each set at the release that first
scored it), it was under-stated below 0.5 (stated 0.36-0.39, right 0.56-0.62 of the time) and
over-stated between 0.5 and 0.85. This module maps each row's confidence, after every reading
is made, to the share of such rows that were right on those fresh sets: one monotone
piecewise-linear map per kind of row (``group``), fitted and chosen leave-one-set-out by
``benchmarks/stance_calibrate.py`` and shipped as breakpoints in
``data/stance_calibration.json``.

Rationale for what is not mapped:

- a ticked box (``tick_box``, ``tick_box+text``) and a blank the respondent left (confidence
  1, ``not_answered``) are what the respondent gave: right in every spent set but a handful;
- the map never changes a stance, only the number beside it, and runs after every reading
  (most confident segment, letters, gate, reservations), so no decision depends on it;
- a group without a shipped map keeps its heuristic value.

``CALIBRATE`` turns it off (training collectors read the readers' own numbers).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from importlib import resources

import numpy as np

log = logging.getLogger(__name__)

__all__ = ["CALIBRATE", "calibrate_rows", "calibrated", "group", "load_map"]

CALIBRATE = True
MAP_FILE = "stance_calibration.json"
_TICKS = ("tick_box", "tick_box+text")


def group(method: str, stance: str, confidence: float) -> str | None:
    """The kind of reading a row is, for the map: ``text`` (a position read from an answer),
    ``letter`` (a position read from a letter, method ``unstructured``), ``none`` (text read or
    a letter searched, no position found) or None (a tick box or a blank: not mapped)."""
    if method in _TICKS:
        return None
    if stance == "not_answered":
        return None if confidence >= 1.0 else "none"
    return "letter" if method == "unstructured" else "text"


@cache
def load_map() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The shipped breakpoints per group (empty when the file is absent)."""
    path = resources.files("helpers").joinpath("data", MAP_FILE)
    if not path.is_file():
        log.warning("no %s: stance confidence left as the readers state it", MAP_FILE)
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        g: (np.asarray(m["x"], dtype=float), np.asarray(m["y"], dtype=float))
        for g, m in data["groups"].items()
    }


def calibrated(method: str, stance: str, confidence: float) -> float:
    """``confidence`` mapped for a row of ``method`` and ``stance`` (rounded to 3 places)."""
    g = group(method, stance, confidence)
    m = load_map().get(g) if g is not None else None
    if m is None:
        return confidence
    x, y = m
    return round(float(np.interp(confidence, x, y)), 3)


def calibrate_rows(rows: list[dict]) -> None:
    """Each stances row's ``confidence`` mapped in place (``CALIBRATE`` on)."""
    if not CALIBRATE:
        return
    for row in rows:
        c = row.get("confidence")
        if c is None:
            continue
        row["confidence"] = calibrated(row["method"], row["stance"], float(c))
