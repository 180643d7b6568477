"""Readers for OpenDocument text, RTF and saved web pages / web forms (issue 12).

Each file is built by hand in the test (an .odt is a zip of hand-written XML,
RTF and HTML are text), read through ``run_ingest`` with the default
consultation, and checked against hand-checked answers.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers.core.consultation import load_consultation
from helpers.ingest.readers import read_file
from helpers.ingest.readers.base import ReadError
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def make_odt(path: Path, body: str, prolog: str = "", automatic_styles: str = "") -> Path:
    """A minimal valid .odt: mimetype (stored, first), content.xml, META-INF/manifest.xml."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<office:document-content {ODT_NS} office:version="1.2">'
        f"<office:automatic-styles>{automatic_styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def _ingest(tmp_path: Path, files: dict[str, bytes]):
    inp = tmp_path / "in"
    inp.mkdir(exist_ok=True)
    for name, data in files.items():
        (inp / name).write_bytes(data)
    return run_ingest(inp, OFSTED, tmp_path / "out", metadata_file=None)


def _answers(result) -> dict[tuple[str, str], str]:
    frame = result.answers.set_index(["respondent_id", "question_id"]).answer_text
    return frame.to_dict()


def _log(result):
    return result.log.set_index("file")


# --- OpenDocument text ------------------------------------------------------------

ODT_BODY = (
    '<text:h text:outline-level="1">Acme Care Trust response</text:h>'
    '<text:h text:outline-level="2">Question 1</text:h>'
    '<text:p>We agree<text:s/>with the<text:s text:c="3"/>proposal.'
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>A footnote not read.</text:p></text:note-body></text:note></text:p>"
    '<text:p text:style-name="P1">Q2</text:p>'
    "<text:list><text:list-item><text:p>Stable housing.</text:p></text:list-item>"
    "<text:list-item><text:p>A named worker.</text:p></text:list-item></text:list>"
    "<table:table><table:table-row>"
    "<table:table-cell><text:p>Question 4</text:p></table:table-cell>"
    "<table:table-cell><text:p>Care leavers need <text:span>more</text:span> support.</text:p>"
    "</table:table-cell></table:table-row></table:table>"
)


def test_odt_headings_lists_and_table_land_under_their_questions(tmp_path: Path) -> None:
    odt = make_odt(
        tmp_path / "acme.odt",
        ODT_BODY,
        automatic_styles='<style:style style:name="P1" style:family="paragraph" '
        'style:parent-style-name="Heading_20_2"/>',
    )
    result = _ingest(tmp_path, {"Acme Care Trust.odt": odt.read_bytes()})
    assert result.log.status.tolist() == ["processed"]
    respondent = result.respondents.iloc[0]
    assert respondent.source_format == "odt"
    assert "footnote" not in respondent.text
    answers = _answers(result)
    rid = "acme-care-trust"
    assert answers[(rid, "q1")] == "We agree with the proposal."
    assert answers[(rid, "q2")] == "- Stable housing.\n- A named worker."
    assert answers[(rid, "q4")] == "Care leavers need more support."


def test_corrupt_and_bomb_odt_fail_alone_with_reasons(tmp_path: Path) -> None:
    good = make_odt(tmp_path / "g.odt", "<text:h>Question 4</text:h><text:p>Fine.</text:p>")
    bomb = tmp_path / "bomb.odt"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", b" " * (20 << 20))  # ratio ~1000: a bomb
    entities = make_odt(
        tmp_path / "e.odt",
        "<text:p>&lol;</text:p>",
        prolog='<!DOCTYPE office:document-content [<!ENTITY lol "lol">]>',
    )
    files = {
        "good.odt": good.read_bytes(),
        "corrupt.odt": b"this is not a zip archive at all",
        "bomb.odt": bomb.read_bytes(),
        "entities.odt": entities.read_bytes(),
    }
    result = _ingest(tmp_path, files)
    log = _log(result)
    assert log.loc["good.odt", "status"] == "processed"
    assert log.loc["corrupt.odt", "status"] == "failed"
    assert "not a valid OpenDocument .odt file" in log.loc["corrupt.odt", "reason"]
    assert log.loc["bomb.odt", "status"] == "failed"
    assert "decompression bomb" in log.loc["bomb.odt", "reason"]
    assert log.loc["entities.odt", "status"] == "failed"
    assert "DOCTYPE or entities" in log.loc["entities.odt", "reason"]
    assert _answers(result)[("good", "q4")] == "Fine."


def test_protected_and_wrong_kind_odt_fail_with_reasons(tmp_path: Path) -> None:
    locked = tmp_path / "locked.odt"
    with zipfile.ZipFile(locked, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", b"\x8f\x01 encrypted bytes")
        z.writestr(
            "META-INF/manifest.xml",
            MANIFEST.replace(
                "/>\n</manifest", "><manifest:encryption-data/></manifest:file-entry>\n</manifest"
            ),
        )
    sheet = tmp_path / "sheet.odt"
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "content.xml",
            f"<office:document-content {ODT_NS}><office:body><office:spreadsheet/></office:body>"
            "</office:document-content>",
        )
    consultation = load_consultation(OFSTED)
    with pytest.raises(ReadError, match="locked.odt: the .odt is password-protected"):
        read_file(locked, "locked.odt", locked.read_bytes(), consultation)
    with pytest.raises(ReadError, match="sheet.odt: no text body in content.xml"):
        read_file(sheet, "sheet.odt", sheet.read_bytes(), consultation)


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed"
)
def test_odt_converted_by_libreoffice(tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    html = tmp_path / "src" / "resp.html"
    html.parent.mkdir()
    html.write_text(
        "<html><body><h2>Question 4</h2><p>Converted by LibreOffice.</p></body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [office, "--headless", "--convert-to", "odt:writer8", "--outdir", str(tmp_path), str(html)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    result = _ingest(tmp_path, {"resp.odt": (tmp_path / "resp.odt").read_bytes()})
    assert _answers(result)[("resp", "q4")] == "Converted by LibreOffice."


# --- RTF --------------------------------------------------------------------------

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}"
    r"{\info{\title Not body text}}"
    r"\pard\b Question 1\b0\par "
    r"We agree \u8212? strongly \u8212? with the caf\'e9 proposal.\par "
    r"\pard Question 3\par "
    r"It is too soon for na\u239?ve plans.\par "
    r"\trowd\cellx3000\cellx6000 Question 4\cell Young people need a \\ path.\cell\row "
    r"\pard Question 5\par None.\par }"
)


def test_rtf_unicode_escapes_and_table(tmp_path: Path) -> None:
    result = _ingest(tmp_path, {"Leeds.rtf": RTF.encode("ascii")})
    assert result.log.status.tolist() == ["processed"]
    assert result.respondents.iloc[0].source_format == "rtf"
    assert "Not body text" not in result.respondents.iloc[0].text
    answers = _answers(result)
    assert answers[("leeds", "q1")] == "We agree — strongly — with the café proposal."
    assert answers[("leeds", "q3")] == "It is too soon for naïve plans."
    assert answers[("leeds", "q4")] == "Young people need a \\ path."
    assert answers[("leeds", "q5")] == "None."


def test_not_rtf_fails_clearly(tmp_path: Path) -> None:
    result = _ingest(tmp_path, {"fake.rtf": b"PK\x03\x04 a zip renamed"})
    assert result.log.status.tolist() == ["failed"]
    assert "not an RTF file" in result.log.reason[0]


def test_rtf_font_charsets_links_and_escaped_cells(tmp_path: Path) -> None:
    rtf = (
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\froman\fcharset204{\*\panose 0202}Times;}"
        r"{\f1\fcharset0 Arial;}}\f0 \'cf\'f0\'e8\'e2\'e5\'f2\f1  caf\'e9, see "
        r"{\field{\*\fldinst{HYPERLINK \"http://example.org\"}}{\fldrslt{our page}}} "
        r"and a \\cell that is text.\par}"
    )
    consultation = load_consultation(OFSTED)
    result = read_file(tmp_path / "r.rtf", "r.rtf", rtf.encode("ascii"), consultation)
    assert result.documents[0].text == "Привет café, see our page and a \\cell that is text."


def test_rtf_on_one_long_line_reads_in_linear_time(tmp_path: Path) -> None:
    """Nested field groups on one line made the converter's link search quadratic (18 s for 400 KB)."""
    import time

    consultation = load_consultation(OFSTED)
    fields = r"{\field{\*\fldinst{ x}}}" * 16000
    fonts = r"\f1" * 100000
    rtf = r"{\rtf1\ansi{\fonttbl" + fonts + "}" + fields + r"Question 4\par Words.\par}"
    started = time.perf_counter()
    result = read_file(tmp_path / "l.rtf", "l.rtf", rtf.encode("ascii"), consultation)
    assert time.perf_counter() - started < 5
    assert result.documents[0].text == "Question 4\n\nWords."


# --- HTML web pages and forms -----------------------------------------------------

FORM = """<!DOCTYPE html>
<html><head><meta charset="windows-1252"><title>Survey page title</title>
<style>p { color: red } .secret { display: none }</style>
<script>var answer = "script text";</script></head>
<body>
<h1>Consultation response form</h1>
<form action="https://example.org/submit">
<input type="hidden" name="token" value="hidden token">
<h2>Question 1</h2>
<input type="radio" name="q1" id="a1" value="agree" checked><label for="a1">Agree</label>
<input type="radio" name="q1" id="a2" value="disagree"><label for="a2">Disagree</label>
<label><input type="radio" name="q1" value="neither"> Neither agree nor disagree</label>
<h2>Q2</h2>
<textarea name="q2">Better housing and a caf\xe9 for drop-ins.</textarea>
<div hidden>Hidden div text</div><p style="display: none">Display none text</p>
<noscript>Noscript text</noscript><template><p>Template text</p></template>
<h2>Q3</h2>
<label><input type="checkbox" name="q3" checked> Disagree</label>
<select name="s"><option>Choose</option><option selected>From 2024</option></select>
<table><tr><td>Question 4</td><td>More support <b>after</b> 21.</td></tr></table>
<p>Question 5</p><p><input type="text" name="q5" value="No comment."></p>
<button>Submit</button>
</form></body></html>
"""


def test_html_form_answers_and_visible_text_only(tmp_path: Path) -> None:
    result = _ingest(tmp_path, {"form.html": FORM.encode("cp1252")})
    assert result.log.status.tolist() == ["processed"]
    respondent = result.respondents.iloc[0]
    assert respondent.source_format == "html"
    text = respondent.text
    for absent in (
        "script text", "color", "Survey page title", "hidden token", "Hidden div",
        "Display none", "Noscript", "Template text", "Submit", "Choose",
        "disagree", "Neither", "example.org",
    ):  # fmt: skip
        assert absent not in text, absent
    assert text.count("Disagree") == 1  # q1's unchecked option is absent; q3's ticked one is there
    answers = _answers(result)
    # The checked radio button and check box of the closed questions are their tick boxes.
    ticks = result.answers.set_index(["respondent_id", "question_id"]).tick_box.to_dict()
    assert (answers[("form", "q1")], ticks[("form", "q1")]) == ("", "Agree")
    assert answers[("form", "q2")] == "Better housing and a café for drop-ins."
    assert (answers[("form", "q3")], ticks[("form", "q3")]) == ("From 2024", "Disagree")
    assert answers[("form", "q4")] == "More support after 21."
    assert answers[("form", "q5")] == "No comment."


def test_htm_utf8_and_value_fallback(tmp_path: Path) -> None:
    page = (
        "<p>Question 1</p><p><input type=checkbox value='Strongly agree' checked>"
        "<input type=checkbox value='Disagree'></p><p>Q4</p><div>Naïve <i>but</i> fair</div>"
    )
    consultation = load_consultation(OFSTED)
    (tmp_path / "page.htm").write_bytes(page.encode("utf-8"))
    result = read_file(tmp_path / "page.htm", "page.htm", page.encode("utf-8"), consultation)
    text = result.documents[0].text
    assert text == "Question 1\n\n☒ Strongly agree\n\nQ4\n\nNaïve but fair"


def test_html_mislabelled_charset_falls_back(tmp_path: Path) -> None:
    page = '<meta charset="utf-8"><p>Question 4</p><p>Caf\xe9 \x96 fine</p>'.encode("latin-1")
    consultation = load_consultation(OFSTED)
    result = read_file(tmp_path / "m.html", "m.html", page, consultation)
    assert result.documents[0].text == "Question 4\n\nCafé – fine"
    assert result.documents[0].encoding == "cp1252"


def test_deep_html_fails_or_reads(tmp_path: Path) -> None:
    data = ("<div>" * 5000 + "deep" + "</div>" * 5000).encode()
    consultation = load_consultation(OFSTED)
    try:
        result = read_file(tmp_path / "deep.html", "deep.html", data, consultation)
    except ReadError as exc:
        assert "nested too deeply" in str(exc)
    else:
        assert result.documents[0].text == "deep"


def test_deeply_nested_odt_fails_with_its_reason(tmp_path: Path) -> None:
    body = (
        "<text:list><text:list-item>" * 3000
        + "<text:p>x</text:p>"
        + "</text:list-item></text:list>" * 3000
    )
    odt = make_odt(tmp_path / "deep.odt", body)
    with pytest.raises(ReadError, match="deep.odt: content is nested too deeply"):
        read_file(odt, "deep.odt", odt.read_bytes(), load_consultation(OFSTED))
