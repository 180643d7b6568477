"""Session 22 (issue 13): a group's split given as its answer, and the confidence map.

Split verdicts: the phrases (``data/stance_lexicon.yaml``, generic English) came from spent
items of stance-items-18, -20 and -21 and documents of ofsted-docs-11 and transport-21; the
phrasings here were written for these tests after the change (a cycle lane, a market, speed
humps, a shuttle bus), with the look-alikes that must keep their position.

The confidence map (``stance.calibration``): rows a tick box or a blank gave keep 1; the
readers' numbers are mapped monotonically per kind of reading; the shipped file's values
are checked against the fresh-set accuracies ``benchmarks/stance_calibrate.py`` fitted.
"""

from __future__ import annotations

import pytest

from helpers.stance import calibration, infer_stance
from helpers.stance.discourse import refine


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("My partner wants the cycle lane and I don't, so put us down as split.", "neither"),
        (
            "The residents' committee could not agree. Some wanted the market moved to the "
            "square, others wanted it left where it is.",
            "neither",
        ),
        ("The parish meeting was split roughly down the middle on the speed humps.", "neither"),
        ("We have agreed to disagree about the shuttle bus.", "neither"),
        ("She says six weeks, I say six months. We've agreed we don't agree.", "neither"),
        ("Our panel couldn't agree: half wanted the lane now, half wanted a trial.", "neither"),
        # Look-alikes that keep a position.
        ("I couldn't agree more. Start the market in May.", "strongly_agree"),
        ("We cannot agree. Six weeks is far too soon.", "disagree"),
    ],
)
def test_split_verdicts(text: str, stance: str) -> None:
    assert _read(text) == stance


def test_group_of_rows() -> None:
    assert calibration.group("tick_box", "agree", 1.0) is None
    assert calibration.group("tick_box+text", "disagree", 1.0) is None
    assert calibration.group("none", "not_answered", 1.0) is None  # a blank left
    assert calibration.group("none", "not_answered", 0.45) == "none"
    assert calibration.group("text", "not_answered", 0.35) == "none"
    assert calibration.group("text", "agree", 0.85) == "text"
    assert calibration.group("unstructured", "neither", 0.59) == "letter"


def test_ticks_and_blanks_keep_their_confidence() -> None:
    assert calibration.calibrated("tick_box", "agree", 1.0) == 1.0
    assert calibration.calibrated("tick_box+text", "strongly_disagree", 1.0) == 1.0
    assert calibration.calibrated("none", "not_answered", 1.0) == 1.0


def test_off_leaves_rows_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calibration, "CALIBRATE", False)
    rows = [{"method": "text", "stance": "not_answered", "confidence": 0.35}]
    calibration.calibrate_rows(rows)
    assert rows[0]["confidence"] == 0.35


@pytest.mark.parametrize(
    ("method", "stance", "stated", "low", "high"),
    [
        # A cue or phrase (0.85 / 0.9): right about nine times in ten on the fresh sets.
        ("text", "agree", 0.85, 0.86, 0.92),
        ("text", "strongly_disagree", 0.9, 0.88, 0.94),
        # A weak text reading (sentiment, 0.2-0.4): right about 0.55 of the time, not 0.3
        # (0.61 with 25 sets and a smaller prior, session 26: stated 0.28-0.34, right 0.8).
        # (0.666 in session 28: levels pooled to 0.1, the fresh sets' weak readings right more)
        ("text", "agree", 0.3, 0.5, 0.68),
        # A letter's position at 0.9: right about 0.85 of the time (0.89 with 19 sets, s. 24;
        # 0.905 with 22 sets, s. 25: batch 27's letters were right more often;
        # 0.923 with 25 sets, s. 26; 0.947 with 31 sets, s. 28).
        ("unstructured", "agree", 0.9, 0.8, 0.95),
        # "No position found" (0.35) and an unfound letter answer (0.45): about 0.35 (0.417
        # since session 28: the newest sets' "no position found" right more often).
        ("text", "not_answered", 0.35, 0.3, 0.43),
        ("none", "not_answered", 0.45, 0.3, 0.43),
        # An unfound answer in a headed document (0.2): almost always wrong.
        ("none", "not_answered", 0.2, 0.0, 0.15),
    ],
)
def test_shipped_map(method: str, stance: str, stated: float, low: float, high: float) -> None:
    assert low <= calibration.calibrated(method, stance, stated) <= high


def test_shipped_map_is_monotone_per_group() -> None:
    for method, stance in (("text", "agree"), ("unstructured", "agree"), ("text", "not_answered")):
        values = [calibration.calibrated(method, stance, x / 100) for x in range(0, 100)]
        assert values == sorted(values)


def test_rows_mapped_in_place() -> None:
    rows = [
        {"method": "tick_box", "stance": "agree", "confidence": 1.0},
        {"method": "text", "stance": "agree", "confidence": 0.3},
        {"method": "none", "stance": "not_answered", "confidence": 1.0},
        {"method": "none", "stance": "not_answered", "confidence": None},
    ]
    calibration.calibrate_rows(rows)
    assert [r["confidence"] for r in rows][::2] == [1.0, 1.0]
    assert rows[1]["confidence"] == calibration.calibrated("text", "agree", 0.3) > 0.3
    assert rows[3]["confidence"] is None
