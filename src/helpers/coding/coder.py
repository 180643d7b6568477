"""Dictionary coding of answers with the codebook, manual overrides, and the coding stage.

Two engines give the same rows (see docs/coding.md): "compiled" (the default
when numba is installed: ``fastcode`` and ``kernel`` code batches of answers
in compiled loops) and "python" (``Coder._code``, below: the reference, and
the fallback for the answers and codebooks the compiled engine hands back).

Design of the Python engine: the text is never tokenised as a whole.
One Aho-Corasick automaton, keyed on one anchor word of every pattern (the
prefix all its forms share, or a wildcard's prefix), scans a
case-folded, hyphen/apostrophe-normalised copy of the text that has exactly
the same length as the original, so every offset is valid in both (the same
pass finds the negator words). Only at automaton hits do we check word
boundaries, stem the whole token, read the neighbouring words of a phrase,
look back for negation and find the enclosing sentence.
"""

from __future__ import annotations

import csv
import logging
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from tqdm.auto import tqdm

from helpers.coding.codebook import APOSTROPHES, HYPHENS, Codebook, load_codebook, normalise_pattern
from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.errors import ConfigError
from helpers.core.sentences import ABBREVIATIONS, sentence_spans

log = logging.getLogger(__name__)

# A word in the normalised text: letters/digits with internal apostrophes.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Clause boundaries that stop the negation look-back.
_CLAUSE_PUNCT_RE = re.compile(r"[,;:()\[\]\u2013\u2014!?]")
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "whereas", "yet", "except"})
NEGATORS = frozenset(
    {"not", "never", "neither", "nor", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wont"}
)
# "no" negates only as "no need/reason/..." ('there is no housing' raises housing).
_NO_NEGATES_BEFORE = frozenset(
    {"need", "reason", "evidence", "requirement", "benefit", "point", "case"}
)
# A negator followed by one of these does not dismiss the topic: "not only", "not
# limited to", and unmet needs ("do not have access", "are not able to get") which
# raise it.
NEGATION_EXCEPTIONS = frozenset(
    {
        "only", "just", "least", "limited", "merely", "simply", "mention",
        "have", "has", "had", "having", "get", "getting", "got", "receive", "receiving",
        "received", "given", "enough", "sufficient", "sufficiently", "adequate",
        "adequately", "always", "yet", "able", "been", "being", "sure", "in",
    }
)  # fmt: skip
# Any token that could start a negation, to skip the full check cheaply.
# The lookahead on the alternatives' first letters lets the regex engine skip other
# positions quickly (same matches; about a third faster on 80-character windows).
_NEGATOR_HINT_RE = re.compile(
    "(?=[" + "".join(sorted({w[0] for w in NEGATORS | {"no", "n't"}})) + "])"
    r"(?:\b(?:" + "|".join(sorted(NEGATORS)) + r"|no)\b|n't\b)"
)
NEGATION_WINDOW = 5  # words looked back within the clause
_UNSET: Any = object()
# "compiled": the numba kernels (``fastcode``), same rows as "python" (``Coder._code``);
# "auto": compiled when numba is installed and the codebook suits it.
ENGINES = ("auto", "compiled", "python")
DEFAULT_ENGINE = "auto"
BATCH_CHARS = 1 << 20  # characters per compiled batch: big enough to amortise, small in memory
SKIP_QUESTIONS = (schemas.PREAMBLE, schemas.CLOSING)
_STEM_CACHE_MAX = 200_000

_stemmer = SnowballStemmer("english")
_stem_cache: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball (English) stem of a lower-case word, cached (bounded)."""
    s = _stem_cache.get(word)
    if s is None:
        if len(_stem_cache) > _STEM_CACHE_MAX:
            _stem_cache.clear()  # keep memory flat on endless streams
        s = _stem_cache[word] = _stemmer.stem(word)
    return s


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


def _anchor(words: list[str], keys: list[str]) -> int:
    """The word a phrase is found by: the longest key that is not a function word."""
    return max(
        range(len(words)), key=lambda i: (words[i].strip("=*") not in _WEAK_ANCHORS, len(keys[i]))
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


# The phrase word after a word: a gap (spaces, after an optional possessive
# apostrophe: "care leavers' rights"; never a line break, and hyphens are spaces
# already), then a token. The token cannot start with a gap character, so the
# greedy gap never needs to give any back.
_GAP_CHARS = frozenset(" \t\u00a0")
_NEXT_WORD_RE = re.compile(r"'?[ \t\u00a0]+([^\W_]+(?:'[^\W_]+)*)")


def _stem_of(token: str) -> str:
    s = _stem_cache.get(token)
    return s if s is not None else stem(token)


def _next_word(norm: str, end: int) -> tuple[int, int, str, str] | None:
    """The phrase word after offset ``end`` as (start, end, token, stem), or None if not adjacent."""
    m = _NEXT_WORD_RE.match(norm, end)
    if m is None:
        return None
    tok = m.group(1)
    return m.start(1), m.end(), tok, _stem_of(tok)


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
    return j, i, word, _stem_of(word)


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


class Coder:
    """A codebook compiled for fast matching. Build once, code many texts."""

    def __init__(
        self,
        codebook: Codebook,
        negation_window: int = NEGATION_WINDOW,
        engine: str | None = None,
    ) -> None:
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
                anchor = _anchor(words, [k for _, k in compiled])
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
        # (key index, token) -> patterns whose anchor word matches the token.
        self._anchor_cache: dict[tuple[int, str], tuple[int, ...]] = {}
        if keys:
            self._automaton.make_automaton()
        self._has_keys = bool(keys)
        self._applies: dict[str, frozenset[int]] = {}
        self._usable: dict[frozenset[int], tuple] = {}
        # Per set of applicable themes, per key index: token -> the candidates a hit
        # must verify, prepared once (see ``_hit_candidates``). Most hits repeat a
        # (key, token) pair already seen, so the hot loop is one dict lookup.
        self._hit_cache: dict[frozenset[int], list[dict[str, tuple]]] = {}
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
        self._batch = None
        self.engine = self._choose_engine(DEFAULT_ENGINE if engine is None else engine)

    def _choose_engine(self, engine: str) -> str:
        """ "compiled" or "python": what ``engine`` resolves to for this codebook."""
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
        if engine == "python":
            return "python"
        try:
            from helpers.coding.engine import fastcode
        except ImportError as e:  # numba missing: the pure-Python coder gives the same rows
            if engine == "compiled":
                raise
            log.info("coding in pure Python: %s", e)
            return "python"
        why = fastcode.unsupported(self)
        if why:
            if engine == "compiled":
                raise ValueError(f"the compiled coder cannot code this codebook: {why}")
            log.info("coding in pure Python: %s", why)
            return "python"
        self._batch = fastcode.BatchCoder(self)
        return "compiled"

    # --- helpers ----------------------------------------------------------------

    def applicable(self, question_id: str) -> frozenset[int]:
        """Indices of the themes coded in answers to ``question_id``."""
        got = self._applies.get(question_id)
        if got is None:
            got = self._applies[question_id] = frozenset(
                i for i, t in enumerate(self.themes) if t.applies_to(question_id)
            )
        return got

    def _anchor_candidates(self, key_id: int, token: str) -> tuple[int, ...]:
        """Patterns keyed on ``key_id`` whose anchor word matches ``token`` (cached, bounded)."""
        if len(self._anchor_cache) > _STEM_CACHE_MAX:
            self._anchor_cache.clear()
        pids = tuple(
            pid
            for pid in self._key_pids[key_id]
            if self._patterns[pid].words[self._patterns[pid].anchor].matches(token)
        )
        self._anchor_cache[(key_id, token)] = pids
        return pids

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

    def _hit_candidates(self, cache: dict, usable: tuple, key_id: int, token: str) -> tuple:
        """What a hit of key ``key_id`` on ``token`` must verify, for one theme set
        (cached in ``cache``, that key's dict).

        The candidates are one ``(pid, after, before, includes, exclude_themes)``
        per pattern whose anchor word matches ``token`` and which has a target
        among the applicable themes. ``includes`` are ``(theme, group, term)``;
        ``after``/``before`` the phrase words to read around the anchor (empty for
        a one-word pattern).

        Returned as ``(plain, fixed, fixed_candidates, after_index, before_index,
        after_starts, before_starts)``, or ``()`` when
        there is no candidate. ``plain`` is the candidates when none is a phrase
        (else None). Otherwise phrases are indexed by the word next to the anchor
        (the first ``after`` word, else the first ``before`` word) as
        ``(by stem, by exact form, [(prefix, n, candidate)])``, so a hit looks up
        the phrases its neighbour can start instead of trying each: an anchor
        like "support" starts a dozen phrases. ``n`` is the candidate's position
        in pattern order, restored after the look-up because it decides ties in
        ``_evidence``; ``fixed`` holds the one-word candidates as ``(n, candidate)``.
        """
        if len(cache) > _STEM_CACHE_MAX:
            cache.clear()  # keep memory flat on endless streams
        pids = self._anchor_cache.get((key_id, token))
        if pids is None:
            pids = self._anchor_candidates(key_id, token)
        cands = []
        for pid in pids:
            targets = usable[pid]
            if not targets:
                continue
            after, before = self._sides[pid]
            incs = tuple((th, g, t) for th, ex, g, t in targets if not ex)
            excs = tuple(th for th, ex, _, _ in targets if ex)
            cands.append((pid, after, before, incs, excs))
        if not cands:
            got = cache[token] = ()
            return got
        fixed: list[tuple[int, tuple]] = []
        after_ix: tuple[dict, dict, list] = ({}, {}, [])
        before_ix: tuple[dict, dict, list] = ({}, {}, [])
        for n, cand in enumerate(cands):
            after, before = cand[1], cand[2]
            if after:
                (kind, value), ix = after[0], after_ix
            elif before:
                (kind, value), ix = before[0], before_ix
            else:
                fixed.append((n, cand))
                continue
            if kind == _STEM:
                ix[0].setdefault(value, []).append((n, cand))
            elif kind == _EXACT:
                ix[1].setdefault(value, []).append((n, cand))
            else:
                ix[2].append((value, n, cand))
        if len(fixed) == len(cands):
            got = (tuple(cands), (), (), None, None, (), ())
        else:
            got = (
                None,
                tuple(fixed),
                tuple(cand for _, cand in fixed),
                after_ix if any(after_ix) else None,
                before_ix if any(before_ix) else None,
                _first_letters(after_ix),
                _first_letters(before_ix),
            )
        cache[token] = got
        return got

    def _negated(self, norm: str, clause_lo: int, pos: int) -> bool:
        """Whether a negator governs the word at ``pos`` (look back within its clause)."""
        window_lo = max(clause_lo, pos - 80)
        if _NEGATOR_HINT_RE.search(norm, window_lo, pos) is None:
            return False  # the common case: no negator anywhere near
        while window_lo < pos and window_lo > clause_lo and norm[window_lo - 1].isalnum():
            window_lo += 1  # do not read the tail of a cut word as a word
        before = norm[window_lo:pos]
        # Start after the last clause boundary.
        cut = 0
        for m in _CLAUSE_PUNCT_RE.finditer(before):
            cut = m.end()
        toks = _TOKEN_RE.findall(before, cut)
        for i in range(len(toks) - 1, -1, -1):
            if toks[i] in _CLAUSE_WORDS:
                toks = toks[i + 1 :]
                break
        toks = toks[-self.negation_window :]
        following = [*toks[1:], _TOKEN_RE.match(norm, pos).group()]
        for i, tok in enumerate(toks):
            nxt = following[i]
            if tok == "no":
                if nxt in _NO_NEGATES_BEFORE:
                    return True
                continue
            if tok in NEGATORS or tok.endswith("n't"):
                if nxt in NEGATION_EXCEPTIONS:
                    continue
                if nxt == "to" and following[i + 1 : i + 2] == ["mention"]:
                    continue  # "not to mention"
                if tok == "not" and i > 0 and toks[i - 1] in ("or", "if"):
                    continue  # "whether or not", "if not"
                return True
        return False

    # --- coding -----------------------------------------------------------------

    def code_text(
        self, text: str, question_id: str, lo: int = 0, hi: int | None = None
    ) -> list[dict]:
        """Code ``text[lo:hi]`` (one answer) with the themes that apply to ``question_id``.

        Returns one dict per (theme, evidence sentence) with the CODES columns
        except ``respondent_id``; offsets are absolute positions in ``text``.
        """
        if self._batch is not None:
            hi = len(text) if hi is None else min(hi, len(text))
            if hi <= lo:
                return []
            return list(self._dict_rows([(text, question_id, lo, hi)], _UNSET))
        return self._code(text, question_id, lo, hi, _UNSET)

    def _code(
        self, text: str, question_id: str, lo: int, hi: int | None, respondent_id: Any
    ) -> list[dict]:
        """``code_text``; unless ``respondent_id`` is ``_UNSET``, the rows end with that column
        (built in one go: cheaper than adding it to every row afterwards)."""
        hi = len(text) if hi is None else min(hi, len(text))
        if hi <= lo or not self._has_keys:
            return []
        applies = self.applicable(question_id)
        if not applies:
            return []
        norm = normalise_text(text[lo:hi])
        includes: list[tuple[int, int, int, int, int, int]] = []  # theme, ms, me, pid, group, term
        excludes: dict[int, list[tuple[int, int]]] = {}
        usable = self._usable_patterns(applies)
        caches = self._hit_cache.get(applies)
        if caches is None:
            caches = self._hit_cache[applies] = [{} for _ in self._key_pids]
        candidates = self._hit_candidates
        token_match = _TOKEN_RE.match
        add = includes.append
        # Where ``_NEGATOR_HINT_RE`` matches in ``norm``, in order (they never overlap).
        neg_starts: list[int] = []
        neg_ends: list[int] = []
        n_norm = len(norm)
        for end_idx, (klen, key_id) in self._automaton.iter(norm):
            ms = end_idx - klen + 1
            if key_id < 0:
                # A negator: keep it where the regex would, at word boundaries
                # (``\b``: a word character is alphanumeric or '_').
                e = end_idx + 1
                if e < n_norm and (norm[e].isalnum() or norm[e] == "_"):
                    continue
                if key_id == -1 and ms > 0 and (norm[ms - 1].isalnum() or norm[ms - 1] == "_"):
                    continue
                neg_starts.append(ms)
                neg_ends.append(e)
                continue
            if ms > 0:
                prev = norm[ms - 1]
                if prev.isalnum() or (prev == "'" and ms > 1 and norm[ms - 2].isalnum()):
                    continue  # inside a word
            tok = token_match(norm, ms)
            if tok is None:
                continue
            token = tok.group()
            cache = caches[key_id]  # one dict per key: no (key, token) tuple per hit
            entry = cache.get(token)
            if entry is None:
                entry = candidates(cache, usable, key_id, token)
            if not entry:
                continue  # the common case: no pattern of an applicable theme
            tok_end = tok.end()
            nxt = prv = _UNSET  # neighbours, found once per hit when a phrase needs them
            plain, fixed, fixed_cands, after_ix, before_ix, after_starts, before_starts = entry
            if plain is None:
                # Keep the one-word candidates and the phrases the neighbouring word
                # can start (verified in full below), back in pattern order. The
                # cached lists are never changed: ``+`` makes new ones.
                extra = None
                if after_ix is not None:
                    # Most hits are common words ("further", "views") that only start
                    # phrases: when the word after a single space cannot start any of
                    # them, there is no phrase to read (same answer as ``_next_word``).
                    if (
                        norm.startswith(" ", tok_end)
                        and not norm.startswith(after_starts, tok_end + 1)
                        and norm[tok_end + 1 : tok_end + 2] not in _GAP_CHARS
                    ):
                        nxt = None
                    else:
                        nxt = _next_word(norm, tok_end)
                    if nxt is not None:
                        by_stem, by_form, prefixes = after_ix
                        extra = by_stem.get(nxt[3])
                        found = by_form.get(nxt[2])
                        if found:
                            extra = extra + found if extra else found
                        if prefixes:
                            found = [(n, c) for v, n, c in prefixes if nxt[2].startswith(v)]
                            if found:
                                extra = extra + found if extra else found
                if before_ix is not None:
                    # The same test for the word before, when a single space precedes
                    # the anchor and a letter or digit ends that word (so it starts
                    # after the last space before it).
                    if (
                        ms > 1
                        and norm[ms - 1] == " "
                        and norm[ms - 2].isalnum()
                        and norm[(k := norm.rfind(" ", 0, ms - 1) + 1)].isalnum()
                        and not norm.startswith(before_starts, k)
                    ):
                        prv = None
                    else:
                        prv = _prev_word(norm, ms)
                    if prv is not None:
                        by_stem, by_form, prefixes = before_ix
                        found = by_stem.get(prv[3])
                        if found:
                            extra = extra + found if extra else found
                        found = by_form.get(prv[2])
                        if found:
                            extra = extra + found if extra else found
                        if prefixes:
                            found = [(n, c) for v, n, c in prefixes if prv[2].startswith(v)]
                            if found:
                                extra = extra + found if extra else found
                if not extra:
                    if not fixed_cands:
                        continue
                    plain = fixed_cands
                else:
                    sel = [*fixed, *extra]
                    if len(sel) > 1:
                        sel.sort()  # n is unique: candidates are never compared
                    plain = [cand for _, cand in sel]
            for pid, after, before, incs, excs in plain:
                # A phrase: read its words outwards from the anchor. Each neighbour is
                # (start, end, token, stem); the ones next to the anchor are read once
                # per hit, as several patterns often share an anchor ("support ...").
                ps, pe = ms, tok_end
                if after:
                    if nxt is _UNSET:
                        nxt = _next_word(norm, tok_end)
                    pe = _phrase_edge(norm, after, nxt, _next_word, pe, 1)
                    if pe is None:
                        continue
                if before:
                    if prv is _UNSET:
                        prv = _prev_word(norm, ms)
                    ps = _phrase_edge(norm, before, prv, _prev_word, ps, 0)
                    if ps is None:
                        continue
                for theme in excs:
                    excludes.setdefault(theme, []).append((ps, pe))
                for theme, group, term in incs:
                    add((theme, ps, pe, pid, group, term))
        if not includes:
            return []
        negs = (neg_starts, neg_ends) if self._scan_negators else None
        return self._evidence(
            text, norm, lo, hi, question_id, includes, excludes, negs, respondent_id
        )

    def _evidence(
        self,
        text: str,
        norm: str,
        lo: int,
        hi: int,
        question_id: str,
        includes: list[tuple[int, int, int, int, int, int]],
        excludes: dict[int, list[tuple[int, int]]],
        negs: tuple[list[int], list[int]] | None = None,
        respondent_id: Any = _UNSET,
    ) -> list[dict]:
        """Turn verified hits into one row per (theme, sentence).

        ``negs`` are the starts and ends of the answer's negator hints, if the scan
        found them (else each match's look-back window is searched).
        """
        finder = _SentenceFinder(text, lo, hi)
        find = finder.find
        negated_at = self._negated
        hint = _NEGATOR_HINT_RE.search
        neg_starts, neg_ends = negs if negs is not None else (None, None)
        n_negs = len(neg_starts) if neg_starts is not None else 0

        def is_negated(clause_lo: int, ms: int) -> bool:
            """``_negated``, behind its quick test: a negator hint in the look-back window."""
            w_lo = max(clause_lo, ms - 80)
            if neg_starts is None:
                quick = hint(norm, w_lo, ms) is not None
            else:  # the first hint starting in the window ends first
                k = bisect_left(neg_starts, w_lo)
                quick = k < n_negs and neg_ends[k] <= ms
            return quick and negated_at(norm, clause_lo, ms)

        pattern_texts = self._texts
        # Sentence of the previous hit: consecutive hits usually share it, so
        # most hits skip ``find`` (only real sentences are kept, never a fallback).
        cs = ce = 0
        best: dict[tuple[int, int], tuple] = {}  # (theme, sentence start) -> row tuple
        # (theme, group, sentence start) -> term -> hit
        cooc: dict[tuple[int, int, int], dict[int, tuple]] = {}
        for theme, ms, me, pid, group, term in includes:
            if excludes:
                ex = excludes.get(theme)
                if ex and any(s < me and ms < e for s, e in ex):
                    continue  # an exclusion phrase overlaps this match
            p, pe = lo + ms, lo + me
            if cs <= p < ce:
                s_start, s_end = cs, ce
            else:
                s_start, s_end = find(p)
                cs, ce = finder.last
            if group < 0:
                key = (theme, s_start)
                old = best.get(key)
                if old is not None and not old[3]:
                    o_ms = old[0]
                    if o_ms < p or (o_ms == p and old[1] >= pe):
                        continue  # an earlier counted match already stands for this sentence
                negated = is_negated(s_start - lo, ms)
                # Prefer counted over negated, then the earliest, then the longest match.
                if old is None or (old[3], old[0], -old[1]) > (negated, p, -pe):
                    best[key] = (p, pe, pattern_texts[pid], negated, s_start, s_end)
            else:
                negated = is_negated(s_start - lo, ms)
                terms = cooc.setdefault((theme, group, s_start), {})
                prev = terms.get(term)
                if prev is None or (prev[3] and not negated):
                    terms[term] = (p, pe, pid, negated, s_start, s_end)
        for (theme, group, s_start), terms in cooc.items():
            if len(terms) < len(self.themes[theme].cooccur[group]):
                continue
            hits = list(terms.values())
            ms = min(h[0] for h in hits)
            me = max(h[1] for h in hits)
            negated = any(h[3] for h in hits)
            old = best.get((theme, s_start))
            if old is not None and (negated or not old[3]):
                continue  # a pattern match (or a counted group) already stands
            label = " + ".join(self.themes[theme].cooccur[group])
            best[(theme, s_start)] = (ms, me, label, negated, s_start, hits[0][5])
        # Ordered by sentence, match start, theme: unique per row, so plain tuples sort
        # the same as the keyed sort they replace.
        order = sorted(
            (s_start, ms, theme, me, pattern, negated, s_end)
            for (theme, _), (ms, me, pattern, negated, s_start, s_end) in best.items()
        )
        theme_ids = self._theme_ids
        rows = [
            _code_row(text, question_id, theme_ids[theme], s_start, s_end, ms, me, pattern, negated)
            for s_start, ms, theme, me, pattern, negated, s_end in order
        ]
        if respondent_id is not _UNSET:
            for row in rows:
                row["respondent_id"] = respondent_id
        return rows

    def code_stream(
        self, rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
    ) -> Iterator[dict]:
        """Code ``(respondent_id, question_id, text)`` rows lazily, in constant memory.

        Yields the CODES columns as dicts; offsets point into each row's text. The
        compiled engine reads rows a batch of about ``batch_chars`` characters at a
        time (1: row by row) before it yields their codes.
        """
        code = self._code
        if self._batch is None:
            for respondent_id, question_id, text in rows:
                coded = code(text, question_id, 0, None, respondent_id)
                if coded:
                    yield from coded  # cheaper than one ``yield`` per row
            return
        for texts, qids, rids in _batches(rows, batch_chars):
            jobs = [(t, q, 0, len(t)) for t, q in zip(texts, qids, strict=True)]
            yield from self._dict_rows(jobs, rids)

    def _dict_rows(self, jobs: list[tuple[str, str, int, int]], rids: Any) -> Iterator[dict]:
        """Compiled coding of ``(text, question_id, lo, hi)`` jobs as ``_code``'s dicts, in
        order (``rids``: each job's respondent id, or ``_UNSET`` for none)."""
        batch = self._batch.code_batch(
            [text[lo:hi] for text, _, lo, hi in jobs], [q for _, q, _, _ in jobs]
        )
        fallback = set(batch.fallback)
        theme_ids, patterns, labels = self._theme_ids, self._texts, self._batch.labels
        cols = zip(
            batch.answer.tolist(), batch.theme.tolist(), batch.start.tolist(),
            batch.end.tolist(), batch.match_start.tolist(), batch.match_end.tolist(),
            batch.label.tolist(), batch.negated.tolist(), strict=True,
        )  # fmt: skip
        done = 0  # jobs before this one have been emitted
        for a, theme, s, e, ms, me, label, neg in cols:
            while done < a:
                if done in fallback:
                    yield from self._fallback(jobs[done], rids, done)
                done += 1
            done = a + 1  # a job with rows is never a fallback
            text, qid, lo, _ = jobs[a]
            pattern = patterns[label] if label >= 0 else labels[-1 - label]
            row = _code_row(
                text, qid, theme_ids[theme], s + lo, e + lo, ms + lo, me + lo, pattern, bool(neg)
            )
            if rids is not _UNSET:
                row["respondent_id"] = rids[a]
            yield row
        for a in range(done, len(jobs)):
            if a in fallback:
                yield from self._fallback(jobs[a], rids, a)

    def _fallback(self, job: tuple[str, str, int, int], rids: Any, a: int) -> list[dict]:
        """``_code`` for a job the compiled coder handed back."""
        text, qid, lo, hi = job
        return self._code(text, qid, lo, hi, _UNSET if rids is _UNSET else rids[a])

    def code_frames(
        self, rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
    ) -> Iterator[pd.DataFrame]:
        """``code_stream`` as one frame of CODES columns per batch of about ``batch_chars``
        characters (not conformed; batches with no codes are skipped): the fast way to
        code a large stream."""
        for texts, qids, rids in _batches(rows, batch_chars):
            if self._batch is None:
                frame = pd.DataFrame(
                    [
                        row
                        for text, qid, rid in zip(texts, qids, rids, strict=True)
                        for row in self._code(text, qid, 0, None, rid)
                    ]
                )
            else:
                frame = self._batch_frame(texts, qids, rids)
            if len(frame):
                yield frame

    def code_jobs(self, jobs: list[tuple[str, str, int, int]], rids: list[str]) -> pd.DataFrame:
        """Code ``(text, question_id, lo, hi)`` jobs of respondents ``rids`` as one frame of
        CODES columns in job order (not conformed; no columns when there are no rows)."""
        if self._batch is None:
            return pd.DataFrame(
                [
                    row
                    for (text, qid, lo, hi), rid in zip(jobs, rids, strict=True)
                    for row in self._code(text, qid, lo, hi, rid)
                ]
            )
        frames = []
        first = size = 0
        for k, (_, _, lo, hi) in enumerate(jobs):
            size += hi - lo
            if size >= BATCH_CHARS or k == len(jobs) - 1:
                part = jobs[first : k + 1]
                frames.append(
                    self._batch_frame(
                        [text[lo:hi] for text, _, lo, hi in part],
                        [q for _, q, _, _ in part],
                        rids[first : k + 1],
                        part,
                    )
                )
                first, size = k + 1, 0
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame()
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def _batch_frame(
        self,
        texts: list[str],
        qids: list[str],
        rids: list[str],
        jobs: list[tuple[str, str, int, int]] | None = None,
    ) -> pd.DataFrame:
        """One compiled batch as a frame of CODES columns, built column by column.

        ``texts`` are the answers; with ``jobs``, each is ``text[lo:hi]`` of its job
        and offsets point into the job's ``text``.
        """
        from helpers.coding.engine import fastcode

        batch = self._batch.code_batch(texts, qids)
        ans, theme, negated = batch.answer, batch.theme, batch.negated
        start, end = batch.start, batch.end
        mstart, mend = batch.match_start, batch.match_end
        # Index into ``BatchCoder.label_texts``: the patterns, then the group labels.
        label = np.where(batch.label >= 0, batch.label, len(self._texts) - 1 - batch.label)
        if batch.fallback:
            # The Python coder's rows as arrays too, slotted in after the rows of the
            # answers before them (so no frame is concatenated and sorted).
            more = self._fallback_arrays(batch.fallback, texts, qids, rids, jobs)
            cols = [
                np.concatenate([a.astype(np.int64), b])
                for a, b in zip(
                    (ans, theme, start, end, mstart, mend, label, negated), more, strict=True
                )
            ]
            order = np.argsort(cols[0], kind="stable")
            ans, theme, start, end, mstart, mend, label, negated = (c[order] for c in cols)
        at = batch.answer_start[ans]
        quote = fastcode.spans_column(batch, at + start, at + end)
        matched = fastcode.spans_column(batch, at + mstart, at + mend)
        if jobs is not None:
            lo_of = np.fromiter((lo for _, _, lo, _ in jobs), np.int64, len(jobs))[ans]
            start, end, mstart, mend = start + lo_of, end + lo_of, mstart + lo_of, mend + lo_of
        # Text columns are Arrow strings built in compiled code and C++ (quotes are
        # gathered from the batch's code points): no Python string per row.
        n = len(ans)
        return pd.DataFrame(
            copy=False,
            data={
                "question_id": fastcode.take_column(qids, ans),
                "theme_id": fastcode.take_column(self._batch.theme_ids, theme),
                "start": start.astype(np.int64),
                "end": end.astype(np.int64),
                "quote": quote,
                "match_start": mstart.astype(np.int64),
                "match_end": mend.astype(np.int64),
                "matched_text": matched,
                "pattern": fastcode.take_column(self._batch.label_texts, label),
                "negated": negated.astype(bool),
                "method": fastcode.constant_column("dictionary", n),
                "source": fastcode.constant_column("auto", n),
                "respondent_id": fastcode.take_column(rids, ans),
            },
        )

    def _fallback_arrays(
        self,
        answers: list[int],
        texts: list[str],
        qids: list[str],
        rids: list[str],
        jobs: list[tuple[str, str, int, int]] | None,
    ) -> tuple[np.ndarray, ...]:
        """``_code``'s rows for ``answers`` of a compiled batch as int64 arrays like
        ``BatchRows``' (answer, theme, start, end, match start and end relative to the
        answer, label index, negated), for ``_batch_frame``."""
        theme_index = self._batch.theme_index
        label_index = self._batch.label_index
        out: list[tuple[int, ...]] = []
        for a in answers:
            job = jobs[a] if jobs is not None else (texts[a], qids[a], 0, len(texts[a]))
            lo = job[2]
            for row in self._fallback(job, rids, a):
                # Quotes are gathered from the batch's code points, which would take a
                # lone surrogate that Arrow refuses from a ``str``: refuse it too.
                row["quote"].encode("utf-8")
                out.append(
                    (
                        a,
                        theme_index[row["theme_id"]],
                        row["start"] - lo,
                        row["end"] - lo,
                        row["match_start"] - lo,
                        row["match_end"] - lo,
                        label_index[row["pattern"]],
                        row["negated"],
                    )
                )
        arr = np.array(out, np.int64).reshape(len(out), 8)
        return tuple(arr[:, k] for k in range(8))


def _code_row(
    text: str,
    question_id: str,
    theme_id: str,
    start: int,
    end: int,
    match_start: int,
    match_end: int,
    pattern: str,
    negated: bool,
) -> dict:
    """One code as a dict of CODES columns (without ``respondent_id``; automatic unless
    the caller replaces ``method`` and ``source``)."""
    return {
        "question_id": question_id,
        "theme_id": theme_id,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "match_start": match_start,
        "match_end": match_end,
        "matched_text": text[match_start:match_end],
        "pattern": pattern,
        "negated": negated,
        "method": "dictionary",
        "source": "auto",
    }


def _batches(
    rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """``(respondent_id, question_id, text)`` rows as lists of texts, question ids and
    respondent ids, about ``batch_chars`` characters at a time (so a stream is coded
    in constant memory)."""
    batch: list[tuple[str, str, str]] = []
    add = batch.append
    size = 0
    for row in rows:
        add(row)
        size += len(row[2])
        if size >= batch_chars:
            rids, qids, texts = zip(*batch, strict=True)
            yield list(texts), list(qids), list(rids)
            batch.clear()
            size = 0
    if batch:
        rids, qids, texts = zip(*batch, strict=True)
        yield list(texts), list(qids), list(rids)


_SENT_END_RE = re.compile(r"[.?!]\s*")
_PLAIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
_CLOSERS = frozenset(')]"\u201d')


def _stop_verdict(line: str, i: int, j: int) -> bool | None:
    """Punkt's decision for the stop ``line[i]`` followed by spaces and a word at ``j``.

    True: a boundary; False: not one; None: not clear-cut, let Punkt decide.
    """
    return _stop_verdict_at(line, 0, i, j)


def _stop_verdict_at(text: str, ls: int, i: int, j: int) -> bool | None:
    """``_stop_verdict`` for the line starting at ``ls`` in ``text``, without slicing it out."""
    if text[i] != ".":
        # '?' and '!' after a word are tokens of their own: always a boundary.
        return True if i > ls and text[i - 1].isalnum() else None
    if i > ls and text[i - 1] in _CLOSERS:
        return True  # '.' after a bracket or quote is a token of its own
    # The word before the stop, from the last space ('\t' etc. fail the match: Punkt decides).
    ws = max(text.rfind(" ", ls, i) + 1, ls)
    if _PLAIN_WORD_RE.fullmatch(text, ws, i):
        low = text[ws:i].lower()
        # A listed abbreviation is never a boundary with untrained parameters.
        return low not in ABBREVIATIONS and low.rsplit("-", 1)[-1] not in ABBREVIATIONS
    word = text[ws:i]
    low = word.lower()
    if low in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS:
        return False  # 'e.g.', 'i.e.': one Punkt token, a listed abbreviation
    if word.isdigit() and word.isascii():
        nxt = text[j]  # a number ends a sentence unless a lower-case word follows
        if nxt.islower():
            return False
        if nxt.isupper():
            return True
    return None


def line_pieces(text: str, ls: int, le: int) -> list[tuple[int, int, bool]]:
    """Split one line at its clear-cut sentence boundaries: ``(start, end, plain)`` pieces.

    With our default Punkt parameters (abbreviation list only, no training),
    Punkt decides each candidate boundary from the word with the stop and the
    next word alone. A '.', '?' or '!' followed by a space, after a plain word of
    two or more ASCII letters that is not a listed abbreviation, is always a
    boundary; one followed by a letter or digit ('10.5', 'org.uk') never is. A
    piece is ``plain`` when it holds no other candidate, so it is one sentence;
    other pieces (abbreviations, numbers, initials, quotes after the stop) must
    be split by Punkt, which gives the same answer on the piece as on the line
    because its decisions are local. Tests compare both on real text.
    """
    pieces: list[tuple[int, int, bool]] = []
    start, plain = ls, True
    line = text[ls:le]  # a slice, so a word at the line start has nothing before it
    n = len(line)
    for m in _SENT_END_RE.finditer(line):
        i, j = m.start(), m.end()  # the stop; the next non-space
        if j >= n:
            break  # the line's last stop, perhaps with trailing spaces
        if j == i + 1:
            if line[j].isalnum():
                continue  # '10.5', 'org.uk': never a boundary
            plain = False
            continue
        verdict = _stop_verdict(line, i, j)
        if verdict is None:
            plain = False
            continue
        if not verdict:
            continue
        pieces.append((start, ls + i + 1, plain))
        start, plain = ls + j, True
    pieces.append((start, le, plain))
    out = []
    for s, e, p in pieces:
        piece = text[s:e]
        s2 = s + len(piece) - len(piece.lstrip())
        e2 = e - (len(piece) - len(piece.rstrip()))
        if e2 > s2:
            out.append((s2, e2, p))
    return out


def line_sentence_spans(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """Exactly ``sentences.sentence_spans(text, ls, le)`` for one line, using Punkt only where needed."""
    spans: list[tuple[int, int]] = []
    for s, e, plain in line_pieces(text, ls, le):
        if plain:
            spans.append((s, e))
        else:
            spans.extend(sentence_spans(text, s, e))
    return spans


# How a candidate stop acts in ``line_pieces``: ends a piece, leaves it plain, or
# makes it unclear (Punkt must split it).
_BOUNDARY, _NEUTRAL, _UNCLEAR = 0, 1, 2


_DIGITS = 3  # a number before a '.': the next word's case decides
_WORD_KINDS: dict[str, int] = {}


def _word_kind(word: str) -> int:
    """``_stop_verdict``'s decision for a '.' after ``word`` (not after a bracket or quote).

    It depends on the word alone, except after a number (``_DIGITS``), so it is
    cached per word.
    """
    got = _WORD_KINDS.get(word)
    if got is None:
        if len(_WORD_KINDS) > _STEM_CACHE_MAX:
            _WORD_KINDS.clear()  # keep memory flat on endless streams
        if _PLAIN_WORD_RE.fullmatch(word):
            low = word.lower()
            abbrev = low in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS
            got = _NEUTRAL if abbrev else _BOUNDARY
        elif (low := word.lower()) in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS:
            got = _NEUTRAL  # 'e.g', 'i.e': Punkt's token 'e.g.' is a listed abbreviation
        elif word.isdigit() and word.isascii():
            got = _DIGITS
        else:
            got = _UNCLEAR
        _WORD_KINDS[word] = got
    return got


class _SentenceFinder:
    """Enclosing sentences for hits in one answer, exactly as ``line_pieces`` cuts them.

    A line is cut into pieces once, when the first hit in it is looked up: one
    regex pass over its stops, as ``line_pieces`` but without slicing the line
    out or trimming every piece; each hit then bisects the piece ends. Punkt runs
    only on the pieces that contain a hit and an unclear candidate boundary.
    ``last`` is the last sentence found (never a line fallback): consecutive hits
    often share it, so callers test it before calling ``find``.
    """

    __slots__ = ("text", "lo", "hi", "last", "_ls", "_le", "_starts", "_ends", "_plain", "_split")

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.text, self.lo, self.hi = text, lo, hi
        self.last = (0, 0)
        self._ls = self._le = -1
        # The line's pieces (untrimmed): starts, ends and whether each is plain.
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._plain: list[bool] = []
        self._split: dict[int, list[tuple[int, int]]] = {}

    def _cut(self, ls: int, le: int) -> None:
        """``line_pieces(text, ls, le)`` before trimming, in absolute offsets."""
        text = self.text
        starts, ends, plains = [ls], [], []
        plain = True
        word_kinds = _WORD_KINDS
        # The regex has no look-around, so this equals a finditer over the line cut out.
        for m in _SENT_END_RE.finditer(text, ls, le):
            i, j = m.span()  # the stop; the next non-space
            if j >= le:
                break  # the line's last stop, perhaps with trailing spaces
            # ``_stop_verdict_at`` as a kind, inlined with its per-word part cached.
            if j == i + 1:
                kind = _NEUTRAL if text[j].isalnum() else _UNCLEAR
            elif text[i] != ".":
                kind = _BOUNDARY if i > ls and text[i - 1].isalnum() else _UNCLEAR
            elif i > ls and text[i - 1] in _CLOSERS:
                kind = _BOUNDARY
            else:
                word = text[max(text.rfind(" ", ls, i) + 1, ls) : i]
                kind = word_kinds.get(word)  # ``_word_kind``'s cache, read inline
                if kind is None:
                    kind = _word_kind(word)
                if kind == _DIGITS:
                    nxt = text[j]
                    kind = _NEUTRAL if nxt.islower() else (_BOUNDARY if nxt.isupper() else _UNCLEAR)
            if kind == _BOUNDARY:
                ends.append(i + 1)
                plains.append(plain)
                starts.append(j)
                plain = True
            elif kind == _UNCLEAR:
                plain = False
        ends.append(le)
        plains.append(plain)
        self._starts, self._ends, self._plain = starts, ends, plains
        self._split = {}

    def find(self, pos: int) -> tuple[int, int]:
        """The sentence span containing ``pos`` (as ``sentences.enclosing_sentence``)."""
        text = self.text
        ls, le = self._ls, self._le
        if not ls <= pos < le:
            ls = self._ls = max(text.rfind("\n", self.lo, pos) + 1, self.lo)
            le = text.find("\n", pos, self.hi)
            le = self._le = self.hi if le == -1 else le
            self._cut(ls, le)
        k = bisect_right(self._ends, pos)  # the piece ending after pos
        s, e = self._starts[k], self._ends[k]
        # Trim surrounding spaces (only at the line's ends can there be any).
        if text[s].isspace() or text[e - 1].isspace():
            piece = text[s:e]
            s += len(piece) - len(piece.lstrip())
            e -= len(piece) - len(piece.rstrip())
        if e > s and s <= pos < e:
            if self._plain[k]:
                self.last = (s, e)
                return s, e
            spans = self._split.get(s)
            if spans is None:
                spans = self._split[s] = sentence_spans(text, s, e)
            for s2, e2 in spans:
                if s2 <= pos < e2:
                    self.last = (s2, e2)
                    return s2, e2
        return ls, le


def code_stream(
    rows: Iterable[tuple[str, str, str]], codebook: Codebook, batch_chars: int = BATCH_CHARS
) -> Iterator[dict]:
    """Module-level shortcut for ``Coder(codebook).code_stream(rows, batch_chars)``."""
    return Coder(codebook).code_stream(rows, batch_chars)


# --- answers -> codes -------------------------------------------------------------


def _skip_questions(codebook: Codebook, consultation: Consultation | None) -> set[str]:
    consultation = consultation or codebook.consultation
    skip = set(SKIP_QUESTIONS)
    if consultation is not None:
        skip |= {q.id for q in consultation.questions if q.kind == "profile"}
    return skip


def _codable(
    answers: pd.DataFrame, codebook: Codebook, consultation: Consultation | None
) -> pd.DataFrame:
    """The answers the codebook applies to (no preamble/closing/profile; some theme applies)."""
    skip = _skip_questions(codebook, consultation)
    qids = answers["question_id"].astype(str)
    keep = ~qids.isin(skip) & qids.map(lambda q: bool(codebook.themes_for(q))).astype(bool)
    return answers.loc[keep]


# Below this many codable answers ``code_answers`` codes in-process whatever
# ``workers`` says: starting processes and building a ``Coder`` in each (about
# a tenth of a second) and shipping texts and rows between processes cost more
# than they save on a few MB of text.
PARALLEL_MIN_ANSWERS = 2_000
# Coding this much text shows a progress bar (on a terminal or in a notebook), a step
# per slice; smaller runs take a few seconds at most and show none.
PROGRESS_MIN_CHARS = 5_000_000
PROGRESS_SLICE_CHARS = 4 * BATCH_CHARS
# Chunks per worker: several, so a worker that draws long answers does not hold
# up the others at the end; each chunk ships its own respondents' texts once.
_CHUNKS_PER_WORKER = 4

_worker_coder: Coder | None = None  # one per worker process, built by ``_init_worker``


def _init_worker(codebook: Codebook) -> None:
    """Process-pool initializer: compile the codebook once in this worker."""
    global _worker_coder
    _worker_coder = Coder(codebook)


def _code_chunk(
    jobs: list[tuple[str, str, int, int]], texts: dict[str, str]
) -> pd.DataFrame | None:
    """Code ``(respondent_id, question_id, start, end)`` answers in a worker: a CODES frame
    of their rows in order, or None when there are none.

    The frame is built and conformed here, in parallel: that is a fair share of the
    in-process cost, and a frame pickles back far faster than a list of dicts.
    ``conform`` casts column by column, so conformed chunks concatenate to exactly
    the frame conformed as a whole.
    """
    coder = _worker_coder
    if coder is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("code worker used without its initializer")
    frame = _code_jobs(coder, jobs, texts, progress=False)
    return schemas.conform(frame, schemas.CODES) if len(frame) else None


def _code_jobs(
    coder: Coder,
    jobs: list[tuple[str, str, int, int]],
    texts: dict[str, str],
    progress: bool = True,
) -> pd.DataFrame:
    """``Coder.code_jobs`` for ``(respondent_id, question_id, start, end)`` answers, with a
    progress bar when there are at least ``PROGRESS_MIN_CHARS`` characters to code
    (unless ``progress`` is False: a worker's share is shown by its parent)."""
    total = sum(end - start for _, _, start, end in jobs)
    shown = progress and total >= PROGRESS_MIN_CHARS
    if not shown:
        slices = [jobs]
    else:  # slices of about PROGRESS_SLICE_CHARS characters, each a step of the bar
        slices, first, size = [], 0, 0
        for k, (_, _, start, end) in enumerate(jobs):
            size += end - start
            if size >= PROGRESS_SLICE_CHARS or k == len(jobs) - 1:
                slices.append(jobs[first : k + 1])
                first, size = k + 1, 0
    frames = []
    with tqdm(
        total=total, desc="Coding answers", unit="char", unit_scale=True,
        disable=None if shown else True,
    ) as bar:  # fmt: skip
        for part in slices:
            frame = coder.code_jobs(
                [(texts[rid], qid, start, end) for rid, qid, start, end in part],
                [rid for rid, _, _, _ in part],
            )
            if len(frame):
                frames.append(frame)
            bar.update(sum(end - start for _, _, start, end in part))
    if not frames:
        return pd.DataFrame()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _check_workers(workers: object) -> int:
    """``workers`` as a process count (0 means ``os.cpu_count()``), or a ValueError."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(
            f"workers must be a whole number >= 0 (1: in this process, 0: one per CPU core), "
            f"got {workers!r}"
        )
    return (os.cpu_count() or 1) if workers == 0 else workers


def _split_by_respondent(
    jobs: list[tuple[str, str, int, int]], n_chunks: int
) -> list[list[tuple[str, str, int, int]]]:
    """``jobs`` cut into about ``n_chunks`` contiguous runs, only where the respondent changes."""
    size = max(1, -(-len(jobs) // n_chunks))
    out: list[list[tuple[str, str, int, int]]] = []
    begin = 0
    while begin < len(jobs):
        end = min(begin + size, len(jobs))
        while end < len(jobs) and jobs[end][0] == jobs[end - 1][0]:
            end += 1  # keep a respondent's answers together
        out.append(jobs[begin:end])
        begin = end
    return out


def _code_parallel(
    jobs: list[tuple[str, str, int, int]],
    texts: dict[str, str],
    codebook: Codebook,
    workers: int,
) -> pd.DataFrame | None:
    """``_code_chunk`` over contiguous chunks of ``jobs`` in ``workers`` processes: their
    frames concatenated in order (None if no rows)."""
    from concurrent.futures import ProcessPoolExecutor

    chunks = _split_by_respondent(jobs, workers * _CHUNKS_PER_WORKER)
    # Each chunk carries only the texts of its own respondents, not the whole frame.
    chunk_texts = [{rid: texts[rid] for rid, _, _, _ in chunk} for chunk in chunks]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)), initializer=_init_worker, initargs=(codebook,)
    ) as pool:
        # ``map`` yields in submission order, so the rows keep the answers' order.
        results = pool.map(_code_chunk, chunks, chunk_texts)
        total = sum(end - start for _, _, start, end in jobs)
        with tqdm(
            total=len(chunks), desc="Coding answers", unit="chunk",
            disable=True if total < PROGRESS_MIN_CHARS else None,
        ) as bar:  # fmt: skip
            parts = []
            for f in results:
                bar.update()
                if f is not None:
                    parts.append(f)
    return pd.concat(parts, ignore_index=True) if parts else None


def code_answers(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Code every answer (except preamble, closing and profile questions) with the codebook.

    Only themes that apply to an answer's question are used (``unstructured``
    answers: all). Profile questions are known from ``consultation`` (or the one
    the codebook was loaded with). Returns a CODES frame.

    ``workers`` > 1 codes contiguous chunks of respondents in that many processes
    (0: one per CPU core) when there are at least ``PARALLEL_MIN_ANSWERS``
    codable answers, else in this process; the result is identical either way.
    """
    n_workers = _check_workers(workers)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    jobs: list[tuple[str, str, int, int]] = []
    for a in _codable(answers, codebook, consultation).itertuples(index=False):
        rid = str(a.respondent_id)
        if rid not in texts:
            raise ValueError(f"answers: respondent {rid!r} is not in respondents; re-run ingest")
        jobs.append((rid, str(a.question_id), int(a.start), int(a.end)))
    if n_workers > 1 and len(jobs) >= PARALLEL_MIN_ANSWERS:
        parallel = _code_parallel(jobs, texts, codebook, n_workers)
        if parallel is None:
            return schemas.empty(schemas.CODES)
        codes = schemas.conform(parallel, schemas.CODES)
    else:
        coder = Coder(codebook)
        log.info("coding %d answers with the %s engine", len(jobs), coder.engine)
        frame = _code_jobs(coder, jobs, texts)
        if not len(frame):
            return schemas.empty(schemas.CODES)
        codes = schemas.conform(frame, schemas.CODES)
    log.info(
        "coded %d answers: %d code rows (%d negated), %d themes used",
        len(answers),
        len(codes),
        int(codes["negated"].sum()),
        codes["theme_id"].nunique(),
    )
    return codes


def uncoded(
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None = None,
) -> pd.DataFrame:
    """Answers the codebook applies to that received no non-negated code (UNCODED)."""
    codable = _codable(answers, codebook, consultation)
    counted = codes.loc[~codes["negated"].astype(bool), ["respondent_id", "question_id"]]
    done = set(
        zip(counted["respondent_id"].astype(str), counted["question_id"].astype(str), strict=True)
    )
    rows = [
        {
            "respondent_id": str(a.respondent_id),
            "question_id": str(a.question_id),
            "n_chars": len(str(a.answer_text)),
            "answer_text": str(a.answer_text),
        }
        for a in codable.itertuples(index=False)
        if (str(a.respondent_id), str(a.question_id)) not in done
    ]
    if not rows:
        return schemas.empty(schemas.UNCODED)
    out = schemas.conform(pd.DataFrame(rows), schemas.UNCODED)
    log.info("%d of %d codable answers have no theme", len(out), len(codable))
    return out


# --- manual overrides -------------------------------------------------------------

OVERRIDE_COLUMNS = ("respondent_id", "question_id", "theme_id", "action", "quote", "coder", "note")


class OverrideError(ConfigError):
    """The overrides CSV is invalid; the message names the file and line."""


def _find_quote(text: str, quote: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where ``quote`` occurs in text[lo:hi]: exact, else ignoring case, spacing and quote styles."""
    i = text.find(quote, lo, hi)
    if i >= 0:
        return i, i + len(quote)
    words = normalise_text(quote).split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(normalise_text(text[lo:hi]))
    return (lo + m.start(), lo + m.end()) if m else None


def apply_overrides(
    codes: pd.DataFrame,
    overrides_path: str | Path | None,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Apply a researcher's overrides CSV to automatic codes.

    ``add`` appends a manual code (anchored to ``quote`` in the answer, else the
    whole answer with a warning); ``remove`` drops the automatic rows for that
    answer and theme. Unknown respondents, questions (no such answer), themes
    (when ``codebook`` is given) and actions raise OverrideError naming the line.
    An absent or header-only file changes nothing.
    """
    if overrides_path is None or not Path(overrides_path).exists():
        if overrides_path is not None:
            log.info("no overrides file at %s: automatic codes kept as they are", overrides_path)
        return codes
    path = Path(overrides_path)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    spans = {
        (str(a.respondent_id), str(a.question_id)): (int(a.start), int(a.end))
        for a in answers.itertuples(index=False)
    }
    removes: list[tuple[int, tuple[str, str, str]]] = []
    adds: list[dict] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in OVERRIDE_COLUMNS[:4] if c not in header]
        if reader.fieldnames and missing:
            raise OverrideError(
                f"{path}, line 1: missing column(s) {missing}; expected {list(OVERRIDE_COLUMNS)}"
            )
        for row in reader:
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if not any(row.values()):
                continue
            where = f"{path}, line {reader.line_num}"
            rid, qid, tid = row["respondent_id"], row["question_id"], row["theme_id"]
            action = row["action"].lower()
            if action not in ("add", "remove"):
                raise OverrideError(
                    f"{where}: action must be 'add' or 'remove', got {row['action']!r}"
                )
            if rid not in texts:
                raise OverrideError(f"{where}: unknown respondent_id {rid!r}")
            if (rid, qid) not in spans:
                known = sorted(q for r, q in spans if r == rid)
                raise OverrideError(
                    f"{where}: respondent {rid!r} has no answer to question {qid!r}; answers: {known}"
                )
            if codebook is not None and tid not in codebook:
                raise OverrideError(
                    f"{where}: unknown theme_id {tid!r}; see the codebook's theme ids"
                )
            if not tid:
                raise OverrideError(f"{where}: theme_id is empty")
            if action == "remove":
                removes.append((reader.line_num, (rid, qid, tid)))
                continue
            text = texts[rid]
            a_lo, a_hi = spans[(rid, qid)]
            quote = row.get("quote", "")
            found = _find_quote(text, quote, a_lo, a_hi) if quote else None
            if found is None:
                # Whole answer, without surrounding whitespace.
                body = text[a_lo:a_hi]
                s = a_lo + len(body) - len(body.lstrip())
                e = a_hi - (len(body) - len(body.rstrip()))
                found = (s, max(e, s))
                if quote:
                    log.warning(
                        "%s: quote %r not found in the answer; the whole answer is the evidence",
                        where,
                        quote,
                    )
            s, e = found
            row = _code_row(text, qid, tid, s, e, s, e, "manual", False)
            adds.append({"respondent_id": rid, **row, "method": "manual", "source": "manual_add"})
    out = codes
    for line, (rid, qid, tid) in removes:
        mask = (
            (out["respondent_id"] == rid)
            & (out["question_id"] == qid)
            & (out["theme_id"] == tid)
            & (out["source"] == "auto")
        )
        n = int(mask.sum())
        if n:
            log.info(
                "%s, line %d: removed %d automatic %s code(s) from %s %s",
                path,
                line,
                n,
                tid,
                rid,
                qid,
            )
        else:
            log.warning(
                "%s, line %d: no automatic %s code in %s %s to remove", path, line, tid, rid, qid
            )
        out = out.loc[~mask]
    if adds:
        log.info("%s: added %d manual code(s)", path, len(adds))
        out = pd.concat(
            [out, schemas.conform(pd.DataFrame(adds), schemas.CODES)], ignore_index=True
        )
    return schemas.conform(out, schemas.CODES)


# --- the coding stage -------------------------------------------------------------


@dataclass
class CodingResult:
    """The coding stage's tables (also written to the processed folder)."""

    codes: pd.DataFrame
    stances: pd.DataFrame
    uncoded: pd.DataFrame
    suggestions: pd.DataFrame
    codebook: Codebook
    consultation: Consultation


def run_coding(
    processed_dir: str | Path,
    consultation_path: str | Path,
    codebook_path: str | Path,
    overrides_path: str | Path | None = None,
    workers: int = 1,
) -> CodingResult:
    """Code the ingested answers and write codes, stances, uncoded and suggestions parquet files.

    ``workers`` is passed to ``code_answers`` (processes for theme coding; 0: one per core).
    """
    from helpers import stance
    from helpers.coding import (
        suggest,  # other helpers' modules: imported late to keep this one light
    )

    processed_dir = Path(processed_dir)
    consultation = load_consultation(consultation_path)
    codebook = load_codebook(codebook_path, consultation=consultation)
    try:
        respondents = pd.read_parquet(processed_dir / "respondents.parquet")
        answers = pd.read_parquet(processed_dir / "answers.parquet")
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{processed_dir}: respondents.parquet/answers.parquet not found; run the ingest stage first"
        ) from exc
    codes = code_answers(answers, respondents, codebook, consultation, workers=workers)
    codes = apply_overrides(codes, overrides_path, answers, respondents, codebook)
    stances = stance.stance_answers(answers, respondents, consultation)
    missing = uncoded(answers, codes, codebook, consultation)
    suggestions = suggest.suggest_terms(answers, respondents, codes, consultation, codebook)
    codes.to_parquet(processed_dir / "codes.parquet", index=False)
    stances.to_parquet(processed_dir / "stances.parquet", index=False)
    missing.to_parquet(processed_dir / "uncoded.parquet", index=False)
    suggestions.to_parquet(processed_dir / "suggestions.parquet", index=False)
    log.info(
        "coding written to %s: %d codes, %d stances, %d uncoded answers, %d suggestions",
        processed_dir,
        len(codes),
        len(stances),
        len(missing),
        len(suggestions),
    )
    return CodingResult(codes, stances, missing, suggestions, codebook, consultation)
