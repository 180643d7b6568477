"""Session 21 (issue 13): the writer's own split and Markdown emphasis in the reservation finder.

Phrasings written for these tests (a bus lane, a market, a school street), not taken
from any item set.
"""

from __future__ import annotations

import pytest

from helpers.stance import reservation_model as rm
from helpers.stance.reservation_split import own_split, plain
from helpers.stance.reservations import add_reservations, learned_reservation, split_reservation


@pytest.mark.parametrize(
    "sentence",
    [
        "Call it 75/25 for the bus lane.",
        "I'm 85 per cent behind the market move.",
        "Roughly 65-35 against, to be fair to the traders.",
        "About 80% sure the school street will work.",
        "Most of me says yes – maybe 60% of me.",
    ],
)
def test_own_split_is_read(sentence: str) -> None:
    assert own_split(["Thanks for asking.", sentence]) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "50/50 on the bus lane.",  # no side: neither, not a qualified side
        "9/10 from me, a great idea.",  # a score, not a split
        "100% for it.",  # emphasis
        "A survey of 400 traders found 65% opposed.",  # others' count
        "The market moved 20 metres and trade rose 15 per cent.",
        "Fifty-fifty, really.",  # shares in words are not read
        "Open it 7-10am only.",
    ],
)
def test_no_split(sentence: str) -> None:
    assert own_split([sentence]) is None


def test_plain_drops_emphasis_and_struck_words() -> None:
    assert plain("Fine – _as long as_ it runs. I ~~back~~ backed it. **Not** now.") == (
        "Fine – as long as it runs. I  backed it. Not now."
    )
    assert plain("snake_case, __ _ a_b and 2*3 stay") == "snake_case, __ _ a_b and 2*3 stay"


def test_underscored_condition_is_found_by_the_finder() -> None:
    # "_as long as_" glued the underscores onto the words: no phrase or n-gram matched
    # (the release scored this 0.07); read as the words it marks it is a reservation.
    row: rm.Row = (False, "agree", "text", False)
    text = "Fine by me – _as long as_ the buses still run on time."
    assert learned_reservation([text], (0, 0, len(text)), row) == (0, 0, len(text))


def test_add_reservations_flags_the_split_sentence() -> None:
    text = "Thanks for the leaflet. I'm about 75/25 for the bus lane."
    rows = [
        {"respondent_id": "r1", "question_id": "q1", "stance": "agree", "method": "text",
         "reservations": False, "conflict": False, "start": 24, "end": len(text)},
    ]  # fmt: skip
    add_reservations(rows, {"r1": text}, {})
    assert rows[0]["reservations"] is True
    assert rows[0]["reservation"] == "I'm about 75/25 for the bus lane."
    assert text[rows[0]["reservation_start"] : rows[0]["reservation_end"]] == rows[0]["reservation"]


def test_add_reservations_leaves_an_even_split_alone() -> None:
    text = "Honestly 50/50 on the bus lane."
    rows = [
        {"respondent_id": "r1", "question_id": "q1", "stance": "neither", "method": "text",
         "reservations": False, "conflict": False, "start": 0, "end": len(text)},
    ]  # fmt: skip
    add_reservations(rows, {"r1": text}, {})
    assert rows[0]["reservations"] is False


def test_split_outside_the_stance_sentence_is_not_read() -> None:
    # A segment running on into another question's answer: the split is not this position's.
    text = "No real view on the bus lane. The market: I'm 80% for it."
    assert split_reservation([text], (0, 0, 29)) is None
    assert split_reservation([text], (0, 30, len(text))) == (0, 30, len(text))
