"""Session 26 (issue 13): the confidence map refitted with batch 28; the gate refitted.

The map (``stance.calibration``) is refitted on 25 sets as first scored: session 25's 22 and
``stance-items-25``, ``ofsted-docs-28`` and ``transport-28`` at the release ``eb440f7``
(``benchmarks/stance_census.py --raw``), with a smaller shrinkage prior (2 pseudo-rows per
stated value, was 5), chosen leave-one-set-out. Expected values are read from the fit
(``docs/stance.md``, "Session 26").
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import stance_calibrate as sc
from benchmarks import stance_collect
from helpers.core.consultation import load_consultation
from helpers.stance import calibration, gate, stance_answers


def _map() -> dict:
    path = resources.files("helpers").joinpath("data", calibration.MAP_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def test_map_refitted_with_batch_28_as_first_scored() -> None:
    data = _map()
    fitted = set(data["fitted_on"])
    assert {"stance-items-25@eb440f7", "ofsted-docs-28@eb440f7", "transport-28@eb440f7"} <= fitted
    assert len(fitted) >= 25  # 28 since session 27 (batch 29 added)
    assert data["prior"] == 2.0
    # Never a held-back set.
    assert not any(stance_collect._forbidden(s.split("@")[0]) for s in fitted)


def test_low_readings_stated_higher_than_before() -> None:
    # A weak text reading (a sentiment reading stated 0.28-0.34 was right 0.8 of the time over
    # 66 rows, pooled by the monotone fit with the gate's 0.54-0.56): 0.567 before, 0.611 in
    # session 26, 0.666 since session 28 (levels pooled to 0.1).
    assert 0.6 <= calibration.calibrated("text", "agree", 0.3) <= 0.68
    # A letter's implied position (stated 0.5): 0.561 before, 0.619 in session 26, 0.743 since
    # session 28; at 0.59, 0.728, then 0.741 (s. 27), 0.775 (s. 28).
    assert 0.6 <= calibration.calibrated("unstructured", "agree", 0.5) <= 0.76
    assert 0.72 <= calibration.calibrated("unstructured", "agree", 0.59) <= 0.79
    # "No position found" stays about where it was right on the spent sets (0.34-0.39; 0.417
    # since session 28, the newest sets' rows right more often).
    assert 0.35 <= calibration.calibrated("text", "not_answered", 0.35) <= 0.43
    # A cue's 0.9 and a phrase's 0.85.
    assert 0.91 <= calibration.calibrated("text", "agree", 0.9) <= 0.94  # 0.933 (s. 27)
    assert calibration.calibrated("text", "agree", 0.85) == pytest.approx(0.902, abs=0.01)


def test_prior_shrinks_a_level_towards_its_stated_value(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 rows stated 0.3, all right (below the group's 20-row minimum otherwise).
    rows = [("text", 0.3, 1.0)] * 20
    monkeypatch.setattr(sc, "PRIOR", 5.0)
    five = sc.fit_isotonic(rows)("text", 0.3)
    monkeypatch.setattr(sc, "PRIOR", 2.0)
    two = sc.fit_isotonic(rows)("text", 0.3)
    assert five == pytest.approx((20 + 5 * 0.3) / 25)
    assert two == pytest.approx((20 + 2 * 0.3) / 22)
    assert two > five


def test_prior_option_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # ``--prior=P`` sets the prior before the fit (no sets: nothing fitted or printed).
    monkeypatch.setattr(sc, "PRIOR", 2.0)  # restored after the test
    monkeypatch.setattr(sc, "loso", lambda sets: {})
    sc.main(["--prior=1.5"])
    assert sc.PRIOR == 1.5


# -- the no-position gate refitted on stance-items 1-25 and batches 21-28 --------------------

CONSULTATION = Path(__file__).parents[1] / "data" / "evaluation" / "transport" / "consultation.yaml"


def _stance(text: str, qid: str) -> str:
    respondents = pd.DataFrame({"respondent_id": ["r0"], "text": [text]}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ["r0"], "question_id": [qid], "start": [0], "end": [len(text)],
        "answer_text": [text], "tick_box": [None], "substantive": [True],
    })  # fmt: skip
    out = stance_answers(answers, respondents, load_consultation(CONSULTATION))
    return str(out.loc[out["question_id"] == qid, "stance"].iloc[0])


def test_gate_weights_refitted() -> None:
    w = gate.load_weights()
    assert w is not None
    assert str(w["layout"]) == "extra"
    assert float(w["threshold"]) == pytest.approx(0.5)
    # The out-of-fold Platt map of 589 readings (426 right): p 0.5 is right 0.45 of the time.
    assert float(w["calib_y"][0]) == pytest.approx(0.447, abs=0.005)


@pytest.mark.parametrize(
    ("text", "qid", "expected"),
    [
        # transport-28 (gold strongly_agree): the rules read "used to take" against the gate;
        # the gate refitted without batch 28 already read it for (session 26).
        (
            "bus gate = W. the 7 used to take 25 mins to get me to college now its like 12. "
            "keep it",
            "bus_gate",
            "agree",
        ),
        # stance-items-25 (gold agree): a headline with no position word; the rules find none.
        ("COUNCIL TRIES BEFORE IT BUYS – AND QUITE RIGHT TOO", "trial", "agree"),
        # Taking no position on the proposal stays unread (as session 6's test).
        ("Please see my letter sent by email.", "bus_gate", "not_answered"),
    ],
)
def test_gate_reads_positions_between_the_lines(text: str, qid: str, expected: str) -> None:
    assert _stance(text, qid) == expected
