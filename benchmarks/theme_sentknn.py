"""Sentence neighbours as theme evidence, scored leave-one-batch-out (issue 14, session 21).

``python -m benchmarks.theme_sentknn ROWS... [--k 10] [--pool 40] [--batches ...]``

Reads the out-of-fold rows ``benchmarks.theme_sentence_loo --save`` writes (as
``theme_stacker`` and ``theme_variants`` do) and scores the stacker's
sentence-neighbour vote (``theme_sentpool``: each row's vote from the other sets of
its consultation, never its own set or the batch left out) as an eleventh stacker
column. Variants, each fitted leave-one-batch-out on both consultations like the shipped
stacker, cut chosen on the training rows:

- ``stack``: the shipped ten features (``coding.stack.FEATURES``);
- ``+svote``: the vote as log-odds for every candidate;
- ``+svote-nd``: the vote for candidates the dictionary did not fire on only (0 for a
  dictionary candidate: its own slope for adding codes, the recall side);
- ``+svote-both``: that column and a second one for dictionary candidates.

``--k`` and ``--alpha`` are the vote's neighbours and shrinkage (``stack.NEIGHBOURS``,
``stack.NEIGHBOUR_ALPHA``); ``--pool`` the nearest sentences kept per sentence before
a fold's batch is filtered out.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging

import numpy as np

from benchmarks import theme_folds as folds
from benchmarks import theme_stacker as ts
from benchmarks.theme_knn import load_rows
from benchmarks.theme_sentpool import attach_pools
from helpers.coding import stack

log = logging.getLogger(__name__)


def table(rows, prior_of, mode: str):
    """``theme_stacker.table`` (``stack.FEATURES``) plus the sentence vote in ``mode``:
    "" none, "all" one column for every candidate, "nondict" one for classifier-only
    candidates (0 for a dictionary candidate), "both" one each."""
    x, y, where, out = ts.table(rows, prior_of)
    if not mode or not len(where):
        return x, y, where, out
    v = np.array([stack._logit(rows[i]["svotes"].get(t, 0.0)) for i, t, _ in where])
    dic = np.array([d for _, _, d in where], dtype=bool)
    cols = {"all": [v], "nondict": [np.where(dic, 0.0, v)],
            "both": [np.where(dic, 0.0, v), np.where(dic, v, 0.0)]}[mode]  # fmt: skip
    return np.hstack([x, np.column_stack(cols)]), y, where, out


def fit(rows, exclude, mode: str) -> stack.Stacker:
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = ts.priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    x, y, _, out = table(rows, prior_of, mode)
    model = stack.fit_stacker(x, y, (out["tp"], out["fp"], out["fn"]))
    extra = {"": (), "all": ("svote",), "nondict": ("svote_nd",), "both": ("svote_nd", "svote_d")}
    return dataclasses.replace(model, features=stack.FEATURES + extra[mode])


def decide(rows, model, prior_of, mode: str) -> list[set]:
    x, _, where, _ = table(rows, prior_of, mode)
    coded = [{t for t in r["dictionary"] if t not in r["probs"]} for r in rows]
    if len(x):
        for (i, t, _), p in zip(where, model.probabilities(x), strict=True):
            if p >= model.cut:
                coded[i].add(t)
    return coded


VARIANTS = {"stack": "", "+svote": "all", "+svote-nd": "nondict", "+svote-both": "both"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--pool", type=int, default=40)
    parser.add_argument("--alpha", type=float, default=1.0)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--dump", help="also write the per-set counts here (JSON)")
    parser.add_argument("--merge", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if args.merge:
        folds.merge(args.rows)
        return 0
    rows = load_rows(args.rows)
    pools = attach_pools(rows, args.pool)
    variants = {v: VARIANTS[v] for v in args.variants}

    def setup(b, held, train):
        ts.attach_votes(rows, held)
        for p in pools.values():
            p.attach(b, args.k, args.alpha)
        pri = ts.priors(rows, held)
        models = {v: fit(train, held, m) for v, m in variants.items()}

        def decide_part(c, part):
            return {
                v: decide(part, models[v], lambda r, pri=pri: pri[r["consultation"]], m)
                for v, m in variants.items()
            }

        return decide_part, ""

    tally = folds.run(rows, args.batches, list(variants), setup)
    if args.dump:
        tally.dump(args.dump)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
