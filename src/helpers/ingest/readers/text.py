"""Plain text and Markdown, and the decoding of any text bytes (also used for CSV).

Encodings are guessed, never assumed: a byte-order mark, UTF-16 without one,
UTF-8, Windows-1252 (what Word and Excel on Windows write), then Latin-1.
A plain-text or Markdown response form's marked options are rendered as the
Word reader renders them (``forms.option_lines``): "☒ <label>" for a ticked
one, nothing for an unticked one, counted in the notes.
"""

from __future__ import annotations

import codecs
import logging

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.forms import FormCounts, option_lines
from helpers.ingest.textnorm import Cue, looks_like_markdown, markup_to_text, normalise

log = logging.getLogger(__name__)

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
    counts = FormCounts()
    raw = option_lines(raw, counts)  # a form's unticked options are not the respondent's words
    notes += counts.note()
    if fmt == "md" or looks_like_markdown(raw):
        if fmt != "md":
            notes.append("markdown markup converted")
        text, cues = markup_to_text(raw)
    else:
        text, cues = normalise(raw), []
    return text, cues, enc, notes
