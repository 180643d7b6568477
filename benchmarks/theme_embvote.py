"""Embedding neighbour votes as extra tree-stacker columns (issue 14, session 25).

The stacker's ``neighbours`` column asks whether training answers *worded* like this
one (TF-IDF cosine) were coded with the theme. The census of batches 23-27
(``benchmarks.theme_misses``) finds the coder's own misses mostly "far refusals":
points made in everyday words that share no vocabulary with the coded answers, so the
TF-IDF vote is near the base rate (0.02-0.2) and the trees stack them far under the cut.
A vote in the shipped offline embedding space (WordLlama) asks whether answers or
sentences that *mean* something close were coded with the theme. Two columns, both
from the gold-coded answers of the other sets of the consultation and never from the
batch left out (no column names a theme or a consultation):

- ``svote``: the sentence vote of ``theme_sentpool.SentencePool`` (each sentence's
  nearest evidence sentences, the answer's best sentence's vote), measured with the
  *logistic* stacker in session 21 and not before with the trees;
- ``evote``: the answer vote (``answer_votes``): the answer's unit mean sentence vector
  (the trained coder's embedding half) against the other sets' answers, ``k`` nearest,
  ``stack.neighbour_votes``' shrinkage.

``theme_gbm --extras svote evote svote,evote --pick`` scores them leave-one-batch-out
with the fold-wise choice (docs/models.md, "Session 25").
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from helpers.coding import stack

VOTES = ("svote", "evote", "svoteh")


def answer_vectors(rows: list[dict]) -> np.ndarray:
    """``(answers, dims)``: each row's unit mean sentence vector (rows need ``vec``)."""
    m = np.vstack([r["vec"].mean(axis=0) for r in rows])
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def answer_votes(
    rows: list[dict], held_batch: int | None = None, k: int = stack.NEIGHBOURS,
    alpha: float = stack.NEIGHBOUR_ALPHA,
) -> None:  # fmt: skip
    """Each row's ``evotes`` (theme -> vote) from the ``k`` most similar answers of its
    consultation outside its own set and outside ``held_batch`` (None: every other set)."""
    for c in sorted({r["consultation"] for r in rows}):
        part = [r for r in rows if r["consultation"] == c]
        themes = sorted({t for r in part for t in (*r["probs"], *r["gold"])})
        vec = answer_vectors(part)
        labels = np.array([[t in r["gold"] for t in themes] for r in part], dtype=bool)
        sets = np.array([r["set"] for r in part])
        train = np.array([r["batch"] != held_batch for r in part])
        sim = vec @ vec.T
        sim[(sets[:, None] == sets[None, :]) | ~train[None, :]] = -np.inf
        top = np.argsort(-sim, axis=1, kind="stable")[:, :k]
        s = np.clip(np.take_along_axis(sim, top, axis=1), 0.0, None)
        s[~np.isfinite(s)] = 0.0
        base = labels[train].mean(axis=0)
        votes = np.einsum("ij,ijt->it", s, labels[top].astype(np.float64))
        votes = (votes + alpha * base) / (s.sum(axis=1, keepdims=True) + alpha)
        for r, v in zip(part, votes, strict=True):
            r["evotes"] = dict(zip(themes, v.tolist(), strict=True))


def vote_column(r: dict, theme: str, name: str) -> float:
    """Candidate (``r``, ``theme``)'s ``name`` vote as log-odds (0.5 -> 0 when absent)."""
    return stack._logit(r[name + "s"].get(theme, 0.5))


class Votes:
    """The sentence pools of ``rows`` (built once) and a per-fold ``attach``."""

    def __init__(
        self, rows: list[dict], names: set[str], pool: int = 40, k: int = stack.NEIGHBOURS
    ):
        from benchmarks.theme_sentpool import attach_pools
        from benchmarks.theme_variants import attach_vectors

        self.rows, self.names, self.k = rows, names, k
        if names and "vec" not in rows[0]:
            attach_vectors(rows)
        self.pools = attach_pools(rows, pool) if "svote" in names else {}
        if "svoteh" in names:  # session 26: evidence without the sentence classifier
            self.pools |= {
                (c, "h"): p
                for c, p in attach_pools(rows, pool, classifier=False, key="svotehs").items()
            }

    def attach(self, held_batch: int | None) -> None:
        """Every row's votes with ``held_batch`` out of every neighbour list."""
        for p in self.pools.values():
            p.attach(held_batch, k=self.k)
        if "evote" in self.names:
            answer_votes(self.rows, held_batch, k=self.k)


def changes_by_cause(rows: list[dict], batch: int, names: tuple[str, ...], votes: Votes) -> Counter:
    """What the trees with the ``names`` columns change on ``batch`` against the shipped
    trees, both fitted without it (``theme_gbm.fit_with_oof``: cut chosen inside).

    Keys ``(consultation, change, kind)``: ``gained`` right codes by the shipped trees'
    ``theme_misses.miss_cause`` (``near``, ``far``, ``veto``, ...), ``lost`` right codes and
    wrong codes ``added`` / ``dropped``, by ``dict`` (the patterns fired) or ``classifier``.
    """
    from benchmarks import theme_stacker as ts
    from benchmarks.theme_gbm import fit_with_oof, theme_stats, with_extras
    from benchmarks.theme_misses import miss_cause

    test = [r for r in rows if r["batch"] == batch]
    held = {r["set"] for r in test}
    train = [r for r in rows if r["batch"] != batch]
    ts.attach_votes(rows, held)
    votes.attach(batch)
    trees = fit_with_oof(train, held)[0]
    model = fit_with_oof(train, held, extras=names)[0]
    pri, stats = ts.priors(rows, held), theme_stats(rows, held)
    x, _, where, _ = ts.table(test, lambda r: pri[r["consultation"]])
    out: Counter = Counter()
    if not len(where):
        return out
    q0 = trees.probabilities(x)
    q1 = model.probabilities(with_extras(x, where, test, names, lambda r: stats[r["consultation"]]))
    for (i, t, d), a, b in zip(where, q0, q1, strict=True):
        r, old, new = test[i], a >= trees.cut, b >= model.cut
        if old == new:
            continue
        kind = "dict" if d else "classifier"
        if t in r["gold"]:
            change = ("gained", miss_cause(r, t, a, trees.cut)) if new else ("lost", kind)
        else:
            change = ("wrong added", kind) if new else ("wrong dropped", kind)
        out[(r["consultation"], *change)] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.theme_embvote ROWS... [--batches N...] [--extras svote,evote]``:
    ``changes_by_cause`` summed over the batches (spent batches only)."""
    import argparse
    import logging

    from benchmarks.theme_knn import load_rows
    from benchmarks.theme_misses import refuse_held_back

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--extras", default="svote,evote")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for b in args.batches:
        refuse_held_back(args.rows, b)
    rows = load_rows(args.rows)
    names = tuple(args.extras.split(","))
    votes = Votes(rows, {n for n in names if n in VOTES})
    total: Counter = Counter()
    for b in args.batches:
        got = changes_by_cause(rows, b, names, votes)
        total.update(got)
        print(f"batch {b}: " + ", ".join(f"{'/'.join(k)} {v}" for k, v in sorted(got.items())),
              flush=True)  # fmt: skip
    for k, v in sorted(total.items()):
        print(f"  {k[0]:12s} {k[1]:14s} {k[2]:12s} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
