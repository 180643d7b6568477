"""From verified hits to code rows: one per (theme, sentence), with its evidence.

A hit is a pattern matched at some offsets (``reference``); here each is
dropped if an exclusion of its theme overlaps it, placed in its sentence
(``sentencefinder``), checked for negation (``negation``), and the best hit
per theme and sentence kept (counted over negated, then the earliest, then the
longest), co-occurrence groups joining in when all their terms share a
sentence. The compiled engine does the same in ``engine.evidence``.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from helpers.coding import negation
from helpers.coding.sentencefinder import _SentenceFinder
from helpers.coding.tables import CodebookTables

# "No respondent id": rows without the ``respondent_id`` column (``code_text``).
_UNSET: Any = object()


def _evidence(
    ref: CodebookTables,
    text: str,
    norm: str,
    lo: int,
    hi: int,
    question_id: str,
    includes: list[tuple[int, int, int, int, int, int]],
    excludes: dict[int, list[tuple[int, int]]],
    negs: tuple[list[int], list[int]] | None = None,
    respondent_id: Any = _UNSET,
) -> list[dict]:
    """Turn verified hits into one row per (theme, sentence).

    ``negs`` are the starts and ends of the answer's negator hints, if the scan
    found them (else each match's look-back window is searched).
    """
    finder = _SentenceFinder(text, lo, hi)
    find = finder.find
    negated_at, window = negation.negated, ref.negation_window
    hint = negation._NEGATOR_HINT_RE.search
    neg_starts, neg_ends = negs if negs is not None else (None, None)
    n_negs = len(neg_starts) if neg_starts is not None else 0

    def is_negated(clause_lo: int, ms: int) -> bool:
        """``negation.negated``, behind its quick test: a negator hint in the look-back window."""
        w_lo = max(clause_lo, ms - 80)
        if neg_starts is None:
            quick = hint(norm, w_lo, ms) is not None
        else:  # the first hint starting in the window ends first
            k = bisect_left(neg_starts, w_lo)
            quick = k < n_negs and neg_ends[k] <= ms
        return quick and negated_at(norm, clause_lo, ms, window)

    pattern_texts = ref._texts
    # Sentence of the previous hit: consecutive hits usually share it, so
    # most hits skip ``find`` (only real sentences are kept, never a fallback).
    cs = ce = 0
    best: dict[tuple[int, int], tuple] = {}  # (theme, sentence start) -> row tuple
    # (theme, group, sentence start) -> term -> hit
    cooc: dict[tuple[int, int, int], dict[int, tuple]] = {}
    for theme, ms, me, pid, group, term in includes:
        if excludes:
            ex = excludes.get(theme)
            if ex and any(s < me and ms < e for s, e in ex):
                continue  # an exclusion phrase overlaps this match
        p, pe = lo + ms, lo + me
        if cs <= p < ce:
            s_start, s_end = cs, ce
        else:
            s_start, s_end = find(p)
            cs, ce = finder.last
        if group < 0:
            key = (theme, s_start)
            old = best.get(key)
            if old is not None and not old[3]:
                o_ms = old[0]
                if o_ms < p or (o_ms == p and old[1] >= pe):
                    continue  # an earlier counted match already stands for this sentence
            negated = is_negated(s_start - lo, ms)
            # Prefer counted over negated, then the earliest, then the longest match.
            if old is None or (old[3], old[0], -old[1]) > (negated, p, -pe):
                best[key] = (p, pe, pattern_texts[pid], negated, s_start, s_end)
        else:
            negated = is_negated(s_start - lo, ms)
            terms = cooc.setdefault((theme, group, s_start), {})
            prev = terms.get(term)
            if prev is None or (prev[3] and not negated):
                terms[term] = (p, pe, pid, negated, s_start, s_end)
    for (theme, group, s_start), terms in cooc.items():
        if len(terms) < len(ref.themes[theme].cooccur[group]):
            continue
        hits = list(terms.values())
        ms = min(h[0] for h in hits)
        me = max(h[1] for h in hits)
        negated = any(h[3] for h in hits)
        old = best.get((theme, s_start))
        if old is not None and (negated or not old[3]):
            continue  # a pattern match (or a counted group) already stands
        label = " + ".join(ref.themes[theme].cooccur[group])
        best[(theme, s_start)] = (ms, me, label, negated, s_start, hits[0][5])
    # Ordered by sentence, match start, theme: unique per row, so plain tuples sort
    # the same as the keyed sort they replace.
    order = sorted(
        (s_start, ms, theme, me, pattern, negated, s_end)
        for (theme, _), (ms, me, pattern, negated, s_start, s_end) in best.items()
    )
    theme_ids = ref._theme_ids
    rows = [
        _code_row(text, question_id, theme_ids[theme], s_start, s_end, ms, me, pattern, negated)
        for s_start, ms, theme, me, pattern, negated, s_end in order
    ]
    if respondent_id is not _UNSET:
        for row in rows:
            row["respondent_id"] = respondent_id
    return rows


def _code_row(
    text: str,
    question_id: str,
    theme_id: str,
    start: int,
    end: int,
    match_start: int,
    match_end: int,
    pattern: str,
    negated: bool,
) -> dict:
    """One code as a dict of CODES columns (without ``respondent_id``; automatic unless
    the caller replaces ``method`` and ``source``)."""
    return {
        "question_id": question_id,
        "theme_id": theme_id,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "match_start": match_start,
        "match_end": match_end,
        "matched_text": text[match_start:match_end],
        "pattern": pattern,
        "negated": negated,
        "method": "dictionary",
        "source": "auto",
    }
