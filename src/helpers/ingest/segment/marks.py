"""Headings opened by a decorative symbol: "→ Trying it out", "🙋 Who we are", "▶ Timing".

Why (session 21, issue 12; batch 23): respondents mark their own headings with an
arrow or an emoji instead of a number or bold type. The symbol stayed part of the
heading's words, so a frame that must match the whole heading ("Who we are", the
profile answer: ``intents``) never matched "🙋 Who we are", and in a plain text
(an RTF or a typed e-mail, no bold or heading cues) a short line such as "→ Trying
it out" was read as an answer's first line, not as a heading, so several answers
ran together under the first heading that named its question.

Two rules, both generic (no symbol list to maintain: Unicode's own categories):

* ``symbol_lead``: a heading's words start after any leading decoration: a
  character of Unicode category "So" (other symbols: emoji, "▶", "■", "★") or a
  non-ASCII "Sm"/"Sk" ("→", "➔" is So, "⇒"), with emoji joiners and variation
  selectors. Tick boxes and ticks ("☐", "☒", "✓", "✗") are answers, never
  decoration, and "№" is a number sign (``numbering``): both are kept.
* ``mark_symbol_headings``: three or more lines of a document, each a paragraph of
  its own (at most ``_MAX_WORDS`` words, a longer paragraph after it, not a
  sentence), opening with such a symbol, are the document's headings: each becomes
  a styled heading (``cue = MARK_CUE``) scored on its words, like a bold line. A
  bulleted list (consecutive lines, "•" or "-", category Po/Pd) is never such a run.
"""

from __future__ import annotations

import unicodedata

from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.sequence import paragraph_alone

MARK_CUE = "marked"
_MIN_LINES = 3
_MAX_WORDS = 10
_JOINERS = "\u200d\ufe0e\ufe0f\u20e3"  # zero-width joiner, variation selectors, keycap
_ANSWERS = set("☐☑☒✓✔✕✖✗✘№")  # tick boxes, ticks and crosses; the number sign


def is_decoration(ch: str) -> bool:
    """Whether ``ch`` is a decorative symbol that may open a heading (module docstring)."""
    if ch in _ANSWERS:
        return False
    if ch in _JOINERS:
        return True
    cat = unicodedata.category(ch)
    return cat == "So" or (cat in ("Sm", "Sk") and ord(ch) > 127)


def symbol_lead(text: str, pos: int, end: int) -> int:
    """Where the words start after the leading decoration (and spaces) at ``pos``."""
    p = pos
    while p < end and is_decoration(text[p]):
        p += 1
        while p < end and text[p] in " \t":
            p += 1
    return p if p > pos else pos


def mark_symbol_headings(text: str, raw: list[Candidate]) -> None:
    """Make a document's run of symbol-opened short lines styled headings (docstring)."""
    found: list[Candidate] = []
    for i, c in enumerate(raw):
        if c.cue is not None or c.numbering is not None or c.start != c.line_start:
            continue
        if c.rest <= c.line_start or not is_decoration(text[c.line_start]):
            continue
        words = text[c.rest : c.line_end].split()
        line = text[c.rest : c.line_end].rstrip(" *_'\"’”")
        if not words or len(words) > _MAX_WORDS or line.endswith((".", "!", ",", ";")):
            continue
        if paragraph_alone(text, c, raw[i + 1] if i + 1 < len(raw) else None):
            found.append(c)
    if len(found) < _MIN_LINES:
        return
    for c in found:
        c.cue, c.end = MARK_CUE, c.line_end
