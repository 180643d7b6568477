"""The e-mail (.eml) reader, on real messages built with the standard library's ``email``."""

from __future__ import annotations

import random
import shutil
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
import pytest
from builders import make_docx, make_pdf

from helpers.ingest import cache as ingest_cache
from helpers.ingest.readers import CONVERT_HINTS, DOCUMENT_READERS, SUPPORTED, read_attachment
from helpers.ingest.readers.mail import body_points_to_attachment, clean_body, read_eml
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"
SENDER = "jane.smith@example.org"

Q1 = (
    "Q1) To what extent do you agree or disagree with our proposal to introduce a "
    "separate new judgement within ILACS?"
)
Q3 = "Q3) Should we introduce the new judgement from January 2023?"


def _message(body: str | None = None, html: str | None = None, org: str | None = None):
    msg = EmailMessage()
    msg["From"] = f"Jane Smith <{SENDER}>"
    msg["To"] = "consultation@example.gov.uk"
    msg["Subject"] = "Response to the care leavers consultation"
    if org:
        msg["Organization"] = org
    if body is not None:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    return msg


def _attach(msg: EmailMessage, path: Path, maintype: str, subtype: str) -> None:
    msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)


def _ingest(tmp_path: Path, files: dict[str, bytes], cache: Path | None = None):
    inp = tmp_path / "in"
    inp.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (inp / name).write_bytes(data)
    return run_ingest(inp, OFSTED, tmp_path / "out", metadata_file=None, cache_dir=cache)


def _answers(result) -> pd.Series:
    return result.answers.set_index(["respondent_id", "question_id"]).answer_text


def _everything(result) -> str:
    frames = [result.respondents, result.answers, result.log]
    return "\n".join(df.astype(str).to_csv() for df in frames)


def _assert_offsets(result) -> None:
    texts = dict(zip(result.respondents.respondent_id, result.respondents.text, strict=True))
    for row in result.answers.itertuples():
        assert texts[row.respondent_id][row.start : row.end] == row.answer_text


def test_registry() -> None:
    assert SUPPORTED[".eml"] == "eml" and "eml" in DOCUMENT_READERS
    assert ".eml" not in CONVERT_HINTS
    assert "save" in CONVERT_HINTS[".msg"] and ".eml" in CONVERT_HINTS[".msg"]


def test_body_is_the_response_segmented(tmp_path: Path) -> None:
    body = (
        "Dear consultation team,\n\n"
        f"{Q1}\n\nWe agree with the proposal.\n\n"
        f"{Q3}\n\nWe disagree: it is too soon.\n"
    )
    msg = _message(body, html="<p>HTML copy, not used</p>", org="Example Care Trust")
    result = _ingest(tmp_path, {"trust.eml": bytes(msg)})
    assert result.log.status.tolist() == ["processed"]
    answers = _answers(result)
    assert answers[("trust", "q1")] == "We agree with the proposal."
    assert answers[("trust", "q3")] == "We disagree: it is too soon."
    resp = result.respondents.set_index("respondent_id")
    assert resp.loc["trust", "source_format"] == "eml"
    assert resp.loc["trust", "organisation"] == "Example Care Trust"
    assert resp.loc["trust", "organisation_source"] == "metadata"
    assert "HTML copy" not in resp.loc["trust", "text"]
    assert "Response to the care leavers" not in resp.loc["trust", "text"]  # the Subject
    everything = _everything(result)
    assert SENDER not in everything and "Jane Smith" not in everything
    _assert_offsets(result)


def test_quoted_reply_signature_and_disclaimer_removed(tmp_path: Path) -> None:
    body = (
        "We agree with the proposal and think it should start in 2023.\n"
        "> You asked whether we agree.\n"
        "Care leavers need stable housing.\n\n"
        "-- \n"
        "Jane Smith\nPolicy Officer\n"
        f"{SENDER}\n\n"
        "On Mon, 3 Oct 2022 at 10:00, Ofsted Consultations <c@example.gov.uk>\nwrote:\n"
        "> Please respond by Friday.\n"
    )
    msg = _message(body)
    result = _ingest(tmp_path, {"reply.eml": bytes(msg)})
    text = result.respondents.text.iloc[0]
    assert text == (
        "We agree with the proposal and think it should start in 2023.\n"
        "Care leavers need stable housing."
    )
    assert pd.isna(result.respondents.organisation.iloc[0])

    body = (
        "Care leavers need stable housing and a named worker.\n\n"
        "Disclaimer:\n\n"
        "This e-mail and any attachments are confidential and may be privileged. "
        "If you have received this email in error please notify the sender and delete it.\n\n"
        "Our systems scan outgoing mail for viruses but we accept no liability for any virus.\n\n"
        "-----Original Message-----\nFrom: Ofsted\nSent: 3 October 2022\nPlease respond.\n"
    )
    result = _ingest(tmp_path / "b", {"notice.eml": bytes(_message(body))})
    assert result.respondents.text.iloc[0] == (
        "Care leavers need stable housing and a named worker."
    )
    notes = result.log.reason.iloc[0]
    assert "legal disclaimer removed" in notes and "quoted earlier message removed" in notes


def test_clean_body_rules() -> None:
    outlook = "Yes.\n\nFrom: Someone\nSent: Monday\nTo: x\nSubject: y\n\nOld text"
    assert clean_body(outlook)[0] == "Yes."
    # A sentence about confidentiality inside the answer is the respondent's own.
    own = "Records about care leavers are confidential and should stay so.\n\nThat is all."
    assert clean_body(own)[0] == own
    assert body_points_to_attachment("Please find attached our response. Regards, Jane")
    assert not body_points_to_attachment("word " * 200 + "see attached annex")


def test_please_find_attached_docx_is_the_response(tmp_path: Path) -> None:
    docx = make_docx(
        tmp_path / "Our response.docx",
        [(Q1, "heading2"), "We agree with the proposal.", (Q3, "heading2"), "Not yet."],
    )
    msg = _message(
        "Hello,\n\nPlease find attached our response to the consultation.\n\nKind regards\nJane",
        org="Example Care Trust",
    )
    _attach(
        msg,
        docx,
        "application",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    result = _ingest(tmp_path, {"attached.eml": bytes(msg)}, cache=tmp_path / "cache")
    assert result.log.status.tolist() == ["processed"]
    shutil.rmtree(tmp_path / "cache" / "ingest")  # the stage's tables: read through the parse cache
    before = ingest_cache.STATS.copy()
    again = _ingest(tmp_path, {}, cache=tmp_path / "cache")
    assert ingest_cache.STATS["reused"] - before["reused"] == 1
    pd.testing.assert_frame_equal(again.log, result.log)  # the attachment's note kept
    pd.testing.assert_frame_equal(again.respondents, result.respondents)
    text = result.respondents.text.iloc[0]
    assert "Please find attached" not in text and "Jane" not in text
    answers = _answers(result)
    assert answers[("attached", "q1")] == "We agree with the proposal."
    assert answers[("attached", "q3")] == "Not yet."
    assert SENDER not in _everything(result)
    _assert_offsets(result)


def test_substantive_body_then_pdf_and_unsupported_attachment(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "annex.pdf", [["Annex: housing data for 2021."]])
    body = " ".join(["Care leavers told us that housing matters more than anything else."] * 12)
    msg = _message(body + f"\n\nSee attached annex. Questions to {SENDER} please.")
    _attach(msg, pdf, "application", "pdf")
    msg.add_attachment(
        b"\x89PNG\r\n\x1a\n fake", maintype="image", subtype="png", filename="logo.png"
    )
    result = _ingest(tmp_path, {"annex.eml": bytes(msg)})
    assert result.log.status.tolist() == ["processed"]
    text = result.respondents.text.iloc[0]
    assert text.startswith("Care leavers told us") and text.endswith(
        "See attached annex. Questions to [address removed] please.\n\n"
        "Annex: housing data for 2021."
    )
    assert SENDER not in _everything(result)
    assert "attachment logo.png not read: file type not supported" in result.log.reason.iloc[0]


def test_html_only_body(tmp_path: Path) -> None:
    html = (
        "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
        "<p>We <b>strongly</b> agree.</p><p>See <a href='http://example.com/x'>our page</a>."
        "</p><blockquote>Earlier message</blockquote></body></html>"
    )
    result = _ingest(tmp_path, {"html.eml": bytes(_message(html=html))})
    assert result.respondents.text.iloc[0] == "We strongly agree.\n\nSee our page."


def test_corrupt_eml_fails_clearly_and_others_go_on(tmp_path: Path) -> None:
    junk = random.Random(0).randbytes(4000)
    result = _ingest(
        tmp_path, {"junk.eml": junk, "ok.eml": bytes(_message("We agree with it all."))}
    )
    log = result.log.set_index("file")
    assert log.loc["junk.eml", "status"] == "failed"
    assert log.loc["junk.eml", "reason"].startswith("junk.eml: no text found")
    assert log.loc["ok.eml", "status"] == "processed"
    assert result.respondents.respondent_id.tolist() == ["ok"]


@pytest.mark.parametrize("body", ["", "\n\n"])
def test_empty_message_fails(tmp_path: Path, body: str) -> None:
    result = _ingest(tmp_path, {"empty.eml": bytes(_message(body))})
    assert result.log.status.tolist() == ["failed"]
    assert "empty.eml: no text found" in result.log.reason.iloc[0]


def test_organisation_header_never_keeps_an_address() -> None:
    msg = _message("We agree.", org=f"Example Care Trust <{SENDER}>")
    text, _cues, _enc, _notes, org = read_eml(bytes(msg), "o.eml", read_attachment)
    assert (text, org) == ("We agree.", "Example Care Trust")


def test_deeply_nested_html_is_read_in_linear_time() -> None:
    html = "<div>" * 20000 + "deep text" + "</div>" * 20000
    text, *_ = read_eml(bytes(_message(html=html)), "deep.eml", read_attachment)
    assert text == "deep text"  # took minutes when the tree was edited per tag
