"""Numbered or lettered points under one of the respondent's own headings are a list (issue 12).

A respondent who writes their own bold headings ("What the council should
check", "Why wait?") often numbers the points of one answer ``1.`` ... ``4.``
or letters them ``(a)`` ... ``(d)``. Those numbers run upwards and fit the
consultation's question numbers, so they used to be read as Q1-Q4. Points
that all sit under one own-words heading, with another such heading after
them, are that answer's points. Negatives: a titled response whose answers
are only numbered, and numbered answers between "Introduction" and
"Conclusion", keep their numbers. Phrasings written for these tests.
"""

from __future__ import annotations

import pytest
import yaml
from builders import make_doc
from test_segment_styles import CONSULTATION

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.shapes import own_heading


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(CONSULTATION), where="test")


def doc_from(lines: list[tuple[str, bool]]):
    """A document from (paragraph, bold?) pairs, bold ones reported as ``bold`` cues."""
    text, cues = "", []
    for para, bold in lines:
        if text:
            text += "\n\n"
        if bold:
            cues.append((len(text), len(text) + len(para), "bold"))
        text += para
    return make_doc(text, cues)


def rows(cons, lines):
    df = segment_document(doc_from(lines), cons)
    for r in df.itertuples():
        assert df is not None and r.answer_text == doc_from(lines).text[r.start : r.end]
    return df


POINTS = [
    ("1. Keep the two disabled bays outside the chemist.", False),
    ("2. Let vans load before ten in the morning.", False),
    ("3. Look again at the whole scheme after a year.", False),
]


def test_numbered_points_under_one_own_heading_are_not_questions(cons):
    lines = [
        ("Riverside Traders' response", True),
        ("We run eleven shops on the High Street.", False),
        ("Where the vans will stop", True),
        ("Our members asked for three things:", False),
        *POINTS,
        ("What we think of the bus lane", True),
        ("We can live with it if the loading bays stay.", False),
    ]
    df = rows(cons, lines)
    assert "number" not in set(df["match_method"])
    holder = df[df["answer_text"].str.contains("Let vans load")]
    assert len(holder) == 1 and "Look again at the whole scheme" in holder["answer_text"].iloc[0]
    assert "Keep the two disabled bays" in holder["answer_text"].iloc[0]


def test_lettered_subheadings_under_one_own_heading_are_not_questions(cons):
    lines = [
        ("Who I am", True),
        ("I drive a taxi and live above the bakery.", False),
        ("The changes, one by one", True),
        ("(a) Loading", False),
        ("Deliveries to the bakery come at six; the bays open at seven.", False),
        ("(b) Parking", False),
        ("There will be nowhere for my cab at night.", False),
        ("(c) Buses", False),
        ("The buses are empty after eight, so why a lane all evening?", False),
        ("Last words", True),
        ("Please think again about the evening hours.", False),
    ]
    df = rows(cons, lines)
    assert "number" not in set(df["match_method"])
    holder = df[df["answer_text"].str.contains("nowhere for my cab")]
    assert len(holder) == 1 and "(c) Buses" in holder["answer_text"].iloc[0]


def test_numbered_points_under_the_last_of_two_own_headings_are_not_questions(cons):
    lines = [
        ("Hi there,", False),
        ("I run the cafe by the station and here are my thoughts.", False),
        ("Our mornings", True),
        ("Most of our trade is before nine, from people who park for a minute.", False),
        ("What would help us", True),
        ("1) A short-stay bay outside the cafe.", False),
        ("2) Work only after the school holidays start.", False),
    ]
    df = rows(cons, lines)
    assert "number" not in set(df["match_method"])
    holder = df[df["answer_text"].str.contains("short-stay bay")]
    assert len(holder) == 1 and "after the school holidays" in holder["answer_text"].iloc[0]


def test_titled_response_answered_by_number_keeps_its_numbers(cons):
    lines = [
        ("Response from the Market Square Residents", True),
        ("1. We support the bus lane: the 7.40 is always late.", False),
        ("2. I would walk more and drive less through the centre.", False),
        ("3. Spring is fine if the work stops at Easter.", False),
        ("Contact us", True),
        ("Write to the secretary at the Square.", False),
    ]
    df = rows(cons, lines)
    assert {"q1", "q2", "q3"} <= set(df["question_id"])


def test_numbered_answers_between_introduction_and_conclusion_keep_their_numbers(cons):
    lines = [
        ("Introduction", True),
        ("The Chamber speaks for ninety firms in the town.", False),
        ("1. We support the bus lane in principle.", False),
        ("2. Our staff would spend less time in traffic.", False),
        ("Conclusion", True),
        ("We ask the council to press ahead.", False),
    ]
    df = rows(cons, lines)
    assert {"q1", "q2"} <= set(df["question_id"])


@pytest.mark.parametrize(
    "line, cue, expected",
    [
        ("Where the vans will stop", "bold", True),
        ("Why wait a whole year?", "heading", True),
        ("Where the vans will stop", None, False),  # a plain line: shape is judged elsewhere
        ("We think the vans should stop at the back of the shops.", "bold", False),
        ("Conclusions", "bold", False),
        ("About us", "heading", False),
    ],
)
def test_own_heading(line, cue, expected):
    c = Candidate(0, len(line), 0, len(line), cue=cue, plain_text=line)
    assert own_heading(c) is expected


NUMBERED_PROFILE = """\
id: park-cafe
title: A cafe in the park
questions:
  - id: who
    number: 1
    kind: profile
    short: About you
    text: Please tell us how you use the park.
  - id: cafe
    number: 2
    kind: closed
    short: The cafe
    text: Do you support opening a cafe by the boating lake?
  - id: hours
    number: 3
    kind: open
    short: Opening hours
    text: What opening hours would suit you?
"""


@pytest.fixture(scope="module")
def park():
    return parse_consultation(yaml.safe_load(NUMBERED_PROFILE), where="test")


def test_numbered_points_of_a_letter_are_not_the_profile_answer(park):
    lines = [
        ("Dear Parks Team,", False),
        (
            "1. A cafe would bring litter and noise to the quiet end of the park near the pond.",
            False,
        ),
        ("2. The boating lake is already busy on summer weekends with families and dogs.", False),
        ("Yours faithfully, J. Reed", False),
    ]
    df = segment_document(doc_from(lines), park)
    assert "number" not in set(df["match_method"])
    assert "who" not in set(df["question_id"])


def test_numbered_answers_starting_with_who_writes_keep_their_numbers(park):
    lines = [
        ("1. I am a dog walker and come to the park every morning before work.", False),
        ("2. Yes, I support the cafe as long as it opens early.", False),
        ("3. From seven until dusk would suit most of us.", False),
    ]
    df = segment_document(doc_from(lines), park)
    assert list(df["question_id"]) == ["who", "cafe", "hours"]


def test_a_short_label_after_the_profile_number_is_not_judged(park):
    lines = [
        ("a) about me", False),
        ("just moved here, use the park with my kids", False),
        ("b) the cafe", False),
        ("would be nice tbh", False),
    ]
    df = segment_document(doc_from(lines), park)
    assert list(df["question_id"])[:2] == ["who", "cafe"]
