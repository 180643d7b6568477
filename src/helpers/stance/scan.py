"""Stance's compiled first pass over a batch of answers (numba).

:mod:`helpers.stance.infer` reads an answer with regexes anchored at keywords. What
those regexes need from the whole answer is found here, in one compiled pass
per answer instead of several Python ones:

- the answer lower-cased (``str.lower`` character by character, keeping a
  character whose lower case is longer, as ``firstpass._lower`` does);
- the starts of cue keywords and of evaluative keywords that begin a word (the
  short evaluative ones must also end it), as ``firstpass._hits`` finds them;
- the sentence around each cue keyword, and the first sentences of the answer
  that sentiment reads, as ``sentences._sentence_at`` finds them (line breaks and
  runs of ``.!?`` bound a sentence; a lone period after a listed abbreviation
  or a single letter does not).

An answer with a character outside the Basic Multilingual Plane or a capital
sigma (whose lower case depends on its neighbours) is marked not ``ok`` and
left to the Python functions, which give the same results everywhere; the rest
of its batch is scanned as usual. Tests
compare the two on real, generated and fuzzed text.

The keywords and their numbers come from the reference's tables
(:mod:`helpers.stance.vocabulary`); nothing in the pure-Python reference
imports this module. Only :mod:`helpers.stance.infer` does, to choose it.

This module builds the tables and drives the batch; the numba kernels and the
constants they compile with are in :mod:`helpers.stance.scan_kernels` (split off in
session 21; the constants are re-exported here).
"""

from __future__ import annotations

import codecs
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from helpers.core.sentences import ABBREVIATIONS
from helpers.stance.scan_kernels import (  # noqa: F401 (re-exported)
    ALPHA,
    CUE,
    DOTLESS_I,
    EVAL,
    FIRST_CHARS,
    FIRST_SENTENCES,
    SENTENCE_LOOKBACK,
    SPACE,
    U1,
    WHOLE,
    WORD,
    _scan_batch,
    _sentence_at,
)
from helpers.stance.vocabulary import _CUE_KEYWORDS, _EVAL_KEYWORDS, _WHOLE_WORD

log = logging.getLogger(__name__)
_utf_16_le_decode = codecs.utf_16_le_decode  # decodes an array without a copy


def keyword_table(
    cue: frozenset[str], evaluative: frozenset[str], whole: frozenset[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(first, lens, chars, flags)``: the keywords sorted and grouped by their first two letters.

    Keywords starting with letters ``c0 c1`` (0-25) are ``first[b]:first[b + 1]``
    with ``b = 26 * c0 + c1``; a word in both sets is one entry with both flags.
    """
    words = sorted(cue | evaluative)
    if any(len(w) < 2 or not ("a" <= w[0] <= "z" and "a" <= w[1] <= "z") for w in words):
        raise ValueError("stance keywords must start with two letters a-z")
    buckets = [26 * (ord(w[0]) - 97) + ord(w[1]) - 97 for w in words]
    first = np.searchsorted(buckets, np.arange(26 * 26 + 1)).astype(np.int64)
    lens = np.array([len(w) for w in words], dtype=np.int64)
    chars = np.zeros((len(words), int(lens.max())), dtype=np.uint16)
    flags = np.zeros(len(words), dtype=np.uint8)
    for j, w in enumerate(words):
        chars[j, : len(w)] = [ord(c) for c in w]
        flags[j] = (CUE if w in cue else 0) | (EVAL if w in evaluative else 0)
        flags[j] |= WHOLE if w in whole else 0
    return first, lens, chars, flags


def abbreviation_table(abbreviations: frozenset[str] | set[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(chars, lens)`` of the abbreviations (lower case, at most 20 characters)."""
    words = sorted(a for a in abbreviations if len(a) <= 20)
    lens = np.array([len(w) for w in words], dtype=np.int64)
    chars = np.zeros((len(words), max(1, int(lens.max()) if len(words) else 1)), dtype=np.uint16)
    for j, w in enumerate(words):
        chars[j, : len(w)] = [ord(c) for c in w]
    return chars, lens


def unit_tables() -> tuple[np.ndarray, np.ndarray]:
    """For each UTF-16 code unit: its lower case as ``firstpass._lower`` makes it, and its classes.

    One ``str.lower`` over all units at once (10x faster than unit by unit): no
    unit's lower case leaves the BMP, only "İ" lengthens (and is kept, as
    ``firstpass._lower`` keeps it) and the capital sigma, the one lower case that
    reads its neighbours, stands between two capitals here, so gets its usual "σ".
    """
    units = "".join(map(chr, range(65536)))
    lowered = units[:DOTLESS_I].lower() + chr(DOTLESS_I) + units[DOTLESS_I + 1 :].lower()
    lower = np.frombuffer(lowered.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    chars = np.array(list(units))
    cls = np.char.isalpha(chars).astype(np.uint8) * ALPHA
    cls |= (np.char.isalnum(chars) * WORD).astype(np.uint8)
    cls |= (np.char.isspace(chars) * SPACE).astype(np.uint8)
    cls[ord("_")] |= WORD
    return lower, cls


@dataclass
class BatchScan:
    """What :func:`scan` found in a batch of answers (offsets relative to each answer)."""

    low: str  # the answers lower-cased and joined (valid where ``ok``)
    lo: list[int]  # answer a is low[lo[a]:hi[a]]
    hi: list[int]
    ok: list[bool]  # False (a capital sigma, or beyond the BMP): left to the Python functions
    yesno: list[bool]  # False: the answer does not open with "yes"/"no"
    cue: list[int]  # cue keyword starts of answer a: cue[a_cue[a]:a_cue[a + 1]]
    cue_kw: list[int]  # which keyword each is (its number in ``vocabulary.keywords()``)
    cue_s: list[int]  # and the sentence around each
    cue_e: list[int]
    a_cue: list[int]
    ev: list[int]  # evaluative keyword starts: ev[a_ev[a]:a_ev[a + 1]]
    a_ev: list[int]
    first_s: list[int]  # the first sentences sentiment reads: answer a's j-th is
    first_e: list[int]  # [first_s[k], first_e[k]) for k = FIRST_SENTENCES * a + j, or -1

    def first(self, a: int) -> list[tuple[int, int]]:
        """The first sentences of answer ``a`` that sentiment reads."""
        k = FIRST_SENTENCES * a
        fs, fe = self.first_s[k : k + FIRST_SENTENCES], self.first_e[k : k + FIRST_SENTENCES]
        return [(s, e) for s, e in zip(fs, fe, strict=True) if s >= 0]


@lru_cache(maxsize=1)
def _kernels():
    """``(lower, cls)`` with the kernels compiled, or None if numba cannot compile them."""
    try:
        lower, cls = unit_tables()
        _run(lower, cls, ["We agree. E.g. this.\nYes"])  # compile (or load) now
    except Exception as e:  # any compiler failure: stance's Python path gives the same results
        log.warning("stance: compiled scan unavailable (%s); using the Python path", e)
        return None
    return lower, cls


def _tables():
    return (
        keyword_table(_CUE_KEYWORDS, _EVAL_KEYWORDS, _WHOLE_WORD),
        abbreviation_table(ABBREVIATIONS),
    )


_TABLES: tuple | None = None


_local = threading.local()
_SCRATCH_MAX = 1 << 23  # items (characters of a batch)


def _scratch(name: str, n: int, dtype) -> np.ndarray:
    """A reusable array of at least ``n`` items for this thread: fresh memory for every
    batch would cost a page fault per 4 KB written, as much as the scan itself."""
    arr = getattr(_local, name, None)
    if arr is None or arr.shape[0] < n:
        arr = np.empty(max(n, 1 << 16), dtype=dtype)
        if n <= _SCRATCH_MAX:  # a rare huge batch is not kept
            setattr(_local, name, arr)
    return arr


def _run(lower, cls, texts: list[str]) -> BatchScan | None:
    global _TABLES
    if _TABLES is None:
        _TABLES = _tables()
    (kw_first, kw_lens, kw_chars, kw_flags), (abbr, abbr_len) = _TABLES
    big = "".join(texts)
    raw = big.encode("utf-16-le", "surrogatepass")
    astral: list[int] = []
    if len(raw) != 2 * len(big):
        # A character beyond the BMP takes two units: its answer is left to the Python
        # functions and the rest of the batch is scanned without it.
        astral = [a for a, t in enumerate(texts) if not t.isascii() and max(t) > "\uffff"]
        texts = list(texts)
        for a in astral:
            texts[a] = ""
        big = "".join(texts)
        raw = big.encode("utf-16-le", "surrogatepass")
    units = np.frombuffer(raw, dtype=np.uint16)
    n_ans = len(texts)
    lens = np.fromiter(map(len, texts), np.int64, n_ans)
    a_hi = np.cumsum(lens)
    a_lo = a_hi - lens
    n = len(big)
    low = _scratch("low", n, np.uint16)
    cue, cue_kw, cue_s, cue_e, ev, evt = (
        _scratch(k, n, np.int64) for k in ("cue", "cue_kw", "cue_s", "cue_e", "ev", "evt")
    )
    a_cue = np.empty(n_ans + 1, dtype=np.int64)
    a_ev = np.empty(n_ans + 1, dtype=np.int64)
    first_s = np.empty((n_ans, FIRST_SENTENCES), dtype=np.int64)
    first_e = np.empty((n_ans, FIRST_SENTENCES), dtype=np.int64)
    a_ok = np.empty(n_ans, dtype=np.bool_)
    a_yn = np.zeros(n_ans, dtype=np.bool_)
    _scan_batch(
        units, a_lo, a_hi, lower, cls, kw_first, kw_lens, kw_chars, kw_flags, abbr, abbr_len,
        low, cue, cue_kw, cue_s, cue_e, a_cue, ev, a_ev, first_s, first_e, a_ok, a_yn, evt,
    )  # fmt: skip
    a_ok[astral] = False
    ok = a_ok.tolist()
    if not all(ok):
        # Unfinished answers hold whatever was there: fill them with their own
        # units so the batch decodes (surrogates would not); never read.
        for a in np.flatnonzero(~a_ok).tolist():
            low[a_lo[a] : a_hi[a]] = units[a_lo[a] : a_hi[a]]
    low_text = big.lower() if big.isascii() else _utf_16_le_decode(low[:n], "surrogatepass")[0]
    nc, ne = int(a_cue[-1]), int(a_ev[-1])
    return BatchScan(
        low_text,
        a_lo.tolist(),
        a_hi.tolist(),
        ok,
        a_yn.tolist(),
        cue[:nc].tolist(),
        cue_kw[:nc].tolist(),
        cue_s[:nc].tolist(),
        cue_e[:nc].tolist(),
        a_cue.tolist(),
        ev[:ne].tolist(),
        a_ev.tolist(),
        first_s.ravel().tolist(),
        first_e.ravel().tolist(),
    )


def scan(texts: list[str]) -> BatchScan | None:
    """The compiled pass over ``texts``, or None without numba: the caller then reads each
    answer with the Python functions, as it does the answers that are not ``ok``."""
    k = _kernels()
    if k is None:
        return None
    return _run(*k, texts)


def sentence_at(text: str, pos: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The compiled sentence finder on lower-cased ``text`` (for tests), or None without numba."""
    k = _kernels()
    if k is None:
        return None
    raw = text.encode("utf-16-le", "surrogatepass")
    if len(raw) != 2 * len(text):
        return None
    _, cls = k
    (_, (abbr, abbr_len)) = _TABLES
    return _sentence_at(np.frombuffer(raw, dtype=np.uint16), cls, pos, lo, hi, abbr, abbr_len)
