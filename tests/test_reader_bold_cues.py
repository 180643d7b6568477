"""All-bold paragraphs in .odt and .html become ``bold`` cues, as in .docx (issue 12).

Respondents mark their own headings bold far more often than they use a
heading style; the Word reader already reports an all-bold paragraph as a
``bold`` cue, and segmentation reads such a line as a heading shape. These
files are written by hand (an .odt is a zip of XML, HTML is text) in the
shapes LibreOffice and web editors save.
"""

from __future__ import annotations

import io
import zipfile

from helpers.ingest.readers.html import read_html
from helpers.ingest.readers.opendoc import read_odt

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
STYLES = (
    '<style:style style:name="B1" style:family="text">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="N1" style:family="text">'
    '<style:text-properties fo:font-weight="normal"/></style:style>'
    '<style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard">'
    '<style:text-properties fo:font-weight="700"/></style:style>'
)


def odt(body: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
        f"<office:automatic-styles>{STYLES}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def cued(text: str, cues) -> list[tuple[str, str]]:
    return [(text[s:e], kind) for s, e, kind in cues]


def test_odt_bold_span_paragraph_is_a_bold_cue() -> None:
    body = (
        '<text:p text:style-name="Standard"><text:span text:style-name="B1">Parking on my street</text:span></text:p>'
        '<text:p text:style-name="Standard">We have nowhere to leave the van overnight.</text:p>'
        '<text:p text:style-name="PB">Costs for small shops</text:p>'
        '<text:p text:style-name="Standard">Deliveries would take longer.</text:p>'
    )
    text, cues, _ = read_odt(odt(body), "r.odt")
    assert cued(text, cues) == [("Parking on my street", "bold"), ("Costs for small shops", "bold")]


def test_odt_partly_bold_or_plain_paragraphs_are_not_cues() -> None:
    body = (
        # a bold lead-in followed by plain words: the respondent's emphasis, not a heading
        '<text:p text:style-name="Standard"><text:span text:style-name="B1">Note:</text:span>'
        " the bus gate would close at seven.</text:p>"
        # a bold paragraph style with a span set back to normal weight
        '<text:p text:style-name="PB">Fares <text:span text:style-name="N1">and tickets</text:span></text:p>'
        '<text:p text:style-name="Standard">Plain words only.</text:p>'
        '<text:p text:style-name="Standard"><text:span text:style-name="B1">   </text:span></text:p>'
    )
    text, cues, _ = read_odt(odt(body), "r.odt")
    assert cues == []
    assert "Note: the bus gate" in text


def test_odt_bold_list_item_stays_a_list_item() -> None:
    body = (
        "<text:list><text:list-item><text:p>"
        '<text:span text:style-name="B1">Cheaper fares</text:span></text:p></text:list-item></text:list>'
    )
    text, cues, _ = read_odt(odt(body), "r.odt")
    assert text.startswith("- Cheaper fares")
    assert all(kind != "bold" for _s, _e, kind in cues)


def test_html_all_bold_paragraph_is_a_bold_cue() -> None:
    page = (
        "<html><body><p><strong>Why the cycle lane matters</strong></p>"
        "<p>I ride to the depot every morning.</p>"
        "<div><b>Who pays</b> </div><p>The council, I hope.</p>"
        "<p><b>Bold</b> start, then <i>plain</i> words.</p>"
        "<div><p><b>Inner</b></p><p>Body text here.</p></div></body></html>"
    )
    text, cues, _enc, _notes = read_html(page.encode(), "r.html", "html")
    assert cued(text, cues) == [
        ("Why the cycle lane matters", "bold"),
        ("Who pays", "bold"),
        ("Inner", "bold"),
    ]


def test_html_heading_and_table_cues_unchanged() -> None:
    page = (
        "<html><body><h3>Question 2</h3><p>Yes.</p>"
        "<table><tr><td><b>Your name</b></td><td>Ann</td></tr></table></body></html>"
    )
    text, cues, _enc, _notes = read_html(page.encode(), "r.html", "html")
    assert cued(text, cues) == [("Question 2", "heading"), ("Your name", "heading")]
