"""The integer-coded rare-wording features of ``campaign_pairs`` give what the sets gave
(issue 15, session 15: ``ingest.pair_features``).

``campaign_pairs.question_pairs`` counts on int64-coded features; the set version
(``features``, ``rarity``, ``overlap``, ``_candidates``) is still there for vocabularies too
large to code and is the reference here: forced by making ``pair_features.features`` give up.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core.text import stopwords
from helpers.ingest import campaign_pairs, pair_features
from helpers.ingest.campaigns import flat, normalise
from helpers.ingest.copytext import SENTENCE_BREAK

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "identical"


def test_features_idf_and_overlap_by_hand():
    """Three answers, "lane" the question's word, "the" and "now" common:
    "red bus lane now" -> red, bus, (red bus), (bus lane): "lane" alone is the question's,
    (lane now) has no word of its own; "red bus lane" the same four; "the cat" -> cat,
    (the cat). Of 3 answers, a feature in 2 weighs log(4 / 2.5), in 1 log(4 / 1.5)."""
    texts = ["red bus lane now", "red bus lane", "the cat"]
    f = pair_features.features(texts, frozenset({"lane"}), frozenset({"the", "now"}), "\n")
    two, one = math.log(4 / 2.5), math.log(4 / 1.5)
    assert sorted(np.diff(f.indptr).tolist()) == [2, 4, 4]
    assert f.weight.tolist() == pytest.approx([4 * two, 4 * two, 2 * one])
    assert sorted(f.df.tolist()) == [1, 1, 2, 2, 2, 2]
    assert pair_features.overlaps(f, np.array([0, 0]), np.array([1, 2])).tolist() == [1.0, 0.0]
    a, b = pair_features.candidates(f, cap=20, min_shared=3)
    assert (a.tolist(), b.tolist()) == ([0], [1])
    assert pair_features.candidates(f, cap=20, min_shared=5)[0].tolist() == []
    assert pair_features.candidates(f, cap=1, min_shared=1)[0].tolist() == []  # df 2 > cap


def test_no_pair_across_a_sentence_break():
    """ "cat sat\\ndog ran": (sat dog) spans the break, so it is no feature."""
    f = pair_features.features(["cat sat\ndog ran"], frozenset(), frozenset(), "\n")
    assert f.weight.tolist() == pytest.approx([6 * math.log(2 / 1.5)])  # 4 words, 2 pairs
    ref = campaign_pairs.features("cat sat\ndog ran")
    assert ("sat", "dog") not in ref and len(ref) == 6


def test_copies_count_once_per_answer():
    """The same text sent by three answers: its features are in 3 of 4 answers; candidate
    pairs are between answers (0, 1), (0, 2), (1, 2), in sorted order."""
    texts = [
        "keep the night buses running",
        "own words here",
        *["keep the night buses running"] * 2,
    ]
    texts = [texts[0], texts[2], texts[1], texts[3]]
    f = pair_features.features(texts, frozenset(), stopwords(), SENTENCE_BREAK)
    assert set(f.df.tolist()) == {1, 3}
    a, b = pair_features.candidates(f, cap=20, min_shared=3)
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(0, 1), (0, 3), (1, 3)]


def _both(monkeypatch, *args):
    coded = campaign_pairs.question_pairs(*args)
    with monkeypatch.context() as m:
        m.setattr(pair_features, "features", lambda *a, **k: None)
        sets = campaign_pairs.question_pairs(*args)
    return coded, sets


def _same(coded, sets):
    assert np.allclose(coded.null_overlap, sets.null_overlap, rtol=1e-12, atol=0)
    assert len(coded.candidates) == len(sets.candidates)
    for c, s in zip(coded.candidates, sets.candidates, strict=True):
        assert c[:2] == s[:2] and c[3:] == s[3:]
        assert c[2] == pytest.approx(s[2], rel=1e-12)
    assert coded.meaning_texts == sets.meaning_texts


@pytest.mark.parametrize("name", ["ofsted-docs", "transport", "generated"])
def test_real_answers_give_the_same_null_and_candidates(monkeypatch, name):
    answers = pd.read_parquet(FIXTURES / name / "answers.parquet")
    checked = 0
    for qid, g in answers.groupby("question_id"):
        g = g[g["answer_text"].fillna("").str.strip() != ""]
        texts = [flat(normalise(t)) for t in g["answer_text"]]
        if len(texts) < 2:
            continue
        who = g["respondent_id"].astype(str).tolist()
        # Groups as the copy rules give them at the least: identical texts are one group.
        coded, sets = _both(monkeypatch, str(qid), who, texts, texts)
        _same(coded, sets)
        checked += len(coded.candidates)
    assert checked, "some candidate pairs were compared"


@pytest.mark.parametrize("seed", [1, 2])
def test_copies_and_one_respondents_two_answers(monkeypatch, seed):
    """Campaign copies (the same text many times), a reworded campaign, answers sharing
    stock phrases, and one respondent with two answers (never a pair with itself)."""
    rng = random.Random(seed)
    own = [f"w{seed}x{k}" for k in range(300)]
    campaign = "separate judgement for care leavers because councils fail them at eighteen"
    texts, who = [], []
    for k in range(150):
        words = rng.sample(own, rng.randint(3, 25))
        if k % 25 == 0:
            words = campaign.split()
        elif k % 13 == 0:
            c = campaign.split()
            c[rng.randrange(len(c))] = rng.choice(own)
            words = c + words[:2]
        texts.append(normalise(" ".join(words)))
        who.append(f"r{k // 2 if k < 10 else k}")
    groups = [t if k % 25 == 0 else k for k, t in enumerate(texts)]
    known = frozenset({"care", "leavers"})
    coded, sets = _both(monkeypatch, "q1", who, texts, groups, known)
    _same(coded, sets)
    assert coded.candidates
