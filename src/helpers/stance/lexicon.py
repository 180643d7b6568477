"""The stance lexicon's phrase lists (``data/stance_lexicon.yaml``), compiled: a public face.

Each list of generic English phrases ("we would be happy to discuss",
"long overdue", "don't know") becomes one case-sensitive pattern to run on
lower-cased text: whole words, either apostrophe or none ("don't", "don’t",
"dont"), a trailing ``*`` for any ending. The alternation is built as a trie
(each first word tried once), which keeps a list of a few hundred phrases
fast in Python's ``re``.

The compiler is the discourse reader's (:mod:`helpers.stance.lexgate`), so both
read a list identically; the layers read after the
rules (:mod:`helpers.stance.gate`) use this module instead of its private
loader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from helpers.stance.lexgate import phrase_tokens, trie_alt

__all__ = ["compile_phrases", "entries", "phrases", "words"]


def compile_phrases(words: list[str]) -> re.Pattern[str]:
    """One pattern for a list of phrases, to run on lower-cased text."""
    return re.compile(trie_alt(phrase_tokens(words)))


@lru_cache(maxsize=1)
def _raw() -> dict[str, list[str]]:
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: [str(w) for w in v] for k, v in raw.items()}


@lru_cache(maxsize=64)
def phrases(name: str) -> re.Pattern[str]:
    """The compiled pattern of the lexicon's list ``name`` (e.g. ``"courtesies"``)."""
    return compile_phrases(_raw()[name])


@lru_cache(maxsize=64)
def words(name: str) -> frozenset[str]:
    """The lexicon's list ``name`` as a set of lower-case entries (single words, e.g.
    ``"emphatic_adverbs"``), for lookups of a word rather than a pattern."""
    return frozenset(w.lower() for w in _raw()[name])


def entries(name: str) -> tuple[str, ...]:
    """The lexicon's list ``name`` as written (e.g. ``"proposal_references"``), for readers
    that build their own word sets from it."""
    return tuple(_raw()[name])
