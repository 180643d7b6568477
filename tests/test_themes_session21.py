"""Session 21: the sentence-neighbour vote measured for the theme stacker.

``benchmarks.theme_sentpool`` (evidence labels, per-fold sentence votes) against values
worked out by hand and against a brute-force vote over the allowed sentences
(``stack.neighbour_votes``), and ``benchmarks.theme_sentknn``'s columns.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks import theme_sentknn as sk
from benchmarks.theme_sentpool import SentencePool, evidence_labels
from helpers.coding import stack


def test_evidence_is_the_hit_sentence_the_best_sentence_or_the_only_one():
    # answer 0: three sentences, coded with theme 0 (patterns fire in sentence 2, the
    # classifier prefers sentence 1) and not theme 1 (patterns fire in sentence 0);
    # answer 1: one sentence coded with theme 1, no hit; answer 2: coded with theme 0,
    # two sentences, no hit and no classifier score (a theme not learned): no evidence
    coded = np.array([[True, False], [False, True], [True, False]])
    here = np.zeros((6, 2))
    here[2, 0] = here[0, 1] = 1
    probs = np.zeros((6, 2))
    probs[:3, 0] = [0.2, 0.9, 0.4]
    probs[:3, 1] = [0.8, 0.1, 0.1]
    got = evidence_labels([3, 1, 2], coded, here, probs)
    assert got.tolist() == [
        [False, False], [True, False], [True, False],  # answer 0
        [False, True],  # answer 1: its only sentence
        [False, False], [False, False],  # answer 2
    ]  # fmt: skip


def _row(name: str, gold: str, vec: list[list[float]], hit: int = -1) -> dict:
    n = len(vec)
    return {
        "set": name, "batch": int(name.rsplit("-", 1)[1]), "consultation": "c",
        "gold": set(gold), "dictionary": set(), "probs": {"a": 0.5, "b": 0.5},
        "sprobs": {"a": 0.5, "b": 0.5}, "spans": [(0, 1)] * n, "commas": [0] * n,
        "vec": np.array(vec, dtype=float),
        "sentence_themes": [({"a"} if j == hit else set()) for j in range(n)],
        "sentp": {"a": [0.1] * n, "b": [0.1 * (j + 1) for j in range(n)]},
    }  # fmt: skip


def test_the_vote_by_hand():
    # s-2: one answer along x with theme a (its only sentence: evidence of a);
    # s-3: one answer along y with theme b (evidence of b); s-4: the answer scored,
    # one sentence along x and one along -y
    rows = [_row("s-2", "a", [[1, 0]]), _row("s-3", "b", [[0, 1]]),
            _row("s-4", "", [[1, 0], [0, -1]])]  # fmt: skip
    pool = SentencePool(rows, pool=2)
    pool.attach(3, k=10, alpha=1.0)  # batch 3 left out: s-4 hears s-2 only
    # base over the sentences outside batch 3 (s-2, s-4): a 1/3, b 0;
    # sentence along x: (1 * 1 + 1/3) / (1 + 1) for a; along -y: the base (sim 0)
    assert rows[2]["svotes"]["a"] == pytest.approx((1 + 1 / 3) / 2)
    assert rows[2]["svotes"]["b"] == pytest.approx(0.0)
    pool.attach(None, k=10, alpha=1.0)  # every other set: s-3's sentence counts (sim 0)
    assert rows[2]["svotes"]["a"] == pytest.approx((1 + 1 / 4) / 2)
    assert rows[2]["svotes"]["b"] == pytest.approx(1 / 4)


def test_the_pool_votes_as_a_brute_force_vote_over_the_allowed_sentences():
    rng = np.random.default_rng(0)

    def unit(n):
        v = rng.normal(size=(n, 4))
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).tolist()

    rows = [_row("s-2", "a", unit(3), 1), _row("s-2", "b", unit(2)),
            _row("s-3", "ab", unit(4), 0), _row("s-3", "", unit(1)),
            _row("s-5", "a", unit(2)), _row("s-5", "b", unit(3), 2)]  # fmt: skip
    pool = SentencePool(rows, pool=12)
    for held in (2, 3, 5, None):
        pool.attach(held, k=3)
        for r in rows:
            others = [o for o in rows if o["set"] != r["set"] and o["batch"] != held]
            counts = [len(o["spans"]) for o in others]
            here = np.array([[t in h for t in "ab"] for o in others for h in o["sentence_themes"]])
            probs = np.array([[o["sentp"][t][j] for t in "ab"] for o in others
                              for j in range(len(o["spans"]))])  # fmt: skip
            coded = np.array([[t in o["gold"] for t in "ab"] for o in others])
            labels = evidence_labels(counts, coded, here, probs)
            sim = r["vec"] @ np.vstack([o["vec"] for o in others]).T
            v = stack.neighbour_votes(sim, labels, k=3)
            # the pool's base rate is over every sentence outside the held batch (its own
            # set's too): put it in place of the brute force's
            base = pool.labels[pool.batch != (-1 if held is None else held)].mean(axis=0)
            w = np.clip(np.sort(sim, axis=1)[:, ::-1][:, :3], 0, None).sum(axis=1)[:, None]
            v = v + stack.NEIGHBOUR_ALPHA * (base - labels.mean(axis=0)) / (
                w + stack.NEIGHBOUR_ALPHA
            )
            assert [r["svotes"][t] for t in "ab"] == pytest.approx(v.max(axis=0).tolist())


def test_the_sentknn_columns():
    rows = [_row("s-2", "a", [[1, 0]]), _row("s-3", "b", [[0, 1]])]
    rows[0]["dictionary"] = {"a"}
    rows[0]["sentence_themes"] = [{"a"}]
    for r in rows:
        r["svotes"] = {"a": 0.8, "b": 0.2}
    prior = ({}, 0.5)
    x, _, where, _ = sk.table(rows, lambda r: prior, "")
    assert x.shape[1] == len(stack.FEATURES)
    nd, _, _, _ = sk.table(rows, lambda r: prior, "nondict")
    both, _, _, _ = sk.table(rows, lambda r: prior, "both")
    logit = {t: math.log(p / (1 - p)) for t, p in rows[0]["svotes"].items()}
    for j, (_, t, dic) in enumerate(where):
        assert nd[j, -1] == pytest.approx(0.0 if dic else logit[t])
        assert both[j, -2:].tolist() == pytest.approx([0.0, logit[t]] if dic else [logit[t], 0.0])
    assert any(d for _, _, d in where) and not all(d for _, _, d in where)
