"""Session 22: the boosted-tree theme stacker (``coding.stack_trees``).

A hand-built tree checks the numpy walk (left on ``<=``, missing values where the node
sends them, one leaf value per tree summed with the baseline); a scikit-learn fit checks
the export against its own ``predict_proba`` and the JSON round trip; the pipeline path
uses ``test_stack``'s parks consultation with a hand-built tree stacker whose decisions
are known in advance.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from test_stack import ON, _documents  # noqa: F401
from test_trained import _encode, folder  # noqa: F401

from helpers.coding import stack, stack_trees, trained
from helpers.coding.codebook import load_codebook
from helpers.coding.runner import code_answers
from helpers.core.consultation import load_consultation

ANSWER = stack.FEATURES.index("answer_logit")
SENTENCE = stack.FEATURES.index("sentence_logit")
DICTIONARY = stack.FEATURES.index("dictionary")


def _one_tree(baseline: float = 0.0) -> stack_trees.TreeStacker:
    """One depth-2 tree: the answer classifier counts only where the best sentence is
    lukewarm (sentence logit <= 1): answer logit <= 0 -> -2, else +1; a confident
    sentence (> 1) -> +3 whatever the answer says. A missing sentence value goes right."""
    return stack_trees.TreeStacker(
        features=stack.FEATURES,
        baseline=baseline,
        roots=np.array([0]),
        feature=np.array([SENTENCE, ANSWER, 0, 0, 0]),
        threshold=np.array([1.0, 0.0, 0.0, 0.0, 0.0]),
        left=np.array([1, 2, 2, 3, 4]),
        right=np.array([4, 3, 2, 3, 4]),
        missing_left=np.array([False, True, False, False, False]),
        leaf=np.array([False, False, True, True, True]),
        value=np.array([0.0, 0.0, -2.0, 1.0, 3.0]),
        cut=0.5,
    )


def _rows(*pairs: tuple[float, float]) -> np.ndarray:
    x = np.zeros((len(pairs), len(stack.FEATURES)))
    for i, (a, s) in enumerate(pairs):
        x[i, ANSWER], x[i, SENTENCE] = a, s
    return x


def test_the_walk_by_hand():
    tree = _one_tree(baseline=0.5)
    # (answer, sentence): lukewarm sentence and weak answer; lukewarm sentence and
    # strong answer; threshold values go left; confident sentence; missing sentence
    x = _rows((-1.0, 0.0), (2.0, 0.5), (0.0, 1.0), (-5.0, 4.0), (-1.0, np.nan))
    assert tree.raw(x).tolist() == [-1.5, 1.5, -1.5, 3.5, 3.5]
    assert tree.probabilities(x)[0] == pytest.approx(1 / (1 + math.exp(1.5)))


def test_two_trees_add_their_leaves():
    one = _one_tree()
    two = stack_trees.TreeStacker(
        **{
            **one.__dict__,
            "roots": np.array([0, 5]),
            **{
                k: np.concatenate([getattr(one, k), getattr(one, k) + (5 if k in ("left", "right") else 0)])
                for k in ("feature", "threshold", "left", "right", "missing_left", "leaf")
            },
            "value": np.concatenate([one.value, 0.5 * one.value]),
        }
    )  # fmt: skip
    assert two.raw(_rows((2.0, 0.0), (0.0, 3.0))).tolist() == [1.5, 4.5]


def test_export_matches_sklearn_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, len(stack.FEATURES)))
    # an interaction a sum of slopes cannot draw: the answer counts where the sentence is low
    y = ((x[:, SENTENCE] > 1) | ((x[:, SENTENCE] <= 1) & (x[:, ANSWER] > 0.5))).astype(int)
    model = stack_trees._estimator().fit(x, y)
    tree = stack_trees.from_sklearn(model, stack.FEATURES, 0.4, note="test")
    test = rng.normal(size=(300, len(stack.FEATURES)))
    test[:3, ANSWER] = np.nan
    assert np.abs(tree.probabilities(test) - model.predict_proba(test)[:, 1]).max() < 1e-12
    assert len(tree.roots) == stack_trees.TREE_PARAMS["max_iter"]
    path = tmp_path / "trees.json"
    path.write_text(tree.to_json(), encoding="utf-8")
    back = stack.load_stacker(path)
    assert isinstance(back, stack_trees.TreeStacker) and back.cut == 0.4
    assert back.probabilities(test).tolist() == tree.probabilities(test).tolist()
    data = json.loads(tree.to_json())
    data["features"][ANSWER] = "theme_is_housing"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="features"):
        stack.load_stacker(path)


def test_the_cut_is_chosen_out_of_fold_and_the_fit_is_deterministic():
    # by hand: p = [0.9, 0.6, 0.3], y = [1, 0, 1], nothing outside. Cut 0.3 codes all
    # three (tp 2, fp 1: F1 0.8); 0.6 codes two (tp 1, fp 1, fn 1: 0.5); 0.9 one (0.67)
    p, y = np.array([0.9, 0.6, 0.3]), np.array([1, 0, 1])
    assert stack_trees.best_cut(p, y, (0, 0, 0), (0.3, 0.6, 0.9)) == 0.3
    # y = [1, 0, 0]: 0.3 gives 0.5, 0.6 gives 0.67, 0.9 gives 1.0
    assert stack_trees.best_cut(p, np.array([1, 0, 0]), (0, 0, 0), (0.3, 0.6, 0.9)) == 0.9
    # 100 right codes outside: 0.3 (204/205) still beats 0.9 (202/203)
    assert stack_trees.best_cut(p, y, (100, 0, 0), (0.3, 0.6, 0.9)) == 0.3
    # a tie (0.5 and 0.7 code the same rows) goes to the cut nearer 0.5, in either order
    two, right = np.array([0.9, 0.3]), np.array([1, 0])
    assert stack_trees.best_cut(two, right, (0, 0, 0), (0.7, 0.5)) == 0.5
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, len(stack.FEATURES)))
    y = (x[:, ANSWER] + 0.1 * rng.normal(size=400) > 0).astype(int)
    groups = np.arange(400) % stack_trees.CUT_GROUPS
    a = stack_trees.fit_trees(x, y, groups, stack.FEATURES, stack.CUTS)
    b = stack_trees.fit_trees(x, y, groups, stack.FEATURES, stack.CUTS)
    assert a.to_json() == b.to_json() and a.cut in stack.CUTS
    assert ((a.probabilities(x) >= a.cut) == y.astype(bool)).mean() > 0.9


def test_the_packaged_stacker_codes_strong_evidence_and_drops_weak():
    model = stack.load_stacker()
    assert model.features == stack.FEATURES and 0 < model.cut < 1
    # feature rows as stack.candidate_features builds them: a dictionary code alone in
    # its sentence with both classifiers and the vote confident; and a classifier-only
    # candidate at the floor with a cold vote
    strong = stack.candidate_features("t", True, 0.9, 0.95, [{"t"}], [0], 0.8, 0, 0.6)
    weak = stack.candidate_features("t", False, 0.21, 0.05, [set(), set()], [0, 0], 0.0, 3, 0.01)
    p = model.probabilities(np.array([strong, weak]))
    assert p[0] >= model.cut > p[1]


def test_a_tree_stacker_decides_in_the_pipeline(folder, monkeypatch):  # noqa: F811
    # every candidate goes to the leaf -20: the learned theme's dictionary code is vetoed
    veto = stack_trees.TreeStacker(
        features=stack.FEATURES, baseline=0.0, roots=np.array([0]), feature=np.array([0]),
        threshold=np.array([0.0]), left=np.array([0]), right=np.array([0]),
        missing_left=np.array([False]), leaf=np.array([True]), value=np.array([-20.0]),
        cut=0.5,
    )  # fmt: skip
    (folder / "codebook.yaml").write_text(ON, encoding="utf-8")
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    monkeypatch.setattr(stack, "packaged", lambda: veto)
    result = _documents(folder)
    args = (result.answers, result.respondents, codebook, consultation)
    after = trained.add_trained_codes(code_answers(*args), *args, encode=_encode)
    walker = result.respondents.set_index("source_file").respondent_id["walker.docx"]
    kept = after[after.respondent_id == walker]
    assert list(kept.theme_id) == ["dogs"] and list(kept.method) == ["dictionary"]
