"""Respondent types added in session 10 (issue 12): a capacity heading the segmenter did not
match, what the opening line says the writer is, "As a <role> … I", groups named for their
members, and networks of a profession.

The names, headings and roles below were written for these tests, unlike the batch-12
documents the rules came from; negatives sit beside each (a heading with no type in its
answer, a dash line that is a heading, "As a result, I", a network of no profession).
"""

from __future__ import annotations

import pytest

from helpers.core.consultation import default_respondent_types
from helpers.ingest.authorship import find_authorship
from helpers.ingest.respondent_types import (
    capacity_type,
    described_type,
    infer_respondent_type,
    map_respondent_type,
    type_of_name,
)


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        ("Section A: About you\nParent of a Year 9 pupil at the school\n\nSection B", "individual"),
        ("Your capacity: Local authority (adult social care)\n\nQ1 …", "local_authority"),
        (
            "In which capacity are you responding?\n\nA registered charity\n\nQuestion 2",
            "charity_voluntary",
        ),
        ("Who are you?\nI run a small business on the high street", "other"),
    ],
)
def test_the_answer_under_a_capacity_heading_gives_the_type(text, rtype):
    assert capacity_type(text, default_respondent_types()) == rtype


@pytest.mark.parametrize(
    "text",
    [
        "About you\nOn behalf of an organisation\n\nQuestion 1",  # no type in the words
        "We are writing about the capacity of the car park.\nIt is full by nine.",  # no heading
        "Question 1: Capacity of the new hall\nIt holds too few people for the choir.",
    ],
)
def test_no_type_from_a_capacity_heading_without_one(text):
    assert capacity_type(text, default_respondent_types()) is None


def test_a_couple_named_on_the_opening_line_write_as_a_household():
    text = (
        "From Priya and Dev Shah, parents of two pupils at the primary school.\n\n"
        "We have read the proposals and we think our children would lose out.\n\n"
        "Priya and Dev"
    )
    who = find_authorship(text)
    assert who.household and who.named_as == "parents of two pupils at the primary school"
    assert infer_respondent_type(text, None) == "individual"


@pytest.mark.parametrize(
    ("line", "rtype"),
    [
        ("Aled Hughes – Tenants' group, Bryn Estate", "charity_voluntary"),
        ("Marta Nowak, parent of three", "individual"),
    ],
)
def test_what_the_opening_line_says_the_writer_is(line, rtype):
    text = f"{line}\n\nWe want the bus to keep running after six. It is our only way to work."
    assert infer_respondent_type(text, None) == rtype


@pytest.mark.parametrize(
    "line",
    [
        "Bus Gate – strongly disagree",  # a heading and an answer, not a person and a role
        "Westbrook Rovers - response to the consultation",
        "Dear Sir, we write about the plans",
    ],
)
def test_an_opening_line_that_names_no_writer_says_nothing(line):
    who = find_authorship(f"{line}\n\nWe think the plan is wrong for the town.")
    assert described_type(who.named_as or "", default_respondent_types()) is None


def test_as_a_role_before_the_writers_own_i_is_a_person():
    text = (
        "As a childminder for nine years I see what happens when families lose the bus. "
        "Please keep it running; we all rely on it."
    )
    assert infer_respondent_type(text, None) == "individual"


def test_as_a_result_i_is_no_role():
    text = "As a result, I think we should wait. Our group will discuss it again. We meet monthly."
    assert infer_respondent_type(text, None) != "individual"


@pytest.mark.parametrize(
    ("name", "rtype"),
    [
        ("Regional Network of School Business Managers", "professional_body"),
        ("Forum of Independent Housing Officers", "professional_body"),
        ("Parents' Network", "charity_voluntary"),
        ("Young Carers' Forum", "charity_voluntary"),
        ("Eastfield Youth Forum", "charity_voluntary"),  # unchanged: a forum
        ("Network Rail", None),  # a network of no profession
    ],
)
def test_groups_named_for_their_members_and_networks_of_a_profession(name, rtype):
    assert type_of_name(name, default_respondent_types()) == rtype


@pytest.mark.parametrize(
    ("answer", "rtype"),
    [
        ("A professional network of hospital pharmacists", "professional_body"),
        ("Professional forum for school nurses", "professional_body"),
        ("A professional working in the sector", None),  # a person, not a body
    ],
)
def test_a_professional_network_answers_as_a_professional_body(answer, rtype):
    assert map_respondent_type(answer, default_respondent_types()) == rtype


@pytest.mark.parametrize(
    ("title", "org"),
    [
        (
            "Response from Tŷ Gwyn Chapel to Westmoor Borough Council's consultation.",
            "Tŷ Gwyn Chapel",
        ),
        (
            "Submission from the Lark Rise Allotment Society to the parking review.",
            "Lark Rise Allotment Society",
        ),
        # a name holding "to" keeps it
        ("Response from the Right to Roam Campaign.", "Right to Roam Campaign"),
        (
            "Response from Access to Justice Network to the consultation.",
            "Access to Justice Network",
        ),
    ],
)
def test_the_consultation_named_after_to_is_not_part_of_the_author(title, org):
    text = f"{title}\n\nWe have met to discuss the plans and we oppose them."
    assert find_authorship(text).organisation == org


@pytest.mark.parametrize(
    "text",
    [
        "Hi,\nI run the Blue Door Bakery on Quay Street. Half my takings come before 9am.\nTom",
        "As a salon owner I rely on clients parking for an hour at a time.\nJune Akers",
        "I own Harrow & Daughters on the parade and I would lose my delivery slot.",
        "My own small business depends on the van getting through.\nRegards, Kemi",
    ],
)
def test_a_business_owner_writing_as_i_answers_for_the_business(text):
    assert infer_respondent_type(text, None) == "other"


@pytest.mark.parametrize(
    "text",
    [
        "I work in a shop on the high street and I take the bus there. My shift starts at six.",
        "I shop at the market every Saturday and my bag is heavy. I need the bus.",
        "My daughter runs a café and I help her at weekends. I think the plan is wrong.",
    ],
)
def test_working_in_or_using_a_business_is_not_running_one(text):
    assert infer_respondent_type(text, None) == "individual"
