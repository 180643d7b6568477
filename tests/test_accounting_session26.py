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

import pytest

from helpers.core.consultation import default_respondent_types
from helpers.ingest.respondent_types import infer_respondent_type, self_described_type

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
