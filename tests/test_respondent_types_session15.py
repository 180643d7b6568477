"""A capacity answer headed by an organisation noun (session 15, ``organisation_capacity_type``).

Answers written for this test, none from a development set: a body that says what it is
by its own noun is typed by that noun, or ``other``, even when a word inside the answer is
one a person's capacity uses; a person's answer whose noun only qualifies the head is
left to the other rules.
"""

from __future__ import annotations

import pytest

from helpers.ingest.capacity_types import head_noun_type, organisation_capacity_type


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Mosque (on behalf of the management committee)", "charity_voluntary"),
        ("Parents' forum at Hillside Primary", "charity_voluntary"),
        ("A sixth-form college, answering for its student services", "other"),
        ("Family support agency (Limited) – 30 staff", "other"),
        ("Regional hospice", "charity_voluntary"),
        ("District council (planning department)", "local_authority"),
        ("Residents' association for the Eastfield estate", "charity_voluntary"),
        ("Small catering company", "other"),
    ],
)
def test_a_body_is_typed_by_its_head_noun(answer: str, expected: str) -> None:
    assert organisation_capacity_type(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "Council tenant",
        "Volunteer at the food bank charity",
        "Teacher in a secondary school",
        "Retired nurse",
        "Parent of a child at the academy",
        "Member of the parish church",
        "",
    ],
)
def test_a_person_is_left_to_the_other_rules(answer: str) -> None:
    assert organisation_capacity_type(answer) is None


def test_head_noun_must_end_the_clause() -> None:
    assert head_noun_type("Church") == "charity_voluntary"
    assert head_noun_type("Church of England parish") is None
    assert head_noun_type("Council tax payer") is None


def test_unknown_documents_are_typed_from_a_capacity_answer_placed_later() -> None:
    """After the meaning pass: an ``unknown`` document with a profile answer is typed from it;
    a type found before, a survey frame and a document with no profile answer are left."""
    import pandas as pd

    from helpers.core.consultation import Consultation, Question
    from helpers.ingest.capacity_types import type_unknown_from_capacity

    cons = Consultation(
        id="c",
        title="t",
        questions=[
            Question(id="who", text="In what capacity are you responding?", kind="profile"),
            Question(id="q1", text="Any comments?", kind="open"),
        ],
    )
    rows = [
        {"respondent_id": "a", "respondent_type": "unknown", "source_row": None},
        {"respondent_id": "b", "respondent_type": "individual", "source_row": None},
        {"respondent_id": "c", "respondent_type": "unknown", "source_row": None},
        pd.DataFrame({"respondent_id": ["s#1"], "respondent_type": ["unknown"]}),
    ]
    answers = [
        pd.DataFrame(
            {
                "respondent_id": ["a", "b", "c"],
                "question_id": ["who", "who", "q1"],
                "answer_text": [
                    "Eastmoor District Council – housing team, for the council",
                    "Kestrel Sailing Club (members' view)",
                    "We are a parish council.",
                ],
            }
        )
    ]
    assert type_unknown_from_capacity(rows, answers, cons) == 1
    assert rows[0]["respondent_type"] == "local_authority"
    assert rows[0]["respondent_type_source"] == "inferred"
    assert rows[1]["respondent_type"] == "individual"
    assert rows[2]["respondent_type"] == "unknown"
