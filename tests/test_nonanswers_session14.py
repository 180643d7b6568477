"""Non-answers, session 14: a declined topic named in the question's own words; indifference;
not knowing a term; thanks alone to an open question; an offer to meet. Written after batch
1 and 16's misses; every text below is new (none is in a development set)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core.consultation import load_consultation
from helpers.ingest.nonanswers import load_rule, mark_substantive, without_question_topic

TRANSPORT = Path(__file__).resolve().parents[1] / "data/evaluation/transport/consultation.yaml"
BUSES = "How would the new bus lanes and the evening timetable affect your journeys?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The topic is the question's words (a plural "s" aside): removed.
        ("Nothing further to say about the bus lanes.", "nothing further to say ."),
        ("No comments regarding the evening timetables", "no comments"),
        (
            "We have no observations on journeys, thank you.",
            "we have no observations . thank you .",
        ),
        # A word of the respondent's own ("parking", "because"): kept.
        ("Nothing to add on parking.", "nothing to add on parking ."),
        (
            "No comment on the bus lanes because I cycle",
            "no comment on the bus lanes because i cycle",
        ),
        # Only the topic goes: the view after it stays to be judged.
        ("About the bus lanes: they are too narrow.", ". they are too narrow ."),
    ],
)
def test_without_question_topic(text: str, expected: str) -> None:
    assert without_question_topic(text, BUSES) == expected


@pytest.mark.parametrize(
    ("text", "non_answer"),
    [
        ("I really don't mind either way.", True),
        ("we dont mind much", True),
        ("Not sure what an ETO is, sorry", True),
        ("Dunno what the Equality Duty means", True),
        ("Thanks for listening x", True),
        ("Many thanks.", True),
        ("We'd be very happy to meet your officers to discuss the scheme.", True),
        ("We remain willing to discuss any of this with the project team.", True),
        # Substance beside the same words: kept.
        ("I don't mind the planters but the bus gate must go.", False),
        ("Thanks, but the scheme has ruined our street.", False),
        ("We would be happy to meet, but only if the filters are removed first.", False),
        ("I don't know what the council is thinking, the traffic is worse.", False),
    ],
)
def test_open_question_phrasings(text: str, non_answer: bool) -> None:
    assert load_rule().is_non_answer(text, "open") is non_answer


@pytest.mark.parametrize("text", ["Don't mind.", "Not sure what an ETO is", "Thank you."])
def test_closed_question_keeps_them(text: str) -> None:
    # To a closed question these are the respondent's "don't know"/neither or a courtesy the
    # stance stage reads beside a tick; the open-only phrases never apply.
    assert load_rule().is_non_answer(text, "closed") is False


def test_mark_substantive_reads_the_topic_for_open_questions_only() -> None:
    """transport's ``impacts`` is open ("How would the proposals affect you …?"), ``trial``
    closed: the same declined topic in the question's words is a non-answer only to the first."""
    cons = load_consultation(TRANSPORT)
    answers = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2"],
            "question_id": ["impacts", "trial", "impacts"],
            "answer_text": [
                "We have nothing to add regarding the impacts on our household.",
                "We have nothing to add on the experimental order.",
                "Nothing to add on cycling.",
            ],
        }
    )
    assert mark_substantive(answers, cons)["substantive"].tolist() == [False, True, True]
