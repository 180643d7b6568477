"""Reworded copies: a campaign's text sent with words changed throughout, found by what it says.

A supporter often rewrites a campaign's text a little as they send it: "I back
a separate judgement for care leavers" / "I back a separate care leavers'
judgement", "us" / "young people", "18" / "eighteen", a clause moved. Each
edit is small, but spread over a short text they bring the character edit
distance of :mod:`copyscore` under its bar (the development sets' reworded
pairs score 58-89 against 90), while two *different* answers to one question
score 45-67 there too: edit distance over characters cannot tell them apart.
What does tell them apart is the run of the campaign's own wording that
survives the rewording: the pairs share 8-60 word trigrams of their own,
40-85 % of the shorter text's, where different answers share at most a few
(a quoted question, "I do not think", a place name).

The rule (:func:`reworded_copy`), and why each part:

* **Distinctive trigrams** (:func:`distinctive`): the text's word trigrams
  (normalised words) that are not trigrams of the question's own text and
  hold at least one word that is neither a stopword
  (``helpers/data/stopwords_en.txt``) nor a word of the question: two
  answers that each quote the question, or both say "we do not think that",
  share nothing by it.
* **Stock trigrams** are dropped: a trigram found in more than
  ``STOCK_CAP`` of the question's distinct texts is a phrase of the
  consultation's public debate ("push traffic onto", a slogan everyone
  repeats), not one campaign's wording. In a small consultation none is;
  in a large one the common phrases drop out, as they should, and the cap
  also bounds the work (a trigram's texts meet each other at most
  ``STOCK_CAP`` times), so the pass is linear in the number of texts.
* **Enough and most**: a pair shares at least ``MIN_SHARED`` distinctive
  trigrams (about a ten-word run of the campaign's wording, or two shorter
  ones; the weakest reworded pair of the development sets shares 8, the
  most any two different answers share is 10 of 60 or more) and they are
  at least ``MIN_SHARE`` of the shorter text's distinctive trigrams (the
  copy is mostly the campaign's text; a long answer quoting two of its
  sentences is not a copy of it: different answers reach 0.33 at most with
  two trigrams, reworded copies 0.45 and more), and at least
  ``MIN_SHARE_LONG`` of the longer one's: a campaign's two sentences that
  are a sixth of a long answer of the sender's own are quoted in it, as
  :mod:`passages` reads a short passage of a long text (dev pairs: 0.24 and
  more; a copy inside a personal answer three times its length, 0.2).
* **Same position**: no polarity word ("not", "disagree", "oppose" …) is
  changed inside the copied text (:func:`copytext.polarity_kept`), so "I
  agree …" reworded as "I disagree …" is never a copy.

The same evidence sets how many copies make a campaign
(:func:`campaign_evidence`): a text with ``MIN_SHARED`` distinctive, non-stock
trigrams is not a phrase two people write by chance, so two copies of it are a
campaign whatever its length (``campaigns.min_group_size`` asks three to five
copies of shorter texts without this evidence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import numpy as np

from helpers.core.text import stopwords
from helpers.ingest.copytext import SENTENCE_BREAK, polarity_kept
from helpers.ingest.reworded_index import TextBlocks, coded_grams, sharing_pairs

__all__ = [
    "MIN_SHARE",
    "MIN_SHARED",
    "MIN_SHARE_LONG",
    "STOCK_CAP",
    "Known",
    "campaign_evidence",
    "distinctive",
    "known_words",
    "reworded_candidates",
    "reworded_copy",
]

MIN_SHARED = 8  # distinctive trigrams a reworded pair shares at least (dev pairs: 8-62; different answers: at most 10, at shares under 0.2)
MIN_SHARE = 0.40  # of the shorter text's distinctive trigrams (dev pairs: 0.45-0.85; different answers: at most 0.33)
MIN_SHARE_LONG = (
    0.20  # of the longer text's: less, and the longer answer only quotes it (dev pairs: 0.24-0.9)
)
STOCK_CAP = 20  # distinct texts of one question a trigram may be in before it is a stock phrase

Gram = tuple[str, str, str]
Known = tuple[frozenset[str], frozenset[Gram]]  # a question's words and word trigrams


def _words(text: str) -> list[str]:
    return text.replace(SENTENCE_BREAK, " ").split()


def _text_words(texts: Sequence[str]) -> TextBlocks | list[list[str]]:
    """Each text's :func:`_words`, cut by Arrow (no Python string per word) a block of texts
    at a time when the texts are normalised; as lists otherwise."""
    words = TextBlocks.of(texts, SENTENCE_BREAK) if len(texts) else None
    return words if words is not None else [_words(t) for t in texts]


def _grams(words: Sequence[str]) -> set[Gram]:
    return set(zip(words, words[1:], words[2:], strict=False))


def known_words(question_text: str | None) -> Known:
    """A question's own words and trigrams (normalised as the answers are), never distinctive."""
    words = _words(question_text or "")
    return frozenset(words), frozenset(_grams(words))


def distinctive(text: str, known: Known | None = None) -> frozenset[Gram]:
    """The word trigrams of normalised ``text`` that say something of the writer's own.

    Not a trigram of the question's text (``known``), and holding a word that
    is neither a stopword nor a word of the question. Inside :func:`remembered`
    each (text, question) is worked out once.
    """
    words, grams = known if known is not None else _NONE_KNOWN
    memo = _memo[-1] if _memo else None
    if memo is not None:
        hit = memo.get((text, words, grams))
        if hit is not None:
            return hit
    common = _common(words)
    out = frozenset(
        g
        for g in _grams(_words(text))
        if g not in grams and not (g[0] in common and g[1] in common and g[2] in common)
    )
    if memo is not None:
        memo[(text, words, grams)] = out
    return out


_NONE_KNOWN: Known = (frozenset(), frozenset())
_memo: list[dict] = []  # the innermost ``remembered`` block's memo


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, :func:`distinctive` works out each (text, question) once.

    Why: campaign detection reads each distinct answer's trigrams twice, for its
    evidence (``campaign_evidence``) and for reworded copies
    (``reworded_candidates``); a block per question keeps one question's texts'
    trigrams and lets them go after (issue 15 item 4, benchmarks/README.md).
    """
    _memo.append({})
    try:
        yield
    finally:
        _memo.pop()


@lru_cache(maxsize=8)
def _common(words: frozenset[str]) -> frozenset[str]:
    """Stopwords and a question's words: never distinctive alone."""
    return frozenset(stopwords() | words)


def _stock(grams: Sequence[frozenset[Gram]]) -> set[Gram]:
    """Trigrams in more than ``STOCK_CAP`` of the texts: stock phrases at this scale."""
    df = Counter(g for gs in grams for g in gs)
    return {g for g, n in df.items() if n > STOCK_CAP}


def campaign_evidence(texts: Sequence[str], known: Known | None = None) -> list[int]:
    """For each text, its distinctive trigrams that are not stock phrases among ``texts``.

    Counted on integer-coded trigrams (:mod:`reworded_index`: the same counts, in a
    fraction of the memory); by the sets below when the words are too many to code."""
    coded = coded_grams(_text_words(texts), [known] * len(texts), stopwords(), STOCK_CAP)
    if coded is not None:
        return coded[2].tolist()
    grams = [distinctive(t, known) for t in texts]
    stock = _stock(grams)
    return [len(gs - stock) for gs in grams]


def reworded_copy(a: str, b: str, shared: int, grams_a: int, grams_b: int) -> bool:
    """Whether normalised texts ``a`` and ``b``, sharing ``shared`` distinctive non-stock
    trigrams of ``grams_a`` and ``grams_b``, are one campaign text reworded (module docstring)."""
    if shared < MIN_SHARED or shared < MIN_SHARE * max(1, min(grams_a, grams_b)):
        return False
    if shared < MIN_SHARE_LONG * max(grams_a, grams_b):
        return False
    short, long_ = sorted((a, b), key=len)
    return polarity_kept(_words(short), _words(long_))


def reworded_candidates(
    texts: Sequence[str],
    known: Known | Sequence[Known | None] | None = None,
    among: Iterable[int] | None = None,
) -> tuple[dict[int, Counter], list[int]]:
    """Texts sharing at least ``MIN_SHARED`` distinctive non-stock trigrams with an earlier one.

    Returns, for each text (index) that has such earlier texts, a Counter of
    them → trigrams shared, and every text's count of distinctive non-stock
    trigrams. Only texts in ``among`` (default: all) are indexed and looked
    up. ``known`` is one question's words for all texts, or a list with each
    text's own. A trigram in more than ``STOCK_CAP`` texts is left out, so each
    trigram's texts meet at most ``STOCK_CAP`` others: linear in the texts.
    """
    idx = list(range(len(texts))) if among is None else sorted(among)
    each = known if isinstance(known, list) else [known] * len(texts)
    # Integer-coded trigrams (:mod:`reworded_index`): the same pairs and counts as the
    # sets below, without a Python object per trigram; the sets when words are too many.
    coded = coded_grams(
        _text_words([texts[i] for i in idx]), [each[i] for i in idx], stopwords(), STOCK_CAP
    )
    if coded is not None:
        text, code, own_sizes = coded
        where = np.asarray(idx, dtype=np.int64)
        sizes = [0] * len(texts)
        for k, size in zip(idx, own_sizes.tolist(), strict=True):
            sizes[k] = size
        found = sharing_pairs(text, code, len(idx), STOCK_CAP, MIN_SHARED)
        out = {
            int(where[i]): Counter({int(where[j]): n for j, n in near.items()})
            for i, near in found.items()
        }
        return out, sizes
    grams = {i: distinctive(texts[i], each[i]) for i in idx}
    stock = _stock(list(grams.values()))
    sizes = [0] * len(texts)
    posting: dict[Gram, list[int]] = {}
    out: dict[int, Counter] = {}
    for i in idx:
        own = grams[i] - stock
        sizes[i] = len(own)
        hits: list[int] = []  # earlier texts, once per trigram shared: counted once
        for g in own:
            bucket = posting.setdefault(g, [])
            hits.extend(bucket)
            bucket.append(i)
        met = Counter(hits)
        near = Counter({j: n for j, n in met.items() if n >= MIN_SHARED})
        if near:
            out[i] = near
    return out, sizes
