"""Word stems: the one cached stemmer the package uses (NLTK, offline).

Two English stemmers, each with NLTK's default options:

- ``"snowball"`` (the default): Snowball English, ``ignore_stopwords=False``. The coder's
  patterns, the theme suggestions and the heading-to-question similarity compare
  words by it, so a codebook word and an answer's word meet on the same stem.
- ``"porter"``: Porter in NLTK's extended mode. Stance's question-word overlap
  (``stance.unstructured``) and restated campaign copies (``ingest.restated``) were
  fitted with it; it stems some words differently from Snowball ("fairly":
  "fairli" vs "fair"), so they keep it.

Both lower-case the word themselves, so "Rents" and "rents" stem alike. Each stemmer
has one cache: most words of a corpus repeat, so each distinct word is stemmed
once; the cache is emptied when it grows past ``CACHE_MAX`` words, which keeps
memory flat on an endless stream.
"""

from __future__ import annotations

from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer

CACHE_MAX = 200_000  # distinct words a cache holds before it is emptied

STEMMERS = {"snowball": SnowballStemmer("english"), "porter": PorterStemmer()}
_STEM = {name: s.stem for name, s in STEMMERS.items()}
_CACHES: dict[str, dict[str, str]] = {name: {} for name in STEMMERS}


def stem(word: str, stemmer: str = "snowball") -> str:
    """The stem of ``word`` by ``stemmer`` (``"snowball"`` or ``"porter"``), cached."""
    cache = _CACHES[stemmer]
    s = cache.get(word)
    if s is None:
        if len(cache) > CACHE_MAX:
            cache.clear()
        s = cache[word] = _STEM[stemmer](word)
    return s
