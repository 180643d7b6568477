"""A gradient-boosted stacker on the shipped features, scored leave-one-batch-out (session 21).

``python -m benchmarks.theme_gbm ROWS... [--batches ...]``

Reads the out-of-fold rows ``theme_stacker`` reads (pickled as ``theme_knn`` does) and,
per batch left out, fits on every other batch of both consultations (the shipped
recipe: ``theme_stacker.table``'s ten ``coding.stack.FEATURES``, priors and neighbour
votes from outside the batch) both the shipped logistic stacker and depth-3 boosted trees
(``HistGradientBoostingClassifier``, fixed seed, no early stopping). The linear stacker
sums one slope per feature; trees can let the answer classifier count where the sentence
classifier and vote are lukewarm (batch 23's refused near misses) without moving every
other decision. The trees' in-sample probabilities are overfitted, so their cut is chosen
on out-of-fold predictions inside the training rows (four groups of batches, batch N in
group N mod 4). Not in the pipeline (docs/models.md, "Session 21").
"""

from __future__ import annotations

import argparse
import logging

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_knn import load_rows
from helpers.coding import stack


def trees():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_depth=3, learning_rate=0.05, max_iter=150, l2_regularization=1.0,
        early_stopping=False, random_state=0,
    )  # fmt: skip


def training_table(rows: list[dict], exclude: set[str]):
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    return ts.table(rows, prior_of)


def best_cut(p: np.ndarray, y: np.ndarray, out) -> float:
    """The cut of ``stack.CUTS`` with the best micro-F1 (outside decisions counted)."""

    def f1(c):
        got = p >= c
        tp = out["tp"] + int((got & (y == 1)).sum())
        fp = out["fp"] + int((got & (y == 0)).sum())
        return 2 * tp / (2 * tp + fp + out["fn"] + int((~got & (y == 1)).sum()))

    return max(stack.CUTS, key=lambda c: (f1(c), -abs(c - 0.5)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 25)))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)

    def setup(b, held, train):
        ts.attach_votes(rows, held)
        pri = ts.priors(rows, held)
        x, y, where, out = training_table(train, held)
        group = np.array([train[i]["batch"] % 4 for i, _, _ in where])
        p = np.zeros(len(y))
        for g in range(4):
            m = group == g
            p[m] = trees().fit(x[~m], y[~m]).predict_proba(x[m])[:, 1]
        cut = best_cut(p, y, out)
        model = trees().fit(x, y)
        linear = ts.fit_on(train, held)

        def decide(c, part):
            px, _, pw, _ = ts.table(part, lambda r: pri[r["consultation"]])
            got = {k: [{t for t in r["dictionary"] if t not in r["probs"]} for r in part]
                   for k in ("stack", "gbm")}  # fmt: skip
            if len(px):
                for (i, t, _), q in zip(pw, model.predict_proba(px)[:, 1], strict=True):
                    if q >= cut:
                        got["gbm"][i].add(t)
                for (i, t, _), q in zip(pw, linear.probabilities(px), strict=True):
                    if q >= linear.cut:
                        got["stack"][i].add(t)
            return got

        return decide, f"gbm cut {cut}"

    folds.run(rows, args.batches, ["stack", "gbm"], setup)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
