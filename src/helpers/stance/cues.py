"""Finding the cues in one answer: explicit statements, a yes/no opener, evaluative sentences.

Each explicit cue keyword (:mod:`helpers.stance.vocabulary`) is matched with the
cue regex anchored at it, its context checked ("we support" but not "the
people we support"), and the cue read in its own sentence: negation, intensifier,
hedge or contrast. Evaluative sentences about the proposal are looked for only
in windows around evaluative keywords. All offsets are in the lower-cased answer.
"""

from __future__ import annotations

import re

from helpers.stance.caches import _CACHE_MAX, _cue_cache
from helpers.stance.result import Cue, _cue
from helpers.stance.sentences import _NONSPACE_RE, _sentence_at
from helpers.stance.vocabulary import (
    _AT_RE,
    _BARE_ONLY,
    _CLAUSE_OPENERS,
    _CLAUSE_SPLIT_RE,
    _CONTRAST_IN_RE,
    _CONTRAST_START_RE,
    _EVAL_CORE_RE,
    _EVAL_RE,
    _HEDGE_RE,
    _IGNORE_BEFORE_RE,
    _IN_BEFORE_RE,
    _IN_LAST,
    _MOD_LAST,
    _NEG_BELIEF_RE,
    _NEG_RE,
    _NO_BEFORE_RE,
    _NO_LAST,
    _NOT_RE,
    _OF_TAIL_RE,
    _PARTIAL_RE,
    _PREV_WORD_RE,
    _PRON_ALONE,
    _PRON_BEFORE_RE,
    _PRON_LAST,
    _PRON_REACH,
    _PRON_WELCOME_BEFORE_RE,
    _SENTENCE_START_BEFORE_RE,
    _STRONG_RE,
    _SUPPORT_TAIL_RE,
    _WOULD_BEFORE_RE,
    _YESNO_RE,
    _at_by_number,
    mask_asides,
)

_LOOKBACK = 40  # characters before a cue searched for a negator


def _clause_bounds(text: str, s: int, e: int, pos: int, end: int) -> tuple[int, int]:
    """The part of sentence [s, e) around [pos, end) not cut off by a contrast word."""
    left = s
    for m in _CONTRAST_IN_RE.finditer(text, s, pos):
        left = m.end()
    m = _CONTRAST_IN_RE.search(text, end, e)
    return left, (m.start() if m else e)


def _is_negated(text: str, s: int, pos: int, cue_text: str) -> tuple[bool, bool]:
    """(negated, partial) for a cue starting at ``pos`` in a sentence starting at ``s``.

    Only a negator in the same clause just before the cue counts; a negated
    intensifier ("not fully agree") is partial agreement, not negation.
    """
    window = text[max(s, pos - _LOOKBACK) : pos] + " " + cue_text
    window = _CLAUSE_SPLIT_RE.split(mask_asides(window))[-1]  # "do not, however, agree"
    if _PARTIAL_RE.search(window):
        return False, True
    return bool(_NEG_RE.search(window)), False


def _next_starts_with_contrast(text: str, e: int, hi: int) -> bool:
    m = _NONSPACE_RE.search(text, e, hi)
    return bool(m and _CONTRAST_START_RE.match(text, m.start(), hi))


def _cue_reading(
    sentence: str, start: int, cue_text: str, kind: str, direction: int
) -> tuple[int, bool, bool, bool, bool]:
    """(direction, strong, negated, hedged, partial) of ``cue_text`` at ``start`` of ``sentence``.

    A function of the lower-cased sentence and cue alone: every pattern here is
    read inside them, and the character before a sentence is never part of a
    word. (A cue can run on past its sentence, across a line break.)
    """
    negated = partial = False
    if kind in ("agree", "disagree"):
        negated, partial = _is_negated(sentence, 0, start, cue_text)
        if negated:
            direction = -direction
    n = len(sentence)
    end = start + len(cue_text)
    cl, cr = _clause_bounds(sentence, 0, n, start, end)
    strong = bool(_STRONG_RE.search(sentence, cl, cr)) and not partial and kind != "neither"
    hedged = partial or bool(_HEDGE_RE.search(sentence, 0, n))
    if kind in ("neither", "formal"):
        direction, hedged = 0, False
    return direction, strong, negated, hedged, partial


def _make_cue(
    text: str,
    orig: str,
    kind: str,
    m_start: int,
    m_end: int,
    s: int,
    e: int,
    direction: int,
) -> Cue:
    """The cue at [m_start, m_end) of lower-cased ``text`` in its sentence [s, e),
    quoting ``orig`` (same offsets)."""
    # Cue sentences repeat across answers ("We agree with the proposal."): memoised.
    key = (text[s:e], m_start - s, text[m_start:m_end], kind, direction)
    reading = _cue_cache.get(key)
    if reading is None:
        if len(_cue_cache) > _CACHE_MAX:
            _cue_cache.clear()
        reading = _cue_cache[key] = _cue_reading(*key)
    direction, strong, negated, hedged, partial = reading
    return _cue(
        kind, orig[m_start:m_end], m_start, m_end, direction, strong, negated, hedged, partial, s, e
    )


def _pronoun_opens_clause(text: str, lo: int, q: int) -> bool:
    """False for a relative clause ("the people we support"), judged by the word before ``q``."""
    w = max(lo, q - 30)
    # Speed: ``_PREV_WORD_RE`` can only match the last whitespace-delimited token
    # before ``q`` (or its tail of word characters). When that token is all
    # letters it is the word, with the token start checked as the look-behind
    # would; otherwise the regex decides.
    seg = text[w:q]
    stripped = seg.rstrip()
    if len(stripped) == len(seg) or not stripped:  # no whitespace before q, or no word
        return True
    tok = stripped.rsplit(None, 1)[-1]
    if tok.isalpha():
        if len(tok) == len(stripped) and w > 0:  # the token starts the window
            c = text[w - 1]
            if c.isalnum() or c in "_’'-":  # the look-behind fails: no match
                return True
        return tok.lower() in _CLAUSE_OPENERS
    prev = _PREV_WORD_RE.search(text, w, q)
    return prev is None or prev.group(1).lower() in _CLAUSE_OPENERS


def _pronoun_before(
    pattern: re.Pattern, text: str, lo: int, before: int, p: int, last: str, stripped: str
) -> bool:
    """Whether a pronoun (and modals) opening a clause stands right before ``p``.

    ``last`` and ``stripped`` are from :func:`_word_before`. When ``last`` is a
    pronoun that is no modal and no part of "our members", the pattern can only
    match at ``last`` itself, so its start is known without searching.
    """
    if last in _PRON_ALONE:
        q = before + len(stripped) - len(last)
        if q > before:  # whitespace before ``last``: a word boundary
            return _pronoun_opens_clause(text, lo, q)
    m = pattern.search(text, before, p)
    return bool(m and _pronoun_opens_clause(text, lo, m.start()))


def _word_before(text: str, before: int, p: int) -> tuple[str | None, bool, str]:
    """(last word, newline, stripped) before ``p``: ``text[before:p]`` ends in whitespace.

    ``stripped`` is ``text[before:p]`` without its trailing whitespace and the
    word its last whitespace-delimited token; the word is None when no
    whitespace precedes ``p`` and "" when the window is only whitespace.
    ``newline`` tells whether that trailing whitespace holds a line break.
    """
    seg = text[before:p]
    stripped = seg.rstrip()
    n = len(stripped)
    if n == len(seg):
        return None, False, stripped
    return (stripped.rsplit(None, 1)[-1] if n else ""), "\n" in seg[n:], stripped


def _no_before(text: str, before: int, p: int) -> bool:
    """``_NO_BEFORE_RE`` before ``p`` ("no view", "on the fence"), pre-tested on the word before."""
    stripped = text[before:p].rstrip()
    # The pattern ends in whitespace before ``p`` after a word ending "no", "not",
    # "the"…; that word is the last token of ``stripped``, and it ends with one of
    # these (which hold no whitespace) exactly when ``stripped`` does.
    if not stripped or len(stripped) == p - before:
        return False
    if stripped.endswith("the") and (len(stripped) == 3 or stripped[-4].isspace()):
        # The word is "the": only "on the", so "on" must end the word before.
        if not stripped[:-3].rstrip().endswith("on"):
            return False
    elif not stripped.endswith(_NO_LAST):
        return False
    return bool(_NO_BEFORE_RE.search(text, before, p))


def _classify(text: str, m: re.Match, lo: int) -> tuple[str, int] | None:
    """(kind, direction) of a keyword match, or None when its context says it is no cue."""
    kind = m.lastgroup
    if kind == "formal" or kind == "neither":
        return kind, 0
    p = m.start()
    before = max(lo, p - _PRON_REACH)
    word = m.group(kind)  # already lower case: ``text`` is
    if kind == "agree" or kind == "disagree":
        # Only "as …" or "would …" just before undoes these. Both patterns end in
        # whitespace before ``p``, and the word before ends with "as"/"would"
        # exactly when the text before (less that whitespace) does.
        stripped = text[before:p].rstrip()
        if len(stripped) < p - before:
            if stripped.endswith("as") and _IGNORE_BEFORE_RE.search(text, before, p):
                return None
            if (
                stripped.endswith("would")
                and word.startswith("welcome")
                and _WOULD_BEFORE_RE.search(text, before, p)
            ):
                return None
        return kind, (1 if kind == "agree" else -1)
    last, newline, stripped = _word_before(text, before, p)
    if kind == "verb":
        if word.startswith("support"):
            tail = m.end()
            if _SUPPORT_TAIL_RE.match(text, tail) and (
                (
                    last
                    and last.endswith(_PRON_LAST)
                    and _pronoun_before(_PRON_BEFORE_RE, text, lo, before, p, last, stripped)
                )
                or (
                    (not last or newline or last.endswith(_MOD_LAST) or last[-1] in ".!?:;")
                    and _SENTENCE_START_BEFORE_RE.search(text, before, p)
                )
            ):
                return "agree", 1
            if (
                last
                and last.endswith(_IN_LAST)
                and _OF_TAIL_RE.match(text, tail)
                and _IN_BEFORE_RE.search(text, before, p)
            ):
                return "agree", 1
            return None
        if word.startswith("welcome"):  # courtesies are left out by _AT_RE
            return (
                ("agree", 1)
                if last
                and last.endswith(_PRON_LAST)
                and _pronoun_before(_PRON_WELCOME_BEFORE_RE, text, lo, before, p, last, stripped)
                else None
            )
        return (
            ("disagree", -1)
            if last
            and last.endswith(_PRON_LAST)
            and _pronoun_before(_PRON_BEFORE_RE, text, lo, before, p, last, stripped)
            else None
        )
    # bare
    if word == "agreement":
        return (
            ("agree", 1)
            if last and last.endswith(_IN_LAST) and _IN_BEFORE_RE.search(text, before, p)
            else None
        )
    return ("neither", 0) if _no_before(text, before, p) else None


def _explicit_cues(
    text: str,
    orig: str,
    lo: int,
    hi: int,
    starts: list[int],
    cue_s: list[int] | None = None,
    cue_e: list[int] | None = None,
    kws: list[int] | None = None,
    yesno: bool = True,
) -> list[Cue]:
    """The explicit cues at the keyword ``starts`` and a yes/no opener.

    When the first pass found them, ``cue_s``/``cue_e`` are the sentence around
    each keyword, ``kws`` which keyword it is (``vocabulary.keywords()``) and
    ``yesno`` False when the answer cannot open with "yes"/"no".
    """
    cues: list[Cue] = []
    m = _YESNO_RE.match(text, lo, hi) if yesno else None
    if m:
        d = 1 if m.group("yn").lower() == "yes" else -1
        s, e = _sentence_at(text, m.start("yn"), lo, hi)
        cues.append(
            _cue(
                "yesno",
                orig[m.start("yn") : m.end("yn")],
                m.start("yn"),
                m.end("yn"),
                d,
                sentence_start=s,
                sentence_end=e,
            )
        )
    last_end = lo
    at = _at_by_number() if kws is not None else None
    for i, p in enumerate(starts):
        if p < last_end:  # inside the previous cue ("neither agree nor disagree")
            continue
        if at is None:
            pattern, bare = _AT_RE, text.startswith(_BARE_ONLY, p)
        else:
            pattern, bare = at[kws[i]]
        if bare:
            # Only the "bare" alternative can match here, and it is a cue only
            # after "no", "mixed", "on the"…: most hits ("the views of") stop here.
            if not _no_before(text, max(lo, p - _PRON_REACH), p):
                continue
            m = pattern.match(text, p, hi)
            if not m:
                continue
            # What _classify would find for a bare word other than "agreement".
            kind, direction = "neither", 0
        else:
            m = pattern.match(text, p, hi)
            if not m:
                continue
            if m.lastgroup == "echo":
                last_end = m.end()
                continue
            found = _classify(text, m, lo)
            if found is None:
                continue
            kind, direction = found
        last_end = m.end()
        if cue_s is None:
            s, e = _sentence_at(text, p, lo, hi)
        else:
            s, e = cue_s[i], cue_e[i]
        cues.append(_make_cue(text, orig, kind, p, last_end, s, e, direction))
    return cues


def _evaluative_cues(text: str, orig: str, lo: int, hi: int, windows: list[list[int]]) -> list[Cue]:
    cues: list[Cue] = []
    matches = (
        m
        for ws, we in windows
        if _EVAL_CORE_RE.search(text, ws, we)
        for m in _EVAL_RE.finditer(text, ws, we)
    )
    for m in matches:
        s, e = _sentence_at(text, m.start(), lo, hi)
        gap = m.group("gap1") or m.group("gap2") or m.group("gap3") or ""
        negated = bool(_NOT_RE.search(gap) or _NEG_BELIEF_RE.search(text, s, m.start()))
        if m.group("step"):
            direction, strong = 1, "overdue" in m.group("step").lower()
        elif m.group("sense"):
            direction, strong = 1, False
        else:
            direction = -1 if (m.group("evn1") or m.group("evn2")) else 1
            strong = bool(m.group("evs1") or m.group("evs2") or _STRONG_RE.search(text, s, e))
            # "It is important to wait/delay" argues against going ahead now.
            if (m.group("act") or "").lower() in ("delay", "wait", "postpone", "defer"):
                direction = -direction
        if negated:
            direction, strong = -direction, False
        hedged = bool(_HEDGE_RE.search(text, s, e))
        cues.append(
            _cue(
                "evaluative",
                orig[m.start() : m.end()],
                m.start(),
                m.end(),
                direction,
                strong,
                negated,
                hedged,
                sentence_start=s,
                sentence_end=e,
            )
        )
    return cues
