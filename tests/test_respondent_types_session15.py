"""A capacity answer headed by an organisation noun (session 15, ``organisation_capacity_type``).

Answers written for this test, none from a development set: a body that says what it is
by its own noun is typed by that noun, or ``other``, even when a word inside the answer is
one a person's capacity uses; a person's answer whose noun only qualifies the head is
left to the other rules.
"""

from __future__ import annotations

import pytest

from helpers.ingest.respondent_types import head_noun_type, organisation_capacity_type


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
