"""Format readers: turn one input file into normalised ``schemas.Document`` objects.

Each reader raises ``ReadError`` (the file failed; the message says why and
what to do) or ``SkipFile`` (the file is deliberately not read). Messages
name the file; ``ingest.run_ingest`` turns them into ingest-log rows and
carries on with the next file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import logging
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from helpers.core.consultation import Consultation
from helpers.core.errors import InputError
from helpers.core.schemas import RESPONDENT_TYPE_LABELS, RESPONDENT_TYPES, Document
from helpers.ingest.textnorm import (
    BULLET_GLYPHS,
    Cue,
    looks_like_markdown,
    markup_to_text,
    normalise,
    normalise_with_cues,
)

log = logging.getLogger(__name__)

# Bump when a reader's output changes, so cached parses are not reused.
PARSER_VERSION = "1"
TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md"}
SUPPORTED = {**TEXT_FORMATS, ".docx": "docx", ".pdf": "pdf", ".csv": "csv", ".xlsx": "xlsx"}
# Formats people commonly drop in the folder, with what to do about them.
CONVERT_HINTS = {
    ".doc": "old Word .doc format: open it in Word or LibreOffice and save as .docx",
    ".rtf": "RTF is not read: save it as .docx",
    ".odt": "OpenDocument text is not read: save it as .docx",
    ".xls": "old Excel .xls format: save it as .xlsx",
    ".pages": "Apple Pages files are not read: export as .docx or PDF",
    ".eml": "e-mail files are not read: save the message body as .txt",
    ".msg": "Outlook .msg files are not read: save the message body as .txt",
}
MIN_PDF_CHARS_PER_PAGE = 20


class ReadError(InputError):
    """The file could not be read; the message names the file and the fix."""


class SkipFile(Exception):
    """The file is deliberately not read; the message is the reason."""


@dataclass
class ReadResult:
    """Documents read from one file, plus notes and per-row problems for the log."""

    documents: list[Document] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_problems: list[tuple[str, str]] = field(default_factory=list)  # (status, reason)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slugify(name: str) -> str:
    """File stem → respondent id: lowercase a-z, 0-9 and '-' ("Smith, J (2022)" → "smith-j-2022")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "respondent"


# --- Encodings ----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Guess the encoding of text bytes: ``(encoding, how it was decided)``.

    Order: byte-order mark; UTF-16 without BOM (NUL in every other byte);
    strict UTF-8; Windows-1252 (what Word and Excel on Windows write);
    Latin-1, which decodes any bytes, as the last resort.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, "byte-order mark"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        if odd_nuls > 2 * even_nuls:
            return "utf-16-le", "NUL bytes in odd positions (UTF-16 without BOM)"
        if even_nuls > 2 * odd_nuls:
            return "utf-16-be", "NUL bytes in even positions (UTF-16 without BOM)"
    try:
        data.decode("utf-8")
        return "utf-8", "valid UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252", "not valid UTF-8; decodes as Windows-1252"
    except UnicodeDecodeError:
        return "latin-1", "neither UTF-8 nor Windows-1252; fell back to Latin-1"


def decode(data: bytes, name: str) -> tuple[str, str, str]:
    """Decode text bytes: ``(text, encoding, how)``; ReadError for binary data."""
    enc, how = detect_encoding(data)
    text = data.decode(enc, errors="replace")
    if "\x00" in text:
        raise ReadError(f"{name}: contains binary data (NUL bytes), not text; check the file type")
    if enc not in ("utf-8", "utf-8-sig"):
        log.info("%s: encoding %s (%s)", name, enc, how)
    return text, enc, how


# --- Plain text and Markdown -----------------------------------------------------


def read_text(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str, list[str]]:
    """Decode and normalise a .txt/.md file: ``(text, cues, encoding, notes)``."""
    raw, enc, how = decode(data, name)
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"encoding {enc} ({how})"]
    if fmt == "md" or looks_like_markdown(raw):
        if fmt != "md":
            notes.append("markdown markup converted")
        text, cues = markup_to_text(raw)
    else:
        text, cues = normalise(raw), []
    return text, cues, enc, notes


# --- Word ----------------------------------------------------------------------


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

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(
            f"{name}: not a valid Word .docx file (corrupt, password-protected, or another format renamed .docx?): {exc}"
        ) from exc
    parts: list[str] = []
    cues: list[Cue] = []
    pos = 0
    prev_kind = None
    for text, kind in _docx_blocks(document.element.body, document._body):
        if not text.strip():
            continue
        if kind == "list" and not re.match(r"\s*[-•*–]", text):
            text = "- " + text
        if parts:
            sep = "\n" if kind == "list" and prev_kind == "list" else "\n\n"
            parts.append(sep)
            pos += len(sep)
        if kind in ("heading", "bold"):
            cues.append((pos, pos + len(text), kind))
        parts.append(text)
        pos += len(text)
        prev_kind = kind
    return normalise_with_cues("".join(parts), cues)


# --- PDF -----------------------------------------------------------------------

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


# --- Survey exports ------------------------------------------------------------

# Matched at word starts, in this order ("a charity" → charity; "mother" is not "other").
_TYPE_KEYWORDS = (
    ("local_authority", r"local authorit|council|borough"),
    ("charity_voluntary", r"charit|voluntary|third sector|not-for-profit|vcs"),
    ("campaign_group", r"campaign"),
    ("professional_body", r"professional|association|institute|royal college"),
    (
        "individual",
        r"individual|member of the public|myself|personal capacity|parent|carer\b"
        r"|foster|care leaver|young person|care-experienced|care experienced",
    ),
    ("other", r"other\b"),
)


def map_respondent_type(value: str | None) -> str | None:
    """A friendly respondent-type value ("Charity", "An individual") → RESPONDENT_TYPES, or None."""
    v = " ".join(str(value or "").split()).lower()
    if not v:
        return None
    slug = v.replace(" ", "_").replace("-", "_")
    if slug in RESPONDENT_TYPES:
        return slug
    for key, label in RESPONDENT_TYPE_LABELS.items():
        if v == label.lower():
            return key
    for key, pattern in _TYPE_KEYWORDS:
        if re.search(r"\b(?:" + pattern + ")", v):
            return key
    return None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


HEADER_SEARCH_ROWS = 10  # title or notes rows an export may have above its header


def _header_at(rows: list[list[str]], id_column: str) -> int | None:
    """Index of the first row (among the first few) holding the respondent id column."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _column_index([c.strip() for c in row], id_column) is not None:
            return i
    return None


def _survey_rows(
    data: bytes, name: str, fmt: str, id_column: str
) -> tuple[list[str], list[list[str]], str | None, list[str]]:
    """Header, data rows (cells as strings), encoding and notes of a CSV/XLSX export.

    The header is the first row holding the respondent id column (so title
    rows above it are allowed); for CSV the delimiter is the one (comma,
    semicolon as European Excel writes, tab) under which that row is found.
    """
    notes: list[str] = []
    if fmt == "csv":
        text, enc, _ = decode(data, name)
        parsed = {
            d: list(csv.reader(io.StringIO(text, newline=""), delimiter=d))
            for d in (",", ";", "\t")
        }
        found = [d for d, rows in parsed.items() if _header_at(rows, id_column) is not None]
        delimiter = found[0] if found else ","
        rows = parsed[delimiter]
        if delimiter != ",":
            notes.append("semicolon-separated" if delimiter == ";" else "tab-separated")
    else:
        import zipfile

        import openpyxl

        enc = None
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ReadError(
                f"{name}: not a valid Excel .xlsx file (corrupt or renamed?): {exc}"
            ) from exc
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if len(wb.worksheets) > 1:
            notes.append(
                f"read sheet '{ws.title}'; {len(wb.worksheets) - 1} other sheet(s) ignored"
            )
        wb.close()
    if not rows:
        raise ReadError(f"{name}: the export is empty (no header row)")
    at = _header_at(rows, id_column) or 0
    if at:
        notes.append(f"header found on line {at + 1}")
    header = [h.strip() for h in rows[at]]
    return header, rows[at + 1 :], enc, notes


def _column_index(header: list[str], wanted: str) -> int | None:
    if wanted in header:
        return header.index(wanted)
    folded = [h.casefold() for h in header]
    return folded.index(wanted.casefold()) if wanted.casefold() in folded else None


def read_survey(
    data: bytes, name: str, fmt: str, consultation: Consultation, file_sha: str
) -> ReadResult:
    """One Document per data row of a survey export, pre-segmented by mapped column."""
    mapping = consultation.survey
    if mapping is None:
        raise ReadError(
            f"{name}: a survey export needs a `survey:` section in the consultation file "
            f"({consultation.path or consultation.id}) mapping its columns to questions"
        )
    header, rows, enc, notes = _survey_rows(data, name, fmt, mapping.respondent_id)
    wanted = {"respondent_id": mapping.respondent_id}
    if mapping.organisation:
        wanted["organisation"] = mapping.organisation
    if mapping.respondent_type:
        wanted["respondent_type"] = mapping.respondent_type
    for qid, cols in mapping.questions.items():
        for part in ("tick_box", "text"):
            if getattr(cols, part):
                wanted[f"{qid}.{part}"] = getattr(cols, part)
    idx = {k: _column_index(header, col) for k, col in wanted.items()}
    missing = sorted({wanted[k] for k, i in idx.items() if i is None})
    if missing:
        raise ReadError(
            f"{name}: column(s) {missing} named in the consultation's survey mapping are not in "
            f"the export; columns present: {header}"
        )

    def get(row: list[str], key: str) -> str:
        i = idx.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    result = ReadResult(notes=notes)
    if enc and enc not in ("utf-8", "utf-8-sig"):
        result.notes.append(f"encoding {enc}")
    first_row: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        rid = get(row, "respondent_id")
        if not rid:
            result.row_problems.append(
                (
                    "failed",
                    f"row {n}: empty respondent id column '{mapping.respondent_id}'; row dropped",
                )
            )
            continue
        if rid in first_row:
            result.row_problems.append(
                (
                    "failed",
                    f"rows {first_row[rid]} and {n}: duplicated respondent id '{rid}'; "
                    f"kept row {first_row[rid]}, dropped row {n}",
                )
            )
            continue
        first_row[rid] = n
        doc = _survey_document(row, n, rid, get, name, fmt, consultation, file_sha, enc)
        if doc.survey_answers:
            result.documents.append(doc)
        else:
            result.row_problems.append(
                ("skipped", f"row {n} (id '{rid}'): no answer in any mapped column")
            )
        rtype_raw = get(row, "respondent_type")
        if rtype_raw and map_respondent_type(rtype_raw) is None:
            result.notes.append(
                f"row {n}: respondent type '{rtype_raw}' not recognised, set to other"
            )
    return result


def _survey_document(row, n, rid, get, name, fmt, consultation, file_sha, enc) -> Document:
    """Synthesise ``Q1. question\\ntick-box\\nfree text\\n\\n...`` and the answer spans."""
    mapping = consultation.survey
    text = ""
    cues: list[Cue] = []
    answers: dict[str, tuple[int, int, str | None]] = {}
    for q in consultation.questions:
        if q.id not in mapping.questions:
            continue
        tick = normalise(get(row, f"{q.id}.tick_box")) or None
        free = normalise(get(row, f"{q.id}.text"))
        if not tick and not free:
            continue
        if text:
            text += "\n\n"
        heading = f"Q{q.number}. {q.text}" if q.number is not None else q.text
        cues.append((len(text), len(text) + len(heading), "survey_column"))
        text += heading
        if tick:
            text += "\n" + tick
        text += "\n" if free else ""
        answers[q.id] = (len(text), len(text) + len(free), tick)
        text += free
    org = normalise(get(row, "organisation")) or None
    rtype_raw = get(row, "respondent_type")
    rtype = map_respondent_type(rtype_raw) or ("other" if rtype_raw else None)
    return Document(
        respondent_id=rid,
        text=text,
        source_file=name,
        source_format=fmt,
        source_sha256=file_sha,
        source_row=n,
        encoding=enc,
        cues=cues,
        organisation=org,
        organisation_source="survey" if org else "none",
        respondent_type=rtype or "unknown",
        respondent_type_source="survey" if rtype else "none",
        survey_answers=answers,
    )
