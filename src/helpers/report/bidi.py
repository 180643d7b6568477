"""Bidirectional text in respondents' words: controls removed, right-to-left text isolated.

Unicode's bidirectional controls change the order in which the characters
around them are displayed: U+202E (RIGHT-TO-LEFT OVERRIDE) in an answer shows
"evil" as "live", and because an override lasts to the end of the paragraph
(or a matching U+202C), it also reverses the report's own words after the
quote: the closing quotation mark, the attribution. A respondent could make a
quote appear to say something it does not ("Trojan Source"). The report and
the explore views therefore

- **remove** every explicit bidi control (embeddings and overrides
  U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C)
  from respondent text before it is printed, in every place it is printed
  (``templating`` applies :func:`strip_bidi` to every value a template prints);
  the words themselves are kept, so right-to-left answers still read right to
  left by the characters' own directions; and
- **isolate** a quote (``<bdi>``, the HTML element for text of unknown
  direction) when it had controls or holds right-to-left characters, so its
  direction cannot reorder the quotation marks and attribution around it.

Left-to-right text without controls is printed exactly as before: isolation
changes nothing for it, and leaving it alone keeps reports of ordinary
consultations byte-for-byte the same.
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

__all__ = ["BIDI_CONTROLS", "bidi_sensitive", "isolate_bidi", "strip_bidi"]

BIDI_CONTROLS = (
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
)
_REMOVE = {ord(c): None for c in BIDI_CONTROLS}
# Bidi classes that put text right to left: Hebrew-like, Arabic-like, Arabic numbers.
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def strip_bidi(text: str) -> str:
    """``text`` without explicit bidirectional controls (the words are unchanged)."""
    if text.isascii():
        return text
    return text.translate(_REMOVE)


def bidi_sensitive(text: str) -> bool:
    """True if ``text`` has a bidi control or a right-to-left character (it needs isolating)."""
    if text.isascii():
        return False
    return any(c in BIDI_CONTROLS or unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def isolate_bidi(value: object) -> object:
    """A respondent string ready for a template: controls removed, isolated in ``<bdi>`` if needed.

    The Jinja filter ``isolate``. Returns escaped markup for text that needs
    isolating, else the string itself (escaped by autoescaping as usual), so
    ordinary left-to-right text renders exactly as without the filter.
    Non-strings and the package's own markup pass through.
    """
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    if not bidi_sensitive(value):
        return value
    return Markup("<bdi>{}</bdi>").format(escape(strip_bidi(value)))
