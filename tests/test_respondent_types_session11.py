"""Respondent types, session 11: the organisation's name with an appositive ("the Fernside
Project, a small charity in …"): the respondent describing itself, as "we are a charity".

Written after ofsted-docs-10's miss ("… Brightwater Young Parents Project, a small charity in
Kessington"); the texts below are new, with negatives where the words after the name do not
describe it.
"""

from __future__ import annotations

import pytest

from helpers.ingest.respondent_types import infer_respondent_type


@pytest.mark.parametrize(
    ("text", "organisation", "expected"),
    [
        (
            "Please accept this reply from the Fernside Project, a small charity running "
            "a drop-in for young carers.",
            "Fernside Project",
            "charity_voluntary",
        ),
        (
            "Comments from Northgate Lunch Club — a volunteer-run community group for older "
            "residents.",
            "Northgate Lunch Club",
            "charity_voluntary",
        ),
        (
            "Submitted for Harrowby Pathways, an independent charity supporting young people "
            "leaving custody.",
            "Harrowby Pathways",
            "charity_voluntary",
        ),
    ],
)
def test_an_appositive_after_the_name_gives_the_type(text, organisation, expected) -> None:
    assert infer_respondent_type(text, organisation) == expected


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        # the words after the name say whom it works with, not what it is
        (
            "Reply from the Fernside Project, working closely with the county council.",
            "Fernside Project",
        ),
        (
            "Reply from the Fernside Project, a partner of the county council for ten years.",
            "Fernside Project",
        ),
        # "the", not "a": another body named
        ("Reply from the Fernside Project, the council's delivery partner.", "Fernside Project"),
    ],
)
def test_words_after_the_name_that_do_not_describe_it_are_not_its_type(text, organisation) -> None:
    assert infer_respondent_type(text, organisation) == "other"
