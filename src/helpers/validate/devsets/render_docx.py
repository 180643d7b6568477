"""Word ``.docx`` drawn from blocks with python-docx, byte-for-byte reproducible.

- Headings by ``style``: ``heading`` (Word's Heading 2 style, the default),
  ``bold`` (a Normal paragraph whose runs are bold) or ``plain`` (a Normal
  paragraph: the heading is found from its words only).
- Forms: a two-column table (question | answer). A closed question's answer
  cell lists the five options, by ``tick_style``: ``box`` (the characters
  ☒/☐ typed before each option), ``content_control`` (real Word check-box
  content controls, ``w:sdt`` with ``w14:checkbox``, showing ☒/☐ as Word
  does) or ``x`` (an "X" typed after the chosen option).
- Reproducible: the core properties carry fixed dates and names, and the zip
  is rewritten with fixed entry timestamps (python-docx stamps the current
  time), so the same source gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from helpers.validate.devsets.layout import CHECKED, UNCHECKED, Block, FormRow, option_lines

__all__ = ["fixed_zip", "render_docx"]

FIXED_TIME = datetime(2022, 10, 3, 9, 30, 0)
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def fixed_zip(data: bytes) -> bytes:
    """The zip ``data`` rewritten with every entry stamped at one fixed time, order kept."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _checkbox(paragraph, ticked: bool) -> None:
    """Append a Word check-box content control (``w:sdt`` + ``w14:checkbox``) to ``paragraph``."""
    from docx.oxml import parse_xml

    glyph = CHECKED if ticked else UNCHECKED
    xml = (
        f'<w:sdt xmlns:w="{_W}" xmlns:w14="{_W14}"><w:sdtPr>'
        f'<w14:checkbox><w14:checked w14:val="{1 if ticked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
        "</w:sdtPr><w:sdtContent><w:r><w:rPr>"
        '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
        f"</w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(parse_xml(xml))


def _answer_cell(cell, row: FormRow, tick_style: str) -> None:
    first = True

    def para():
        nonlocal first
        if first:
            first = False
            return cell.paragraphs[0]
        return cell.add_paragraph()

    if tick_style == "content_control":
        for _, label, ticked in row.options:
            p = para()
            _checkbox(p, ticked)
            p.add_run(" " + label)
    else:
        for line in option_lines(row, tick_style):
            para().add_run(line)
    for text in row.paragraphs:
        para().add_run(text)


def render_docx(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    import docx

    style = style or "heading"
    doc = docx.Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "Respondent"
    props.title = "Consultation response"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    for b in blocks:
        if b.kind == "heading":
            if style == "heading":
                doc.add_heading(b.text, level=2)
            else:
                doc.add_paragraph().add_run(b.text).bold = style == "bold" or None
        elif b.kind == "para":
            doc.add_paragraph(b.text)
        else:
            table = doc.add_table(rows=len(b.rows), cols=2)
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                table.cell(r, 0).paragraphs[0].add_run(row.label).bold = True
                _answer_cell(table.cell(r, 1), row, tick_style)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())
