"""Rich Text Format ``.rtf``: the document's text, via ``striprtf``.

Rules, each with its reason:

- The file must start with ``{\\rtf`` (after optional whitespace or a BOM);
  anything else is another format renamed .rtf and fails with that reason,
  rather than being read as markup soup.
- Bytes are decoded with the code page the file declares (``\\ansicpg1252``,
  the Windows default; also the fallback when the declaration is missing or
  unknown). RTF is 7-bit text in practice: other characters come as ``\\'xx``
  escapes in that code page or ``\\uN`` Unicode escapes, which ``striprtf``
  decodes.
- Table cells (``\\cell``) become paragraph breaks before conversion, so a
  question | answer table reads as the question line, then the answer
  (``striprtf`` would join them with ``|`` on one line, and a pipe in a
  respondent's own words could not be told apart).
- Each paragraph (``\\par``) becomes a paragraph of the text, separated by a
  blank line as in the other readers.
- No structure cues: RTF's heading styles are numbers into a style sheet that
  ``striprtf`` does not keep, so question headings are found from the words
  ("Question 1", "Q2"), as in plain text.
- The size is bounded by ``max_file_mb`` before the reader runs; ``striprtf``
  is a single linear pass over the text, with embedded pictures dropped.
"""

from __future__ import annotations

import codecs
import re

from helpers.ingest.readers.base import ReadError
from helpers.ingest.textnorm import Cue, normalise

__all__ = ["read_rtf"]

_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{\\rtf", re.IGNORECASE)
_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")
# "\\" is an escaped backslash (consumed first, so "\\cell" stays text);
# \cell and \nestcell, with their optional delimiting space, end a cell.
_CELL = re.compile(r"(\\\\)|\\(?:nest)?cell(?![a-zA-Z])-?\d*[ ]?")


def _codepage(data: bytes) -> str:
    found = _CODEPAGE.search(data[:4096])
    if found:
        enc = f"cp{int(found.group(1))}"
        try:
            codecs.lookup(enc)
            return enc
        except LookupError:
            pass
    return "cp1252"


def read_rtf(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str, list[str]]:
    """Text of an .rtf file: ``(text, cues, encoding, notes)``."""
    from striprtf.striprtf import rtf_to_text

    if not _START.match(data[:64]):
        raise ReadError(
            f"{name}: not an RTF file (it does not start with {{\\rtf); check the file type"
        )
    enc = _codepage(data)
    raw = data.decode(enc, errors="replace")
    raw = _CELL.sub(lambda m: m.group(1) or "\\par ", raw)
    try:
        text = rtf_to_text(raw, encoding=enc, errors="replace")
    except (ValueError, LookupError, IndexError, RecursionError) as exc:
        raise ReadError(f"{name}: not a readable RTF file ({type(exc).__name__}: {exc})") from exc
    paragraphs = [p for p in re.split(r"\r\n?|\n", text) if p.strip()]
    notes = [] if enc == "cp1252" else [f"code page {enc}"]
    return normalise("\n\n".join(paragraphs)), [], enc, notes
