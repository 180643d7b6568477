"""Reading a phrase's words outwards from its anchor, in the normalised text.

The automaton finds only a pattern's anchor word; a phrase's other words are
read next to it, one at a time, under the adjacency rules of docs/coding.md
(spaces, tabs or no-break spaces between words, after an optional possessive
apostrophe; never a line break). The compiled engine reproduces these rules
over its token array (``engine.hits``).
"""

from __future__ import annotations

import re

from helpers.coding.patterns import _PREFIX, _STEM, _TOKEN_RE
from helpers.core.stemming import stem

# The phrase word after a word: a gap (spaces, after an optional possessive
# apostrophe: "care leavers' rights"; never a line break, and hyphens are spaces
# already), then a token. The token cannot start with a gap character, so the
# greedy gap never needs to give any back.
_GAP_CHARS = frozenset(" \t\u00a0")
_NEXT_WORD_RE = re.compile(r"'?[ \t\u00a0]+([^\W_]+(?:'[^\W_]+)*)")


def _next_word(norm: str, end: int) -> tuple[int, int, str, str] | None:
    """The phrase word after offset ``end`` as (start, end, token, stem), or None if not adjacent."""
    m = _NEXT_WORD_RE.match(norm, end)
    if m is None:
        return None
    tok = m.group(1)
    return m.start(1), m.end(), tok, stem(tok)


def _prev_word(norm: str, start: int) -> tuple[int, int, str, str] | None:
    """The phrase word before offset ``start`` as (start, end, token, stem), or None if not adjacent."""
    # Step back over the gap (spaces, after an optional possessive apostrophe) ...
    i = start
    while i > 0 and norm[i - 1] in " \t\u00a0":
        i -= 1
    if i == start:
        return None
    if i > 0 and norm[i - 1] == "'":
        i -= 1
    # ... then over the previous token, which must be a whole word.
    tok = _TOKEN_RE.search(norm, norm.rfind(" ", 0, i) + 1, i)
    if tok is None or tok.end() != i:
        return None
    j = tok.start()
    if j > 0 and (norm[j - 1].isalnum() or norm[j - 1] == "'"):
        return None
    word = tok.group()
    return j, i, word, stem(word)


def _phrase_edge(
    norm: str,
    words: tuple[tuple[int, str], ...],
    first: tuple[int, int, str, str] | None,
    read,
    pos: int,
    edge: int,
) -> int | None:
    """Read a phrase's ``words`` outwards from the anchor, one side of it.

    ``first`` is the neighbour next to the anchor (already read, as several
    patterns share it); ``read`` (``_next_word`` or ``_prev_word``) reads each
    further one from ``pos``. Returns the phrase's edge on that side (each
    neighbour's field ``edge``: 1 its end, 0 its start), or None if a word
    does not match.
    """
    nb = first
    for i, (kind, value) in enumerate(words):
        if i:
            nb = read(norm, pos)
        if nb is None or not (
            nb[3] == value
            if kind == _STEM
            else (nb[2].startswith(value) if kind == _PREFIX else nb[2] == value)
        ):
            return None
        pos = nb[edge]
    return pos


def _first_letters(ix: tuple[dict, dict, list]) -> tuple[str, ...]:
    """What a neighbouring word must start with for any phrase in ``ix`` to match.

    A prefix or exact word starts with its value; a stemmed word with its stem's
    first letter (Snowball only rewrites endings, even for irregular forms such as
    'dying' -> 'die'), or 'İ' for an 'i' (``normalise_text`` keeps it and the
    stemmer lower-cases it). Tested with ``str.startswith`` before the neighbour
    is read.
    """
    by_stem, by_form, prefixes = ix
    firsts = {v[:1] for v in by_stem}
    if "i" in firsts:
        firsts.add("\u0130")
    return tuple(firsts | set(by_form) | {v for v, _, _ in prefixes})
