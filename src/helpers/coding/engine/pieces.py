"""A line's sentence pieces in compiled code, cut as ``sentencefinder._SentenceFinder`` cuts them.

A piece ends at a clear-cut boundary (a stop after a plain word, a closing
bracket or quote; '?' or '!' after a word); a piece with an unclear
candidate (an abbreviation, a number, initials) is marked not plain, and a
match in it sends the answer to the Python coder, which asks Punkt.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from helpers.coding.engine.chars import (
    BMP,
    FNV_OFFSET,
    FNV_PRIME,
    LOWER,
    UPPER,
    _isal,
    _isspace,
    _member,
    _u,
)

# Stop kinds, as in ``sentencefinder``.
S_BOUNDARY, S_NEUTRAL, S_UNCLEAR, S_DIGITS = 0, 1, 2, 3


@njit(cache=True, nogil=True)
def _is_ascii_letter(c) -> bool:
    return (0x41 <= c <= 0x5A) or (0x61 <= c <= 0x7A)


@njit(cache=True, nogil=True)
def _word_kind(text, norm_tab, ws, i, abbr, abbr_max) -> int:
    """``sentencefinder._word_kind`` of ``text[ws:i]`` (the word before a '.'); ``abbr_max`` is
    the longest abbreviation's length."""
    n = i - ws
    plain = n >= 2 and _is_ascii_letter(text[ws]) and _is_ascii_letter(text[i - 1])
    if plain:
        for p in range(ws + 1, i - 1):
            c = text[p]
            if not (_is_ascii_letter(c) or c == 0x27 or c == 0x2D):
                plain = False
                break
    # A word (and its part after the last '-') longer than every abbreviation is none.
    tail = 0
    p = i - 1
    while p >= ws and text[p] != 0x2D and tail <= abbr_max:
        tail += 1
        p -= 1
    if n > abbr_max and tail > abbr_max:
        if plain:
            return S_BOUNDARY
        for p in range(ws, i):
            if not (0x30 <= text[p] <= 0x39):
                return S_UNCLEAR
        return S_DIGITS
    # The word lower-cased, whole and after its last '-'.
    h_all = FNV_OFFSET
    h_tail = FNV_OFFSET
    for p in range(ws, i):
        c = text[p]
        low = np.uint64(c if c == 0x2D or c >= BMP else norm_tab[c])
        h_all = (h_all ^ low) * FNV_PRIME
        if c == 0x2D:
            h_tail = FNV_OFFSET
        else:
            h_tail = (h_tail ^ low) * FNV_PRIME
    if h_all == 0:
        h_all = np.uint64(1)
    if h_tail == 0:
        h_tail = np.uint64(1)
    abbrev = n > 0 and (_member(h_all, abbr) or _member(h_tail, abbr))
    if plain:
        return S_NEUTRAL if abbrev else S_BOUNDARY
    if abbrev:
        return S_NEUTRAL
    if n == 0:
        return S_UNCLEAR
    for p in range(ws, i):
        if not (0x30 <= text[p] <= 0x39):
            return S_UNCLEAR
    return S_DIGITS


@njit(cache=True, nogil=True)
def _cut(
    text, flags, norm_tab, ls, le, ev, e0, e1, base, abbr, abbr_max, pc_s, pc_e, pc_plain
) -> int:
    """``sentencefinder._SentenceFinder._cut``: the pieces of line ``[ls, le)``; returns their count.

    ``text`` is the answer; its stops are ``ev[e0:e1] - base`` (with its line breaks).
    """
    np_ = 0
    start = ls
    plain = True
    p = ls  # where ``_SENT_END_RE.finditer`` searches next
    for x in range(e0, e1):
        i = ev[_u(x)] - base
        if i < p:
            continue
        if i >= le:
            break
        c = text[_u(i)]
        if c == 0x0A:
            continue
        j = i + 1
        while j < le and _isspace(flags, text[_u(j)]):
            j += 1
        if j >= le:
            break
        if j == i + 1:
            kind = S_NEUTRAL if _isal(flags, text[_u(j)]) else S_UNCLEAR
        elif c != 0x2E:
            kind = S_BOUNDARY if i > ls and _isal(flags, text[_u(i - 1)]) else S_UNCLEAR
        elif i > ls and (
            text[_u(i - 1)] == 0x29
            or text[_u(i - 1)] == 0x5D
            or text[_u(i - 1)] == 0x22
            or text[_u(i - 1)] == 0x201D
        ):
            kind = S_BOUNDARY
        else:
            ws = i
            while ws > ls and text[_u(ws - 1)] != 0x20:
                ws -= 1
            kind = _word_kind(text, norm_tab, ws, i, abbr, abbr_max)
            if kind == S_DIGITS:
                nxt = text[_u(j)]
                if nxt < BMP and flags[nxt] & LOWER:
                    kind = S_NEUTRAL
                elif nxt < BMP and flags[nxt] & UPPER:
                    kind = S_BOUNDARY
                else:
                    kind = S_UNCLEAR
        if kind == S_BOUNDARY:
            if np_ + 1 >= pc_s.shape[0]:
                return -1
            pc_s[np_] = start
            pc_e[np_] = i + 1
            pc_plain[np_] = plain
            np_ += 1
            start = j
            plain = True
        elif kind == S_UNCLEAR:
            plain = False
        p = j
    pc_s[np_] = start
    pc_e[np_] = le
    pc_plain[np_] = plain
    return np_ + 1
