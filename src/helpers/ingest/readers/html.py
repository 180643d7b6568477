"""Saved web pages and web forms ``.html``/``.htm``: the visible text and the respondent's answers.

Parsed with BeautifulSoup's ``html.parser`` builder (pure Python, forgiving
of broken markup). Links are never followed and nothing external is loaded.
Rules, each with its reason:

- Bytes are decoded by a byte-order mark, else the ``<meta charset>`` (or
  ``http-equiv`` content type) in the first 4 KB, which is what the browser
  that saved the page used, if the bytes decode with it; else the project's text decoding
  (``text.decode``: UTF-8, Windows-1252, Latin-1).
- Only visible text is read: ``script``, ``style``, ``noscript``,
  ``template``, ``head`` (title and metadata), ``iframe``/``object``/``svg``,
  buttons, hidden inputs, and elements with the ``hidden`` attribute or an
  inline ``display:none`` / ``visibility:hidden`` style are dropped: a
  respondent never saw them, so they are not their words.
- Block elements (paragraphs, divisions, list items, table cells, …) become
  paragraphs; ``h1``–``h6`` become ``heading`` cues, as Word headings do;
  a paragraph (``p``, or a ``div`` with no block inside) whose visible text
  is all inside ``b``/``strong`` becomes a ``bold`` cue, as an all-bold Word
  paragraph does (respondents bold their own headings far more often than
  they use ``h1``–``h6``);
  list items get a ``- `` prefix. Tables are laid out as forms
  (``readers.forms.table_blocks``, as in Word and OpenDocument): in a row of
  two cells the first is a ``heading`` cue (the question of a form laid out
  as a table), as a fieldset's ``legend`` is; "label | X" rows and option
  columns over a row of marks are read as ticks; other cells are paragraphs,
  row by row.
- Form controls carry the respondent's answers. A checked radio button or
  checkbox becomes a line ``☒ <label>`` where the control is (its label is
  the ``<label for=id>``, else the enclosing ``<label>``, else the short bare
  text after it up to the next line break or control, else its ``value``);
  an unchecked one contributes nothing, and the labels of these controls are
  not read as text, so options the respondent did not choose do not appear.
  The notes count both, as for Word and OpenDocument forms (``readers.forms``).
  A ``textarea``'s content and a text input's ``value`` are the respondent's
  words, each its own paragraph; a ``select`` gives its selected options' text.
- Deeply nested markup fails with its own reason, not as a reader bug.
"""

from __future__ import annotations

import codecs
import re

from helpers.ingest.marks import MAX_LABEL_WORDS
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.blocks import join_blocks
from helpers.ingest.readers.forms import FormCounts, option_paragraphs, table_blocks
from helpers.ingest.readers.text import _BOMS, decode
from helpers.ingest.textnorm import Cue

__all__ = ["read_html"]

CHECKED = "☒"
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_DROP = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
         "svg", "canvas", "button", "datalist", "map", "audio", "video", "meta", "link"}  # fmt: skip
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "blockquote",
           "pre", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
           "caption", "form", "fieldset", "legend", "hr", "address", "figure", "figcaption", "details",
           "summary", "body", "html", "center"}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD = {"b", "strong"}
_NOT_TEXT_INPUTS = {"hidden", "submit", "button", "reset", "image", "file", "password", "radio", "checkbox",
                    "range", "color"}  # fmt: skip


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """``(text, encoding, notes)``: BOM, then meta charset, then the project's text decoding."""
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        found = _META_CHARSET.search(data[:4096])
        if found:
            declared = found.group(1).decode("ascii").lower()
            try:
                enc = codecs.lookup(declared).name
            except LookupError:
                enc = None
            if enc and not enc.startswith(("utf-16", "utf-32")):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    pass  # mislabelled (a page saved as Windows-1252 that says UTF-8): guess
                else:
                    return text, enc, [] if enc == "utf-8" else [f"encoding {enc} (meta charset)"]
    text, enc, how = decode(data, name)
    return text, enc, [] if enc in ("utf-8", "utf-8-sig") else [f"encoding {enc} ({how})"]


def _hidden(tag) -> bool:
    if tag.has_attr("hidden"):
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    return bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _all_bold(tag) -> bool:
    """Whether a paragraph's visible text is all inside ``b``/``strong`` (and it has some).

    Only a ``p``, or a ``div`` with no block element inside, is judged: a
    container of paragraphs is not one heading line.
    """
    from bs4.element import NavigableString, Tag

    name = (tag.name or "").lower()
    if name not in ("p", "div") or tag.find(
        lambda t: (t.name or "").lower() in _BLOCKS | _HEADINGS
    ):
        return False
    seen = False
    for node in tag.descendants:
        if type(node) is not NavigableString or not node.strip():
            continue
        inside = False
        for parent in node.parents:
            if parent is tag:
                break
            if isinstance(parent, Tag) and (parent.name or "").lower() in _BOLD:
                inside = True
                break
            if isinstance(parent, Tag) and (
                (parent.name or "").lower() in _DROP or _hidden(parent)
            ):
                inside = None
                break
        if inside is None:
            continue
        if not inside:
            return False
        seen = True
    return seen


def _choice(tag) -> bool:
    return tag.name == "input" and str(tag.get("type", "")).lower() in ("radio", "checkbox")


class _Walker:
    """Collects (text, kind) paragraphs from a parsed page in document order."""

    def __init__(self, soup) -> None:
        self.blocks: list[tuple[str, str | None]] = []
        self.buffer: list[str] = []
        self.kind: str | None = None
        self.counts = FormCounts()
        # Labels of radio buttons and checkboxes: not read as text; the checked ones speak for themselves.
        self.labels: dict[int, str] = {}  # id(control) → label text
        self.choice_labels: set[int] = set()  # id(label) not read as text
        self.consumed: set[int] = set()  # id(node) of bare-text labels beside controls
        by_for = {}
        for label in soup.find_all("label"):
            if label.get("for"):
                by_for.setdefault(str(label["for"]), label)
        for control in soup.find_all(_choice):
            label = by_for.get(str(control.get("id", ""))) if control.get("id") else None
            if label is None:
                label = control.find_parent("label")
            if label is not None:
                self.choice_labels.add(id(label))
                self.labels[id(control)] = _SPACE.sub(" ", label.get_text(" ")).strip()
            else:
                self._bare_label(control)

    def _bare_label(self, control) -> None:
        """The option written as bare text after a control with no ``<label>`` ("<input …> Agree<br>").

        The text up to the next line break, control or block is the
        control's label when it is a short label (``forms`` rules): read as
        the checked control's label, and for an unchecked one not read at all.
        Longer text is the page's words and stays.
        """
        from bs4.element import NavigableString, Tag

        nodes, words = [], []
        for node in control.next_siblings:
            if isinstance(node, Tag):
                name = (node.name or "").lower()
                if (
                    name in ("br", "input", "select", "textarea")
                    or name in _BLOCKS
                    or name in _HEADINGS
                ):
                    break
                words.append(node.get_text(" "))
            elif type(node) is NavigableString:
                words.append(str(node))
            else:
                continue
            nodes.append(node)
        text = _SPACE.sub(" ", " ".join(words)).strip()
        if text and len(text.split()) <= MAX_LABEL_WORDS:
            self.labels[id(control)] = text
            self.consumed.update(id(n) for n in nodes)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip() if self.buffer else ""
        self.buffer = []
        if text:
            self.blocks.append((text, self.kind))

    def block(self, text: str, kind: str | None = None) -> None:
        self.flush()
        if text.strip():
            self.blocks.append((text.strip(), kind))

    def control(self, tag) -> None:
        kind = str(tag.get("type", "text")).lower()
        if _choice(tag):
            if tag.has_attr("checked"):
                label = self.labels.get(id(tag)) or str(tag.get("value", "")).strip() or "(ticked)"
                self.block(f"{CHECKED} {label}")
                self.counts.ticked += 1
            else:
                self.counts.dropped += 1
        elif kind not in _NOT_TEXT_INPUTS and str(tag.get("value", "")).strip():
            self.block(str(tag["value"]))

    def table(self, node) -> None:
        """A table laid out as a form (``forms.table_blocks``), as Word and OpenDocument tables are.

        Each cell is read on its own (option glyphs in it rendered as in a
        Word cell); then "label | X" rows, option matrices and question |
        answer rows are read from the cells.
        """
        self.flush()
        rows = []
        for tr in _table_rows(node):
            cells = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                if _hidden(cell):
                    continue
                saved, outer = self.blocks, self.kind
                self.blocks, self.kind = [], None
                self.walk(cell)
                self.flush()
                blocks, self.blocks, self.kind = self.blocks, saved, outer
                scratch = FormCounts()  # checked controls are counted where they are read
                cells.append(option_paragraphs(blocks, scratch))
                self.counts.dropped += scratch.dropped
            rows.append(cells)
        self.blocks.extend(table_blocks(rows, self.counts))

    def walk(self, node) -> None:
        from bs4.element import NavigableString, Tag

        for child in node.children:
            if id(child) in self.consumed:
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, doctype, CDATA or declaration
                    self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = (child.name or "").lower()
            if name in _DROP or _hidden(child):
                continue
            if name == "input":
                self.control(child)
            elif name == "textarea":
                self.block(child.get_text())
            elif name == "select":
                chosen = [
                    o.get_text(" ").strip()
                    for o in child.find_all("option")
                    if o.has_attr("selected")
                ]
                self.block("; ".join(c for c in chosen if c))
            elif name == "label" and id(child) in self.choice_labels:
                for control in child.find_all(_choice):  # the enclosed control, at its place
                    self.control(control)
            elif name == "br":
                self.flush()
            elif name == "table":
                self.table(child)
            elif name in _HEADINGS or name in ("li", "legend"):
                self.flush()
                outer, self.kind = self.kind, ("list" if name == "li" else "heading")
                self.walk(child)
                self.flush()
                self.kind = outer
            elif name in _BLOCKS:
                self.flush()
                outer = self.kind
                if outer is None and _all_bold(child):
                    self.kind = "bold"
                self.walk(child)
                self.flush()
                self.kind = outer
            else:
                self.walk(child)


def _table_rows(table):
    """A table's own rows, through ``thead``/``tbody``/``tfoot`` (not a nested table's)."""
    for child in table.find_all(True, recursive=False):
        name = (child.name or "").lower()
        if name == "tr" and not _hidden(child):
            yield child
        elif name in ("thead", "tbody", "tfoot") and not _hidden(child):
            yield from _table_rows(child)


def read_html(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str, list[str]]:
    """Visible text and form answers of a saved web page: ``(text, cues, encoding, notes)``."""
    from bs4 import BeautifulSoup

    raw, enc, notes = _decode(data, name)
    walker = None
    try:
        soup = BeautifulSoup(raw, "html.parser")
        walker = _Walker(soup)
        walker.walk(soup)
        walker.flush()
    except RecursionError as exc:
        raise ReadError(
            f"{name}: the page's elements are nested too deeply to read (thousands inside each other); "
            "the file is damaged or was not saved by a browser"
        ) from exc
    text, cues = join_blocks(walker.blocks, cue_kinds=("heading", "bold"), skip_blank=False)
    return text, cues, enc, notes + walker.counts.note()
