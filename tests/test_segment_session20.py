"""Heading structures batch 22 brought (session 20), in phrasings written for these tests.

Each rule was found on ofsted-docs-22 / transport-22 (docs/segmentation.md, "Session 20");
these tests use another consultation (``test_segment_styles``) and other wordings.
"""

from __future__ import annotations

import pytest
import yaml
from builders import make_doc
from test_segment_styles import ANS, CONSULTATION, TEXT, build, check  # noqa: F401

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.numbering import read_numbering


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(CONSULTATION), where="test")


@pytest.mark.parametrize(
    ("line", "number", "total", "prose"),
    [
        ("Consultation question 3 of 6", 3, 6, False),
        ("Our response to question 2 of 6:", 2, 6, False),
        ("Re: Q4 of 6 – parking", 4, 6, False),
        ("question 1 of 6 people said so", 1, 6, True),
        ("Question 2 of 1.5", 2, None, True),  # no total: "1.5" is no count
    ],
)
def test_question_number_with_the_forms_total_after_a_lead_in(line, number, total, prose):
    n = read_numbering(line, 0, len(line))
    assert (n.number, n.kind, n.total, n.prose) == (number, "q", total, prose)


def test_lead_in_n_of_m_headings_with_a_skipped_question(cons):
    parts = [
        "Response from the Riverside Traders",
        ("Our response to question 1 of 6", ANS["q1"], "q1"),
        ("Our response to question 3 of 6", ANS["q3"], "q3"),
        ("Our response to question 6 of 6", "We have nothing else to add beyond this.", "q6"),
    ]
    check(cons, parts, styled="bold")


@pytest.mark.parametrize("title", ["About Hartley Wheelers", "About the Wheelers", "Who we are"])
def test_a_titled_self_description_before_the_numbered_answers(cons, title):
    about = "Hartley Wheelers is a cycling club of 140 members who ride in the town."
    parts = [
        (title, about, "about_you"),
        ("Q1", ANS["q1"], "q1"),
        ("Q3", ANS["q3"], "q3"),
    ]
    check(cons, parts, styled="bold")


@pytest.mark.parametrize("label", ["I am responding as:", "Responding as:", "We are writing as"])
def test_a_profile_form_label_heads_the_profile_answer(cons, label):
    parts = [
        (label, "A shop owner on the High Street.", "about_you"),
        ("1. " + TEXT["q1"], ANS["q1"], "q1"),
        ("2. " + TEXT["q2"], ANS["q2"], "q2"),
    ]
    check(cons, parts)


def test_square_bracketed_labels(cons):
    parts = [
        ("[Who we are]", "A residents' group of forty households near the station.", "about_you"),
        ("[Bus lane]", ANS["q1"], "q1"),
        ("[Timing]", ANS["q3"], "q3"),
        ("[Loading]", "Deliveries before ten would suit the bakery.", "q4"),
    ]
    check(cons, parts)


def test_a_bracketed_sentence_or_number_is_no_label(cons):
    parts = [("[1]", ANS["q1"], "q1"), ("[2]", "We would use the bus more often.", "q2")]
    text, cues, _ = build(parts)
    df = segment_document(make_doc(text + "\n\n[Name removed.]\n\nJ. Smith", cues), cons)
    assert "[Name removed.]" not in set(df["heading_text"].dropna())


def test_a_quoted_full_question_with_and_is_not_split_as_two_questions(cons):
    q4 = "\u201c" + TEXT["q4"] + "\u201d"
    body = (
        "Losing the parking outside the shops worries us and our customers.\n\n"
        "On the start date, spring is fine as long as the works avoid the holidays."
    )
    parts = [(q4, body, "q4")]
    df = check(cons, parts, styled="heading")
    assert len(df) == 1


@pytest.mark.parametrize(
    ("first", "second", "third", "last"),
    [
        (
            "First, who we are.",
            "Secondly, on the bus lane.",
            "Thirdly, parking and loading.",
            "Lastly, a word on equality.",
        ),
        (
            "Firstly: about us",
            "Next – the bus lane itself.",
            "Thirdly, the loading bays.",
            "Finally, equality.",
        ),
    ],
)
def test_sequence_word_section_sentences_are_headings(cons, first, second, third, last):
    parts = [
        "Hartley Wheelers – response to the High Street consultation",
        (first, "We are a cycling club of 140 members who ride through the town.", "about_you"),
        (second, ANS["q1"], "q1"),
        (third, "Keep two loading bays for the shops and allow deliveries before ten.", "q4"),
        (last, ANS["q5"], "q5"),
    ]
    check(cons, parts, sep="\n\n")


def test_two_sequence_sentences_in_a_letter_are_no_headings(cons):
    text = (
        "Dear team,\n\nFirst, the bus lane.\n\nWe support it because the buses are slow every "
        "morning at the lights.\n\nSecondly, the parking.\n\nWe would keep two bays outside the "
        "shops for deliveries.\n\nYours, Sam"
    )
    df = segment_document(make_doc(text, []), cons)
    assert not {"First, the bus lane.", "Secondly, the parking."} & set(df["heading_text"].dropna())
