"""The stance lexicon's phrase lists (``data/stance_lexicon.yaml``), compiled: a public face.

Each list of generic English phrases ("we would be happy to discuss",
"long overdue", "don't know") becomes one case-sensitive pattern to run on
lower-cased text: whole words, either apostrophe or none ("don't", "don’t",
"dont"), a trailing ``*`` for any ending. The alternation is built as a trie
(each first word tried once), which keeps a list of a few hundred phrases
fast in Python's ``re``.

The discourse reader (:mod:`helpers.stance.discourse`) compiles the same lists
the same way, with its own derived patterns on top; the layers read after the
rules (:mod:`helpers.stance.gate`) use this module instead of its private
loader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["compile_phrases", "phrases"]

_TOKEN_RE = re.compile(r"[\w’'-]+\*?|[^\w\s]")


def _token_re(tok: str) -> str:
    if tok.endswith("*"):
        return re.escape(tok[:-1]).replace("'", "['’]?") + r"\w*"
    return re.escape(tok).replace("'", "['’]?")


def _trie_alt(tokens_list: list[list[str]]) -> str:
    """An alternation of token sequences as a trie ("no way|no idea" → "no(?:\\s+way|\\s+idea)")."""
    trie: dict = {}
    for toks in tokens_list:
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        node[""] = {}

    def emit(node: dict, first: bool) -> str:
        alts = []
        for tok, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
            if tok == "":
                continue
            sep = "" if first else (r"\s*" if not tok[0].isalnum() else r"\s+")
            head = (r"\b" if tok[0].isalnum() and first else "") + _token_re(tok)
            rest = [emit(child, False)] if len(child) > ("" in child) else []
            if "" in child:  # a phrase ends here: at a word's end, if it ends in a word
                rest.append(r"(?![\w’'])" if tok[-1].isalnum() or tok.endswith("*") else "")
            tail = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
            alts.append(sep + head + tail)
        return "(?:" + "|".join(alts) + ")"

    return emit(trie, True)


def compile_phrases(words: list[str]) -> re.Pattern[str]:
    """One pattern for a list of phrases, to run on lower-cased text."""
    return re.compile(_trie_alt([t for t in (_TOKEN_RE.findall(w.lower()) for w in words) if t]))


@lru_cache(maxsize=1)
def _raw() -> dict[str, list[str]]:
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: [str(w) for w in v] for k, v in raw.items()}


@lru_cache(maxsize=64)
def phrases(name: str) -> re.Pattern[str]:
    """The compiled pattern of the lexicon's list ``name`` (e.g. ``"courtesies"``)."""
    return compile_phrases(_raw()[name])
