"""Format readers: turn one input file into normalised ``schemas.Document`` objects.

One module per format family: ``text`` (plain text, Markdown, and decoding
any text bytes), ``word`` (.docx), ``opendoc`` (.odt), ``rtf``, ``html``
(saved web pages and web forms), ``pdf``, ``mail`` (.eml: the body or the
response attached to it, read by this registry's readers) and ``survey`` (CSV/XLSX exports,
one respondent per row); ``base`` holds what they share (``ReadError``,
``SkipFile``, ``ReadResult``); ``limits`` bounds the work one file may cause,
``archive`` refuses decompression bombs among the zip-based formats and
``export_rows`` reads a survey export's rows, bounded and checked. This module
is the registry: which file extension is which format, and which reader reads
it.

Where to add a reader: write it in its own module here, then register it
below: its extensions in ``SUPPORTED`` and its function in
``DOCUMENT_READERS`` (one file is one respondent: return the text, structure
cues, encoding and notes) or ``TABLE_READERS`` (one respondent per row:
return a ``ReadResult``); then bump ``PARSER_VERSION``. A file type people
commonly drop in the folder but that is not read gets a hint in
``CONVERT_HINTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from helpers.core.consultation import Consultation
from helpers.core.schemas import Document
from helpers.ingest.readers.archive import ZIP_FORMATS, check_zip
from helpers.ingest.readers.base import ReadError, ReadResult, SkipFile, sha256, slugify
from helpers.ingest.readers.html import read_html
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits
from helpers.ingest.readers.mail import read_eml, read_mail
from helpers.ingest.readers.opendoc import read_odt
from helpers.ingest.readers.pdf import read_pdf
from helpers.ingest.readers.rtf import read_rtf
from helpers.ingest.readers.survey import read_survey
from helpers.ingest.readers.text import read_text
from helpers.ingest.readers.word import read_docx
from helpers.ingest.textnorm import Cue

__all__ = [
    "CONVERT_HINTS",
    "Limits",
    "DEFAULT_LIMITS",
    "DOCUMENT_READERS",
    "PARSER_VERSION",
    "SUPPORTED",
    "TABLE_READERS",
    "TEXT_FORMATS",
    "ReadError",
    "ReadResult",
    "SkipFile",
    "read_file",
]

# Bump when a reader's output changes, so cached parses are not reused.
PARSER_VERSION = "12"  # 5: forms and ticks; 6: empty survey rows kept; 7: survey row types; 8: a short heading paragraph is not joined to a lower-case answer; 9: e-mail covering note kept; 10: a short line between paragraphs is not joined to the answer above; 11: lower-case paragraphs closer than a page are not joined; 12: an e-mail's "-- " signature names a "we" message's organisation

# File extension → format.
TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md"}
SUPPORTED = {
    **TEXT_FORMATS,
    ".docx": "docx",
    ".odt": "odt",
    ".rtf": "rtf",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".eml": "eml",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
# Formats people commonly drop in the folder, with what to do about them.
CONVERT_HINTS = {
    ".doc": "old Word .doc format: open it in Word or LibreOffice and save as .docx",
    ".xls": "old Excel .xls format: save it as .xlsx",
    ".pages": "Apple Pages files are not read: export as .docx or PDF",
    ".msg": "Outlook .msg files are not read: forward or save the message as .eml "
    "(or save its body as .txt and any attached response as .docx or PDF)",
}

# (bytes, file name, format) → (text, cues, encoding or None, notes): one respondent per file.
DocumentReader = Callable[[bytes, str, str], tuple[str, list[Cue], str | None, list[str]]]
# (bytes, file name, format, consultation, file SHA-256, limits) → one Document per row.
TableReader = Callable[[bytes, str, str, Consultation, str, Limits], ReadResult]


def _word(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str | None, list[str]]:
    text, cues, notes = read_docx(data, name)
    return text, cues, None, notes


def _odt(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str | None, list[str]]:
    text, cues, notes = read_odt(data, name)
    return text, cues, None, notes


def _pdf(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str | None, list[str]]:
    text, cues, notes = read_pdf(data, name)
    return text, cues, None, notes


def read_attachment(
    data: bytes, filename: str, name: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str, list[Cue], list[str]] | None:
    """Read a file attached to an e-mail with the document reader for its extension.

    ``filename`` is the attachment's own name (its extension picks the
    reader); ``name`` is how messages name it.

    Returns ``(text, cues, notes)``, or None for a type no document reader
    reads (including another e-mail: attachments are read one level deep).
    A zip-based attachment is checked against ``limits`` first, as a file in
    the folder is. Raises ReadError as the reader does.
    """
    fmt = SUPPORTED.get(Path(filename).suffix.lower())
    if fmt is None or fmt == "eml" or fmt not in DOCUMENT_READERS:
        return None
    if fmt in ZIP_FORMATS:
        check_zip(data, name, limits)
    text, cues, _encoding, notes = DOCUMENT_READERS[fmt](data, name, fmt)
    return text, cues, notes


def _eml(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str | None, list[str]]:
    """The e-mail reader with the default limits and without its organisation.

    ``read_file`` calls ``read_eml`` itself, with the run's limits, and keeps
    the organisation.
    """
    text, cues, encoding, notes, _org = read_eml(data, name, read_attachment)
    return text, cues, encoding, notes


# Format → reader.
DOCUMENT_READERS: dict[str, DocumentReader] = {
    "txt": read_text,
    "md": read_text,
    "docx": _word,
    "odt": _odt,
    "rtf": read_rtf,
    "html": read_html,
    "pdf": _pdf,
    "eml": _eml,
}
TABLE_READERS: dict[str, TableReader] = {"csv": read_survey, "xlsx": read_survey}


def read_file(
    path: Path,
    name: str,
    data: bytes,
    consultation: Consultation,
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """Read one file's bytes with the reader for its extension.

    ``name`` is how messages name the file; a document's respondent id is
    its file name's stem. ``limits`` bound the work the file may cause
    (``readers.limits``): a zip-based file is checked against the unzipped
    size and ratio limits before it is opened (``readers.archive``), and a
    survey export against the row limit. Raises SkipFile for a format that is not read and
    ReadError for a file that fails.
    """
    suffix = path.suffix.lower()
    fmt = SUPPORTED.get(suffix)
    if fmt is None:
        hint = CONVERT_HINTS.get(suffix, f"unsupported file type '{suffix or '(none)'}'")
        raise SkipFile(hint)
    if not data:
        raise ReadError(f"{name}: empty file (0 bytes)")
    if fmt in ZIP_FORMATS:
        check_zip(data, name, limits)  # before the library inflates it
    file_sha = sha256(data)
    if fmt in TABLE_READERS:
        return TABLE_READERS[fmt](data, name, fmt, consultation, file_sha, limits)
    organisation, note = None, None
    if fmt == "eml":  # reads attachments with the run's limits; keeps the Organization header
        mail = read_mail(data, name, partial(read_attachment, limits=limits))
        text, cues, encoding, notes = mail.text, mail.cues, mail.encoding, mail.notes
        organisation, note = mail.organisation, mail.cover_note
    else:
        text, cues, encoding, notes = DOCUMENT_READERS[fmt](data, name, fmt)
    if not text.strip():
        raise ReadError(f"{name}: no text found in the file")
    document = Document(
        respondent_id=slugify(path.stem),
        text=text,
        source_file=name,
        source_format=fmt,
        source_sha256=file_sha,
        encoding=encoding,
        cues=cues,
        organisation=organisation,
        # A header the sender's organisation wrote, not a guess from the text:
        # "metadata", as for a manifest entry (a manifest still overrides it).
        organisation_source="metadata" if organisation else "none",
        cover_note=note,  # read for who wrote it only, never segmented
    )
    return ReadResult(documents=[document], notes=notes)
