"""Text and patterns in the one form both are compared in: normalised, tokenised, stemmed.

The coder never tokenises a whole text: it matches a case-folded,
hyphen/apostrophe-normalised copy of the text of exactly the same length as the
original (so every offset is valid in both), and compiles each codebook pattern
into words (a stem, a wildcard's prefix or an exact form) plus the one anchor
word the automaton looks for. Both engines read what is defined here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.coding.codebook import APOSTROPHES, HYPHENS
from helpers.core.stemming import STEMMERS, stem

# A word in the normalised text: letters/digits with internal apostrophes.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _special_heads() -> frozenset[str] | None:
    """The words the stemmer maps by its exception list to a stem that does not begin with
    the word's own first two letters ("dying" -> "die")."""
    snowball = STEMMERS["snowball"]  # the stemmer ``stem`` uses
    english = getattr(snowball, "stemmer", snowball)  # SnowballStemmer wraps EnglishStemmer
    special = getattr(english, "_EnglishStemmer__special_words", None)
    if special is None:  # another NLTK: then no word is skipped (StemFilter checks this)
        return None
    return frozenset(w for w, s in special.items() if s[:2] != w[: min(2, len(s))])


_SPECIAL_HEADS = _special_heads()


class StemFilter:
    """Whether a word's Snowball stem can be one of ``stems``, decided without stemming it.

    The English Snowball stemmer changes a word only after its first two letters
    (suffixes come off at R1 or later, which starts at the third letter at the
    earliest; "y" turns into "i" only after a consonant that is not the first
    letter; "ied"/"ies" keep at least one letter before the "i"), except for a
    few words of its exception list ("dying" -> "die"). So a lower-case word
    whose first two letters begin none of ``stems`` cannot stem to one of them,
    and need not be stemmed: the compiled coder learns tens of thousands of new
    words in a realistic corpus, and stemming them was a third of its time, when
    only the few that may stem to a phrase word's stem matter.
    ``tests/test_stem_filter.py`` checks the property on a large vocabulary.
    """

    __slots__ = ("_heads", "_ones")

    def __init__(self, stems) -> None:
        self._heads = frozenset(s[:2] for s in stems if len(s) >= 2)
        self._ones = frozenset(s for s in stems if len(s) < 2)

    def may_stem_to(self, word: str) -> bool:
        """False only when ``stem(word)`` is certainly not one of the stems."""
        head = word[:2]
        if _SPECIAL_HEADS is None or not (head.isascii() and head.isalpha() and head.islower()):
            return True  # upper case, digits, apostrophes, other scripts: stem it
        return (
            head in self._heads
            or (bool(self._ones) and (word[:1] in self._ones or "" in self._ones))
            or word in _SPECIAL_HEADS  # "dying" -> "die"
        )


def normalise_text(text: str) -> str:
    """Lower-cased copy of ``text`` of the SAME length: hyphens as spaces, apostrophes straight.

    ``str.lower`` lengthens a few characters (e.g. 'İ'); those are left as they are so
    offsets stay valid in the original.
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for ch in HYPHENS:
        if ch in low:
            low = low.replace(ch, " ")
    for ch in APOSTROPHES:
        if ch in low:
            low = low.replace(ch, "'")
    return low


@dataclass(frozen=True)
class _Word:
    value: str  # the stem, the prefix of a wildcard word, or the exact form
    kind: str  # "stem", "prefix" or "exact"

    def matches(self, token: str) -> bool:
        if self.kind == "stem":
            return stem(token) == self.value
        if self.kind == "prefix":
            return token.startswith(self.value)
        return token == self.value


# Word kinds as small ints for the hot loop (``_Word.kind`` strings are for reading).
_STEM, _PREFIX, _EXACT = 0, 1, 2
_KIND_CODE = {"stem": _STEM, "prefix": _PREFIX, "exact": _EXACT}


@dataclass(frozen=True)
class _Target:
    theme: int  # index into codebook.themes
    role: str  # "include", "exclude" or "cooccur"
    group: int = -1  # cooccur group index within the theme
    term: int = -1  # term index within the group


@dataclass
class _Pattern:
    text: str  # as written in the codebook
    words: tuple[_Word, ...]
    targets: list[_Target]
    anchor: int = 0  # index of the word the automaton looks for


# Short function words make poor anchors: "the views" is found via "views".
_WEAK_ANCHORS = frozenset(
    "a an and as at be by for from in into of on or the their them they this to with".split()
)


def _anchor(words: list[str], keys: list[str], avoid: frozenset[str] = frozenset()) -> int:
    """The word a phrase is found by: the longest key that is not a function word.

    Keys in ``avoid`` are chosen only when nothing else is left: the tables pass
    the negators, which ride in the same automaton as the anchors, so a phrase like
    "cannot walk" or "never told" is found by its other word and the codebook stays
    on the compiled engine (a negator anchor sends it to pure Python); for the same
    reason a word of letters and digits is preferred to one with an apostrophe.
    """
    return max(
        range(len(words)),
        key=lambda i: (
            keys[i] not in avoid,
            keys[i].isalnum(),
            words[i].strip("=*") not in _WEAK_ANCHORS,
            len(keys[i]),
        ),
    )


def _compile_word(word: str) -> tuple[_Word, str]:
    """The matcher for one pattern word and its automaton key."""
    if word.endswith("*"):
        prefix = word[:-1]
        return _Word(prefix, "prefix"), prefix
    if word.startswith("="):
        return _Word(word[1:], "exact"), word[1:]
    s = stem(word)
    # Every form with this stem starts with the word/stem's common prefix, except
    # where the stem ends in a letter that inflection changes: 'policy'/'policies'
    # -> 'polici', 'hope'/'hoping' -> 'hope'; so those keys drop the last letter.
    n = 0
    while n < min(len(word), len(s)) and word[n] == s[n]:
        n += 1
    if n == len(s) and s[-1] in "ei" and n > 2:
        n -= 1
    return _Word(s, "stem"), word[: max(n, 1)]
