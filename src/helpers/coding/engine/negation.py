"""Negation in compiled code: the negator hints of an answer and ``negation.negated``'s look-back.

The word lists are the reference's (``helpers.coding.negation``), as sorted
hash arrays built by ``fastcode.BatchCoder``; the rules are the same, read
over the normalised code points instead of a string.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from helpers.coding.engine.chars import FNV_OFFSET, FNV_PRIME, _isal, _isword, _member


@njit(cache=True, nogil=True)
def _token_hash(norm, flags, s, hi):
    """``(end, hash)`` of the ``patterns._TOKEN_RE`` token matched at ``s`` (bounded by ``hi``)."""
    p = s
    h = FNV_OFFSET
    while True:
        while p < hi and _isal(flags, norm[p]):
            h = (h ^ np.uint64(norm[p])) * FNV_PRIME
            p += 1
        if p + 1 < hi and p > s and norm[p] == 0x27 and _isal(flags, norm[p + 1]):
            h = (h ^ np.uint64(0x27)) * FNV_PRIME
            p += 1
            continue
        break
    if h == 0:
        h = np.uint64(1)
    return p, h


@njit(cache=True, nogil=True)
def _hint_at(norm, flags, base, n, p, neg_chars, neg_lo, neg_hi) -> int:
    """The end of the negator hint starting at ``p`` (relative to the answer at ``base``,
    length ``n``), or -1: a negator word at word boundaries, or "n't" before one,
    as the Python coder's automaton scan keeps them."""
    for w in range(neg_lo.shape[0]):
        lo, hi = neg_lo[w], neg_hi[w]
        ln = hi - lo
        if p + ln > n:
            continue
        ok = True
        for k in range(ln):
            if norm[base + p + k] != neg_chars[lo + k]:
                ok = False
                break
        if not ok:
            continue
        e = p + ln
        if e < n and _isword(flags, norm[base + e]):
            continue
        is_nt = ln == 3 and neg_chars[lo + 1] == 0x27
        if not is_nt and p > 0 and _isword(flags, norm[base + p - 1]):
            continue
        return e
    return -1


@njit(cache=True, nogil=True)
def _negated(norm, flags, base, n, clause_lo, pos, window, sets, ts, te, th) -> bool:
    """The reference's ``negation.negated`` after its quick test passed (positions relative to ``base``).

    ``sets``: hashes of NEGATORS, "no"-governed words, clause words, exceptions
    and the single words no/to/mention/not/or/if (rows of a 2-D array padded with 0).
    ``ts``/``te``/``th``: scratch for the window's tokens.
    """
    negators, no_before, clause_words, exceptions, singles = (
        sets[0],
        sets[1],
        sets[2],
        sets[3],
        sets[4],
    )
    h_no, h_to, h_mention, h_not, h_or, h_if = (
        singles[0],
        singles[1],
        singles[2],
        singles[3],
        singles[4],
        singles[5],
    )
    window_lo = max(clause_lo, pos - 80)
    while window_lo < pos and window_lo > clause_lo and _isal(flags, norm[base + window_lo - 1]):
        window_lo += 1
    # After the last clause punctuation in the window.
    cut = window_lo
    for p in range(window_lo, pos):
        c = norm[base + p]
        if (
            c == 0x2C
            or c == 0x3B
            or c == 0x3A
            or c == 0x28
            or c == 0x29
            or c == 0x5B
            or c == 0x5D
            or c == 0x2013
            or c == 0x2014
            or c == 0x21
            or c == 0x3F
        ):
            cut = p + 1
    nt = 0
    p = cut
    while p < pos and nt < ts.shape[0]:
        if _isal(flags, norm[base + p]):
            e, h = _token_hash(norm[base:], flags, p, pos)
            ts[nt] = p
            te[nt] = e
            th[nt] = h
            nt += 1
            p = e
        else:
            p += 1
    first = 0
    for i in range(nt - 1, -1, -1):
        if _member(th[i], clause_words):
            first = i + 1
            break
    if nt - first > window:
        first = nt - window
    _, h_hit = _token_hash(norm[base:], flags, pos, n)
    for i in range(first, nt):
        h = th[i]
        nxt = th[i + 1] if i + 1 < nt else h_hit
        if h == h_no:
            if _member(nxt, no_before):
                return True
            continue
        s, e = ts[i], te[i]
        ends_nt = (
            e - s >= 3
            and norm[base + e - 3] == 0x6E
            and norm[base + e - 2] == 0x27
            and norm[base + e - 1] == 0x74
        )
        if _member(h, negators) or ends_nt:
            if _member(nxt, exceptions):
                continue
            if nxt == h_to:
                # "not to mention": the word after "to" (the hit when "to" is last).
                after = th[i + 2] if i + 2 < nt else (h_hit if i + 2 == nt else np.uint64(0))
                if after == h_mention:
                    continue
            if h == h_not and i > first and (th[i - 1] == h_or or th[i - 1] == h_if):
                continue
            return True
    return False
