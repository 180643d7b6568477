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
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

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
_NEWLINE_CHARS = frozenset("\r\u2028\u2029\f\v\x85")
_INVISIBLE_CHARS = frozenset(
    INVISIBLE + "".join(map(chr, [*range(0x09), *range(0x0E, 0x20), 0x7F]))
)
# "(?<! )": a trailing run is tried from its first space only; tried from
# every space of a long run that does not end the line it is quadratic.
_EDGE_SPACES = re.compile(r"^ +|(?<! ) +$", re.MULTILINE)
_HYPHEN_BREAK = re.compile(r"(?<=[a-zß-ÿ])-\n(?=[a-zß-ÿ])")
_BULLET = re.compile(r"^(?:[" + BULLET_GLYPHS + r"] *|[*\-–—] +)", re.MULTILINE)
# Where _BULLET can match: the text's first character or one after a line break is one of
# these (a scan for the literal "\n" is much faster than trying "^" at every position).
_BULLET_STARTS = frozenset(BULLET_GLYPHS + "*-–—")
_LINE_THEN_BULLET = re.compile(r"\n[" + BULLET_GLYPHS + r"*\-–—]")
_MULTISPACE = re.compile(r" {2,}")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# (the literal first lets the scanner jump from one "\n\n" to the next; the same matches as
# r"(?<=\S)\n\n(?=\S)")
_PARAGRAPH_BREAK = re.compile(r"\n\n(?<=\S\n\n)(?=\S)")
_QUESTION_LINE = re.compile(r"^(?:- )?(?:q|question|answer)[\s.]*\d+\b", re.IGNORECASE)
# A page break splits a paragraph of prose; a paragraph of fewer words than this
# is a heading or a label ("Q.1", "About me"), never joined to what follows.
_MIN_JOIN_WORDS = 8
# A sign-off: a word or two, a comma, then a capitalised name ("thanks, Amara", "cheers, Priya x").
_NAMED_SIGN_OFF = re.compile(r"[^\W\d_][\w'’ ]{0,20},[ \t]*[A-Z]")
# A form's tick line ("☒ Agree", as readers write a ticked box): a line of its own.
_TICK_LINE = re.compile(r"^(?:- )?[☒☑☐]")
_ENDS = re.compile(r"\A\s+|\s+\Z")
# A page holds more prose than this many characters: a text with two or more lower-case
# paragraph starts closer together than one a page was broken so by its writer.
_PAGE_CHARS = 1500
# ... unless every line is shorter than this: a text hard-wrapped at a fixed width (a
# scanned letter's lines, blank lines between them) is joined line by line as before.
_WRAP_CHARS = 100


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
        if callable(repl):
            edits = [(m.start(), m.end(), repl(m)) for m in pattern.finditer(self.text)]
        elif "\\" in repl:
            edits = [(m.start(), m.end(), m.expand(repl)) for m in pattern.finditer(self.text)]
        else:  # a literal (no group reference): the same string for every match
            edits = [(*m.span(), repl) for m in pattern.finditer(self.text)]
        self.apply(edits)

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


# A lower-case roman numeral or letter alone on its line: "ii.", "iv)", "(b)", or
# closed by "." or ")" before a label of its own: "a) me", "(c) the bus gate".
_ENUMERATOR_LINE = re.compile(r"\(?(?:[ivxlc]+|[a-z])(?:[.):]?[ \t]*(?:\n|\Z)|[.)][ \t]+(?=\S))")


_NON_SPACE = re.compile(r"\S")


def _heading_line_after(text: str, start: int) -> bool:
    """Whether the paragraph at ``start`` is a short line standing between two paragraphs.

    Rationale (issue 12, a reply typed in lower case with no full stops: "...then
    who knows" / "the new grade thing" / "yeh do it..."): the page-break repair
    joined every lower-case heading onto the answer above it, since neither the
    answer nor the heading ends a sentence, and the headings were lost. A page
    break splits a sentence, and the part after it runs on to the sentence's end:
    it is not a line of fewer than ``_MIN_JOIN_WORDS`` words without terminal
    punctuation with another paragraph after it. Such a line is a heading or a
    label ("jan 2023", "what good looks like"). The tail of the text ("...run
    more" / "buses at night" as the last paragraph) is still joined.
    """
    end = text.find("\n\n", start, start + 400)  # a short line ends well before this
    if end < 0 or _NON_SPACE.search(text, end) is None:
        return False  # a long paragraph, or the last one: a sentence's end, not a heading
    para = text[start:end]
    return "\n" not in para and len(para.split()) < _MIN_JOIN_WORDS and not _ends_sentence(para)


def _has_long_line(text: str) -> bool:
    """Whether some line of ``text`` is longer than ``_WRAP_CHARS`` (prose not hard-wrapped)."""
    return any(len(line) > _WRAP_CHARS for line in text.split("\n"))


def _repair_page_breaks(t: _Tracked) -> None:
    """Join a paragraph that a page break split mid-sentence.

    ``...to improve access to\\n\\nrecords for all`` becomes one paragraph:
    the first part has no terminal punctuation and the next starts lower
    case. Headings (cued spans, 'Q3 ...' lines) and a form's tick lines
    ("☒ Agree") are never joined to what follows, because answers may
    legitimately start in lower case; nor is a paragraph joined to a
    lower-case roman numeral or letter alone on its line ("ii.", "(b)"),
    which numbers what follows, or opening a paragraph as a numbered label
    ("a) me", "(c) the bus gate": a page break does not split a sentence
    just before an enumerator), nor a paragraph to a cued heading that follows
    it (a reader's heading is the document's own structure), nor a paragraph
    to a last paragraph of fewer than ``_MIN_JOIN_WORDS`` words with no full
    stop that names its writer after a comma (a sign-off, "thanks, Amara",
    under a reply typed without full stops; "buses at night" is still the
    sentence's end), nor a paragraph of fewer than
    ``_MIN_JOIN_WORDS`` words (a heading or label such as "Q.1" or "About
    me": prose that a page break split is longer), nor a paragraph to a short
    line that another paragraph follows (``_heading_line_after``).

    Nor is anything joined (a hyphenated word apart) when two or more joins would
    fall closer together than one a page (``_PAGE_CHARS`` characters of text each)
    in a text with a line longer than ``_WRAP_CHARS`` (so not hard-wrapped):
    page breaks are a page apart, so those are the writer's own paragraphs, typed
    without capitals or full stops ("...my own one of these\\n\\nfirst of all why 18
    months ... just decide\\n\\nthe planters are actually good tho"; issue 12,
    session 20: batch 22's teenager read as one unplaceable paragraph).
    """
    text = t.text
    edits: list[Edit] = []
    # "Is there a cue with start < a and end > b?" by bisection over the cues
    # sorted by start, with the running maximum of their ends: a document of
    # thousands of cued paragraphs is not rescanned at every break.
    spans = sorted((s, e) for s, e, _ in t.cues)
    starts = [s for s, _ in spans]
    max_end = list(itertools.accumulate((e for _, e in spans), max))
    body = text.rstrip()
    last_break = body.rfind("\n\n")
    tail = body[last_break + 2 :] if last_break >= 0 else ""
    sign_off = (
        len(tail.split()) < _MIN_JOIN_WORDS
        and not _ends_sentence(tail)
        and _NAMED_SIGN_OFF.match(tail) is not None
    )
    for m in _PARAGRAPH_BREAK.finditer(text):
        if not text[m.end()].islower() or _ENUMERATOR_LINE.match(text, m.end()):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()]
        if _ends_sentence(line) or _QUESTION_LINE.match(line) or _TICK_LINE.match(line):
            continue
        # Bounded look-back: a paragraph longer than 300 characters is prose.
        para_start = text.rfind("\n\n", max(0, m.start() - 300), m.start())
        if para_start < 0 and m.start() <= 300:
            para_start = -2  # the document's first paragraph
        hyphen = re.search(r"[a-zß-ÿ]-\Z", line) is not None
        short = para_start != -1 and len(text[para_start + 2 : m.start()].split()) < _MIN_JOIN_WORDS
        if short and not hyphen:
            continue  # a heading or label line, not prose a page break split
        # Nor to a short last paragraph with no full stop: a sign-off ("thanks,
        # Amara") under a reply typed without full stops, not a sentence's end.
        if m.start() == last_break and not hyphen and sign_off:
            continue
        if not hyphen and _heading_line_after(text, m.end()):
            continue
        k = bisect.bisect_left(starts, m.start())  # cues starting before the break
        if k and max_end[k - 1] > line_start:
            continue
        # Nor is a paragraph joined to a heading after the break ("## the planters"
        # in a typed reply whose paragraph before it ends without a full stop).
        k = bisect.bisect_left(starts, m.end())
        if k < len(starts) and starts[k] == m.end():
            continue
        # A word hyphenated across the page break loses its hyphen too.
        edits.append((m.start() - hyphen, m.end(), "" if hyphen else " "))
    joins = sum(1 for e in edits if e[2])
    if joins >= 2 and len(text) < joins * _PAGE_CHARS and _has_long_line(text):
        edits = [e for e in edits if not e[2]]  # the writer's paragraphs, not page breaks
    t.apply(edits)


def _normalise(t: _Tracked) -> None:
    """The steps in order. A step is skipped when a plain ``in`` test or ``isascii``
    shows its pattern cannot match the text as it then is (a step's scan costs about
    as much as the rest of a survey cell's reading): same result, fewer passes."""
    ascii_ = t.text.isascii()
    if not ascii_ and not unicodedata.is_normalized("NFC", t.text):
        t.sub(_NONASCII_RUN, _nfc)
    # The next four patterns are character classes (and "\r\n"): a text holding none of a
    # class's characters is left as it is, and one set of the text's characters, taken
    # again only after a step changed the text, answers that for all four.
    chars = None if ascii_ else frozenset(t.text)
    if (chars is None and ("\r" in t.text or "\f" in t.text or "\v" in t.text)) or (
        chars is not None and not chars.isdisjoint(_NEWLINE_CHARS)
    ):
        t.sub(_NEWLINES, "\n")
        chars = None if ascii_ else frozenset(t.text)
    if chars is not None and not chars.isdisjoint(LIGATURES):
        t.sub(_LIGATURE, lambda m: LIGATURES[m.group()])
        chars = frozenset(t.text)
    if (
        not t.text.replace("\n", " ").isprintable()  # (every invisible character is unprintable)
        and (chars is None or not chars.isdisjoint(_INVISIBLE_CHARS))
        and _INVISIBLE.search(t.text)
    ):
        t.sub(_INVISIBLE, "")
        chars = None if ascii_ else frozenset(t.text)
    if (chars is None and "\t" in t.text) or (chars is not None and not chars.isdisjoint(SPACES)):
        t.sub(_SPACE, " ")
    text = t.text
    if text[:1] == " " or text[-1:] == " " or " \n" in text or "\n " in text:
        t.sub(_EDGE_SPACES, "")
    if "-\n" in t.text:
        t.sub(_HYPHEN_BREAK, "")
    if t.text[:1] in _BULLET_STARTS or _LINE_THEN_BULLET.search(t.text):
        t.sub(_BULLET, "- ")
    if "  " in t.text:
        t.sub(_MULTISPACE, " ")
    if "\n\n\n" in t.text:
        t.sub(_MANY_NEWLINES, "\n\n")
    _repair_page_breaks(t)
    if t.text[:1].isspace() or t.text[-1:].isspace():
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

# The patterns below say what each construct is. They backtrack
# quadratically on hostile text (thousands of unclosed "**", "[" or a heading
# with a long run of spaces), so the matches are found by the linear
# functions after them, which the tests check against the patterns.
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

Span = tuple[int, int, int, int]  # match start, end; the kept group's start, end

_HEADING_OPEN = re.compile(r"^ {0,3}#{1,6}[ \t]+", re.MULTILINE)


def _md_headings(text: str) -> Iterator[Span]:
    """``_MD_HEADING``'s matches: the heading text without closing ``#``s or spaces."""
    for m in _HEADING_OPEN.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end == -1 else end
        line = text[m.end() : end].rstrip(" \t")
        hashes = line.rstrip("#")
        if len(hashes) < len(line) and hashes[-1:] in (" ", "\t"):
            line = hashes.rstrip(" \t")  # a closing sequence: spaces then #s
        yield m.start(), end, m.end(), m.end() + len(line)


# A link's target (one level of parentheses allowed), optional title, and ")";
# written so that a long target is read once, not split every possible way.
_LINK_TAIL = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)?)(?:\s+\"[^\"\n]*\")?\)")
_LINK_STOP = re.compile(r"[\]\n]")


def _md_links(text: str) -> Iterator[Span]:
    """``_MD_LINK``'s matches, keeping the link text.

    Every "[" before the same "]" on a line shares one tail: it is matched
    once, and the link starts at the first such "[" (or a "!" before it).
    """
    pos = 0
    while (p := text.find("[", pos)) != -1:
        stop = _LINK_STOP.search(text, p + 1)
        if stop is None:
            return
        q = stop.start()
        tail = _LINK_TAIL.match(text, q) if text[q] == "]" else None
        if tail is None:
            pos = q + 1 if text[q] == "\n" else q  # no "[" up to q can start a link
            pos = max(pos, p + 1)
            continue
        start = p - 1 if p > 0 and text[p - 1] == "!" and p - 1 >= pos else p
        yield start, tail.end(), p + 1, q
        pos = tail.end()


_BOLD_OPEN = re.compile(r"(?=(\*\*|__)\S)")
_PARAGRAPH_GAP = re.compile(r"\n(?=[ \t]*\n)")  # every start, overlapping ones too


def _md_bold(text: str) -> Iterator[Span]:
    """``_MD_BOLD``'s matches, keeping the bold text.

    An opener's run ends at the first same marker after a non-space, unless
    a blank line comes first; those positions are listed once and found by
    bisection, so unclosed markers cost no rescan of the paragraph.
    """
    closers: dict[str, list[int]] = {"**": [], "__": []}
    for marker, found in closers.items():
        at = text.find(marker, 1)
        while at != -1:
            if not text[at - 1].isspace():
                found.append(at)
            at = text.find(marker, at + 1)
    gaps = [m.start() for m in _PARAGRAPH_GAP.finditer(text)]
    pos = 0
    for m in _BOLD_OPEN.finditer(text):
        p = m.start()
        if p < pos:
            continue
        marker = m.group(1)
        found = closers[marker]
        i = bisect.bisect_left(found, p + 3)
        if i == len(found):
            continue
        q = found[i]
        g = bisect.bisect_left(gaps, p + 2)
        if g < len(gaps) and gaps[g] < q:
            continue
        yield p, q + 2, p + 2, q
        pos = q + 2


def looks_like_markdown(text: str) -> bool:
    """True when plain text carries Markdown markup (bold runs, links, # headings).

    Two or more signals are required so that a stray '#' or '**' in an
    ordinary letter does not trigger markup conversion.
    """
    signals = 0
    for find in (_md_bold, _md_links, _md_headings):
        signals += sum(1 for _ in zip(find(text), range(2), strict=False))
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
    for start, end, hs, he in _md_headings(t.text):
        t.cues.append((hs, he, "heading"))
        edits += [(start, hs, ""), (he, end, "")]
    t.apply(edits)
    t.apply([(s, e, t.text[ks:ke]) for s, e, ks, ke in _md_links(t.text)])
    t.sub(_MD_CODE, lambda m: m.group(1))

    edits = []
    for start, end, bs, be in _md_bold(t.text):
        line_start = t.text.rfind("\n", 0, start) + 1
        if not t.text[line_start:start].strip():
            t.cues.append((bs, be, "bold"))
        edits += [(start, bs, ""), (be, end, "")]
    t.apply(edits)
    edits = []
    for m in _MD_ITALIC.finditer(t.text):
        edits += [(m.start(), m.start(1), ""), (m.end(1), m.end(), "")]
    t.apply(edits)
    t.sub(_MD_ESCAPE, lambda m: m.group(1))

    _normalise(t)
    return t.text, t.tidy_cues()
