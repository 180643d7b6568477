"""VADER's compound score compiled with numba: the same float as upstream, 10-20x sooner.

:func:`compound` returns ``SentimentIntensityAnalyzer().polarity_scores(s)["compound"]``
of vaderSentiment 3.3.2 for a sentence ``s``, bit for bit, or ``None`` when ``s``
is outside what the compiled path reproduces (the caller then asks upstream).
:func:`compounds` scores a list of sentences in one compiled call. On the
benchmark corpus's sentences (~66 characters) upstream takes ~19 µs a sentence,
``compound`` ~1.6 µs and ``compounds`` ~1 µs (half of it Python's ``round``).
The kernels here read tables built once in Python (:mod:`helpers.stance.vader_tables`).

Reproduced, reading upstream's source step by step:

- tokens: ``str.split()`` (every ``str.isspace`` character, e.g. ``\\x1c`` and
  no-break spaces), then ``_strip_punc_if_word`` (``string.punctuation`` off both
  ends unless at most two characters would be left, which keeps ":)" whole);
- ``str.lower`` per token and ``str.isupper`` (a cased character and no
  lower- or title-case one), from per-character tables of the Basic
  Multilingual Plane built with Python's own ``str`` methods, so curly quotes,
  dashes, "£" or accented letters behave exactly as upstream (a curly quote is
  not punctuation there, so "“good”" is not the lexicon's "good" either);
- lexicon, booster, negation and idiom look-ups: every token's lower case is
  hashed and found in a table of all the words those use, the match confirmed
  character by character (a hash collision cannot change a score);
- ``sentiment_valence`` with the "no", ALL-CAPS, booster (``scalar_inc_dec``),
  ``_negation_check`` ("n't", "never so/this", "without doubt"),
  ``_special_idioms_check`` and ``_least_check`` rules, the "kind of" skip,
  ``_but_check`` (including its ``list.index`` quirk: a value rescales the
  *first* equal value), ``!``/``?`` emphasis and ``normalize``;
- float arithmetic in upstream's order, on IEEE doubles as Python's are (ints
  such as an idiom's 3 become doubles where Python would mix them), so the sum
  and square root give the same bits; ``round(x, 4)`` is Python's own.

Declined (``None``):

- text with a character upstream replaces by an emoji's description (any
  single-character key of its emoji lexicon: most emoji, but also "©", "®",
  "™", "‼"), or beyond the Basic Multilingual Plane (emoji and rarer scripts);
- characters whose lower case is not one character (U+0130 "İ") or depends
  on context (capital sigma); neither appears in English answers;
- any input when numba is missing or fails to compile, when vaderSentiment is
  not 3.3.2, and on Python other than 3.11: ``sum()`` of floats adds left to
  right there, and from 3.12 it uses compensated summation, not reproduced here.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
from array import array
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

import numpy as np

from helpers.stance.vader_tables import (
    BMP,
    C_DECLINE,
    C_NOTUP,
    C_PUNCT,
    C_SPACE,
    C_UPPER,
    FNV_OFFSET,
    FNV_PRIME,
    H_HASH,
    H_MASK,
    H_MAXLEN,
    H_NPHRASES,
    H_NWORDS,
    H_PHRASES,
    H_WORDS,
    I_AT,
    I_BUT,
    I_DOUBT,
    I_KIND,
    I_LEAST,
    I_NEVER,
    I_NO,
    I_NOR,
    I_OF,
    I_OR,
    I_SO,
    I_THIS,
    I_VERY,
    I_WITHOUT,
    P_BOOST,
    P_SPECIAL,
    W_BOOST,
    W_LEX,
    W_NEG,
    W_PHRASE,
    _tables,
)

log = logging.getLogger(__name__)

# Upstream's constants (vaderSentiment.py), repeated for the compiled code
# (``_compiled`` checks them, and the version they and the rules come from).
VERSION = "3.3.2"
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15.0


# --- compiled code (plain Python until ``_compiled`` jits it) ----------------


def _phrase(itab, kind, n, a, b, c) -> int:
    """The row of phrase ``kind`` whose ``n`` words have ids ``a, b(, c)``, or -1."""
    if (_flags(itab, a) & W_PHRASE) == 0:  # most words start no phrase
        return -1
    base = itab[H_PHRASES]
    for r in range(itab[H_NPHRASES]):
        p = base + 5 * r
        if itab[p] == kind and itab[p + 1] == n and itab[p + 2] == a and itab[p + 3] == b:
            if n == 2 or itab[p + 4] == c:
                return r
    return -1


def _flags(itab, w) -> int:
    """The ``W_*`` flags of word id ``w`` (none for -1, a word no list has)."""
    return itab[itab[H_WORDS] + 3 * w + 2] if w >= 0 else 0


def _negated(itab, ids, nt, j) -> bool:
    """Upstream ``negated([token j])``: a NEGATE word, or "n't" inside it."""
    return nt[j] or (_flags(itab, ids[j]) & W_NEG) != 0


def _negation_check(valence, itab, ids, nt, start_i, i):
    """Upstream ``_negation_check``."""
    so, this = itab[I_SO], itab[I_THIS]
    never, without, doubt = itab[I_NEVER], itab[I_WITHOUT], itab[I_DOUBT]
    if start_i == 0:
        if _negated(itab, ids, nt, i - 1):
            valence = valence * N_SCALAR
    if start_i == 1:
        if ids[i - 2] == never and (ids[i - 1] == so or ids[i - 1] == this):
            valence = valence * 1.25
        elif ids[i - 2] == without and ids[i - 1] == doubt:
            pass
        elif _negated(itab, ids, nt, i - 2):
            valence = valence * N_SCALAR
    if start_i == 2:
        if (ids[i - 3] == never and (ids[i - 2] == so or ids[i - 2] == this)) or (
            ids[i - 1] == so or ids[i - 1] == this
        ):
            valence = valence * 1.25
        elif ids[i - 3] == without and (ids[i - 2] == doubt or ids[i - 1] == doubt):
            pass
        elif _negated(itab, ids, nt, i - 3):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence, itab, ftab, ids, n, i):
    """Upstream ``_special_idioms_check`` (only reached with ``i >= 3``)."""
    values = 2 * itab[H_NWORDS]
    w0, w1, w2, w3 = ids[i], ids[i - 1], ids[i - 2], ids[i - 3]
    # onezero, twoonezero, twoone, threetwoone, threetwo: the first match wins
    r = _phrase(itab, P_SPECIAL, 2, w1, w0, -1)
    if r < 0:
        r = _phrase(itab, P_SPECIAL, 3, w2, w1, w0)
    if r < 0:
        r = _phrase(itab, P_SPECIAL, 2, w2, w1, -1)
    if r < 0:
        r = _phrase(itab, P_SPECIAL, 3, w3, w2, w1)
    if r < 0:
        r = _phrase(itab, P_SPECIAL, 2, w3, w2, -1)
    if r >= 0:
        valence = ftab[values + r]
    if n - 1 > i:
        r = _phrase(itab, P_SPECIAL, 2, w0, ids[i + 1], -1)
        if r >= 0:
            valence = ftab[values + r]
    if n - 1 > i + 1:
        r = _phrase(itab, P_SPECIAL, 3, w0, ids[i + 1], ids[i + 2])
        if r >= 0:
            valence = ftab[values + r]
    # booster n-grams threetwoone, threetwo, twoone: each adds
    r = _phrase(itab, P_BOOST, 3, w3, w2, w1)
    if r >= 0:
        valence = valence + ftab[values + r]
    r = _phrase(itab, P_BOOST, 2, w3, w2, -1)
    if r >= 0:
        valence = valence + ftab[values + r]
    r = _phrase(itab, P_BOOST, 2, w2, w1, -1)
    if r >= 0:
        valence = valence + ftab[values + r]
    return valence


def _score(cps, a, b, ctab, itab, ftab, ids, up, nt, vals) -> float:
    """Upstream's compound of ``cps[a:b]`` before rounding, or NaN to decline.

    ``ids``, ``up``, ``nt`` and ``vals`` are scratch with room for every token.
    """
    # Tokens: split(), _strip_punc_if_word, lower case id, isupper, "n't".
    words = itab[H_WORDS]
    hash_base = itab[H_HASH]
    mask = itab[H_MASK]
    maxlen = itab[H_MAXLEN]
    n = 0
    allcaps = 0
    ep = 0  # "!" and "?" in the text (always inside tokens)
    qm = 0
    k = a
    while True:
        # Every character passes here once. Decline what the tables do not
        # cover (no ASCII character: the test of c > 127 keeps this cheap).
        while k < b:
            c = cps[k]
            if c > 127 and (c >= BMP or (ctab[c] & C_DECLINE) != 0):
                return np.nan
            if (ctab[c] & C_SPACE) == 0:
                break
            k += 1
        if k >= b:
            break
        s = k
        while k < b:
            c = cps[k]
            if c > 127 and (c >= BMP or (ctab[c] & C_DECLINE) != 0):
                return np.nan
            if (ctab[c] & C_SPACE) != 0:
                break
            if c == 33:
                ep += 1
            elif c == 63:
                qm += 1
            k += 1
        e = k
        s2 = s
        e2 = e
        while s2 < e2 and (ctab[cps[s2]] & C_PUNCT) != 0:
            s2 += 1
        while e2 > s2 and (ctab[cps[e2 - 1]] & C_PUNCT) != 0:
            e2 -= 1
        if e2 - s2 > 2:
            s = s2
            e = e2
        cased = False
        notup = False
        has_nt = False
        h = FNV_OFFSET
        for m in range(s, e):
            f = ctab[cps[m]]
            if (f & C_NOTUP) != 0:
                notup = True
            elif (f & C_UPPER) != 0:
                cased = True
            lo = f & 0xFFFF
            h = (h ^ lo) * FNV_PRIME
            if lo == 39 and m > s and m + 1 < e:  # "n't"
                if (ctab[cps[m - 1]] & 0xFFFF) == 110 and (ctab[cps[m + 1]] & 0xFFFF) == 116:
                    has_nt = True
        wid = -1
        length = e - s
        if length <= maxlen:
            slot = h & mask
            while True:
                cand = itab[hash_base + 2 * slot + 1]
                if cand < 0:
                    break
                if itab[hash_base + 2 * slot] == h:
                    start = itab[words + 3 * cand]
                    if itab[words + 3 * cand + 1] == length:
                        same = True
                        for m in range(length):
                            if (ctab[cps[s + m]] & 0xFFFF) != itab[start + m]:
                                same = False
                                break
                        if same:
                            wid = cand
                            break
                slot = (slot + 1) & mask
        ids[n] = wid
        up[n] = cased and not notup
        nt[n] = has_nt
        if up[n]:
            allcaps += 1
        n += 1

    if n == 0:
        return 0.0
    cap_diff = 0 < n - allcaps < n  # allcap_differential

    # polarity_scores / sentiment_valence, token by token.
    nw = itab[H_NWORDS]
    for i in range(n):
        w = ids[i]
        wf = _flags(itab, w)
        vals[i] = 0.0
        if (wf & W_BOOST) != 0:
            continue
        if i < n - 1 and w == itab[I_KIND] and ids[i + 1] == itab[I_OF]:
            continue
        if (wf & W_LEX) == 0:
            continue
        valence = ftab[w]
        no = itab[I_NO]
        if w == no and i != n - 1 and (_flags(itab, ids[i + 1]) & W_LEX) != 0:
            valence = 0.0
        or_nor = i > 2 and (ids[i - 1] == itab[I_OR] or ids[i - 1] == itab[I_NOR])
        if (
            (i > 0 and ids[i - 1] == no)
            or (i > 1 and ids[i - 2] == no)
            or (or_nor and ids[i - 3] == no)
        ):
            valence = ftab[w] * N_SCALAR
        if up[i] and cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(3):
            if i <= start_i:
                break
            j = i - (start_i + 1)
            pw = ids[j]
            pf = _flags(itab, pw)
            if (pf & W_LEX) != 0:
                continue
            scalar = 0.0  # scalar_inc_dec
            if (pf & W_BOOST) != 0:
                scalar = ftab[nw + pw]
                if valence < 0:
                    scalar *= -1.0
                if up[j] and cap_diff:
                    if valence > 0:
                        scalar += C_INCR
                    else:
                        scalar -= C_INCR
            if start_i == 1 and scalar != 0:
                scalar = scalar * 0.95
            if start_i == 2 and scalar != 0:
                scalar = scalar * 0.9
            valence = valence + scalar
            valence = _negation_check(valence, itab, ids, nt, start_i, i)
            if start_i == 2:
                valence = _special_idioms_check(valence, itab, ftab, ids, n, i)
        # _least_check ("least" is not in the lexicon, but test as upstream does)
        least = itab[I_LEAST]
        least_ok = (_flags(itab, least) & W_LEX) == 0
        if i > 1 and ids[i - 1] == least and least_ok:
            if ids[i - 2] != itab[I_AT] and ids[i - 2] != itab[I_VERY]:
                valence = valence * N_SCALAR
        elif i > 0 and ids[i - 1] == least and least_ok:
            valence = valence * N_SCALAR
        vals[i] = valence

    # _but_check: upstream finds each value's index with list.index, so a value
    # rescales the first value equal to it, wherever that is.
    bi = -1
    for i in range(n):
        if ids[i] == itab[I_BUT]:
            bi = i
            break
    if bi >= 0:
        for j in range(n):
            v = vals[j]
            si = 0
            while vals[si] != v:
                si += 1
            if si < bi:
                vals[si] = v * 0.5
            elif si > bi:
                vals[si] = v * 1.5

    # score_valence: sum() of Python 3.11 adds left to right from 0.
    total = 0.0
    for i in range(n):
        total += vals[i]
    if ep > 4:
        ep = 4
    punct = ep * 0.292
    if qm > 1:
        if qm <= 3:
            punct += qm * 0.18
        else:
            punct += 0.96
    if total > 0:
        total += punct
    elif total < 0:
        total -= punct
    norm = total / np.sqrt(total * total + ALPHA)  # normalize
    if norm < -1.0:
        return -1.0
    if norm > 1.0:
        return 1.0
    return norm


def _one(cps, ctab, itab, ftab) -> float:
    """``_score`` of all of ``cps``."""
    n = len(cps) // 2 + 1
    return _score(
        cps,
        0,
        len(cps),
        ctab,
        itab,
        ftab,
        np.empty(n, np.int64),
        np.empty(n, np.bool_),
        np.empty(n, np.bool_),
        np.empty(n, np.float64),
    )


def _many(cps, ends, ctab, itab, ftab):
    """``_score`` of each ``cps[ends[k-1]:ends[k]]`` (from 0 for ``k == 0``)."""
    out = np.empty(len(ends), np.float64)
    longest = 0
    a = 0
    for k in range(len(ends)):
        longest = max(longest, ends[k] - a)
        a = ends[k]
    n = longest // 2 + 1
    ids = np.empty(n, np.int64)
    up = np.empty(n, np.bool_)
    nt = np.empty(n, np.bool_)
    vals = np.empty(n, np.float64)
    a = 0
    for k in range(len(ends)):
        out[k] = _score(cps, a, ends[k], ctab, itab, ftab, ids, up, nt, vals)
        a = ends[k]
    return out


_KERNELS = ("_flags", "_phrase", "_negated", "_negation_check", "_special_idioms_check", "_score")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _compiled():
    """``(one, many, ctab, itab, ftab)`` with the kernels compiled, or None when this
    cannot reproduce upstream (see the module docstring)."""
    if sys.version_info[:2] != (3, 11):  # sum() of floats differs from 3.12
        return None
    try:
        from importlib.metadata import version

        from numba import njit
        from vaderSentiment import vaderSentiment as vs
    except ImportError:
        return None
    if version("vaderSentiment") != VERSION or (vs.C_INCR, vs.N_SCALAR) != (C_INCR, N_SCALAR):
        log.warning("vader: vaderSentiment is not %s; compound() declines", VERSION)
        return None
    tables = _tables()
    with _lock:
        g = globals()
        # Kernels call each other through module globals, so those must be the
        # compiled dispatchers before the callers compile (callees first).
        for name in _KERNELS:
            if not hasattr(g[name], "py_func"):
                g[name] = njit(cache=True, nogil=True)(g[name])
        one = njit(cache=True, nogil=True)(_one)
        many = njit(cache=True, nogil=True)(_many)
    try:  # compile now, so that a numba that cannot compile declines everything
        for text in ("a", "\u2019"):
            one(_code_points(text), *tables)
            many(_code_points(text), array("q", [1]), *tables)
    except Exception as e:  # any compiler failure: upstream gives the same scores
        log.warning("vader: numba kernels unavailable (%s); compound() declines", e)
        return None
    return (one, many, *tables)


# --- API ---------------------------------------------------------------------


def _code_points(text: str) -> bytes | np.ndarray:
    """``text``'s code points: ASCII as ``bytes`` (numba reads them as an array of
    uint8, and takes them faster than a numpy array), else a uint32 array."""
    if text.isascii():
        return text.encode("ascii")
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def compound(sentence: str) -> float | None:
    """Upstream's ``polarity_scores(sentence)["compound"]``, or None if declined."""
    score = _raw(sentence)
    return None if score != score else round(score, 4)


def _raw(sentence: str) -> float:
    """The unrounded score of one sentence, NaN where declined."""
    compiled = _compiled()
    if compiled is None or not isinstance(sentence, str):
        return math.nan
    one, _, ctab, itab, ftab = compiled
    return one(_code_points(sentence), ctab, itab, ftab)


def compounds(sentences: Sequence[str]) -> list[float | None]:
    """:func:`compound` of each sentence, in one compiled call."""
    return [None if x != x else round(x, 4) for x in _batch(sentences)]


def _unrounded(sentences: Sequence[str]) -> list[float | None]:
    """Scores before upstream's ``round(x, 4)`` (None: declined); tests compare every bit."""
    return [None if x != x else x for x in _batch(sentences)]


def _batch(sentences: Sequence[str]) -> list[float]:
    """Unrounded scores, NaN where declined."""
    compiled = _compiled()
    if compiled is None:
        return [math.nan] * len(sentences)
    if len(sentences) <= 2:  # one call each is cheaper for so few
        return [_raw(s) for s in sentences]
    _, many, ctab, itab, ftab = compiled
    try:
        text = "".join(sentences)
    except TypeError:  # not all strings: score one by one
        return [_raw(s) for s in sentences]
    ends = array("q", accumulate(map(len, sentences)))  # cheaper to build than numpy's
    return many(_code_points(text), ends, ctab, itab, ftab).tolist()
