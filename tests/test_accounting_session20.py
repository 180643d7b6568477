"""Session 20's accounting changes, on texts written for this test (no development set's).

Respondent types: a title "X – our response" names its author; a campaign's page that invites
supporters to send its words as theirs; a subject the title spells out is a name even when it
starts with a stopword ("Not …"); a body of member bodies named in the plural; a subjectless
description only at a line's start; a capacity answer headed by a bare organisation noun read
by what it says the body is. Non-answers: a question a body did not take up for lack of time.
"""

from __future__ import annotations

import pytest

from helpers.ingest.capacity_types import capacity_answer_type
from helpers.ingest.respondent_types import infer_respondent_type
from helpers.ingest.respondents import infer_organisation
from helpers.ingest.segment.residue import residue_non_answer


def _who(text: str) -> tuple[str | None, str]:
    org = infer_organisation(text)
    return org, infer_respondent_type(text, org)


@pytest.mark.parametrize(
    ("text", "org", "rtype"),
    [
        (
            "Fair Fares Now – our response (please use our words in yours)\n\n"
            "Fares\n\nSingle fares must stay under two pounds. Every rise loses riders.\n",
            "Fair Fares Now",
            "campaign_group",
        ),
        (
            "Hands Off Hollins Park: our submission\n\nSupporters are welcome to copy it.\n\n"
            "The park must not be sold. It is the only green space for the estate.\n",
            "Hands Off Hollins Park",
            "campaign_group",
        ),
        (
            "Not In Our Valley – our response to the planning consultation\n\n"
            "Not In Our Valley is a campaign set up by parents from three villages. We object "
            "to the quarry extension.\n",
            "Not In Our Valley",
            "campaign_group",
        ),
        (
            # A named body writing "our response" without inviting copies: of no listed type.
            "Lantern Lane Makers – our response\n\nWe share two workshops and our members "
            "rely on the late bus.\n",
            "Lantern Lane Makers",
            "other",
        ),
    ],
)
def test_titles_and_campaign_pages(text: str, org: str, rtype: str) -> None:
    assert _who(text) == (org, rtype)


def test_what_is_consulted_on_is_no_author() -> None:
    text = "Riverside Scheme: our response\n\nWe think our street is better now and we hope it stays.\n"
    assert _who(text) == (None, "unknown")


@pytest.mark.parametrize(
    "text",
    [
        # A supporter's card and a letter that mention copying: persons, not the campaign.
        "Dear Sir,\n\nI have signed the card and added my own words below. I walk my son to "
        "school along this road every day and it frightens me.\n\nRuth Ostrowska\n",
        "To the council,\n\nI agree with every word of the residents' leaflet, so I will copy it "
        "out here: keep the library open. My children use it after school.\n",
        # An organisation letting the consulting body quote it is no campaign.
        "I am writing as a parent. Please feel free to use this response in your report. "
        "My daughter waited a year for help.\n",
    ],
)
def test_copying_mentioned_by_persons(text: str) -> None:
    assert _who(text)[1] == "individual"


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        (
            "Upper Vale Churches Together\nResponse to the consultation\n\nWe are a partnership "
            "of nine parishes and chapels who run a food bank and a winter shelter.\n",
            "charity_voluntary",
        ),
        (
            "Response to the transport plan\n\nWe are an alliance of six district councils in "
            "the north of the county, and we ask for the bus grant to be kept.\n",
            "local_authority",
        ),
        (
            # A family is no body of bodies; one parent writing as "I" and "my".
            "We are a family of five. I drive my children to the school on Mill Lane because "
            "the path is unsafe.\n",
            "individual",
        ),
    ],
)
def test_bodies_of_member_bodies(text: str, rtype: str) -> None:
    assert _who(text)[1] == rtype


def test_opening_description_only_at_a_line_start() -> None:
    view = (
        "Harbour Youth Makers\nResponse to the consultation\n\nWe run two evening clubs. A "
        "council that listens to young people spends its money better. We ask for the "
        "youth budget to be kept.\n"
    )
    assert _who(view) == ("Harbour Youth Makers", "other")
    described = (
        "Ember House\nResponse to the consultation\n\nA charity working with homeless young "
        "people in Eastvale since 1998.\n\nWe ask for more supported lodgings.\n"
    )
    assert _who(described) == ("Ember House", "charity_voluntary")


@pytest.mark.parametrize(
    ("answer", "rtype"),
    [
        (
            "The Trustees' Board of the Kingfisher Foundation, which runs two hostels",
            "charity_voluntary",
        ),
        ("The Management Committee of Greenhill Community Trust.", "charity_voluntary"),
        (
            "Organisation: a residents' group of forty households on Dale Street",
            "charity_voluntary",
        ),
        ("An organisation, a registered charity since 2004", "charity_voluntary"),
        # What the body does is not what it is: "local authority areas" is where it works.
        ("Organisation – independent provider of housing in four local authority areas", "other"),
        ("The Board of Hartside Buses", "other"),
    ],
)
def test_capacity_answer_headed_by_a_bare_noun(answer: str, rtype: str) -> None:
    assert capacity_answer_type(answer) == rtype


@pytest.mark.parametrize(
    "text",
    [
        "Not covered, for lack of time.",
        "Nothing from us: we ran out of time.",
        "The panel did not have time to consider this.",
        "Not reached at our meeting owing to a shortage of time.",
    ],
)
def test_not_taken_up_for_lack_of_time(text: str) -> None:
    assert residue_non_answer(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "Social workers have no time to visit.",
        "Not enough time with their personal adviser.",
        "Lack of time with their PA.",
        "No time limit on support.",
    ],
)
def test_time_as_the_answer_is_kept(text: str) -> None:
    assert not residue_non_answer(text, "open")
