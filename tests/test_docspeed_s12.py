"""Speed-ups of session 12's document ingest give the same results (issue 15 item 4).

- ``readers.word``: each style is looked up once per document, yet every
  paragraph's cue (heading, list, bold through a paragraph or character style)
  is what python-docx's own ``paragraph.style`` / ``run.style`` give.
- ``reworded.distinctive`` inside ``remembered()`` equals it outside.
- ``passages.passage_score`` with the other text remembered scores as before.
"""

from __future__ import annotations

import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from helpers.ingest import passages, reworded
from helpers.ingest.campaigns import normalise
from helpers.ingest.readers import word
from helpers.ingest.readers.word import read_docx


def _styled_docx() -> bytes:
    """A .docx written with python-docx: heading styles, a bold paragraph style, a bold
    character style, direct bold, a list style and plain paragraphs, many of each."""
    doc = docx.Document()
    para_bold = doc.styles.add_style("Respondent Heading", WD_STYLE_TYPE.PARAGRAPH)
    para_bold.font.bold = True
    para_bold.font.size = Pt(12)
    char_bold = doc.styles.add_style("Strong Words", WD_STYLE_TYPE.CHARACTER)
    char_bold.font.bold = True
    for k in range(12):
        doc.add_heading(f"Section {k}: the opening hours", level=1 + k % 2)
        doc.add_paragraph(f"Our view on part {k}", style="Respondent Heading")
        p = doc.add_paragraph()
        p.add_run(f"Emphasis by a character style {k}").style = char_bold
        p = doc.add_paragraph()
        p.add_run(f"Direct bold {k}").bold = True
        p.add_run(" and plain words after it")
        doc.add_paragraph(f"A listed point {k}", style="List Bullet")
        doc.add_paragraph(f"The branch matters to families on weekday evenings ({k}).")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _kinds_by_python_docx(data: bytes) -> list[str | None]:
    """Each body paragraph's cue kind read with python-docx's own style properties."""
    out = []
    for para in docx.Document(io.BytesIO(data)).paragraphs:
        name = (para.style.name if para.style is not None else "") or ""
        if name.startswith(("Heading", "Title")):
            out.append("heading")
            continue
        ppr = para._p.pPr
        if name.startswith("List") or (ppr is not None and ppr.numPr is not None):
            out.append("list")
            continue
        runs = [r for r in para.runs if r.text.strip()]
        para_bold = word._style_bold(para.style)

        def is_bold(r, para_bold=para_bold) -> bool:
            if r.bold is not None:
                return r.bold
            char = word._style_bold(r.style) if r.style is not None else None
            return bool(char if char is not None else para_bold)

        bold = bool(runs) and all(is_bold(r) for r in runs)
        out.append("bold" if bold else None)
    return out


def test_word_cues_match_python_docx_styles():
    data = _styled_docx()
    expected = _kinds_by_python_docx(data)
    assert expected.count("heading") == 12 and expected.count("list") == 12
    assert expected.count("bold") == 24  # by paragraph style and by character style
    assert expected.count(None) == 24  # half-bold paragraphs and plain ones
    document = docx.Document(io.BytesIO(data))
    styles = word._Styles(document.part)
    got = [word._para_kind(p, word._para_runs(p), styles) for p in document.paragraphs]
    assert got == expected
    text, cues, _ = read_docx(data, "styled.docx")
    assert sum(1 for c in cues if c[2] == "heading") == 12
    assert sum(1 for c in cues if c[2] == "bold") == 24


def test_word_styles_looked_up_once_per_style(monkeypatch):
    """python-docx's lookup scans every style; it runs once per (style id, type)."""
    data = _styled_docx()
    calls: list[tuple] = []
    inner = docx.parts.document.DocumentPart.get_style

    def counted(self, style_id, style_type):
        calls.append((style_id, style_type))
        return inner(self, style_id, style_type)

    monkeypatch.setattr(docx.parts.document.DocumentPart, "get_style", counted)
    read_docx(data, "styled.docx")
    assert calls and len(calls) == len(set(calls)) <= 10


def test_distinctive_remembered_is_the_same():
    known = reworded.known_words("should the library open on sundays")
    texts = [
        "we think the library should open on sundays for working parents",
        "sunday opening would help carers who work shifts at the hospital",
        "",
        "the the the of and",
        "we think the library should open on sundays for working parents",
    ]
    plain = [reworded.distinctive(t, known) for t in texts] + [reworded.distinctive(texts[0])]
    with reworded.remembered():
        twice = [reworded.distinctive(t, known) for t in texts] * 2
        bare = reworded.distinctive(texts[0])
    assert twice == plain[:-1] * 2 and bare == plain[-1]
    assert plain[0] and not plain[2] and not plain[3]
    assert ("working", "parents") not in plain[0]  # trigrams, not pairs
    assert not any(set(g) <= known[0] | {"the"} for g in plain[0])


def test_passage_score_with_remembered_other_text():
    b = normalise(
        "The council should keep the branch open on Saturday mornings. "
        "Families use it for homework clubs and job searches every week."
    )
    a = normalise(
        "I am writing as a parent. The council should keep the branch open on Saturday "
        "mornings. Families use it for homework clubs and job searches every week."
    )
    unrelated = normalise("Parking charges in the town centre are too high for shop workers.")
    first = passages.passage_score(a, b, 85.0)
    assert first >= 85.0
    assert passages.passage_score(a, b, 85.0) == first  # the remembered other text
    assert passages.passage_score(unrelated, b, 85.0) == 0.0
