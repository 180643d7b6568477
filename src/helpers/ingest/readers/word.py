"""Word ``.docx``: body text in reading order, with heading and bold cues.

Paragraphs and table cells are read in body order (including text in
hyperlinks, tracked insertions and form fields; not deleted text, not text
boxes), and Word heading styles and all-bold paragraphs become cues that
segmentation uses to find question headings. Malformed XML is a "not a valid
.docx" failure, and tables nested hundreds deep (more than Python's recursion
allows) fail with their own reason rather than as a reader bug.
"""

from __future__ import annotations

import io

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.blocks import join_blocks
from helpers.ingest.textnorm import Cue


def _style_bold(style) -> bool | None:
    """Bold setting inherited from a (paragraph or character) style chain."""
    while style is not None:
        bold = style.font.bold
        if bold is not None:
            return bold
        style = style.base_style
    return None


# Runs whose text is visible in the document: inside hyperlinks, tracked
# insertions, content controls (form fields) and smart tags too; not deleted
# text, not text boxes (Word stores those twice, as drawing and fallback).
_VISIBLE_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom)"
    " and not(ancestor::w:txbxContent) and not(ancestor::*[local-name()='Fallback'])]"
)


def _para_runs(para) -> list:
    from docx.text.run import Run

    return [Run(r, para) for r in para._p.xpath(_VISIBLE_RUNS)]


def _para_kind(para, runs: list) -> str | None:
    """Cue kind for a Word paragraph: heading, bold, list or None."""
    style_name = (para.style.name if para.style is not None else "") or ""
    if style_name.startswith(("Heading", "Title")):
        return "heading"
    ppr = para._p.pPr
    if style_name.startswith("List") or (ppr is not None and ppr.numPr is not None):
        return "list"
    runs = [r for r in runs if r.text.strip()]
    if runs:
        para_bold = _style_bold(para.style)

        def is_bold(run) -> bool:
            if run.bold is not None:
                return run.bold
            char = _style_bold(run.style) if run.style is not None else None
            return bool(char if char is not None else para_bold)

        if all(is_bold(r) for r in runs):
            return "bold"
    return None


def _docx_blocks(element, parent):
    """(text, kind) for each paragraph in body order, descending into tables and content controls."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, parent)
            runs = _para_runs(para)
            yield "".join(r.text for r in runs), _para_kind(para, runs)
        elif tag == "tbl":
            for row in Table(child, parent).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    yield from _docx_blocks(cell._tc, cell)
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            # Block-level content controls and tracked insertions wrap whole paragraphs.
            yield from _docx_blocks(child, parent)


def read_docx(data: bytes, name: str) -> tuple[str, list[Cue]]:
    """Body text of a .docx (paragraphs and tables in order) with heading/bold cues."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise ReadError(
            f"{name}: not a valid Word .docx file (corrupt, password-protected, or another format renamed .docx?): {exc}"
        ) from exc
    try:
        blocks = list(_docx_blocks(document.element.body, document._body))
    except RecursionError as exc:  # tables in tables in tables, hundreds deep
        raise ReadError(
            f"{name}: tables are nested too deeply to read (hundreds of tables inside tables); "
            "the file is damaged or was not written by a word processor"
        ) from exc
    return join_blocks(blocks, cue_kinds=("heading", "bold"))
