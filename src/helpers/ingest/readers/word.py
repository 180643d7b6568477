"""Word ``.docx``: body text in reading order, with heading and bold cues.

Paragraphs and table cells are read in body order (including text in
hyperlinks, tracked insertions and form fields; not deleted text, not text
boxes), and Word heading styles and all-bold paragraphs become cues that
segmentation uses to find question headings. Malformed XML is a "not a valid
.docx" failure, and tables nested hundreds deep (more than Python's recursion
allows) fail with their own reason rather than as a reader bug.

Response forms (``readers.forms``): a check box is written ``☒`` (ticked) or
``☐`` wherever it is: a content-control check box (``w:sdt`` with
``w14:checkbox``, read from its ``w14:checked`` state, not from the glyph it
shows), a legacy form-field check box (``FORMCHECKBOX``: ``w:ffData`` /
``w:checkBox``, its ``w:checked`` or else its ``w:default``), or a Wingdings
box or tick symbol (``w:sym``). Tables are laid out as question | answer
forms, and unticked options are dropped and counted.
"""

from __future__ import annotations

import io

from helpers.ingest.marks import RENDERED
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.blocks import join_blocks
from helpers.ingest.readers.forms import (
    FormCounts,
    emphasised_options,
    option_paragraphs,
    table_blocks,
)
from helpers.ingest.textnorm import Cue

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_TRUE = ("1", "true", "on")
UNTICKED = "☐"
# Wingdings / Wingdings 2 symbol codes (low byte of w:sym/@w:char) that draw a box or a tick.
_SYMBOLS = {
    "wingdings": {0xFE: RENDERED, 0xFD: RENDERED, 0x78: RENDERED, 0xFC: "✓",
                  0xA8: UNTICKED, 0x6F: UNTICKED, 0x71: UNTICKED},
    "wingdings 2": {0x54: RENDERED, 0x52: RENDERED, 0x50: "✓", 0xA3: UNTICKED},
}  # fmt: skip


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


def _on(element, attr: str = f"{{{W}}}val", default: bool = True) -> bool:
    """An OOXML on/off property: present without a value means on."""
    if element is None:
        return False
    value = element.get(attr)
    return default if value is None else value.lower() in _TRUE


def _checkbox_sdt(r_el):
    """The content-control check box a run is inside, if any."""
    found = r_el.xpath("ancestor::w:sdt[w:sdtPr/w14:checkbox][1]")  # python-docx knows w, w14
    return found[0] if found else None


def _sdt_checked(sdt) -> bool:
    checked = sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox/{{{W14}}}checked")
    return _on(checked, f"{{{W14}}}val", default=False)


def _field_checkbox(r_el) -> str | None:
    """☒/☐ for a run that begins a legacy FORMCHECKBOX field, else None."""
    box = r_el.find(f"{{{W}}}fldChar/{{{W}}}ffData/{{{W}}}checkBox")
    if box is None:
        return None
    checked = box.find(f"{{{W}}}checked")
    if checked is not None:
        ticked = _on(checked)
    else:
        ticked = _on(box.find(f"{{{W}}}default"), default=False)
    return RENDERED if ticked else UNTICKED


def _symbol_font(r_el) -> dict[int, str] | None:
    """The box and tick symbols of the run's font, when it is a Wingdings font."""
    fonts = r_el.find(f"{{{W}}}rPr/{{{W}}}rFonts")
    if fonts is None:
        return None
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        table = _SYMBOLS.get((fonts.get(f"{{{W}}}{attr}") or "").lower())
        if table is not None:
            return table
    return None


def _symbol_text(text: str, table: dict[int, str]) -> str:
    """Text typed in a Wingdings font: its box and tick characters as ☒/☐/✓.

    A box pasted or typed in Wingdings (not inserted as a symbol, ``w:sym``)
    is the plain character the font draws as a box: "þ" (0xFE) is a ticked
    box, "¨" (0xA8) an empty one, or the same codes in the private-use range
    U+F0xx that Word uses for symbol fonts. Other characters of the run are
    kept as they are.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x100 or 0xF000 <= code <= 0xF0FF:
            out.append(table.get(code & 0xFF, ch))
        else:
            out.append(ch)
    return "".join(out)


def _run_text(r_el) -> str:
    """A run's text as python-docx reads it, plus Wingdings box and tick symbols."""
    out: list[str] = []
    symbols = _symbol_font(r_el)
    for child in r_el:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "t":
            out.append(_symbol_text(child.text or "", symbols) if symbols else (child.text or ""))
        elif tag in ("tab", "ptab"):
            out.append("\t")
        elif tag == "cr" or (tag == "br" and child.get(f"{{{W}}}type") in (None, "textWrapping")):
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif tag == "sym":
            font = (child.get(f"{{{W}}}font") or "").lower()
            try:
                code = int(child.get(f"{{{W}}}char") or "", 16) & 0xFF
            except ValueError:
                continue
            out.append(_SYMBOLS.get(font, {}).get(code, ""))
    return "".join(out)


def _para_text(runs: list) -> str:
    """A paragraph's visible text, check boxes written as ☒ (ticked) or ☐."""
    out: list[str] = []
    boxes: list = []  # the elements themselves: lxml keeps one proxy per element while referenced
    for run in runs:
        r_el = run._r
        sdt = _checkbox_sdt(r_el)
        if sdt is not None:  # the state, not the glyph the control happens to show
            if not any(sdt is b for b in boxes):
                boxes.append(sdt)
                out.append(RENDERED if _sdt_checked(sdt) else UNTICKED)
            continue
        field = _field_checkbox(r_el)
        if field is not None:
            out.append(field + " ")
        out.append(_run_text(r_el))
    return "".join(out)


def _marked(runs: list) -> bool:
    """Every visible run highlighted or shaded: how a respondent marks a printed option."""
    visible = [r for r in runs if r.text.strip()]
    if not visible:
        return False
    for run in visible:
        rpr = run._r.rPr
        if rpr is None:
            return False
        highlight = rpr.find(f"{{{W}}}highlight")
        shade = rpr.find(f"{{{W}}}shd")
        lit = highlight is not None and (highlight.get(f"{{{W}}}val") or "none") != "none"
        shaded = shade is not None and (shade.get(f"{{{W}}}fill") or "auto").lower() not in (
            "auto",
            "ffffff",
        )
        if not (lit or shaded):
            return False
    return True


def _para_runs(para) -> list:
    from docx.text.run import Run

    return [Run(r, para) for r in para._p.xpath(_VISIBLE_RUNS)]


class _Styles:
    """A document's styles as its paragraphs and runs read them, each looked up once.

    Why: python-docx resolves ``paragraph.style`` and ``run.style`` by scanning every
    style in the document (a paragraph with no style of its own scans them all for the
    default), about 5 ms a lookup in Word's default template, so reading a .docx cost
    ~0.8 s for 30 paragraphs (issue 15 item 4, benchmarks/README.md). The styles do not
    change while a file is read, so each (style id, type) gives the same name and bold
    setting every time: this keeps them by id.
    """

    def __init__(self, part) -> None:
        self.part = part
        self._memo: dict[tuple[str | None, int], tuple[bool, str, bool | None]] = {}

    def _look_up(self, style_id: str | None, kind) -> tuple[bool, str, bool | None]:
        """(found, name, inherited bold) of the style ``style_id`` of type ``kind``."""
        key = (style_id, int(kind))
        hit = self._memo.get(key)
        if hit is None:
            style = self.part.get_style(style_id, kind)  # what ``.style`` returns
            if style is None:
                hit = (False, "", None)
            else:
                hit = (True, style.name or "", _style_bold(style))
            self._memo[key] = hit
        return hit

    def paragraph(self, para) -> tuple[bool, str, bool | None]:
        """``para.style``: whether it has one, its name and its inherited bold."""
        from docx.enum.style import WD_STYLE_TYPE

        return self._look_up(para._p.style, WD_STYLE_TYPE.PARAGRAPH)

    def run(self, run) -> tuple[bool, str, bool | None]:
        """``run.style``: whether it has one, its name and its inherited bold."""
        from docx.enum.style import WD_STYLE_TYPE

        return self._look_up(run._r.style, WD_STYLE_TYPE.CHARACTER)


def _para_kind(para, runs: list, styles: _Styles | None = None) -> str | None:
    """Cue kind for a Word paragraph: heading, bold, list or None."""
    styles = styles or _Styles(para.part)
    _, style_name, para_bold = styles.paragraph(para)
    if style_name.startswith(("Heading", "Title")):
        return "heading"
    ppr = para._p.pPr
    if style_name.startswith("List") or (ppr is not None and ppr.numPr is not None):
        return "list"
    runs = [r for r in runs if r.text.strip()]
    if runs:

        def is_bold(run) -> bool:
            if run.bold is not None:
                return run.bold
            found, _, char = styles.run(run)
            char = char if found else None
            return bool(char if char is not None else para_bold)

        if all(is_bold(r) for r in runs):
            return "bold"
    return None


def _docx_blocks(
    element, parent, counts: FormCounts, styles: _Styles | None = None
) -> list[tuple[str, str | None]]:
    """(text, kind) for each paragraph in body order, descending into tables and content controls.

    Runs of option paragraphs are rendered (``forms.option_paragraphs``) in
    each container, and each table is laid out as a form (``forms.table_blocks``).
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = styles or _Styles(parent.part)
    out: list[tuple[str, str | None]] = []
    pending: list[tuple[str, str | None]] = []
    emphasis: list[bool] = []

    def flush() -> None:
        if any(emphasis):
            pending[:] = emphasised_options(pending, emphasis, counts)
        out.extend(option_paragraphs(pending, counts))
        pending.clear()
        emphasis.clear()

    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, parent)
            runs = _para_runs(para)
            kind = _para_kind(para, runs, styles)
            pending.append((_para_text(runs), kind))
            emphasis.append(kind == "bold" or _marked(runs))
        elif tag == "tbl":
            flush()
            rows = []
            above: set[int] = set()  # cells of earlier rows: a cell merged down repeats in each row
            alive: list = []  # their elements, kept referenced so that their ids stay theirs
            for row in Table(child, parent).rows:
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged across: once
                        continue
                    seen.add(id(cell._tc))
                    alive.append(cell._tc)
                    # Merged down: an empty cell in its place, so the row keeps its columns.
                    cells.append(
                        []
                        if id(cell._tc) in above
                        else _docx_blocks(cell._tc, cell, counts, styles)
                    )
                above |= seen
                rows.append(cells)
            out.extend(table_blocks(rows, counts))
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            # Block-level content controls and tracked insertions wrap whole paragraphs.
            flush()
            out.extend(_docx_blocks(child, parent, counts, styles))
    flush()
    return out


def read_docx(data: bytes, name: str) -> tuple[str, list[Cue], list[str]]:
    """Body text of a .docx (paragraphs and tables in order) with heading/bold cues, and notes."""
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
    counts = FormCounts()
    try:
        blocks = _docx_blocks(document.element.body, document._body, counts)
    except RecursionError as exc:  # tables in tables in tables, hundreds deep
        raise ReadError(
            f"{name}: tables are nested too deeply to read (hundreds of tables inside tables); "
            "the file is damaged or was not written by a word processor"
        ) from exc
    text, cues = join_blocks(blocks, cue_kinds=("heading", "bold"))
    return text, cues, counts.note()
