"""Session 15's readings in the discourse reader (issue 13), on phrasings written for these tests.

The rules were written from the spent sets' direction errors (care leavers' inspection,
a low-traffic scheme); these sentences are about other proposals (a swimming pool's
hours, a school's start time, a parking zone) in other voices, with negatives.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.discourse import refine
from helpers.stance.scope import asked_back, others_view, past_view


def _read(text: str):
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # other people's view reported, the respondent's own after it
        ("Half the parents at the gate say the later start is a disaster. Having tried it for a "
         "month, I'm in favour.", "agree"),
        ("Critics claim the parking zone is a good idea. We oppose it.", "disagree"),
        # the respondent's own voice in the same sentence keeps its weight
        ("Critics claim the new hours are pointless, and I agree with them.", "agree"),
        # the question restated is the consultation's, the reply the respondent's
        ("You're asking whether we support longer pool hours. Our answer is no: the staff "
         "cannot cover them.", "disagree"),
        ("The council asks if residents agree with a permit zone. My answer is yes, with caveats.",
         "agree"),
        # an answer once given, since changed
        ("Last spring I'd have said yes. Now, after a term of it, we cannot support it.",
         "disagree"),
        # a body whose members are split takes no side
        ("Our allotment society is divided over the Sunday opening. The younger plot-holders "
         "love the idea, the older ones hate it.", "neither"),
        ("The governors could not agree on the new start time.", "neither"),
        ("Staff views are split, so the union has not formed a view.", "neither"),
        # negatives: the plain forms read as written
        ("I'd say no one has asked the swimmers.", "not_answered"),
        ("We support the parking zone.", "agree"),
    ],
)  # fmt: skip
def test_session15_readings(text, stance):
    assert _read(text).stance == stance


def test_others_view_is_a_third_party_only():
    t = "some parents argue that it is pointless."
    assert others_view(t, t.index("pointless"))
    t = "our members say it is pointless."
    assert not others_view(t, t.index("pointless"))
    t = "many say it is pointless, but i think it is a good idea."
    assert not others_view(t, t.index("good"))


def test_asked_back_only_in_the_restated_question():
    t = "you ask whether we support it. we do not support it."
    assert asked_back(t, t.index("support"))
    assert not asked_back(t, t.rindex("support"))


def test_a_past_answer_given_up():
    t = "i'd have said yes. now i'm not so sure."
    assert past_view(t, t.index("yes"), t.index("yes") + 4)
    t = "i'd have said yes and i still would."
    assert not past_view(t, t.index("yes"), t.index("yes") + 3)


def test_a_letter_sentence_is_placed_by_what_its_position_is_about():
    """A letter's sentence naming two questions goes to the one its position word's object
    names ("support opening on Sundays"), not to the one whose words it uses most."""
    from helpers.core.consultation import parse_consultation
    from helpers.stance.unstructured import unstructured_stances

    consultation = parse_consultation(
        {
            "id": "town",
            "title": "Town services",
            "questions": [
                {"id": "lane", "kind": "closed", "short": "A cycle lane on the high street",
                 "text": "Do you agree with a cycle lane along the high street?"},
                {"id": "library", "kind": "closed", "short": "Sunday opening",
                 "text": "Do you agree with opening the library on Sundays?"},
            ],
        },
        where="test.yaml",
    )  # fmt: skip
    text = (
        "Dear council,\n\nI write as a cyclist who shops on the high street every week.\n\n"
        "For the cyclists and shoppers of the high street, I fully support opening on Sundays.\n\n"
        "Yours,\nA resident"
    )
    got = unstructured_stances(text, [(0, len(text))], tuple(consultation.closed_questions))
    assert got["library"].stance in ("agree", "strongly_agree")
    assert "lane" not in got


@pytest.mark.xfail(
    strict=True,
    reason="limit: a split stated in the same sentence as the members' "
    "own positions is outweighed by them (docs/stance.md, session 15)",
)
def test_a_split_in_one_sentence_with_the_members_views():
    text = (
        "Our allotment society is divided over the Sunday opening; the younger plot-holders "
        "love the idea, the older ones hate it."
    )
    assert _read(text).stance == "neither"
