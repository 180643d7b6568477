"""A trailing name-and-role block is a signature, not part of the last answer."""

from __future__ import annotations

import pytest
from builders import make_doc

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.signature import signature_start

SIGNED = [
    # (answer, expected start of the signature as a substring, or None)
    (
        "We want the library open on Sundays.\n\nPriya Shah\nChair, Friends of Elm Park",
        "Priya Shah",
    ),
    ("The bus gate should go.\n\nTom O'Neill, local resident", "Tom O'Neill"),
    ("Please fund the scheme properly.\n\nContact: Ann Lee, Policy Officer", "Contact: Ann Lee"),
    ("This matters to us.\n\nDr Patel\nClinical Lead", "Dr Patel"),
    ("We support the plan.\n\n**Helen Mary Brooks**\n*Director of Children's Services*", "Helen"),
    ("It must start in 2025.\nJ. R. Hartley, Chair of Governors", "J. R. Hartley"),
]
UNSIGNED = [
    # A list a colon introduced: its items are short, capitalised and unpunctuated.
    "Inspectors should look at:\n\nStaying Put\nStaying Close\nCouncil Tax Exemption",
    # The last sentence is prose that happens to start with a name.
    "We agree.\n\nJane Smith told us that the service had improved a great deal this year.",
    # An answer that is only a name (a "name" question): left alone.
    "Priya Shah",
    # A short closing line that is not a name.
    "We agree with the proposal.\n\nMore detail to follow",
    # Bullets with a dash are not a name.
    "Our priorities are these.\n\n- Housing First\n- Mental Health",
    # Two capitalised words that are a place after a full stop, then more prose.
    "We would welcome a visit.\n\nNorth Yorkshire is a large county and rural transport is poor.",
]


@pytest.mark.parametrize(("answer", "expected"), SIGNED)
def test_a_name_and_role_block_is_found(answer, expected):
    start = signature_start(answer, 0, len(answer))
    assert start is not None and answer[start:].startswith(expected), answer


@pytest.mark.parametrize("answer", UNSIGNED)
def test_answers_that_end_in_short_lines_of_their_own_are_left_alone(answer):
    assert signature_start(answer, 0, len(answer)) is None


def test_the_signature_becomes_closing_and_leaves_the_last_answer():
    consultation = parse_consultation(
        {
            "id": "sig",
            "title": "Signatures",
            "questions": [
                {"id": "q1", "number": 1, "kind": "open", "text": "What do you think?"},
                {"id": "q2", "number": 2, "kind": "open", "text": "Anything else?"},
            ],
        },
        "consultation.yaml",
    )
    text = (
        "Q1. What do you think?\nWe like it.\n\nQ2. Anything else?\n"
        "Please keep the café open.\n\nMarcus Fenwick\nSecretary, Elm Park Residents"
    )
    doc = make_doc(text)
    rows = segment_document(doc, consultation).set_index("question_id")
    assert rows.loc["q2", "answer_text"] == "Please keep the café open."
    assert rows.loc["closing", "answer_text"] == "Marcus Fenwick\nSecretary, Elm Park Residents"


def test_only_the_tail_of_a_long_answer_is_read():
    answer = ("A sentence of prose. " * 200_000) + "\n\nAnn Lee\nChair"
    assert answer[signature_start(answer, 0, len(answer)) :] == "Ann Lee\nChair"
