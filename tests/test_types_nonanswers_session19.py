"""Session 19 (issue 12 items 4 and 6): respondent types and non-answers, in phrasings the
rules were not written for.

The rules were written from batch 21's misses (a campaign's "we" text pasted and signed by
a supporter; a form whose title prints the consulting council's name and whose
organisation box is a label over the answer; a non-answer over a line saying who filled
the form in, or who signs for a body; a form's part pointed to by its own name). Every
text below is written for this test, in other wordings and layouts, none from a
development set.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question
from helpers.core.schemas import Document
from helpers.ingest.authorship import consulting_body, find_authorship
from helpers.ingest.capacity_types import type_from_capacity_answer
from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.respondent_types import infer_respondent_type
from helpers.ingest.segment.residue import residue_non_answer

_CONSULTATION = Consultation(
    id="c",
    title="t",
    organisation="Northvale District Council",
    questions=(
        Question(id="who", kind="profile", text="Who are you?"),
        Question(id="q1", number=1, kind="open", text="What do you think of the plans?"),
        Question(id="q2", number=2, kind="open", text="Is there anything else to add?"),
    ),
)

# A campaign's text in the campaign's own "we", pasted by a supporter.
_PASTED = (
    "We want our market back. Our stalls have lost half their trade since the closure and "
    "our town deserves better than a car park.\n\nGive us the square on Saturdays; we will "
    "look after it."
)


def _typed(text: str) -> Document:
    doc = Document("r", text, "r.eml", "eml", "0" * 64)
    doc.respondent_type = infer_respondent_type(text, None)
    rows = pd.DataFrame({"question_id": ["q1"], "answer_text": [text]})
    type_from_capacity_answer(doc, rows, _CONSULTATION)
    return doc


@pytest.mark.parametrize("signature", ["Priya Shah\nMill Lane, NV3", "Dominic Fairweather"])
def test_a_pasted_we_text_signed_by_a_person_is_a_person(signature: str) -> None:
    assert _typed(f"{_PASTED}\n\n{signature}").respondent_type == "individual"


@pytest.mark.parametrize("signature", ["Priya Shah, Treasurer", "Dominic Fairweather\nChair"])
def test_a_we_text_signed_with_an_office_is_a_body(signature: str) -> None:
    assert _typed(f"{_PASTED}\n\n{signature}").respondent_type == "other"


def test_an_unsigned_we_text_is_still_a_body() -> None:
    assert _typed(_PASTED).respondent_type == "other"


FORM = (
    "Northvale District Council – Market Square consultation: response form\n\n"
    "{label}\n\n{value}\n\n1. What do you think of the plans?\n\nWe object to the car park."
)


@pytest.mark.parametrize(
    ("label", "value", "org"),
    [
        (
            "Name of your organisation",
            "Mill Lane Tenants' Association, 80 flats.",
            "Mill Lane Tenants' Association",
        ),
        ("Organisation name (if responding for one)", "Harbour Rowing Club", "Harbour Rowing Club"),
        (
            "Who are you responding on behalf of?",
            "The Northvale Traders' Guild – 40 stalls",
            "Northvale Traders' Guild",
        ),
    ],
)
def test_an_organisation_box_read_from_the_line_below_its_label(label, value, org) -> None:
    text = FORM.format(label=label, value=value)
    assert find_authorship(text, consulting=_CONSULTATION.organisation).organisation == org


@pytest.mark.parametrize("value", ["Individual", "N/A", "I am writing as a resident."])
def test_a_box_naming_nobody_gives_no_organisation(value: str) -> None:
    text = FORM.format(label="Name of organisation", value=value)
    assert find_authorship(text, consulting=_CONSULTATION.organisation).organisation is None


def test_the_consulting_body_is_not_the_respondent() -> None:
    text = (
        "Northvale District Council\nMarket Square consultation – notes of a telephone call\n\n"
        "Caller said she shops in the square every Saturday and wants the stalls back."
    )
    assert find_authorship(text).organisation == "Northvale District Council"
    assert find_authorship(text, consulting=_CONSULTATION.organisation).organisation is None


def test_a_unit_of_the_consulting_body_keeps_its_name() -> None:
    text = (
        "Northvale District Council – Environmental Health\n\n"
        "We have reviewed the plans. Our concern is noise from the stalls before 7am."
    )
    who = find_authorship(text, consulting=_CONSULTATION.organisation)
    assert who.organisation == "Northvale District Council"


def test_only_the_same_name_is_the_consulting_body() -> None:
    assert consulting_body("The Northvale District Council", "Northvale District Council")
    assert not consulting_body(
        "Northvale District Council Tenants Forum", "Northvale District Council"
    )
    assert not consulting_body("Northvale District Council", None)


@pytest.mark.parametrize(
    "text",
    [
        "No comment.\n\nCompleted by the parish clerk, 4 March 2024.",
        "Nil.\n\nThis response was agreed by the board of trustees on 12 May.",
        "Not applicable.\n\nSecretary to the Millbrook Allotment Holders",
        "Nothing to add.\n\nPolicy team of the Eastvale Carers Alliance",
        "N/A\n\nContact details: J. Brown, Clerk to the Parish Council",
        "See the parking box.",
        "Covered in our housing section.",
        "Not considered at the meeting.",
        "Not discussed.",
    ],
)
def test_non_answers_over_attestations_sign_offs_and_named_parts(text: str) -> None:
    assert residue_non_answer(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "None.\n\nWrite to the Eastvale Housing Trust instead",
        "See the state of the box junction!",
        "The meeting was a sham.",
        "Not considered fairly: disabled people were ignored.",
        "No.\n\nCompleted by my daughter because the bus gate has cut me off.",
        "See the parking box: it is far too small for vans.",
    ],
)
def test_a_word_of_substance_still_keeps_the_answer(text: str) -> None:
    assert is_substantive(text, "open") and not residue_non_answer(text, "open")


@pytest.mark.parametrize(
    ("text", "name", "rtype"),
    [
        (
            "Leave Our Square Alone is a campaign started by market traders in 2023. We have "
            "300 supporters.\n\nWe object to the car park.",
            "Leave Our Square Alone",
            "campaign_group",
        ),
        (
            "Bring The Buses Back In\n\nBring The Buses Back In is a community group of bus "
            "users. We meet monthly in the library.",
            "Bring The Buses Back In",
            "charity_voluntary",
        ),
    ],
)
def test_a_title_case_name_ending_in_a_small_word_describes_itself(text, name, rtype) -> None:
    who = find_authorship(text)
    assert who.organisation == name
    assert infer_respondent_type(text, who.organisation) == rtype


def test_a_sentence_with_small_words_is_not_a_name() -> None:
    text = "Between 8 and 9 in the morning it is a car park.\n\nWe object to it."
    assert find_authorship(text).organisation is None
