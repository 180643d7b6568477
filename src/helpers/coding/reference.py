"""The pure-Python coder: the reference the compiled engine must reproduce row for row.

Design: the text is never tokenised as a whole. One Aho-Corasick automaton
(``tables``), keyed on one anchor word of every pattern (the prefix all its
forms share, or a wildcard's prefix), scans a case-folded,
hyphen/apostrophe-normalised copy of the text that has exactly the same length
as the original, so every offset is valid in both (the same pass finds the
negator words). Only at automaton hits do we check word boundaries, stem the
whole token and read the neighbouring words of a phrase (``phrases``); the
verified hits become rows in ``evidence`` (negation look-back, enclosing
sentence, best match per theme and sentence).

It is also the fallback for the answers and codebooks the compiled engine
hands back, so it never imports that engine.
"""

from __future__ import annotations

from typing import Any

from helpers.coding.codebook import Codebook
from helpers.coding.evidence import _UNSET, _evidence
from helpers.coding.negation import NEGATION_WINDOW
from helpers.coding.patterns import _EXACT, _STEM, _TOKEN_RE, normalise_text
from helpers.coding.phrases import _GAP_CHARS, _first_letters, _next_word, _phrase_edge, _prev_word
from helpers.coding.tables import CodebookTables
from helpers.core.stemming import CACHE_MAX


class ReferenceCoder(CodebookTables):
    """The codebook's tables plus the Python matcher's caches: ``_code`` codes one answer."""

    def __init__(self, codebook: Codebook, negation_window: int = NEGATION_WINDOW) -> None:
        super().__init__(codebook, negation_window)
        # (key index, token) -> patterns whose anchor word matches the token.
        self._anchor_cache: dict[tuple[int, str], tuple[int, ...]] = {}
        # Per set of applicable themes, per key index: token -> the candidates a hit
        # must verify, prepared once (see ``_hit_candidates``). Most hits repeat a
        # (key, token) pair already seen, so the hot loop is one dict lookup.
        self._hit_cache: dict[frozenset[int], list[dict[str, tuple]]] = {}

    def _anchor_candidates(self, key_id: int, token: str) -> tuple[int, ...]:
        """Patterns keyed on ``key_id`` whose anchor word matches ``token`` (cached, bounded)."""
        if len(self._anchor_cache) > CACHE_MAX:
            self._anchor_cache.clear()
        pids = tuple(
            pid
            for pid in self._key_pids[key_id]
            if self._patterns[pid].words[self._patterns[pid].anchor].matches(token)
        )
        self._anchor_cache[(key_id, token)] = pids
        return pids

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
        if len(cache) > CACHE_MAX:
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

    def _code(
        self, text: str, question_id: str, lo: int, hi: int | None, respondent_id: Any
    ) -> list[dict]:
        """Code ``text[lo:hi]`` (one answer) as ``Coder.code_text`` does, in pure Python;
        unless ``respondent_id`` is ``_UNSET``, the rows end with that column (built in one
        go: cheaper than adding it to every row afterwards)."""
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
        # Where ``negation._NEGATOR_HINT_RE`` matches in ``norm``, in order (they never overlap).
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
                    # after the last space before it). Unlike ``nxt`` above, ``prv``
                    # is not set to None on this shortcut: a phrase found through the
                    # word after ("hold councils to account" by "to") still reads the
                    # word before, which exists even when it starts no indexed phrase.
                    if (
                        ms > 1
                        and norm[ms - 1] == " "
                        and norm[ms - 2].isalnum()
                        and norm[(k := norm.rfind(" ", 0, ms - 1) + 1)].isalnum()
                        and not norm.startswith(before_starts, k)
                    ):
                        before_word = None
                    else:
                        before_word = prv = _prev_word(norm, ms)
                    if before_word is not None:
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
        return _evidence(
            self, text, norm, lo, hi, question_id, includes, excludes, negs, respondent_id
        )
