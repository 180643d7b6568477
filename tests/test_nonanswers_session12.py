"""Non-answers, session 12: a non-answer with the writer's sign-off under it (issue 12, item 4).

Batch 2 and 4's forms ended "N/A" / "no" with the writer's name below a blank line
("Rosie T.", "Tyler", "Tomasz Wrobel / Personal Adviser"), which kept the answer
substantive. The names, roles and organisations below are new; the negatives keep a
paragraph of the respondent's own below the non-answer, or a non-answer-like first line
followed by a sentence, a lower-case phrase, a number or an exclamation.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.ingest.nonanswers import mark_substantive, without_sign_off

OPEN = "Is there anything else you would like to tell us?"
CLOSED = "Do you agree with the proposed start date?"


def _marked(text: str, kind: str = "open", question: str = OPEN) -> bool:
    consultation = Consultation(
        id="c", title="t", questions=[Question(id="q", text=question, kind=kind)]
    )
    frame = pd.DataFrame({"answer_text": [text], "question_id": ["q"]})
    return bool(mark_substantive(frame, consultation)["substantive"].iloc[0])


@pytest.mark.parametrize(
    "text",
    [
        "None.\n\nGareth Pryce-Jones",
        "Nothing further to add\n\nP. Okonkwo",
        "No comment.\n\nDr Imogen Hale\nSenior Lecturer, Kenton College",
        "n/a\n\n  Jas K.  ",
        "No further comments, thank you.\n\nMaria de Souza\nChair\nFriends of Eastbrook Park",
        "Not applicable.\n\nWilliam van der Berg",
    ],
)
def test_a_non_answer_signed_below_is_a_non_answer(text: str) -> None:
    assert not _marked(text)
    assert not _marked(text, "closed", CLOSED)


@pytest.mark.parametrize(
    "text",
    [
        "None.\n\nSee the attached report for our evidence.",
        "No comment.\n\nBut the bus lane has made my road far noisier.",
        "N/A\n\nToo expensive",  # a lower-case word: a reason, not a name
        "None\n\nPage 4 of 4",
        "No further comments.\n\nKeep Mill Road Open!",
        "Nothing to add.\n\nWe Oppose This: It Is Unsafe",
        "Gareth Pryce-Jones",  # a name alone: not a non-answer
    ],
)
def test_a_paragraph_of_the_respondents_own_below_keeps_the_answer(text: str) -> None:
    assert _marked(text)


def test_a_closed_questions_bare_no_signed_below_stays_a_position() -> None:
    """To a closed question a bare "No" is the respondent's position, signed or not."""
    assert _marked("No\n\nHelen Marsh", "closed", CLOSED)
    assert not _marked("No\n\nHelen Marsh", "open", OPEN)


def test_without_sign_off_leaves_text_without_a_sign_off_unchanged() -> None:
    text = "We support the scheme.\n\nIt should start in spring."
    assert without_sign_off(text) is text
    assert without_sign_off("Nothing.\n\nAmir Haddad") == "Nothing."
    assert without_sign_off("Amir Haddad") == "Amir Haddad"  # nothing before it
