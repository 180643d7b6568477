"""Render a source to the bytes of its file: the format registry.

``render_source`` lays the source out as blocks (``layout``) and hands them
to the renderer of its format; an e-mail with an attachment renders the
attachment with the renderer of the attachment's format. Adding a format is
one renderer function and one entry in ``RENDERERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from helpers.core.consultation import Consultation
from helpers.validate.devsets.layout import Block, blocks_for
from helpers.validate.devsets.render_docx import render_docx
from helpers.validate.devsets.render_eml import render_eml
from helpers.validate.devsets.render_odt import render_odt
from helpers.validate.devsets.render_pdf import render_pdf
from helpers.validate.devsets.render_text import render_html, render_md, render_rtf, render_txt
from helpers.validate.devsets.sources import Source

__all__ = ["RENDERERS", "render_source"]

Renderer = Callable[[list[Block], str | None, str], bytes]
RENDERERS: dict[str, Renderer] = {
    "txt": render_txt,
    "md": render_md,
    "docx": render_docx,
    "odt": render_odt,
    "rtf": render_rtf,
    "html": render_html,
    "pdf": render_pdf,
}


def render_source(source: Source, consultation: Consultation) -> bytes:
    """The bytes of ``source`` rendered in its format and layout."""
    if source.format == "eml":
        att = source.attachment
        body_layout = "letter" if source.layout == "form" else source.layout
        blocks = blocks_for(source, consultation, body_layout)
        if att is None:
            return render_eml(source, blocks)
        if att.questions:  # answers in the body AND in the attached file
            inside = tuple(a for a in source.answers if a.question in att.questions)
            body = replace(source, answers=tuple(a for a in source.answers if a not in inside))
            blocks = blocks_for(body, consultation, body_layout)
            attached = replace(source, answers=inside, preamble=None, closing=None)
            att_blocks = blocks_for(attached, consultation, att.layout)
        else:
            att_blocks = blocks_for(source, consultation, att.layout)
        return render_eml(
            source,
            blocks,
            lambda: RENDERERS[att.format](att_blocks, att.style, att.tick_style),
        )
    blocks = blocks_for(source, consultation)
    return RENDERERS[source.format](blocks, source.style, source.tick_style)
