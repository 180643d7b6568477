"""Respondent types, session 13: a capacity answer "On behalf of an organisation: <name>" is
typed by the name it gives, else ``other``, never left ``unknown``.

Written after transport-15's form ("On behalf of an organisation: St Bede's … School"); the
answers below are new, with negatives (a person's answer; an organisation answer when the
document is typed already).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core.consultation import load_consultation
from helpers.core.schemas import Document
from helpers.ingest.capacity_types import named_organisation_type, type_from_capacity_answer

CONSULTATION = Path(__file__).resolve().parents[1] / "data/evaluation/transport/consultation.yaml"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("On behalf of an organisation: Pembury Vale Borough Council", "local_authority"),
        ("On behalf of an organisation – Hatherley Road Tenants' Association", "charity_voluntary"),
        ("Representing: Dunmore Logistics Ltd (transport manager)", "other"),
        ("On behalf of a group", "other"),
        ("For an organisation: Quayside Methodist Church", "charity_voluntary"),
        ("As a resident: I live on Mill Lane", None),
        ("Myself – I cycle to work", None),
        ("Resident", None),
    ],
)
def test_named_organisation_type(answer: str, expected: str | None) -> None:
    rules = load_consultation(CONSULTATION).respondent_types
    assert named_organisation_type(answer, rules) == expected


def _doc(rtype: str = "unknown", source: str = "none") -> Document:
    return Document(
        respondent_id="r1",
        text="Response form",
        source_file="r1.docx",
        source_format="docx",
        source_sha256="0" * 64,
        respondent_type=rtype,
        respondent_type_source=source,
    )


def test_an_organisation_answer_types_an_unknown_document() -> None:
    cons = load_consultation(CONSULTATION)
    doc = _doc()
    rows = [
        {
            "question_id": "capacity",
            "answer_text": "On behalf of an organisation: Marlow Street Surgery",
        }
    ]
    type_from_capacity_answer(doc, rows, cons)
    assert (doc.respondent_type, doc.respondent_type_source) == ("other", "inferred")


def test_an_organisation_answer_does_not_override_evidence() -> None:
    cons = load_consultation(CONSULTATION)
    doc = _doc("charity_voluntary", "inferred")  # the letterhead said "registered charity"
    rows = [{"question_id": "capacity", "answer_text": "On behalf of an organisation: Open Door"}]
    type_from_capacity_answer(doc, rows, cons)
    assert doc.respondent_type == "charity_voluntary"
