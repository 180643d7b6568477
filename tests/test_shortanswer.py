"""The learned reader of short open answers (``segment.shortanswer``, session 15).

Phrasings written for this test after the reader was trained, none of them in a
development set or a phrase of ``non_answers.yaml``: answers that point elsewhere or
decline in a new way are non-answers; short views to an open question, including ones
that open with "No", "None" or "Nothing", stay answers; closed questions are untouched.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.segment.shortanswer import features, probability, short_non_answer
from helpers.ingest.segment.substantive import mark

ASKED = "Are there any groups of people who would be affected more than others by these changes?"

NON_ANSWERS = [
    "N/A – see previous page",
    "All covered in my email earlier.",
    "Said it all before.",
    "Covered in our letter to the council last month.",
    "Nothing more from our side; it is all in the letter we sent.",
    "Nothing beyond what is in the attached paper.",
]

ANSWERS = [
    "Carers.",
    "Cyclists and pedestrians.",
    "No parking for carers.",
    "Not enough buses.",
    "No bus on Sundays.",
    "None of the buses are accessible.",
    "Nothing for young people to do.",
    "Not safe for kids.",
    "No, but older people will suffer.",
    "Yes, wheelchair users.",
    "Nothing works here.",
    "Nobody listens to residents.",
    "None of this helps shift workers.",
    "Older people who rely on the number 7 bus.",
    "Please extend the opening hours of the library.",
]


@pytest.mark.parametrize("text", NON_ANSWERS)
def test_new_ways_of_saying_nothing_are_read(text: str) -> None:
    assert is_substantive(text)  # the phrases alone miss them: the reader is what is tested
    assert short_non_answer(text, ASKED)


@pytest.mark.parametrize("text", ANSWERS)
def test_short_views_stay_answers(text: str) -> None:
    assert not short_non_answer(text, ASKED)


def test_long_and_empty_texts_are_not_scored() -> None:
    assert features("See above. " * 20, ASKED) is None
    assert probability("", ASKED) == 0.0
    assert probability(None, ASKED) == 0.0  # type: ignore[arg-type]


def _consultation() -> Consultation:
    return Consultation(
        id="c",
        title="t",
        questions=[
            Question(id="q1", text="Do you agree with the proposal?", kind="closed"),
            Question(id="q2", text=ASKED, kind="open"),
        ],
    )


def test_mark_reads_open_questions_only() -> None:
    # Session 18: not "All covered in my email earlier.", which segment.residue now reads as a
    # pointer to another answer under any question (batch 20's gold: a pointer under a closed
    # question is a non-answer too).
    text = "All in my covering email."
    answers = pd.DataFrame(
        {
            "respondent_id": ["r", "r"],
            "question_id": ["q1", "q2"],
            "answer_text": [text, text],
            "start": [0, 40],
            "end": [32, 72],
        }
    )
    cons = _consultation()
    assert mark(answers, cons)["substantive"].tolist() == [True, False]
    assert mark(answers, cons, learned=False)["substantive"].tolist() == [True, True]
