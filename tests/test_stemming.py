"""``helpers.core.stemming``: the package's one cached stemmer (session 17 tidy-up)."""

from __future__ import annotations

from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer

from helpers.core import stemming
from helpers.core.stemming import stem

WORDS = ["Rents", "fairly", "generously", "dying", "buses", "organisational", "hoped", "x", ""]


def test_each_stemmer_gives_nltks_own_stem_with_default_options():
    snowball, porter = SnowballStemmer("english"), PorterStemmer()
    for w in WORDS:
        assert stem(w) == stem(w, "snowball") == snowball.stem(w)
        assert stem(w, "porter") == porter.stem(w)
    assert stem("fairly") == "fair" and stem("fairly", "porter") == "fairli"


def test_the_caches_are_per_stemmer_and_bounded(monkeypatch):
    monkeypatch.setattr(stemming, "CACHE_MAX", 3)
    for w in ("walks", "walked", "walking", "walker", "walkers"):
        stem(w)
    assert len(stemming._CACHES["snowball"]) <= 4
    assert stem("walked", "porter") == "walk" and "walked" in stemming._CACHES["porter"]
