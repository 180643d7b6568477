"""PDF: the text layer, paragraphs rebuilt from lines, running headers and footers dropped.

A PDF stores positioned lines, not paragraphs: lines are joined back into
paragraphs by their vertical spacing, bold lines become cues, and page
numbers and headers/footers repeated on most pages are dropped. A PDF with
no text layer (a scan) fails with the advice to run OCR first.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from helpers.ingest.readers.base import ReadError
from helpers.ingest.textnorm import BULLET_GLYPHS, Cue, normalise_with_cues

MIN_PDF_CHARS_PER_PAGE = 20

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–(]?\s*#\s*[-–)]?(?:\s*(?:of|/)\s*#)?$", re.IGNORECASE)


_PDF_BULLET = re.compile(r"[" + BULLET_GLYPHS + r"]|[*\-–]\s")


@dataclass
class _Line:
    text: str = ""
    y: float | None = None
    size: float | None = None  # effective font size of the first chunk
    bold: bool = True
    has_text: bool = False


def _pdf_page_lines(page) -> list[_Line]:
    """Lines of a page's text layer with their baseline height and boldness."""
    lines = [_Line()]

    def visit(text, cm, tm, font, size) -> None:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append(_Line())
            if not part:
                continue
            line = lines[-1]
            line.text += part
            if part.strip():
                if line.y is None:
                    line.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    line.size = abs(size * (tm[3] * cm[3] or 1)) or None
                fontname = str((font or {}).get("/BaseFont", ""))
                line.bold = line.bold and bool(re.search(r"bold|black|heavy", fontname, re.I))
                line.has_text = True

    page.extract_text(visitor_text=visit)
    return [ln for ln in lines if ln.has_text]


def _strip_running_lines(pages: list[list[_Line]]) -> int:
    """Drop page numbers and headers/footers repeated on most pages; return how many.

    Only the first and last two lines of a page are candidates. A header must
    repeat word for word ("Acme response, June 2022"); digits are ignored only
    in page-number lines ("Page 3 of 9", "- 3 -"), so that "Question 1" and
    "Question 4" at the tops of two pages are never taken for a header.
    """

    def key(line: _Line) -> str:
        return " ".join(line.text.split()).lower()

    def is_page_number(k: str) -> bool:
        return bool(_PAGE_NUMBER.match(re.sub(r"\d+", "#", k)))

    edge = [p[:2] + p[-2:] for p in pages]
    counts = Counter(k for lines in edge for k in {key(ln) for ln in lines})
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n > len(pages) / 2}
    dropped = 0
    for i, lines in enumerate(pages):
        keep = []
        for j, ln in enumerate(lines):
            at_edge = j < 2 or j >= len(lines) - 2
            if at_edge and (key(ln) in repeated or is_page_number(key(ln))):
                dropped += 1
                continue
            keep.append(ln)
        pages[i] = keep
    return dropped


def _line_spacing(pages: list[list[_Line]]) -> float | None:
    """The usual baseline-to-baseline distance, over the whole document.

    The median gap between consecutive lines. With only a few gaps to go on
    (a short document, mostly paragraph gaps) it is capped at 1.3 x the median
    font size, so paragraph gaps are not mistaken for normal spacing; with
    more lines the median is trusted, so double-spaced text still reflows.
    """
    gaps = [
        a.y - b.y
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y is not None and b.y is not None and a.y - b.y > 0
    ]
    sizes = [ln.size for lines in pages for ln in lines if ln.size]
    usual = statistics.median(gaps) if gaps else None
    if sizes and len(gaps) < 8:
        cap = 1.3 * statistics.median(sizes)
        usual = min(usual, cap) if usual is not None else cap
    return usual


def _pdf_page_text(lines: list[_Line], usual: float | None, cues: list[Cue], offset: int) -> str:
    """Rebuild paragraphs: wrapped lines joined, a larger vertical gap starts a paragraph."""
    out = ""
    para_start = 0
    for i, ln in enumerate(lines):
        text = " ".join(ln.text.split())
        if i:
            prev = lines[i - 1]
            gap = prev.y - ln.y if prev.y is not None and ln.y is not None else None
            new_para = (
                gap is None
                or gap <= 0  # a new column or text box
                or (usual is not None and gap > 1.5 * usual)
                or prev.bold != ln.bold
            )
            if new_para:
                if prev.bold and out[para_start:].strip():
                    cues.append((offset + para_start, offset + len(out), "bold"))
                out += "\n\n"
                para_start = len(out)
            elif _PDF_BULLET.match(text):
                out += "\n"  # a list item starts its own line
            elif re.search(r"[a-zß-ÿ]-$", out) and text[:1].islower():
                out += "\n"  # normalise() rejoins 'organ-\nisation'
            else:
                out += " "
        out += text
    if lines and lines[-1].bold and out[para_start:].strip():
        cues.append((offset + para_start, offset + len(out), "bold"))
    return out


def read_pdf(data: bytes, name: str) -> tuple[str, list[Cue], list[str]]:
    """Text layer of a PDF, paragraphs rebuilt, running headers/footers dropped."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(f"{name}: the PDF is password-protected; save an unprotected copy")
        pages = [_pdf_page_lines(p) for p in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReadError(f"{name}: could not read the PDF (corrupt or truncated?): {exc}") from exc
    n_chars = sum(len(ln.text.strip()) for p in pages for ln in p)
    if not pages or n_chars < MIN_PDF_CHARS_PER_PAGE * len(pages):
        raise ReadError(
            f"{name}: no text layer (scanned PDF?): run OCR first, e.g. `ocrmypdf in.pdf out.pdf`"
        )
    notes = []
    dropped = _strip_running_lines(pages)
    if dropped:
        notes.append(f"{dropped} page-number/header/footer line(s) dropped")
    cues: list[Cue] = []
    text = ""
    usual = _line_spacing(pages)
    for lines in pages:
        if not lines:
            continue
        if text:
            text += "\n\n"
        text += _pdf_page_text(lines, usual, cues, len(text))
    text, cues = normalise_with_cues(text, cues)
    return text, cues, notes
