"""Session 26 (accounting): a campaign's own document, read by its invitation to send its words.

Campaign groups whose name has no type word were typed ``other`` (transport-24, -25, -26)
or, when they spoke of volunteers, ``charity_voluntary`` (transport-28): their invitation
to supporters was worded anew each time ("welcome to use these words in their own", "send
it to the council from your own e-mail") and the package's ``campaign_group`` phrases read
neither. The third phrase (``respondent_types.yaml``) reads a verb of copying or sending,
the text it invites to send, then "in/into/from/as … your/their own".

Every text here is written new for these tests (none is a spent set's wording).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core.consultation import default_respondent_types, load_consultation
from helpers.ingest.respondent_types import infer_respondent_type, self_described_type
from helpers.ingest.segment.substantive import mark

RULES = default_respondent_types()


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        (
            "Safe Lanes Eastfield – the letter\n\nWe are mums and dads from Eastfield. Anyone is "
            "welcome to post the letter below from their own address.\n\nWe back the scheme.",
            "Safe Lanes Eastfield",
        ),
        (
            "Quiet Roads Now\n\nOur volunteers wrote this letter and our volunteers agreed it. "
            "Please edit it as you like and send it to the council as your own.\n\nDear council, "
            "we support the filters.",
            "Quiet Roads Now",
        ),
        (
            "Dear Minister,\n\nWe want the judgement to start next year. Feel free to reuse our "
            "wording, in part or whole, in your own reply.\n\nThe Harbour Kids steering group",
            None,
        ),
    ],
)
def test_an_invitation_to_send_the_words_as_ones_own_is_a_campaign(text, organisation):
    assert self_described_type(text[:5000], organisation, RULES) == "campaign_group"
    assert infer_respondent_type(text, organisation, RULES) == "campaign_group"


def test_the_sign_up_voice_is_a_campaign():
    # No name of a body, "we are" no type word: the letter counts those who signed it.
    text = (
        "An open letter to the Secretary of State\n\nDear Secretary of State,\n\nWe are "
        "bus passengers, and we ask you to keep the night buses. Did I ever feel safe walking "
        "home? Not once.\n\nYours sincerely,\n\nThe Late Bus steering group, and the 900 "
        "passengers who have signed this letter"
    )
    assert infer_respondent_type(text, None, RULES) == "campaign_group"
    # A supporter who signed someone else's petition is a person.
    person = "I signed the petition last week and I hope you listen. I live on Mill Street."
    assert infer_respondent_type(person, None, RULES) == "individual"


def test_the_invitation_wins_over_the_voluntary_words():
    # Volunteers twice would make an otherwise untyped body a charity (session 25); a body
    # that asks others to send its letter as theirs is the campaign.
    text = (
        "Calm Streets Westbury\n\nThis is the letter our volunteers drafted, with thanks to "
        "the volunteers who delivered leaflets. Use the form to send it to the council from "
        "your own inbox.\n\nWe support the low-traffic scheme."
    )
    assert infer_respondent_type(text, "Calm Streets Westbury", RULES) == "campaign_group"


@pytest.mark.parametrize(
    "text",
    [
        # A supporter who copied the words into her own letter: "my own", no invitation.
        "I copied the campaign's words into my own e-mail because they say what I think. "
        "I live on Elm Road and I drive to work.",
        # "their own" after a text that is not one to send.
        "Families should be able to use these streets with their own cars at weekends. "
        "I have lived here for thirty years.",
        # A body's own use of its own work.
        "I am the manager. We use it in our own training and I hope the council will too.",
    ],
)
def test_own_words_without_an_invitation_are_not_a_campaign(text):
    assert self_described_type(text, None, RULES) is None
    assert infer_respondent_type(text, None, RULES) in ("individual", "unknown")


# --- Non-answers with furniture after them (segment.substantive.mark, residue.without_trailer) ---

CONSULTATION = load_consultation(
    Path(__file__).resolve().parents[1]
    / "data"
    / "evaluation"
    / "ofsted-docs-2"
    / "consultation.yaml"
)


def _judged(texts: list[str], question: str) -> list[bool]:
    frame = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(len(texts))],
            "question_id": [question] * len(texts),
            "answer_text": texts,
            "tick_box": [None] * len(texts),
        }
    )
    return mark(frame, CONSULTATION)["substantive"].astype(bool).tolist()


@pytest.mark.parametrize(
    "text",
    [
        # A phrase the package knows, over a body's footer with its registration.
        "Nothing more from us, thanks.\n\nMill Row Players, 3 Dock Lane, Eastmere. Registered "
        "charity no. 1000001.",
        # A dash over the campaign's hashtag.
        "–\n\n#FairFaresNow",
        # A pointer over a note about how the form was filled in.
        "As per my earlier answers.\n\nForm typed using dictation software, sorry for any errors.",
        # No comment over a web address and a mailbox.
        "No comment.\n\nwww.example.org | hello@example.org",
    ],
)
def test_a_non_answer_over_trailing_furniture_is_a_non_answer(text):
    assert _judged([text], "q4") == [False]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("We want the crossing moved.\n\n#SaferSchoolRun", "q4"),
        # A bare "No." to a yes/no question is the respondent's position, footer or not.
        ("No.\n\nOakfield Youth Club, registered charity no. 1000002.", "q1"),
        ("No\n\nwww.example.org", "q1"),
        # The footer's registration does not hide a view written above it.
        ("The fares must fall for young people.\n\nRegistered charity 1000003.", "q4"),
        ("Not at weekends.\n\n#SaferSchoolRun", "q4"),
    ],
)
def test_answers_over_furniture_stay_answers(text, question):
    assert _judged([text], question) == [True]
