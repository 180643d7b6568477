"""MinHash signatures of many texts at once, compiled: datasketch's values, without its Python loop.

``nearcopies`` compares texts by the MinHash signatures of their character
``SHINGLE``-grams. It used datasketch (``MinHash.bulk`` with ``num_perm=128``,
seed 1, ``hashfunc`` = crc32 of the shingle's UTF-8 bytes), which calls the
hash function once per shingle in Python: 4.7 million calls for 1,000
respondents of realistic answers, 71 % of ingest's time (benchmarks/README.md).

:func:`signatures` computes the *same* values (the same ``uint32`` array, so
the same LSH buckets, candidates and groups; ``tests/test_minhash.py`` compares
them with datasketch) in one numba kernel over the texts' code points:

1. each shingle's crc32 is what ``zlib.crc32(shingle.encode("utf-8"))``
   returns: for a shingle of five ASCII characters (nearly all), from five
   position tables, since a CRC is affine in its message's bits
   (``crc(w) = crc(0 0 0 0 0) ^ T0[w0] ^ ... ^ T4[w4]``, no chain of
   dependent look-ups); otherwise byte by byte over the characters' UTF-8
   bytes with the standard table;
2. it is mixed with the MurmurHash3 32-bit finaliser and permuted by
   ``NUM_PERM`` affine maps ``a * h + b`` modulo 2**32, with ``a`` and ``b``
   drawn as datasketch 2.0's ``affine32`` scheme draws them
   (``numpy.random.RandomState(1)``);
3. each signature value is the minimum over the text's shingles. A shingle
   repeated in a text gives the same values again, so the minimum over the
   shingle *occurrences* is datasketch's minimum over the shingle *set*.

A text of ``SHINGLE`` characters or fewer is one shingle, the text itself, as
in :func:`shingles`. Texts are taken in slices of about
``BATCH_CHARS`` characters, so memory beyond the signatures is bounded
whatever the number of texts; the time is linear in their total length.
Without numba, datasketch computes the same values (slowly).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import cache

import numpy as np

try:
    from numba import njit

    _jit = njit(cache=True, nogil=True)
except ImportError:  # pragma: no cover - numba is a dependency; without it, datasketch
    njit = None
    _jit = None

SHINGLE = 5  # characters per shingle (one definition; nearcopies re-exports it)
NUM_PERM = 128  # MinHash permutations (one definition; nearcopies re-exports it)
LSH_BANDS, LSH_ROWS = 32, 4  # LSH bands x rows (= NUM_PERM)
BUCKET_CAP = 10  # texts kept per LSH bucket: a bucket this full holds a stock phrase
SEED = 1  # datasketch's default seed
BATCH_CHARS = 4_000_000  # characters of text turned into code points at a time (16 MB)


def shingles(text: str) -> set[str]:
    """Overlapping character ``SHINGLE``-grams of ``text`` (the text itself if shorter).

    The shingle set datasketch hashes (:func:`_datasketch`) and :func:`signatures`
    reads in its kernel; ``nearcopies`` re-exports it (it was defined there and again
    inside ``_datasketch`` until session 22).
    """
    if len(text) <= SHINGLE:
        return {text}
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _compiled(function):
    """``function`` compiled with numba (cached on disk), or as it is when numba is missing."""
    return _jit(function) if _jit is not None else function


@cache
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The affine maps' ``(a, b)``, as datasketch 2.0 draws them for its ``affine32`` scheme."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


@cache
def _crc_table() -> np.ndarray:
    """The reflected CRC-32 table (polynomial 0xEDB88320), as zlib uses."""
    table = np.zeros(256, dtype=np.uint64)
    for n in range(256):
        c = n
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else c >> 1
        table[n] = c
    return table


@cache
def _position_tables() -> tuple[np.ndarray, int]:
    """``(T, crc0)``: ``crc0`` is the crc32 of ``SHINGLE`` zero bytes and ``T[k * 256 + c]``
    what byte ``c`` at position ``k`` adds to it (XOR) in a ``SHINGLE``-byte message."""
    zero = zlib.crc32(bytes(SHINGLE))
    table = np.zeros(SHINGLE * 256, dtype=np.uint32)
    for k in range(SHINGLE):
        for c in range(256):
            message = bytearray(SHINGLE)
            message[k] = c
            table[k * 256 + c] = zlib.crc32(bytes(message)) ^ zero
    return table, zero


@_compiled
def _crc_byte(crc, byte, table):  # pragma: no cover - compiled
    return table[(crc ^ byte) & 0xFF] ^ (crc >> 8)


@_compiled
def _crc_char(crc, cp, table):  # pragma: no cover - compiled
    """Update ``crc`` with the UTF-8 bytes of code point ``cp`` (surrogates as three bytes)."""
    if cp < 0x80:
        return _crc_byte(crc, cp, table)
    if cp < 0x800:
        crc = _crc_byte(crc, 0xC0 | (cp >> 6), table)
        return _crc_byte(crc, 0x80 | (cp & 0x3F), table)
    if cp < 0x10000:
        crc = _crc_byte(crc, 0xE0 | (cp >> 12), table)
        crc = _crc_byte(crc, 0x80 | ((cp >> 6) & 0x3F), table)
        return _crc_byte(crc, 0x80 | (cp & 0x3F), table)
    crc = _crc_byte(crc, 0xF0 | (cp >> 18), table)
    crc = _crc_byte(crc, 0x80 | ((cp >> 12) & 0x3F), table)
    crc = _crc_byte(crc, 0x80 | ((cp >> 6) & 0x3F), table)
    return _crc_byte(crc, 0x80 | (cp & 0x3F), table)


@_compiled
def _signatures(cps, offsets, a, b, table, pos, zero, out):  # pragma: no cover - compiled
    """Fill ``out[t]`` with text ``t``'s signature (text ``t`` is ``cps[offsets[t]:offsets[t+1]]``).

    The permutation loop is written on uint32 values with a compare-and-store,
    which LLVM vectorises (about ten times sooner than with 64-bit values and a mask).
    """
    k = a.shape[0]
    mask = np.uint64(0xFFFFFFFF)
    sig = np.empty(k, dtype=np.uint32)
    for t in range(offsets.shape[0] - 1):
        start, end = offsets[t], offsets[t + 1]
        n = end - start
        width = SHINGLE if n > SHINGLE else n
        count = n - SHINGLE + 1 if n > SHINGLE else 1
        ascii = n >= SHINGLE
        for c in range(start, end):
            if cps[c] >= 128:
                ascii = False
                break
        for j in range(k):
            sig[j] = np.uint32(0xFFFFFFFF)
        for i in range(start, start + count):
            if ascii:
                h = np.uint64(zero)
                for c in range(SHINGLE):
                    h ^= np.uint64(pos[c * 256 + np.intp(cps[i + c])])
            else:
                crc = np.uint64(0xFFFFFFFF)
                for c in range(i, i + width):
                    crc = _crc_char(crc, np.uint64(cps[c]), table)
                h = crc ^ mask
            h = h ^ (h >> 16)  # datasketch's fmix32
            h = (h * np.uint64(0x85EBCA6B)) & mask
            h = h ^ (h >> 13)
            h = (h * np.uint64(0xC2B2AE35)) & mask
            h32 = np.uint32(h ^ (h >> 16))
            for j in range(k):
                v = np.uint32(np.uint32(h32 * a[j]) + b[j])
                if v < sig[j]:
                    sig[j] = v
        for j in range(k):
            out[t, j] = sig[j]


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """``(len(texts), num_perm)`` uint32: each text's MinHash signature over its character 5-grams.

    The values datasketch's ``MinHash.bulk([shingles(t) ...],
    num_perm=num_perm, hashfunc=crc32 of UTF-8)`` gives in ``.hashvalues``.
    """
    if _jit is None:  # pragma: no cover - no numba: datasketch, the reference
        return _datasketch(texts, num_perm)
    a, b = permutations(num_perm)
    out = np.empty((len(texts), num_perm), dtype=np.uint32)
    table = _crc_table()
    pos, zero = _position_tables()
    i = 0
    while i < len(texts):
        j, chars = i, 0
        while j < len(texts) and (chars < BATCH_CHARS or j == i):
            chars += len(texts[j])
            j += 1
        batch = texts[i:j]
        cps = np.frombuffer("".join(batch).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        offsets = np.zeros(len(batch) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in batch], out=offsets[1:])
        _signatures(cps, offsets, a, b, table, pos, np.uint32(zero), out[i:j])
        i = j
    return out


def _datasketch(texts: Sequence[str], num_perm: int) -> np.ndarray:  # pragma: no cover
    """The reference: datasketch's MinHash of each text's shingle set (no numba needed)."""
    from datasketch import MinHash

    def crc(shingle: str) -> int:
        return zlib.crc32(shingle.encode("utf-8", "surrogatepass"))

    sigs = MinHash.bulk([shingles(t) for t in texts], num_perm=num_perm, hashfunc=crc)
    return np.array([m.hashvalues for m in sigs], dtype=np.uint32).reshape(len(texts), num_perm)


def bands(sig: np.ndarray) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of one MinHash signature: (band number, that band's values)."""
    return [(b, sig[b * LSH_ROWS : (b + 1) * LSH_ROWS].tobytes()) for b in range(LSH_BANDS)]


def band_keys(sigs: np.ndarray) -> list[list[tuple[int, bytes]]]:
    """:func:`bands` of every row of ``sigs`` at once: the same keys, made in one numpy pass.

    Each band's ``LSH_ROWS`` values are viewed as one 16-byte value, so numpy
    hands back each band's bytes without a slice per band (``bands`` in a
    loop cost about 8 µs a band: 5 % of campaign detection, session 10).
    """
    rows = np.ascontiguousarray(sigs).reshape(len(sigs), LSH_BANDS, LSH_ROWS)
    raw = rows.view(np.dtype((np.void, 4 * LSH_ROWS))).reshape(len(sigs), LSH_BANDS).tolist()
    numbers = range(LSH_BANDS)
    return [list(zip(numbers, row, strict=True)) for row in raw]


def band_codes(sigs: np.ndarray) -> np.ndarray:
    """``(n, LSH_BANDS)`` uint64: one number per band of each signature, equal for equal bands.

    Unequal bands may share a number (a 64-bit mix of the band's four values);
    it is used only to rule texts *out* (a band whose number no other text has
    is a bucket no other text shares), so a collision costs time, never a result.
    """
    v = sigs.reshape(len(sigs), LSH_BANDS, LSH_ROWS).astype(np.uint64)
    lo = v[:, :, 0] | (v[:, :, 1] << np.uint64(32))
    hi = v[:, :, 2] | (v[:, :, 3] << np.uint64(32))
    return lo * np.uint64(0x9E3779B97F4A7C15) ^ hi * np.uint64(0xC2B2AE3D27D4EB4F)


def shares_a_band(codes: np.ndarray, others: np.ndarray | None = None) -> np.ndarray:
    """Per row of ``codes``: whether some band's number is also that band's in another row
    (or, given ``others``, in a row of ``others``)."""
    out = np.zeros(len(codes), dtype=bool)
    for b in range(codes.shape[1]):
        if others is None:
            _, inverse, counts = np.unique(codes[:, b], return_inverse=True, return_counts=True)
            out |= counts[inverse] > 1
        else:
            out |= np.isin(codes[:, b], others[:, b])
    return out


def bucket_pairs(owner: np.ndarray, codes: np.ndarray, cap: int) -> dict[int, dict[int, int]]:
    """:func:`bucket_pair_arrays` as a dict: later text → {earlier text: bands met}."""
    hi, lo, counts = bucket_pair_arrays(owner, codes, cap)
    out: dict[int, dict[int, int]] = {}
    for h, low, count in zip(hi.tolist(), lo.tolist(), counts.tolist(), strict=True):
        met = out.get(h)
        if met is None:
            met = out[h] = {}
        met[low] = count
    return out


def bucket_pair_arrays(
    owner: np.ndarray, codes: np.ndarray, cap: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Texts meeting in LSH buckets of capped size: ``(later, earlier, bands met)``, one entry
    per pair of texts, sorted by later then earlier text (session 28: as arrays, not a dict
    of dicts, which held about 0.9 GB at 100,000 generated survey respondents).

    ``owner[w]`` is the text of window ``w`` (non-decreasing in ``w``: a text's
    windows are consecutive) and ``codes[w, b]`` its band ``b``'s bucket. Windows are
    taken in order, band by band; a bucket keeps the first ``cap`` texts that reach
    it, and each window of a text not kept there meets every text kept before it
    (a text's later windows in a bucket that keeps it meet nothing). This is the
    loop ``passages.passage_pairs`` ran window by window in Python, in numpy:
    within a bucket, a text's rank among the distinct texts that reached it says
    whom it meets (rank ``r <= cap``: the ``r - 1`` before it, at its first window;
    beyond ``cap``: the ``cap`` kept, at every window).
    """
    n_windows = len(owner)
    empty = np.zeros(0, dtype=np.int64)
    if not n_windows:
        return empty, empty, empty
    keys_per_band = []  # (later text) * n + (earlier text), one per meeting
    owner = np.asarray(owner, dtype=np.int64)
    n = int(owner.max()) + 1
    for b in range(codes.shape[1]):
        order = np.lexsort((np.arange(n_windows), codes[:, b]))
        c, o = codes[order, b], owner[order]
        new_group = np.r_[True, c[1:] != c[:-1]]
        first = new_group | np.r_[True, o[1:] != o[:-1]]  # a text's first window in the bucket
        group = np.cumsum(new_group) - 1
        seen = np.cumsum(first)
        rank = seen - (seen[new_group] - 1)[group]  # 1-based among the bucket's distinct texts
        meets = np.where(rank <= cap, np.where(first, rank - 1, 0), cap)
        total = int(meets.sum())
        if not total:
            continue
        kept = first & (rank <= cap)  # the texts each bucket keeps, by rank
        heads = np.full((int(group[-1]) + 1, cap), -1, dtype=np.int64)
        heads[group[kept], rank[kept] - 1] = o[kept]
        at = np.repeat(np.arange(n_windows), meets)
        k = np.arange(total) - np.repeat(np.cumsum(meets) - meets, meets)
        keys_per_band.append(o[at] * n + heads[group[at], k])
    if not keys_per_band:
        return empty, empty, empty
    keys = np.concatenate(keys_per_band)
    del keys_per_band
    keys, counts = np.unique(keys, return_counts=True)
    return keys // n, keys % n, counts
