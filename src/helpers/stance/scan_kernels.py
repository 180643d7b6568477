"""The compiled kernels of stance's first pass (numba), and the constants they read.

Split from :mod:`helpers.stance.scan` (session 21, no change of behaviour), which
re-exports the constants and drives these kernels: ``_scan_batch`` lower-cases a batch
of answers, finds the cue and evaluative keywords and the sentences around the cues
and the first sentences sentiment reads; ``_sentence_at`` finds one sentence (tests).
The constants are read by numba when a kernel compiles, so they live beside them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Classes of a (lower-cased) UTF-16 code unit, as ``str`` methods and ``re`` see them.
ALPHA, WORD, SPACE = 1, 2, 4  # isalpha, \w (isalnum or "_"), isspace (\s)
CUE, EVAL, WHOLE = 1, 2, 4  # keyword flags: cue, evaluative, must end a word
SENTENCE_LOOKBACK = 600  # as sentences._SENTENCE_LOOKBACK
FIRST_SENTENCES = 2  # as sentiment.MAX_SENTIMENT_SENTENCES
FIRST_CHARS = 3000  # as sentiment.MAX_SENTIMENT_CHARS
DOTLESS_I = 0x130  # "İ": its lower case is two characters, so it is kept as it is
U1 = np.uint64(1)


# --- The kernels ---------------------------------------------------------------

_jit = njit(cache=True, nogil=True)


@_jit
def _is_stop(c):
    return c == 0x2E or c == 0x21 or c == 0x3F


@_jit
def _is_closer(c):
    return c == 0x22 or c == 0x27 or c == 0x201D or c == 0x2019 or c == 0x29 or c == 0x5D


@_jit
def _is_opener(c):
    # * _ " ' “ ‘ > - (besides spaces) may come before an opening "yes"/"no".
    return (
        c == 0x2A
        or c == 0x5F
        or c == 0x22
        or c == 0x27
        or c == 0x201C
        or c == 0x2018
        or (c == 0x3E or c == 0x2D)
    )


@_jit
def _match_at(low, cls, q, hi):
    """``(end of the stop run at q, end of the match or -1)``: ``sentences._END_RE`` at the
    stop ``q``, its line (ending at a line break or ``hi``) as the bound."""
    r = q + 1
    while r < hi and _is_stop(low[r]):
        r += 1
    run_end = r
    while r < hi and _is_closer(low[r]):
        r += 1
    # The lookahead needs whitespace inside the line: a line break ends the line.
    if r < hi and low[r] != 0x0A and cls[low[r]] & SPACE:
        return run_end, r
    return run_end, -1


@_jit
def _end_match(low, cls, k, endpos):
    """The first match of ``sentences._END_RE`` in ``low[k:endpos]`` (within one line) as
    ``(start, end)``, or ``(-1, -1)``."""
    i = k
    while i < endpos:
        if not _is_stop(low[i]):
            i += 1
            continue
        run_end, me = _match_at(low, cls, i, endpos)
        if me >= 0:
            return i, me
        i = run_end  # starting later in the same run ends at the same place
    return -1, -1


@_jit
def _is_break(low, cls, ms, me, ls, abbr, abbr_len):
    # sentences._is_break: only a lone "." can be no break, after "e.g", "dr"… or
    # a single letter (the word: the [\w.]+ run before it, within 20 characters).
    if low[ms] != 0x2E or me - ms > 1:
        return True
    b = max(ls, ms - 20)
    k = ms
    while k > b and (cls[low[k - 1]] & WORD or low[k - 1] == 0x2E):
        k -= 1
    n = ms - k
    if n == 0:
        return True
    if n == 1:
        c = low[k]
        if cls[c] & ALPHA and c != DOTLESS_I:
            return False
    for j in range(abbr_len.shape[0]):
        if abbr_len[j] != n:
            continue
        same = True
        for t in range(n):
            if low[k + t] != abbr[j, t]:
                same = False
                break
        if same:
            return False
    return True


@_jit
def _sentence_in(low, cls, pos, ls, le, abbr, abbr_len):
    # sentences._sentence_in: the last sentence end before ``pos`` (looked for in
    # a bounded window first) and the first one after it, spaces trimmed.
    scan = max(ls, pos - SENTENCE_LOOKBACK)
    start = scan
    found = False
    ms, me = _end_match(low, cls, scan, pos)
    while ms >= 0:
        if _is_break(low, cls, ms, me, ls, abbr, abbr_len):
            start = me
            found = True
        ms, me = _end_match(low, cls, me, pos)
    if not found and scan > ls:
        start = ls
        ms, me = _end_match(low, cls, ls, pos)
        while ms >= 0:
            if _is_break(low, cls, ms, me, ls, abbr, abbr_len):
                start = me
            ms, me = _end_match(low, cls, me, pos)
    end = le
    ms, me = _end_match(low, cls, pos, le)
    while ms >= 0:
        if _is_break(low, cls, ms, me, ls, abbr, abbr_len):
            end = me
            break
        ms, me = _end_match(low, cls, me, le)
    while start < end and cls[low[start]] & SPACE:
        start += 1
    while end > start and cls[low[end - 1]] & SPACE:
        end -= 1
    return start, end


@_jit
def _sentence_at(low, cls, pos, lo, hi, abbr, abbr_len):
    # sentences._sentence_at: the line around ``pos`` bounds the sentence.
    ls = pos
    while ls > lo and low[ls - 1] != 0x0A:
        ls -= 1
    le = pos
    while le < hi and low[le] != 0x0A:
        le += 1
    return _sentence_in(low, cls, pos, ls, le, abbr, abbr_len)


@_jit
def _cue_sentences(low, cls, lo, hi, cue, cue_s, cue_e, h0, h1, evt, v0, v1, abbr, abbr_len):
    """``_sentence_at`` for the cue keyword starts ``cue[h0:h1]`` (in order) of answer
    [lo, hi), in one sweep along its stops and line breaks ``evt[v0:v1]``.

    A keyword is a letter, so no sentence end spans it and those before it are
    found by the search from the line start, in order. ``_sentence_in`` searches
    a window before the keyword first, which finds the same last sentence end: a
    run of stops cut by the window's start is still a sentence end, and with none
    in the window it searches from the line start.
    """
    j = v0  # the next event not yet passed
    ls = lo  # the line start
    last = -1  # the end of the line's last sentence end passed (-1: none)
    for h in range(h0, h1):
        pos = lo + cue[h]
        while j < v1 and evt[j] < pos:
            q = evt[j]
            j += 1
            if low[q] == 0x0A:
                ls, last = q + 1, -1
                continue
            run_end, me = _match_at(low, cls, q, hi)
            if me >= 0 and _is_break(low, cls, q, me, ls, abbr, abbr_len):
                last = me
            while j < v1 and evt[j] < run_end:  # stops of the same run
                j += 1
        # The end: the first sentence end after the keyword, else the line end.
        e = hi
        k = j
        while k < v1:
            q = evt[k]
            k += 1
            if low[q] == 0x0A:
                e = q
                break
            run_end, me = _match_at(low, cls, q, hi)
            if me >= 0 and _is_break(low, cls, q, me, ls, abbr, abbr_len):
                e = me
                break
            while k < v1 and evt[k] < run_end:
                k += 1
        s = last if last >= 0 else ls
        while s < e and cls[low[s]] & SPACE:
            s += 1
        while e > s and cls[low[e - 1]] & SPACE:
            e -= 1
        cue_s[h] = s - lo
        cue_e[h] = e - lo


@_jit
def _scan_batch(
    units, a_lo, a_hi, lower, cls, kw_first, kw_lens, kw_chars, kw_flags, abbr, abbr_len,
    low, cue, cue_kw, cue_s, cue_e, a_cue, ev, a_ev, first_s, first_e, a_ok, a_yn, evt,
):  # fmt: skip
    n_cue = 0
    n_ev = 0
    for a in range(a_lo.shape[0]):
        lo, hi = a_lo[a], a_hi[a]
        a_cue[a] = n_cue
        a_ev[a] = n_ev
        for j in range(FIRST_SENTENCES):
            first_s[a, j] = -1
            first_e[a, j] = -1
        ok = True
        n_evt = 0  # the answer's stops and line breaks
        # Positions are unsigned in the loops over characters: numba checks every
        # signed index for wraparound, which costs as much as the work here.
        ulo, uhi = np.uint64(lo), np.uint64(hi)
        prev_alpha = False
        # One pass: lower-case each character, note stops and line breaks, and
        # look for keywords where a word starts (comparing the units ahead lower-cased).
        for i in range(ulo, uhi):
            c = units[i]
            if c < 0x80:  # most text: ASCII, lower-cased without the table
                if c < 0x41:
                    if c == 0x2E or c == 0x21 or c == 0x3F or c == 0x0A:
                        evt[n_evt] = i  # stops and line breaks, for the sentences
                        n_evt += 1
                    low[i] = c
                    prev_alpha = False
                    continue
                lc = c + 32 if c <= 0x5A else c
                low[i] = lc
                if lc < 97 or lc > 122:
                    prev_alpha = False
                    continue
                if prev_alpha:
                    continue
                prev_alpha = True
            else:
                if c == 0x03A3 or 0xD800 <= c <= 0xDFFF:
                    ok = False
                    break
                lc = lower[c]
                low[i] = lc
                if lc < 97 or lc > 122:  # (the Kelvin sign lower-cases to "k")
                    prev_alpha = cls[lc] & ALPHA != 0
                    continue
                if prev_alpha:
                    continue
                prev_alpha = True
            # A word starts here with a letter a-z: keywords are grouped by two letters.
            if i + U1 >= uhi:
                continue
            c1 = lower[units[i + U1]]
            if c1 < 97 or c1 > 122:
                continue
            b = 26 * (np.int64(lc) - 97) + np.int64(c1) - 97
            cue_hit = -1  # the cue keyword's number, if one starts here
            ev_hit = False
            for j in range(kw_first[b], kw_first[b + 1]):
                m = np.uint64(kw_lens[j])
                if i + m > uhi:
                    continue
                k = np.uint64(2)
                while k < m and lower[units[i + k]] == kw_chars[j, k]:
                    k += U1
                if k < m:
                    continue
                f = kw_flags[j]
                if f & CUE:
                    cue_hit = j
                if f & EVAL and not (
                    f & WHOLE and i + m < uhi and cls[lower[units[i + m]]] & ALPHA
                ):
                    ev_hit = True
            if cue_hit >= 0:
                cue[n_cue] = i - ulo
                cue_kw[n_cue] = cue_hit
                n_cue += 1
            if ev_hit:
                ev[n_ev] = i - ulo
                n_ev += 1
        a_ok[a] = ok
        if not ok:
            n_cue, n_ev = a_cue[a], a_ev[a]  # its hits are dropped
            continue
        # Whether the answer may open with "yes"/"no" (after spaces, quotes, bullets):
        # vocabulary._YESNO_RE is only tried where it may.
        p = lo
        while p < hi and (cls[low[p]] & SPACE or _is_opener(low[p])):
            p += 1
        a_yn[a] = (p + 1 < hi and low[p] == 0x6E and low[p + 1] == 0x6F) or (
            p + 2 < hi and low[p] == 0x79 and low[p + 1] == 0x65 and low[p + 2] == 0x73
        )
        _cue_sentences(
            low, cls, lo, hi, cue, cue_s, cue_e, a_cue[a], n_cue, evt, 0, n_evt, abbr, abbr_len
        )
        # sentences._first_sentences over the first FIRST_CHARS characters.
        fhi = min(hi, lo + FIRST_CHARS)
        pos = lo
        v = 0  # the answer's events before ``pos`` are passed
        ls = lo  # the start of ``pos``'s line
        for j in range(FIRST_SENTENCES):
            while pos < fhi and cls[low[pos]] & SPACE:
                pos += 1
            if pos >= fhi:
                break
            # The line around ``pos`` from the line breaks noted (no scan for its end).
            while v < n_evt and evt[v] < pos:
                if low[evt[v]] == 0x0A:
                    ls = evt[v] + 1
                v += 1
            le = fhi
            for w in range(v, n_evt):
                if evt[w] >= fhi:
                    break
                if low[evt[w]] == 0x0A:
                    le = evt[w]
                    break
            s, e = _sentence_in(low, cls, pos, ls, le, abbr, abbr_len)
            if e <= s:
                break
            first_s[a, j] = s - lo
            first_e[a, j] = e - lo
            pos = e
    a_cue[a_lo.shape[0]] = n_cue
    a_ev[a_lo.shape[0]] = n_ev
