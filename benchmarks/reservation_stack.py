"""Fit and measure the reservation finder's second look leave-one-set-out (session 28).

    PYTHONPATH=src python -m benchmarks.reservation_stack rows.jsonl[,more.jsonl] oof.pkl[,more.pkl]
        [--C=1.0] [--drop=a,b]

``rows`` are collections (``benchmarks.reservation_collect``), ``oof`` each set's sentence scores
from a finder that never saw the set (``benchmarks.reservation_loso``). For each set: the baseline
is the finder alone, its threshold chosen (pooled F1, ``reservation_train.choose_threshold``) on
the other sets; the second look (:mod:`helpers.stance.reservation_stack`) is fitted on the other
sets and its threshold chosen on their own leave-one-set-out scores (nested), so no set's
threshold or weights see it. The writer's own split flags a row either way, as in the table.
Prints each set's P / R / F1 before and after, answers gained and lost, better / worse / same.
``--drop`` leaves feature columns out (indices of :func:`stack_features`). Held-back sets are refused.

The second look (:func:`stack_features`, a logistic regression over the answer around the finder's
best sentence): the finder's log-odds of the best and second-best sentence; where the best sentence
stands (the stance sentence, before, after, none) and the answer's length; the row's read stance,
method, tick/text conflict and the rules' flag; the best sentence's shapes and its VADER polarity
against the writer's direction (:func:`benchmarks.reservation_cues.cue_features`); a contrast or
condition in it and a contrast in the stance sentence; two interactions. Session 28 measured it and
did not ship it (docs/stance.md "Session 28: reservations").
"""

from __future__ import annotations

import math
import pickle
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks import reservation_train as rt
from benchmarks.reservation_collect import _forbidden
from benchmarks.reservation_cues import N_CUES, cue_features
from benchmarks.reservation_loso import mark_splits
from helpers.stance.reservation_model import _CONDITION_ANY, _CONTRAST_ANY, Row
from helpers.stance.reservation_split import plain

_STANCES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
_METHODS = ("text", "unstructured", "tick_box+text")
_OPPOSED = ("disagree", "strongly_disagree")
N_STACK = 2 + 4 + 2 + len(_STANCES) + len(_METHODS) + 2 + N_CUES + 3 + 2 + 1


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-4), 1 - 1e-4)
    return max(-8.0, min(8.0, math.log(p / (1 - p))))


def stack_features(sents: list[str], p: np.ndarray, ev: int | None, row: Row) -> np.ndarray:
    """The :data:`N_STACK` answer features around the best sentence of ``sents`` (``p``: the
    finder's sentence probabilities; ``ev``: the stance sentence's index or None)."""
    rule, stance, method, conflict = row
    b = int(np.argmax(p))
    z1 = _logit(p[b])
    z2 = _logit(np.partition(p, -2)[-2]) if len(p) > 1 else -8.0
    n = len(sents)
    f = [z1 / 4.0, z2 / 4.0]
    f += [0.0, 0.0, 0.0, 1.0] if ev is None else [float(b == ev), float(b < ev), float(b > ev), 0.0]
    f += [math.log1p(n) / 4.0, float(n == 1)]
    f += [float(stance == s) for s in _STANCES]
    f += [float(method == m) for m in _METHODS]
    f += [float(conflict), float(rule)]
    low = plain(sents[b]).lower()
    f += cue_features(plain(sents[b]), stance)
    ev_low = plain(sents[ev]).lower() if ev is not None else ""
    f += [
        float(_CONTRAST_ANY.search(low) is not None),
        float(_CONDITION_ANY.search(low) is not None),
        float(ev is not None and ev != b and _CONTRAST_ANY.search(ev_low) is not None),
    ]
    opposed = float(stance in _OPPOSED)
    f += [z1 / 4.0 * opposed, z1 / 4.0 * float(ev is not None and b == ev)]
    f.append(1.0)
    return np.array(f, dtype=np.float64)


def load(rows_arg: str, oof_arg: str) -> list[dict]:
    """Answered rows of the collections with their out-of-set sentence scores (``_p``)."""
    rows = [r for path in rows_arg.split(",") for r in rt.load(path)]
    if any(_forbidden(r["set"]) for r in rows):
        raise SystemExit("a held-back set is in the collection; never read")
    oof: dict = {}
    for path in oof_arg.split(","):
        oof.update(pickle.load(open(path, "rb")))
    got = {(n, i, q): p for n, trip in oof.items() for i, q, p in trip}
    rows = [r for r in rows if r["set"] in oof]
    mark_splits(rows)
    for r in rows:
        p = got.get((r["set"], r["item"], r["question"]))
        r["_p"] = p if p is not None and len(p) > 0 and r["answered"] and r["sents"] else None
    return rows


def table(rows: list[dict], drop: list[int]) -> dict[str, dict]:
    """Per set: features (answered rows), finder's best score, read mask, split, rule, gold."""
    out: dict[str, dict] = {}
    for n in sorted({r["set"] for r in rows}, key=rt._order):
        test = [r for r in rows if r["set"] == n]
        read = np.array([r["_p"] is not None for r in test])
        x = np.array([stack_features(r["sents"], r["_p"], r["ev"], rt._row(r)) if r["_p"] is not None
                      else np.zeros(0) for r in test], dtype=object)  # fmt: skip
        out[n] = {
            "x": np.vstack([v for v, ok in zip(x, read, strict=True) if ok]),
            "best": np.array([r["_p"].max() if r["_p"] is not None else 0.0 for r in test]),
            "read": read,
            "split": np.array([bool(r["_split"]) for r in test]),
            "rule": np.array([bool(r["rule"]) for r in test]),
            "gold": np.array([bool(r["gold"]) for r in test]),
        }
        if drop:
            keep = [j for j in range(out[n]["x"].shape[1]) if j not in drop]
            out[n]["x"] = out[n]["x"][:, keep]
    return out


def _fit(data: dict, names: list[str], c: float) -> LogisticRegression:
    x = np.vstack([data[n]["x"] for n in names])
    y = np.concatenate([data[n]["gold"][data[n]["read"]] for n in names]).astype(int)
    model = LogisticRegression(C=c, max_iter=5000, solver="liblinear", random_state=rt.SEED)
    return model.fit(x, y)


def _full(d: dict, s: np.ndarray) -> np.ndarray:
    """Scores for every row of a set: read rows their score, a split 1, the rest 0."""
    out = np.zeros(len(d["gold"]))
    out[d["read"]] = s
    return np.where(d["split"], 1.0, out)


def _part(d: dict, s: np.ndarray) -> tuple:
    return (_full(d, s), d["read"], d["rule"], d["gold"])


def oof_stack(data: dict, names: list[str], c: float) -> dict[str, np.ndarray]:
    """Each set's second-look scores from a fit on the other sets of ``names``."""
    return {
        n: _fit(data, [m for m in names if m != n], c).predict_proba(data[n]["x"])[:, 1]
        for n in names
    }


def main(argv: list[str]) -> None:
    c = float(next((a.split("=", 1)[1] for a in argv if a.startswith("--C=")), 1.0))
    drop = [int(j) for a in argv if a.startswith("--drop=") for j in a.split("=", 1)[1].split(",")]
    rows = load(argv[0], argv[1])
    data = table(rows, drop)
    names = list(data)
    base_s = {n: np.where(data[n]["read"] & ~data[n]["split"], data[n]["best"], 0.0) for n in names}
    outer = oof_stack(data, names, c)
    tally, gained, lost, tot = [0, 0, 0], 0, 0, np.zeros((2, 3), dtype=int)
    f1s: list[list[float]] = [[], []]
    for n in names:
        d, others = data[n], [m for m in names if m != n]
        tb = rt.choose_threshold([(np.where(data[m]["split"], 1.0, base_s[m]), data[m]["read"],
                                   data[m]["rule"], data[m]["gold"]) for m in others])  # fmt: skip
        pb = np.where(d["read"], np.where(d["split"], 1.0, base_s[n]) >= tb, d["rule"])
        inner = oof_stack(data, others, c)
        ts = rt.choose_threshold([_part(data[m], inner[m]) for m in others])
        ps = np.where(d["read"], _full(d, outer[n]) >= ts, d["rule"])
        a, b = rt.prf(pb, d["gold"]), rt.prf(ps, d["gold"])
        tot += np.array([a[3:], b[3:]])
        f1s[0].append(a[2])
        f1s[1].append(b[2])
        tally[0 if b[2] > a[2] + 1e-9 else 1 if b[2] < a[2] - 1e-9 else 2] += 1
        g = int(np.sum((ps == d["gold"]) & (pb != d["gold"])))
        lo = int(np.sum((pb == d["gold"]) & (ps != d["gold"])))
        gained, lost = gained + g, lost + lo
        print(f"| {n} | {a[0]:.2f} / {a[1]:.2f} / {a[2]:.3f} ({a[3]}/{a[4]}/{a[5]}) t={tb:.3f} | "
              f"{b[0]:.2f} / {b[1]:.2f} / {b[2]:.3f} ({b[3]}/{b[4]}/{b[5]}) t={ts:.3f} | +{g} / -{lo} |",
              flush=True)  # fmt: skip
    for k, label in ((0, "finder alone"), (1, "second look")):
        tp, fp, fn = tot[k]
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"{label}: pooled {p:.3f} / {r:.3f} / {2 * p * r / (p + r):.3f} ({tp}/{fp}/{fn}) "
              f"median set F1 {np.median(f1s[k]):.3f}")  # fmt: skip
    print(f"better / worse / same {tally}; answers +{gained} / -{lost}")


if __name__ == "__main__":
    main(sys.argv[1:])
