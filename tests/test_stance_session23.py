"""Session 23 (issue 13): strength a phrase does not give, and the confidence map refitted.

"do it" (``stance.strength``, lexicon ``firm_not_strong``) weighs as a strong phrase but no
longer makes a stance strong by itself: chosen per phrase leave-one-set-out over every spent
item set (stance-items … -22). The phrasings below were written for these tests after the
change (allotments, a market, a pool, a library), with the look-alikes that must keep their
strength or their direction.

A short last sentence that takes a side weighs double (``stance.finalword``): the weight was
fitted leave-one-set-out over the same sets. Its phrasings (a lane, a library, a fee) were
written after the change; each was read otherwise before it.

The confidence map (``stance.calibration``) was refitted with stance-items-22 and batch 25
as first scored; ``benchmarks/stance_calibrate.py`` gained a forward check and set weights by
age (measured, not shipped).
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from benchmarks import stance_calibrate as sc
from helpers.stance import calibration, infer_stance
from helpers.stance.clauses import _clauses
from helpers.stance.discourse import refine
from helpers.stance.finalword import final_sentence
from helpers.stance.strength import firm_only


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # "do it" decides the direction but says nothing of how strongly.
        ("Go on, do it.", "agree"),
        ("Yes, do it, the allotment holders have asked for years.", "agree"),
        ("Do it, but keep the Saturday market open.", "agree"),
        ("If it means the pool opens on Sundays, do it.", "agree"),
        # Strength said in other words stays strong.
        ("Absolutely do it.", "strongly_agree"),
        ("Strongly agree, do it.", "strongly_agree"),
        ("Do it before the winter, the library refit is long overdue.", "strongly_agree"),
        # A negated "do it" keeps its direction.
        ("Don't do it.", "disagree"),
    ],
)
def test_do_it_gives_direction_not_strength(text: str, stance: str) -> None:
    assert _read(text) == stance


def test_firm_only_is_the_phrase_alone() -> None:
    low = "yes, do it."
    assert firm_only(low, low.index("do it"), low.index("do it") + 5)
    low = "absolutely do it."
    assert not firm_only(low, low.index("do it"), low.index("do it") + 5)
    low = "long overdue."
    assert not firm_only(low, 0, len("long overdue"))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Both sides cancel; the closing verdict decides (was "no position found").
        ("I'd love it as a walker. I'd hate it as a driver. I'll back it.", "agree"),
        # A view given up: the verdict outweighs the old view and its reasons.
        (
            "I objected to the library move at first. The new building is wonderful, though. "
            "I support it now.",
            "agree",
        ),
        (
            "I welcomed the plan in March. Since then the costs have doubled and nobody has "
            "explained why. I now oppose it.",
            "disagree",
        ),
        # The idiom of "couldn't agree more" with another verb, as a closing verdict.
        (
            "Please open the library on Sundays. The students have waited long enough. "
            "I could not support this more.",
            "strongly_agree",
        ),
        ("I could not support this.", "disagree"),
        # Look-alikes read as before: one sentence; a long last sentence.
        ("We support the new market.", "agree"),
        ("Good for the high street. Bad for the bus routes. Overall, yes.", "agree"),
    ],
)
def test_a_short_closing_verdict_weighs_double(text: str, stance: str) -> None:
    assert _read(text) == stance


def test_final_sentence_span() -> None:
    low = "lovely idea. awful timing. no thanks."
    assert final_sentence(low, _clauses(low, [])) == (low.index(" no thanks"), len(low))
    low = "we support the new market."
    assert final_sentence(low, _clauses(low, [])) is None  # one sentence
    low = "fine. but the fees for the pool should be set by the members, not the council."
    assert final_sentence(low, _clauses(low, [])) is None  # more than six words


def test_batches_of_sets() -> None:
    assert sc.batch("stance-items-22") == 25  # written with batch 25
    assert sc.batch("stance-items-22@0734d36") == 25
    assert sc.batch("ofsted-docs-25") == 25
    assert sc.batch("transport-21@bbb7ea9") == 21
    assert sc.batch("transport") == 1
    assert sc.batch("stance-items") == 1


def test_weights_by_age(monkeypatch: pytest.MonkeyPatch) -> None:
    row = ("text", 0.9, 1.0)
    sets = {"stance-items-22": [row], "ofsted-docs-23": [row], "transport-25": [row]}
    monkeypatch.setattr(sc, "HALF_LIFE", None)
    assert [w for _, w in sc.weighted(sets)] == [1.0, 1.0, 1.0]
    monkeypatch.setattr(sc, "HALF_LIFE", 2.0)
    assert [w for _, w in sc.weighted(sets)] == [1.0, 0.5, 1.0]


def test_weighted_isotonic_follows_the_heavier_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 rows stated 0.5: 20 right. Weighed 3:1 towards the right ones, the fit rises.
    monkeypatch.setattr(sc, "PRIOR", 5.0)  # the prior of sessions 22-25 (2 since session 26)
    rows = [("text", 0.5, 1.0)] * 20 + [("text", 0.5, 0.0)] * 20
    even = sc.fit_isotonic(rows)("text", 0.5)
    heavy = sc.fit_isotonic(rows, [3.0] * 20 + [1.0] * 20)("text", 0.5)
    assert even == pytest.approx(0.5)
    assert heavy == pytest.approx((60 + 2.5) / (80 + 5))


def test_map_refitted_on_the_fresh_sets() -> None:
    path = resources.files("helpers").joinpath("data", calibration.MAP_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    fitted = {s.split("@")[0] for s in data["fitted_on"]}
    assert {"stance-items-22", "ofsted-docs-25", "transport-25"} <= fitted
    assert len(fitted) >= 16  # 19 since session 24
    # A cue's 0.9 is right about nine times in ten on the fresh sets; "no position found"
    # about a third of the time (pooled out of fold 0.33 stated / 0.34 observed).
    # (0.933 since session 27: batch 29's cues were right 0.99 of the time.)
    assert 0.88 <= calibration.calibrated("text", "agree", 0.9) <= 0.94
    assert 0.3 <= calibration.calibrated("discourse", "not_answered", 0.35) <= 0.43  # 0.417 (s. 28)
