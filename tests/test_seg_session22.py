"""Self-description sections under headings that name no question (session 22, issue 12).

The rules were found on the profile answers of spent batches 2, 13, 17, 20, 21 and 24
(docs/segmentation.md, "Session 22"); these tests use the bus-lane consultation of
``test_segment_styles`` and wordings written for them.
"""

from __future__ import annotations

import pytest
import yaml
from builders import make_doc
from test_segment_styles import ANS, CONSULTATION, build, check  # noqa: F401

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import intents, segment_document


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
    assert intents.firm_self("Who is replying to this survey?")
    assert intents.firm_self("Who are we writing for?")
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


# --- where an own-words profile answer ends ----------------------------------

SELF_BODY = (
    "The Market Traders' Guild has 48 members with stalls on the High Street and in "
    "Station Road. We meet monthly."
)
OWN_WORDS_BODY = "Stallholders unload vans at six in the morning, before the buses start."


def _rows(cons, parts, styled="bold"):
    text, cues, _ = build(parts, styled, "\n\n")
    df = segment_document(make_doc(text, cues), cons)
    for r in df.itertuples():
        assert text[r.start : r.end] == r.answer_text
    return [(r.question_id, r.answer_text) for r in df.itertuples()]


def test_profile_answer_ends_at_the_next_heading_of_its_look(cons):
    # "Who we are" (a frame) places the profile answer; "Early mornings" names no
    # question, so before session 22 the profile answer ran on over it.
    rows = _rows(
        cons,
        [
            "Response of the Market Traders' Guild",
            ("Who we are", SELF_BODY, "about_you"),
            ("Early mornings", OWN_WORDS_BODY, None),
            ("Timing of the works", ANS["q3"], "q3"),
        ],
    )
    assert ("about_you", SELF_BODY) in rows
    assert ("unstructured", "Early mornings\n\n" + OWN_WORDS_BODY) in rows
    assert ("q3", ANS["q3"]) in rows


def test_profile_answer_keeps_lines_under_a_question_label(cons):
    # A form's label repeating the profile question is no own-words heading: its
    # answer keeps its own bold line ("The Guild") that names no question.
    rows = _rows(
        cons,
        [
            ("Are you responding as an individual or on behalf of an organisation?", "", None),
            ("The Market Traders' Guild", SELF_BODY, None),
            ("Timing of the works", ANS["q3"], "q3"),
        ],
    )
    assert rows[0] == ("about_you", "The Market Traders' Guild\n\n" + SELF_BODY)


def test_answers_to_other_questions_keep_their_sub_headings(cons):
    rows = _rows(
        cons,
        [
            ("Your journeys", ANS["q2"], "q2"),
            ("Early mornings", OWN_WORDS_BODY, None),
            ("Timing of the works", ANS["q3"], "q3"),
        ],
    )
    assert ("q2", ANS["q2"] + "\n\nEarly mornings\n\n" + OWN_WORDS_BODY) in rows


# --- the respondent's choice among the question's alternatives ---------------


def test_alternatives_read_from_the_wording(cons):
    from helpers.ingest.segment.choice import alternatives, is_choice

    # "Are you responding as an individual or on behalf of an organisation?"
    about = cons.question("about_you")
    assert "on behalf of an organisation" in alternatives(about)
    assert "as an individual" in alternatives(about)
    assert is_choice("On behalf of an organisation", about)
    assert is_choice("As an individual", about)
    assert not is_choice("Individual", about)  # one word is too loose
    assert not is_choice("About you", about)
    assert not alternatives(cons.question("q2"))  # no " or " in its wording


def test_choice_line_opens_the_answer_under_a_frame_heading(cons):
    body = "On behalf of an organisation: the High Street Traders' Association, 40 shops."
    rows = _rows(
        cons,
        [
            ("About you", body, "about_you"),
            ("Timing of the works", ANS["q3"], "q3"),
        ],
    )
    assert ("about_you", body) in rows


def test_choice_line_with_no_heading_above_for_it_stays_a_heading(cons):
    # With nothing above naming the profile question, the choice line is the only
    # sign of it: it still heads the answer (the form's own label was not read).
    text = (
        "Response form\n\n"
        "On behalf of an organisation: the High Street Traders' Association, 40 shops.\n\n"
        "Timing of the works\n\n" + ANS["q3"]
    )
    df = segment_document(make_doc(text), cons)
    got = dict(zip(df.question_id, df.heading_text, strict=True))
    assert got["about_you"] == "On behalf of an organisation:"
