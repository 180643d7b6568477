"""Headings opened by a decorative symbol: "→ Q2 what good looks like", "🙋 Who we are".

Why (session 21, issue 12; batch 23): respondents mark their own headings with an
arrow or an emoji instead of a number or bold type. The symbol stayed part of the
heading's words, so a frame that must match the whole heading ("Who we are", the
profile answer: ``intents``) never matched "🙋 Who we are", a number after the
symbol ("→ Q5 equality") was not read as the question's, and a short heading
("💡 Our ideas", "✏️ what i'd change") lost its one word of evidence to the symbol.

The rule (``symbol_lead``, called where ``headings`` reads a line's markup): a
heading's words start after any leading decoration, a character of Unicode category
"So" (other symbols: emoji, "▶", "■", "★", "➤") or a non-ASCII "Sm"/"Sk" ("→",
"⇒"), with emoji joiners and variation selectors. Unicode's own categories, so no
symbol list to keep up. Tick boxes and ticks ("☐", "☒", "✓", "✗", "✅", "❌"; the
marks ``ticks`` reads) are answers, never decoration, and "№" is a number sign
(``numbering``): both are kept. Bullets ("•", "-", "*": punctuation, not symbols)
are read as before (``headings``).

Tried and not kept (session 21): a run of three or more such lines in a plain
text (no bold or heading cue) read as the document's styled headings. It placed
two more answers in one batch-23 document alone, but the run-level passes had
already placed them, and the changed answers moved a weak meaning placement in
another document of the set: one answer lost (docs/segmentation.md, "Session 21").
"""

from __future__ import annotations

import unicodedata

_JOINERS = "\u200d\ufe0e\ufe0f\u20e3"  # zero-width joiner, variation selectors, keycap
_ANSWERS = set("☐☑☒▣⊠◉⦿✓✔✕✖✗✘✅❌❎№")  # boxes, ticks, crosses (``ticks``); the number sign


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
    return p
