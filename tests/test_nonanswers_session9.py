"""Non-answers added in session 9 (issue 12): phrasings the batch-11 misses pointed to.

The phrasings below were written for this test, unlike the dev answers the rules came from
("The Guild takes no position on the date", "None beyond those above", "Sue says I can leave
it", "OUR VIEW: Not for us to say. REASONS: We leave this question to …", "idc tbh", "wat
even is an experimental traffic order", "… you'd know better than me"). Negatives sit beside
each: the same openings followed by a view, a question asked back that argues, a reason that
is a position.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.ingest.nonanswers import load_rule, mark_substantive, without_question_copy

NON_ANSWERS = [
    # any body's own noun, or the people who speak for it
    ("The Union takes no position on the timetable.", "closed"),
    ("Our trustees have no comments.", "open"),
    (
        "3. The closure does not affect the surgery much, and the partners have no view on it.",
        "closed",
    ),
    # nothing beyond what was said
    ("Nothing further beyond those points already made above.", "open"),
    ("No comments beyond those already raised by others.", "open"),
    # leaving the question to others or blank
    ("We will leave this one to the residents' groups.", "closed"),
    ("My key worker told me I could skip this.", "open"),
    ("I'll just leave this blank.", "open"),
    ("Our view: not for us to judge. Our reasons: we leave it to the experts.", "open"),
    # deferring to the asker, not caring, not knowing beside a deferral
    ("About the timing – honestly no idea, you lot would know best.", "closed"),
    ("That's for the council and the bus company to decide.", "closed"),
    ("idc", "closed"),
    ("I couldn't care less tbh", "closed"),
    # asking what the question means
    ("what even is a modal filter", "closed"),
    ("What does TRO even mean?", "closed"),
    # a roman-numeral cross-reference, "no changes"
    ("Covered in iii above.", "open"),
    ("No changes.", "open"),
]

ANSWERS = [
    ("The Union takes no position on the timetable but opposes the fares rise.", "closed"),
    ("We will leave this one to the residents, as they know the streets; we support it.", "closed"),
    ("What is the point of a trial if the decision is made?", "closed"),
    ("What is a consultation for, if not to listen?", "closed"),
    ("The closure does not affect us much, but we object to the bus gate.", "closed"),
    ("No idea about the date but I would start in September.", "closed"),
    ("It is for the council to decide, but we strongly disagree.", "closed"),
    ("I don't care about the planters, I care about the bus gate.", "closed"),
    ("Our view: support. Reasons: it will make the school run safer.", "open"),
    ("Not bothered, it's not where my customers come from.", "closed"),
    # "I haven't a clue" alone to a closed question is a don't-know, read by stance
    ("I haven't a clue.", "closed"),
]


@pytest.mark.parametrize(("text", "kind"), NON_ANSWERS)
def test_non_answers(text: str, kind: str) -> None:
    assert load_rule().is_non_answer(text, kind), text


@pytest.mark.parametrize(("text", "kind"), ANSWERS)
def test_answers_stay_substantive(text: str, kind: str) -> None:
    assert not load_rule().is_non_answer(text, kind), text


def test_no_clue_is_a_non_answer_to_an_open_question_only() -> None:
    rule = load_rule()
    assert rule.is_non_answer("Not a clue, sorry.", "open")
    assert not rule.is_non_answer("Not a clue, sorry.", "closed")


def _marked(text: str, question: str, kind: str) -> bool:
    """The ``substantive`` flag ``mark_substantive`` gives ``text`` as the answer to one question."""
    consultation = Consultation(
        id="c", title="t", questions=[Question(id="q", text=question, kind=kind)]
    )
    frame = pd.DataFrame({"answer_text": [text], "question_id": ["q"]})
    return bool(mark_substantive(frame, consultation)["substantive"].iloc[0])


ASKED = "Is there anything else you would like to tell us about the scheme?"
CLOSED = "Do you support the proposed opening hours?"


@pytest.mark.parametrize(
    ("text", "question", "kind", "substantive"),
    [
        # the question pasted before a non-answer, quoted or not
        (f"\u201c{ASKED}\u201d\n\nNo.", ASKED, "open", False),
        (f"{ASKED}\n\nNothing further to add.", ASKED, "open", False),
        # only its first sentence pasted
        (
            "'How will this affect you?'\n\nNo comment from me.",
            "How will this affect you? Tell us about your household.",
            "open",
            False,
        ),
        # pasted, then a real answer
        (f"{ASKED}\n\nYes: the lighting on the towpath is poor.", ASKED, "open", True),
        (f"{CLOSED}\n\nNo, they are too short.", CLOSED, "closed", True),
        # the respondent's own opening statement is never taken for the question
        ("We support the proposed opening hours.\n\nNo further comments.", CLOSED, "closed", True),
        # a different question pasted: judged whole
        ("Do you support the new fares?\n\nNo comment.", CLOSED, "closed", True),
    ],
)
def test_pasted_question_is_not_the_answer(
    text: str, question: str, kind: str, substantive: bool
) -> None:
    assert _marked(text, question, kind) is substantive


def test_without_question_copy_keeps_text_without_a_copy() -> None:
    assert without_question_copy("None.", ASKED) == "None."
    assert without_question_copy(f'"{ASKED}"', ASKED) == f'"{ASKED}"'  # nothing after it
