"""Pass 2a of the compiled engine: one answer's hits, as ``reference.ReferenceCoder._code`` finds them.

For every token of the answer, its anchor candidates (precomputed per
vocabulary entry) whose pattern has a target among the themes that apply;
each phrase read outwards word by word through the token array with the gap
rules of ``phrases._next_word``/``phrases._prev_word``; the include and
exclusion hits written to ``inc``/``exc``; and the answer's negator hints, as
the Python coder's automaton scan keeps them.
"""

from __future__ import annotations

from numba import njit

from helpers.coding.engine.chars import _is_gap, _isal, _u
from helpers.coding.engine.negation import _hint_at

# Word kinds, as in ``patterns._KIND_CODE``.
K_STEM, K_PREFIX, K_EXACT = 0, 1, 2


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
def _answer_hits(
    norm,
    flags,
    base,
    n,
    t0,
    t1,
    A,
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
    neg_chars,
    neg_lo,
    neg_hi,
    inc,
    exc,
    hs,
    he,
):
    """The hits of the answer at ``base`` (length ``n``, tokens ``t0:t1``, theme set ``A``):
    ``(ni, nx, nh, bad)``.

    ``inc[:ni]`` are its includes (theme, ms, me, pid, group, term), ``exc[:nx]`` its
    exclusions (theme, ps, pe), ``hs``/``he`` the starts and ends of its ``nh`` negator
    hints (only the first ``hs.shape[0]`` are kept), offsets relative to the answer;
    ``bad`` when ``inc`` or ``exc`` ran out of room (the answer then goes to the
    Python coder).
    """
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
    return ni, nx, nh, bad
