"""Batch coding with the compiled kernels: the rows ``Coder`` makes, faster.

``BatchCoder`` compiles a ``Coder``'s tables (``helpers.coding.tables``) into
arrays once and keeps a vocabulary (token hash -> stem and anchor candidates)
that grows as new words are seen. ``code_batch`` codes many answers at a time
(``tokenize``, then ``match``); answers the kernels do not reproduce exactly
(see the package docstring) are coded by the reference's ``_code`` (``rows``),
so the result is always the Python coder's, row for row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.coding.codebook import APOSTROPHES, HYPHENS
from helpers.coding.engine import rows as batch_rows
from helpers.coding.engine.chars import (
    FALLBACK,
    char_entries,
    char_tables,
    fnv,
    hash_set,
    table_insert,
)
from helpers.coding.engine.match import match
from helpers.coding.engine.tokenize import relookup, tokenize
from helpers.coding.negation import _CLAUSE_WORDS, _NO_NEGATES_BEFORE, NEGATION_EXCEPTIONS, NEGATORS
from helpers.coding.patterns import StemFilter, stem
from helpers.core.sentences import ABBREVIATIONS

log = logging.getLogger(__name__)

VOCAB_MAX = 1_000_000  # entries before the vocabulary starts afresh (keeps memory flat)
MAX_TERMS = 8  # co-occurrence terms per group the kernel tracks
_TABLES: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``chars.char_tables`` and their ``chars.char_entries``, built once."""
    global _TABLES
    if _TABLES is None:
        norm, flags = char_tables(HYPHENS, APOSTROPHES)
        _TABLES = norm, flags, char_entries(norm, flags)
    return _TABLES


class _Grow:
    """An int32 array that grows by doubling."""

    def __init__(self, n: int = 1024) -> None:
        self.arr = np.zeros(n, dtype=np.int32)
        self.n = 0

    def extend(self, values: Sequence[int]) -> None:
        need = self.n + len(values)
        if need > len(self.arr):
            new = np.zeros(max(need, 2 * len(self.arr)), dtype=np.int32)
            new[: self.n] = self.arr[: self.n]
            self.arr = new
        self.arr[self.n : need] = values
        self.n = need


def unsupported(coder) -> str | None:
    """Why ``coder``'s codebook cannot use the kernels (then it is coded in Python), or None."""
    if not coder._has_keys:
        return "the codebook has no patterns"
    if not coder._scan_negators:
        return "a negator word is also a pattern's anchor"
    for key, (_, kid) in coder._automaton.items():
        if kid >= 0 and not all(ch.isalnum() for ch in key):
            return f"anchor {key!r} has a character that is not a letter or digit"
    for t in coder.themes:
        for group in t.cooccur:
            if len(group) > MAX_TERMS:
                return f"theme {t.id!r} has a co-occurrence group of over {MAX_TERMS} terms"
    return None


class BatchCoder:
    """A ``Coder``'s codebook as kernel arrays, plus the growing vocabulary."""

    def __init__(self, coder) -> None:
        why = unsupported(coder)
        if why:
            raise ValueError(f"the compiled coder cannot code this codebook: {why}")
        self.coder = coder
        self._stem = stem
        self.norm_tab, self.flags, self.char_tab = _tables()
        pats = coder._patterns
        self.patterns = [p.text for p in pats]
        # Keys: the anchor prefixes, each with its patterns in automaton order.
        self._key_index = {k: v[1] for k, v in coder._automaton.items() if v[1] >= 0}
        self._key_pids = coder._key_pids
        self._max_key = max(len(k) for k in self._key_index)
        # The lengths a key has, shortest first: a new token's prefixes of other lengths
        # are no key, so ``_candidates`` looks up only these.
        self._key_lens = tuple(sorted({len(k) for k in self._key_index}))
        # Every opening of every key: once a token's opening is none of these, no longer
        # opening of it is a key either (session 14: most new words stop at 2-3 letters).
        self._key_prefixes = frozenset(k[:n] for k in self._key_index for n in range(1, len(k)))
        # Phrase words around each anchor, outwards.
        self._stem_ids: dict[str, int] = {}
        kinds, stems, clo, chi, chars = [], [], [], [], []
        a_lo, a_hi, b_lo, b_hi = [], [], [], []

        def word(kind: int, value: str) -> None:
            kinds.append(kind)
            stems.append(self._stem_ids.setdefault(value, len(self._stem_ids)) if kind == 0 else -1)
            clo.append(len(chars))
            chars.extend(ord(c) for c in value)
            chi.append(len(chars))

        for after, before in coder._sides:
            a_lo.append(len(kinds))
            for kind, value in after:
                word(kind, value)
            a_hi.append(len(kinds))
            b_lo.append(len(kinds))
            for kind, value in before:
                word(kind, value)
            b_hi.append(len(kinds))
        i32 = np.int32
        self.p_after_lo, self.p_after_hi = np.array(a_lo, i32), np.array(a_hi, i32)
        self.p_before_lo, self.p_before_hi = np.array(b_lo, i32), np.array(b_hi, i32)
        self.pw_kind = np.array(kinds, np.int8)
        self.pw_stem = np.array(stems, i32)
        self._stem_filter = StemFilter(self._stem_ids)
        self.pw_clo, self.pw_chi = np.array(clo, i32), np.array(chi, i32)
        self.w_chars = np.array(chars or [0], np.uint32)
        # Co-occurrence groups: sizes and labels.
        n_groups = max([len(t.cooccur) for t in coder.themes] + [1])
        self.cg_size = np.zeros((len(coder.themes), n_groups), i32)
        self.cg_label = np.zeros((len(coder.themes), n_groups), i32)
        self.labels: list[str] = []
        for ti, t in enumerate(coder.themes):
            for gi, group in enumerate(t.cooccur):
                self.cg_size[ti, gi] = len(group)
                self.cg_label[ti, gi] = len(self.labels)
                self.labels.append(" + ".join(group))
        # Row texts as Arrow arrays for ``take_column``, built once, and their indices.
        label_texts = self.patterns + self.labels
        self.label_texts = pa.array(label_texts, pa.large_string())
        self.label_index = {t: i for i, t in enumerate(label_texts)}
        self.theme_ids = pa.array(coder._theme_ids, pa.large_string())
        self.theme_index = {t: i for i, t in enumerate(coder._theme_ids)}
        # Negation word lists.
        self._negator_words = frozenset(NEGATORS | {"no"})
        neg_words = [*sorted(self._negator_words), "n't"]
        nchars, nlo, nhi = [], [], []
        for w in neg_words:
            nlo.append(len(nchars))
            nchars.extend(ord(c) for c in w)
            nhi.append(len(nchars))
        self.neg_chars = np.array(nchars, np.uint32)
        self.neg_lo, self.neg_hi = np.array(nlo, i32), np.array(nhi, i32)
        rows = [
            hash_set(NEGATORS),
            hash_set(_NO_NEGATES_BEFORE),
            hash_set(_CLAUSE_WORDS),
            hash_set(NEGATION_EXCEPTIONS),
            np.array([fnv(w) for w in ("no", "to", "mention", "not", "or", "if")], np.uint64),
        ]
        width = max(len(r) for r in rows)
        self.neg_sets = np.full((len(rows), width), np.iinfo(np.uint64).max, np.uint64)
        for i, r in enumerate(rows):
            self.neg_sets[i, : len(r)] = r
        self.abbr = hash_set(ABBREVIATIONS)
        self.abbr_max = max(len(a) for a in ABBREVIATIONS)
        # Targets per set of applicable themes.
        self._sets: dict[frozenset[int], int] = {}
        self._qsets: dict[str, int] = {}  # question id -> set index (-1: no theme applies)
        self._scratch: dict[tuple[str, str], np.ndarray] = {}
        self._set_targets: list[list[tuple]] = []
        self.t_lo = self.t_hi = np.zeros((0, len(pats)), i32)
        self.tg_theme = self.tg_excl = self.tg_group = self.tg_term = np.zeros(0, i32)
        self._reset_vocab()

    # --- vocabulary -----------------------------------------------------------------

    def _reset_vocab(self) -> None:
        self._keys = np.zeros(1 << 16, np.uint64)
        self._vals = np.full(1 << 16, -1, np.int32)
        self._n_vocab = 0
        self._v_stem = _Grow()
        self._v_neg = _Grow()  # 1: a negator word, 2: has an apostrophe (check its hints)
        self._v_cand_lo = _Grow()
        self._v_cand_hi = _Grow()
        self._cand = _Grow()

    def _candidates(self, token: str) -> list[int]:
        """``Coder._anchor_candidates`` for every key the token starts with, shortest first."""
        out: list[int] = []
        key_index, patterns, prefixes = self._key_index, self.coder._patterns, self._key_prefixes
        for n in self._key_lens:
            if n > len(token):
                break
            head = token[:n]
            kid = key_index.get(head)
            if kid is None:
                if head not in prefixes:
                    break
                continue
            for pid in self._key_pids[kid]:
                p = patterns[pid]
                if p.words[p.anchor].matches(token):
                    out.append(pid)
        return out

    def _learn(self, tokens: list[str], hashes: np.ndarray) -> None:
        """Add new tokens (with their FNV hashes) to the vocabulary."""
        n0 = self._n_vocab
        stems, negs, lo, hi = [], [], [], []
        negators = self._negator_words
        may_stem_to, stem_ids = self._stem_filter.may_stem_to, self._stem_ids
        for tok in tokens:
            negs.append(1 if tok in negators else (2 if "'" in tok else 0))
            cands = self._candidates(tok)
            lo.append(self._cand.n)
            self._cand.extend(cands)
            hi.append(self._cand.n)
            # Only a phrase word's stem matters; most words cannot stem to one (StemFilter).
            stems.append(stem_ids.get(self._stem(tok), -1) if may_stem_to(tok) else -1)
        self._v_stem.extend(stems)
        self._v_neg.extend(negs)
        self._v_cand_lo.extend(lo)
        self._v_cand_hi.extend(hi)
        self._n_vocab += len(tokens)
        if 2 * self._n_vocab > len(self._keys):
            cap = len(self._keys)
            while 2 * self._n_vocab > cap:
                cap *= 2
            old_keys, old_vals = self._keys, self._vals
            used = old_keys != 0
            self._keys = np.zeros(cap, np.uint64)
            self._vals = np.full(cap, -1, np.int32)
            table_insert(self._keys, self._vals, old_keys[used], old_vals[used])
        ids = np.arange(n0, self._n_vocab, dtype=np.int32)
        table_insert(self._keys, self._vals, hashes.astype(np.uint64), ids)

    # --- targets ----------------------------------------------------------------------

    def _set_index(self, question_id: str) -> int:
        """The index of the set of themes that apply to ``question_id`` (-1: none)."""
        applies = self.coder.applicable(question_id)
        if not applies:
            got = -1
        else:
            got = self._sets.get(applies)
            if got is None:
                got = self._sets[applies] = len(self._sets)
                self._set_targets.append(list(self.coder._usable_patterns(applies)))
                self._build_targets()
        self._qsets[question_id] = got
        return got

    def _build_targets(self) -> None:
        n_p = len(self.patterns)
        t_lo = np.zeros((len(self._set_targets), n_p), np.int32)
        t_hi = np.zeros((len(self._set_targets), n_p), np.int32)
        theme, excl, group, term = [], [], [], []
        for a, usable in enumerate(self._set_targets):
            for pid, targets in enumerate(usable):
                t_lo[a, pid] = len(theme)
                for th, ex, g, tm in targets:
                    theme.append(th)
                    excl.append(1 if ex else 0)
                    group.append(g)
                    term.append(tm)
                t_hi[a, pid] = len(theme)
        i32 = np.int32
        self.t_lo, self.t_hi = t_lo, t_hi
        self.tg_theme = np.array(theme or [0], i32)
        self.tg_excl = np.array(excl or [0], np.int8)
        self.tg_group = np.array(group or [0], i32)
        self.tg_term = np.array(term or [0], i32)

    # --- coding -------------------------------------------------------------------------

    def _buf(self, name: str, shape: int | tuple[int, int], dtype) -> np.ndarray:
        """Scratch array ``name`` of at least ``shape``, reused across batches: fresh
        memory costs a page fault per 4 KB, as much as the tokenizer's work."""
        rows = shape if isinstance(shape, int) else shape[0]
        key = (name, np.dtype(dtype).str)  # one per width: batches alternate 1, 2 and 4 bytes
        arr = self._scratch.get(key)
        if arr is None or arr.shape[0] < rows:
            size = max(rows, int(1.25 * (0 if arr is None else arr.shape[0])))
            full = (size,) if isinstance(shape, int) else (size, shape[1])
            arr = self._scratch[key] = np.empty(full, dtype)
        return arr

    def code_batch(self, texts: Sequence[str], question_ids: Sequence[str]) -> batch_rows.BatchRows:
        """Code answers ``texts[i]`` to ``question_ids[i]``: their rows as ``BatchRows``."""
        n_ans = len(texts)
        big = "".join(texts)
        if big.isascii():
            arr = np.frombuffer(big.encode("ascii"), np.uint8)
            codec = "ascii"
        else:
            raw = big.encode("utf-16-le", "surrogatepass")
            if len(raw) == 2 * len(big):
                arr, codec = np.frombuffer(raw, np.uint16), "utf-16-le"
            else:  # characters beyond the BMP: one array item per code point
                arr = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), np.uint32)
                codec = "utf-32-le"
        lens = np.fromiter(map(len, texts), np.int64, n_ans)
        a_hi = np.cumsum(lens)
        a_lo = a_hi - lens
        sets = self._qsets
        a_set = np.fromiter(
            (sets[q] if q in sets else self._set_index(q) for q in question_ids), np.int32, n_ans
        )
        a_flag = np.zeros(n_ans, np.int8)
        a_tok = np.zeros(n_ans + 1, np.int64)
        if self._n_vocab > VOCAB_MAX:
            self._reset_vocab()
        cap = len(arr) // 2 + 2  # at most one token per two characters
        norm = self._buf("norm", len(arr), arr.dtype)
        tok_s = self._buf("tok_s", cap, np.int64)
        tok_e = self._buf("tok_e", cap, np.int64)
        tok_h = self._buf("tok_h", cap, np.uint64)
        tok_id = self._buf("tok_id", cap, np.int32)
        ev = self._buf("ev", len(arr), np.int64)
        a_ev = np.zeros(n_ans + 1, np.int64)
        nt = tokenize(
            arr, a_lo, a_hi, self.char_tab, self._keys, self._vals,
            norm, tok_s, tok_e, tok_h, tok_id, a_tok, a_flag, ev, a_ev,
        )  # fmt: skip
        unknown = np.flatnonzero(tok_id[:nt] < 0)
        if len(unknown):
            hashes, first = np.unique(tok_h[unknown], return_index=True)
            pos = unknown[first]
            words = [
                norm[s:e].tobytes().decode(codec, "surrogatepass")
                for s, e in zip(tok_s[pos].tolist(), tok_e[pos].tolist(), strict=True)
            ]
            self._learn(words, hashes)
            relookup(tok_h, tok_id, nt, self._keys, self._vals)
        most = int(np.diff(a_tok).max()) if n_ans else 0
        scratch = max(256, 8 * most)
        longest = int(lens.max()) if n_ans else 0
        pieces = longest // 2 + 4
        rows = max(1024, nt // 4)
        while True:
            out = [self._buf(f"out{k}", rows, np.int32) for k in range(8)]
            nr = match(
                arr, norm, self.flags, self.norm_tab,
                a_lo, a_hi, a_set, a_flag, a_tok, ev, a_ev,
                tok_s, tok_e, tok_id,
                self._v_stem.arr, self._v_neg.arr,
                self._v_cand_lo.arr, self._v_cand_hi.arr, self._cand.arr,
                self.p_after_lo, self.p_after_hi, self.p_before_lo, self.p_before_hi,
                self.pw_kind, self.pw_stem, self.pw_clo, self.pw_chi, self.w_chars,
                self.t_lo, self.t_hi, self.tg_theme, self.tg_excl, self.tg_group, self.tg_term,
                self.cg_size, self.cg_label,
                self.neg_chars, self.neg_lo, self.neg_hi, self.neg_sets,
                self.coder.negation_window, self.abbr, self.abbr_max,
                self._buf("inc", (scratch, 6), np.int32),
                self._buf("exc", (scratch, 3), np.int32),
                self._buf("best", (scratch, 7), np.int32),
                self._buf("cooc", (scratch, 3 + 7 * MAX_TERMS), np.int32),
                self._buf("pc_s", pieces, np.int32),
                self._buf("pc_e", pieces, np.int32),
                self._buf("pc_plain", pieces, np.bool_),
                self._buf("ts", 64, np.int64),
                self._buf("te", 64, np.int64),
                self._buf("th", 64, np.uint64),
                self._buf("hs", scratch, np.int64),
                self._buf("he", scratch, np.int64),
                *out,
            )  # fmt: skip
            if nr >= 0:
                break
            rows *= 2
        fallback = np.flatnonzero(a_flag & FALLBACK).tolist()
        # Copies: the scratch arrays are overwritten by the next batch.
        return batch_rows.BatchRows(
            *(o[:nr].copy() for o in out),
            fallback=fallback,
            answer_start=a_lo,
            codes=arr,
        )

    # --- rows -----------------------------------------------------------------------

    def code_rows(self, jobs: list[tuple[str, str, int, int]], rids) -> Iterator[dict]:
        """``(text, question_id, lo, hi)`` jobs coded as the reference's dicts, in order
        (``rids``: each job's respondent id, or ``evidence._UNSET`` for none)."""
        return batch_rows.code_rows(self, jobs, rids)

    def code_frame(
        self,
        texts: list[str],
        qids: list[str],
        rids: list[str],
        jobs: list[tuple[str, str, int, int]] | None = None,
    ) -> pd.DataFrame:
        """Answers ``texts`` coded as one frame of CODES columns (``rows.code_frame``)."""
        return batch_rows.code_frame(self, texts, qids, rids, jobs)
