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
- Bold paragraphs are structure cues (``bold``), as in the Word and
  OpenDocument readers: ``striprtf`` keeps no formatting, so before
  conversion one linear pass follows the bold state (``\\b``, ``\\b0``,
  ``\\plain`` and the group nesting that restores it) and writes a
  private-use character where it changes (``_mark_bold``); a paragraph whose
  text is all bold becomes a ``bold`` block, and the characters are removed.
  Headings that are only bold ("Termin", "Our view") were otherwise lost.
  RTF's heading styles are numbers into a style sheet that ``striprtf`` does
  not keep, so a styled heading that is not bold is still found from its
  words ("Question 1", "Q2"), as in plain text.
- The size is bounded by ``max_file_mb`` before the reader runs; ``striprtf``
  is a single linear pass over the text, with embedded pictures dropped.
"""

from __future__ import annotations

import codecs
import re

from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.blocks import join_blocks
from helpers.ingest.textnorm import Cue

__all__ = ["read_rtf"]

_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{\\rtf", re.IGNORECASE)
_CODEPAGE = re.compile(rb"\\ansicpg(\d{1,5})")
# One pass over the RTF: escaped characters (consumed first, so "\\cell" stays
# text), \cell and \nestcell (a cell ends: a paragraph break), the start of a
# control word and a group's opening brace (a line break goes before each).
_TOKENS = re.compile(
    r"(?P<escaped>\\[\\{}])|(?P<cell>\\(?:nest)?cell(?![a-zA-Z])-?\d*[ ]?)|(?P<word>\\(?=[a-zA-Z]))|(?P<group>\{)"
)
_FONTTBL = re.compile(r"\{\s*\\fonttbl")
_FONT = re.compile(r"\\f(\d{1,6})(?![a-zA-Z])|\\fcharset(\d{1,3})")
MAX_FONT_TABLE = 1 << 20  # characters; a real font table is a few KB


_BOLD_ON, _BOLD_OFF = "\ue000", "\ue001"  # written as \\u57344? / \\u57345? before conversion
_BOLD_RE = re.compile(r"\\[\\{}]|[{}]|\\(b|plain)(?![a-zA-Z])(-?\d+)? ?")


def _mark_bold(raw: str) -> str:
    """``raw`` with a private-use character written wherever the bold state changes.

    One pass over the RTF: ``{`` saves the state, ``}`` restores it,
    ``\\b``/``\\b1`` turn bold on, ``\\b0`` and ``\\plain`` off. A
    marker goes after the token that changes the state (a marker inside a
    group ``striprtf`` drops, such as the style sheet, is dropped with it).
    """
    if _BOLD_ON in raw or _BOLD_OFF in raw:
        return raw  # the file itself uses the characters: no cues rather than wrong ones
    out: list[str] = []
    pos, bold, stack = 0, False, []
    for m in _BOLD_RE.finditer(raw):
        tok = m.group(0)
        if tok == "{":
            stack.append(bold)
            continue
        if tok == "}":
            new = stack.pop() if stack else False
        elif m.group(1) == "plain":
            new = False
        elif m.group(1) == "b":
            new = m.group(2) is None or int(m.group(2)) != 0
        else:  # an escaped brace or backslash
            continue
        if new != bold:
            out.append(raw[pos : m.end()])
            out.append("\\u57344?" if new else "\\u57345?")
            pos = m.end()
            bold = new
    out.append(raw[pos:])
    return "".join(out)


def _bold_blocks(text: str) -> list[tuple[str, str | None]]:
    """The converted text's paragraphs as blocks, ``bold`` when all their words are bold."""
    blocks: list[tuple[str, str | None]] = []
    bold = False
    for line in re.split(r"\r\n?|\n", text):
        plain, all_bold, words = [], True, False
        for ch in line:
            if ch == _BOLD_ON:
                bold = True
            elif ch == _BOLD_OFF:
                bold = False
            else:
                plain.append(ch)
                if not ch.isspace():
                    words = True
                    all_bold = all_bold and bold
        para = "".join(plain)
        if para.strip():
            blocks.append((para, "bold" if words and all_bold else None))
    return blocks


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


def _break(text: str) -> str:
    def one(m: re.Match) -> str:
        if m.group("escaped"):
            return m.group(0)
        if m.group("cell"):
            return "\\par "
        return "\n" + m.group(0)

    return _TOKENS.sub(one, text)


def _font_table(text: str, start: int, name: str) -> tuple[int, str]:
    """(end, canonical font table) for the font table group that opens at ``start``.

    Only each font's number and character set matter (they decode ``\\'xx``
    escapes in that font); the table is rewritten as ``{\\fN\\fcharsetM F;}``
    entries, read in one linear pass.
    """
    depth = 0
    end = None
    for m in re.finditer(r"\\[\\{}]|[{}]", text[start : start + MAX_FONT_TABLE]):
        depth += {"{": 1, "}": -1}.get(m.group(0), 0)
        if depth == 0:
            end = start + m.end()
            break
    if end is None:
        raise ReadError(
            f"{name}: its font table does not end within {MAX_FONT_TABLE >> 20} MB; the file is "
            "damaged or was not written by a word processor: save it again as .rtf or .docx"
        )
    charsets: dict[str, str] = {}
    font = None
    for m in _FONT.finditer(text, start, end):
        if m.group(1) is not None:
            font = m.group(1)
            charsets.setdefault(font, "0")
        elif font is not None:
            charsets[font] = m.group(2)
    fonts = "".join(f"{{\\f{f}\\fcharset{c} F;}}" for f, c in charsets.items())
    return end, "{\\fonttbl" + fonts + "}"


def _prepare(raw: str, name: str) -> str:
    """Cells → paragraph breaks, a line break before each group and control word, a plain font table.

    RTF ignores line breaks, but the converter's regular expressions (links,
    fonts) scan to the end of a line from every candidate start, which is
    quadratic on a file written as one long line: 400 KB of nested field
    groups took 18 s, 60 KB of font table 5 s. Short lines bound the first;
    the font table is rewritten to the numbers and character sets it holds
    (``_font_table``). A side effect: a link keeps its text without its
    address appended, as in the other readers.
    """
    table = _FONTTBL.search(raw, 0, 4096)
    if table is None:
        return _break(raw)
    end, fonts = _font_table(raw, table.start(), name)
    return _break(raw[: table.start()]) + fonts + _break(raw[end:])


def read_rtf(data: bytes, name: str, fmt: str) -> tuple[str, list[Cue], str, list[str]]:
    """Text of an .rtf file: ``(text, cues, encoding, notes)``."""
    from striprtf.striprtf import rtf_to_text

    if not _START.match(data[:64]):
        raise ReadError(
            f"{name}: not an RTF file (it does not start with {{\\rtf); check the file type"
        )
    enc = _codepage(data)
    raw = data.decode(enc, errors="replace")
    raw = _mark_bold(_prepare(raw, name))
    try:
        text = rtf_to_text(raw, encoding=enc, errors="replace")
    except (ValueError, LookupError, IndexError, RecursionError) as exc:
        raise ReadError(f"{name}: not a readable RTF file ({type(exc).__name__}: {exc})") from exc
    notes = [] if enc == "cp1252" else [f"code page {enc}"]
    text, cues = join_blocks(_bold_blocks(text), cue_kinds=("bold",))
    return text, cues, enc, notes
