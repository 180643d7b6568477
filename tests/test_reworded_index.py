"""The integer-coded trigram index of ``reworded`` gives what the sets gave (issue 15).

``reworded.campaign_evidence`` and ``reworded.reworded_candidates`` count on int64-coded
trigrams (``reworded_index``); the set version is still there for vocabularies too large
to code, and is the reference here: forced by making ``coded_grams`` give up.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from helpers.ingest import reworded
from helpers.ingest.campaigns import normalise

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "identical"


def _both(monkeypatch, fn, *args):
    coded = fn(*args)
    with monkeypatch.context() as m:
        m.setattr(reworded, "coded_grams", lambda *a, **k: None)
        sets = fn(*args)
    return coded, sets


def _campaign_texts(seed: int) -> list[str]:
    """Answers of one question: own words, stock phrases many answers share (more than
    STOCK_CAP), a campaign text reworded by several senders, and the question quoted."""
    rng = random.Random(seed)
    own = [f"w{seed}x{k}" for k in range(400)]
    campaign = "we back a separate judgement for care leavers because the council fails them at eighteen every single year"
    stock = "push traffic onto the ring road"
    texts = []
    for k in range(120):
        words = rng.sample(own, rng.randint(5, 30))
        if k % 4 == 0:
            words += stock.split()
        if k % 9 == 0:
            c = campaign.split()
            c[rng.randrange(len(c))] = rng.choice(own)
            words = c + words[:3]
        if k % 11 == 0:
            words = ["what", "do", "you", "think", "of", "the", "plan", *words]
        texts.append(normalise(" ".join(words)))
    return texts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_evidence_and_candidates_equal_the_sets(monkeypatch, seed):
    texts = _campaign_texts(seed)
    known = reworded.known_words(normalise("What do you think of the plan?"))
    coded, sets = _both(monkeypatch, reworded.campaign_evidence, texts, known)
    assert coded == sets
    assert max(coded) >= reworded.MIN_SHARED
    among = sorted(random.Random(seed).sample(range(len(texts)), 80))
    coded, sets = _both(monkeypatch, reworded.reworded_candidates, texts, known, among)
    assert coded == sets
    assert coded[0], "the reworded campaign texts share trigrams"
    knowns = [known if i % 3 else None for i in range(len(texts))]
    coded, sets = _both(monkeypatch, reworded.reworded_candidates, texts, knowns)
    assert coded == sets


@pytest.mark.parametrize("name", ["ofsted-docs", "transport", "generated"])
def test_real_answers_give_the_same_evidence_and_pairs(monkeypatch, name):
    answers = pd.read_parquet(FIXTURES / name / "answers.parquet")
    for _, g in answers.groupby("question_id"):
        texts = list(dict.fromkeys(normalise(t) for t in g["answer_text"].fillna("") if t))
        if len(texts) < 2:
            continue
        coded, sets = _both(monkeypatch, reworded.campaign_evidence, texts, None)
        assert coded == sets
        coded, sets = _both(monkeypatch, reworded.reworded_candidates, texts, None)
        assert coded == sets


def test_no_texts_and_texts_too_short_for_a_trigram(monkeypatch):
    for texts in ([], ["", "a", "a b"], ["a b c", "a b c"]):
        coded, sets = _both(monkeypatch, reworded.reworded_candidates, texts, None)
        assert coded == sets
        coded, sets = _both(monkeypatch, reworded.campaign_evidence, texts, None)
        assert coded == sets
    assert reworded.campaign_evidence(["", "a", "a b"]) == [0, 0, 0]


def test_text_words_cut_by_arrow_as_python_splits():
    """Words of normalised texts cut at spaces and the sentence break by Arrow (session 15):
    "a b\\nc" -> a b c, "" -> nothing, "x  y" -> x y (an empty piece between two spaces is no
    word), ids in first-seen order; a tab left in a text (not normalised) -> None, so the
    caller splits in Python."""
    from helpers.ingest.reworded_index import TextWords

    words = TextWords.of(["a b\nc", "", "x  y", "b a"], "\n")
    assert words.flat.tolist() == [0, 1, 2, 3, 4, 1, 0]
    assert words.lengths.tolist() == [3, 0, 2, 2]
    assert list(words.vocab.ids) == ["a", "b", "c", "x", "y"]
    assert TextWords.of(["a\tb"], "\n") is None
    texts = [normalise(t) for t in ("Café au lait, s'il vous plaît!", "Naïve — réseau\u00a0ok.")]
    got = TextWords.of(texts, "\n")
    expected = [w for t in texts for w in t.replace("\n", " ").split()]
    assert [list(got.vocab.ids)[i] for i in got.flat.tolist()] == expected
