"""An e-mail's covering note tells who sent an attached response, and is never an answer.

Real messages built with the standard library's ``email`` and real .docx
attachments built with python-docx, read by the whole ingest stage.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pandas as pd
from builders import make_docx

from helpers.core.schemas import Document
from helpers.ingest.respondents import with_cover_note
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"
Q1 = (
    "Q1) To what extent do you agree or disagree with our proposal to introduce a "
    "separate new judgement within ILACS?"
)
Q3 = "Q3) Should we introduce the new judgement from January 2023?"
DOCX = "vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mail(tmp_path: Path, sender: str, note: str, answers: list[str]) -> bytes:
    docx = make_docx(
        tmp_path / "answers.docx",
        [(Q1, "heading2"), answers[0], (Q3, "heading2"), answers[1]],
    )
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "consultation@example.gov.uk"
    msg["Subject"] = "Consultation response"
    msg.set_content(note)
    msg.add_attachment(docx.read_bytes(), maintype="application", subtype=DOCX, filename=docx.name)
    return bytes(msg)


def _ingest(tmp_path: Path, data: bytes):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "reply.eml").write_bytes(data)
    return run_ingest(inp, OFSTED, tmp_path / "out", metadata_file=None)


def _answers(result) -> dict[str, str]:
    return dict(zip(result.answers.question_id, result.answers.answer_text, strict=True))


def test_signature_of_covering_note_gives_the_organisations_type(tmp_path: Path) -> None:
    note = (
        "Good morning,\n\nOur answers are in the attached document.\n\nWarm regards\n\n-- \n"
        "Priya Nandakumar\nDirector, Tidewater Youth Housing\n"
        "Registered charity no. 1098765 | Company no. 04455667\n"
    )
    answers = ["We agree strongly with a separate judgement.", "Yes, January is fine."]
    result = _ingest(tmp_path, _mail(tmp_path, "Priya <p.n@tidewater.example.net>", note, answers))
    row = result.respondents.iloc[0]
    assert row.respondent_type == "charity_voluntary"
    assert row.organisation == "Tidewater Youth Housing"
    got = _answers(result)
    assert got["q1"] == answers[0] and got["q3"] == answers[1]  # from the attachment only
    everything = "\n".join(result.answers.answer_text) + row.text
    for word in ("Registered charity", "Tidewater", "Priya", "attached document"):
        assert word not in everything  # the covering note is not answer text


def test_an_individuals_covering_note_keeps_individual(tmp_path: Path) -> None:
    note = "Hi there,\n\nmy answers are attached, sorry it's late.\n\nThanks,\nSam\n"
    answers = ["Agree, it is long overdue.", "Sooner the better."]
    result = _ingest(tmp_path, _mail(tmp_path, "Sam <sam1987@example.com>", note, answers))
    row = result.respondents.iloc[0]
    assert row.respondent_type == "individual"
    assert pd.isna(row.organisation)
    assert "Sam" not in row.text and "Thanks" not in row.text


def test_the_responses_own_evidence_comes_first(tmp_path: Path) -> None:
    """A personal-capacity response sent from a charity's account stays an individual's."""
    note = (
        "Please see attached.\n\nBest,\nOwen Pryce\nSupport Worker, Northgate Young Persons Trust\n"
        "Registered charity no. 1122334\n"
    )
    answers = [
        "I am responding in a personal capacity, not for my employer. I agree.",
        "I think January is too soon.",
    ]
    result = _ingest(tmp_path, _mail(tmp_path, "Owen <o.p@example.org>", note, answers))
    assert result.respondents.iloc[0].respondent_type == "individual"


def test_with_cover_note_order() -> None:
    """The note fills in ``unknown`` or types an ``other``; it never overrides a known type."""

    def doc(note: str, org: str | None = None) -> Document:
        return Document("r", "", "r.eml", "eml", "0", organisation=org, cover_note=note)

    signed = "Attached.\n\nKind regards\nJo Brennan\nChair, Ferncliffe Residents Forum"
    charity = "Attached.\n\nRegistered charity no. 1012345"
    assert with_cover_note("local_authority", doc(charity)) == "local_authority"
    assert with_cover_note("individual", doc(charity)) == "individual"
    assert with_cover_note("other", doc(charity, "Ferncliffe Lodge")) == "charity_voluntary"
    assert with_cover_note("other", doc("Thanks,\nMo", "Ferncliffe Lodge")) == "other"
    assert with_cover_note("unknown", doc(signed, "Ferncliffe Residents Forum")) != "unknown"
    assert with_cover_note("unknown", Document("r", "", "r.eml", "eml", "0")) == "unknown"
