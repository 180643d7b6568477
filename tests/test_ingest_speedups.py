"""Exact rewrites made for speed (issue 15): each gives what the code it replaced gave.

- ``coding.patterns.StemFilter``: a word whose first two letters begin none of
  the phrase stems is not stemmed by the compiled coder; checked on the words
  of real responses, a generated corpus and made-up words with every suffix the
  English Snowball stemmer removes.
- ``ingest.campaigns.normalise``: three passes over the whole text against the
  sentence-by-sentence reference, on real and generated answers and on random
  strings of punctuation, spaces, breaks and the mark character.
- ``ingest.textnorm.normalise``: the character-set checks that skip a step give
  the text the step itself gives (hand-written cases for each skipped class).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from helpers.coding import patterns
from helpers.coding.patterns import StemFilter, stem
from helpers.ingest import campaigns, textnorm
from helpers.ingest.textnorm import normalise

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
_SUFFIXES = (
    "ing ingly ed edly ies ied s es sses y ly li ational tional enci anci abli entli izer "
    "ization ation ator alism aliti alli fulness ousli ousness iveness iviti biliti bli ogi "
    "fulli lessli alize icate iciti ical ful ness ative al ance ence er ic able ible ant ement "
    "ment ent ism ate iti ous ive ize ion e l eed eedly 's"
).split()


def _vocabulary() -> set[str]:
    words: set[str] = set()
    for path in sorted(_RAW.rglob("*.txt")):
        words |= set(_WORD.findall(path.read_text("utf-8", errors="ignore").lower()))
    rng = random.Random(15)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(40_000):
        head = "".join(rng.choice(letters) for _ in range(rng.randint(1, 5)))
        words.add(head + rng.choice(_SUFFIXES))
    words |= {"dying", "lying", "tying", "skies", "news", "cry", "ties", "aed", "abing", "yes"}
    return words


def test_snowball_keeps_the_first_two_letters_except_listed_words():
    """The property StemFilter rests on, on tens of thousands of words."""
    for word in _vocabulary():
        s = stem(word)
        k = min(2, len(s))
        assert s[:k] == word[:k] or word in patterns._SPECIAL_HEADS, (word, s)
    assert {"dying", "lying", "tying"} <= patterns._SPECIAL_HEADS


def test_stem_filter_never_drops_a_word_that_stems_to_a_kept_stem():
    words = sorted(_vocabulary())
    stems = {stem(w) for w in words[::400]} | {"die", "lie", "sky", "hope", "a"}
    keep = StemFilter(stems)
    dropped = 0
    for word in words:
        if not keep.may_stem_to(word):
            dropped += 1
            assert stem(word) not in stems, word
    assert dropped > 0  # the filter does skip words


@pytest.mark.parametrize(
    ("word", "expected"),
    [("dying", True), ("housing", True), ("zebra", False), ("Zebra", True), ("'tis", True),
     ("éte", True), ("hu", True), ("x", False)],
)  # fmt: skip
def test_stem_filter_cases(word, expected):
    assert StemFilter(["hous", "die", "hum"]).may_stem_to(word) is expected


def test_campaign_normalise_matches_the_sentence_by_sentence_reference():
    texts = [p.read_text("utf-8", errors="ignore") for p in sorted(_RAW.rglob("*.txt"))]
    texts += ["Hello.  World!! \n\n Next?", "a. . b", "\x00a. b", "__x__, y_z", "...", "", "ok"]
    rng = random.Random(8)
    alphabet = "ab .!?\n\t_,;'’-\u00a0\x1c\x00ÉßİK1\u2028…\r"
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(20_000)
    ]
    for text in texts:
        assert campaigns.normalise(text) == campaigns._normalise_by_sentence(text.casefold()), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("caf\u00e9\u2028next", "caf\u00e9\nnext"),  # a line separator, in non-ASCII text
        ("\ufb01nal \u00e9", "final \u00e9"),  # a ligature
        ("soft\u00adhyphen \u00e9\nline", "softhyphen \u00e9\nline"),  # an invisible character
        ("a\u00a0b \u00e9", "a b \u00e9"),  # a no-break space
        ("tab\there", "tab here"),  # ASCII with a tab
        ("ctrl\x01char\nnext", "ctrlchar\nnext"),  # ASCII with a control character
        ("plain \u00e9 text\nwith lines", "plain \u00e9 text\nwith lines"),  # nothing to do
        ("• first\nsecond\n\u25aa third", "- first\nsecond\n- third"),  # bullets, any line
        ("-not a bullet\n- a bullet\n* star", "-not a bullet\n- a bullet\n- star"),
        (
            "We want better access to the records of care\n\nrecords for all of the young people",
            "We want better access to the records of care records for all of the young people",
        ),
        ("Ends here.\n\nnew paragraph in lower case", "Ends here.\n\nnew paragraph in lower case"),
    ],
)
def test_textnorm_skipped_steps_still_apply_when_needed(text, expected):
    assert normalise(text) == expected


def test_fast_sentence_end_has_the_same_matches():
    rng = random.Random(3)
    texts = ["".join(rng.choice("a .!?\n\t\r\u2028\x0b") for _ in range(rng.randint(0, 20)))
             for _ in range(50_000)]  # fmt: skip
    texts += [p.read_text("utf-8", errors="ignore") for p in sorted(_RAW.rglob("*.txt"))]
    for text in texts:
        want = [m.span() for m in campaigns._SENTENCE_END.finditer(text)]
        assert [m.span() for m in campaigns._SENTENCE_END_FAST.finditer(text)] == want, text


def test_str_split_whitespace_is_re_whitespace():
    """campaigns.normalise collapses spaces with str.split where it used re's \\s."""
    space = re.compile(r"\s")
    assert all(bool(space.match(c)) == c.isspace() for c in map(chr, range(0x110000)))


def test_textnorm_classes_cover_their_patterns():
    """The sets the skip tests use hold every character their patterns match."""
    for ch in map(chr, range(0x3000 + 1)):
        if textnorm._INVISIBLE.match(ch):
            assert ch in textnorm._INVISIBLE_CHARS and not ch.isprintable()
        if textnorm._SPACE.match(ch):
            assert ch in textnorm.SPACES
        if textnorm._NEWLINES.match(ch):
            assert ch in textnorm._NEWLINE_CHARS


def _bucket_pairs_loop(owner, codes, cap):
    """The window-by-window loop ``passages.passage_pairs`` ran before ``bucket_pairs``."""
    from collections import Counter

    import numpy as np

    pairs: dict[int, Counter] = {}
    for b in range(codes.shape[1]):
        _, inverse, counts = np.unique(codes[:, b], return_inverse=True, return_counts=True)
        buckets: dict[int, list[int]] = {}
        for w in np.flatnonzero(counts[inverse] > 1).tolist():
            bucket = buckets.setdefault(int(codes[w, b]), [])
            t = owner[w]
            if t in bucket:
                continue
            for other in bucket:
                lo, hi = min(t, other), max(t, other)
                pairs.setdefault(hi, Counter())[lo] += 1
            if len(bucket) < cap:
                bucket.append(t)
    return pairs


@pytest.mark.parametrize("seed", range(6))
def test_bucket_pairs_is_the_window_loop(seed):
    import numpy as np

    from helpers.ingest.minhash import bucket_pairs

    rng = np.random.default_rng(seed)
    n_texts = int(rng.integers(2, 60))
    owner = np.sort(rng.integers(0, n_texts, int(rng.integers(5, 400))))
    codes = rng.integers(0, int(rng.integers(2, 30)), (len(owner), 8)).astype(np.uint64)
    cap = int(rng.integers(1, 6))
    assert bucket_pairs(owner, codes, cap) == _bucket_pairs_loop(owner.tolist(), codes, cap)


def test_passage_pairs_on_real_answers_unchanged():
    import numpy as np

    from helpers.ingest import nearcopies, passages
    from helpers.ingest.minhash import band_codes, bucket_pairs, signatures

    texts = []
    for path in sorted(_RAW.rglob("*.txt")):
        paras = path.read_text("utf-8", errors="ignore").split("\n\n")
        texts += [campaigns.normalise(p) for p in paras]
        texts += [campaigns.normalise("\n\n".join(paras[i : i + 3])) for i in range(len(paras))]
    windows, owner = passages.windows(texts)
    codes = band_codes(signatures(windows, nearcopies.NUM_PERM))
    want = _bucket_pairs_loop(owner, codes, nearcopies.BUCKET_CAP)
    assert want  # the texts do meet
    assert bucket_pairs(np.asarray(owner), codes, nearcopies.BUCKET_CAP) == want
    assert passages.passage_pairs(texts) == want
