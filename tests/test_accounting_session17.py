"""Session 17's accounting changes, on texts written for this test (no development set's).

Respondent types: a trade union named for its workers, a students' union, a group named for
people with an irregular plural, a brand name and a dash before what the body is, a form's
"Completed by:" line, a spouse named beside the writer, a question word opening a title.
Campaign copies: one question far above the null is enough (``campaign_pairs._enough``), a
corroborated ungrouped answer joins its partner's group, a form's option lines are not
compared (``copyunits.without_option_lines``). Non-answers: "Ans. 2" is an answer number.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.ingest import campaign_pairs, campaign_rows
from helpers.ingest.capacity_types import capacity_answer_type
from helpers.ingest.copyunits import without_option_lines
from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.respondent_types import infer_respondent_type
from helpers.ingest.respondents import infer_organisation


def _who(text: str) -> tuple[str | None, str]:
    org = infer_organisation(text)
    return org, infer_respondent_type(text, org)


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        (
            "Northdale Nurses' Union, Eastfield Branch\nSubmission to the review\n\n"
            "Our members voted to oppose the changes. We ask the board to think again.\n",
            "professional_body",
        ),
        (
            "Response from Lowmoor College Students' Union\n\nWe support the plan, and our "
            "members asked us to say that evening buses matter most.\n",
            "charity_voluntary",
        ),
        (
            "Harlow School Nurses' Forum\nOur response to the consultation\n\n"
            "We are worried about caseloads and we ask for more time per pupil.\n",
            "professional_body",
        ),
        (
            "Westbury Women's Group\nOur comments on the library plan\n\n"
            "We meet every Tuesday and our members rely on the room.\n",
            "charity_voluntary",
        ),
        (
            "Kestrel – Older Carers' Network\nResponse to the council\n\n"
            "We are worried about the proposal and we ask for a meeting.\n",
            "charity_voluntary",
        ),
    ],
)
def test_bodies_named_by_what_they_are(text: str, rtype: str) -> None:
    org, got = _who(text)
    assert org is not None
    assert got == rtype


def test_a_dash_letterhead_is_the_whole_line() -> None:
    text = "Kestrel – Older Carers' Network\nResponse to the council\n\nWe object.\n"
    assert infer_organisation(text) == "Kestrel – Older Carers' Network"


def test_a_person_and_their_role_after_a_dash_is_no_letterhead() -> None:
    text = "Jo Reid – retired nurse\n\nI think the clinic should stay open. My mother uses it.\n"
    assert _who(text) == (None, "individual")


def test_completed_by_with_a_colon_names_the_company() -> None:
    text = (
        "Response form\nCompleted by: Priya Shah, Operations Manager, Fenwick Logistics Ltd\n\n"
        "Section 1\n\nWe run twelve vans from the depot and our drivers start at six.\n"
    )
    assert _who(text) == ("Fenwick Logistics Ltd", "other")


def test_a_spouse_named_beside_the_writer_is_a_household() -> None:
    text = (
        "12 Elm Row\nDunford\n\nDear Sir,\n\nMy wife Sarah and I have kept an allotment here "
        "for twenty years. We would like the gate kept open. Our neighbours agree with us.\n"
    )
    assert _who(text)[1] == "individual"


def test_a_question_word_opening_a_title_is_no_name() -> None:
    text = "What this response covers\n\nWe set out our view on each question below.\n"
    assert infer_organisation(text) is None


def test_a_membership_body_answering_the_capacity_question() -> None:
    answer = "The Guildry is a membership body for independent opticians in the three counties."
    assert capacity_answer_type(answer) == "professional_body"


def test_one_question_far_above_the_null_is_enough() -> None:
    hit = ("q2", 31.0, 0.6, "a", "b")
    assert campaign_pairs._enough([hit])
    assert not campaign_pairs._enough([("q2", 12.0, 0.4, "a", "b")])
    # a small null: the deviations are not read alone
    assert not campaign_pairs._enough([hit], single_ok=False)
    # a cross-question hit never stands alone
    assert not campaign_pairs._enough([("q1\0q2", 40.0, 0.6, "a", "b")])
    # two questions, as before
    assert campaign_pairs._enough([("q1", 7.0, 0.3, "a", "b"), ("q2", 6.5, 0.3, "a", "b")])


def test_a_corroborated_answer_joins_its_partners_group() -> None:
    group = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2"],
            "question_id": "q1",
            "rank": 1.0,
            "key": [b"k1", b"k2"],
            "leader": [b"k1", b"k1"],
            "similarity": [100.0, 96.0],
            "is_rep": [True, False],
        }
    )
    pairs = [("q1", "r2", "r7", 30.0, 0.55), ("q1", "r1", "r7", 25.0, 0.5)]
    rows = campaign_rows._joined_members(pairs, [group], {"q1": 1.0})
    assert len(rows) == 1
    joined = rows[0]
    assert joined["respondent_id"].tolist() == ["r7"]
    assert joined["leader"].tolist() == [b"k1"]
    assert joined["similarity"].tolist() == [55.0]
    # both grouped already, or neither: nothing joins
    assert campaign_rows._joined_members([("q1", "r1", "r2", 30.0, 0.5)], [group], {}) == []
    assert campaign_rows._joined_members([("q1", "r8", "r9", 30.0, 0.5)], [group], {}) == []


def test_printed_options_are_not_compared() -> None:
    card = (
        "Tend to agree\nTend to disagree  X\nNot sure\n☐ Prefer not to say\n\n"
        "Keep the ferry running on Sundays: it is the only way to the island."
    )
    assert without_option_lines(card).strip() == (
        "Keep the ferry running on Sundays: it is the only way to the island."
    )
    # one opening "Agree." is the sender's word, and a sentence starting with an option stays
    own = "Agree.\n\nThe ferry matters to us."
    assert without_option_lines(own) == own
    prose = "Agree with the ferry plan\nDisagree with the fares"
    assert without_option_lines(prose) == prose


@pytest.mark.parametrize(
    ("text", "substantive"),
    [
        ("Dealt with under Ans. 4 above.", False),
        ("As per ans 2 and ans 3.", False),
        ("Ans 2 of the survey said the opposite, which worries me.", True),
        ("n/k", False),
        ("NK Bus Services run the 12 every hour.", True),
    ],
)
def test_an_abbreviated_answer_number_is_a_reference_back(text: str, substantive: bool) -> None:
    assert is_substantive(text) is substantive
