"""Campaign detection's normalised text: casefolded, punctuation a space, sentence ends marked.

Split from :mod:`helpers.ingest.campaigns` (session 21, no change of behaviour), which
re-exports every name here. :func:`normalise` makes the text campaign copies are
compared on (line breaks, quote styles or a Word-versus-plain-text conversion do not
hide a copy; a sentence end is one :data:`SENTENCE_BREAK`), :func:`flat` the same with
spaces only; :func:`_normalise_by_sentence` is the reference it is tested against.
"""

from __future__ import annotations

import re

from helpers.ingest import nearcopies

_PUNCT_SPACE = re.compile(r"[\W_]+")
# A sentence ends at . ! ? followed by a space or the end, or at a blank line (a paragraph);
# a single line break is not an end (PDF and e-mail text wrap lines mid-sentence).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
# The same matches, written to open with one character class so that ``re`` skips ahead
# to the next candidate character (about 3x faster on answers).
_SENTENCE_END_FAST = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*(?=\s|$)|(?<=\n)\s*\n)")
SENTENCE_BREAK = nearcopies.SENTENCE_BREAK


# Whole-text passes (normalise): sentence ends marked, punctuation a space, runs of spaces
# one space, then each run of marks and spaces one break.
_END_MARK = "\x00"
_PUNCTUATION = re.compile(r"[^\w\s\x00]|_")


def normalise(text: str) -> str:
    """Casefold; punctuation and whitespace one space, sentence ends :data:`SENTENCE_BREAK`.

    The break is one character, as the space it replaces, so lengths are the
    same as with spaces only; :func:`flat` gives the text with spaces only.

    Passes over the whole text rather than two regular expressions per sentence
    (campaign detection normalises every distinct answer): sentence ends are
    marked, punctuation becomes a space and each run of spaces one space, a run
    of marks and spaces becomes one break, and the ends are stripped; the same text as
    :func:`_normalise_by_sentence` (tested), which a text holding the mark
    character itself still goes through.
    """
    folded = str(text).casefold()
    if _END_MARK in folded:
        return _normalise_by_sentence(folded)
    # Punctuation a space, then each run of spaces one (str.split's whitespace is re's \s).
    marked = " ".join(_PUNCTUATION.sub(" ", _SENTENCE_END_FAST.sub(_END_MARK, folded)).split())
    # Spaces are single now, so a run of marks and spaces loses its spaces by two literal
    # replacements, then its repeated marks (no regex scan of the text).
    marked = marked.replace(" " + _END_MARK, _END_MARK).replace(_END_MARK + " ", _END_MARK)
    while _END_MARK * 2 in marked:
        marked = marked.replace(_END_MARK * 2, _END_MARK)
    return marked.replace(_END_MARK, SENTENCE_BREAK).strip(" " + SENTENCE_BREAK)


def _normalise_by_sentence(folded: str) -> str:
    """:func:`normalise` of a casefolded text, sentence by sentence (the reference)."""
    parts = (_PUNCT_SPACE.sub(" ", p).strip() for p in _SENTENCE_END.split(folded))
    return SENTENCE_BREAK.join(p for p in parts if p)


def flat(text: str) -> str:
    """A normalised text with its sentence breaks as spaces (words only)."""
    return text.replace(SENTENCE_BREAK, " ")
