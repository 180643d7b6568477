"""Session 28: the shapes of a flagged sentence that the gold may not count as a reservation.

Phrasings written for these tests (a bus lane, a library, a school street), not taken from the
item sets; the census and the second look read the spent sets only and refuse held-back ones.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.reservation_cues import MECHANISMS, N_CUES, cue_features, mechanisms
from benchmarks.reservation_fa_census import rows_with_scores
from benchmarks.reservation_stack import N_STACK, load, stack_features


def _shapes(sentence: str, stance: str) -> list[str]:
    return mechanisms([sentence], 0, 0, stance)


def test_an_opponents_grant_of_the_good_side_is_read_as_a_concession():
    s = "I can see what the library is trying to do, but closing on Saturdays is wrong."
    assert _shapes(s, "disagree") == ["concedes other side"]
    assert _shapes("Although the idea is sound, the bus lane is in the wrong place.",
                   "strongly_disagree") == ["concedes other side"]  # fmt: skip
    # a supporter's contrast is the usual reservation, not a concession of the other side
    assert _shapes(s, "agree") == []
    # an opponent's plain reasons concede nothing
    assert _shapes("The cost is huge and the timing is hopeless.", "disagree") == []


def test_another_persons_worry_and_a_question_back():
    assert _shapes("My sister worries it will push the lorries onto the ring road.", "agree") == [
        "another's view"
    ]
    assert _shapes("What happens to the market on Saturdays?", "agree") == ["question back"]


def test_a_supporters_wish_for_more_and_the_state_of_things_now():
    assert _shapes("Good, but it should go further and cover the whole town.", "agree") == [
        "goes further"
    ]
    # wanting more from an opponent is no supporter's wish
    assert _shapes("It should go further or not happen at all.", "disagree") == []
    assert _shapes("At the moment the pavement outside the school is blocked every morning.",
                   "agree") == ["status quo"]  # fmt: skip
    # a worry about what the proposal will do is not the state of things now
    assert _shapes("The lane will be blocked by delivery vans.", "agree") == []


def test_conditions_that_are_the_proposal_or_the_writers_own_act():
    assert _shapes("If it gets the children to school safely, then great.", "agree") == [
        "condition is the proposal"
    ]
    assert _shapes("If this goes through we will campaign against it at every meeting.",
                   "disagree") == ["future act"]  # fmt: skip
    # a condition on the writer's position is neither
    assert _shapes("It will only work if the buses actually turn up.", "agree") == []
    assert _shapes("We would only support it if the buses ran every ten minutes.", "agree") == []


def test_a_politeness_hedge():
    assert _shapes("We would just note that the map in the leaflet is out of date.", "agree") == [
        "politeness hedge"
    ]


def test_cue_features_put_the_polarity_against_the_writers_direction():
    worry = cue_features("My only worry is the cost of staffing it.", "agree")
    assert len(worry) == N_CUES == len(MECHANISMS) + 3
    polarity, along, against = worry[-3:]
    assert polarity < 0 and along == 0.0 and against == pytest.approx(-polarity)
    praise = cue_features("The idea is a good one.", "disagree")
    assert praise[-3] > 0 and praise[-2] == 0.0 and praise[-1] == pytest.approx(praise[-3])
    assert cue_features("The idea is a good one.", "neither")[-2:] == [0.0, 0.0]


def test_stack_features_read_the_best_sentence_and_its_place():
    sents = ["I support the bus lane.", "However, the loading bays worry me."]
    f = stack_features(sents, np.array([0.2, 0.7]), 0, (True, "agree", "text", False))
    assert f.shape == (N_STACK,)
    assert f[0] == pytest.approx(np.log(0.7 / 0.3) / 4) and f[1] == pytest.approx(
        np.log(0.2 / 0.8) / 4
    )
    assert list(f[2:6]) == [0.0, 0.0, 1.0, 0.0]  # the best sentence comes after the stance sentence


def _collection(tmp_path, name: str) -> str:
    path = tmp_path / "rows.jsonl"
    row = {"set": name, "item": "x1", "question": "q1", "kind": "answer", "gold": False,
           "gold_known": True, "gold_stance": "agree", "stance_ok": [], "tags": [], "stance": "agree",
           "method": "text", "confidence": 0.9, "rule": False, "segments": ["Yes."],
           "evidence": [0, 0, 4], "conflict": False, "tick": None, "text_stance": None,
           "full": "Yes."}  # fmt: skip
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", ["stance-items-28", "stance-items-29", "transport-31"])
def test_the_census_and_the_second_look_refuse_held_back_sets(tmp_path, name):
    rows = _collection(tmp_path, name)
    oof = tmp_path / "oof.pkl"
    oof.write_bytes(b"")  # never opened: the refusal comes first
    with pytest.raises(SystemExit):
        rows_with_scores(rows, str(oof))
    with pytest.raises(SystemExit):
        load(rows, str(oof))
