"""Enclosing sentences for matches, cut the way ``sentences.sentence_spans`` cuts them.

Sentences are found only for hits, never for a whole text. With our untrained
Punkt parameters a candidate boundary is decided by the word with the stop and
the next word alone, so a line is first cut at its clear-cut boundaries
(``line_pieces``) and Punkt (``helpers.core.sentences``) runs only on the pieces
with an unclear one; the result is identical (tests compare both on real text).
The compiled engine cuts the same pieces (``engine.pieces``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from helpers.core.sentences import ABBREVIATIONS, sentence_spans

_WORD_KINDS_MAX = 200_000  # words whose stop verdict is cached (as the stem cache)
_SENT_END_RE = re.compile(r"[.?!]\s*")
_PLAIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
_CLOSERS = frozenset(')]"\u201d')


def _stop_verdict(line: str, i: int, j: int) -> bool | None:
    """Punkt's decision for the stop ``line[i]`` followed by spaces and a word at ``j``.

    True: a boundary; False: not one; None: not clear-cut, let Punkt decide.
    """
    return _stop_verdict_at(line, 0, i, j)


def _stop_verdict_at(text: str, ls: int, i: int, j: int) -> bool | None:
    """``_stop_verdict`` for the line starting at ``ls`` in ``text``, without slicing it out."""
    if text[i] != ".":
        # '?' and '!' after a word are tokens of their own: always a boundary.
        return True if i > ls and text[i - 1].isalnum() else None
    if i > ls and text[i - 1] in _CLOSERS:
        return True  # '.' after a bracket or quote is a token of its own
    # The word before the stop, from the last space ('\t' etc. fail the match: Punkt decides).
    ws = max(text.rfind(" ", ls, i) + 1, ls)
    if _PLAIN_WORD_RE.fullmatch(text, ws, i):
        low = text[ws:i].lower()
        # A listed abbreviation is never a boundary with untrained parameters.
        return low not in ABBREVIATIONS and low.rsplit("-", 1)[-1] not in ABBREVIATIONS
    word = text[ws:i]
    low = word.lower()
    if low in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS:
        return False  # 'e.g.', 'i.e.': one Punkt token, a listed abbreviation
    if word.isdigit() and word.isascii():
        nxt = text[j]  # a number ends a sentence unless a lower-case word follows
        if nxt.islower():
            return False
        if nxt.isupper():
            return True
    return None


def line_pieces(text: str, ls: int, le: int) -> list[tuple[int, int, bool]]:
    """Split one line at its clear-cut sentence boundaries: ``(start, end, plain)`` pieces.

    With our default Punkt parameters (abbreviation list only, no training),
    Punkt decides each candidate boundary from the word with the stop and the
    next word alone. A '.', '?' or '!' followed by a space, after a plain word of
    two or more ASCII letters that is not a listed abbreviation, is always a
    boundary; one followed by a letter or digit ('10.5', 'org.uk') never is. A
    piece is ``plain`` when it holds no other candidate, so it is one sentence;
    other pieces (abbreviations, numbers, initials, quotes after the stop) must
    be split by Punkt, which gives the same answer on the piece as on the line
    because its decisions are local. Tests compare both on real text.
    """
    pieces: list[tuple[int, int, bool]] = []
    start, plain = ls, True
    line = text[ls:le]  # a slice, so a word at the line start has nothing before it
    n = len(line)
    for m in _SENT_END_RE.finditer(line):
        i, j = m.start(), m.end()  # the stop; the next non-space
        if j >= n:
            break  # the line's last stop, perhaps with trailing spaces
        if j == i + 1:
            if line[j].isalnum():
                continue  # '10.5', 'org.uk': never a boundary
            plain = False
            continue
        verdict = _stop_verdict(line, i, j)
        if verdict is None:
            plain = False
            continue
        if not verdict:
            continue
        pieces.append((start, ls + i + 1, plain))
        start, plain = ls + j, True
    pieces.append((start, le, plain))
    out = []
    for s, e, p in pieces:
        piece = text[s:e]
        s2 = s + len(piece) - len(piece.lstrip())
        e2 = e - (len(piece) - len(piece.rstrip()))
        if e2 > s2:
            out.append((s2, e2, p))
    return out


def line_sentence_spans(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """Exactly ``sentences.sentence_spans(text, ls, le)`` for one line, using Punkt only where needed."""
    spans: list[tuple[int, int]] = []
    for s, e, plain in line_pieces(text, ls, le):
        if plain:
            spans.append((s, e))
        else:
            spans.extend(sentence_spans(text, s, e))
    return spans


# How a candidate stop acts in ``line_pieces``: ends a piece, leaves it plain, or
# makes it unclear (Punkt must split it).
_BOUNDARY, _NEUTRAL, _UNCLEAR = 0, 1, 2


_DIGITS = 3  # a number before a '.': the next word's case decides
_WORD_KINDS: dict[str, int] = {}


def _word_kind(word: str) -> int:
    """``_stop_verdict``'s decision for a '.' after ``word`` (not after a bracket or quote).

    It depends on the word alone, except after a number (``_DIGITS``), so it is
    cached per word.
    """
    got = _WORD_KINDS.get(word)
    if got is None:
        if len(_WORD_KINDS) > _WORD_KINDS_MAX:
            _WORD_KINDS.clear()  # keep memory flat on endless streams
        if _PLAIN_WORD_RE.fullmatch(word):
            low = word.lower()
            abbrev = low in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS
            got = _NEUTRAL if abbrev else _BOUNDARY
        elif (low := word.lower()) in ABBREVIATIONS or low.rsplit("-", 1)[-1] in ABBREVIATIONS:
            got = _NEUTRAL  # 'e.g', 'i.e': Punkt's token 'e.g.' is a listed abbreviation
        elif word.isdigit() and word.isascii():
            got = _DIGITS
        else:
            got = _UNCLEAR
        _WORD_KINDS[word] = got
    return got


class _SentenceFinder:
    """Enclosing sentences for hits in one answer, exactly as ``line_pieces`` cuts them.

    A line is cut into pieces once, when the first hit in it is looked up: one
    regex pass over its stops, as ``line_pieces`` but without slicing the line
    out or trimming every piece; each hit then bisects the piece ends. Punkt runs
    only on the pieces that contain a hit and an unclear candidate boundary.
    ``last`` is the last sentence found (never a line fallback): consecutive hits
    often share it, so callers test it before calling ``find``.
    """

    __slots__ = ("text", "lo", "hi", "last", "_ls", "_le", "_starts", "_ends", "_plain", "_split")

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.text, self.lo, self.hi = text, lo, hi
        self.last = (0, 0)
        self._ls = self._le = -1
        # The line's pieces (untrimmed): starts, ends and whether each is plain.
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._plain: list[bool] = []
        self._split: dict[int, list[tuple[int, int]]] = {}

    def _cut(self, ls: int, le: int) -> None:
        """``line_pieces(text, ls, le)`` before trimming, in absolute offsets."""
        text = self.text
        starts, ends, plains = [ls], [], []
        plain = True
        word_kinds = _WORD_KINDS
        # The regex has no look-around, so this equals a finditer over the line cut out.
        for m in _SENT_END_RE.finditer(text, ls, le):
            i, j = m.span()  # the stop; the next non-space
            if j >= le:
                break  # the line's last stop, perhaps with trailing spaces
            # ``_stop_verdict_at`` as a kind, inlined with its per-word part cached.
            if j == i + 1:
                kind = _NEUTRAL if text[j].isalnum() else _UNCLEAR
            elif text[i] != ".":
                kind = _BOUNDARY if i > ls and text[i - 1].isalnum() else _UNCLEAR
            elif i > ls and text[i - 1] in _CLOSERS:
                kind = _BOUNDARY
            else:
                word = text[max(text.rfind(" ", ls, i) + 1, ls) : i]
                kind = word_kinds.get(word)  # ``_word_kind``'s cache, read inline
                if kind is None:
                    kind = _word_kind(word)
                if kind == _DIGITS:
                    nxt = text[j]
                    kind = _NEUTRAL if nxt.islower() else (_BOUNDARY if nxt.isupper() else _UNCLEAR)
            if kind == _BOUNDARY:
                ends.append(i + 1)
                plains.append(plain)
                starts.append(j)
                plain = True
            elif kind == _UNCLEAR:
                plain = False
        ends.append(le)
        plains.append(plain)
        self._starts, self._ends, self._plain = starts, ends, plains
        self._split = {}

    def find(self, pos: int) -> tuple[int, int]:
        """The sentence span containing ``pos`` (as ``sentences.enclosing_sentence``)."""
        text = self.text
        ls, le = self._ls, self._le
        if not ls <= pos < le:
            ls = self._ls = max(text.rfind("\n", self.lo, pos) + 1, self.lo)
            le = text.find("\n", pos, self.hi)
            le = self._le = self.hi if le == -1 else le
            self._cut(ls, le)
        k = bisect_right(self._ends, pos)  # the piece ending after pos
        s, e = self._starts[k], self._ends[k]
        # Trim surrounding spaces (only at the line's ends can there be any).
        if text[s].isspace() or text[e - 1].isspace():
            piece = text[s:e]
            s += len(piece) - len(piece.lstrip())
            e -= len(piece) - len(piece.rstrip())
        if e > s and s <= pos < e:
            if self._plain[k]:
                self.last = (s, e)
                return s, e
            spans = self._split.get(s)
            if spans is None:
                spans = self._split[s] = sentence_spans(text, s, e)
            for s2, e2 in spans:
                if s2 <= pos < e2:
                    self.last = (s2, e2)
                    return s2, e2
        return ls, le
