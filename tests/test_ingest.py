"""Tests for helpers.ingest (stage, readers, respondents, cache) on real files built with real libraries."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
from builders import make_csv, make_docx, make_pdf, make_scanned_pdf, make_xlsx

from helpers.core.consultation import ConsultationError, load_consultation
from helpers.ingest import cache as ingest_cache
from helpers.ingest import stage as ingest
from helpers.ingest import stage_describe
from helpers.ingest.readers import ReadError
from helpers.ingest.readers.base import slugify
from helpers.ingest.readers.text import detect_encoding
from helpers.ingest.respondent_types import infer_respondent_type, map_respondent_type
from helpers.ingest.respondents import infer_organisation
from helpers.ingest.stage import read_document, run_ingest
from helpers.ingest.textnorm import markup_to_text, normalise

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

SURVEY_YAML = """\
id: test-survey
title: A test consultation
questions:
  - id: q1
    number: 1
    kind: closed
    text: Do you agree with the proposal?
  - id: q2
    number: 2
    kind: open
    text: What should change?
survey:
  respondent_id: Response ID
  organisation: Organisation
  respondent_type: Respondent type
  questions:
    q1: {tick_box: "Q1 agree", text: "Q1 comments"}
    q2: {text: "Q2"}
"""
HEADER = ["Response ID", "Organisation", "Respondent type", "Q1 agree", "Q1 comments", "Q2"]
ROWS = [
    ["R1", "Acme Trust", "Charity", "Agree", "We agree – mostly.", "More ‘housing’."],
    ["R2", "", "An individual", "Disagree", "", "Nothing"],
    ["R3", "Kent County Council", "Local authority", "", "", ""],
    ["R1", "Someone else", "Other", "Agree", "Again", "Again"],
]
R1_TEXT = (
    "Q1. Do you agree with the proposal?\nAgree\nWe agree – mostly.\n\n"
    "Q2. What should change?\nMore ‘housing’."
)


@pytest.fixture
def survey_consultation(tmp_path: Path) -> Path:
    path = tmp_path / "consultation.yaml"
    path.write_text(SURVEY_YAML, encoding="utf-8")
    return path


def _stub_segment(doc, consultation) -> pd.DataFrame:
    """One 'unstructured' answer per document: lets reader tests run without segment.py."""
    return pd.DataFrame(
        [
            {
                "respondent_id": doc.respondent_id,
                "question_id": "unstructured",
                "question_number": None,
                "start": 0,
                "end": len(doc.text),
                "answer_text": doc.text,
                "heading_text": None,
                "heading_start": None,
                "match_method": "unstructured",
                "match_score": 0.0,
                "tick_box": None,
                "warning": None,
                "substantive": True,
            }
        ]
    )


def _assert_offsets(result: ingest.IngestResult) -> None:
    texts = dict(zip(result.respondents.respondent_id, result.respondents.text, strict=True))
    for row in result.answers.itertuples():
        assert texts[row.respondent_id][row.start : row.end] == row.answer_text


# --- The reader registry ------------------------------------------------------------


def test_every_supported_extension_has_one_reader() -> None:
    from helpers.ingest import readers

    for ext, fmt in readers.SUPPORTED.items():
        assert (fmt in readers.DOCUMENT_READERS) != (fmt in readers.TABLE_READERS), ext
    assert not set(readers.CONVERT_HINTS) & set(readers.SUPPORTED)


# --- Encodings --------------------------------------------------------------------


def test_detect_encoding() -> None:
    sample = "café – ‘quoted’"
    assert detect_encoding(sample.encode("utf-8")) == ("utf-8", "valid UTF-8")
    assert detect_encoding(sample.encode("utf-8-sig"))[0] == "utf-8-sig"
    assert detect_encoding(sample.encode("utf-16"))[0] == "utf-16"
    assert detect_encoding(sample.encode("utf-16-le"))[0] == "utf-16-le"
    enc, how = detect_encoding(sample.encode("cp1252"))
    assert enc == "cp1252" and "not valid UTF-8" in how
    assert sample.encode("cp1252").decode(enc) == sample
    # 0x81 is undefined in Windows-1252, so only Latin-1 can decode this.
    assert detect_encoding("naïve".encode("latin-1") + b"\x81")[0] == "latin-1"
    assert detect_encoding(b"") == ("utf-8", "valid UTF-8")


def test_cp1252_text_file(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "Smith Letter.txt").write_bytes(
        "Dear Ofsted,\r\n\r\nI think the café – ‘quoted’ – is fine.".encode("cp1252")
    )
    cons = load_consultation(OFSTED)
    [doc] = read_document(inp / "Smith Letter.txt", inp, cons)
    assert doc.respondent_id == "smith-letter"
    assert doc.encoding == "cp1252"
    assert doc.text == "Dear Ofsted,\n\nI think the café – ‘quoted’ – is fine."


def test_utf16_and_markdown_text_files(tmp_path: Path) -> None:
    cons = load_consultation(OFSTED)
    (tmp_path / "wide.txt").write_bytes("Résumé of our view.\r\n".encode("utf-16"))
    [doc] = read_document(tmp_path / "wide.txt", tmp_path, cons)
    assert (doc.text, doc.encoding) == ("Résumé of our view.", "utf-16")
    (tmp_path / "notes.md").write_text("# Our view\n\nWe *agree*.", encoding="utf-8")
    [doc] = read_document("notes.md", tmp_path, cons)
    assert (doc.text, doc.source_format, doc.source_file) == (
        "Our view\n\nWe agree.",
        "md",
        "notes.md",
    )
    assert doc.cues == [(0, 8, "heading")]


# --- Word ---------------------------------------------------------------------------


def test_docx_body_order_cues_lists_and_tables(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "Acme Response.docx",
        [
            ("Response from Acme Housing Association", "title"),
            "Intro with a \ufb01ne ligature.",
            ("Q1) Do you agree?", "heading2"),
            ("Strongly agree with this", "bold"),
            ("Note: the rest is plain", "boldlead"),
            ("first point", "bullet"),
            ("second point", "number"),
            [["Question", "Answer"], ["Q2 Housing", "We want more homes."]],
            "After the table.",
        ],
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.source_format == "docx" and doc.respondent_id == "acme-response"
    assert doc.text == (
        "Response from Acme Housing Association\n\nIntro with a fine ligature.\n\n"
        "Q1) Do you agree?\n\nStrongly agree with this\n\nNote: the rest is plain\n\n"
        "- first point\n- second point\n\nQuestion\n\nAnswer\n\nQ2 Housing\n\n"
        "We want more homes.\n\nAfter the table."
    )
    assert [(doc.text[s:e], k) for s, e, k in doc.cues] == [
        ("Response from Acme Housing Association", "heading"),
        ("Q1) Do you agree?", "heading"),
        ("Strongly agree with this", "bold"),
        # A two-column table is read as a question | answer form: its first cells are heading cues.
        ("Question", "heading"),
        ("Q2 Housing", "heading"),
    ]
    assert infer_organisation(doc.text) == "Acme Housing Association"
    # A housing association is a landlord, not a professional body (the longest name wins).
    assert infer_respondent_type(doc.text, "Acme Housing Association") == "other"


def _w(tag: str, text: str | None = None, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k.replace("_", ":", 1)), v)
    if text is not None:
        el.text = text
        el.set(qn("xml:space"), "preserve")
    return el


def _run(text: str, tag: str = "w:t"):
    r = _w("w:r")
    r.append(_w(tag, text))
    return r


def test_docx_tracked_changes_and_content_controls(tmp_path: Path) -> None:
    """Word form fields and tracked changes: visible text kept, deleted text dropped."""
    import docx

    document = docx.Document()
    p = document.add_paragraph("We ")
    ins = _w("w:ins", w_id="1", w_author="Editor")
    ins.append(_run("strongly "))
    p._p.append(ins)
    dele = _w("w:del", w_id="2", w_author="Editor")
    dele.append(_run("do not ", "w:delText"))
    p._p.append(dele)
    p.add_run("agree.")
    field = document.add_paragraph("Organisation: ")
    sdt, content = _w("w:sdt"), _w("w:sdtContent")
    content.append(_run("Acme Trust"))
    sdt.append(content)
    field._p.append(sdt)
    # A block-level content control wrapping a whole paragraph.
    inner = document.add_paragraph("Inside a rich-text control.")
    block, block_content = _w("w:sdt"), _w("w:sdtContent")
    inner._p.addprevious(block)
    block_content.append(inner._p)
    block.append(block_content)
    document.add_paragraph("Last.")
    document.save(str(tmp_path / "form.docx"))
    [doc] = read_document(tmp_path / "form.docx", tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "We strongly agree.\n\nOrganisation: Acme Trust\n\nInside a rich-text control.\n\nLast."
    )


def test_garbage_docx_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReadError, match=r"report\.docx: not a valid Word \.docx file"):
        read_document(tmp_path / "report.docx", tmp_path, load_consultation(OFSTED))


# --- PDF ----------------------------------------------------------------------------


def test_pdf_paragraphs_hyphenation_headers_and_page_breaks(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "council.pdf",
        [
            [
                ("Q1) Do you agree?", "bold"),
                "",
                "We think the organ-",
                "isation of services is",
                "good. Next sentence.",
                "",
                "New paragraph here.",
                "- a bullet point",
                "A paragraph split over a page and it continues to",
            ],
            ["the next page of the response.", "", "Last paragraph."],
            ["Third page text."],
        ],
        header="Kent County Council response 2022",
        page_numbers=True,
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "Q1) Do you agree?\n\nWe think the organisation of services is good. Next sentence."
        "\n\nNew paragraph here.\n- a bullet point A paragraph split over a page and it "
        "continues to the next page of the response.\n\nLast paragraph.\n\nThird page text."
    )
    assert [(doc.text[s:e], k) for s, e, k in doc.cues] == [("Q1) Do you agree?", "bold")]


def test_pdf_question_headings_are_not_running_headers(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "carer.pdf",
        [
            [
                ("Question 1", "bold"),
                "",
                "I agree that care leavers need a judgement and I",
                "think it is long over-",
                "due.",
            ],
            [("Question 4", "bold"), "", "My foster son struggled to find housing."],
        ],
        page_numbers=True,
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "Question 1\n\nI agree that care leavers need a judgement and I think it is long "
        "overdue.\n\nQuestion 4\n\nMy foster son struggled to find housing."
    )
    assert [(doc.text[s:e], k) for s, e, k in doc.cues] == [
        ("Question 1", "bold"),
        ("Question 4", "bold"),
    ]
    assert infer_organisation(doc.text) is None
    assert infer_respondent_type(doc.text, None) == "individual"


def test_run_ingest_word_and_pdf_end_to_end(tmp_path: Path) -> None:
    """Real segmentation on Word and PDF responses: cues reach segment, offsets hold."""
    inp = tmp_path / "in"
    inp.mkdir()
    make_docx(
        inp / "Leeds City Council.docx",
        [
            ("Leeds City Council response to the Ofsted consultation", "title"),
            (
                "Q1) To what extent do you agree with our proposal to introduce a separate new judgement?",
                "heading2",
            ),
            "We agree with the proposal.",
            ("Q3) Should we introduce the new judgement from January 2023?", "heading2"),
            "We disagree: it is too soon.",
        ],
    )
    make_pdf(
        inp / "carer.pdf",
        [
            [
                ("Q4) Do you have any additional comments about our proposals?", "bold"),
                "",
                "My foster son",
                "struggled to find housing.",
            ]
        ],
    )
    result = run_ingest(inp, OFSTED, tmp_path / "out", metadata_file=None)
    assert result.log.status.tolist() == ["processed", "processed"]
    resp = result.respondents.set_index("respondent_id")
    assert resp.loc["leeds-city-council", "organisation"] == "Leeds City Council"
    assert resp.loc["leeds-city-council", "respondent_type"] == "local_authority"
    answers = result.answers.set_index(["respondent_id", "question_id"]).answer_text
    assert answers[("leeds-city-council", "q1")] == "We agree with the proposal."
    assert answers[("leeds-city-council", "q3")] == "We disagree: it is too soon."
    assert answers[("carer", "q4")] == "My foster son struggled to find housing."
    _assert_offsets(result)


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(
        ReadError, match=r"scan\.pdf: no text layer \(scanned PDF\?\): run OCR first"
    ):
        read_document(path, tmp_path, load_consultation(OFSTED))


def test_truncated_pdf_fails_clearly(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "full.pdf", [["Some text on the page."] * 10] * 2)
    (tmp_path / "cut.pdf").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(
        ReadError, match=r"cut\.pdf: could not read the PDF \(corrupt or truncated\?\)"
    ):
        read_document(tmp_path / "cut.pdf", tmp_path, load_consultation(OFSTED))


# --- Survey exports -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "fname", "encoding"),
    [
        (lambda p, rows: make_csv(p, rows, "utf-8-sig"), "export.csv", "utf-8-sig"),
        (lambda p, rows: make_csv(p, rows, "cp1252"), "export.csv", "cp1252"),
        (make_xlsx, "export.xlsx", None),
    ],
)
def test_survey_export(tmp_path, survey_consultation, maker, fname, encoding) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    maker(inp / fname, [HEADER, *ROWS])
    result = run_ingest(inp, survey_consultation, tmp_path / "out", cache_dir=tmp_path / "cache")
    resp = result.respondents.set_index("respondent_id")
    # R3 answered nothing and is still a respondent; the second R1 is dropped
    assert list(resp.index) == ["R1", "R2", "R3"]
    assert resp.loc["R3", "text"] == "" and resp.loc["R3", "source_row"] == 3
    r3 = result.answers[result.answers.respondent_id == "R3"]
    assert r3.question_id.tolist() == ["q1", "q2"] and (r3.answer_text == "").all()
    assert resp.loc["R1", "text"] == R1_TEXT
    assert resp.loc["R1", "source_row"] == 1 and resp.loc["R2", "source_row"] == 2
    assert resp.loc["R1", "organisation"] == "Acme Trust"
    assert resp.loc["R1", "respondent_type"] == "charity_voluntary"
    assert resp.loc["R2", "respondent_type"] == "individual"
    assert resp.loc["R1", "organisation_source"] == "survey"
    assert pd.isna(resp.loc["R2", "organisation"])
    if encoding:
        assert resp.loc["R1", "encoding"] == encoding
    else:
        assert pd.isna(resp.loc["R1", "encoding"])
    statuses = list(zip(result.log.status, result.log.reason, strict=True))
    assert statuses[0][0] == "processed"
    assert any(
        s == "failed" and f"{fname}: rows 1 and 4: duplicated respondent id 'R1'" in r
        for s, r in statuses
    )
    assert not any(s == "skipped" for s, _ in statuses)
    # Survey documents arrive pre-segmented: the spans are exactly the cells.
    [doc] = [
        d
        for d in read_document(inp / fname, inp, load_consultation(survey_consultation))
        if d.respondent_id == "R1"
    ]
    s, e, tick = doc.survey_answers["q1"]
    assert (doc.text[s:e], tick) == ("We agree – mostly.", "Agree")
    s, e, tick = doc.survey_answers["q2"]
    assert (doc.text[s:e], tick) == ("More ‘housing’.", None)
    [r2] = [
        d
        for d in read_document(inp / fname, inp, load_consultation(survey_consultation))
        if d.respondent_id == "R2"
    ]
    s, e, tick = r2.survey_answers["q1"]
    assert (s == e, tick) == (True, "Disagree")
    _assert_offsets(result)


def test_semicolon_csv_with_title_row(tmp_path, survey_consultation) -> None:
    """European Excel writes ';'-separated CSV; exports often have a title row first."""
    rows = [["Consultation export 2022"], HEADER, ROWS[0], ROWS[1]]
    make_csv(tmp_path / "eu.csv", [[c.replace(",", "") for c in r] for r in rows], "cp1252")
    raw = (tmp_path / "eu.csv").read_bytes().decode("cp1252").replace(",", ";")
    (tmp_path / "eu.csv").write_bytes(raw.encode("cp1252"))
    docs = read_document(tmp_path / "eu.csv", tmp_path, load_consultation(survey_consultation))
    assert [(d.respondent_id, d.source_row, d.encoding) for d in docs] == [
        ("R1", 1, "cp1252"),
        ("R2", 2, "cp1252"),
    ]
    assert docs[0].text == R1_TEXT


def test_xlsx_extra_sheets_are_noted(tmp_path, survey_consultation) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Responses"
    for row in [HEADER, ROWS[0]]:
        ws.append(row)
    wb.create_sheet("Summary").append(["Total", 1])
    inp = tmp_path / "in"
    inp.mkdir()
    wb.save(str(inp / "two.xlsx"))
    result = run_ingest(inp, survey_consultation, tmp_path / "out")
    reason = result.log.set_index("file").loc["two.xlsx", "reason"]
    assert "read sheet 'Responses'; 1 other sheet(s) ignored" in reason
    assert result.respondents.text.tolist() == [R1_TEXT]


def test_survey_missing_column_and_missing_mapping(tmp_path, survey_consultation) -> None:
    make_csv(tmp_path / "bad.csv", [[h for h in HEADER if h != "Q2"], ROWS[0][:5]])
    # The mapping does not fit the export: a configuration error (the run stops, exit 1)
    # naming the file, the column and the consultation.yaml field, not one failed file.
    with pytest.raises(ConsultationError) as err:
        read_document(tmp_path / "bad.csv", tmp_path, load_consultation(survey_consultation))
    msg = str(err.value)
    assert msg.startswith("bad.csv: column(s) named in the survey mapping of ")
    assert "'Q2' (field survey.questions.q2.text)" in msg and "'Q1 comments'" in msg
    make_csv(tmp_path / "good.csv", [HEADER, ROWS[0]])
    with pytest.raises(ReadError, match=r"good\.csv: .*needs a `survey:` section"):
        read_document(tmp_path / "good.csv", tmp_path, load_consultation(OFSTED))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Charity", "charity_voluntary"),
        ("Local authority", "local_authority"),
        ("An individual", "individual"),
        ("campaign_group", "campaign_group"),
        ("Professional body", "professional_body"),
        ("", None),
        ("Martian", None),
        ("Other (please specify)", "other"),
        ("A mother", None),
        ("Parent or carer of a care leaver", "individual"),
        ("Voluntary and community sector", "charity_voluntary"),
    ],
)
def test_map_respondent_type(value, expected) -> None:
    assert map_respondent_type(value) == expected


# --- Inference ----------------------------------------------------------------------


def test_inference_on_real_texts() -> None:
    acrcg = normalise((RAW / "acrcg.txt").read_text(encoding="utf-8"))
    become, _ = markup_to_text((RAW / "become.txt").read_text(encoding="utf-8"))
    org = infer_organisation(acrcg)
    assert org == "Access to Care Records Campaign Group (ACRCG)"
    assert infer_respondent_type(acrcg, org) == "campaign_group"
    assert infer_organisation(become) == "Become"
    assert infer_respondent_type(become, "Become") == "charity_voluntary"


@pytest.mark.parametrize(
    ("text", "org", "rtype"),
    [
        (
            "I am writing on behalf of Leeds City Council. We agree.",
            "Leeds City Council",
            "local_authority",
        ),
        (
            "About Us - we help.\n\nAbout Carers First: we are a registered charity.",
            "Carers First",
            "charity_voluntary",
        ),
        (
            "I am writing in response to the consultation. My son is a care leaver.",
            None,
            "individual",
        ),
        ("Response from Barnardo's and Become\n\nWe agree.", "Barnardo's and Become", "other"),
        (
            "Submission from the Royal College of Nursing\n\nWe agree.",
            "Royal College of Nursing",
            "professional_body",
        ),
        (
            "Dear Sir,\n\nI am a foster carer. I think my experience shows I was right.",
            None,
            "individual",
        ),
        ("We agree with the proposal.", None, "unknown"),
    ],
)
def test_inference_rules(text, org, rtype) -> None:
    found = infer_organisation(text)
    assert found == org
    assert infer_respondent_type(text, found) == rtype


# --- Respondent-type words from the consultation -----------------------------------

CARE_WORDS = """\
respondent_types:
  individual:
    answers: [foster, care leaver, young person, care-experienced, care experienced]
"""


@pytest.mark.parametrize(
    "value", ["Care leaver", "A young person", "Care-experienced adult", "Foster family"]
)
def test_care_words_come_from_the_consultation_not_the_default(value) -> None:
    assert map_respondent_type(value) is None
    rules = load_consultation(OFSTED).respondent_types
    assert map_respondent_type(value, rules) == "individual"


def test_consultation_respondent_types_change_the_survey_mapping(
    tmp_path: Path, survey_consultation: Path
) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    rows = [HEADER, ["R1", "", "Care leaver", "Agree", "Yes.", "More."]]
    make_csv(inp / "export.csv", rows)
    cache = tmp_path / "cache"
    before = run_ingest(inp, survey_consultation, tmp_path / "out", cache_dir=cache)
    assert before.respondents.respondent_type.tolist() == ["other"]
    assert "respondent type 'Care leaver' not recognised" in before.log.reason[0]
    survey_consultation.write_text(SURVEY_YAML + CARE_WORDS, encoding="utf-8")
    after = run_ingest(inp, survey_consultation, tmp_path / "out", cache_dir=cache)
    resp = after.respondents
    assert (resp.respondent_type[0], resp.respondent_type_source[0]) == ("individual", "survey")
    # The mapped type is part of the cached parse, so changed words are not served stale.
    assert "cached parse reused" not in str(after.log.reason[0])


def test_consultation_respondent_types_change_manifest_and_inference(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("Response from the Kids Alliance\n\nWe agree.", encoding="utf-8")
    (inp / "b.txt").write_text("I agree. My view is mine.", encoding="utf-8")
    (inp / "manifest.csv").write_text("file,respondent_type\nb.txt,Care leaver\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(SURVEY_YAML, encoding="utf-8")
    resp = run_ingest(inp, cfg, tmp_path / "out").respondents.set_index("respondent_id")
    assert resp.loc["a", "respondent_type"] == "other"  # an organisation of no known type
    assert resp.loc["b", "respondent_type_source"] == "inferred"  # manifest value unknown
    cfg.write_text(
        SURVEY_YAML + CARE_WORDS + "  campaign_group:\n    replace: true\n    names: [alliance]\n",
        encoding="utf-8",
    )
    resp = run_ingest(inp, cfg, tmp_path / "out").respondents.set_index("respondent_id")
    assert resp.loc["a", "respondent_type"] == "campaign_group"
    assert tuple(resp.loc["b", ["respondent_type", "respondent_type_source"]]) == (
        "individual",
        "metadata",
    )
    rules = load_consultation(cfg).respondent_types
    assert infer_respondent_type("We are a campaign for change.", None) == "campaign_group"
    assert infer_respondent_type("We are a campaign for change.", None, rules) == "unknown"


def test_slugify() -> None:
    assert slugify("Smith, J (2022) – Réponse") == "smith-j-2022-reponse"
    assert slugify("___") == "respondent"


# --- run_ingest -----------------------------------------------------------------------


def test_run_ingest_default_data_with_manifest_and_cache(tmp_path: Path) -> None:
    inp = tmp_path / "raw"
    shutil.copytree(RAW, inp)
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = run_ingest(inp, OFSTED, out, cache_dir=cache)
    log = first.log.set_index("file")
    assert log.loc["manifest.csv", "status"] == "skipped"
    assert log.loc["manifest.csv", "reason"] == "respondent metadata file"
    assert log.loc["acrcg.txt", "status"] == "processed"
    assert log.loc["become.txt", "reason"] == "markdown markup converted"
    resp = first.respondents.set_index("respondent_id")
    assert resp.loc["become", "organisation_source"] == "metadata"
    assert resp.loc["acrcg", "respondent_type"] == "campaign_group"
    assert "access to records for all" in resp.loc["acrcg", "text"]
    assert set(first.answers.query("respondent_id == 'become'").question_id) >= {
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
    }
    _assert_offsets(first)
    for name in ("respondents.parquet", "answers.parquet", "ingest_log.parquet", "ingest_log.csv"):
        assert (out / name).exists()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "respondents.parquet"), first.respondents)

    before = ingest_cache.STATS.copy()
    second = run_ingest(inp, OFSTED, out, cache_dir=cache)
    assert ingest_cache.STATS == before  # nothing read: the stage cache's tables
    for got, want in zip(dataclasses.astuple(second), dataclasses.astuple(first), strict=True):
        pd.testing.assert_frame_equal(got, want)

    # A changed file is parsed again; the unchanged ones still come from the cache.
    (inp / "acrcg.txt").write_text("ACRCG's response\n\nWe agree.", encoding="utf-8")
    third = run_ingest(inp, OFSTED, out, cache_dir=cache).log.set_index("file").reason
    assert ingest_cache.STATS["parsed"] - before["parsed"] == 1
    assert (
        ingest_cache.STATS["reused"] - before["reused"]
        == (first.log.status == "processed").sum() - 1
    )
    assert third["acrcg.txt"] is None or "cached" not in third["acrcg.txt"]


def test_run_ingest_without_manifest_infers(tmp_path: Path) -> None:
    inp = tmp_path / "raw"
    inp.mkdir()
    for name in ("acrcg.txt", "become.txt"):
        shutil.copy(RAW / name, inp / name)
    result = run_ingest(inp, OFSTED, tmp_path / "out")
    resp = result.respondents.set_index("respondent_id")
    assert resp.loc["become", "organisation"] == "Become"
    assert resp.loc["become", "respondent_type"] == "charity_voluntary"
    assert set(resp.organisation_source) == {"inferred"}
    assert set(resp.respondent_type_source) == {"inferred"}


def test_manifest_with_invalid_type_falls_back(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(stage_describe, "_segment", _stub_segment)
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(RAW / "acrcg.txt", inp / "acrcg.txt")
    shutil.copy(RAW / "become.txt", inp / "become.txt")
    (inp / "people.csv").write_text(
        "file,organisation,respondent_type,notes\n"
        "acrcg.txt,ACRCG,campaign_group,x\n"
        "become.txt,Become Charity,Martian,\n"
        "missing.txt,Nobody,other,\n",
        encoding="utf-8",
    )
    result = run_ingest(inp, OFSTED, tmp_path / "out", metadata_file="people.csv")
    log = result.log.set_index("file")
    assert log.loc["people.csv", "status"] == "skipped"
    assert "people.csv line 3: respondent_type 'Martian'" in log.loc["people.csv", "reason"]
    assert log.loc["people.csv", "reason"].endswith(
        "people.csv: entries that match no respondent read: ['missing.txt']"
    )
    resp = result.respondents.set_index("respondent_id")
    assert resp.loc["acrcg", "organisation"] == "ACRCG"
    assert (resp.loc["become", "organisation"], resp.loc["become", "organisation_source"]) == (
        "Become Charity",
        "metadata",
    )
    assert (
        resp.loc["become", "respondent_type"],
        resp.loc["become", "respondent_type_source"],
    ) == (
        "charity_voluntary",
        "inferred",
    )


def test_bad_inputs_never_stop_the_run(tmp_path: Path, survey_consultation: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(
        "Acme Trust's response to the consultation\n\nWe agree.", encoding="utf-8"
    )
    (inp / "empty.txt").write_bytes(b"")
    (inp / "blank.md").write_text("  \n\n ", encoding="utf-8")
    (inp / "garbage.docx").write_bytes(b"\x00\xffnot a zip" * 50)
    good_pdf = make_pdf(tmp_path / "tmp.pdf", [["Some text on the page."] * 10])
    (inp / "truncated.pdf").write_bytes(good_pdf.read_bytes()[:300])
    make_scanned_pdf(inp / "scanned.pdf")
    # (An export missing a mapped column is a configuration error that stops the run:
    # test_survey_missing_column_and_missing_mapping and tests/test_accounting.py.)
    (inp / ".DS_Store").write_bytes(b"\x00\x01")
    (inp / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_ingest(inp, survey_consultation, tmp_path / "out")
    log = result.log.set_index("file")
    assert list(result.log.file) == sorted(result.log.file)
    assert len(log) == 8  # every file has exactly one row
    expected = {
        "good.txt": ("processed", None),
        "empty.txt": ("failed", "empty.txt: empty file (0 bytes)"),
        "blank.md": ("failed", "blank.md: no text found"),
        "garbage.docx": ("failed", "garbage.docx: not a valid Word .docx file"),
        "truncated.pdf": ("failed", "truncated.pdf: could not read the PDF"),
        "scanned.pdf": ("failed", "scanned.pdf: no text layer (scanned PDF?): run OCR first"),
        ".DS_Store": ("skipped", "hidden or temporary file"),
        "old.doc": (
            "skipped",
            "old Word .doc format: open it in Word or LibreOffice and save as .docx",
        ),
    }
    for name, (status, reason) in expected.items():
        assert log.loc[name, "status"] == status, name
        if reason is not None:
            assert log.loc[name, "reason"].startswith(reason), name
    assert list(result.respondents.respondent_id) == ["good"]
    assert result.respondents.organisation.tolist() == ["Acme Trust"]
    _assert_offsets(result)


def test_malformed_consultation_yaml_raises(tmp_path: Path) -> None:
    bad = tmp_path / "consultation.yaml"
    bad.write_text("id: x\ntitle: [unclosed\nquestions:\n  - id: q1\n", encoding="utf-8")
    with pytest.raises(ConsultationError, match="consultation.yaml"):
        run_ingest(RAW, bad, tmp_path / "out")


def test_respondent_id_clash_across_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(stage_describe, "_segment", _stub_segment)
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    (inp / "Alpha.txt").write_text("We agree.", encoding="utf-8")
    (inp / "sub" / "alpha.md").write_text("We disagree.", encoding="utf-8")
    result = run_ingest(inp, OFSTED, tmp_path / "out")
    assert result.respondents.respondent_id.tolist() == ["alpha", "alpha-2"]
    assert result.respondents.source_file.tolist() == ["Alpha.txt", "sub/alpha.md"]
    note = result.log.set_index("file").loc["sub/alpha.md", "reason"]
    assert note == "respondent id 'alpha' already used by Alpha.txt; this one is 'alpha-2'"


def test_pdf_short_paragraphs_keep_their_breaks(tmp_path: Path) -> None:
    """Paragraph gaps outnumber line gaps (one-line numbers and answers): the breaks stay."""
    path = make_pdf(
        tmp_path / "visitor.pdf",
        [
            [
                "Reply to the parking consultation",
                "From: a visitor to the town",
                "",
                "1.",
                "",
                "A visitor who comes for the market on Saturdays.",
                "",
                "ii.",
                "",
                "I agree with the new bays but not with the",
                "charges on Sundays.",
                "",
                "3.",
                "",
                "No comment.",
                "",
                "Kind regards,",
            ]
        ],
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "Reply to the parking consultation From: a visitor to the town\n\n1.\n\n"
        "A visitor who comes for the market on Saturdays.\n\nii.\n\n"
        "I agree with the new bays but not with the charges on Sundays.\n\n3.\n\n"
        "No comment.\n\nKind regards,"
    )


def test_pdf_letterhead_repeated_in_the_signature_is_kept(tmp_path: Path) -> None:
    """The same line at the top of page 1 and the foot of page 2 is not a running header."""
    path = make_pdf(
        tmp_path / "district.pdf",
        [
            ["NORTHFIELD DISTRICT COUNCIL", "", "We support the proposal in full."],
            [
                "We have nothing to add.",
                "",
                "J. Smith, Head of Service",
                "Northfield District Council",
            ],
        ],
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text.startswith("NORTHFIELD DISTRICT COUNCIL\n\nWe support")
    assert doc.text.endswith("Head of Service Northfield District Council")


def test_pdf_lines_broken_by_hand_keep_their_line_breaks(tmp_path: Path) -> None:
    """A signature block inside wrapped text: its short lines are not run together."""
    path = make_pdf(
        tmp_path / "trust.pdf",
        [
            [
                "The Trust supports the proposal and would like to see the criteria published",
                "well before the first inspections begin, so that every authority has time to",
                "prepare its leaving care service and to involve its young people in the work.",
                "",
                "Dr A. Khan",
                "Director of Nursing, Westfield Community Health Trust",
            ]
        ],
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "The Trust supports the proposal and would like to see the criteria published well "
        "before the first inspections begin, so that every authority has time to prepare its "
        "leaving care service and to involve its young people in the work.\n\n"
        "Dr A. Khan\nDirector of Nursing, Westfield Community Health Trust"
    )


def test_pdf_plain_heading_line_on_the_next_line_is_not_joined(tmp_path: Path) -> None:
    """A plain (not bold) heading with the answer on the very next line stays its own line."""
    path = make_pdf(
        tmp_path / "plain.pdf",
        [
            [
                "Question 3 - timing",
                "We agree that the judgement should start in January, since authorities have",
                "had a full year to prepare and the criteria have been published for comment",
                "by everyone who works with care leavers in the region we cover as a network.",
            ]
        ],
    )
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text.startswith("Question 3 - timing\nWe agree that the judgement should start")
    assert "authorities have had a full year" in doc.text


def test_pdf_larger_font_heading_is_a_cue_and_its_own_paragraph(tmp_path: Path) -> None:
    """A heading set in a larger plain font, 14 points below the line above, as body lines are."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "sized.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 770
    for text, size in [
        ("Timing of the new judgement", 16),
        ("We agree with January.", 11),
        ("It gives authorities time.", 11),
        ("", 11),
        ("Other comments", 16),
        ("None from us.", 11),
    ]:
        c.setFont("Helvetica", size)
        if text:
            c.drawString(72, y, text)
        y -= 14
    c.save()
    [doc] = read_document(path, tmp_path, load_consultation(OFSTED))
    assert doc.text == (
        "Timing of the new judgement\n\nWe agree with January. It gives authorities time."
        "\n\nOther comments\n\nNone from us."
    )
    assert [doc.text[s:e] for s, e, _ in doc.cues] == [
        "Timing of the new judgement",
        "Other comments",
    ]
