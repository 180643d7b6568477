"""The reservation finder's hashed n-gram counts, compiled (numba): the same numbers, faster.

:mod:`helpers.stance.reservation_model` reads every sentence of every answered
closed question. Its word grams were a regex ``findall``, a bigram join and a
CRC32 per token in Python, and its TF-IDF counts an ``np.unique`` sort of every
(sentence, bucket) key of a batch: about 0.3 ms per sentence, more than the
rest of the stance reading on the realistic benchmark corpus. Here one compiled
pass per sentence does the same work:

- word tokens are ``[a-z0-9]+(?:'[a-z]+)?`` read from the bytes of the lower-cased
  sentence with "’" folded to "'" (the regex's classes are ASCII, so reading
  UTF-8 bytes finds the same tokens), each unigram and bigram ("w1 w2") hashed
  with CRC-32 (``zlib.crc32``'s polynomial, chained across the joining space);
- character 3-5-grams use the multiplicative hash of the numpy version on the
  normalised bytes it was given;
- each sentence's buckets are sorted and counted, so the (sentence, bucket,
  count) triples come out in the order ``np.unique`` gave them.

The floating-point work (log, IDF, norms, sums) stays in numpy on the same
arrays, so the scores are bit-for-bit those of the numpy version
(``tests/test_reservation_model.py`` compares both).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["crc_table", "ngram_logits", "ngram_scores"]


def crc_table() -> np.ndarray:
    """The CRC-32 (IEEE 802.3, reflected, as ``zlib.crc32``) byte table."""
    table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else (c >> 1)
        table[i] = c
    return table


_TABLE = crc_table()


@njit(cache=True, nogil=True)
def _crc(buf, s, e, crc, table):  # pragma: no cover - compiled
    c = crc ^ np.uint32(0xFFFFFFFF)
    for i in range(s, e):
        c = table[(c ^ np.uint32(buf[i])) & np.uint32(0xFF)] ^ (c >> np.uint32(8))
    return c ^ np.uint32(0xFFFFFFFF)


@njit(cache=True, nogil=True)
def _is_alnum(b):  # pragma: no cover - compiled
    return (97 <= b <= 122) or (48 <= b <= 57)


@njit(cache=True, nogil=True)
def _words(buf, s, e, starts, ends):  # pragma: no cover - compiled
    """Tokens of ``[a-z0-9]+(?:'[a-z]+)?`` in buf[s:e] (findall's scan); returns how many."""
    n = 0
    i = s
    while i < e:
        if not _is_alnum(buf[i]):
            i += 1
            continue
        j = i + 1
        while j < e and _is_alnum(buf[j]):
            j += 1
        if j + 1 < e and buf[j] == 39 and 97 <= buf[j + 1] <= 122:
            j += 2
            while j < e and 97 <= buf[j] <= 122:
                j += 1
        starts[n] = i
        ends[n] = j
        n += 1
        i = j
    return n


@njit(cache=True, nogil=True)
def _normalise(buf, s, e, out):  # pragma: no cover - compiled
    """An ASCII sentence as the char n-grams read it: runs of characters other than
    [a-z0-9_'] (and A-Z) become one space, the ends trimmed, padded by one space
    (``" " + re.sub(r"[^\\w']+", " ", t).strip() + " "``); returns the length."""
    n = 0
    out[n] = 32
    n += 1
    gap = False
    for i in range(s, e):
        b = buf[i]
        word = (97 <= b <= 122) or (48 <= b <= 57) or (65 <= b <= 90) or b == 95 or b == 39
        if word:
            if gap and n > 1:
                out[n] = 32
                n += 1
            gap = False
            out[n] = b
            n += 1
        else:
            gap = True
    out[n] = 32
    return n + 1


_RADIX = 7  # bits per pass of the radix sort: two passes sort buckets below 2 ** 14


@njit(cache=True, nogil=True)
def _radix_sorted(keys, k, tmp, hist):  # pragma: no cover - compiled
    """keys[:k] (each in [0, 2 ** 14)) sorted, by two counting passes of 7 bits (least
    significant first, each stable): the same order as ``np.sort``, several times
    faster for the few hundred buckets of a sentence (session 14)."""
    mask = (1 << _RADIX) - 1
    src = keys
    dst = tmp
    for shift in (0, _RADIX):
        hist[:] = 0
        for i in range(k):
            hist[(src[i] >> shift) & mask] += 1
        total = 0
        for b in range(mask + 1):
            c = hist[b]
            hist[b] = total
            total += c
        for i in range(k):
            b = (src[i] >> shift) & mask
            dst[hist[b]] = src[i]
            hist[b] += 1
        src, dst = dst, src
    return src  # (after two passes: ``keys`` again)


@njit(cache=True, nogil=True)
def _sorted_runs(keys, k, cols, counts):  # pragma: no cover - compiled
    """Sort keys[:k]; write each distinct key and its count; returns how many.
    ``cols`` doubles as the radix sort's scratch (it is written after the sort)."""
    if k == 0:
        return 0
    hist = np.empty(1 << _RADIX, dtype=np.int64)
    part = _radix_sorted(keys, k, cols, hist)
    i = 0
    m = 0
    while i < k:
        j = i + 1
        while j < k and part[j] == part[i]:
            j += 1
        cols[m] = part[i]
        counts[m] = j - i
        m += 1
        i = j
    return m


@njit(cache=True, nogil=True)
def _block(cols, counts, m, idf, coef, base, logtab, vals, acc):  # pragma: no cover - compiled
    """Add one block's TF-IDF · coef to ``acc`` as numpy did it: v = (1 + log tf) * idf,
    norm = sqrt of the sum of v * v in bucket order, then acc += (v / norm) * coef in order."""
    if m == 0:
        return acc
    sq = 0.0
    for t in range(m):
        v = logtab[counts[t]] * idf[cols[t]]
        vals[t] = v
        sq += v * v
    norm = np.sqrt(sq)
    for t in range(m):
        acc += (vals[t] / norm) * coef[base + cols[t]]
    return acc


@njit(cache=True, nogil=True)
def _char_keys(buf, s, size, mix, d, keys):  # pragma: no cover - compiled
    """The 3-5-gram buckets (hash & ``d``) of buf[s:s + size] into ``keys``; returns how many."""
    m257 = np.uint64(257)
    sh = np.uint64(32)
    m = 0
    for g in range(3, 6):
        for i in range(s, s + size - g + 1):
            h = np.uint64(g)
            for j in range(g):
                h = h * m257 + np.uint64(buf[i + j])
            h = (h * mix) >> sh
            keys[m] = np.int64(h & d)
            m += 1
    return m


@njit(cache=True, nogil=True)
def ngram_scores(
    wbuf, woff, cbuf, coff, ascii_, word_dim, char_dim, mix, table, idf_w, idf_c, coef, logtab
):  # pragma: no cover - compiled
    """Each sentence's hashed n-gram term of the logit: the TF-IDF of its word unigrams and
    bigrams (``wbuf[woff[k]:woff[k + 1]]``) and of its character 3-5-grams (``cbuf``: the
    sentence itself when ``ascii_[k]``, normalised here, else its normalised bytes), dotted
    with ``coef``, summed in the order ``np.bincount`` summed them."""
    n_sent = len(woff) - 1
    out = np.zeros(n_sent, dtype=np.float64)
    longest = 1
    for k in range(n_sent):
        longest = max(longest, woff[k + 1] - woff[k], coff[k + 1] - coff[k])
    cap = 3 * longest + 8
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    keys = np.empty(cap, dtype=np.int64)
    cols = np.empty(cap, dtype=np.int64)
    counts = np.empty(cap, dtype=np.int64)
    vals = np.empty(cap, dtype=np.float64)
    norm_buf = np.empty(longest + 2, dtype=np.uint8)
    space = np.zeros(1, dtype=np.uint8)
    space[0] = 32
    wmask = np.uint32(word_dim - 1)
    d = np.uint64(char_dim - 1)  # a power of two: the remainder is a mask
    for k in range(n_sent):
        acc = 0.0
        n = _words(wbuf, woff[k], woff[k + 1], starts, ends)
        m = 0
        prev = np.uint32(0)
        for t in range(n):
            c = _crc(wbuf, starts[t], ends[t], np.uint32(0), table)
            keys[m] = np.int64(c & wmask)
            m += 1
            if t > 0:
                b = _crc(space, 0, 1, prev, table)
                b = _crc(wbuf, starts[t], ends[t], b, table)
                keys[m] = np.int64(b & wmask)
                m += 1
            prev = c
        m = _sorted_runs(keys, m, cols, counts)
        acc = _block(cols, counts, m, idf_w, coef, 0, logtab, vals, acc)
        if ascii_[k]:
            size = _normalise(cbuf, coff[k], coff[k + 1], norm_buf)
            m = _char_keys(norm_buf, 0, size, mix, d, keys)
        else:
            m = _char_keys(cbuf, coff[k], coff[k + 1] - coff[k], mix, d, keys)
        m = _sorted_runs(keys, m, cols, counts)
        acc = _block(cols, counts, m, idf_c, coef, word_dim, logtab, vals, acc)
        out[k] = acc
    return out


def _logs(n: int) -> np.ndarray:
    """[0, 1 + log 1, 1 + log 2, ..., 1 + log n] (numpy's log, as the numpy version used)."""
    return np.concatenate([[0.0], 1.0 + np.log(np.arange(1, n + 1, dtype=np.float64))])


_LOGS = _logs(4096)


def ngram_logits(
    lows: list[str], parts, word_dim: int, char_dim: int, mix: np.uint64,
    weights: dict[str, np.ndarray],
) -> np.ndarray:  # fmt: skip
    """The n-gram term of each lower-cased sentence's logit (see :func:`ngram_scores`).
    ``parts(lows)`` gives the char-gram bytes of sentences that are not ASCII. Both
    dimensions are powers of two (a bucket is the hash's low bits)."""
    if word_dim & (word_dim - 1) or char_dim & (char_dim - 1):
        raise ValueError("the hashed dimensions must be powers of two")
    if max(word_dim, char_dim) > 1 << (2 * _RADIX):
        raise ValueError(f"the hashed dimensions must be at most {1 << (2 * _RADIX)}")
    wb = [low.replace("’", "'").encode("utf-8") for low in lows]
    ascii_ = np.array([low.isascii() for low in lows], dtype=np.bool_)
    other = [k for k in range(len(lows)) if not ascii_[k]]
    cb = list(wb)
    for k, p in zip(other, parts([lows[k] for k in other]), strict=True):
        cb[k] = p
    woff = np.zeros(len(wb) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in wb], out=woff[1:])
    coff = np.zeros(len(cb) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in cb], out=coff[1:])
    longest = int(max(np.diff(woff).max(initial=0), np.diff(coff).max(initial=0)))
    # logtab[count] = 1 + log(count), as numpy computed it; a count is at most 3 per byte
    logtab = _LOGS if 3 * longest + 8 < len(_LOGS) else _logs(3 * longest + 8)
    return ngram_scores(
        np.frombuffer(b"".join(wb), dtype=np.uint8), woff,
        np.frombuffer(b"".join(cb), dtype=np.uint8), coff, ascii_,
        word_dim, char_dim, mix, _TABLE, weights["idf_word"], weights["idf_char"],
        weights["coef"], logtab,
    )  # fmt: skip
