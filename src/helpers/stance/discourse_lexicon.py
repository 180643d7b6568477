"""The discourse reader's phrase lists (``data/stance_lexicon.yaml``), compiled once.

Split from :mod:`helpers.stance.discourse` so each module keeps one concern: this
one loads and compiles the generic English lists (one pattern per list, gated by
their required words with :class:`~helpers.stance.lexgate.PhraseGate`), the reader
weighs what they find.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from operator import itemgetter

import yaml

from helpers.stance.lexgate import PhraseGate, compile_gates, phrase_tokens, trie_alt

_POLARITY = {"agree_strong": (1, True), "agree": (1, False),
             "disagree_strong": (-1, True), "disagree": (-1, False)}  # fmt: skip
_VERBS = ("verbs_agree", "verbs_disagree", "verbs_agree_s", "verbs_disagree_s")
# The lists read with :meth:`PhraseGate.finder` (or gated by their keys: the verbs).
_PRUNED = (*_POLARITY, "courtesies", "dont_know", "neither", "hedges", "reservation", *_VERBS)
# The lists found all at once by the compiled scan: those read with
# :meth:`PhraseGate.finder`, and the verbs (where ``discourse_evidence._verb_hits`` reads).
_SCANNED = _PRUNED


def _phrase_alt(words: list[str]) -> str:
    """One pattern for a list of phrases: whole words, either apostrophe, "*" any ending."""
    return trie_alt(phrase_tokens(words))


@lru_cache(maxsize=1)
def _gates() -> dict[str, PhraseGate]:
    """The lexicon's lists as :class:`PhraseGate` (pattern + exact pruning by required words)."""
    path = resources.files("helpers").joinpath("data", "stance_lexicon.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    stop = resources.files("helpers").joinpath("data", "stopwords_en.txt").read_text("utf-8")
    common = frozenset(w.strip() for w in stop.splitlines() if w.strip() and w[0] != "#")
    gates = {k: PhraseGate(phrase_tokens([str(w) for w in v]), common) for k, v in raw.items()}
    compile_gates([gates[k] for k in _SCANNED])  # one compiled pass per answer (session 14)
    return gates


@lru_cache(maxsize=1)
def _key_automaton():
    """One Aho-Corasick automaton of every list's key words (:attr:`PhraseGate.keys`)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    gates = _gates()
    for key in sorted(set().union(*(gates[name].keys for name in _PRUNED))):
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


def _present(text: str) -> set[str]:
    """The lists' key words found in ``text`` as substrings: a superset of those that
    stand in it as whole words, which is all :meth:`PhraseGate.finder` needs."""
    return set(map(itemgetter(1), _key_automaton().iter(text)))


def _words(text: str) -> set[str] | None:
    """The key words :meth:`PhraseGate.finder` needs for ``text`` (:func:`_present`), or
    None when the lists are read by the compiled scan, which needs none."""
    return None if _gates()[_SCANNED[0]].compiled_lists is not None else _present(text)


def _verb_starts(text: str) -> list[int] | None:
    """Where a verb of position (``_VERBS``) matches ``text``, from the compiled scan (None
    without it): every ``subject_verb`` or ``third_person`` match holds one."""
    gates = _gates()
    compiled = gates[_VERBS[0]].compiled_lists
    found = None if compiled is None else compiled.scan(text)
    if found is None:
        return None
    return sorted(c for v in _VERBS for c in found[compiled.index[id(gates[v])]][0])


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, re.Pattern[str]]:
    """The lexicon's lists compiled, one pattern per list (``data/stance_lexicon.yaml``)."""
    # Case-sensitive patterns, run on the lower-cased answer: several times faster
    # than re.I on the answer as written.
    out = {k: re.compile(g.pattern) for k, g in _gates().items()}
    openers = {k: re.compile(r"^\W*(?:" + out[k].pattern + ")") for k in
               ("concession_openers", "contrast_openers", "overall_openers", "condition_openers",
                "sarcasm_openers")}  # fmt: skip
    out.update({f"{k}^": v for k, v in openers.items()})
    verbs = f"(?P<agree>{out['verbs_agree'].pattern})|(?P<disagree>{out['verbs_disagree'].pattern})"
    verbs_s = (
        f"(?P<agree>{out['verbs_agree_s'].pattern})|(?P<disagree>{out['verbs_disagree_s'].pattern})"
    )
    out["subject_verb"] = re.compile(rf"\b(?:i|we)\s+(?P<gap>(?:[\w’'-]+\s+){{0,3}}?)(?:{verbs})")
    # No words before the verb in the pattern: a leading optional group would be
    # tried at every position (slow); the adverbs before it are looked up after.
    modal = r"(?:would|will|can|could|do|does|did|shall|should|must|cannot|can['’]t|won['’]t|wouldn['’]t|don['’]t|doesn['’]t)"
    base = (
        f"(?P<agree2>{out['verbs_agree'].pattern})|(?P<disagree2>{out['verbs_disagree'].pattern})"
    )
    out["third_person"] = re.compile(
        rf"\b(?:{verbs_s})|\b(?P<modal>{modal}\s+(?:[\w’'-]+\s+)?)(?:{base})"
    )
    # Only the answer's first word(s), standing alone before a stop or the end.
    out["answer_openers_agree^"] = re.compile(
        r"^\W*(?:" + out["answer_openers_agree"].pattern + r")(?=\s*(?:[,.!;:\-–—]|$))"
    )
    out["negator_end"] = re.compile(rf"(?:{out['negators'].pattern}|n['’]t\b)[\w\s’'-]*$")
    return out
