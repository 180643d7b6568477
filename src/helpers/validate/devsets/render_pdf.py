"""PDF drawn from blocks with reportlab's platypus: wrapped paragraphs, bold headings.

Text is laid out as a word processor's "Save as PDF" would: paragraphs wrap
at the margin (so the text layer has line breaks mid-sentence, as real PDFs
do), headings are bold (``style`` bold, the default) or plain, and pages
break where the text runs out. ``invariant`` fixes the creation date and the
document id, so the same source gives the same bytes. A form layout is not
drawn (``sources.FORM_FORMATS``): a PDF form is a scan or a printed Word form.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from helpers.validate.devsets.layout import Block

__all__ = ["render_pdf"]


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def render_pdf(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=11)
    bold = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", spaceBefore=6)
    heading = bold if (style or "bold") != "plain" else body
    story = []
    for b in blocks:
        if b.kind == "heading":
            story.append(Paragraph(_markup(b.text), heading))
        elif b.kind == "para":
            story.append(Paragraph(_markup(b.text), body))
        else:  # not reached (no forms in PDF); kept readable
            for row in b.rows:
                story.append(Paragraph(_markup(row.label), bold))
                story.extend(Paragraph(_markup(p), body) for p in row.paragraphs)
        story.append(Spacer(1, 2))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        invariant=1,
        title="Consultation response",
        author="Respondent",
        creator="helpers.validate.devsets",
        producer="helpers.validate.devsets",
    )
    doc.build(story)
    return buf.getvalue()
