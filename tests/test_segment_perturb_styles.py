"""Heading styles found by the perturbation harness (``benchmarks/seg_perturb.py``, issue 12).

Each rule was written from the harness's re-rendered spent documents; the
phrasings here are different ones (other words, punctuation, case, markup),
and the false-positive tests check that prose and short answers stay answers.
The consultation and answers are ``test_segment_styles``'s invented transport
scheme, so nothing leans on a development set's wording.
"""

from __future__ import annotations

import pytest
from test_segment_styles import ANS, TEXT, build, check, cons  # noqa: F401 (fixture)

# --- a number word or ordinal alone on its line ---------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        ["One", "Two", "Four", "Six"],
        ["ONE.", "TWO.", "FOUR.", "SIX."],
        ["one:", "two:", "four:", "six:"],
        ["Firstly", "Secondly", "Fourthly", "Sixthly"],
        ["First", "Second", "Fourth", "Sixth"],
    ],
)
def test_lone_number_words(cons, words):  # noqa: F811
    parts = ["Dear team, my views follow."]
    parts += [(w, ANS[f"q{n}"], f"q{n}") for n, w in zip((1, 2, 4, 6), words, strict=True)]
    check(cons, parts)


def test_lone_number_words_bold(cons):  # noqa: F811
    parts = [
        (w, ANS[f"q{n}"], f"q{n}") for n, w in zip((2, 3, 5), ("Two", "Three", "Five"), strict=True)
    ]
    check(cons, parts, styled="bold")


def test_one_lone_number_word_is_an_answer(cons):  # noqa: F811
    """A closed question answered "Two" under a numbered heading stays that answer."""
    parts = [("Q1", "Two", "q1"), ("Q2", ANS["q2"], "q2"), ("Q3", ANS["q3"], "q3")]
    check(cons, parts)


def test_firstly_in_prose_is_no_heading(cons):  # noqa: F811
    parts = [
        ("Q4", "Firstly, the loading bays are too short.\n\nSecondly, parking is needed.", "q4")
    ]
    check(cons, parts)


# --- the question's text hard-wrapped over lines --------------------------------------------


def _wrap(s: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(s, width))


@pytest.mark.parametrize("width", [28, 47, 61])
def test_wrapped_question_text(cons, width):  # noqa: F811
    parts = ["From a resident of Mill Road."]
    parts += [(_wrap(TEXT[f"q{n}"], width), ANS[f"q{n}"], f"q{n}") for n in (1, 2, 3, 5)]
    check(cons, parts)


def test_wrapped_question_text_numbered_and_bold(cons):  # noqa: F811
    parts = [(_wrap(f"Q{n}. {TEXT[f'q{n}']}", 50), ANS[f"q{n}"], f"q{n}") for n in (2, 3, 5)]
    check(cons, parts, styled="bold")


def test_wrapped_question_text_with_blank_line_after(cons):  # noqa: F811
    parts = [(_wrap(TEXT[f"q{n}"], 44), ANS[f"q{n}"], f"q{n}") for n in (1, 3, 5, 6)]
    check(cons, parts, sep="\n\n")


def test_answer_lines_echoing_the_question_stay_the_answer(cons):  # noqa: F811
    """An answer whose lines reuse a few of the question's words is not joined into a heading."""
    ans = "The changes would affect\nthe way I travel a great deal:\nI would stop using the town centre."
    parts = [("Q2", ans, "q2"), ("Q3", ANS["q3"], "q3")]
    check(cons, parts)


# --- a numbered list inside an answer under roman or word headings ---------------------------


@pytest.mark.parametrize(
    "heads",
    [
        ["i.", "ii.", "iv.", "vi."],
        ["(I)", "(II)", "(IV)", "(VI)"],
        ["One", "Two", "Four", "Six"],
    ],
)
def test_list_under_roman_or_word_headings_is_the_answers(cons, heads):  # noqa: F811
    """Q4's answer holds "1. … 2. … 3. …": its points, not questions 1 to 3."""
    parts = [(h, ANS[f"q{n}"], f"q{n}") for n, h in zip((1, 2, 4, 6), heads, strict=True)]
    check(cons, parts)


def test_answer_opening_with_a_label_after_a_wrapped_heading(cons):  # noqa: F811
    """The line after a wrapped question is its answer, even when it opens with some of
    the question's key terms as a label ("Older people: …")."""
    ans = "Older people: many would lose the bus stop they use."
    parts = [
        (_wrap("2. " + TEXT["q2"], 40), ANS["q2"], "q2"),
        (_wrap("5. " + TEXT["q5"], 40), ans, "q5"),
    ]
    check(cons, parts, sep="\n\n")
