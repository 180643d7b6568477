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
from collections.abc import Iterable
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

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


@lru_cache(maxsize=1)
def _default_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


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
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text, start, end):
        ls = line.start()
        chunk = line.group()
        if not chunk.strip():
            continue
        for s, e in tok.span_tokenize(chunk):
            piece = chunk[s:e]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if e - trail > s + lead:
                spans.append((ls + s + lead, ls + e - trail))
    return spans


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
