"""Boosted trees as the theme stacker: the same features, decided by shallow trees.

``coding.stack`` sums one slope per feature (a logistic regression). A sum cannot let
one feature count only where another is lukewarm: the answer classifier's probability
matters most exactly where the best sentence and the neighbour vote are undecided (the
near misses every census since session 19 found among the refused candidates), and a
dictionary code in a list of examples is a different case from one alone in its
sentence. Depth-3 trees see those interactions and nothing else changes: the same
candidates, the same ten features (none names a theme, a word or a consultation), one
set of weights for every codebook.

Measured leave-one-batch-out over batches 2-24 of both development consultations (the
tree cut chosen inside each fold, never on the batch left out; docs/models.md,
"Session 22"). The packaged model is fitted offline (``benchmarks/theme_gbm.py
--fit``) with scikit-learn's ``HistGradientBoostingClassifier`` (``TREE_PARAMS``:
fixed seed, no early stopping, so the fit is deterministic) and saved as plain arrays
(``to_json``): the pipeline never unpickles a model, and ``probabilities`` walks the
trees with numpy alone, the way scikit-learn's predictor does (a row goes left when
its value is ``<=`` the node's threshold; a missing value where the node sends it).

This module does not import ``coding.stack`` (``stack`` loads a saved tree model
through ``from_dict``), so there is no import cycle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

KIND = "trees"
TREE_PARAMS = {
    "max_depth": 3,
    "learning_rate": 0.05,
    "max_iter": 150,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}
# groups of training batches the cut is chosen over (out-of-fold probabilities: the
# trees' in-sample probabilities are overfitted, so a cut chosen on them is too high)
CUT_GROUPS = 4


@dataclass(frozen=True)
class TreeStacker:
    """A fitted tree stacker as plain arrays: every tree's nodes in one table.

    Node ``j``: ``feature[j]`` and ``threshold[j]`` (go to ``left[j]`` when the row's
    value is ``<=`` it, else ``right[j]``; a missing value goes left when
    ``missing_left[j]``), ``leaf[j]`` and the leaf's ``value[j]`` (learning rate
    applied). ``roots[t]`` is tree ``t``'s first node. The stacked probability is the
    logistic of ``baseline`` plus one leaf value per tree.
    """

    features: tuple[str, ...]
    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    cut: float
    note: str = ""

    def __post_init__(self) -> None:
        # the walk indexes with these: integer nodes, boolean flags, whatever was passed
        for name, dtype in (("roots", np.int64), ("feature", np.int64), ("left", np.int64),
                            ("right", np.int64), ("missing_left", bool), ("leaf", bool),
                            ("threshold", np.float64), ("value", np.float64)):  # fmt: skip
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=dtype))

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The summed leaf values (log-odds) of each row of ``x``."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, len(self.features))
        node = np.tile(self.roots, (len(x), 1))  # (rows, trees)
        row = np.arange(len(x))[:, None]
        while True:
            inner = ~self.leaf[node]
            if not inner.any():
                break
            v = x[row, self.feature[node]]
            go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return self.baseline + self.value[node].sum(axis=1)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The stacked probability of each row of ``x`` (columns in ``features`` order)."""
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def to_json(self) -> str:
        """The model as JSON (floats written exactly: ``json`` writes their repr)."""
        return json.dumps(
            {
                "kind": KIND,
                "features": list(self.features),
                "baseline": float(self.baseline),
                "cut": self.cut,
                "note": self.note,
                "roots": self.roots.tolist(),
                "feature": self.feature.tolist(),
                "threshold": self.threshold.tolist(),
                "left": self.left.tolist(),
                "right": self.right.tolist(),
                "missing_left": self.missing_left.astype(int).tolist(),
                "leaf": self.leaf.astype(int).tolist(),
                "value": self.value.tolist(),
            }
        )


_ARRAYS = ("roots", "feature", "threshold", "left", "right", "missing_left", "leaf", "value")


def from_dict(data: dict) -> TreeStacker:
    """A ``TreeStacker`` from ``to_json``'s fields (checked by the caller for features);
    the arrays take their types in ``TreeStacker.__post_init__``."""
    return TreeStacker(
        features=tuple(data["features"]),
        baseline=float(data["baseline"]),
        **{name: data[name] for name in _ARRAYS},
        cut=float(data["cut"]),
        note=str(data.get("note", "")),
    )


def from_sklearn(model, features: Sequence[str], cut: float, note: str = "") -> TreeStacker:
    """A fitted binary ``HistGradientBoostingClassifier`` as plain arrays."""
    roots, parts = [], []
    at = 0
    for (tree,) in model._predictors:  # one tree per iteration for two classes
        nodes = tree.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        roots.append(at)
        parts.append((nodes, at))
        at += len(nodes)

    def col(name, dtype, shift=False):
        return np.concatenate(
            [np.asarray(n[name], dtype=dtype) + off if shift else np.asarray(n[name], dtype=dtype)
             for n, off in parts]
        )  # fmt: skip

    leaf = col("is_leaf", bool)
    left, right = col("left", np.int64, True), col("right", np.int64, True)
    idx = np.arange(len(leaf))
    return TreeStacker(
        features=tuple(features),
        baseline=float(np.ravel(model._baseline_prediction)[0]),
        roots=np.asarray(roots, dtype=np.int64),
        feature=np.where(leaf, 0, col("feature_idx", np.int64)),
        threshold=np.where(leaf, 0.0, col("num_threshold", np.float64)),
        left=np.where(leaf, idx, left),
        right=np.where(leaf, idx, right),
        missing_left=col("missing_go_to_left", bool) & ~leaf,
        leaf=leaf,
        value=np.where(leaf, col("value", np.float64), 0.0),
        cut=float(cut),
        note=note,
    )


def _estimator(params: dict | None = None):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**(TREE_PARAMS if params is None else params))


def best_cut(
    p: np.ndarray, y: np.ndarray, outside: tuple[int, int, int], cuts: Sequence[float]
) -> float:
    """The cut of ``cuts`` with the best micro-F1 of ``p`` against ``y``, counting the
    ``outside`` (tp, fp, fn) of the decisions the stacker does not make; ties go to the
    cut nearer 0.5."""
    y = np.asarray(y, dtype=int)

    def f1(cut: float) -> float:
        got = p >= cut
        tp = outside[0] + int((got & (y == 1)).sum())
        fp = outside[1] + int((got & (y == 0)).sum())
        fn = outside[2] + int((~got & (y == 1)).sum())
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return max(cuts, key=lambda c: (f1(c), -abs(c - 0.5)))


def out_of_fold(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, params: dict | None = None
) -> np.ndarray:
    """Each row's probability from trees fitted on the other groups' rows (``params``:
    the estimator's settings, ``TREE_PARAMS`` by default)."""
    p = np.zeros(len(y))
    for g in np.unique(groups):
        m = groups == g
        p[m] = _estimator(params).fit(x[~m], y[~m]).predict_proba(x[m])[:, 1]
    return p


def fit_trees(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    features: Sequence[str],
    cuts: Sequence[float],
    outside: tuple[int, int, int] = (0, 0, 0),
    note: str = "",
    params: dict | None = None,
) -> TreeStacker:
    """Trees fitted on every row of ``x``; the cut chosen on out-of-fold probabilities
    over ``groups`` (the benchmark groups training batches ``batch % CUT_GROUPS``);
    ``params``: the estimator's settings (``TREE_PARAMS`` by default)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=int)
    cut = best_cut(out_of_fold(x, y, np.asarray(groups), params), y, outside, cuts)
    return from_sklearn(_estimator(params).fit(x, y), features, cut, note)
