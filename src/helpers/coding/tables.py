"""A codebook compiled into the tables both engines match with, built once per codebook.

Every pattern is compiled once (its words and anchor key, ``patterns``), with
what it codes (``_Target``: include, exclude or a co-occurrence term); one
Aho-Corasick automaton holds the anchor keys and the negator words. The
pure-Python reference (``reference``) scans with them; the compiled engine
(``engine.fastcode``) turns the same tables into arrays, so the two agree by
construction. Nothing here knows the compiled engine exists.
"""

from __future__ import annotations

import ahocorasick

from helpers.coding.codebook import Codebook, normalise_pattern
from helpers.coding.negation import NEGATION_WINDOW, NEGATORS
from helpers.coding.patterns import _KIND_CODE, _anchor, _compile_word, _Pattern, _Target

# Negator words never anchor a phrase that has another word (``patterns._anchor``).
_NEGATOR_KEYS = frozenset(NEGATORS | {"no"})


class CodebookTables:
    """A codebook's patterns, anchor keys, automaton and per-question targets."""

    def __init__(self, codebook: Codebook, negation_window: int = NEGATION_WINDOW) -> None:
        self.codebook = codebook
        self.themes = list(codebook.themes)
        self.negation_window = negation_window
        self._patterns: list[_Pattern] = []
        by_text: dict[str, int] = {}
        keys: dict[str, list[int]] = {}

        def add(pattern: str, target: _Target) -> None:
            norm = normalise_pattern(pattern)
            pid = by_text.get(norm)
            if pid is None:
                words = norm.split()
                compiled = [_compile_word(w) for w in words]
                anchor = _anchor(words, [k for _, k in compiled], _NEGATOR_KEYS)
                pid = by_text[norm] = len(self._patterns)
                self._patterns.append(_Pattern(pattern, tuple(w for w, _ in compiled), [], anchor))
                keys.setdefault(compiled[anchor][1], []).append(pid)
            self._patterns[pid].targets.append(target)

        for ti, t in enumerate(self.themes):
            for p in t.patterns:
                add(p, _Target(ti, "include"))
            for p in t.exclude:
                add(p, _Target(ti, "exclude"))
            for gi, group in enumerate(t.cooccur):
                for term_i, p in enumerate(group):
                    add(p, _Target(ti, "cooccur", gi, term_i))
        self._automaton = ahocorasick.Automaton()
        self._key_pids: list[tuple[int, ...]] = []
        for key, pids in keys.items():
            self._automaton.add_word(key, (len(key), len(self._key_pids)))
            self._key_pids.append(tuple(pids))
        # The negators ride along in the same automaton (key -1: a word, -2: "n't",
        # which needs no word boundary before it), so each answer's negators are
        # found in the scan that finds its anchors, and a match's quick negation
        # test is a bisect instead of a regex search of its look-back window. Not
        # if a negator is also an anchor key (then the regex test is used).
        neg_words = sorted(NEGATORS | {"no"})
        self._scan_negators = bool(keys) and not any(w in keys for w in [*neg_words, "n't"])
        if self._scan_negators:
            for w in neg_words:
                self._automaton.add_word(w, (len(w), -1))
            self._automaton.add_word("n't", (3, -2))
        if keys:
            self._automaton.make_automaton()
        self._has_keys = bool(keys)
        self._applies: dict[str, frozenset[int]] = {}
        self._usable: dict[frozenset[int], tuple] = {}
        # Per pattern: (words after the anchor, words before it, nearest first),
        # each word a (kind code, value) tuple.
        self._sides: list[tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]]] = [
            (
                tuple((_KIND_CODE[w.kind], w.value) for w in p.words[p.anchor + 1 :]),
                tuple((_KIND_CODE[w.kind], w.value) for w in reversed(p.words[: p.anchor])),
            )
            for p in self._patterns
        ]
        self._texts = [p.text for p in self._patterns]
        self._theme_ids = [t.id for t in self.themes]

    def applicable(self, question_id: str) -> frozenset[int]:
        """Indices of the themes coded in answers to ``question_id``."""
        got = self._applies.get(question_id)
        if got is None:
            got = self._applies[question_id] = frozenset(
                i for i, t in enumerate(self.themes) if t.applies_to(question_id)
            )
        return got

    def _usable_patterns(
        self, applies: frozenset[int]
    ) -> tuple[tuple[tuple[int, bool, int, int], ...], ...]:
        """Per pattern, its targets among the themes in ``applies`` as
        (theme, is_exclusion, group, term) tuples; empty when none (cached per theme set)."""
        got = self._usable.get(applies)
        if got is None:
            got = self._usable[applies] = tuple(
                tuple(
                    (t.theme, t.role == "exclude", t.group, t.term)
                    for t in p.targets
                    if t.theme in applies
                )
                for p in self._patterns
            )
        return got
