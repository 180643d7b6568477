"""Pass 2 of the compiled engine: each answer's hits turned into rows, as ``evidence`` does.

``match`` takes every answer of a batch through what ``reference.ReferenceCoder._code``
and ``evidence._evidence`` do: its hits (``hits``: anchor candidates, phrases,
exclusions, negator hints), then the sentence of each hit (``pieces``), negation
(``negation``), the best hit per (theme, sentence) and co-occurrence groups,
written as rows in the Python coder's order.
"""

from __future__ import annotations

from numba import njit

from helpers.coding.engine.chars import FALLBACK, _bisect, _isspace, _u
from helpers.coding.engine.hits import _answer_hits
from helpers.coding.engine.negation import _negated
from helpers.coding.engine.pieces import _cut


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
    exactly as ``evidence._evidence`` orders them; offsets are relative to the
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
        ni, nx, nh, bad = _answer_hits(
            norm, flags, base, n, t0, t1, A,
            tok_s, tok_e, tok_id, v_stem, v_neg, v_cand_lo, v_cand_hi, cand_pid,
            p_after_lo, p_after_hi, p_before_lo, p_before_hi,
            pw_kind, pw_stem, pw_clo, pw_chi, w_chars,
            t_lo, t_hi, tg_theme, tg_excl, tg_group, tg_term,
            neg_chars, neg_lo, neg_hi, inc, exc, hs, he,
        )  # fmt: skip
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
