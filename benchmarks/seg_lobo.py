"""Nested leave-one-batch-out for the learned segment re-ranker, with a sequence decoder.

``seg_training.lobo`` scores one fixed margin chosen on the same folds. Here
every setting is chosen INSIDE each fold: for held-out batch ``b``, each
other batch ``c`` is scored by a model trained without ``b`` and ``c``, the
decoder's settings (the rules' lead ``margin`` and the switch penalty
``switch``) are picked by a fast proxy of the scorer over those inner
predictions, and the model trained on every batch but ``b`` decodes ``b``
with them; the real scorer (``devsets.scoring``) then scores ``b``, rules and
model side by side. A model trained without ``{b, c}`` serves both ``(b, c)``
and ``(c, b)``, so 15 batches cost 105 + 15 trainings.

The decoder (``learned.decode``) is Viterbi over each unit's scores with a
bonus ``margin`` on the rules' choice and a penalty ``switch`` for a change of
question between neighbouring units unless the second opens with heading
evidence: paragraphs in a run usually answer one question.

    PYTHONPATH=src:. python -m benchmarks.seg_lobo [--model softmax|lr] [--set ...]

Reads the sets ``seg_training`` built (``/tmp/segcache/<set>/set.pkl``).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import pickle
import sys
from pathlib import Path

import numpy as np

from benchmarks.seg_training import (
    HELD_BACK,
    _fmt,
    batch_of,
    pairs,
    score,
    spent_sets,
    train,
    train_softmax,
    upgrade,
)
from helpers.ingest.segment import learned

MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SWITCHES = (0.0, 0.5, 1.0, 2.0)
# A set's loss against the rules counts 1 + LOSS times (the keep rule punishes any batch
# that loses; a setting that trades one set's loss for another's gain is not wanted).
LOSS = 1.0
# With SAFE > 0 the inner choice takes the largest margin (then switch) whose proxy gain is
# within SAFE per set of the best (the optimum is flat; a bolder setting costs some batch).
SAFE = 0.0


def doc_scores(d: dict, w: dict) -> np.ndarray:
    """The linear model's score of every (unit, choice) of one document."""
    x = (d["features"] - np.asarray(w["mean"])) / np.asarray(w["scale"])
    return x @ np.asarray(w["coef"]) + float(w["intercept"])


def proxy(s: dict, labels: list[np.ndarray]) -> tuple[float, float]:
    """Fast stand-ins for right question and precision of one set's relabelled documents.

    Right question: a gold answer (one document's units of one gold question)
    is hit when at least 90% of its characters get that question. Precision: a
    produced answer (a run of units with one question) is right when at least
    90% of its characters are gold for that question.
    """
    rh = rn = ph = pn = 0
    for d, lab in zip(s["docs"], labels, strict=True):
        if not len(d["features"]):
            continue
        size = np.array([u.end - u.start for u in d["units"]], dtype=float)
        gold = np.asarray(d["gold"])
        lab = np.asarray(lab)
        for q in set(gold.tolist()) - {0}:
            m = gold == q
            rn += 1
            rh += size[m & (lab == q)].sum() >= 0.9 * size[m].sum()
        i = 0
        while i < len(lab):
            k = i
            while k + 1 < len(lab) and lab[k + 1] == lab[i]:
                k += 1
            if lab[i]:
                pn += 1
                seg = slice(i, k + 1)
                ph += size[seg][gold[seg] == lab[i]].sum() >= 0.9 * size[seg].sum()
            i = k + 1
    return rh / max(rn, 1), ph / max(pn, 1)


def fit(sets: list[dict], kind: str, c: float):
    """A scorer: one document's pair features -> (units, choices) scores."""
    if kind == "gbm":
        from sklearn.ensemble import HistGradientBoostingClassifier

        x, y = pairs(sets)
        gbm = HistGradientBoostingClassifier(max_iter=200, max_leaf_nodes=15, random_state=0)
        gbm.fit(x, y)

        def tree_scores(f: np.ndarray) -> np.ndarray:
            p = gbm.predict_proba(f.reshape(-1, f.shape[-1]))[:, 1].reshape(f.shape[:2])
            p = np.clip(p, 1e-6, 1 - 1e-6)
            return np.log(p / (1 - p))

        return tree_scores
    w = train_softmax(sets, c) if kind == "softmax" else train(sets, c)
    return lambda f, w=w: doc_scores({"features": f}, w)


def pick_setting(sets: list[dict], fits: dict[int, object], skip: int | None = None) -> tuple:
    """The (margin, switch) with the best summed proxy gain over the rules (right question +
    precision, losses counted ``1 + LOSS`` times) over every batch but ``skip``, each batch
    scored by ``fits[batch]`` (a model trained without it)."""
    grid = list(itertools.product(MARGINS, SWITCHES))
    gain = np.zeros(len(grid))
    for s in sets:
        b = batch_of(s["name"])
        if b == skip:
            continue
        base = proxy(s, [d["cur"] for d in s["docs"]])
        sc = [fits[b](d["features"]) if len(d["features"]) else None for d in s["docs"]]
        for g, (m, lam) in enumerate(grid):
            labs = [
                learned.decode(x, d["features"], m, lam) if x is not None else []
                for x, d in zip(sc, s["docs"], strict=True)
            ]
            gain[g] += sum(
                v - r + min(v - r, 0) * LOSS for v, r in zip(proxy(s, labs), base, strict=True)
            )
    if not SAFE:
        return grid[int(np.argmax(gain))]
    near = [g for g in range(len(grid)) if gain[g] >= gain.max() - SAFE * len(sets)]
    return max(grid[g] for g in near)  # the most conservative of the near-best


def final_setting(sets: list[dict], kind: str, c: float) -> tuple:
    """The shipped model's (margin, switch): ``pick_setting`` over every batch, leave-one-out."""
    batches = sorted({batch_of(s["name"]) for s in sets})
    fits = {b: fit([s for s in sets if batch_of(s["name"]) != b], kind, c) for b in batches}
    return pick_setting(sets, fits)


def nested(sets: list[dict], kind: str, c: float, fixed: tuple[float, float] | None) -> list:
    """Outer LOBO rows (set, rules, model, (margin, switch)) with settings picked inside."""
    batches = sorted({batch_of(s["name"]) for s in sets})
    of = {b: [s for s in sets if batch_of(s["name"]) == b] for b in batches}
    inner: dict[tuple[int, int], dict] = {}
    if fixed is None:
        for b, c2 in itertools.combinations(batches, 2):
            w = fit([s for s in sets if batch_of(s["name"]) not in (b, c2)], kind, c)
            inner[b, c2] = inner[c2, b] = w
    rows = []
    for b in batches:
        if fixed is None:
            fits = {c2: inner[b, c2] for c2 in batches if c2 != b}
            setting = pick_setting([s for s in sets if batch_of(s["name"]) != b], fits)
        else:
            setting = fixed
        w = fit([s for s in sets if batch_of(s["name"]) != b], kind, c)
        for s in of[b]:
            rules = score(s, lambda d: None)
            model = score(
                s,
                lambda d, w=w, setting=setting: (
                    learned.decode(w(d["features"]), d["features"], *setting)
                    if len(d["features"])
                    else None
                ),
            )
            rows.append((s["name"], rules, model, setting))
            print(
                f"{s['name']:16} m={setting[0]} sw={setting[1]} "
                f"rules {_fmt(rules)} | model {_fmt(model)}",
                flush=True,
            )
    return rows


def summary(rows: list) -> None:
    def rate(t: tuple, k: int) -> float:
        return t[k] / max(t[k + 1], 1)

    batches = sorted({batch_of(r[0]) for r in rows})
    print("| batch | right question rules -> model | precision rules -> model |")
    ok = 0
    for b in batches:
        rs = [r for r in rows if batch_of(r[0]) == b]
        vals = [np.mean([rate(r[i], k) for r in rs]) for i in (1, 2) for k in (0, 2)]
        worse = vals[0] - vals[2] > 0.01 or vals[1] - vals[3] > 0.01
        ok += not worse
        print(f"| {b} | {vals[0]:.3f} -> {vals[2]:.3f} | {vals[1]:.3f} -> {vals[3]:.3f} |")
    rq = [np.mean([rate(r[i], 0) for r in rows]) for i in (1, 2)]
    p = [np.mean([rate(r[i], 2) for r in rows]) for i in (1, 2)]
    print(
        f"mean over sets: right question {rq[0]:.3f} -> {rq[1]:.3f}, precision {p[0]:.3f} -> {p[1]:.3f}"
    )
    print(f"batches not worse by more than 1 point in either: {ok} of {len(batches)}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/segcache"))
    ap.add_argument("--set", action="append", dest="sets")
    ap.add_argument("--model", choices=("softmax", "lr", "gbm"), default="softmax")
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--fixed", type=float, nargs=2, metavar=("MARGIN", "SWITCH"))
    ap.add_argument("--out", type=Path, help="pickle the outer rows here")
    ap.add_argument("--safe", type=float, default=0.0, help="see SAFE")
    ap.add_argument("--final", action="store_true", help="only the shipped model's setting")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    names = args.sets or spent_sets()
    if any(HELD_BACK.search(n) for n in names):
        sys.exit("held-back sets are never read here")
    sets = [
        pickle.loads((args.cache / n / "set.pkl").read_bytes())
        for n in names
        if (args.cache / n / "set.pkl").exists()
    ]
    upgrade(sets)
    print(f"sets: {', '.join(s['name'] for s in sets)}", flush=True)
    global SAFE
    SAFE = args.safe
    if args.final:
        print("margin, switch:", final_setting(sets, args.model, args.c))
        return
    rows = nested(sets, args.model, args.c, tuple(args.fixed) if args.fixed else None)
    if args.out:
        args.out.write_bytes(pickle.dumps(rows))
    summary(rows)


if __name__ == "__main__":
    main()
