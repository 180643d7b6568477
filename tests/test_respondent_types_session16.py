"""Who wrote a response: session 16's general cues (``authorship``, ``respondent_types``).

Texts written for this test, none from a development set: a named body's letterhead with
an address in brackets; a consultation's own multi-word name of a body; "<Name> responds";
a pronoun is no name; a couple named over their address or in a "From:" line; one "I"
with no "we"; a body an agent writes for; a body that calls itself "the club"; the ways a
voluntary body says what it is without the word "charity"; a numbered "About us" label.
"""

from __future__ import annotations

import pytest

from helpers.core.type_rules import default_respondent_types, parse_respondent_types
from helpers.ingest.respondent_types import behalf_type, collective_type, infer_respondent_type
from helpers.ingest.respondents import infer_organisation


def _who(text: str, rules=None) -> tuple[str | None, str]:
    org = infer_organisation(text, rules)
    return org, infer_respondent_type(text, org, rules)


@pytest.mark.parametrize(
    ("text", "org", "rtype"),
    [
        # an address in brackets after a letterhead's name is not part of the name
        (
            "Hollybank Tenants' Association (Brookfield BF2)\nOur comments on the plans\n\n"
            "We object to the closure of Mill Lane.\n",
            "Hollybank Tenants' Association",
            "charity_voluntary",
        ),
        # "<Name> responds below": the body describing what it does
        (
            "Dear Sir or Madam,\n\nThe Institute of Highway Planners (IHP) responds below to "
            "each question in turn.\n\nQ1. We agree.\n",
            "Institute of Highway Planners (IHP)",
            "professional_body",
        ),
        # "That is …" opens a sentence: a pronoun, never an organisation
        (
            "Dear Sirs,\n\nThat is a poor plan, in my view. I have lived on this road for "
            "thirty years and I have never seen it so busy.\n\nYours faithfully,\nM. Orme\n",
            None,
            "individual",
        ),
    ],
)
def test_named_bodies_and_pronouns(text, org, rtype) -> None:
    assert _who(text) == (org, rtype)


def test_a_consultations_own_multiword_name_is_a_name() -> None:
    rules = parse_respondent_types(
        {"professional_body": {"names": ["guild of market traders"]}},
        "consultation.yaml",
        "",
        default_respondent_types(),
    )
    text = (
        "Guild of Market Traders - Brookfield branch\nThe market and the new road layout\n\n"
        "Stallholders told us the loading times are too short.\n"
    )
    assert _who(text, rules) == ("Guild of Market Traders", "professional_body")


@pytest.mark.parametrize(
    "text",
    [
        # a couple named over their address line, then "we"
        "Alan and Joy Fenwick\n12 Mill Lane, Brookfield\n\nWe object to the bus lane. We "
        "drive our grandson to school every day.\n",
        # a "From:" line naming a couple and what they are, with a bracket
        "From: Priya and Tom Lowe, kinship carers (two grandchildren)\n\nRe: timing\n\n"
        "We think the start is too early. Our local team is short of staff.\n",
        # one "me" and no "we", no organisation
        "Honestly the new bus lane works fine for me.\n",
        "Leave the square as it is, it is my favourite place in town.\n",
    ],
)
def test_people(text) -> None:
    assert _who(text) == (None, "individual")


@pytest.mark.parametrize(
    "text",
    [
        "Scrap it.\n",  # no pronoun, no name: nothing says who wrote it
        "Not before the road is mended. Do it properly.\n",
    ],
)
def test_nothing_said_stays_unknown(text) -> None:
    assert _who(text)[1] == "unknown"


def test_an_agent_writing_on_behalf_of_a_body() -> None:
    text = (
        "MARSH & PELL LLP\nOur ref: AB/12/2026\n\nDear Sir or Madam,\n\nRepresentations on "
        "behalf of the Wyebridge Residents' Association\n\nOur clients object to the scheme.\n"
    )
    assert behalf_type(text) == "charity_voluntary"
    assert _who(text)[1] == "charity_voluntary"
    # lower case after "on behalf of": people, not a named body
    assert behalf_type("I write on behalf of my neighbours on Elm Row.\n") is None


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        ("The club met on Tuesday to talk it through. We broadly agree.\n", "charity_voluntary"),
        ("Our view. The Panel met twice in March. We oppose the gate.\n", "other"),
    ],
)
def test_an_unnamed_body_calling_itself_the_noun(text, rtype) -> None:
    assert collective_type(text) == rtype
    assert _who(text) == (None, rtype)


def test_a_resident_naming_the_council_is_not_a_council() -> None:
    text = "I am cross. The council has ignored us for years and I have had enough.\n"
    assert _who(text) == (None, "individual")
    # residents writing as "we" about the council are not the council
    text = "We live on Elm Row. The council has ignored us for years. We want the gate.\n"
    assert collective_type(text) is None
    assert _who(text)[1] != "local_authority"


@pytest.mark.parametrize(
    "text",
    [
        "Greenway Riders\nOur response\n\nA volunteer-led group of 80 members who ride "
        "together every week. We support the new path.\n",
        "Ashdown Access Group – response to the consultation\n\nAshdown Access Group is a "
        "user-led organisation of disabled people. We oppose the planters.\n",
        "Brookside Walkers\nResponse to the plan\n\nPart A – Who we are\nA walking club for "
        "older people, meeting on Thursdays.\n\nWe support the crossings.\n",
    ],
)
def test_voluntary_bodies_without_the_word_charity(text) -> None:
    assert _who(text)[1] == "charity_voluntary"
