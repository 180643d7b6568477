"""A very short message's first paragraph as its first answer (``segment.shortmessage``).

Found on batch 23 ("We support the separate judgement.", "No to the planters.": two
e-mails whose first line was dropped as the letter's opening); these tests use another
consultation (``test_segment_styles``, a high-street bus lane) and wordings written for
them. The rule runs on the letter decoder's labels; here the labels and each unit's
closeness to the questions' answers are given by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from test_segment_styles import CONSULTATION

from helpers.core import schemas
from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import learned
from helpers.ingest.segment.shortmessage import opening_answer

NONE = learned.NONE


@pytest.fixture(scope="module")
def questions():
    return tuple(parse_consultation(yaml.safe_load(CONSULTATION), where="test").questions)


def _read(questions, paragraphs, labels, kinds=None, sims=None):
    """``opening_answer`` on a message of blank-line ``paragraphs`` the decoder labelled
    ``labels``; the rules' choice is the decoder's; ``sims``: closeness to each question."""
    text = "\n\n".join(paragraphs)
    units, pos = [], 0
    for i, p in enumerate(paragraphs):
        kind = (kinds or {}).get(i, labels[i] if labels[i] != NONE else schemas.UNSTRUCTURED)
        units.append(
            learned.Unit(pos, pos + len(p), labels[i], kind, "paragraph", 0.5, True, False)
        )
        pos += len(p) + 2
    cs = np.zeros((len(paragraphs), len(questions))) if sims is None else np.asarray(sims)
    return opening_answer(text, units, labels, questions, cs)


LATER = "Parking should stay on the west side, and the loading bays are far too small for lorries."


@pytest.mark.parametrize(
    "first",
    ["We oppose the bus lane.", "Yes to the bus lane.", "The bus lane: absolutely not."],
)
def test_a_first_line_naming_a_question_answers_it(questions, first):
    assert _read(questions, [first, LATER], [NONE, "q4"]) == ["q1", "q4"]


def test_a_bare_position_answers_the_first_closed_question_open_to_it(questions):
    # "Yes, go ahead." names no question: of the closed questions before the next
    # answer (q2), only q1 is open; with no answer after it, the first of q1 and q3,
    # however much nearer q3 is in meaning; with q1 answered later, q3.
    assert _read(questions, ["Yes, go ahead.", "It would cut my commute."], [NONE, "q2"]) == [
        "q1",
        "q2",
    ]
    sims = [[0.0, 0.1, 0.0, 0.4, 0.0, 0.0, 0.0], [0.0] * 7]
    got = _read(questions, ["I am all for it.", "Thanks."], [NONE, NONE], sims=sims)
    assert got == ["q1", NONE]
    got = _read(questions, ["I am all for it.", "The lane too."], [NONE, "q1"], sims=sims)
    assert got == [NONE, "q1"]  # q1 answered after it, and q3 comes after q1
    got = _read(questions, ["Yes, go ahead.", LATER], [NONE, "q4"], sims=sims)
    assert got == ["q1", "q4"]


@pytest.mark.parametrize(
    "first",
    [
        "Dear Sir or Madam,",
        "I am writing about the consultation on the High Street.",
        "Please see my thoughts below.",
        "I am a retired bus driver and have lived in the town for forty years.",
    ],
)
def test_an_opening_stays_an_opening(questions, first):
    assert _read(questions, [first, LATER], [NONE, "q4"]) == [NONE, "q4"]


def test_only_a_question_before_the_next_answer_and_not_answered_again(questions):
    # The timing question (3) comes after the parking answer's question (4)? No: 3 < 4,
    # so it may answer; before the journeys answer (2) it may not.
    first = "Spring is far too soon to start the construction period."
    assert _read(questions, [first, LATER], [NONE, "q4"])[0] == "q3"
    assert _read(questions, [first, "It would cut my commute."], [NONE, "q2"])[0] == NONE
    # the bus lane is answered by the next paragraph already
    assert _read(questions, ["No to the bus lane.", "The bus lane is a waste."], [NONE, "q1"]) == [
        NONE,
        "q1",
    ]


def test_only_a_very_short_message(questions):
    five = ["We oppose the bus lane.", LATER, LATER, LATER, LATER]
    assert _read(questions, five, [NONE, "q4", "q4", "q4", "q4"])[0] == NONE
    long_first = "We oppose the bus lane " + "because it is in the wrong place " * 4 + "."
    assert _read(questions, [long_first, LATER], [NONE, "q4"])[0] == NONE
    # a sign-off is not counted among the message's paragraphs
    signed = ["We oppose the bus lane.", LATER, "Regards,", "Jo", "High Street Traders"]
    kinds = {2: schemas.CLOSING, 3: schemas.CLOSING, 4: schemas.CLOSING}
    labels = [NONE, "q4", NONE, NONE, NONE]
    assert _read(questions, signed, labels, kinds=kinds) == ["q1", "q4", NONE, NONE, NONE]


def test_a_paragraph_someone_placed_is_left_alone(questions):
    # the decoder's label stands; so does a first line the rules placed and the decoder moved
    assert _read(questions, ["We oppose the bus lane.", LATER], ["q6", "q4"])[0] == "q6"
    text = ["We oppose the bus lane.", LATER]
    units = [
        learned.Unit(0, len(text[0]), "q6", "q6", "meaning", 0.5, True, False),
        learned.Unit(
            len(text[0]) + 2, len(text[0]) + 2 + len(LATER), "q4", "q4", "p", 0.5, True, False
        ),
    ]
    cs = np.zeros((2, len(questions)))
    assert opening_answer("\n\n".join(text), units, [NONE, "q4"], questions, cs)[0] == NONE


def test_one_shared_word_is_too_weak_to_choose_a_question(questions):
    # "summer" is one word of the timing question's text (lead score 0.5, under
    # CLEAR_TOPIC): the message's first line answers the first closed question, as a
    # bare position does; the question's own phrase ("construction period") names it.
    assert _read(questions, ["Wait until the summer.", "Thanks."], [NONE, NONE])[0] == "q1"
    first = "Spring is far too soon to start the construction period."
    assert _read(questions, [first, "Thanks."], [NONE, NONE])[0] == "q3"
    # a weak word and no closed question open to it: left alone
    assert _read(questions, ["Wait until the summer.", "The lane too."], [NONE, "q1"])[0] == NONE
