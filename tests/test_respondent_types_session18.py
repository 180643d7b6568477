"""Who wrote a response: session 18's voice cues (``capacity_types.answers_voice``, the unnamed
"we" body of ``respondent_types.infer_respondent_type``).

Texts written for this test, none from a development set: a printed response form whose
questions and instructions speak as the consulting body ("our proposals", "we will pass
it on") answered by one person; unnamed bodies writing as "we" (under a neutral form); a couple's short "we".
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.core.schemas import Document
from helpers.ingest.capacity_types import answers_voice, type_from_capacity_answer
from helpers.ingest.respondent_types import infer_respondent_type

_CONSULTATION = Consultation(
    id="c",
    title="t",
    questions=(
        Question(id="who", kind="profile", text="Who are you?"),
        Question(id="q1", number=1, kind="open", text="What do you think of our plans?"),
        Question(id="q2", number=2, kind="open", text="Is there anything else we should know?"),
    ),
)

FORM = (
    "Response card. Fill it in and we will pass it to the board for you. Our plans are on "
    "our website; we welcome your views and we read every card.\n\n"
    "1. What do you think of our plans?\n\n{a1}\n\n"
    "2. Is there anything else we should know?\n\n{a2}\n\nThank you from all of us."
)


def _typed(a1: str, a2: str, organisation: str | None = None) -> Document:
    text = FORM.format(a1=a1, a2=a2)
    doc = Document("r", text, "r.docx", "docx", "0" * 64, organisation=organisation)
    doc.respondent_type = infer_respondent_type(text, organisation)
    rows = pd.DataFrame(
        {"question_id": ["preamble", "q1", "q2"], "answer_text": [text[:120], a1, a2]}
    )
    type_from_capacity_answer(doc, rows, _CONSULTATION)
    return doc


@pytest.mark.parametrize(
    ("a1", "a2"),
    [
        ("My dad worked there for thirty years and I still walk past it.", "I hope it stays."),
        ("i think its rubbish tbh, my mates all say so", "im done"),
        ("Since my stroke I rely on the shuttle; my carer drives me on Fridays.", "No."),
    ],
)
def test_a_person_answering_a_form_printed_in_the_bodys_voice(a1: str, a2: str) -> None:
    doc = _typed(a1, a2)
    assert doc.respondent_type == "individual"


def test_the_answers_voice_needs_a_person_and_no_organisation() -> None:
    # A body's answers stay the body's; one "I" is not enough.
    assert _typed("We run the hall and our volunteers use it.", "No.").respondent_type != (
        "individual"
    )
    assert _typed("It should stay open.", "I agree.").respondent_type != "individual"
    doc = Document("r", "x", "r.docx", "docx", "0" * 64, organisation="Elm Lane Allotments")
    rows = [{"question_id": "q1", "answer_text": "My plot, my shed, I love it."}]
    assert answers_voice(doc, rows, _CONSULTATION) is None


@pytest.mark.parametrize(
    "text",
    [
        "We welcome the plans. Our staff see every day how late buses hurt our clients, and "
        "we would ask for earlier services.",
        "Our members discussed this at length. We support the scheme but we worry about our "
        "older members.",
    ],
)
def test_an_unnamed_body_writing_as_we_is_an_organisation(text: str) -> None:
    assert _typed(text, "No.").respondent_type == "other"


@pytest.mark.parametrize(
    "text",
    [
        "We don't go there much, so we'll leave it.",  # a couple's short "we"
        "Fine by us.",
        "I think we should all support it, and my neighbours and I will.",
    ],
)
def test_a_short_or_mixed_we_is_no_body(text: str) -> None:
    assert _typed(text, "No.").respondent_type != "other"
