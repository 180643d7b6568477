"""OpenDocument text ``.odt``: body text in reading order, with heading and list cues.

An .odt is a zip of XML; the body is ``content.xml``. Rules, each with its reason:

- The archive is checked against the zip limits before this reader runs
  (``archive.check_zip``, as for .docx), and ``content.xml`` is read with the
  standard library only.
- A DOCTYPE or entity declaration is refused before the XML is parsed: a real
  OpenDocument file never has one, and entities are how XML bombs ("billion
  laughs") and external-file references work. The check runs expat with
  handlers that stop at the first declaration, so nothing is expanded.
- ``text:h`` (a heading, whatever its outline level) and paragraphs whose
  style is a Heading or Title style become ``heading`` cues, as Word headings
  do, so segmentation finds question headings the way it does in .docx.
- A paragraph whose visible text is all bold (a bold paragraph style, or
  spans in bold text styles: ``fo:font-weight="bold"`` or heavier in
  content.xml's automatic styles) becomes a ``bold`` cue, as an all-bold Word
  paragraph does: respondents make their own headings bold far more often
  than they use heading styles.
- List items get a ``- `` prefix and consecutive items are separated by one
  line break, as in ``word.py``.
- Table cells are read row by row, laid out as a form (``readers.forms``), so
  a question | answer table reads as the question line, then the answer.
  Repeated-row and repeated-column counts are not expanded: they describe
  empty formatting, and expanding them is how a small file claims millions of
  cells.
- A password-protected file (its manifest lists encryption data) fails with
  that reason rather than as unreadable XML.
- Not read: cells hidden under a merged cell, footnotes and endnotes, comments (annotations), tracked deletions
  (the ``text:tracked-changes`` record), text boxes and frames, and generated
  indexes such as a table of contents, which repeat the headings and would
  be found as question headings twice.
- Nesting hundreds deep fails with its own reason, not as a reader bug.
- Response forms (``readers.forms``): a check box or radio button form
  control (``draw:control`` naming a ``form:checkbox`` / ``form:radio`` in
  ``office:forms``, its ``form:current-state`` / ``form:current-selected``,
  else its default) and a LibreOffice check-box content control
  (``loext:content-control`` with ``loext:checkbox``) are written ``☒``
  (ticked) or ``☐`` with their label; tables are laid out as question |
  answer forms, and unticked options are dropped and counted.
"""

from __future__ import annotations

import io
import xml.parsers.expat
import zipfile
from xml.etree import ElementTree as ET

from helpers.ingest.marks import RENDERED
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.blocks import join_blocks
from helpers.ingest.readers.forms import FormCounts, option_paragraphs, table_blocks
from helpers.ingest.textnorm import Cue

__all__ = ["read_odt", "refuse_declarations"]

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FORM = "urn:oasis:names:tc:opendocument:xmlns:form:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
UNTICKED = "☐"


def _t(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


# Elements whose content is not body text (see the module docstring).
_SKIP = {
    _t(TEXT, "note"),
    _t(TEXT, "tracked-changes"),
    _t(OFFICE, "annotation"),
    _t(OFFICE, "annotation-end"),
    _t(TEXT, "table-of-content"),
    _t(TEXT, "illustration-index"),
    _t(TEXT, "table-index"),
    _t(TEXT, "object-index"),
    _t(TEXT, "user-index"),
    _t(TEXT, "alphabetical-index"),
    _t(TEXT, "bibliography"),
    _t(TEXT, "deletion"),
    _t(TABLE, "covered-table-cell"),
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}custom-shape",
}
_MAX_SPACES = 1000  # text:s c="…": a run of spaces, bounded so a file cannot claim billions


class _Declared(Exception):
    pass


def refuse_declarations(data: bytes, name: str, part: str) -> None:
    """ReadError if the XML ``data`` declares a DOCTYPE or entities (checked with expat, nothing expanded)."""

    def stop(*_args) -> None:
        raise _Declared

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = stop
    parser.EntityDeclHandler = stop
    parser.UnparsedEntityDeclHandler = stop
    parser.ExternalEntityRefHandler = stop
    try:
        parser.Parse(data, True)
    except _Declared:
        raise ReadError(
            f"{name}: {part} declares a DOCTYPE or entities, which OpenDocument files never do; "
            "refused (it could expand to gigabytes or read other files)"
        ) from None
    except (xml.parsers.expat.ExpatError, ValueError, LookupError) as exc:
        raise ReadError(
            f"{name}: not a valid OpenDocument .odt file ({part} is not well-formed XML: {exc})"
        ) from exc


def _form_controls(root: ET.Element) -> dict[str, str]:
    """Check boxes and radio buttons of ``office:forms``: control id → ``"☒ label"`` or ``"☐ label"``."""
    found: dict[str, str] = {}
    for tag, current, default in (
        ("checkbox", "current-state", "state"),
        ("radio", "current-selected", "selected"),
    ):
        for control in root.iter(_t(FORM, tag)):
            state = control.get(_t(FORM, current), control.get(_t(FORM, default), ""))
            ticked = state.lower() in ("checked", "true")
            glyph = RENDERED if ticked else UNTICKED
            label = (control.get(_t(FORM, "label")) or "").strip()
            for key in (control.get(_t(FORM, "id")), control.get(XML_ID)):
                if key:
                    found[key] = f"{glyph} {label}" if label else f"{glyph} "
    return found


def _content_control_box(element: ET.Element) -> str | None:
    """☒/☐ for a LibreOffice check-box content control, else None."""
    if element.get(_t(LOEXT, "checkbox"), "").lower() != "true":
        return None
    return RENDERED if element.get(_t(LOEXT, "checked"), "").lower() == "true" else UNTICKED


def _inline(element: ET.Element, out: list[str], controls: dict[str, str] | None = None) -> None:
    """Append the visible text of a paragraph's content to ``out`` (check boxes as ☒/☐)."""
    if element.text:
        out.append(element.text)
    for child in element:
        tag = child.tag
        box = _content_control_box(child) if tag == _t(LOEXT, "content-control") else None
        if tag in _SKIP:
            pass
        elif tag == _t(DRAW, "control"):
            out.append((controls or {}).get(child.get(_t(DRAW, "control"), ""), ""))
        elif box is not None:
            out.append(box)
        elif tag == _t(TEXT, "s"):
            try:
                count = int(child.get(_t(TEXT, "c"), "1"))
            except ValueError:
                count = 1
            out.append(" " * max(1, min(count, _MAX_SPACES)))
        elif tag == _t(TEXT, "tab"):
            out.append("\t")
        elif tag == _t(TEXT, "line-break"):
            out.append("\n")
        else:
            _inline(child, out, controls)
        if child.tail:
            out.append(child.tail)


def _heading_styles(root: ET.Element) -> set[str]:
    """Automatic paragraph styles in content.xml that derive from a Heading or Title style."""
    found = set()
    for style in root.iter(_t(STYLE, "style")):
        parent = style.get(_t(STYLE, "parent-style-name"), "")
        if parent.startswith(("Heading", "Title")):
            found.add(style.get(_t(STYLE, "name"), ""))
    return found


_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_HEAVY = {"bold", "600", "700", "800", "900"}


def _bold_styles(root: ET.Element) -> dict[str, bool]:
    """Automatic styles in content.xml that set the font weight: name → bold or not."""
    found: dict[str, bool] = {}
    for style in root.iter(_t(STYLE, "style")):
        props = style.find(_t(STYLE, "text-properties"))
        weight = props.get(_t(_FO, "font-weight")) if props is not None else None
        if weight is not None:
            found[style.get(_t(STYLE, "name"), "")] = weight.lower() in _HEAVY
    return found


def _all_bold(element: ET.Element, bold: bool, styles: dict[str, bool]) -> bool | None:
    """True if all visible text under ``element`` is bold, False if some is not, None if none."""
    seen: bool | None = None
    if element.text and element.text.strip():
        if not bold:
            return False
        seen = True
    for child in element:
        if child.tag not in _SKIP:
            inner = styles.get(child.get(_t(TEXT, "style-name"), ""), bold)
            got = _all_bold(child, inner, styles)
            if got is False:
                return False
            seen = seen or got
        if child.tail and child.tail.strip():
            if not bold:
                return False
            seen = True
    return seen


class _Context:
    """What the walk over the body needs: heading styles, form controls and the form counts."""

    def __init__(self, root: ET.Element) -> None:
        self.headings = _heading_styles(root)
        self.bold = _bold_styles(root)
        self.controls = _form_controls(root)
        self.counts = FormCounts()


def _items(element: ET.Element, ctx: _Context, in_list: bool = False):
    """(text, kind) per paragraph in body order; a laid-out table as one list of blocks."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag in (_t(TEXT, "p"), _t(TEXT, "h")):
            out: list[str] = []
            _inline(child, out, ctx.controls)
            style = child.get(_t(TEXT, "style-name"), "")
            if (
                tag == _t(TEXT, "h")
                or style in ctx.headings
                or style.startswith(("Heading", "Title"))
            ):
                kind = "heading"
            elif not in_list and _all_bold(child, ctx.bold.get(style, False), ctx.bold):
                kind = "bold"
            else:
                kind = "list" if in_list else None
            yield "".join(out), kind
        elif tag in (_t(TEXT, "list"), _t(TEXT, "list-item"), _t(TEXT, "list-header")):
            yield from _items(child, ctx, in_list=True)
        elif tag == _t(TABLE, "table"):
            yield _table(child, ctx)
        else:
            # Sections, forms, other containers: their paragraphs, in order.
            yield from _items(child, ctx, in_list)


def _blocks(element: ET.Element, ctx: _Context) -> list[tuple[str, str | None]]:
    """The blocks of a container (the body or a cell), option paragraphs rendered."""
    out: list[tuple[str, str | None]] = []
    pending: list[tuple[str, str | None]] = []
    for item in _items(element, ctx):
        if isinstance(item, list):  # a table, already laid out
            out.extend(option_paragraphs(pending, ctx.counts))
            pending = []
            out.extend(item)
        else:
            pending.append(item)
    out.extend(option_paragraphs(pending, ctx.counts))
    return out


def _rows(element: ET.Element):
    """A table's own rows, through header-row and row-group wrappers (not nested tables')."""
    for child in element:
        if child.tag == _t(TABLE, "table-row"):
            yield child
        elif child.tag in (
            _t(TABLE, "table-header-rows"),
            _t(TABLE, "table-rows"),
            _t(TABLE, "table-row-group"),
        ):
            yield from _rows(child)


def _table(table: ET.Element, ctx: _Context) -> list[tuple[str, str | None]]:
    """A table laid out as a form (``forms.table_blocks``); cells hidden under a merge are skipped."""
    rows = [
        [_blocks(cell, ctx) for cell in row if cell.tag == _t(TABLE, "table-cell")]
        for row in _rows(table)
    ]
    return table_blocks(rows, ctx.counts)


def read_odt(data: bytes, name: str) -> tuple[str, list[Cue], list[str]]:
    """Body text of an .odt (paragraphs, lists and tables in order) with heading cues, and notes."""
    bad = f"{name}: not a valid OpenDocument .odt file (corrupt, password-protected, or another format renamed .odt?)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "content.xml" not in archive.namelist():
                raise ReadError(f"{bad}: it has no content.xml")
            names = archive.namelist()
            manifest = (
                archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            )
            if b"encryption-data" in manifest[: 1 << 20]:
                raise ReadError(f"{name}: the .odt is password-protected; save an unprotected copy")
            content = archive.read("content.xml")
    except ReadError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise ReadError(f"{bad}: {exc}") from exc
    except Exception as exc:  # zlib.error and other damage inside a member
        raise ReadError(f"{bad}: {exc}") from exc
    refuse_declarations(content, name, "content.xml")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise ReadError(f"{bad}: content.xml is not well-formed XML: {exc}") from exc
    body = root.find(f"{_t(OFFICE, 'body')}/{_t(OFFICE, 'text')}")
    if body is None:
        raise ReadError(
            f"{name}: no text body in content.xml (a spreadsheet or presentation renamed .odt?)"
        )
    ctx = _Context(root)
    try:
        blocks = _blocks(body, ctx)
    except RecursionError as exc:
        raise ReadError(
            f"{name}: content is nested too deeply to read (hundreds of lists or tables inside each other); "
            "the file is damaged or was not written by a word processor"
        ) from exc
    text, cues = join_blocks(blocks, cue_kinds=("heading", "bold"))
    return text, cues, ctx.counts.note()
