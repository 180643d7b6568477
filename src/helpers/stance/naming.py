"""Which closed questions a piece of text names, one look-up per word (speed only).

``crossq.parts`` asks of every sentence, and of every piece of a sentence that names a
question, which closed questions it names: a question is named when one of the piece's
content stems is one of the question's distinctive words, or one of the two is a prefix
of the other of at least five letters ("experiment" / "experimental";
``comparison._names``). Session 23's CPU-clock profile of a 10,000-respondent run put
``crossq`` at 65 of stance's 237 profiled CPU s: 220,856 pieces each stemmed
(``content_stems``, 13 s) and each stem tested against every question's prefix index
(``comparison._names``, 441,712 calls, 43 s).

Whether a stem names a question depends on the stem and the question's words only, and
whether a word names one on the word only (its stem, after the stopword and
three-letter filter of ``content_stems``). So :class:`Namer` keeps, for one set of
questions' words, each lower-cased word's questions, and a piece's questions are the
union over its words: exactly the set ``{q for q, own in words.items() if own and
_names(piece, own)}`` (a piece names ``q`` when at least one of its stems does;
``_names`` counts them, and the caller only asks whether the count is non-zero), with
each distinct word stemmed and tested once per consultation instead of once per piece.
The cache is emptied when it holds ``CACHE_MAX`` words, so memory stays flat on an
endless stream.
"""

from __future__ import annotations

from functools import lru_cache

from helpers.core.stemming import stem
from helpers.stance.comparison import _names
from helpers.stance.unstructured import _WORD_RE, _stopwords

__all__ = ["CACHE_MAX", "Namer", "namer"]

CACHE_MAX = 200_000  # distinct words one Namer remembers before it starts again

_NONE: frozenset[str] = frozenset()


class Namer:
    """The closed questions each word names, for one mapping of question to words."""

    def __init__(self, words: dict[str, frozenset[str]]) -> None:
        self._words = [(q, own) for q, own in words.items() if own]
        self._by_word: dict[str, frozenset[str]] = {}

    def _word(self, w: str) -> frozenset[str]:
        """The questions ``w`` (lower case, from ``_WORD_RE``) names: none for a
        stopword or a word under three letters (``content_stems`` leaves those out)."""
        if w in _stopwords() or len(w) <= 2:
            return _NONE
        s = {stem(w, "porter")}
        return frozenset(q for q, own in self._words if _names("", own, s))

    def named(self, piece: str) -> set[str]:
        """The questions whose words ``piece`` names (``crossq._named``)."""
        out: set[str] = set()
        if not self._words:
            return out
        cache = self._by_word
        for w in _WORD_RE.findall(piece.lower()):
            qs = cache.get(w)
            if qs is None:
                if len(cache) >= CACHE_MAX:
                    cache.clear()
                qs = cache[w] = self._word(w)
            out |= qs
        return out


@lru_cache(maxsize=8)
def _namer(items: tuple[tuple[str, frozenset[str]], ...]) -> Namer:
    return Namer(dict(items))


def namer(words: dict[str, frozenset[str]]) -> Namer:
    """The :class:`Namer` of ``words`` (one per distinct mapping, kept for the next call)."""
    return _namer(tuple(words.items()))
