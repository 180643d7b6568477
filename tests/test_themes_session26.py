"""Session 26 (issue 14): the embedding votes in the pipeline (``coding.embvote``) and the
benchmark's classifier-free sentence vote (``svoteh``), checked by hand and against each
other (docs/models.md, "Session 26")."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import theme_embvote, theme_gbm
from benchmarks.theme_sentpool import SentencePool, evidence_labels
from helpers.coding import embvote, stack, stack_features, stack_trees


def test_evidence_is_hits_and_only_sentences_of_coded_answers():
    counts = [1, 3, 2]
    coded = np.array([[True, False], [True, True], [False, True]])
    here = np.zeros((6, 2))
    here[2, 0] = 1  # answer 1's second sentence fires theme 0's patterns
    here[4, 1] = 1  # answer 2's first sentence fires theme 1's patterns
    here[5, 0] = 1  # answer 2's second fires theme 0's, which answer 2 is not coded with
    got = embvote.evidence(counts, coded, here)
    expected = np.zeros((6, 2), dtype=bool)
    expected[0, 0] = True  # answer 0's only sentence, coded with theme 0
    expected[2, 0] = True  # a hit in a coded answer
    expected[4, 1] = True  # answer 2 is coded with theme 1 and its first sentence fires
    assert got.tolist() == expected.tolist()
    # answer 1 is coded with theme 1 but no sentence of its three fires: no evidence
    assert not got[1:4, 1].any()
    # the benchmark's labels without a classifier are the same booleans
    assert evidence_labels(counts, coded, here, None).tolist() == expected.tolist()


def test_for_training_reads_hits_by_sentence():
    # a training answer of two sentences, "Buses. Trains too."; a hit of theme y in the
    # second, and one of a theme not learned; a second answer of one sentence, coded x
    spans = [[(0, 6), (7, 17)], [(0, 4)]]
    hits = [[("y", 7, 13), ("z", 0, 3)], []]
    labels = np.array([[False, True], [True, False]])
    vec = np.eye(3)[[0, 1, 2]]
    index = embvote.for_training(vec[:2], spans, vec, labels, hits, ["x", "y"])
    assert index.evidence.tolist() == [[False, False], [False, True], [True, False]]
    assert index.sentences.dtype == np.float32 and index.answers.shape == (2, 3)


def test_top_votes_by_hand():
    # two training rows: (1, 0) coded, (0, 1) not; base rate 1/2; k = 1
    base = np.array([[1.0, 0.0], [0.0, 1.0]])
    labels = np.array([[True], [False]])
    query = np.array([[1.0, 0.0], [0.6, 0.8], [-1.0, 0.0]])
    got = embvote.top_votes(query, base, labels, k=1, alpha=1.0)
    # (1 * 1 + 1/2) / (1 + 1); nearest (0, 1) at 0.8, not coded: (0 + 1/2) / 1.8;
    # nearest at cosine 0 (negative clipped): the base rate
    assert got[:, 0] == pytest.approx([0.75, 0.5 / 1.8, 0.5])


def test_top_votes_equal_neighbour_votes():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(40, 8))
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    query = rng.normal(size=(7, 8))
    query /= np.linalg.norm(query, axis=1, keepdims=True)
    labels = rng.random((40, 3)) < 0.3
    want = stack_features.neighbour_votes(query @ base.T, labels)
    assert embvote.top_votes(query, base, labels) == pytest.approx(want, abs=1e-12)


def _bench_rows(rng) -> list[dict]:
    """Four sets of one consultation (batches 2-5), 2-3 answers each, 1-3 sentences."""
    rows = []
    for b in range(2, 6):
        for a in range(3 if b % 2 else 2):
            n = 1 + (a + b) % 3
            vec = rng.normal(size=(n, 6))
            vec /= np.linalg.norm(vec, axis=1, keepdims=True)
            gold = {t for t in ("x", "y") if rng.random() < 0.5}
            hits = [{t for t in gold if rng.random() < 0.5} for _ in range(n)]
            rows.append({"consultation": "c", "set": f"c-{b}", "batch": b, "vec": vec,
                         "spans": [(0, 1)] * n, "sentence_themes": hits, "gold": gold,
                         "probs": {"x": 0.3, "y": 0.3}})  # fmt: skip
    return rows


def test_pipeline_votes_equal_the_benchmark_columns():
    """What the trained coder computes from a training file of batches 2-4 for batch 5's
    answers equals the benchmark's ``svoteh`` / ``evote`` with batch 5 left out."""
    rows = _bench_rows(np.random.default_rng(7))
    SentencePool(rows, pool=12, classifier=False, key="svotehs").attach(5, k=3)
    theme_embvote.answer_votes(rows, held_batch=5, k=3)
    train = [r for r in rows if r["batch"] != 5]
    test = [r for r in rows if r["batch"] == 5]
    themes = ["x", "y"]

    def answer_vec(rs):
        m = np.vstack([r["vec"].sum(axis=0) for r in rs])  # trained_score.vectors' sum
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    here = np.array([[t in h for t in themes] for r in train for h in r["sentence_themes"]])
    labels = np.array([[t in r["gold"] for t in themes] for r in train])
    index = embvote.build(answer_vec(train), np.vstack([r["vec"] for r in train]),
                          [len(r["spans"]) for r in train], labels, here)  # fmt: skip
    first = np.concatenate([[0], np.cumsum([len(r["spans"]) for r in test])])
    k = 3
    got_s = embvote.top_votes(np.vstack([r["vec"] for r in test]), index.sentences,
                              index.evidence, k=k)  # fmt: skip
    got_s = np.maximum.reduceat(got_s, first[:-1], axis=0)
    got_e = embvote.top_votes(answer_vec(test), index.answers, index.labels, k=k)
    for i, r in enumerate(test):
        assert [r["svotehs"][t] for t in themes] == pytest.approx(got_s[i], abs=1e-6)
        assert [r["evotes"][t] for t in themes] == pytest.approx(got_e[i], abs=1e-6)


def test_columns_are_the_best_sentence_and_the_answer_vote():
    index = embvote.VoteIndex(
        sentences=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
        evidence=np.array([[True], [False]]),
        answers=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
        labels=np.array([[False], [True]]),
    )
    # one answer of two sentences: (1, 0) and (0, 1); its vector (0.6, 0.8)
    cols = embvote.columns(index, np.array([[0.6, 0.8]]), np.array([[1.0, 0.0], [0.0, 2.0]]),
                           np.array([0, 2]))  # fmt: skip
    # sentence (1, 0): its 10 nearest are both rows, weights 1 and 0: (1 + 0.5) / (1 + 1)
    # sentence (0, 1): weights 0 and 1, the second is no evidence: (0 + 0.5) / 2; best 0.75
    assert cols[0, 0, 0] == pytest.approx(0.75)
    # the answer: weights 0.6 (not coded) and 0.8 (coded): (0.8 + 0.5) / (1.4 + 1)
    assert cols[0, 0, 1] == pytest.approx(1.3 / 2.4)


def _tree_stacker(features: tuple[str, ...], feature: int, cut: float = 0.5):
    """One stump on ``feature``: leaf +2 when the value is above 0, else -2."""
    return stack_trees.TreeStacker(
        features=features, baseline=0.0, roots=[0], feature=[feature, 0, 0],
        threshold=[0.0, 0.0, 0.0], left=[1, 0, 0], right=[2, 0, 0],
        missing_left=[False] * 3, leaf=[False, True, True], value=[0.0, -2.0, 2.0], cut=cut,
    )  # fmt: skip


def test_a_stacker_with_the_votes_loads_and_decides_on_them(tmp_path):
    names = (*stack.FEATURES, *embvote.FEATURES)
    model = _tree_stacker(names, names.index("svote"))
    path = tmp_path / "stacker.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = stack.load_stacker(path)
    assert loaded.features == names and embvote.wanted(loaded.features)
    assert not embvote.wanted(stack.FEATURES)
    # two answers, one theme, each a classifier-only candidate (0.5); the svote decides
    args = (["x"], np.array([0.5]), np.ones((2, 1), bool), np.full((2, 1), 0.5),
            np.full((2, 1), 0.5), [[(0, 3)], [(0, 3)]], [[], []], ["abc", "abc"],
            np.array(["r1", "r2"]), np.array(["q", "q"]))  # fmt: skip
    extra = np.array([[[0.9, 0.5]], [[0.1, 0.5]]])  # svote 0.9 / 0.1, evote 0.5
    chosen, vetoed, prob = stack.stacked(*args, stacker=loaded, extra=extra)
    assert chosen.tolist() == [[0, 0]] and not len(vetoed)
    assert prob[:, 0] == pytest.approx([1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))])
    with pytest.raises(ValueError, match="embedding votes"):
        stack.stacked(*args, stacker=loaded)
    # a ten-feature stacker ignores them
    ten = _tree_stacker(stack.FEATURES, 1)
    assert stack.stacked(*args, stacker=ten, extra=extra)[0].tolist() == []


def test_other_feature_lists_are_refused(tmp_path):
    model = _tree_stacker((*stack.FEATURES, "rate", "npos"), 0)
    path = tmp_path / "stacker.json"
    path.write_text(model.to_json(), encoding="utf-8")
    with pytest.raises(ValueError, match="features"):
        stack.load_stacker(path)
    with pytest.raises(ValueError, match="pipeline computes"):
        theme_gbm.pipeline_names(_tree_stacker((*stack.FEATURES, "svote", "evote"), 0))
    named = theme_gbm.pipeline_names(_tree_stacker((*stack.FEATURES, "svoteh", "evote"), 0))
    assert named.features[-2:] == embvote.FEATURES
    assert json.loads(named.to_json())["features"][-2:] == ["svote", "evote"]


def test_the_fitted_cache_key_changes_only_when_the_votes_are_kept(monkeypatch):
    import pandas as pd

    from helpers import coding
    from helpers.coding import trained
    from helpers.core.consultation import load_consultation

    folder = "data/evaluation/transport-2/"
    cons = load_consultation(folder + "consultation.yaml")
    book = coding.load_codebook(folder + "codebook.yaml", cons)
    rows = pd.DataFrame([{"question_id": "q", "text": "abc", "themes": ("x",)}])
    # the packaged stacker reads no votes: the key of the fit format (session 28's format 5,
    # which stores ``silent``; eb440f7's format 4 gave fdc71970...)
    assert not trained._wants_votes(book)
    assert trained._key(book, rows, "wordllama") == "20439510181959f303a5273ec4223602"
    monkeypatch.setattr(trained, "_wants_votes", lambda codebook: True)
    assert trained._key(book, rows, "wordllama") != "20439510181959f303a5273ec4223602"
