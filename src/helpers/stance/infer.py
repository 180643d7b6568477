"""The rules that read a stance from one closed "To what extent do you agree or disagree…" answer.

Respondents who write rather than tick boxes still take a position: "We agree
with Ofsted's proposal", "In principle we agree… However…", "This change is
crucial to…". :func:`infer_stance` reads that position from free text using
transparent rules (documented in ``docs/stance.md``):

1. **Explicit cues**, found by one keyword scan of the answer (compiled with
   numba in :mod:`helpers.stance.scan`, or Aho-Corasick without it) and a regex
   anchored at each keyword: agreement ("we agree", "we support this", "welcome the proposal",
   "in favour", "endorse", "no objection to"), disagreement ("disagree", "oppose",
   "object to", "reject the proposal") and no-position ("neither agree nor
   disagree", "no view", "unsure"). Each cue is read in its own sentence:
   a negator just before it flips it ("we do not agree", "we cannot support"),
   an intensifier makes it strong ("strongly", "fully", "crucial", "as soon
   as possible"), and a hedge or contrast ("in principle", "broadly",
   "subject to", "but", or a next sentence opening "However") marks
   ``reservations`` without changing the direction.
2. **Evaluative sentences** about the proposal itself, only when no explicit
   cue exists: "This change is crucial to…", "It is crucial to implement the
   new judgement…" (agreement; strong with "crucial", "vital", "essential"),
   "The proposed date is premature" (disagreement).
3. **Sentiment** (VADER), only when neither of the above is found, on a
   bounded number of sentences: a weak signal that never yields a strong stance.
4. Otherwise ``neither`` with low confidence and no evidence.

Confidence is a documented heuristic: explicit cue 0.9 > yes/no opener 0.75 >
evaluative 0.7 > sentiment ≤ 0.4 > nothing 0.2, lowered by conflicting cues
and by negation (harder to read reliably).

Offsets are absolute positions in the text passed in, so the evidence can be
quoted straight from ``respondents.text``.

Modules, in the order an answer is read: :mod:`~helpers.stance.vocabulary` (the
cue tables), :mod:`~helpers.stance.firstpass` and :mod:`~helpers.stance.scan`
(the first pass, Python or compiled), :mod:`~helpers.stance.sentences`,
:mod:`~helpers.stance.cues` (finding and reading cues),
:mod:`~helpers.stance.sentiment` and :mod:`~helpers.stance.result`. This module
weighs the cues into a stance, and is the one that chooses the compiled first
pass when numba has compiled it.
"""

from __future__ import annotations

import gc
from functools import lru_cache

from helpers.stance.caches import _ANSWER_CACHE_LEN, _ANSWER_CACHE_MAX, _answer_cache
from helpers.stance.cues import _evaluative_cues, _explicit_cues, _next_starts_with_contrast
from helpers.stance.firstpass import _eval_windows, _Found, _hits, _lower
from helpers.stance.result import (
    _SCORE_TO_STANCE,
    CONFIDENCE,
    NEGATION_PENALTY,
    Cue,
    StanceResult,
    _cue,
    _placed,
    _result,
)
from helpers.stance.sentiment import SENTIMENT_THRESHOLD, _sentiment
from helpers.stance.vocabulary import _CUE_KEYWORDS


@lru_cache(maxsize=1)
def _scanner():
    """``helpers.stance.scan.scan`` (the compiled first pass), or None without numba."""
    try:
        from helpers.stance import scan
    except ImportError:  # no numba: the Python functions give the same results
        return None
    return scan.scan if scan._kernels() is not None else None


_new_tuple = tuple.__new__


def _first_pass(answer: str, n: int) -> _Found:
    """``_Found`` for one answer: compiled when possible, else ``_lower`` and Aho-Corasick."""
    scan = _scanner()
    if scan is not None and n == len(answer):
        batch = scan([answer])
        if batch is not None and batch.ok[0]:
            return _Found(
                batch.low, batch.cue, batch.cue_kw, batch.cue_s, batch.cue_e, batch.ev, batch, 0,
                batch.yesno[0],
            )  # fmt: skip
    low = _lower(answer, 0, n)
    starts = _hits(low, _CUE_KEYWORDS)
    starts.sort()
    return _Found(low, starts)


def _decide(text: str, orig: str, cues: list[Cue], hi: int, method: str) -> StanceResult | None:
    """Combine directional cues: majority direction, ties to the first cue.

    ``text`` is the lower-cased answer, ``orig`` the answer quoted as evidence.
    """
    if len(cues) == 1:  # the usual case: the general rule below, worked out for one cue
        c = cues[0]
        if c.direction == 0:
            return None
        stance = _SCORE_TO_STANCE[c.direction * (2 if c.strong else 1)]
        reservations = c.hedged or c.partial or _next_starts_with_contrast(text, c.sentence_end, hi)
        confidence = CONFIDENCE["yesno"] if c.kind == "yesno" else CONFIDENCE[method]
        if c.negated:
            confidence -= NEGATION_PENALTY
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, stance, reservations, confidence, span, method, cues)
    directional = [c for c in cues if c.direction != 0]
    if not directional:
        return None
    pos = sum(c.direction > 0 for c in directional)
    neg = len(directional) - pos
    winner = (1 if pos > neg else -1) if pos != neg else directional[0].direction
    winning = [c for c in directional if c.direction == winner]
    deciding = winning[0]
    strong = any(c.strong for c in winning)
    stance = _SCORE_TO_STANCE[winner * (2 if strong else 1)]
    conflict = pos > 0 and neg > 0
    has_neither = any(c.direction == 0 for c in cues)
    reservations = (
        deciding.hedged
        or conflict
        or has_neither
        or any(c.partial for c in winning)
        or _next_starts_with_contrast(text, deciding.sentence_end, hi)
    )
    base = CONFIDENCE["yesno"] if deciding.kind == "yesno" else CONFIDENCE[method]
    confidence = base * len(winning) / len(directional)
    if deciding.negated:
        confidence -= NEGATION_PENALTY
    if has_neither:
        confidence *= 0.9
    span = (deciding.sentence_start, deciding.sentence_end)
    return _result(orig, stance, reservations, confidence, span, method, cues)


def _read(found: _Found, orig: str, n: int) -> StanceResult | None:
    """The rules on one answer: ``found.low`` lower-cased (offsets relative to it).

    ``orig`` is the answer as written, for the quotes (cue texts and evidence).
    """
    text = found.low
    cues = _explicit_cues(
        text, orig, 0, n, found.starts, found.cue_s, found.cue_e, found.kws, found.yesno
    )
    formal = [c for c in cues if c.kind == "formal"]
    if formal:
        c = formal[0]
        conf = CONFIDENCE["formal"] * (0.8 if any(x.direction for x in cues) else 1.0)
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, "neither", False, conf, span, "cue", cues)
    decided = _decide(text, orig, cues, n, "cue")
    if decided:
        return decided
    if cues:  # only no-position cues ("no view", "unsure")
        c = cues[0]
        span = (c.sentence_start, c.sentence_end)
        return _result(orig, "neither", False, CONFIDENCE["neither"], span, "cue", cues)
    windows = _eval_windows(text, 0, n, found.evaluative)
    evaluative = _evaluative_cues(text, orig, 0, n, windows)
    return _decide(text, orig, evaluative, n, "evaluative")


def _answer_stance(answer: str, n: int) -> StanceResult:
    """The stance of one non-blank ``answer``, offsets relative to it (``n`` its length)."""
    # All patterns are lower case and run on a lower-cased copy of the answer with
    # the same length (case-insensitive regexes are several times slower).
    return _found_stance(answer, n, _first_pass(answer, n))


def _found_stance(answer: str, n: int, found: _Found) -> StanceResult:
    """``_answer_stance`` given the first pass over the answer."""
    r = _read(found, answer, n)
    if r is None:
        first = None if found.batch is None else found.batch.first(found.index)
        mean, span = _sentiment(found.low, answer, 0, n, first)
        if span and abs(mean) >= SENTIMENT_THRESHOLD:
            direction = 1 if mean > 0 else -1
            conf = min(CONFIDENCE["sentiment_max"], 0.2 + 0.2 * abs(mean))
            s, e = span
            cue = _cue("sentiment", answer[s:e], s, e, direction, sentence_start=s, sentence_end=e)
            r = _result(answer, _SCORE_TO_STANCE[direction], False, conf, span, "sentiment", (cue,))
        else:
            r = _result(answer, "neither", False, CONFIDENCE["none"], None, "none", ())
    return r


def infer_stances(texts: list[str]) -> list[StanceResult]:
    """``[infer_stance(t) for t in texts]``, with the lower-casing, keyword scan and
    sentence finding of all the texts done in one compiled pass
    (:mod:`helpers.stance.scan`): the fast way to read many answers."""
    scan = _scanner()
    batch = scan(texts) if scan is not None and texts else None
    if batch is None:  # no numba
        return [infer_stance(t) for t in texts]
    out = []
    cache = _answer_cache
    low_big = batch.low
    los, his, ok, yesno = batch.lo, batch.hi, batch.ok, batch.yesno
    cue, cue_kw, cue_s, cue_e, a_cue = (
        batch.cue,
        batch.cue_kw,
        batch.cue_s,
        batch.cue_e,
        batch.a_cue,
    )
    ev, a_ev = batch.ev, batch.a_ev
    # Reading builds no reference cycles, so the cyclic garbage collector has
    # nothing to free here; pausing it saves its repeated scans (~5%).
    paused = gc.isenabled()
    gc.disable()
    try:
        for a, answer in enumerate(texts):
            n = len(answer)
            if not ok[a] or not answer or answer.isspace():
                out.append(infer_stance(answer))  # blank or unusual: one at a time
                continue
            short = n <= _ANSWER_CACHE_LEN  # infer_stance's cache, filled from this pass
            if short:
                r = cache.get(answer)
                if r is not None:
                    out.append(r)
                    continue
            c0, c1, e0 = a_cue[a], a_cue[a + 1], a_ev[a]
            # tuple.__new__ skips the named tuple's Python-level __new__.
            found = _new_tuple(_Found, (
                low_big[los[a] : his[a]], cue[c0:c1], cue_kw[c0:c1], cue_s[c0:c1], cue_e[c0:c1],
                ev[e0 : a_ev[a + 1]], batch, a, yesno[a],
            ))  # fmt: skip
            r = _found_stance(answer, n, found)
            if short:
                if len(cache) > _ANSWER_CACHE_MAX:
                    cache.clear()
                cache[answer] = r
            out.append(r)
    finally:
        if paused:
            gc.enable()
    return out


def infer_stance(text: str, lo: int = 0, hi: int | None = None) -> StanceResult:
    """The stance that ``text[lo:hi]`` takes on a closed agree/disagree question.

    Returns one of strongly_agree, agree, neither, disagree, strongly_disagree
    (never not_answered: an empty answer is the caller's business) with the
    evidence sentence's absolute offsets in ``text``. See the module docstring
    and ``docs/stance.md`` for the rules and the confidence heuristic.
    """
    hi = len(text) if hi is None else hi
    answer = text[lo:hi]
    if not answer or answer.isspace():
        return _result(text, "neither", False, CONFIDENCE["none"], None, "none", ())
    n = hi - lo
    if n == len(answer) and n <= _ANSWER_CACHE_LEN:
        # Short answers repeat verbatim across respondents ("Agree.", "Yes").
        r = _answer_cache.get(answer)
        if r is None:
            if len(_answer_cache) > _ANSWER_CACHE_MAX:
                _answer_cache.clear()
            r = _answer_cache[answer] = _answer_stance(answer, n)
    else:
        r = _answer_stance(answer, n)
    return _placed(r, lo) if lo else r
