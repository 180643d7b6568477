"""Heading structures batch 23 brought (session 21), in phrasings written for these tests.

Each rule was found on ofsted-docs-23 / transport-23 (docs/segmentation.md, "Session 21");
these tests use another consultation (``test_segment_styles``) and other wordings.
"""

from __future__ import annotations

import pytest
import yaml
from test_segment_styles import ANS, CONSULTATION, check  # noqa: F401

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment.numbering import read_numbering
from helpers.ingest.segment.symbols import is_decoration, symbol_lead


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(CONSULTATION), where="test")


@pytest.mark.parametrize(
    ("line", "number"), [("Ad 1.", 1), ("Ad 3:", 3), ("AD 4 –", 4), ("Ad. 2)", 2)]
)
def test_ad_numbers_an_answer(line, number):
    n = read_numbering(line, 0, len(line))
    assert (n.number, n.kind) == (number, "q")


def test_ad_is_no_number_inside_a_word_or_without_one():
    assert read_numbering("Adding 3 bays would help", 0, 24) is None
    assert read_numbering("Ad hoc changes", 0, 14) is None


def test_ad_numbered_plain_headings_skipping_a_question(cons):
    parts = [
        "Submission from the Town Centre Research Unit.\n\nWe take the questions in order.",
        ("Ad 1.", ANS["q1"], "q1"),
        ("Ad 2.", ANS["q2"], "q2"),
        ("Ad 4.", "Loading before ten in the morning is what the traders asked us for.", "q4"),
    ]
    check(cons, parts, sep="\n\n")


@pytest.mark.parametrize(
    ("ch", "deco"),
    [("→", True), ("➤", True), ("🚌", True), ("⭐", True), ("▶", True), ("\ufe0f", True)]
    + [
        ("☒", False),
        ("✓", False),
        ("✅", False),
        ("⦿", False),
        ("№", False),
        ("•", False),
        ("-", False),
        ("#", False),
    ]
    + [("+", False), ("£", False), ("A", False)],
)
def test_decoration_characters(ch, deco):
    assert is_decoration(ch) is deco


def test_symbol_lead_skips_emoji_with_selectors_and_spaces():
    line = "🗳️  A separate lane?"
    assert line[symbol_lead(line, 0, len(line)) :] == "A separate lane?"
    assert symbol_lead("☒ Agree", 0, 7) == 0


@pytest.mark.parametrize("mark", ["→ ", "➤ ", "▶ ", "🔹 ", "⇒ "])
def test_a_question_number_after_a_symbol(cons, mark):
    parts = [
        "Riverside Traders' Association\n\nOur members met to discuss the plans last week.",
        (mark + "Q1: the lane", ANS["q1"], "q1"),
        (mark + "Q3: when", ANS["q3"], "q3"),
        (mark + "Q5: fairness", ANS["q5"], "q5"),
    ]
    check(cons, parts, sep="\n\n")


@pytest.mark.parametrize("box", ["☒ ", "✓ "])
def test_a_ticked_box_keeps_its_mark(box):
    from helpers.ingest.segment.headings import _make_candidate

    line = box + "Q1 Strongly support"
    c = _make_candidate(line, 0, len(line), [])
    assert c.number is None  # the box is the answer's, not a heading's decoration


def test_emoji_before_a_self_description_heading(cons):
    about = "We are a club of 40 cyclists who ride in the town every weekend."
    parts = [
        ("🙋 Who we are", about, "about_you"),
        ("🚌 The bus lane", ANS["q1"], "q1"),
        ("🕒 Timing of the works", ANS["q3"], "q3"),
    ]
    check(cons, parts, styled="heading")
