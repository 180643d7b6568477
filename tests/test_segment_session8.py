"""Session 8 segmentation rules, on phrasings written for these tests (not the dev text).

- a response form whose narrow left column holds bare question numbers ("1" |
  answer), in Word (python-docx, ☒ glyphs) and OpenDocument (zip + XML, an "X"
  typed after the option): numbers read as question numbers, tick boxes kept,
  also on a row with a tick and no words;
- a bold heading in the writer's words ending in a bracketed question number
  ("Opening times (question 2)");
- one heading naming several questions ("Q2-Q4:", "Questions 2 and 4") over
  one paragraph per question;
- non-answers behind a form's field label ("Answer: -") and pointing to a
  form's row ("As row 2.").
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from builders import make_doc

from helpers.core.consultation import load_consultation
from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.grouped import named_numbers
from helpers.ingest.stage import run_ingest
from helpers.stance import stance_answers

CONSULTATION = """\
id: hillbrook-libraries
title: Hillbrook library services review
organisation: Example District Council
questions:
  - id: about
    number: 1
    kind: profile
    short: About you
    text: In what capacity are you responding to this consultation?
  - id: hours
    number: 2
    kind: closed
    short: Opening hours
    text: To what extent do you agree or disagree with the proposed new opening hours for branch libraries?
  - id: van
    number: 3
    kind: closed
    short: Mobile library
    text: To what extent do you agree or disagree with replacing the mobile library van with a home delivery service?
  - id: other
    number: 4
    kind: open
    short: Anything else
    text: Is there anything else you would like to tell us about the library review?
"""
SCALE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


@pytest.fixture
def consultation(tmp_path: Path):
    f = tmp_path / "consultation.yaml"
    f.write_text(CONSULTATION, encoding="utf-8")
    return load_consultation(f)


def _ingest(tmp_path: Path, name: str, data: bytes):
    inp = tmp_path / "in"
    inp.mkdir(exist_ok=True)
    (inp / name).write_bytes(data)
    cfile = tmp_path / "consultation.yaml"
    cfile.write_text(CONSULTATION, encoding="utf-8")
    result = run_ingest(inp, cfile, tmp_path / "out", metadata_file=None)
    return result, load_consultation(cfile)


def _rows(answers: pd.DataFrame) -> dict[str, dict]:
    return {r["question_id"]: r for r in answers.to_dict("records")}


# --- forms with a column of bare numbers ---------------------------------------------


def _side_column_docx(path: Path) -> bytes:
    d = docx.Document()
    d.add_paragraph("Friends of Hillbrook Library - consultation form")
    rows = [
        ("1", ["A volunteer group running the reading club at the Hillbrook branch."]),
        ("2", ["☐ Agree", "☒ Disagree", "Evening closing at 5pm shuts out everyone who works."]),
        ("3", ["☒ Neither agree nor disagree"]),
        ("4", ["As row 2."]),
    ]
    table = d.add_table(rows=len(rows), cols=2)
    for r, (num, paras) in enumerate(rows):
        table.cell(r, 0).paragraphs[0].add_run(num).bold = True
        cell = table.cell(r, 1)
        cell.paragraphs[0].text = paras[0]
        for p in paras[1:]:
            cell.add_paragraph(p)
    d.save(path)
    return path.read_bytes()


def test_docx_side_column_numbers_and_tick_only_row(tmp_path: Path) -> None:
    result, consultation = _ingest(tmp_path, "friends.docx", _side_column_docx(tmp_path / "f.docx"))
    rows = _rows(result.answers)
    assert rows["about"]["answer_text"].startswith("A volunteer group")
    assert rows["hours"]["tick_box"] == "Disagree"
    assert rows["hours"]["answer_text"] == "Evening closing at 5pm shuts out everyone who works."
    # A tick and no words: the row is kept, its tick read, not moved or dropped.
    assert rows["van"]["tick_box"] == "Neither agree nor disagree"
    assert rows["van"]["answer_text"] == ""
    assert rows["other"]["answer_text"] == "As row 2."
    assert not rows["other"]["substantive"]
    for q in ("about", "hours", "van", "other"):
        assert rows[q]["match_method"] == "number", q
    st = stance_answers(result.answers, result.respondents, consultation)
    got = dict(zip(st["question_id"], st["stance"], strict=True))
    assert got == {"hours": "disagree", "van": "neither"}


def _odt(body: str) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.2"'
    )
    styles = (
        '<office:automatic-styles><style:style style:name="B" style:family="text">'
        '<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>{styles}'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return out.getvalue()


def _cell(*paras: str, bold: bool = False) -> str:
    ps = "".join(
        f'<text:p><text:span text:style-name="B">{p}</text:span></text:p>'
        if bold
        else f"<text:p>{p}</text:p>"
        for p in paras
    )
    return f"<table:table-cell>{ps}</table:table-cell>"


def test_odt_side_column_numbers_with_typed_x(tmp_path: Path) -> None:
    def options(ticked: str | None) -> list[str]:
        return [f"{o} X" if o == ticked else o for o in SCALE]

    rows = [
        ("1", ["I use the Hillbrook branch with my two grandchildren."]),
        ("2", options(None) + ["No view, we only go on Saturdays."]),
        ("3", [*options("Strongly disagree"), "The van is the only library my village has."]),
        ("4", ["Keep the children's storytime."]),
    ]
    body = (
        "<text:p>Mrs P. Okafor, Dunmere</text:p><table:table>"
        + "".join(
            f"<table:table-row>{_cell(n, bold=True)}{_cell(*ps)}</table:table-row>"
            for n, ps in rows
        )
        + "</table:table>"
    )
    result, consultation = _ingest(tmp_path, "okafor.odt", _odt(body))
    got = _rows(result.answers)
    assert [q for q in got if q in {"about", "hours", "van", "other"}] == [
        "about",
        "hours",
        "van",
        "other",
    ]
    assert pd.isna(got["hours"]["tick_box"])  # nothing marked: no tick box
    assert got["hours"]["answer_text"] == "No view, we only go on Saturdays."
    assert got["van"]["tick_box"] == "Strongly disagree"
    assert got["van"]["answer_text"] == "The van is the only library my village has."
    assert got["other"]["answer_text"] == "Keep the children's storytime."


def test_lone_number_without_cue_is_not_a_heading(consultation) -> None:
    """Plain lines holding only a number (a page number, a count) name no question."""
    text = (
        "We visited the branch twice last month.\n\n2\n\n"
        "The hours suit us and we support the change.\n\n3\n\nNothing more."
    )
    rows = segment_document(make_doc(text), consultation)
    assert not (rows["match_method"] == "number").any()


def test_cued_numbers_that_fit_no_question_are_not_headings(consultation) -> None:
    """Bold lone numbers outside the question numbers (a table of figures) stay text."""
    text = "Visits by year\n\n17\n\nsummer reading club\n\n42\n\nhomework club"
    cues = [
        (text.index("17"), text.index("17") + 2, "bold"),
        (text.index("42"), text.index("42") + 2, "bold"),
    ]
    rows = segment_document(make_doc(text, cues=cues), consultation)
    assert not (rows["match_method"] == "number").any()


# --- a bracketed question number at the end of a heading ----------------------------


def test_trailing_bracketed_question_number(consultation) -> None:
    heads = ["Who we are (question 1)", "Opening times (question 2)", "Other points (Q4)"]
    text = (
        f"{heads[0]}\n\nA reading group of twelve retired teachers.\n\n"
        f"{heads[1]}\n\nWe would rather keep late opening on Thursdays.\n\n"
        f"{heads[2]}\n\nPlease keep the newspapers."
    )
    cues = [(text.index(h), text.index(h) + len(h), "bold") for h in heads]
    rows = _rows(segment_document(make_doc(text, cues=cues), consultation))
    assert rows["about"]["answer_text"] == "A reading group of twelve retired teachers."
    assert rows["hours"]["answer_text"] == "We would rather keep late opening on Thursdays."
    assert rows["other"]["answer_text"] == "Please keep the newspapers."
    assert "van" not in rows


def test_bracketed_number_in_a_sentence_is_not_a_heading(consultation) -> None:
    text = (
        "Dear council,\n\nWe agree with the new hours (question 2).\n\n"
        "Our members think the van should stay, as the delivery service would not reach farms."
    )
    rows = segment_document(make_doc(text), consultation)
    assert not rows["match_method"].isin(["number", "number+text"]).any()


# --- one heading for several questions ----------------------------------------------


@pytest.mark.parametrize(
    ("heading", "numbers"),
    [
        ("Q2-Q4:", [2, 3, 4]),
        ("Questions 2 to 4", [2, 3, 4]),
        ("Q2–4", [2, 3, 4]),
        ("Questions 2 and 4", [2, 4]),
        ("Our view (questions 1, 3 and 4)", [1, 3, 4]),
        ("Q3/Q2", [3, 2]),
        ("Question 3", []),
        ("Q2-1", []),
        ("Opening hours", []),
        ("Q2 - Opening hours", []),
    ],
)
def test_named_numbers(heading: str, numbers: list[int]) -> None:
    assert named_numbers(heading) == numbers


def test_range_heading_one_paragraph_each(consultation) -> None:
    text = (
        "Hello,\n\nQ2-Q3:\n\nShorter Monday hours are fine by me.\n\n"
        "But the van must stay, my mother cannot get to town.\n\n"
        "Q4:\n\nThanks for asking."
    )
    rows = _rows(segment_document(make_doc(text), consultation))
    assert rows["hours"]["answer_text"] == "Shorter Monday hours are fine by me."
    assert rows["van"]["answer_text"] == "But the van must stay, my mother cannot get to town."
    assert rows["van"]["match_method"] == "paragraph"
    assert rows["other"]["answer_text"] == "Thanks for asking."


def test_range_heading_over_one_paragraph_stays_whole(consultation) -> None:
    text = "Questions 2 and 3:\n\nWe agree with both proposals.\n\nQ4: No."
    rows = _rows(segment_document(make_doc(text), consultation))
    assert rows["hours"]["answer_text"] == "We agree with both proposals."
    assert "van" not in rows


def test_range_heading_does_not_take_a_question_answered_elsewhere(consultation) -> None:
    text = (
        "Q2-Q3:\n\nThe hours are fine.\n\nWe use the branch a lot.\n\nQ3:\n\nThe van should stay."
    )
    rows = segment_document(make_doc(text), consultation)
    van = rows[rows["question_id"] == "van"]
    assert list(van["answer_text"]) == ["The van should stay."]


# --- non-answers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "substantive"),
    [
        ("Answer: -", "open", False),
        ("Your response: nothing further.", "open", False),
        ("Comments: N/A", "closed", False),
        ("Answer: Tend to agree", "closed", True),
        ("Response: the hours are too short.", "open", True),
        ("As row 3.", "open", False),
        ("See box 2", "closed", False),
        ("As row 3 shows, the van matters.", "open", True),
        ("As a parent I want later hours.", "open", True),
    ],
)
def test_non_answer_labels_and_rows(text: str, kind: str, substantive: bool) -> None:
    assert is_substantive(text, kind) is substantive


# --- bold paragraphs in RTF ------------------------------------------------------------


def test_rtf_bold_paragraphs_are_cues() -> None:
    from helpers.ingest.readers.rtf import read_rtf

    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}"
        r"{\stylesheet{\s1\b Heading 1;}}"
        "\n"
        r"\pard\plain\f0 From the Dunmere reading circle\par"
        r"\pard\plain\f0 {\b Godziny otwarcia}\par"
        r"\pard\plain\f0 Thursday evenings matter most to us.\par"
        r"\pard\plain\f0\b Biblioteka objazdowa\b0\par"
        r"\pard\plain\f0 {\b Note:} the van stops at the school gate.\par"
        r"\pard\plain\f0\b Still bold after a group {\i italic} here\par"
        r"\pard\plain\f0 Plain again after \\b in text and \{braces\}.\par}"
    )
    text, cues, _enc, _notes = read_rtf(rtf.encode("cp1252"), "circle.rtf", "rtf")
    bold = [text[s:e] for s, e, kind in cues if kind == "bold"]
    assert bold == [
        "Godziny otwarcia",
        "Biblioteka objazdowa",
        "Still bold after a group italic here",
    ]
    assert "\ue000" not in text and "\ue001" not in text
    assert "Note: the van stops at the school gate." in text
    assert "Plain again after \\b in text and {braces}." in text


def test_rtf_without_bold_reads_as_before() -> None:
    from helpers.ingest.readers.rtf import read_rtf

    rtf = r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\pard Q1\par\pard We agree.\par}"
    text, cues, _enc, _notes = read_rtf(rtf.encode("ascii"), "a.rtf", "rtf")
    assert (text, cues) == ("Q1\n\nWe agree.", [])


# --- the joint pass keeps a heading's empty row -----------------------------------------


def test_joint_rebuild_keeps_a_tick_only_row(consultation) -> None:
    """A row with a heading, a tick and no words is kept when another section moves."""
    from helpers.ingest.segment import joint

    text = "Hours\n\nLater on Thursdays please, we all work.\n\nVan\n\nOther\n\nKeep storytime."
    h2, h3, h4 = text.index("Hours"), text.index("Van"), text.index("Other")
    b2, b4 = text.index("Later"), text.index("Keep")
    base = dict(respondent_id="r1", question_number=None, match_score=0.4, warning=None)
    rows = pd.DataFrame(
        [
            dict(base, question_id="hours", start=b2, end=b2 + 39, heading_start=h2,
                 heading_text="Hours", match_method="order", tick_box=None),
            dict(base, question_id="van", start=h3 + 3, end=h3 + 3, heading_start=h3,
                 heading_text="Van", match_method="order", tick_box="Agree"),
            dict(base, question_id="about", start=b4, end=len(text), heading_start=h4,
                 heading_text="Other", match_method="order", tick_box=None),
        ]
    )  # fmt: skip
    rows["answer_text"] = [text[s:e] for s, e in zip(rows["start"], rows["end"], strict=True)]
    qs = consultation.questions
    out = joint._rebuild(rows, text, [(h4, b4, len(text), "Other", 3, 0.2)], [], qs)
    by_q = {r["question_id"]: r for r in out}
    assert by_q["van"]["tick_box"] == "Agree" and by_q["van"]["answer_text"] == ""
    assert by_q["other"]["answer_text"] == "Keep storytime."
    assert "hours" in by_q
