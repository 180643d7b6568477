"""The tree stacker (``coding.stack_trees``) against the logistic one, leave-one-batch-out.

``python -m benchmarks.theme_gbm ROWS... [--batches ...] [--fit PATH]``

Reads the out-of-fold rows ``theme_stacker`` reads (pickled as ``theme_knn`` does) and,
per batch left out, fits on every other batch of both consultations (the shipped
recipe: ``theme_stacker.table``'s ten ``coding.stack.FEATURES``, priors and neighbour
votes from outside the batch) both the logistic stacker (``stack.fit_stacker``, shipped
until session 22) and depth-3 boosted trees (``stack_trees.fit_trees``: fixed seed, no
early stopping). The trees' in-sample probabilities are overfitted, so their cut is
chosen on out-of-fold predictions inside the training rows (``CUT_GROUPS`` groups of
batches, batch N in group N mod 4): the batch left out never chooses anything. The
decisions are ``stack_trees.TreeStacker.probabilities`` (numpy over the exported
arrays), so the benchmark scores what the pipeline computes. Session 21 measured the
trees once over batches 2-23; session 22 confirmed them over 2-24 and shipped them
(docs/models.md, "Session 22"). ``--fit PATH`` writes the trees fitted on every row
(the packaged ``helpers/data/theme_stacker.json``); set ``OMP_NUM_THREADS=1`` on a
shared machine (scikit-learn's threads otherwise compete for the cores).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_knn import load_rows
from helpers.coding import stack, stack_trees


def training_table(rows: list[dict], exclude: set[str]):
    """``theme_stacker.table`` of ``rows``, each row's prior from its consultation's
    sets outside ``exclude`` and its own."""
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    return ts.table(rows, prior_of)


def fit_trees(rows: list[dict], exclude: set[str], note: str = "") -> stack_trees.TreeStacker:
    """The tree stacker fitted on ``rows`` (cut chosen over groups of batches)."""
    x, y, where, out = training_table(rows, exclude)
    groups = np.array([rows[i]["batch"] % stack_trees.CUT_GROUPS for i, _, _ in where])
    return stack_trees.fit_trees(
        x, y, groups, stack.FEATURES, stack.CUTS, (out["tp"], out["fp"], out["fn"]), note
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 26)))
    parser.add_argument("--fit", help="write the trees fitted on every row here")
    parser.add_argument("--dump", help="write the per-set counts here (theme_folds.merge)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)

    def setup(b, held, train):
        ts.attach_votes(rows, held)
        pri = ts.priors(rows, held)
        models = {"stack": ts.fit_on(train, held), "trees": fit_trees(train, held)}

        def decide(c, part):
            px, _, pw, _ = ts.table(part, lambda r: pri[r["consultation"]])
            got = {k: [{t for t in r["dictionary"] if t not in r["probs"]} for r in part]
                   for k in models}  # fmt: skip
            if len(px):
                for k, model in models.items():
                    for (i, t, _), q in zip(pw, model.probabilities(px), strict=True):
                        if q >= model.cut:
                            got[k][i].add(t)
            return got

        return decide, f"stack cut {models['stack'].cut}, trees cut {models['trees'].cut}"

    if args.batches:
        tally = folds.run(rows, args.batches, ["stack", "trees"], setup)
        if args.dump:
            tally.dump(args.dump)
    if args.fit:
        sets = sorted({r["set"] for r in rows})
        ts.attach_votes(rows, set())
        model = fit_trees(rows, set(), note=f"benchmarks/theme_gbm.py --fit on {', '.join(sets)}")
        Path(args.fit).write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {args.fit}: cut {model.cut}, {len(model.roots)} trees")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
