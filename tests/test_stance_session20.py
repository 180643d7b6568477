"""Session 20's lexicon readings (issue 13): a request that carries the verdict, a timetable
judged too fast, and a position put off until more is seen, on phrasings written for these
tests after the change (a cycle lane, speed humps, wardens, a library, a market), not the
spent items the phrases were read from.

The phrases are generic English in ``data/stance_lexicon.yaml``: "Keep it." and "Remove
them." ending a sentence (an object other than a pronoun is the status quo or something
else: "keep it as it is", "rip it out later"), "don't repeat it", "later, please", "not
again.", "too tight/quick/fast", "need to see the/a/how/what".
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.discourse import refine


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The cycle lane has cut ten minutes off my ride to work. Keep it.", "agree"),
        ("My kids walk to school on their own now. Keep them!", "agree"),
        ("Honestly the market's busier than it has been for years, keep it going.", "agree"),
        ("The humps have wrecked two of my tyres. Remove them.", "disagree"),
        (
            "We had wardens in 2019 and they cost a fortune for nothing. Don't repeat it.",
            "disagree",
        ),
        ("Every bollard cost more than a nurse's wage. Get rid of them.", "disagree"),
        ("Six weeks to redesign every timetable? Far too tight.", "disagree"),
        ("Later, please. Staff haven't even been trained.", "disagree"),
        (
            "Our lane had one for a year and the traffic just moved to the next road. Not again.",
            "disagree",
        ),
        ("A year to get ready is not too tight for us.", "agree"),
    ],
)
def test_a_request_or_a_timetable_judgement_is_the_position(text, stance):
    assert _read(text) == stance


@pytest.mark.parametrize(
    "text",
    [
        "I'd need to see the costings first.",
        "We need to see how the loan system would work before we could answer.",
    ],
)
def test_a_position_put_off_until_more_is_seen_is_dont_know(text):
    assert _read(text) == "dont_know"


@pytest.mark.parametrize(
    ("text", "not_stance"),
    [
        ("Keep it as it is.", "agree"),  # the status quo, not the scheme
        ("Cheaper to build it now than to rip it out later. Yes.", "disagree"),
        ("Please keep the library open on Sundays as it always has been.", "agree"),
    ],
)
def test_requests_that_are_not_the_verdict(text, not_stance):
    assert _read(text) != not_stance


@pytest.mark.parametrize(
    "text",
    [
        "Before the lane my ride took 25 minutes, now it's 15. Keep it.",
        "The shuttle used to come every 30. Same here, please.",
    ],
)
def test_a_number_ending_the_sentence_before_is_no_count(text):
    # "12. Keep it": the sentence's full stop is not part of a count ("104 in favour").
    assert _read(text) == "agree"


def test_a_count_is_still_a_count():
    from helpers.stance.concession import reported

    assert reported("at the meeting 104 in favour", 19)
    assert reported("of 1,200 residents, 1,050 were against", 31)
    assert not reported("it took 12. keep it.", 12)
