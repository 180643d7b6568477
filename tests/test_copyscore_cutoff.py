"""``copyscore.similarity`` on long pairs: the character ratio's cutoff at the word score
gives the same score as computing the ratio with the threshold alone (session 20)."""

import math
import random

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from helpers.ingest import copyscore
from helpers.ingest.copytext import flat_words, polarity_kept


def _reference(a: str, b: str, threshold: float) -> float:
    """The long-pair branch as it was (the ratio's cutoff the threshold), no passage rule."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < copyscore.MIN_LENGTH_RATIO * len(long_):
        return 0.0
    (fs, ws), (fl, wl) = flat_words(short), flat_words(long_)
    assert len(short) >= copyscore.LONG_CHARS
    cutoff = None
    if threshold > 0:
        cutoff = max(0, math.floor(len(ws) + len(wl) - threshold * max(len(ws), 1) / 50) + 1)
    common = (len(ws) + len(wl) - Indel.distance(ws, wl, score_cutoff=cutoff)) / 2
    chars = fuzz.ratio(fs, fl, processor=None, score_cutoff=threshold)
    score = max(100.0 * common / max(len(ws), 1), chars)
    return score if score >= threshold and polarity_kept(ws, wl) else 0.0


VOCAB = (
    "we would like the council to keep our library open longer hours because children "
    "need quiet space study after school and older residents rely on its computers"
).split()


def _pair(rng: random.Random) -> tuple[str, str]:
    words = [rng.choice(VOCAB) for _ in range(rng.randint(20, 400))]
    other = list(words)
    for _ in range(rng.randint(0, max(1, len(words) // 4))):
        i = rng.randrange(len(other))
        edit = rng.random()
        if edit < 0.3:
            other[i] = rng.choice(VOCAB)  # a word changed
        elif edit < 0.5:
            other[i] = other[i][:-1] or other[i]  # a letter dropped: chars beat words
        elif edit < 0.7:
            del other[i]
        else:
            other.insert(i, rng.choice(VOCAB))
    return " ".join(words), " ".join(other)


def test_long_pairs_score_as_before():
    rng = random.Random(20)
    seen_chars_win = seen_words_win = 0
    for _ in range(600):
        a, b = _pair(rng)
        if min(len(a), len(b)) < copyscore.LONG_CHARS:
            continue
        for threshold in (0.0, 60.0, 85.0, 90.0, 95.0):
            want = _reference(a, b, threshold)
            got = copyscore.similarity(a, b, threshold, passage=False)
            assert got == want, (threshold, a, b)
        (fs, ws), (fl, wl) = flat_words(a), flat_words(b)
        if len(ws) <= len(wl):
            words = 100.0 * (len(ws) + len(wl) - Indel.distance(ws, wl)) / 2 / max(len(ws), 1)
            chars = fuzz.ratio(fs, fl, processor=None)
            seen_chars_win += chars > words
            seen_words_win += words > chars
    assert seen_chars_win > 20 and seen_words_win > 20  # both branches of the max were met


def test_equal_scores_are_kept():
    text = "we would like the council to keep our library open longer hours " * 3
    assert copyscore.similarity(text, text, 90.0) == 100.0
