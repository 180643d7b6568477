"""Shared passages: two answers that each add their own sentences around one campaign paragraph.

Campaign copies are often the campaign's paragraph with sentences of the
sender's own before it ("I signed the pledge and I agree with what they
say:") or after it (a paragraph about their own case), on *both* sides of a
pair, with small edits in the paragraph ("twelve" / "12", a word moved): the
whole texts then differ too much for the whole-text rules of
:mod:`copyscore`. This module holds the rule that still finds them
(:func:`passage_copy`) and the LSH over passage windows that proposes the
pairs to check (:func:`passage_pairs`); :mod:`nearcopies` runs both after
its whole-text pass.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from helpers.ingest.blockcodes import window_codes
from helpers.ingest.copytext import SENTENCE_BREAK, polar, trigrams
from helpers.ingest.minhash import BUCKET_CAP, bucket_pair_arrays

# Shortest shared passage that makes two texts copies: two people do not write the same run of
# whole sentences of about 18 words by chance. Session 9: 150 -> 100; batch 11's and transport-5's
# campaign pairs share two sentences of 100-150 characters, each sender adding their own line;
# no new false pair on batches 5-11 (the passage must still be PASSAGE_SHARE of the longer text,
# and a group of texts under 150 characters still needs three members: campaigns.MIN_GROUP_SIZES).
PASSAGE_CHARS = 100
PASSAGE_SLACK = 5.0  # a passage may differ a little more than a whole text (threshold 90: 85)
PASSAGE_SENTENCE = 0.8  # share of a sentence's words found in the other text (three words changed in fifteen leave 0.8)
PASSAGE_SHARE = 0.35  # of the longer text: a passage that is a small part of a long text is a quotation of it, not a copy (dev pairs: 40-82 %)
PASSAGE_TRIGRAMS = (
    5  # word trigrams two texts sharing a passage have in common at least (dev pairs: 20+)
)
PASSAGE_VERIFY = 3  # leaders tried per text left alone; with the whole-text pass's MAX_VERIFY, pairs scored stay under 2 x MAX_VERIFY per text, usually under MAX_VERIFY
MAX_PASSAGE_TEXT = 4000  # characters: longer texts are not searched for passages (bounds the work)


@lru_cache(maxsize=1024)
def _other(b: str) -> tuple[str, frozenset[tuple[str, ...]], frozenset[str]]:
    """``b`` with sentence breaks as spaces, its word trigrams and its words.

    Remembered: a campaign's leader is the other text of many pairs
    (issue 15 item 4, benchmarks/README.md)."""
    fb = b.replace(SENTENCE_BREAK, " ")
    return fb, trigrams(b), frozenset(fb.split())


def passage_score(a: str, b: str, bar: float, whole: bool = False) -> float:
    """Score of the longest run of ``a``'s whole sentences found in ``b`` with small edits, or 0.

    Each sentence of ``a`` is looked for in ``b`` by its words (at least
    ``PASSAGE_SENTENCE`` of them in ``b``, and one word trigram; a sentence of
    two or three words: all its words); a run of consecutive sentences all found and together at least
    ``PASSAGE_CHARS`` long and ``PASSAGE_SHARE`` of the longer text is then looked for as a whole, and must score
    ``bar``, with no word that turns a position around among the words that
    differ between the run and the window of ``b`` it matches. ``whole``: only a run of
    every sentence of ``a`` (two or more) counts, and then whatever its share of ``b``
    (:func:`passage_copy`'s ``contained``).
    """
    sentences = a.split(SENTENCE_BREAK)
    if whole and len(sentences) < 2:
        return 0.0
    fb, theirs, their_words = _other(b)
    found = []
    for sentence in sentences:
        words = sentence.split()
        grams = list(zip(words, words[1:], words[2:], strict=False))
        known = sum(map(their_words.__contains__, words))
        if len(grams) < 3:  # a few words: found when all are in the other text
            found.append(known == len(words))
        else:  # most words there, and some of them in the same order
            found.append(known >= PASSAGE_SENTENCE * len(words) and any(g in theirs for g in grams))
    best = 0.0
    i = 0
    while i < len(sentences):
        if not found[i]:
            i += 1
            continue
        j = i
        while j < len(sentences) and found[j]:
            j += 1
        run = " ".join(sentences[i:j])
        if whole:
            least = PASSAGE_CHARS if (i, j) == (0, len(sentences)) else math.inf
        else:
            least = max(PASSAGE_CHARS, PASSAGE_SHARE * max(len(a), len(b)))
        if len(run) >= least:
            al = fuzz.partial_ratio_alignment(run, fb, processor=None, score_cutoff=bar)
            if al is not None and al.score >= bar:
                window = fb[al.dest_start : al.dest_end]
                if polar(run.split()) == polar(window.split()):
                    best = max(best, al.score)
        i = j
    return best


def windows(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """Passage windows of ``texts``: from each sentence, the run up to ``PASSAGE_CHARS``.

    Returned as the windows and, for each, the index of its text. Texts shorter
    than ``PASSAGE_CHARS`` or longer than ``MAX_PASSAGE_TEXT`` have none.
    Linear in the texts' length (each window is about ``PASSAGE_CHARS`` long,
    one per sentence).
    """
    out: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        if not PASSAGE_CHARS <= len(text) <= MAX_PASSAGE_TEXT:
            continue
        sentences = text.split(SENTENCE_BREAK)
        for k in range(len(sentences)):
            run, m = [], k
            size = 0
            while m < len(sentences) and size < PASSAGE_CHARS:
                run.append(sentences[m])
                size += len(sentences[m]) + 1
                m += 1
            if size < PASSAGE_CHARS:
                break
            out.append(" ".join(run))
            owner.append(i)
    return out, owner


class PairTable(Mapping[int, Counter]):
    """Later text → Counter of the earlier texts it meets → bands met, held as three integer
    arrays sorted by later then earlier text; a text's Counter is made when it is read.

    Session 28 (issue 15, memory): :func:`passage_pairs` returned a dict of Counters, a
    Python int pair per meeting; at 100,000 generated survey respondents a question's
    leaders met about ten million times, and the dict (about 0.9 GB) was the largest thing
    campaign detection held. The same mapping (``==`` a dict of the same Counters)."""

    def __init__(self, hi: np.ndarray, lo: np.ndarray, counts: np.ndarray) -> None:
        small = np.int32 if len(hi) and int(hi.max()) < 2**31 else np.int64
        self._lo, self._counts = lo.astype(small), counts.astype(np.int32)
        self._keys, starts = np.unique(hi, return_index=True)
        self._bounds = np.r_[starts, len(hi)].astype(np.int64)

    def __getitem__(self, text: int) -> Counter:
        k = int(np.searchsorted(self._keys, text))
        if k >= len(self._keys) or self._keys[k] != text:
            raise KeyError(text)
        s, e = self._bounds[k], self._bounds[k + 1]
        return Counter(dict(zip(self._lo[s:e].tolist(), self._counts[s:e].tolist(), strict=True)))

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys.tolist())

    def __len__(self) -> int:
        return len(self._keys)


def passage_pairs(texts: Sequence[str]) -> Mapping[int, Counter]:
    """Texts sharing a passage window's LSH band with an earlier text: index → those earlier texts.

    Whole-text MinHash misses two texts that share a campaign paragraph when
    each adds much of its own (their Jaccard similarity is low); their
    windows over the shared paragraph are near copies, and meet in a band.
    Each band's bucket keeps at most ``BUCKET_CAP`` texts, so a text meets at
    most ``LSH_BANDS`` x ``BUCKET_CAP`` others per window.
    """
    # The windows' band codes a block of texts at a time (session 26: every window's string
    # and signature at once was the largest array of campaign detection at 100,000).
    owner, codes = window_codes(texts, windows)
    if len(np.unique(owner)) < 2:
        return {}
    return PairTable(*bucket_pair_arrays(owner, codes, BUCKET_CAP))


def passage_copy(short: str, long_: str, threshold: float, contained: bool = False) -> float:
    """``threshold`` when the two texts share a passage (a campaign text each sender added to), else 0.

    Two texts are copies when a run of whole sentences of one, at least
    ``PASSAGE_CHARS`` normalised characters (two people do not write the same
    two sentences by chance) and ``PASSAGE_SHARE`` of the longer text (a
    stock paragraph of a long text, sent on its own, is not a copy of it), is
    found in the other with a partial ratio of at least ``threshold -
    PASSAGE_SLACK``, and no polarity word differs between them. The pair then
    scores ``threshold`` (it counts, at the bar). Texts over
    ``MAX_PASSAGE_TEXT`` characters are not searched.

    ``contained`` (the caller knows ``short`` is a campaign text already: sent by two or
    more respondents, or leading copies of its own): ``short`` found WHOLE in ``long_``,
    every one of its sentences (two or more) in one run, is a copy whatever share of
    ``long_`` it is. Session 23: a supporter who pastes the whole campaign text and adds
    a paragraph of their own longer than it (``benchmarks/campaign_perturb``, kinds
    ``personal_after``/``personal_before``) fell under ``PASSAGE_SHARE``, which is there
    for a stock paragraph or a quoted sentence; the whole of an established campaign
    text is neither (a quoted single sentence still is: ``quote_own``).
    """
    if threshold <= 0 or len(short) < PASSAGE_CHARS or len(long_) > MAX_PASSAGE_TEXT:
        return 0.0
    bar = threshold - PASSAGE_SLACK
    if contained:
        shared = len(trigrams(short) & trigrams(long_))
        if shared >= max(PASSAGE_TRIGRAMS, len(trigrams(short)) / 2) and passage_score(
            short, long_, bar, whole=True
        ):
            return threshold
    # A passage of PASSAGE_SHARE of the longer text keeps at least half its trigrams
    # through small edits: fewer in common, and there is none (most pairs end here, cheaply).
    long_grams = trigrams(long_)
    needed = max(PASSAGE_TRIGRAMS, PASSAGE_SHARE * len(long_grams) / 2)
    if len(trigrams(short) & long_grams) < needed:
        return 0.0
    if passage_score(short, long_, bar) or passage_score(long_, short, bar):
        return threshold
    return 0.0
