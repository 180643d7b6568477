"""Session 25 (issues 12 and 13): a letter's implied position on a closed question it gives no
stance cue for (``stance.implied``), learned on the spent item sets' letters and the spent
document sets' unheaded letters and chosen leave one set out (docs/stance.md, "Session 25").

The letters read here are spent items, each given to stance as ingest gives a letter with no
question headings: one ``unstructured`` row spanning the whole text.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

from benchmarks import letter_implied
from helpers import ingest, stance
from helpers.core.consultation import Question
from helpers.stance import implied
from helpers.validate.devsets.items import load_item_set

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluation"


def _item(set_name: str, item_id: str):
    for f in load_item_set(DATA / set_name):
        for i in f.items:
            if i.id == item_id:
                return i, f.consultation
    raise KeyError(item_id)


def _letter_row(set_name: str, item_id: str) -> tuple[dict, object]:
    """The stances row of the item's question when the letter is one unstructured row."""
    item, cons = _item(set_name, item_id)
    text = item.text.strip()
    respondents = pd.DataFrame(
        {"respondent_id": pd.Series(["r1"], dtype="string"),
         "text": pd.Series([text], dtype="string")}
    )  # fmt: skip
    answers = ingest.mark_substantive(
        pd.DataFrame([{"respondent_id": "r1", "question_id": "unstructured", "start": 0,
                       "end": len(text), "answer_text": text, "match_method": "none"}]),
        cons,
    )  # fmt: skip
    got = stance.stance_answers(answers, respondents, cons)
    return got[got["question_id"] == item.question].iloc[0].to_dict(), item


def _questions() -> tuple[Question, ...]:
    return (
        Question(id="a", text="Do you support the new bus lane on Mill Road?", kind="closed"),
        Question(id="b", text="Should the trial last eighteen months?", kind="closed"),
    )


def test_features_count_the_question_s_sentences_and_the_word_classes():
    text = (
        "The bus lane on Mill Road would help my daughter. "
        "I worry about the cost. "
        "Thank you for asking."
    )
    f, focus = implied.features(text, 0, _questions())
    assert focus == [0]  # only the first sentence names the bus lane's own words
    assert f["named_q"] == pytest.approx(0.6931, abs=1e-4)  # log1p(1)
    assert f["named_other"] == 0.0
    assert f["q_first"] == 1.0
    # one word a sentence of benefit ("help"), fear ("worry"), cost ("cost"), gratitude ("thank")
    for k in ("wc_benefit", "wc_fear", "wc_cost", "wc_gratitude"):
        assert f[k] == pytest.approx(1 / 3), k
    assert f["wc_harm"] == 0.0
    g, focus_b = implied.features(text, 1, _questions())
    assert focus_b == [0, 1, 2]  # no sentence names the trial: the whole letter
    assert g["named_q"] == 0.0 and g["named_other"] == pytest.approx(0.6931, abs=1e-4)


def test_decide_needs_a_side_most_probable_and_at_the_threshold():
    assert implied.decide([0.5, 0.2, 0.3], 0.45) == "agree"
    assert implied.decide([0.2, 0.5, 0.3], 0.45) == "disagree"
    assert implied.decide([0.42, 0.2, 0.38], 0.45) is None  # under the threshold
    assert implied.decide([0.3, 0.2, 0.5], 0.34) is None  # "none" most probable


def test_only_letters_are_read_never_a_survey_respondent():
    answers = pd.DataFrame(
        {"respondent_id": ["l1", "l2", "s1"],
         "question_id": ["unstructured", "q1", "q1"],
         "match_method": ["none", "meaning", "column"]}
    )  # fmt: skip
    assert implied.implied_letters(answers, {"l1", "l2", "s1", "blank"}) == {"l1", "l2"}
    assert implied.implied_letters(answers, set()) == set()


def test_the_shipped_model_was_chosen_leave_one_set_out():
    w = implied.load_weights()
    assert w is not None
    assert list(w["features"]) == list(implied.FEATURES)
    assert len(w["coef"]) == 3 and len(w["intercept"]) == 3
    assert 0.34 <= w["threshold"][0] <= 0.9
    # the stated confidence is low: what such readings were right on sets the model never saw
    assert 0.4 <= w["observed"] <= 0.7


def test_a_story_that_implies_support_takes_agree_at_low_confidence():
    # of19-076 (spent, gold q1 agree): a care leaver's story ("I spent my first month out of
    # care eating cereal for tea ...") with no word of position the rules read.
    row, _item_ = _letter_row("stance-items-19", "of19-076")
    assert row["stance"] == "agree"
    assert row["method"] == "unstructured"
    # (0.75 since session 28's map: letter rows stated 0.28-0.56 were right 0.78 of the time on
    # the first-scored sets, 40 rows, and the map pools stated values to 0.1)
    assert row["confidence"] < 0.8
    # the quote is the sentence naming the question's own words, not the story's most
    # cheerful one (the gold evidence)
    assert row["evidence"] == (
        "That's why I think Ofsted should judge councils on care leavers separately."
    )
    with mock.patch.object(implied, "load_weights", lambda: None):
        row0, _ = _letter_row("stance-items-19", "of19-076")
    # Without the model the gate reads it too since its refit in session 26 (trained on
    # stance-items 1-25, this set's letters among them); before, nothing was read.
    assert row0["stance"] == "agree"


def test_disagreement_is_never_read_by_the_shipped_model():
    # Every leave-one-set-out fold turned the disagree class off (its out-of-fold readings
    # were right 0 times in 7): tr6-015 (spent, gold ltn disagree) stays unread.
    w = implied.load_weights()
    assert w["threshold"][1] > 1.0
    assert implied.decide([0.1, 0.85, 0.05], w["threshold"]) is None
    assert implied.decide([0.85, 0.1, 0.05], w["threshold"]) == "agree"
    row, _ = _letter_row("stance-items-6", "tr6-015")
    assert row["stance"] == "not_answered"


def test_a_one_question_consultation_is_not_read(tmp_path):
    # With one closed question every feature comparing it with the others is outside what
    # the model learned from: a complaint about street lights would be read as disagreement.
    one = (_questions()[0],)
    cons = mock.Mock(closed_questions=one)
    rows = [{"respondent_id": "r1", "question_id": "a", "stance": "not_answered",
             "tick_box": None, "method": "none"}]  # fmt: skip
    implied.implied_rows(rows, {"r1": "The street lights have been out since May."}, {"r1"}, cons)
    assert rows[0]["stance"] == "not_answered"


def test_an_off_topic_letter_stays_not_answered():
    # of-137 (spent, gold not_answered): a young person asks for wifi and to stay with a carer.
    row, _ = _letter_row("stance-items", "of-137")
    assert row["stance"] == "not_answered"


def test_the_benchmark_refuses_held_back_sets(tmp_path):
    assert "stance-items-27" in letter_implied.SPENT
    assert "stance-items-28" not in letter_implied.SPENT
    assert "transport-30" in letter_implied.SPENT_DOCS
    assert not {"ofsted-docs-31", "transport-31"} & set(letter_implied.SPENT_DOCS)
    with pytest.raises(SystemExit):
        letter_implied.item_rows("stance-items-28", tmp_path)
    with pytest.raises(SystemExit):
        letter_implied.doc_rows("transport-31", tmp_path)
    assert not list(tmp_path.iterdir())  # nothing read, nothing written
