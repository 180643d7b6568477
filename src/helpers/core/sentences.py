"""Sentence splitting that needs no downloaded NLTK data.

NLTK's Punkt algorithm is used with our own parameters: a shipped list of
abbreviations common in policy writing ('e.g.', 'pp.', 'Vol.', 'para.'),
optionally extended by training on the corpus itself. Line structure is
respected first: every line break ends a sentence, so bullets and headings
never run into the next sentence. (Text is normalised before this, so PDF
line wraps have already been joined.)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktTrainer,
)

# Lower-case, without the final period, as Punkt stores them.
ABBREVIATIONS = frozenset(
    """
    e.g i.e etc cf viz al approx vs v para paras pp p vol vols no nos fig figs ch sec sect art
    ed eds rev dept govt assoc inc ltd plc co corp st mr mrs ms dr prof sr jr hon cllr rt
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    approx est min max incl excl ref refs tel ext dfe dhsc la las nhs uk
    """.split()
)

_LINE_RE = re.compile(r"[^\n]+")
# Punkt considers a break only after one of these (``PunktLanguageVars.sent_end_chars``).
_END_CHARS = re.compile(r"[.?!]")
# Trailing characters after which Punkt's end-context pattern can find no next token.
_PLAIN_TAIL = frozenset(" \t\r\f\v")


# Break decisions remembered by the default tokenizer (``_BreakMemo``); emptied when full.
MEMO_CONTEXTS = 200_000

# Contexts whose break Punkt's default parameters decide without looking at the words
# (``_plain_break``): a word of two or more ASCII letters, ``.``, spaces, a token; a
# ``.`` straight after a closing bracket or double quote; a ``?`` or ``!``.
_WORD_STOP = re.compile(r"([A-Za-z]{2,})\. +\S+\Z")
_MARK_ALONE = re.compile(r"\S*(?:[)\]}\"]\.|[?!]) +\S+\Z")
# Lines split without Punkt (``_plain_line``): only ASCII spaces between tokens.
_OTHER_SPACE = re.compile(r"[^\S ]")
_NEXT_TOKEN = re.compile(r" *\S")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class _BreakMemo(PunktSentenceTokenizer):
    """Punkt with its break test remembered per context string.

    Rationale (speed, same spans): Punkt decides each candidate break by
    ``text_contains_sentbreak(context)``, where the context is the word before a
    ``.``, ``?`` or ``!``, the mark and what follows it up to the next token (such as
    ``"them. We"``). The answer depends only on that string and the tokenizer's
    parameters, which are fixed once built, so a context seen before is answered from a
    dict. On a generated survey about one context in four repeats at 1,000 respondents,
    more as the respondents grow (session 20); the test was most of Punkt's time.
    Only the default tokenizer remembers (a trained one is built per corpus).
    """

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params)
        self._breaks: dict[str, bool] = {}
        # The shortcut holds only without learnt collocations, starters or casing.
        self._plain = not (params.collocations or params.sent_starters or params.ortho_context)

    def text_contains_sentbreak(self, text: str) -> bool:
        found = self._breaks.get(text)
        if found is None:
            if self._plain and _plain_break(text, self._params.abbrev_types):
                return True
            found = super().text_contains_sentbreak(text)
            if len(self._breaks) >= MEMO_CONTEXTS:
                self._breaks.clear()
            self._breaks[text] = found
        return found


def _plain_break(context: str, abbreviations: set[str]) -> bool:
    """True when Punkt, with no learnt collocations, sentence starters or casing, is
    certain to find a break in ``context``; False means "ask Punkt" (not "no break").

    Rationale (speed, same answers): every such context is a stretch without spaces,
    the mark, and either one punctuation character or spaces and a token, so Punkt's
    word tokenizer always yields a token after the mark, and ``text_contains_sentbreak``
    is True as soon as a token before the last is a break. The mark makes one when:

    - a word of two or more ASCII letters not in ``abbreviations`` ends in ``.``
      followed by spaces (``"them. We"``): the tokenizer keeps ``"them."`` whole, the
      first pass calls a non-abbreviation ending in a period a break, and the second
      pass changes that only for collocations (none), abbreviations, initials (one
      letter) and numbers (digits), none of which such a word is;
    - the ``.`` follows ``)``, ``]``, ``}`` or ``"`` (``"(2007). As"``): those cannot
      start or continue a word token, so ``.`` is a token alone, which is a break;
    - the mark is ``?`` or ``!`` followed by spaces: it is always a token alone (it
      ends the word before it), which is a break whatever comes next.

    About nineteen contexts in twenty of a generated survey's multi-sentence lines are
    one of these (session 21), each otherwise a pass of Punkt's annotators. Checked
    against Punkt on every context of the development sets and on generated and random
    contexts (``tests/test_scale_session21.py``).
    """
    word = _WORD_STOP.match(context)
    if word is not None:
        return word.group(1).lower() not in abbreviations
    return _MARK_ALONE.match(context) is not None


@lru_cache(maxsize=1)
def _default_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return _BreakMemo(params)


def train_tokenizer(texts: Iterable[str]) -> PunktSentenceTokenizer:
    """A Punkt tokenizer trained on ``texts`` (unsupervised), plus our abbreviation list."""
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for t in texts:
        trainer.train(t, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types |= set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(
    text: str,
    start: int = 0,
    end: int | None = None,
    tokenizer: PunktSentenceTokenizer | None = None,
) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets in ``text`` within ``text[start:end]``.

    Offsets are absolute (into ``text``), so they can be stored as evidence
    spans directly. Leading/trailing whitespace is excluded from each span.
    """
    tok = tokenizer or _default_tokenizer()
    plain = type(tok._lang_vars) is PunktLanguageVars  # its end characters are _END_CHARS
    lines_fast = plain and isinstance(tok, _BreakMemo) and tok._plain
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text, start, end):
        ls = line.start()
        chunk = line.group()
        if not chunk.strip():
            continue
        one = _one_sentence(chunk) if plain else None
        if one is not None:
            spans.append((ls + one[0], ls + one[1]))
            continue
        many = _plain_line(chunk, tok._params.abbrev_types) if lines_fast else None
        if many is not None:
            spans.extend((ls + s, ls + e) for s, e in many)
            continue
        for s, e in tok.span_tokenize(chunk):
            piece = chunk[s:e]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if e - trail > s + lead:
                spans.append((ls + s + lead, ls + e - trail))
    return spans


def _one_sentence(chunk: str) -> tuple[int, int] | None:
    """The span Punkt gives a line that can hold only one sentence, or None (ask Punkt).

    Rationale (speed, same spans): Punkt looks for a break only at a ``.``, ``?`` or
    ``!`` followed by other punctuation or by whitespace and a further token. A line
    whose only such character, if any, is its last before trailing blanks has no such
    place, so Punkt returns the whole line up to its trailing whitespace (its
    ``_slices_from_text``; ``_realign_boundaries`` keeps a lone slice as it is). About
    six lines in ten of a survey's answers are like that (session 16), and Punkt's
    pass over each cost most of the sentence splitting. Lines ending in other
    whitespace characters go to Punkt, whose regex and ``str.rstrip`` may disagree
    on them. The equivalence is tested on generated and development-set answers
    (``tests/test_sentences_fast.py``).
    """
    body = chunk.rstrip()
    if any(c not in _PLAIN_TAIL for c in chunk[len(body) :]):
        return None
    if _END_CHARS.search(body, 0, len(body) - 1):
        return None
    lead = len(body) - len(body.lstrip())
    return (lead, len(body)) if len(body) > lead else None


def _plain_line(chunk: str, abbreviations: set[str]) -> list[tuple[int, int]] | None:
    """The spans Punkt (default parameters) gives a line of plain sentences, or None.

    Rationale (speed, same spans): a line whose tokens are separated by ASCII spaces
    only, whose only ``.``/``?``/``!`` are a period ending a word of two or more ASCII
    letters that is not an abbreviation (followed by a token starting with an ASCII
    letter or digit) or one mark ending the last token, is split by Punkt at each such
    period and nowhere else: Punkt finds a candidate at each of those periods (a mark,
    spaces, a token) and none at the last token's mark (nothing follows it); each
    candidate's context is the word, the period and the next token (a single leading
    space of the line may come with the first word: it makes no token), which is a
    break (``_plain_break``'s first case); a sentence then starts at the next token,
    which no closing bracket or quote begins, so ``_realign_boundaries`` moves nothing;
    the last sentence ends at the line's last non-blank character. Each span is then
    stripped as ``sentence_spans`` strips Punkt's. Most multi-sentence lines of a survey
    are like this (session 21), and Punkt's pass over them (contexts, slices,
    realignment) was a fifth of the trained step's time at 10,000 respondents.
    Compared with Punkt on generated, development-set and random lines
    (``tests/test_scale_session21.py``).
    """
    if _OTHER_SPACE.search(chunk):
        return None
    starts, ends = [0], []
    n = len(chunk)
    for mark in _END_CHARS.finditer(chunk):
        at = mark.end()
        if at == n or chunk[at] == " ":
            after = _NEXT_TOKEN.match(chunk, at)
            if after is None:  # only spaces follow: the last token's final mark
                break
        else:  # a mark inside a token
            return None
        word = chunk[chunk.rfind(" ", 0, mark.start()) + 1 : mark.start()]
        if (
            mark.group() != "."
            or len(word) < 2
            or not (word.isascii() and word.isalpha())
            or word.lower() in abbreviations
            or chunk[after.end() - 1] not in _ALNUM
        ):
            return None
        ends.append(at)
        starts.append(after.end() - 1)
    ends.append(len(chunk.rstrip()))
    out = []
    for s, e in zip(starts, ends, strict=True):
        piece = chunk[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


def sentences(text: str, tokenizer: PunktSentenceTokenizer | None = None) -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[s:e] for s, e in sentence_spans(text, tokenizer=tokenizer)]


def enclosing_sentence(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence span containing offset ``pos``, splitting only the line around it.

    Cheaper than splitting a whole answer when only a few matches need evidence.
    """
    hi = len(text) if hi is None else hi
    ls = text.rfind("\n", lo, pos) + 1
    ls = max(ls, lo)
    le = text.find("\n", pos, hi)
    le = hi if le == -1 else le
    for s, e in sentence_spans(text, ls, le):
        if s <= pos < e:
            return s, e
    return ls, le


def overlapping(
    spans: Sequence[tuple[int, int]], hits: Iterable[tuple[int, int]]
) -> list[range] | None:
    """For each ``(start, end)`` of ``hits``, the indices ``j`` of the spans it overlaps
    (``start < spans[j][1] and end > spans[j][0]``), as a range; None when the spans'
    starts or ends are not both ascending (as ``sentence_spans`` gives them), for the caller
    to test each span.

    By bisection on the spans' ends and starts: testing every hit against every sentence
    grew with the square of a text's length (its hits and its sentences both grow with it).
    """
    if any(a1 > a2 or b1 > b2 for (a1, b1), (a2, b2) in zip(spans, spans[1:], strict=False)):
        return None
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    return [range(bisect_right(ends, s), bisect_left(starts, e)) for s, e in hits]
