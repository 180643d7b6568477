"""Headed documents with their headings taken out (``benchmarks/letter_stripped.py``)."""

from __future__ import annotations

from benchmarks.letter_stripped import answer_spans, stripped_text
from helpers.validate.devsets.goldview import GoldAnswer, GoldResponse

TEXT = (
    "Hill Street Friends of the Library\n\n"
    "We are a group of forty regular users of the branch.\n\n"
    "Question 1: Do you agree with the new opening hours?\n\n"
    "No. Five o'clock is too early for anyone who works.\n\n"
    "Q2 Sunday opening\n\n"
    "Yes, families need somewhere to go at weekends.\n\n"
    "Q3: Please put a returns box by the door.\n\n"
    "Yours sincerely,\n\nA. Reader"
)


def _rec() -> GoldResponse:
    answers = (
        GoldAnswer(
            question="hours",
            text="No. Five o'clock is too early for anyone who works.",
            substantive=True,
        ),
        GoldAnswer(
            question="sundays",
            text="Yes, families need somewhere to go at weekends",
            substantive=True,
        ),
        GoldAnswer(
            question="other", text="Please put a returns box by the door.", substantive=True
        ),
    )
    return GoldResponse(
        file="x.txt",
        row=None,
        split="all",
        respondent_type=None,
        organisation=None,
        answers=answers,
    )


def test_headings_go_and_the_writers_own_words_stay():
    out = stripped_text(TEXT, answer_spans(TEXT, _rec()))
    assert out == (
        "Hill Street Friends of the Library\n\n"
        "We are a group of forty regular users of the branch.\n\n"
        "No. Five o'clock is too early for anyone who works.\n\n"
        "Yes, families need somewhere to go at weekends.\n\n"  # its full stop kept
        "Please put a returns box by the door.\n\n"  # "Q3: " on its line goes
        "Yours sincerely,\n\nA. Reader\n"
    )


def test_a_heading_the_rules_found_in_the_preamble_goes_with_what_follows_it():
    start = TEXT.index("We are a group")
    out = stripped_text(TEXT, answer_spans(TEXT, _rec()), [(start, start + 10)])
    assert out.startswith("Hill Street Friends of the Library\n\nNo. Five")


def test_one_answer_is_not_a_letter():
    spans = answer_spans(TEXT, _rec())
    assert stripped_text(TEXT, spans[:1]) is None
