"""The dictionary coder's inner loop compiled with numba: the same codes as ``Coder._code``.

``Coder._code`` spends ~1 µs of Python per candidate word, and real text has
~21 candidates per KB, so pure Python tops out near 10 MB/s. Here a batch of
answers is one array of code points and compiled passes do the work:

1. ``tokenize``: normalise every character through a table (lower case,
   hyphens as spaces, straight apostrophes: ``code.normalise_text``), cut the
   tokens ``code._TOKEN_RE`` would find, hash each (64-bit FNV-1a) and look it
   up in the vocabulary's hash table, and note where the line breaks and stops
   are. Tokens not yet known are returned to Python, which stems them once and
   adds them (the vocabulary is Zipfian, so after the first MB almost every
   token is known); ``relookup`` then fills in their ids.
2. ``match``: per answer, the anchor candidates of every token (precomputed per
   vocabulary entry), phrases verified outwards word by word with the gap
   rules of ``code._next_word``/``code._prev_word``, exclusions, negator hints,
   the sentence of each match (``code._SentenceFinder``'s clear-cut pieces),
   negation (``Coder._negated``), the best match per (theme, sentence) and the
   co-occurrence groups, written as rows ordered as the Python coder orders
   them.
3. ``utf8_spans``: the quotes and matched words of those rows, UTF-8 encoded
   into one buffer for Arrow string columns.

Anything this path does not reproduce exactly marks the answer for the Python
coder instead (``FALLBACK``): a match in a piece that needs Punkt, a character
outside the Basic Multilingual Plane, a capital sigma (``str.lower`` treats it
by context), or scratch space exhausted. Tests compare both paths row for row.
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

# Word kinds, as in ``code._KIND_CODE``.
K_STEM, K_PREFIX, K_EXACT = 0, 1, 2
# Stop kinds, as in ``code``.
S_BOUNDARY, S_NEUTRAL, S_UNCLEAR, S_DIGITS = 0, 1, 2, 3


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

    ``norm`` is what ``code.normalise_text`` makes of the character (its
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


@njit(cache=True, nogil=True)
def _word_ok(norm, tok_s, tok_e, tok_id, t, w, pw_kind, pw_stem, pw_clo, pw_chi, w_chars, v_stem) -> bool:  # fmt: skip
    """Whether token ``t`` matches pattern word ``w`` (by stem, prefix or exact form)."""
    s, e, tid = tok_s[_u(t)], tok_e[_u(t)], tok_id[_u(t)]
    kind, w_stem, clo, chi = pw_kind[_u(w)], pw_stem[_u(w)], pw_clo[_u(w)], pw_chi[_u(w)]
    if kind == K_STEM:
        return tid >= 0 and v_stem[tid] == w_stem
    n = chi - clo
    if kind == K_EXACT and e - s != n:
        return False
    if e - s < n:
        return False
    for k in range(n):
        if norm[_u(s + k)] != w_chars[_u(clo + k)]:
            return False
    return True


@njit(cache=True, nogil=True)
def _token_hash(norm, flags, s, hi):
    """``(end, hash)`` of the ``code._TOKEN_RE`` token matched at ``s`` (bounded by ``hi``)."""
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
    """``Coder._negated`` after its quick test passed (positions relative to ``base``).

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


@njit(cache=True, nogil=True)
def _is_ascii_letter(c) -> bool:
    return (0x41 <= c <= 0x5A) or (0x61 <= c <= 0x7A)


@njit(cache=True, nogil=True)
def _word_kind(text, norm_tab, ws, i, abbr, abbr_max) -> int:
    """``code._word_kind`` of ``text[ws:i]`` (the word before a '.'); ``abbr_max`` is
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
    """``code._SentenceFinder._cut``: the pieces of line ``[ls, le)``; returns their count.

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


@njit(cache=True, nogil=True)
def _slot(table, count, a, b) -> int:
    """The row of ``table[:count]`` whose first two columns are ``(a, b)``, or -1."""
    for y in range(count):
        if table[y, 0] == a and table[y, 1] == b:
            return y
    return -1


@njit(cache=True, nogil=True)
def _new_slot(table, count, a, b):
    """Start row ``count`` of ``table`` with ``(a, b)``: ``(row, count + 1)``, or
    ``(-1, count)`` when the table is full."""
    if count >= table.shape[0]:
        return -1, count
    table[count, 0] = a
    table[count, 1] = b
    return count, count + 1


@njit(cache=True, nogil=True)
def match(
    text,
    norm,
    flags,
    norm_tab,
    a_lo,
    a_hi,
    a_set,
    a_flag,
    a_tok,
    ev,
    a_ev,
    tok_s,
    tok_e,
    tok_id,
    v_stem,
    v_neg,
    v_cand_lo,
    v_cand_hi,
    cand_pid,
    p_after_lo,
    p_after_hi,
    p_before_lo,
    p_before_hi,
    pw_kind,
    pw_stem,
    pw_clo,
    pw_chi,
    w_chars,
    t_lo,
    t_hi,
    tg_theme,
    tg_excl,
    tg_group,
    tg_term,
    cg_size,
    cg_label,
    neg_chars,
    neg_lo,
    neg_hi,
    neg_sets,
    window,
    abbr,
    abbr_max,
    inc,
    exc,
    best,
    cooc,
    pc_s,
    pc_e,
    pc_plain,
    ts,
    te,
    th,
    hs,
    he,
    r_ans,
    r_theme,
    r_s,
    r_e,
    r_ms,
    r_me,
    r_label,
    r_neg,
) -> int:
    """Code every answer not flagged ``FALLBACK``; returns the number of rows written
    (-1: the row arrays are full; call again with bigger ones).

    Rows are ordered by answer, then sentence start, match start and theme,
    exactly as ``Coder._evidence`` orders them; offsets are relative to the
    answer. ``cooc`` rows: theme * groups + group, sentence start, group, then per
    term (up to ``(cooc.shape[1] - 3) // 7``) present, order, ms, me, pid, negated, s_end.
    An answer whose scratch space runs out is flagged ``FALLBACK`` instead.
    """
    nr = 0
    max_terms = (cooc.shape[1] - 3) // 7
    n_groups = cg_size.shape[1]
    for a in range(a_lo.shape[0]):
        if a_flag[a] & FALLBACK:
            continue
        A = a_set[a]
        if A < 0:
            continue
        base = a_lo[a]
        n = a_hi[a] - base
        answer = text[base:]  # a view per answer, not per line: views cost
        t0, t1 = a_tok[a], a_tok[a + 1]
        ni = 0
        nx = 0
        bad = False
        nh = 0
        # -- candidates: anchors, phrases, exclusions; negator hints -----------------
        # (Indices here go through ``_u``: unchecked, ~12% of this kernel's time.)
        for t in range(t0, t1):
            vid = tok_id[_u(t)]
            if vid < 0:
                continue
            kind = v_neg[vid]
            if kind != 0:
                # Negator hints, as the Python coder's automaton scan keeps them.
                s0, e0 = tok_s[_u(t)] - base, tok_e[_u(t)] - base
                if kind == 1:
                    # A whole-token negator word: only '_' (a word character for ``\b``
                    # but not part of a token) can stand next to it.
                    if not (
                        (s0 > 0 and norm[_u(base + s0 - 1)] == 0x5F)
                        or (e0 < n and norm[_u(base + e0)] == 0x5F)
                    ):
                        if nh < hs.shape[0]:
                            hs[nh] = s0
                            he[nh] = e0
                        nh += 1
                else:
                    # A token with an apostrophe: hints anywhere in it ("don't", "not's").
                    p = s0
                    while p < e0:
                        e = _hint_at(norm, flags, base, n, p, neg_chars, neg_lo, neg_hi)
                        if e < 0:
                            p += 1
                            continue
                        if nh < hs.shape[0]:
                            hs[nh] = p
                            he[nh] = e
                        nh += 1
                        p = e
            for c in range(v_cand_lo[vid], v_cand_hi[vid]):
                pid = cand_pid[_u(c)]
                tl = t_lo[A, _u(pid)]
                tlim = t_hi[A, _u(pid)]
                if tl == tlim:
                    continue
                ms = tok_s[_u(t)] - base
                ps = ms
                pe = tok_e[_u(t)] - base
                ok = True
                cur = t
                for w in range(p_after_lo[_u(pid)], p_after_hi[_u(pid)]):
                    q = pe
                    if q < n and norm[_u(base + q)] == 0x27:
                        q += 1
                    g = q
                    while q < n and _is_gap(norm[_u(base + q)]):
                        q += 1
                    if q == g or cur + 1 >= t1 or tok_s[_u(cur + 1)] - base != q:
                        ok = False
                        break
                    cur += 1
                    if not _word_ok(norm, tok_s, tok_e, tok_id, cur, w, pw_kind, pw_stem, pw_clo, pw_chi, w_chars, v_stem):  # fmt: skip
                        ok = False
                        break
                    pe = tok_e[_u(cur)] - base
                if not ok:
                    continue
                cur = t
                for w in range(p_before_lo[_u(pid)], p_before_hi[_u(pid)]):
                    i = ps
                    while i > 0 and _is_gap(norm[_u(base + i - 1)]):
                        i -= 1
                    if i == ps:
                        ok = False
                        break
                    if i > 0 and norm[_u(base + i - 1)] == 0x27:
                        i -= 1
                    if cur - 1 < t0 or tok_e[_u(cur - 1)] - base != i:
                        ok = False
                        break
                    cur -= 1
                    j = tok_s[_u(cur)] - base
                    # ``_prev_word`` searches from after the last space: nothing
                    # alphanumeric may come between that space and this token.
                    k = j - 1
                    while k >= 0 and norm[_u(base + k)] != 0x20:
                        if _isal(flags, norm[_u(base + k)]):
                            ok = False
                            break
                        k -= 1
                    if not ok:
                        break
                    if j > 0 and (
                        _isal(flags, norm[_u(base + j - 1)]) or norm[_u(base + j - 1)] == 0x27
                    ):
                        ok = False
                        break
                    if not _word_ok(norm, tok_s, tok_e, tok_id, cur, w, pw_kind, pw_stem, pw_clo, pw_chi, w_chars, v_stem):  # fmt: skip
                        ok = False
                        break
                    ps = j
                if not ok:
                    continue
                # Out of scratch space (bad): the answer goes to the Python coder.
                for g in range(tl, tlim):
                    ug = _u(g)
                    if tg_excl[ug]:
                        if nx >= exc.shape[0]:
                            bad = True
                            break
                        exc[nx, 0] = tg_theme[ug]
                        exc[nx, 1] = ps
                        exc[nx, 2] = pe
                        nx += 1
                    else:
                        if ni >= inc.shape[0]:
                            bad = True
                            break
                        inc[ni, 0] = tg_theme[ug]
                        inc[ni, 1] = ps
                        inc[ni, 2] = pe
                        inc[ni, 3] = pid
                        inc[ni, 4] = tg_group[ug]
                        inc[ni, 5] = tg_term[ug]
                        ni += 1
        if bad:
            a_flag[a] |= FALLBACK
            continue
        if ni == 0:
            continue
        if nh > hs.shape[0]:
            a_flag[a] |= FALLBACK
            continue
        # -- evidence: sentence, negation, best match per (theme, sentence) ----------
        # The sentence lookups read the answer's text, cold since ``tokenize`` (only
        # ``norm`` was read since): a load per cache line first, all independent,
        # beats a miss per lookup (~6% of this kernel). ``_cut`` overwrites pc_s[0].
        warm = 0
        for k in range(0, n, 32):
            warm += text[_u(base + k)]
        pc_s[0] = warm
        nb = 0
        nc = 0
        ls = -1
        le = -1
        npc = 0
        for x in range(ni):
            theme, ms, me, pid, group, term = (
                inc[x, 0],
                inc[x, 1],
                inc[x, 2],
                inc[x, 3],
                inc[x, 4],
                inc[x, 5],
            )
            excluded = False
            for y in range(nx):
                if exc[y, 0] == theme and exc[y, 1] < me and ms < exc[y, 2]:
                    excluded = True
                    break
            if excluded:
                continue
            # The sentence around ms (``_SentenceFinder.find``).
            if not (ls <= ms < le):
                # The line around ms, from the answer's events (line breaks and
                # stops, in order): bisect to ms, then step out to the line breaks.
                e0, e1 = a_ev[a], a_ev[a + 1]
                xs = xe = _bisect(ev, e0, e1, base + ms)
                while xs > e0 and text[_u(ev[_u(xs - 1)])] != 0x0A:
                    xs -= 1
                while xe < e1 and text[_u(ev[_u(xe)])] != 0x0A:
                    xe += 1
                ls = ev[_u(xs - 1)] - base + 1 if xs > e0 else 0
                le = ev[_u(xe)] - base if xe < e1 else n
                npc = _cut(
                    answer, flags, norm_tab, ls, le, ev, xs, xe, base,
                    abbr, abbr_max, pc_s, pc_e, pc_plain,
                )  # fmt: skip
                if npc < 0:
                    bad = True
                    break
            k = 0
            while pc_e[_u(k)] <= ms:
                k += 1
            s, e = pc_s[_u(k)], pc_e[_u(k)]
            while s < e and _isspace(flags, text[_u(base + s)]):
                s += 1
            while e > s and _isspace(flags, text[_u(base + e - 1)]):
                e -= 1
            if e > s and s <= ms < e:
                if not pc_plain[k]:
                    bad = True  # Punkt must split this piece: the Python coder does
                    break
                s_start, s_end = s, e
            else:
                s_start, s_end = ls, le
            if group < 0:
                o = _slot(best, nb, theme, s_start)
                if o >= 0 and best[o, 6] == 0:
                    if best[o, 3] < ms or (best[o, 3] == ms and best[o, 4] >= me):
                        continue  # an earlier counted match already stands for this sentence
            # Negation: the quick hint test, then the full look-back.
            negated = False
            # ``_evidence``'s quick test: the first hint starting in the look-back
            # window ends before the match.
            k = _bisect(hs, 0, nh, max(s_start, ms - 80))
            if k < nh and he[k] <= ms:
                negated = _negated(norm, flags, base, n, s_start, ms, window, neg_sets, ts, te, th)
            if group < 0:
                if o < 0:
                    o, nb = _new_slot(best, nb, theme, s_start)
                    if o < 0:
                        bad = True
                        break
                else:
                    # Prefer counted over negated, then the earliest, then the longest.
                    on, om, ome = best[o, 6], best[o, 3], best[o, 4]
                    nn = 1 if negated else 0
                    if not (on > nn or (on == nn and (om > ms or (om == ms and -ome > -me)))):
                        continue
                best[o, 2] = s_end
                best[o, 3] = ms
                best[o, 4] = me
                best[o, 5] = pid
                best[o, 6] = 1 if negated else 0
            else:
                if term >= max_terms:
                    bad = True
                    break
                # Keyed by (theme and group, sentence start); the group is column 2.
                tg = theme * n_groups + group
                o = _slot(cooc, nc, tg, s_start)
                if o < 0:
                    o, nc = _new_slot(cooc, nc, tg, s_start)
                    if o < 0:
                        bad = True
                        break
                    cooc[o, 2] = group
                    for u in range(max_terms):
                        cooc[o, 3 + 7 * u] = 0
                col = 3 + 7 * term
                if cooc[o, col] == 0 or (cooc[o, col + 5] == 1 and not negated):
                    if cooc[o, col] == 0:
                        # Insertion order of the term (``dict`` order in the Python coder).
                        cnt = 0
                        for u in range(max_terms):
                            if cooc[o, 3 + 7 * u] != 0:
                                cnt += 1
                        cooc[o, col + 1] = cnt
                    cooc[o, col] = 1
                    cooc[o, col + 2] = ms
                    cooc[o, col + 3] = me
                    cooc[o, col + 4] = pid
                    cooc[o, col + 5] = 1 if negated else 0
                    cooc[o, col + 6] = s_end
        if bad:
            a_flag[a] |= FALLBACK
            continue
        # -- co-occurrence groups with all their terms in one sentence --------------
        for y in range(nc):
            theme, group, s_start = cooc[y, 0] // n_groups, cooc[y, 2], cooc[y, 1]
            size = cg_size[theme, group]
            got = 0
            gms = 1 << 30
            gme = -1
            gneg = 0
            first_order = 1 << 30
            s_end = 0
            for u in range(max_terms):
                col = 3 + 7 * u
                if cooc[y, col] == 0:
                    continue
                got += 1
                gms = min(gms, cooc[y, col + 2])
                gme = max(gme, cooc[y, col + 3])
                if cooc[y, col + 5]:
                    gneg = 1
                if cooc[y, col + 1] < first_order:
                    first_order = cooc[y, col + 1]
                    s_end = cooc[y, col + 6]
            if got < size:
                continue
            o = _slot(best, nb, theme, s_start)
            if o >= 0 and (gneg == 1 or best[o, 6] == 0):
                continue
            if o < 0:
                o, nb = _new_slot(best, nb, theme, s_start)
                if o < 0:
                    bad = True
                    break
            best[o, 2] = s_end
            best[o, 3] = gms
            best[o, 4] = gme
            best[o, 5] = -1 - cg_label[theme, group]
            best[o, 6] = gneg
        if bad:
            a_flag[a] |= FALLBACK
            continue
        # -- rows, ordered by sentence start, match start, theme ---------------------
        if nr + nb > r_ans.shape[0]:
            return -1
        first = nr
        for y in range(nb):
            # Insertion sort into place.
            z = nr
            while z > first and (
                r_s[z - 1] > best[y, 1]
                or (
                    r_s[z - 1] == best[y, 1]
                    and (
                        r_ms[z - 1] > best[y, 3]
                        or (r_ms[z - 1] == best[y, 3] and r_theme[z - 1] > best[y, 0])
                    )
                )
            ):
                r_ans[z] = r_ans[z - 1]
                r_theme[z] = r_theme[z - 1]
                r_s[z] = r_s[z - 1]
                r_e[z] = r_e[z - 1]
                r_ms[z] = r_ms[z - 1]
                r_me[z] = r_me[z - 1]
                r_label[z] = r_label[z - 1]
                r_neg[z] = r_neg[z - 1]
                z -= 1
            r_ans[z] = a
            r_theme[z] = best[y, 0]
            r_s[z] = best[y, 1]
            r_e[z] = best[y, 2]
            r_ms[z] = best[y, 3]
            r_me[z] = best[y, 4]
            r_label[z] = best[y, 5]
            r_neg[z] = best[y, 6]
            nr += 1
    return nr


@njit(cache=True, nogil=True)
def utf8_spans(text, starts, ends, offsets):
    """``text[starts[i]:ends[i]]`` for every i, UTF-8 encoded into one byte array, with
    Arrow-style ``offsets`` (length n + 1, filled here): the quotes of a batch as an
    Arrow string column, without a Python string per row.

    Indices are unsigned: numba checks every signed index for wraparound, which
    here cost as much as the encoding itself.
    """
    n = starts.shape[0]
    offsets[0] = 0
    for i in range(n):
        size = 0
        for p in range(starts[i], ends[i]):
            c = np.uint32(text[np.uint64(p)])
            size += 1 + (c >= 0x80) + (c >= 0x800) + (c >= 0x10000)
        offsets[i + 1] = offsets[i] + size
    out = np.empty(offsets[n], np.uint8)
    u1, u2, u3, u4 = np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(4)
    for i in range(n):
        k = np.uint64(offsets[i])
        for p in range(starts[i], ends[i]):
            c = np.uint32(text[np.uint64(p)])
            if c < 0x80:
                out[k] = c
                k += u1
            elif c < 0x800:
                out[k] = 0xC0 | (c >> 6)
                out[k + u1] = 0x80 | (c & 0x3F)
                k += u2
            elif c < 0x10000:
                out[k] = 0xE0 | (c >> 12)
                out[k + u1] = 0x80 | ((c >> 6) & 0x3F)
                out[k + u2] = 0x80 | (c & 0x3F)
                k += u3
            else:
                out[k] = 0xF0 | (c >> 18)
                out[k + u1] = 0x80 | ((c >> 12) & 0x3F)
                out[k + u2] = 0x80 | ((c >> 6) & 0x3F)
                out[k + u3] = 0x80 | (c & 0x3F)
                k += u4
    return out
