"""Pass 1 of the compiled engine: every answer of a batch normalised, cut into tokens, looked up.

``tokenize`` normalises each character through ``chars.char_entries`` (as
``patterns.normalise_text`` does), cuts the tokens ``patterns._TOKEN_RE``
would find, hashes each and looks it up in the vocabulary, and notes where the
line breaks and stops are (for the sentence pieces). Tokens not yet known go
back to Python (``fastcode.BatchCoder._learn``) and ``relookup`` fills in
their ids.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from helpers.coding.engine.chars import (
    C_ALNUM,
    C_CHAR,
    C_EVENT,
    C_UNUSUAL,
    FALLBACK,
    FNV_OFFSET,
    FNV_PRIME,
    _entry,
    _lookup,
)


@njit(cache=True, nogil=True)
def tokenize(
    text,
    a_lo,
    a_hi,
    char_tab,
    keys,
    vals,
    norm,
    tok_s,
    tok_e,
    tok_h,
    tok_id,
    a_tok,
    a_flag,
    ev,
    a_ev,
) -> int:
    """Normalise ``text`` into ``norm`` and cut every answer's tokens; returns the token count.

    Answer ``a`` is ``text[a_lo[a]:a_hi[a]]``; its tokens are
    ``a_tok[a]:a_tok[a + 1]``. ``tok_id`` is -1 for a token not in the table.
    ``ev[a_ev[a]:a_ev[a + 1]]`` are the positions of its line breaks and '.', '?', '!'.
    ``char_tab`` is ``char_entries``: one table read per character.
    """
    nt = 0
    ne = 0
    # Positions are unsigned: numba checks every signed index for wraparound (~25%).
    one = np.uint64(1)
    for a in range(a_lo.shape[0]):
        lo, hi = np.uint64(a_lo[a]), np.uint64(a_hi[a])
        a_tok[a] = nt
        a_ev[a] = ne
        seen = np.uint32(0)  # the entries' bits, or-ed: any C_UNUSUAL character?
        p = lo
        while p < hi:
            e = _entry(char_tab, text[p])
            seen |= e
            nc = e & C_CHAR
            norm[p] = nc
            if e & C_ALNUM:
                # A token: hash on to its end in a tight loop (one mispredicted exit
                # per token, where a flag per character cost a branch each).
                s = p
                h = FNV_OFFSET
                while True:
                    h = (h ^ np.uint64(nc)) * FNV_PRIME
                    p += one
                    if p >= hi:
                        break
                    e = _entry(char_tab, text[p])
                    seen |= e
                    nc = e & C_CHAR
                    norm[p] = nc
                    if e & C_ALNUM:
                        continue
                    # An apostrophe continues the token only before a letter or digit.
                    if nc == 0x27 and p + one < hi and _entry(char_tab, text[p + one]) & C_ALNUM:
                        continue
                    break
                tok_s[nt] = s
                tok_e[nt] = p
                tok_h[nt] = h if h != 0 else np.uint64(1)  # 0 marks an empty slot
                nt += 1
                if p >= hi:
                    break
            if e & C_EVENT:
                ev[ne] = p  # line breaks and stops, for the sentence pieces
                ne += 1
            p += one
        if seen & C_UNUSUAL:
            a_flag[a] |= FALLBACK
    a_tok[a_lo.shape[0]] = nt
    a_ev[a_lo.shape[0]] = ne
    # Look the tokens up after the scan: independent probes, kept out of its loop.
    for t in range(nt):
        tok_id[t] = _lookup(tok_h[t], keys, vals)
    return nt


@njit(cache=True, nogil=True)
def relookup(tok_h, tok_id, n, keys, vals) -> None:
    """Fill the ids of tokens that were unknown (-1) from the updated table."""
    for t in range(n):
        if tok_id[t] < 0:
            tok_id[t] = _lookup(tok_h[t], keys, vals)
