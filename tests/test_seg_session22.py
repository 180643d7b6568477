"""Self-description sections under headings that name no question (session 22, issue 12).

The rules were found on the profile answers of spent batches 2, 13, 17, 20, 21 and 24
(docs/segmentation.md, "Session 22"); these tests use the bus-lane consultation of
``test_segment_styles`` and wordings written for them.
"""

from __future__ import annotations

import pytest
import yaml
from test_segment_styles import ANS, CONSULTATION, check  # noqa: F401

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import intents


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(CONSULTATION), where="test")


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Qui sommes-nous / Who we are", "self"),
        ("About me / Amdanaf i", "self"),
        ("Ce que nous demandons / What we ask", "request"),
        ("Who?", "self"),
        ("WHO", "self"),
    ],
)
def test_frame_in_either_half_or_a_bare_who(heading, kind):
    assert intents.intent_of(heading) == (kind, "")


@pytest.mark.parametrize(
    "heading",
    [
        "Cwestiwn 2 / Question 2",  # a number, read by ``numbering``
        "Buses and/or bikes",  # no spaced slash
        "Who pays / Who gains",  # neither half is a frame
        "Who gets the new bays?",  # a subject after "who"
    ],
)
def test_no_self_frame(heading):
    assert not intents.firm_self(heading)


def test_firm_self_in_one_half():
    assert intents.firm_self("Qui sommes-nous / Who we are")
    assert intents.firm_self("About myself")
    assert not intents.firm_self("Our members")  # a deferred frame, not a firm one


def test_plain_about_me_line_before_numbered_answers(cons):
    # A plain-text reply: "About me" on a line of its own, then "Q.1" ... headings.
    # Before session 22 a plain line in a document of question numbers had to repeat a
    # question verbatim, so "About me" and its answer went into the preamble.
    parts = [
        "My response to the bus lane consultation",
        (
            "About me",
            "I run the bakery at number 12 and have lived in the town for 30 years.",
            "about_you",
        ),
        ("Q.1", ANS["q1"], "q1"),
        ("Q.2", ANS["q2"], "q2"),
        ("Q.3", ANS["q3"], "q3"),
    ]
    check(cons, parts, sep="\n\n")


def test_two_language_self_heading_before_numbered_answers(cons):
    parts = [
        "Ymateb / Response",
        (
            "Amdanom ni / Who we are",
            "We are a family of four living just off the High Street.",
            "about_you",
        ),
        ("Cwestiwn 1 / Question 1", ANS["q1"], "q1"),
        ("Cwestiwn 3 / Question 3", ANS["q3"], "q3"),
    ]
    check(cons, parts, sep="\n\n")


def test_plain_frame_line_of_another_kind_stays_text(cons):
    # Only the self-description frame counts on a plain line of a numbered document:
    # "Anything else" between numbered answers stays part of the answer above it.
    parts = [
        ("Q1", ANS["q1"] + "\n\nAnything else\n\nThe lights at the junction need retiming.", "q1"),
        ("Q2", ANS["q2"], "q2"),
        ("Q3", ANS["q3"], "q3"),
    ]
    check(cons, parts, sep="\n\n")
