"""Respondent types added in session 9 (issue 12): a name's head word, a bracket after a
capacity answer, generic words for guilds and colleges, and a sign-off the sender's own mail
domain spells.

The names and answers below were written for these tests, unlike the batch-11 documents the
rules came from; negatives sit beside each (a person's own domain, a detail later in the
answer, a type word inside an "of" phrase).
"""

from __future__ import annotations

from email.message import EmailMessage

import pandas as pd
import pytest

from helpers.core.consultation import Consultation, Question, default_respondent_types
from helpers.core.schemas import Document
from helpers.ingest.capacity_types import type_from_capacity_answer
from helpers.ingest.readers import read_attachment
from helpers.ingest.readers.mail import domain_signature, read_eml
from helpers.ingest.respondent_types import (
    about_us_type,
    capacity_clauses,
    infer_respondent_type,
    type_of_name,
)


@pytest.mark.parametrize(
    ("name", "rtype"),
    [
        # the last word names the kind of body, whatever comes before it
        ("Holy Trinity Church of England Academy", "other"),
        ("St Mary's Catholic Sixth Form College", "other"),
        # in "X of Y" the X is the kind: a guild of college staff is a guild
        ("Guild of College Librarians", "professional_body"),
        ("Guild of Master Craftsmen", "professional_body"),
        ("University of Westmoor", "other"),
        ("Royal College of Midwives", "professional_body"),  # the longer name still wins
        ("Friends of St Peter's Church", "charity_voluntary"),
        # unchanged: a council's own unit, a housing association, an unknown noun
        ("Westshire County Council Virtual School", "local_authority"),
        ("Riverside Housing Association", "other"),
        ("The Corner Bakery", None),
    ],
)
def test_type_of_name_reads_the_head_word(name: str, rtype: str | None) -> None:
    assert type_of_name(name, default_respondent_types()) == rtype


@pytest.mark.parametrize(
    ("answer", "clauses"),
    [
        ("Kinship carer (individual)", ["Kinship carer", "individual"]),
        (
            "Youth club leader [on behalf of a charity]",
            ["Youth club leader", "on behalf of a charity"],
        ),
        # a bracket later in the answer is detail, not read
        ("Resident. I drive to the business park (most days)", ["Resident"]),
        ("Shift worker", ["Shift worker"]),
    ],
)
def test_capacity_clauses(answer: str, clauses: list[str]) -> None:
    assert capacity_clauses(answer) == clauses


def _typed(answer: str) -> str:
    consultation = Consultation(
        id="c",
        title="t",
        questions=[
            Question(id="who", text="In which capacity are you responding?", kind="profile")
        ],
    )
    doc = Document(
        respondent_id="r1", source_file="f.docx", source_format="docx", source_sha256="0",
        text=answer, respondent_type="unknown",
        respondent_type_source="none",
    )  # fmt: skip
    answers = pd.DataFrame({"question_id": ["who"], "answer_text": [answer]})
    type_from_capacity_answer(doc, answers, consultation)
    return doc.respondent_type


def test_capacity_answer_bracket_gives_the_type() -> None:
    assert _typed("Kinship carer (private individual)") == "individual"
    assert _typed("Befriending scheme (a registered charity)") == "charity_voluntary"
    assert (
        _typed("Special guardian (since 2019)") == "unknown"
    )  # a bracket of no type changes nothing


@pytest.mark.parametrize(
    ("body", "address", "org"),
    [
        ("Thanks,\nMo\nThe Old Forge Bakery\n", "mo@oldforgebakery.co.uk", "The Old Forge Bakery"),
        ("Regards\nPetra\nGreenway Cycles Ltd", "petra@greenwaycycles.com", "Greenway Cycles Ltd"),
        # a person's own domain is a person, not an organisation
        ("Best wishes\nJane Smith", "jane@janesmith.net", None),
        # free mail: no line spells "gmail"
        ("Cheers\nThe Old Forge Bakery", "oldforge1972@gmail.com", None),
        # an earlier message's sign-off, quoted, is not the sender's
        ("Fine by me.\n> Kind regards\n> Old Forge Bakery", "x@oldforgebakery.co.uk", None),
    ],
)
def test_domain_signature(body: str, address: str, org: str | None) -> None:
    assert domain_signature(body, address) == org


def test_small_business_e_mail_is_an_organisation_not_a_person() -> None:
    msg = EmailMessage()
    msg["From"] = "Mo Hassan <mo@oldforgebakery.co.uk>"
    msg["To"] = "consult@example.gov.uk"
    msg["Subject"] = "Road closures"
    text = (
        "Hello,\n\nI open at six and my deliveries come from the ring road, so the closure "
        "means my van goes round twice. I would ask for an exemption for deliveries.\n\n"
        "Thanks\nMo\nThe Old Forge Bakery\n"
    )
    msg.set_content(text)
    body, _cues, _enc, _notes, org = read_eml(bytes(msg), "m.eml", read_attachment)
    assert org == "The Old Forge Bakery"
    assert infer_respondent_type(body, org) == "other"
    # The same words from a personal address: a person writing as "I".
    assert infer_respondent_type(body, None) == "individual"


@pytest.mark.parametrize(
    ("text", "rtype"),
    [
        (
            "Response\n\nWho we are\nA network of twelve voluntary lunch clubs for older people.",
            "charity_voluntary",
        ),
        ("ABOUT US: an association of 400 practising midwives in the region.", "professional_body"),
        ("About the organisation – a parish council serving 900 residents.", "local_authority"),
        # a description of no type, or of people, changes nothing
        ("Who we are\nA bakery and café on the high street since 1998.", None),
        ("About us\nParents of two children at the primary school.", None),
        # the words must follow such a heading: a charity named in the answers is not a description
        ("We think the charity shop will lose trade.", None),
    ],
)
def test_about_us_type(text: str, rtype: str | None) -> None:
    assert about_us_type(text, default_respondent_types()) == rtype


def test_about_us_gives_the_type_only_to_an_organisation_of_no_type() -> None:
    text = "Who we are\nA consortium of not-for-profit befriending schemes.\n\nWe support the plan."
    assert infer_respondent_type(text, "Eastvale Befriending Consortium") == "charity_voluntary"
    assert (
        infer_respondent_type(text, "Eastvale Borough Council") == "local_authority"
    )  # its name first
