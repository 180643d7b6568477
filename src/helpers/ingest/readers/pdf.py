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
    repeat word for word ("Acme response, June 2022") at the same height on
    the page (within 3 points): a letterhead line that comes back as the
    signature's last line ("Royal Borough of X" at the top of page 1 and the
    foot of page 2) is not a running header. Digits are ignored only in
    page-number lines ("Page 3 of 9", "- 3 -"), so that "Question 1" and
    "Question 4" at the tops of two pages are never taken for a header.
    """

    def key(line: _Line) -> tuple[str, int | None]:
        height = None if line.y is None else round(line.y / 3)
        return " ".join(line.text.split()).lower(), height

    def is_page_number(k: str) -> bool:
        return bool(_PAGE_NUMBER.match(re.sub(r"\d+", "#", k)))

    def near(k: tuple[str, int | None]) -> set[tuple[str, int | None]]:
        # Heights are bucketed by 3 points: a neighbouring bucket is the same height.
        if k[1] is None:
            return {k}
        return {(k[0], k[1] + d) for d in (-1, 0, 1)}

    edge = [p[:2] + p[-2:] for p in pages]
    counts = Counter(k for lines in edge for k in {key(ln) for ln in lines})
    dropped = 0
    for i, lines in enumerate(pages):
        keep = []
        for j, ln in enumerate(lines):
            at_edge = j < 2 or j >= len(lines) - 2
            k = key(ln)
            n = sum(counts[x] for x in near(k))
            repeated = len(pages) >= 2 and n > len(pages) / 2
            if at_edge and (repeated or is_page_number(k[0])):
                dropped += 1
                continue
            keep.append(ln)
        pages[i] = keep
    return dropped


def _line_spacing(pages: list[list[_Line]]) -> float | None:
    """The usual baseline-to-baseline distance within a paragraph, over the whole document.

    The smallest gap that is common (at least a fifth of all gaps, rounded
    to half a point): in a response of short paragraphs, or of one-line
    headings each followed by a two-line answer, paragraph gaps can be the
    majority, and their median would hide every paragraph break. Double-spaced
    text still reflows: its common gap is the double spacing. Without a
    common gap (a short document), the median, capped at 1.3 x the median
    font size so that paragraph gaps are not mistaken for normal spacing.
    """
    gaps = [
        a.y - b.y
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y is not None and b.y is not None and a.y - b.y > 0
    ]
    sizes = [ln.size for lines in pages for ln in lines if ln.size]
    counts = Counter(round(g * 2) / 2 for g in gaps)
    common = [g for g, n in counts.items() if n >= 2 and n >= len(gaps) / 5]
    if common and len(gaps) >= 8:
        # Gaps within half a point of the common one count as it.
        low = min(common)
        return max(g for g in gaps if g <= low + 0.5)
    usual = statistics.median(gaps) if gaps else None
    if sizes and len(gaps) < 8:
        cap = 1.3 * statistics.median(sizes)
        usual = min(usual, cap) if usual is not None else cap
    return usual


def _full_width(pages: list[list[_Line]]) -> int | None:
    """The length in characters of a full (wrapped) line, when the text has enough of them.

    The longest line, when at least three lines come within 10% of it: a
    document of wrapped paragraphs. Short drawn lines only (a form, a list)
    give None, and every line break within a paragraph is then a wrap.
    """
    lengths = sorted((len(" ".join(ln.text.split())) for p in pages for ln in p), reverse=True)
    if len(lengths) < 3 or lengths[2] < 0.9 * lengths[0]:
        return None
    return lengths[0]


def _body_size(pages: list[list[_Line]]) -> float | None:
    """The font size of most lines (the body text's), or None."""
    sizes = Counter(round(ln.size, 1) for p in pages for ln in p if ln.size)
    return sizes.most_common(1)[0][0] if sizes else None


def _larger(line: _Line, size: float | None) -> bool:
    """Whether ``line`` is set in a font at least 15% larger than ``size`` (a heading's)."""
    return bool(line.size and size and line.size > 1.15 * size)


def _pdf_page_text(
    lines: list[_Line],
    usual: float | None,
    cues: list[Cue],
    offset: int,
    width: int | None = None,
    body: float | None = None,
) -> str:
    """Rebuild paragraphs: wrapped lines joined, a larger vertical gap starts a paragraph.

    A line that ends well short of ``width`` (the full line, in characters)
    although the next line's first word would have fitted on it was broken
    by hand (a signature block, an address, a title over two lines): the
    break is kept as a line break rather than joined with a space. A change
    of font size starts a paragraph, and a paragraph set larger than the
    ``body`` text is a heading (a "bold" cue, as bold lines are).
    """
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
                or _larger(prev, ln.size)
                or _larger(ln, prev.size)
            )
            if new_para:
                if (prev.bold or _larger(prev, body)) and out[para_start:].strip():
                    cues.append((offset + para_start, offset + len(out), "bold"))
                out += "\n\n"
                para_start = len(out)
            elif _PDF_BULLET.match(text):
                out += "\n"  # a list item starts its own line
            elif re.search(r"[a-zß-ÿ]-$", out) and text[:1].islower():
                out += "\n"  # normalise() rejoins 'organ-\nisation'
            elif width and len(out) - out.rfind("\n") + len(text.split()[0]) < 0.85 * width:
                out += "\n"  # the next word would have fitted: broken by hand
            else:
                out += " "
        out += text
    if lines and (lines[-1].bold or _larger(lines[-1], body)) and out[para_start:].strip():
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
    width = _full_width(pages)
    body = _body_size(pages)
    for lines in pages:
        if not lines:
            continue
        if text:
            text += "\n\n"
        text += _pdf_page_text(lines, usual, cues, len(text), width, body)
    text, cues = normalise_with_cues(text, cues)
    return text, cues, notes
