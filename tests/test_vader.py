"""The compiled VADER compound (``helpers.stance.vader``) against upstream vaderSentiment: same floats.

Every accepted sentence must give upstream's ``polarity_scores(s)["compound"]``
exactly, and (a stronger check) the same bits before upstream's ``round(x, 4)``;
declined sentences give None. Hand-written cases cover each rule; seeded random
sentences mix lexicon, booster, negation and idiom words with filler, capitals,
punctuation, emoticons and non-ASCII characters.
"""

from __future__ import annotations

import math
import random
import string
from functools import cache
from pathlib import Path

import pytest

from helpers.core.paths import project_root
from helpers.stance import vader

pytest.importorskip("numba")
vs = pytest.importorskip("vaderSentiment.vaderSentiment")

RAW = project_root(Path(__file__).parent) / "data" / "raw"


@cache
def _analyzer():
    return vs.SentimentIntensityAnalyzer()


def upstream(text: str) -> float:
    return _analyzer().polarity_scores(text)["compound"]


def upstream_unrounded(text: str) -> float:
    """Upstream's compound before ``round(x, 4)`` (its module's ``round`` shadowed)."""
    vs.round = lambda x, n=None: x
    try:
        return _analyzer().polarity_scores(text)["compound"]
    finally:
        del vs.round


def same(a: float | None, b: float | None) -> bool:
    """Equal floats including the sign of zero (``-0.0 == 0.0`` is not enough)."""
    if a is None or b is None:
        return a is b
    return type(a) is type(b) and a == b and math.copysign(1, a) == math.copysign(1, b)


def check(sentences: list[str], declined_ok: bool = False) -> int:
    """Assert the compiled scores equal upstream's; return how many were accepted."""
    ours = vader.compounds(sentences)
    raw = vader._unrounded(sentences)
    accepted = 0
    for s, c, r in zip(sentences, ours, raw, strict=True):
        if c is None:
            assert r is None
            assert declined_ok, f"declined: {s!r}"
            continue
        accepted += 1
        assert same(c, upstream(s)), (s, c, upstream(s))
        assert same(r, upstream_unrounded(s)), (s, r, upstream_unrounded(s))
        assert same(vader.compound(s), c), s
    return accepted


# --- hand-written cases --------------------------------------------------------

RULES = [
    # lexicon, emphasis, boosters, caps
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "GOOD",
    "GOOD GREAT",
    "good GREAT",
    "This is EXTREMELY bad",
    "This is extremely BAD",
    "THIS IS VERY BAD",
    "It was slightly good and barely bad.",
    "it is REALLY quite very extremely good",
    "it is so very good",
    "Hardly good, SLIGHTLY bad",
    # negation
    "VADER is not smart, handsome, nor funny.",
    "Not bad at all",
    "It isn't good.",
    "It ISN'T good.",
    "It isnt good, it aint great, nope not nice",
    "We don't really like it",
    "We do not really like it",
    "We did not at all like it",
    "Won't hurt, can't complain, shouldn't fail",
    "It n't good",
    "This is n'tgood fun",
    "Uh-uh, that's wrong",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!",
    "Sentiment analysis has never so good!",
    "never so good",
    "never this good",
    "it is never so very good",
    "Without a doubt, excellent idea.",
    "Without doubt excellent",
    "without doubt, an excellent idea",
    "without any doubt excellent",
    "Despite good reviews it was rarely fun and seldom nice",
    # "no"
    "no good",
    "No problem at all",
    "no",
    "No.",
    "There is no way this is good",
    "no love or hate",
    "no cake nor joy",
    "no cake or joy for you",
    "no no no",
    "no bad",
    # kind of / sort of / least
    "The book was only kind of good.",
    "It was kind of bad",
    "kind of",
    "kind",
    "a kind person, sort of nice, kinda fun, just enough good",
    "He is KIND OF GOOD",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "the very least good",
    "least good",
    "At least it isn't a horrible book.",
    # but
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "good good but good good bad good",
    "but good",
    "good but",
    "bad bad bad but bad but good",
    "BUT it was nice, but awful",
    # idioms
    "With VADER, sentiment analysis is the shit!",
    "Most automated sentiment analysis tools are shit.",
    "On the other hand, VADER is quite bad ass",
    "VADER is such a badass!",
    "That was the bomb really",
    "yeah right, great",
    "we waited at the bus stop happily",
    "it is the kiss of death for good ideas",
    "the cake is to die for",
    "a beating heart of love",
    "oh well yeah right good",
    "we are sort of happy about the shit",
    # punctuation and emoticons
    "Make sure you :) or :D today!",
    "I am sad :-( really :(",
    "Great!!!!!!",
    "Great!!",
    "Bad???",
    "Bad??",
    "Bad?",
    "Bad?????",
    "Good?!?!",
    "!!! ??? ...",
    ":) :) :)",
    "<3 </3 ;) :P",
    "(good) [bad] {nice} 'happy' \"sad\"",
    "...good... ,,bad,, --nice--",
    "'no' good",
    "?!",
    "lol rofl lmao",
    # whitespace and empties
    "",
    " ",
    "\t\n",
    "good\tbad\nnice\x0bgreat\x0cfine\rok\x1cyes\x1dno\x1ewell\x1fsure",
    "  good  ",
    "good\u00a0bad\u2003nice\u3000great",
    # non-ASCII the compiled path accepts
    "I don’t like it",
    "We don’t think this is good",
    "“Good” work – really",
    "The £57 million was not enough — a terrible waste…",
    "• Good support for care leavers",
    "Café is GOOD, naïve but nice",
    "ÉTÉ GOOD bad",
    "\u212aind of good",  # Kelvin sign: lower case is "k"
    "Ǆ GOOD bad",  # title-case letters
    "ΑΒΓ GOOD bad",
    "Ⅻ GOOD bad",
    "ß is GOOD",
    "good\ud800bad",  # a lone surrogate
    # long
    " ".join(["good", "but", "bad", "not", "very", "nice", "kind", "of", "no"] * 40),
    "It was a very, very long meeting and although the outcome was not terrible we "
    "think the proposal is hardly ideal, kind of confusing, and at least somewhat "
    "unfair to care leavers who deserve better support, but we welcome it!!",
]

DECLINED = [
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "good ☺",
    "Copyright © 2022 good",
    "Brand™ is good",
    "really‼",
    "İstanbul is good",
    "ΣΟΦΙΑ is good",
    "𝐆𝐎𝐎𝐃 good",
]


def test_rules():
    assert check(RULES) == len(RULES)


def test_declined():
    for s in DECLINED:
        assert vader.compound(s) is None, s
    assert vader.compounds(DECLINED) == [None] * len(DECLINED)


def test_mixed_batch_keeps_order():
    batch = [RULES[0], DECLINED[0], "", RULES[5], DECLINED[1], RULES[-1]]
    got = vader.compounds(batch)
    assert got[1] is None and got[4] is None
    for s, c in zip(batch, got, strict=True):
        if c is not None:
            assert same(c, upstream(s))
    assert vader.compounds([]) == []


def test_not_a_string():
    assert vader.compound(None) is None  # type: ignore[arg-type]
    mixed = ["good", 3, "bad"]  # the batch path, then one by one
    assert vader.compounds(mixed) == [upstream("good"), None, upstream("bad")]  # type: ignore[arg-type]
    assert vader.compounds(["good", 3]) == [upstream("good"), None]  # type: ignore[list-item]


def test_zero_sign():
    # "bus stop" sets 0.0, and a negation turns it to -0.0; sums start from +0.0.
    for s in ["not the bus stop", "no bus stop", "not bus stop", "bus stop"]:
        check([s])


# --- random sentences ----------------------------------------------------------

FILLER = (
    "the a we it this that of to and in is was be for on with as at by proposal "
    "care leavers local authority inspectors judgement young people services should"
).split()
EXTRA = (
    "no not never so this without doubt kind of sort least at very but or nor isn't "
    "don't can't won't n't uh-uh kinda sorta just enough the shit bomb bad ass bus stop "
    "yeah right kiss death to die for beating heart"
).split()
EMOTICONS = [":)", ":-(", ":(", ";)", ":D", ":P", "<3", ":-)", "=)", ":'(", "XD", "D:", "(:"]
ODD = ["’", "“", "”", "–", "—", "£", "…", "•", "é", "É", "\u00a0", "\u2003", "\x1c", "\t", "\n"]


@cache
def _words() -> tuple[list[str], list[str], list[str]]:
    lexicon = sorted(_analyzer().lexicon)
    boosters = sorted(vs.BOOSTER_DICT)
    return lexicon, boosters, list(vs.NEGATE)


def random_sentence(rng: random.Random) -> str:
    """A sentence dense in VADER's rules (also used by the large off-suite check)."""
    lexicon, boosters, negate = _words()
    pools = [lexicon, boosters, negate, FILLER, EXTRA, EMOTICONS]
    weights = [4, 2, 1, 5, 3, 0.5]
    out = []
    for _ in range(rng.randint(0, 25)):
        w = rng.choice(rng.choices(pools, weights)[0])
        r = rng.random()
        if r < 0.15:
            w = w.upper()
        elif r < 0.25:
            w = w.capitalize()
        r = rng.random()
        if r < 0.15:
            w += rng.choice(string.punctuation) * rng.randint(1, 3)
        elif r < 0.2:
            w = rng.choice(string.punctuation) + w
        elif r < 0.23:
            w += rng.choice(ODD)
        elif r < 0.25:
            w = rng.choice(ODD) + w
        out.append(w)
        if rng.random() < 0.05:
            out.append(rng.choice(["!", "!!", "?", "??", "???", "!?", "...", "-", "'"]))
    sep = rng.choice([" ", " ", " ", "  ", " \t"])
    return sep.join(out)


def test_random_sentences():
    rng = random.Random(20240601)
    sentences = [random_sentence(rng) for _ in range(3000)]
    accepted = check(sentences, declined_ok=True)
    assert accepted == len(sentences)  # nothing above is outside the compiled path


def test_random_repeats_for_but():
    # Few distinct words, so equal valences meet list.index's quirk in _but_check.
    rng = random.Random(7)
    words = ["good", "bad", "but", "not", "very", "GOOD", "no", "nice", "the", "kind", "of"]
    sentences = [" ".join(rng.choices(words, k=rng.randint(1, 14))) for _ in range(2000)]
    assert check(sentences) == len(sentences)


def test_real_responses():
    sentences = []
    for path in sorted(RAW.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences.append(line)
            sentences.extend(line.split(". "))
    assert sentences
    assert check(sentences, declined_ok=True) > 0.99 * len(sentences)


def test_declines_other_upstream_versions(monkeypatch):
    monkeypatch.setattr(vader, "VERSION", "0.0")
    vader._compiled.cache_clear()
    try:
        assert vader.compound("good") is None
        assert vader.compounds(["good", "bad"]) == [None, None]
    finally:
        monkeypatch.undo()
        vader._compiled.cache_clear()
    assert vader.compound("good") == upstream("good")
