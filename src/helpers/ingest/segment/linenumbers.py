"""Numbering read from a whole heading line rather than its start (split from ``headings``).

Three readers of candidate lines whose numbering is not a lead such as "Q3." or "3)":
a cued line holding only a number (a form's narrow number column), a line holding only a
number word or ordinal ("Two", "Thirdly"), and a cued own-words heading ending in a
bracketed question reference ("Our position (question 2)"). ``headings`` calls them when
a candidate has no leading numbering. Moved from ``headings`` in session 22 with no change
of behaviour.
"""

from __future__ import annotations

import re

from helpers.ingest.segment.numbering import Numbering, heading_words

__all__ = ["cued_bare_number", "lone_number_word", "trailing_reference"]


_CUED_NUMBER_RE = re.compile(r"[ \t]*(\d{1,2})[ \t]*$")


def cued_bare_number(text: str, pos: int, end: int) -> Numbering | None:
    """A line that is only a number ("1", "12") and carries a heading cue, as bare numbering.

    Rationale: a response form's table often has a narrow left column holding
    the bare question number ("1" | answer), which Word and ODT readers mark
    as a heading cell; with no punctuation after it the number reads as no
    numbering at all, so the form's rows were placed by position only (and
    then moved by meaning). Without a cue a lone digit line may be a page
    number or a quantity, so only cued lines count; whether the numbers are
    question numbers is still decided across the document
    (``shapes.bare_families``).
    """
    m = _CUED_NUMBER_RE.match(text, pos, end)
    if m is None or int(m.group(1)) == 0:
        return None
    return Numbering(int(m.group(1)), "bare", "digit", end, False, True)


_LONE_WORD_RE = re.compile(r"([^\W\d_]+)[ \t]*[.:)\-–—]?[ \t*_]*")


def lone_number_word(text: str, pos: int, end: int) -> Numbering | None:
    """A line that is only a number word or ordinal ("Two", "THREE:", "Secondly"), as bare
    numbering of the "word" family.

    Rationale: respondents who number in words do not always write the
    question word ("Question two"): a bold "ONE", a plain "Two." or "Thirdly"
    alone on its line heads each answer, and read as no numbering at all the
    answers were placed by position and meaning only, the first one into the
    preamble. Only a whole line counts (a sentence "Two things matter" or
    "Firstly, we agree" is prose), and ``shapes.bare_families`` keeps such
    lines only when a document has two or more of them naming distinct
    question numbers, so a one-word answer "Two" stays an answer.
    """
    m = _LONE_WORD_RE.fullmatch(text, pos, end)
    if m is None:
        return None
    words = heading_words()
    w = m.group(1).lower()
    n = words.number_words.get(w) or words.ordinals.get(w)
    if n is None and w.endswith("ly"):  # "firstly", "secondly"
        n = words.ordinals.get(w[:-2])
    if not n:
        return None
    return Numbering(n, "bare", "word", end, False, True)


_TRAILING_REF_RE = re.compile(
    r"[(\[][ \t]*(?:see[ \t]+)?(?:q\.?|qs\.?|questions?)[ \t]*(\d{1,2})(?!\d)"
    r"(?:[ \t]*(?:,|/|&|\+|and|-|–|—|to)[ \t]*(?:q\.?|questions?)?[ \t]*\d{1,2}(?!\d))*"
    r"[ \t]*[)\]][ \t:.\-–—]*$",
    re.I,
)
_TRAILING_MAX_WORDS = 12


def trailing_reference(text: str, pos: int, end: int) -> Numbering | None:
    """A cued heading in the writer's words ending in a bracketed question number, as
    question numbering: "Recommendations (question 2)", "Our position (questions 1 and 3)".

    Rationale: reports label their own sections and name the question they
    answer in brackets at the end; the number is as clear as "Q2" at the
    start, but numbering was only read at a line's start, so such headings
    were placed by position. Only a bold or heading-styled line of at most
    ``_TRAILING_MAX_WORDS`` words counts (a sentence "We agree (question 1)."
    in the body is prose, not a heading). The heading is the whole line;
    several numbers are split later (``grouped``).
    """
    line = text[pos:end]
    m = _TRAILING_REF_RE.search(line)
    if m is None or m.start() == 0 or len(line.split()) > _TRAILING_MAX_WORDS:
        return None
    if line[: m.start()].rstrip().endswith((".", "!", "?")) or int(m.group(1)) == 0:
        return None
    return Numbering(int(m.group(1)), "q", "digit", end, False, True)
