"""Non-answers, session 13: a tick restated in words; the modal forms of "don't know"; two
languages joined by a dash. Written after batch 15's misses; every text below is new."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core.consultation import load_consultation
from helpers.ingest.nonanswers import load_rule, restates_tick, tick_side
from helpers.ingest.segment.substantive import mark, two_language_non_answer

CONSULTATION = Path(__file__).resolve().parents[1] / "data/evaluation/transport/consultation.yaml"


@pytest.mark.parametrize(
    ("text", "tick", "restated"),
    [
        ("Yep, definitely", "Agree", False),  # two units: not one bare restatement
        ("Yes definitely!", "strongly_agree", True),
        ("Aye.", "Tend to agree", True),
        ("Nah", "Strongly disagree", True),
        ("No particular preference either way", "Neither agree nor disagree", True),
        ("Not sure yet", "Don't know", True),
        ("No.", "Tend to agree", False),  # "any comments? no"
        ("Yes", "Disagree", False),
        ("Not sure yet", "neither", False),
        ("Nothing to add", "agree", False),
        ("Yes", None, False),
    ],
)
def test_restates_tick(text: str, tick: str | None, restated: bool) -> None:
    assert restates_tick(text, tick) is restated


def test_tick_side_reads_labels_and_codes() -> None:
    assert tick_side("☒ Strongly disagree") == "disagree"
    assert tick_side("strongly_agree") == "agree"
    assert tick_side("Neither agree nor disagree") == "neither"
    assert tick_side("dont_know") == "dont_know"


def test_tick_side_reads_what_the_tick_box_reader_reads() -> None:
    # "No opinion" is the don't-know option, not a "no"; a 1-5 code is read as a scale.
    assert tick_side("No opinion") == "dont_know"
    assert tick_side("2") == "agree"
    assert tick_side("Tend to disagree") == "disagree"
    assert tick_side("☒ Yes") == "agree" and tick_side("No") == "disagree"
    assert tick_side("Not answered") is None and tick_side("") is None


def test_a_restated_tick_is_kept_and_a_no_comment_beside_it_is_not() -> None:
    cons = load_consultation(CONSULTATION)
    closed = next(q.id for q in cons.questions if q.kind == "closed")
    df = pd.DataFrame(
        {
            "respondent_id": ["a", "b", "c"],
            "question_id": [closed] * 3,
            "answer_text": ["Yes please.", "No comment", "No."],
            "tick_box": ["Strongly agree", "Strongly agree", "Agree"],
        }
    )
    assert mark(df, cons)["substantive"].tolist() == [True, False, False]


@pytest.mark.parametrize(
    "text", ["I wouldn't know", "We couldn't really say", "Can't tell you", "i would not know."]
)
def test_modal_dont_know_is_a_non_answer_to_an_open_question(text: str) -> None:
    rule = load_rule()
    assert rule.is_non_answer(text, "open")
    assert not rule.is_non_answer(text, "closed")  # the dont_know position there


def test_modal_dont_know_with_more_is_substantive() -> None:
    assert not load_rule().is_non_answer("I couldn't say whether the gate helps buses", "open")


@pytest.mark.parametrize(
    ("text", "non"),
    [
        ("Dim syniad – I wouldn't know", True),
        ("Aucun commentaire — no comment", True),
        ("Bus lane – we need one on Mill Road", False),
        ("No comment – thanks", False),  # both halves English: judged as one answer elsewhere
    ],
)
def test_two_languages_joined_by_a_dash(text: str, non: bool) -> None:
    assert two_language_non_answer(text, "open") is non
