"""The words of a normalised text, as the near-copy rules read them (shared by the scoring rules).

``campaigns.normalise`` writes a text casefolded, punctuation as spaces and
each sentence end as :data:`SENTENCE_BREAK`. The rules of :mod:`copyscore`
(whole texts) and :mod:`passages` (shared runs of sentences) read it as
words, word trigrams and polarity words; these are computed here, once per
text (cached: a group's leader is scored against many texts).
"""

from __future__ import annotations

import functools
from functools import cache
from importlib import resources

SENTENCE_BREAK = "\n"  # between the sentences of a normalised text (campaigns.normalise)


@functools.lru_cache(maxsize=1024)
def flat_words(text: str) -> tuple[str, tuple[str, ...]]:
    """A normalised text with its sentence breaks as spaces, and its words: cached, since
    a group's leader is scored against many texts (and the words' hashes, which the
    word-level distance reads, are then computed once)."""
    flat = text.replace(SENTENCE_BREAK, " ")
    return flat, tuple(flat.split())


@functools.lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """The word trigrams of a normalised text (sentence breaks as spaces)."""
    words = text.replace(SENTENCE_BREAK, " ").split()
    return frozenset(zip(words, words[1:], words[2:], strict=False))


@cache
def polarity_words() -> frozenset[str]:
    """Words that turn a short answer's position around (``helpers/data/polarity_words.txt``)."""
    text = resources.files("helpers").joinpath("data", "polarity_words.txt").read_text("utf-8")
    return frozenset(
        w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")
    )


def polar(words: list[str]) -> frozenset[str]:
    """The polarity words among ``words``, a contraction ("aren t", "don t", "cannot") as "not".

    "aren't forced" and "are not forced" say the same: compared as polarity
    words, the contraction's pieces would differ from "not".
    """
    known = polarity_words()
    found: set[str] = set()
    for k, w in enumerate(words):
        if w == "t":
            continue
        if w == "cannot" or (w.endswith("n") and k + 1 < len(words) and words[k + 1] == "t"):
            found.add("not")
        elif w in known:
            found.add(w)
    return frozenset(found)
