"""Fit the own-words reader (``segment.ownwords``) and choose its threshold and margin
leave-one-batch-out.

    PYTHONPATH=src:. python -m benchmarks.seg_own_train --sections /tmp/seg/sections.pkl
                                                        [--write] [--list]

Training rows: every (section, question) pair the joint reading recorded
(``benchmarks.seg_kind_collect``, which keeps the evidence's parts since session 26) in the
spent document sets of batches 2-30 (held-back sets are refused); a pair is positive when
the gold answer holding most of the section's body answers that question. A logistic
regression (lbfgs, C ``C``, balanced) over ``ownwords.features`` is fitted without each
batch in turn and scores that batch's pairs.

Simulation per section: the section ends under the question the joint solution gives it
when its margin reaches the margin, else under the question the earlier steps put its body
under. Right: that is the gold question; wrong: it is a question and not the gold one. The
hand-weighted joint solution (the release) is the baseline. ``--mode fill`` (default): the
learned solution only places sections the hand-weighted one left open (and the model is
fitted on those sections' pairs only); ``--mode replace``: it replaces the hand-weighted
solution. Per batch the (threshold, margin) pair is chosen on the other batches' held-out
scores (objective right - wrong) and the held-out result printed per set. ``--write`` fits
on every batch and writes ``helpers/data/own_words_model.json`` with the pair chosen in most
folds. Session 26 (docs/segmentation.md): fill, C 0.3, held-out right 888 -> 895 and wrong
112 -> 117 of the 297 recorded documents; the reader is shipped off. Session 27: 310 documents
of batches 2-29, held-out right 940 -> 952, wrong 120 -> 123, (0, 0.5) in 27 of 28 folds; refitted
and switched on where no heading is bare-numbered (docs/segmentation.md "Session 27").
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, SPENT
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import joint, ownwords

OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / ownwords.MODEL_FILE
THRESHOLDS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0)
MARGINS = (0.0, 0.5, 1.0, 2.0, 3.0)
C = 0.3
MODE = "fill"  # "replace": the learned solution stands; "fill": it only places what the words left


@cache
def questions(name: str) -> tuple:
    return tuple(load_consultation(ROOT / name / "consultation.yaml").questions)


def words_solution(d: dict, qs) -> list[tuple[int | None, float]]:
    """The release's hand-weighted joint solution (words, then the body kinds)."""
    result = joint.solve(d["scores"], d["allowed"], d["base"])
    kinds = d["parts"].get("kinds")
    if kinds is not None and kinds.any():
        result = joint.keep_settled(
            result, joint.solve(d["scores"] + kinds, d["allowed"], d["base"])
        )
    return result


def doc_features(d: dict) -> tuple[np.ndarray, list, list]:
    """(sections, questions, features), the earlier steps' and the words' solutions."""
    qs = questions(d["set"])
    qids = d["qids"]
    free = d["free"]
    p = d["parts"]
    k, n = len(free), len(qids)
    bare = np.zeros((k, n))
    for s, f in enumerate(free):
        j = next((j for h, j in d["numbers"].items() if f[0] <= h < f[1]), None)
        if j is not None:
            bare[s, j] = 1.0
    frame = joint.intent_evidence([f[3] for f in free], qs)
    kinds = p.get("kinds", np.zeros((k, n)))
    ear = ownwords.earlier(d["rows"], free, qids)
    words = words_solution(d, qs)
    x = ownwords.features(
        [f[3] for f in free],
        p["hs"],
        p["bs"],
        p["lx"],
        bare,
        frame,
        kinds,
        [q.number for q in qs],
        ear,
        words,
        d["allowed"],
    )
    return x, ear, words


def table(sec: dict):
    """Per document: (set, batch, features, labels, allowed, earlier, words, gold ids)."""
    docs = []
    for name, ds in sec.items():
        if not SPENT.match(name):
            continue
        b = int(name.rsplit("-", 1)[1])
        for d in ds:
            if d.get("gold") is None or "parts" not in d:
                continue
            x, ear, words = doc_features(d)
            y = np.array([[g == q for q in d["qids"]] for g in d["gold"]], dtype=bool)
            docs.append((name, b, x, y, d["allowed"], ear, words, d))
    return docs


def fit(x: np.ndarray, y: np.ndarray) -> dict:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit((x - mean) / scale, y)
    return {
        "features": list(ownwords.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": m.coef_[0].round(6).tolist(),
        "intercept": round(float(m.intercept_[0]), 6),
    }


def pairs(docs, keep) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for doc in docs:
        if keep(doc):
            x, y, allowed = doc[2], doc[3], doc[4].copy()
            if MODE == "fill":  # only the sections the hand-weighted solution left open
                for s, (j, mg) in enumerate(doc[6]):
                    if j is not None and mg >= joint.MARGIN:
                        allowed[s, :] = False
            xs.append(x[allowed])
            ys.append(y[allowed])
    return np.vstack(xs), np.concatenate(ys)


def final(result, ear, margin: float) -> list[int | None]:
    return [
        j if j is not None and m >= margin else e
        for (j, m), (e, _w) in zip(result, ear, strict=True)
    ]


def count(fin, doc) -> Counter:
    qids, gold = doc[7]["qids"], doc[7]["gold"]
    c: Counter = Counter()
    for j, g in zip(fin, gold, strict=True):
        q = qids[j] if j is not None else None
        if q is not None and q == g:
            c["right"] += 1
        elif q is not None:
            c["wrong"] += 1
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", required=True)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--mode", default=MODE, choices=("fill", "replace"))
    ap.add_argument("--C", type=float, default=C)
    args = ap.parse_args(argv)
    globals()["MODE"] = args.mode
    globals()["C"] = args.C
    docs = table(pickle.loads(Path(args.sections).read_bytes()))
    batches = sorted({d[1] for d in docs})
    print(f"{len(docs)} documents, batches {batches[0]}-{batches[-1]}")
    odds: dict[int, np.ndarray] = {}
    for b in batches:
        m = fit(*pairs(docs, lambda d, b=b: d[1] != b))
        for i, doc in enumerate(docs):
            if doc[1] == b:
                odds[i] = ownwords.log_odds(doc[2], m)
    grid = [(t, mg) for t in THRESHOLDS for mg in MARGINS]
    base: dict[int, Counter] = {}
    res: dict[int, dict[tuple, Counter]] = {}
    for i, doc in enumerate(docs):
        base[i] = count(final(doc[6], doc[5], joint.MARGIN), doc)
        res[i] = {}
        sols = {t: ownwords.solve(odds[i], doc[4], t) for t in THRESHOLDS}
        for t, mg in grid:
            placed = ownwords.combine(doc[6], sols[t], joint.MARGIN, mg, MODE)
            res[i][(t, mg)] = count(final(placed, doc[5], joint.MARGIN), doc)
    by_batch = {b: [i for i, d in enumerate(docs) if d[1] == b] for b in batches}

    def obj(ii, key) -> int:
        return sum(res[i][key]["right"] - res[i][key]["wrong"] for i in ii)

    chosen: Counter = Counter()
    per_set: dict[str, list[Counter]] = {}
    changes = []
    for b in batches:
        others = [i for bb in batches if bb != b for i in by_batch[bb]]
        key = max(grid, key=lambda k: (obj(others, k), k[0], k[1]))
        chosen[key] += 1
        for i in by_batch[b]:
            name = docs[i][0]
            acc = per_set.setdefault(name, [Counter(), Counter()])
            acc[0].update(base[i])
            acc[1].update(res[i][key])
            if base[i] != res[i][key]:
                changes.append((name, docs[i][7]["rid"], dict(base[i]), dict(res[i][key])))
    tot = [Counter(), Counter()]
    for name, (b0, b1) in sorted(per_set.items()):
        tot[0].update(b0)
        tot[1].update(b1)
        if b0 != b1:
            print(
                f"{name:18} right {b0['right']:3} -> {b1['right']:3}  wrong {b0['wrong']:3} -> {b1['wrong']:3}"
            )
    print(
        f"pooled held-out: right {tot[0]['right']} -> {tot[1]['right']}, wrong {tot[0]['wrong']} -> {tot[1]['wrong']}"
    )
    print(f"chosen (threshold, margin): {dict(chosen)}")
    pooled = {k: sum(obj(by_batch[b], k) for b in batches) for k in grid}
    print("pooled right-wrong per (t, margin):", {k: v for k, v in pooled.items()})
    print("baseline right-wrong:", sum(base[i]["right"] - base[i]["wrong"] for i in base))
    if args.list:
        for c in changes:
            print("  ", c)
    if args.write:
        t, mg = chosen.most_common(1)[0][0]
        m = fit(*pairs(docs, lambda d: True))
        m |= {"threshold": t, "margin": mg, "mode": MODE, "C": C}
        OUT.write_text(json.dumps(m, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
