"""A Zipf-distributed vocabulary for the synthetic corpus, so benchmarks read realistic text.

Issue 15: the template generator alone writes 535 distinct words in 8 M tokens
and repeats whole sentences, which flatters anything that caches per word or
per sentence (stemmers, stance's memo caches, campaign detection). Real
responses use hundreds of distinct words a page, and the words of a language
follow Zipf's law: the word of rank ``r`` is used in proportion to
``1 / r ** s`` with ``s`` close to 1.

``zipf_lexicon(seed, n_words)`` makes ``n_words`` words, deterministic from
the seed: common English function words first (the top ranks, as in any
English text), then pronounceable made-up words with English endings
("-ing", "-ed", "-ation" ...), so stemmers and tokenizers meet the suffixes
they meet in real text. Made-up words that a codebook pattern would match are
left out (``avoid``), so theme codes still come only from the generator's
theme sentences. ``Lexicon.phrase`` draws words by rank with probability
``1 / r ** exponent``.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

# The top ranks of English running text (generic function words, no topic).
FUNCTION_WORDS = (
    "the of and to a in that is for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there their one all we can has been if more "
    "when will would who so no other its time only do may also about these two than into "
    "could our them some should any very after most what new those many such where then "
    "well must over just much even because how before through each made both while under "
    "same us between being though however since without here against"
).split()
_FUNCTION_SET = frozenset(FUNCTION_WORDS)
_ONSETS = ("b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sl sm "
           "sn sp st str t th tr v w wh y z").split()  # fmt: skip
_NUCLEI = ("a e i o u ai ea ee oa ou oo ie").split()
_CODAS = ("", "", "", "n", "r", "l", "s", "t", "m", "nd", "nt", "st", "rk", "ck", "ll", "sh", "th")
_ENDINGS = ("", "", "", "", "s", "ing", "ed", "er", "ly", "ation", "ment", "ness", "ity", "al",
            "ous", "ive", "able", "ist")  # fmt: skip


@dataclass(frozen=True)
class Lexicon:
    """Words by rank, with the cumulative Zipf weights used to draw them."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]  # ascending, last = 1.0
    exponent: float

    def word(self, random_: Callable[[], float]) -> str:
        """One word drawn by rank (``random_`` is a ``random.Random().random``)."""
        return self.words[min(bisect.bisect_right(self.cumulative, random_()), len(self.words) - 1)]

    def phrase(self, random_: Callable[[], float], low: int, high: int) -> str:
        """``low``..``high`` words drawn by rank, joined by spaces, the last one not a
        function word (a phrase may end a sentence, and sentences rarely end in "the.")."""
        n = low + int(random_() * (high - low + 1))
        words = [self.word(random_) for _ in range(n)]
        while words and words[-1] in _FUNCTION_SET:
            words[-1] = self.word(random_)
        return " ".join(words)


def _made_up(rng: random.Random) -> str:
    syllables = 1 + int(rng.random() * 3)
    parts = [rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
             for _ in range(syllables)]  # fmt: skip
    return "".join(parts) + rng.choice(_ENDINGS)


def zipf_lexicon(
    seed: int,
    n_words: int = 40_000,
    exponent: float = 1.0,
    avoid: Callable[[str], bool] | None = None,
) -> Lexicon:
    """``n_words`` distinct words ranked for a Zipf law of ``exponent``, deterministic from ``seed``.

    ``avoid(word)`` True leaves a made-up word out (a word a codebook pattern matches).
    """
    if n_words < len(FUNCTION_WORDS):
        raise ValueError(f"n_words must be at least {len(FUNCTION_WORDS)}, got {n_words}")
    # Function words first (the top ranks); one a pattern matches is left out.
    rng = random.Random(f"lexicon:{seed}")
    words = [w for w in dict.fromkeys(FUNCTION_WORDS) if avoid is None or not avoid(w)]
    seen = set(words)
    tries = 0
    while len(words) < n_words:
        tries += 1
        if tries > 50 * n_words:
            raise ValueError(f"could not make {n_words} distinct words")
        w = _made_up(rng)
        if len(w) < 3 or w in seen or (avoid is not None and avoid(w)):
            continue
        seen.add(w)
        words.append(w)
    weights = [1.0 / (r**exponent) for r in range(1, n_words + 1)]
    total = sum(weights)
    cumulative, acc = [], 0.0
    for w in weights:
        acc += w / total
        cumulative.append(acc)
    cumulative[-1] = 1.0
    return Lexicon(tuple(words), tuple(cumulative), exponent)


def pattern_matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    """Whether a word would match one of ``patterns``' words (codebook syntax: ``word``
    by its Snowball stem, ``prefix*`` by its start, ``=form`` exactly)."""
    from nltk.stem.snowball import SnowballStemmer

    stem = SnowballStemmer("english").stem
    stems, prefixes, exact = set(), [], set()
    for p in patterns:
        for w in p.lower().replace("-", " ").split():
            if w.endswith("*"):
                prefixes.append(w.strip("*="))
            elif w.startswith("="):
                exact.add(w[1:])
            else:
                stems.add(stem(w))
    prefix_tuple = tuple(x for x in prefixes if x)

    def matches(word: str) -> bool:
        return word in exact or word.startswith(prefix_tuple) or stem(word) in stems

    return matches


# Realistic corpus (``with_zipf``): campaign texts, and their sizes by a power law.
N_CAMPAIGNS = 6
_CAMPAIGN_WEIGHTS = tuple(1 / (c + 1) ** 1.5 for c in range(N_CAMPAIGNS))
DEFAULT_ZIPF_WORDS = 40_000
DEFAULT_CAMPAIGN_SHARE = 0.08


def with_zipf(
    vocab: Any,
    seed: int,
    n_words: int = DEFAULT_ZIPF_WORDS,
    campaign_share: float = DEFAULT_CAMPAIGN_SHARE,
    exponent: float = 1.0,
) -> Any:
    """``vocab`` (a ``benchmarks.generate.Vocabulary``) writing realistic text: filler words drawn from a Zipf lexicon of ``n_words``
    words (``benchmarks.zipf``), so few sentences repeat, and ``campaign_share`` of the
    respondents sending one of ``N_CAMPAIGNS`` campaign responses word for word."""
    if not 0.0 <= campaign_share < 1.0:
        raise ValueError(f"campaign_share must be in [0, 1), got {campaign_share}")
    patterns = [p for ps in vocab.terms.values() for p in ps] + list(vocab.excludes)
    lexicon = zipf_lexicon(seed, n_words, exponent, avoid=pattern_matcher(patterns))
    return replace(vocab, lexicon=lexicon, campaign_share=campaign_share)
