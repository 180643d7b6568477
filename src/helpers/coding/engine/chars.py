"""Character tables, token hashes and hash lookups: the primitives every kernel shares.

Text reaches the kernels as code points. Per Basic Multilingual Plane code
point, ``char_tables`` records what ``patterns.normalise_text`` makes of it and
its classes as ``str`` methods and ``re`` see them; ``char_entries`` packs both
into one uint32 so ``tokenize`` reads one table entry per character. Words are
compared by 64-bit FNV-1a hash: the vocabulary is an open-addressing hash
table (``table_insert``, ``_lookup``), word lists are sorted hash arrays
(``hash_set``, ``_member``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Character classes (bits of ``FLAGS``), for the Basic Multilingual Plane.
ALNUM, SPACE, UPPER, LOWER, WORD = 1, 2, 4, 8, 16
BMP = 0x10000
FNV_OFFSET = np.uint64(14695981039346656037)
FNV_PRIME = np.uint64(1099511628211)
FALLBACK = 1  # answer flag: code it with the Python coder
SIGMA = 0x3A3
# ``char_entries`` bits: the normalised character, then its classes.
C_CHAR = 0x1FFFFF
C_ALNUM = 1 << 24  # the normalised character is a letter or digit
C_EVENT = 1 << 25  # a line break or stop ('.', '?', '!')
C_UNUSUAL = 1 << 26  # the answer goes to the Python coder (``FALLBACK``)


def fnv(word: str) -> int:
    """The 64-bit FNV-1a hash of ``word``'s code points, as the kernels compute it."""
    h = 14695981039346656037
    for ch in word:
        h = ((h ^ ord(ch)) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h or 1  # 0 marks an empty hash-table slot


def hash_set(words) -> np.ndarray:
    """Sorted FNV hashes of ``words``, for ``_member``."""
    return np.array(sorted({fnv(w) for w in words}), dtype=np.uint64)


def char_tables(hyphens: str, apostrophes: str) -> tuple[np.ndarray, np.ndarray]:
    """``(norm, flags)`` for every BMP code point.

    ``norm`` is what ``patterns.normalise_text`` makes of the character (its
    one-character lower case, else itself; hyphens a space, apostrophes
    straight); ``flags`` its classes as ``str`` methods and ``re`` see them.
    """
    norm = np.arange(BMP, dtype=np.uint32)
    flags = np.zeros(BMP, dtype=np.uint8)
    hy = {ord(c) for c in hyphens}
    ap = {ord(c) for c in apostrophes}
    for i in range(BMP):
        c = chr(i)
        low = c.lower()
        v = ord(low) if len(low) == 1 else i
        if v in hy:
            v = 0x20
        elif v in ap:
            v = 0x27
        norm[i] = v
        f = 0
        if c.isalnum():
            f |= ALNUM | WORD
        if c.isspace():
            f |= SPACE
        if c.isupper():
            f |= UPPER
        if c.islower():
            f |= LOWER
        flags[i] = f
    flags[ord("_")] |= WORD
    return norm, flags


def char_entries(norm: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """One uint32 per BMP code point for ``tokenize``: its ``norm`` character with
    ``C_ALNUM`` and ``C_EVENT`` (of that character) and ``C_UNUSUAL``.

    Unusual are characters the tables do not cover or that ``str.lower`` reads in
    context: half of a UTF-16 surrogate pair and capital sigma (both stay as they are).
    """
    tab = norm.astype(np.uint32)
    tab[0xD800:0xE000] = np.arange(0xD800, 0xE000, dtype=np.uint32) | C_UNUSUAL
    tab[SIGMA] = SIGMA | C_UNUSUAL
    chars = tab & C_CHAR
    tab[(flags[chars] & ALNUM) != 0] |= C_ALNUM
    tab[np.isin(chars, [0x0A, 0x2E, 0x3F, 0x21])] |= C_EVENT
    return tab


@njit(cache=True, nogil=True)
def _u(i):
    """``i`` (known to be >= 0) as an unsigned index: numba checks every signed index
    for wraparound, a compare and select per access that adds up in the hot loops."""
    return np.uint64(i)


@njit(cache=True, nogil=True)
def _bisect(arr, lo, hi, x):
    """The first ``k`` in ``[lo, hi)`` with ``arr[k] >= x`` (``hi`` if none), ``arr``
    sorted there: ``np.searchsorted`` without the slice, several times faster here."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if arr[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _member(h, table) -> bool:
    """Whether hash ``h`` is in the sorted array ``table``."""
    k = _bisect(table, 0, table.shape[0], h)
    return k < table.shape[0] and table[k] == h


@njit(cache=True, nogil=True)
def _lookup(h, keys, vals) -> int:
    """The vocabulary id of hash ``h`` in the open-addressing table, or -1."""
    mask = np.uint64(keys.shape[0] - 1)
    one = np.uint64(1)
    i = h & mask
    while True:
        k = keys[i]
        if k == h:
            return vals[i]
        if k == 0:
            return -1
        i = (i + one) & mask


@njit(cache=True, nogil=True)
def table_insert(keys, vals, hashes, ids) -> None:
    """Add ``hashes[i] -> ids[i]`` to the table (which must have room)."""
    mask = np.uint64(keys.shape[0] - 1)
    one = np.uint64(1)
    for n in range(hashes.shape[0]):
        h = hashes[n]
        i = h & mask
        while keys[i] != 0 and keys[i] != h:
            i = (i + one) & mask
        keys[i] = h
        vals[i] = ids[n]


@njit(cache=True, nogil=True, inline="always")
def _entry(char_tab, c):
    """``char_tab``'s entry for code point ``c``: beyond the BMP, the character itself
    marked ``C_UNUSUAL`` (for uint16 or uint8 text the test folds away)."""
    return char_tab[c] if c < BMP else np.uint32(c | C_UNUSUAL)


@njit(cache=True, nogil=True)
def _isal(flags, c) -> bool:
    return c < BMP and (flags[c] & ALNUM) != 0


@njit(cache=True, nogil=True)
def _isword(flags, c) -> bool:
    return c < BMP and (flags[c] & WORD) != 0


@njit(cache=True, nogil=True)
def _isspace(flags, c) -> bool:
    return c < BMP and (flags[c] & SPACE) != 0


@njit(cache=True, nogil=True)
def _is_gap(c) -> bool:
    return c == 0x20 or c == 0x09 or c == 0xA0
