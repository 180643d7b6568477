"""Checking a written report PDF: by machine (:func:`check_pdf`) and by eye (:func:`render_pages`).

``check_pdf`` lists what would stop the PDF being published as an accessible
document, as sentences (an empty list: nothing found):

- tagged: ``/MarkInfo /Marked true`` and a structure tree (``/StructTreeRoot``);
- a document language (``/Lang``) and a title shown by viewers (``/Title``,
  ``/DisplayDocTitle``); PDF/UA named in the XMP metadata (``pdfuaid:part``);
- every figure in the structure tree has alternative text (``/Alt``);
- bookmarks (outlines), and a contents page whose page numbers are the pages
  the bookmarked headings are on, with each heading's text on that page;
- no text outside the page (each text run's box inside the crop box), which
  is how a clipped, too-wide table shows.

``render_pages`` writes every page as a PNG, to look at what a reader sees.
Both read the PDF with pypdfium2 (PDFium, the renderer of Chrome: a wheel
from PyPI with no system libraries) and pypdf (the document catalogue).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CONTENTS_HEADING = "Contents"
TOLERANCE = 1.0  # points a glyph box may overhang the page edge (antialiasing, rounding)
# "Method ........ 4" (dotted leader) or "Method 4": a title, then the page number.
_ENTRY = re.compile(r"^(?P<title>.*?)[\s.\u2026]*?(?P<page>\d+)\s*$")
WRAPPED_LINES = 2  # a contents title wraps over at most this many lines before its leader
_LEADER = re.compile(r"\.{3,}|\u2026{2,}")


@dataclass(frozen=True)
class Bookmark:
    """One outline entry: nesting level (0 = top), title, 1-based page number."""

    level: int
    title: str
    page: int


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render_pages(pdf: str | Path, out_dir: str | Path, dpi: int = 100) -> list[Path]:
    """Every page of ``pdf`` as ``out_dir/page-001.png``…, at ``dpi``; the paths in page order."""
    import pypdfium2 as pdfium

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(str(pdf))
    paths = []
    try:
        for i in range(len(doc)):
            path = out / f"page-{i + 1:03d}.png"
            doc[i].render(scale=dpi / 72).to_pil().save(path)
            paths.append(path)
    finally:
        doc.close()
    log.info("rendered %d pages of %s into %s", len(paths), pdf, out)
    return paths


def page_texts(pdf: str | Path) -> list[str]:
    """The text of each page, in reading order (PDFium's extraction)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def bookmarks(pdf: str | Path) -> list[Bookmark]:
    """The PDF's outline (bookmarks), in order."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for item in doc.get_toc():
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            if index is not None:
                out.append(Bookmark(item.level, _norm(item.get_title()), index + 1))
        return out
    finally:
        doc.close()


def contents_entries(texts: list[str]) -> tuple[int | None, list[tuple[str, int]]]:
    """The contents page (1-based, None if there is none) and its (title, page) entries.

    The contents start at the line reading ``Contents`` and run while lines end
    in a page number after a dotted leader; a title wrapped over several lines
    is joined.
    """
    for i, text in enumerate(texts):
        lines = [_norm(line) for line in text.splitlines()]
        if CONTENTS_HEADING not in lines:
            continue
        following = lines[lines.index(CONTENTS_HEADING) + 1 :]
        for later in texts[i + 1 :]:  # contents running onto further pages
            following += [_norm(line) for line in later.splitlines()]
        entries: list[tuple[str, int]] = []
        pending: list[str] = []  # lines of a title wrapped before its leader
        for line in following:
            match = _ENTRY.match(line)
            if match and _LEADER.search(line):
                title = _norm(" ".join([*pending, _LEADER.sub("", match["title"])]))
                entries.append((title.rstrip(" ."), int(match["page"])))
                pending = []
            elif len(pending) < WRAPPED_LINES:
                pending.append(line)
            else:
                break  # past the contents
        return i + 1, entries
    return None, []


def text_outside(pdf: str | Path) -> list[str]:
    """One sentence per page with text whose box lies outside the page's crop box."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    problems = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            left, bottom, right, top = page.get_cropbox()
            textpage = page.get_textpage()
            out = []
            for k in range(textpage.count_rects()):
                x0, y0, x1, y1 = textpage.get_rect(k)
                if (
                    x0 < left - TOLERANCE
                    or x1 > right + TOLERANCE
                    or y0 < bottom - TOLERANCE
                    or y1 > top + TOLERANCE
                ):
                    out.append(textpage.get_text_bounded(x0, y0, x1, y1).strip()[:40])
            if out:
                problems.append(
                    f"page {i + 1}: {len(out)} text run(s) outside the page, e.g. {out[0]!r}"
                )
    finally:
        doc.close()
    return problems


def _true(value) -> bool:
    """A PDF boolean that is true (pypdf's BooleanObject(False) is truthy as an object)."""
    return getattr(value, "value", value) is True


def _catalog_problems(pdf: str | Path, ua: bool) -> list[str]:
    """Tagging, language, title, PDF/UA identifier and figures' alternative text."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    root = reader.trailer["/Root"]
    problems = []
    mark = root.get("/MarkInfo")
    if not (mark and _true(mark.get_object().get("/Marked"))) or "/StructTreeRoot" not in root:
        problems.append("not tagged (no /MarkInfo /Marked true or no /StructTreeRoot)")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    title = (reader.metadata or {}).get("/Title")
    if not title or not str(title).strip():
        problems.append("no document title (/Title)")
    prefs = root.get("/ViewerPreferences")
    if not (prefs and _true(prefs.get_object().get("/DisplayDocTitle"))):
        problems.append("viewers are not told to show the title (/DisplayDocTitle)")
    if ua:
        xmp = root.get("/Metadata")
        data = xmp.get_object().get_data().decode("utf-8", "replace") if xmp else ""
        if "pdfuaid:part" not in data:
            problems.append("no PDF/UA identifier (pdfuaid:part) in the XMP metadata")
    if "/StructTreeRoot" in root:
        missing = _figures_without_alt(root["/StructTreeRoot"].get_object())
        if missing:
            problems.append(f"{missing} figure(s) without alternative text (/Alt)")
    return problems


def _figures_without_alt(tree) -> int:
    """How many /Figure structure elements have no (or empty) /Alt."""
    missing, stack, seen = 0, [tree.get("/K")], set()
    while stack:
        node = stack.pop()
        if node is None:
            continue
        ref = getattr(node, "idnum", None)
        if ref is not None:
            if ref in seen:
                continue
            seen.add(ref)
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure" and not str(node.get("/Alt", "")).strip():
                missing += 1
            stack.append(node.get("/K"))
    return missing


def check_pdf(pdf: str | Path, ua: bool = True) -> list[str]:
    """What is wrong with ``pdf`` as an accessible report, one sentence each ([] when nothing).

    ``ua``: also require the PDF/UA identifier in the XMP metadata.
    """
    problems = _catalog_problems(pdf, ua)
    marks = bookmarks(pdf)
    if not marks:
        problems.append("no bookmarks (outlines)")
    texts = page_texts(pdf)
    contents_page, entries = contents_entries(texts)
    if contents_page is None or not entries:
        problems.append("no contents page with page numbers")
    else:
        listed = {title: page for title, page in entries}
        for mark in (m for m in marks if m.level == 0):
            if mark.title not in listed:
                problems.append(f"bookmark {mark.title!r} is not in the contents")
            elif listed[mark.title] != mark.page:
                problems.append(
                    f"contents give page {listed[mark.title]} for {mark.title!r}, "
                    f"which is on page {mark.page}"
                )
        for title, page in entries:
            if not 1 <= page <= len(texts) or title not in _norm(texts[page - 1]):
                problems.append(f"contents: {title!r} is not on page {page}")
    problems.extend(text_outside(pdf))
    return problems
