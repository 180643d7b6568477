"""Text normalisation and light markup conversion, with offset tracking.

Every input format ends up as one normalised string per respondent; all later
offsets point into it. Normalisation repairs what conversion from Word, PDF
and e-mail does to text (ligatures, soft hyphens, odd spaces, hyphenated line
breaks, paragraphs split by page breaks) without changing the words.

Structure cues ``(start, end, kind)`` found in the source (a Word heading, a
bold line, a Markdown ``#`` heading) must still point at the right characters
after normalisation, so each step is applied as a list of edits and the cues
are moved through every edit (see ``_Tracked``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable

Cue = tuple[int, int, str]
Edit = tuple[int, int, str]  # replace text[start:end] with the string

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",  # long s + t
    "\ufb06": "st",
}
# Removed outright: soft hyphen, zero-width space/joiners, word joiner, BOM
# (and C0 control characters, which PDF text layers sometimes contain).
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Turned into a plain space: tab, NBSP and the other Unicode space characters.
SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Line-start glyphs that mean "list item". Glyphs that are never words stand
# alone; dashes and '*' only count when followed by a space.
# The private-use characters are Symbol/Wingdings bullets as Word exports them.
BULLET_GLYPHS = "•◦▪‣·●■□○►▸➢❖\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
TERMINAL = ".!?:;…"
CLOSERS = "'\"’”)]"

_NONASCII_RUN = re.compile(r".?[^\x00-\x7f]+", re.DOTALL)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\f\v\x85]")
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
_INVISIBLE = re.compile("[" + INVISIBLE + r"\x00-\x08\x0e-\x1f\x7f]+")
_SPACE = re.compile("[" + SPACES + "]")
_EDGE_SPACES = re.compile(r"^ +| +$", re.MULTILINE)
_HYPHEN_BREAK = re.compile(r"(?<=[a-zß-ÿ])-\n(?=[a-zß-ÿ])")
_BULLET = re.compile(r"^(?:[" + BULLET_GLYPHS + r"] *|[*\-–—] +)", re.MULTILINE)
_MULTISPACE = re.compile(r" {2,}")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_PARAGRAPH_BREAK = re.compile(r"(?<=\S)\n\n(?=\S)")
_QUESTION_LINE = re.compile(r"^(?:- )?(?:q|question)\s*\d+\b", re.IGNORECASE)
_ENDS = re.compile(r"\A\s+|\s+\Z")


class _Tracked:
    """A string plus cue spans that follow it through a series of edits."""

    def __init__(self, text: str, cues: Iterable[Cue] = ()) -> None:
        self.text = text
        self.cues: list[Cue] = list(cues)

    def apply(self, edits: list[Edit]) -> None:
        """Apply non-overlapping edits (sorted by start) and move the cues."""
        edits = [e for e in edits if self.text[e[0] : e[1]] != e[2]]
        if not edits:
            return
        out: list[str] = []
        last = 0
        ends: list[int] = []
        cum = [0]  # cum[i]: length change from the first i edits
        for s, e, rep in edits:
            out.append(self.text[last:s])
            out.append(rep)
            last = e
            ends.append(e)
            cum.append(cum[-1] + len(rep) - (e - s))
        out.append(self.text[last:])

        def move(p: int, is_end: bool) -> int:
            i = bisect.bisect_right(ends, p)  # edits wholly at or before p
            if i < len(edits) and edits[i][0] < p:  # p falls inside edit i
                s, _, rep = edits[i]
                return s + cum[i] + (len(rep) if is_end else 0)
            return p + cum[i]

        self.text = "".join(out)
        self.cues = [(move(s, False), move(e, True), k) for s, e, k in self.cues]

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> None:
        """Like ``pattern.sub(repl, text)``, keeping cues in place."""
        self.apply(
            [
                (m.start(), m.end(), repl(m) if callable(repl) else m.expand(repl))
                for m in pattern.finditer(self.text)
            ]
        )

    def tidy_cues(self) -> list[Cue]:
        """Cues trimmed of surrounding whitespace, empty ones dropped, sorted, unique."""
        out = set()
        for s, e, k in self.cues:
            s, e = max(s, 0), min(e, len(self.text))
            while s < e and self.text[s].isspace():
                s += 1
            while e > s and self.text[e - 1].isspace():
                e -= 1
            if e > s:
                out.add((s, e, k))
        return sorted(out)


def _nfc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group())


def _ends_sentence(paragraph_end: str) -> bool:
    """True when the text before a paragraph break ends with terminal punctuation."""
    stripped = paragraph_end.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def _repair_page_breaks(t: _Tracked) -> None:
    """Join a paragraph that a page break split mid-sentence.

    ``...to improve access to\\n\\nrecords for all`` becomes one paragraph:
    the first part has no terminal punctuation and the next starts lower
    case. Headings (cued spans, 'Q3 ...' lines) are never joined to what
    follows, because answers may legitimately start in lower case.
    """
    text = t.text
    edits: list[Edit] = []
    for m in _PARAGRAPH_BREAK.finditer(text):
        if not text[m.end()].islower():
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()]
        if _ends_sentence(line) or _QUESTION_LINE.match(line):
            continue
        if any(s < m.start() and e > line_start for s, e, _ in t.cues):
            continue
        # A word hyphenated across the page break loses its hyphen too.
        hyphen = re.search(r"[a-zß-ÿ]-\Z", line) is not None
        edits.append((m.start() - hyphen, m.end(), "" if hyphen else " "))
    t.apply(edits)


def _normalise(t: _Tracked) -> None:
    t.sub(_NONASCII_RUN, _nfc)
    t.sub(_NEWLINES, "\n")
    t.sub(_LIGATURE, lambda m: LIGATURES[m.group()])
    t.sub(_INVISIBLE, "")
    t.sub(_SPACE, " ")
    t.sub(_EDGE_SPACES, "")
    t.sub(_HYPHEN_BREAK, "")
    t.sub(_BULLET, "- ")
    t.sub(_MULTISPACE, " ")
    t.sub(_MANY_NEWLINES, "\n\n")
    _repair_page_breaks(t)
    t.sub(_ENDS, "")


def normalise(text: str) -> str:
    """Normalise text from any source format (see the module docstring).

    >>> normalise("ﬁnal organ-\\nisation\\u00a0 plan  \\n\\n\\n\\n• next")
    'final organisation plan\\n\\n- next'
    """
    return normalise_with_cues(text, [])[0]


def normalise_with_cues(text: str, cues: Iterable[Cue]) -> tuple[str, list[Cue]]:
    """``normalise(text)`` plus ``cues`` moved to point at the same characters."""
    t = _Tracked(text, cues)
    _normalise(t)
    return t.text, t.tidy_cues()


# --- Markdown-style markup ---------------------------------------------------

_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_LINK = re.compile(
    r"!?\[([^\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+\"[^\"\n]*\")?\)"
)
# A bold run may wrap over lines (Become's title does) but not cross a blank line.
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)((?:(?!\n[ \t]*\n).)+?)(?<=\S)\1", re.DOTALL)
_MD_ITALIC = re.compile(r"(?<![*\w\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![*\w])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^ {0,3}> ?", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")


def looks_like_markdown(text: str) -> bool:
    """True when plain text carries Markdown markup (bold runs, links, # headings).

    Two or more signals are required so that a stray '#' or '**' in an
    ordinary letter does not trigger markup conversion.
    """
    signals = 0
    for pattern in (_MD_BOLD, _MD_LINK, _MD_HEADING):
        signals += sum(1 for _ in zip(pattern.finditer(text), range(2), strict=False))
        if signals >= 2:
            return True
    return False


def markup_to_text(text: str) -> tuple[str, list[Cue]]:
    """Strip Markdown markup and normalise; return the text and structure cues.

    Links keep their text, bold/italic/code markers are dropped, ``#``
    headings become ``heading`` cues and a bold run that starts a line (a
    whole bold line, or a bold lead-in such as ``**About Become** - ...``)
    becomes a ``bold`` cue over the bold words. Cue offsets point into the
    returned, fully normalised text.
    """
    t = _Tracked(text)
    t.sub(_NEWLINES, "\n")
    t.sub(_MD_RULE, "")
    t.sub(_MD_QUOTE, "")

    edits: list[Edit] = []
    for m in _MD_HEADING.finditer(t.text):
        t.cues.append((m.start(2), m.end(2), "heading"))
        edits += [(m.start(), m.start(2), ""), (m.end(2), m.end(), "")]
    t.apply(edits)
    t.sub(_MD_LINK, lambda m: m.group(1))
    t.sub(_MD_CODE, lambda m: m.group(1))

    edits = []
    for m in _MD_BOLD.finditer(t.text):
        line_start = t.text.rfind("\n", 0, m.start()) + 1
        if not t.text[line_start : m.start()].strip():
            t.cues.append((m.start(2), m.end(2), "bold"))
        edits += [(m.start(1), m.end(1), ""), (m.end(2), m.end(), "")]
    t.apply(edits)
    edits = []
    for m in _MD_ITALIC.finditer(t.text):
        edits += [(m.start(), m.start(1), ""), (m.end(1), m.end(), "")]
    t.apply(edits)
    t.sub(_MD_ESCAPE, lambda m: m.group(1))

    _normalise(t)
    return t.text, t.tidy_cues()
