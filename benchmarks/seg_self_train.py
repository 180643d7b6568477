"""Fit the self-description reader (``segment.selfsection``) and choose its threshold
leave-one-batch-out.

    PYTHONPATH=src:. python -m benchmarks.seg_self_train --sections /tmp/seg/sections.pkl
                                                         [--write] [--list]

Training rows: every section the joint reading recorded (``benchmarks.seg_kind_collect``)
in the spent document sets of batches 2-30 (held-back sets are refused), labelled 1 when
the gold answer holding most of its body answers the consultation's profile question.
A logistic regression (lbfgs, C ``C``) over ``selfsection.features`` is fitted without
each batch in turn; for that batch's documents with no row under the profile question
the most likely section is placed there when its held-out probability reaches a
threshold. Per threshold in ``THRESHOLDS``: right (the gold profile answer), wrong
(anything else) and lost (a section the earlier steps had under its gold question).
Each batch's threshold is chosen on the other batches (objective right - wrong - lost;
the smallest threshold on a tie) and the held-out result printed. ``--write`` fits on
every batch and writes ``helpers/data/self_section_model.json`` with the threshold
chosen in most folds.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, SPENT
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import joint, selfsection

OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / selfsection.MODEL_FILE
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
C = 0.3


def table(sec: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple]]:
    """Features, labels, batches and (set, doc, section, unanswered, gold, before) per section."""
    x, y, batch, meta = [], [], [], []
    for name, docs in sec.items():
        if not SPENT.match(name):
            continue
        b = int(name.rsplit("-", 1)[1])
        qs = load_consultation(ROOT / name / "consultation.yaml").questions
        prof = [j for j, q in enumerate(qs) if q.kind == "profile"]
        if len(prof) != 1:
            continue
        p, pid = prof[0], qs[prof[0]].id
        for di, d in enumerate(docs):
            if d.get("gold") is None:
                continue
            placed = joint.solve(d["scores"], d["allowed"], d["base"])
            unanswered = pid not in d["row_questions"]
            for s in range(len(d["free"])):
                x.append(
                    selfsection.features(
                        d["text"], d["free"], s, d["scores"], p, placed, joint.MARGIN
                    )
                )
                y.append(d["gold"][s] == pid)
                batch.append(b)
                meta.append((name, di, s, unanswered, d["gold"][s], d["free"][s][3][:50]))
    return np.array(x), np.array(y), np.array(batch), meta


def fit(x: np.ndarray, y: np.ndarray) -> dict:
    """Standardised logistic regression weights as ``selfsection.probability`` reads them."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y)
    return {
        "features": list(selfsection.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": m.coef_[0].round(6).tolist(),
        "intercept": round(float(m.intercept_[0]), 6),
    }


def decide(p: np.ndarray, y: np.ndarray, meta: list[tuple], idx, t: float) -> tuple[Counter, list]:
    """Right / wrong / lost when each unanswered document's likeliest section (p >= t) is placed."""
    docs: dict[tuple, list[int]] = {}
    for i in idx:
        if meta[i][3]:
            docs.setdefault(meta[i][:2], []).append(i)
    out: Counter = Counter()
    placed = []
    for ii in docs.values():
        i = max(ii, key=lambda k: p[k])
        if p[i] < t:
            continue
        out["right" if y[i] else "wrong"] += 1
        out["lost"] += int(not y[i] and meta[i][4] is not None)
        placed.append((bool(y[i]), round(float(p[i]), 2), meta[i]))
    return out, placed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", required=True)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--list", action="store_true", help="print the held-out placements")
    ap.add_argument("--folds", default="", help="write each batch's fold model to DIR/<b>.json")
    args = ap.parse_args(argv)
    x, y, batch, meta = table(pickle.loads(Path(args.sections).read_bytes()))
    print(f"{len(y)} sections, {int(y.sum())} self-descriptions")
    held_p = np.zeros(len(y))
    models = {}
    for b in sorted(set(batch)):
        m = models[b] = fit(x[batch != b], y[batch != b])
        held_p[batch == b] = selfsection.probability(x[batch == b], m | {"threshold": 0.0})
    res = {
        b: [decide(held_p, y, meta, np.flatnonzero(batch == b), t)[0] for t in THRESHOLDS]
        for b in sorted(set(batch))
    }
    held: Counter = Counter()
    chosen: Counter = Counter()
    placements = []
    for b, r in res.items():
        other = [
            sum(res[o][k]["right"] - res[o][k]["wrong"] - res[o][k]["lost"] for o in res if o != b)
            for k in range(len(THRESHOLDS))
        ]
        k = int(np.argmax(other))
        chosen[THRESHOLDS[k]] += 1
        if args.folds:  # the model the real scorer reads batch b with, leave-one-batch-out
            folder = Path(args.folds)
            folder.mkdir(parents=True, exist_ok=True)
            fold = models[b] | {"threshold": THRESHOLDS[k], "C": C}
            (folder / f"{b}.json").write_text(json.dumps(fold, indent=1), encoding="utf-8")
        held.update(r[k])
        placements += decide(held_p, y, meta, np.flatnonzero(batch == b), THRESHOLDS[k])[1]
        print(
            f"batch {b:2} t={THRESHOLDS[k]:.1f} "
            + " ".join(f"{c['right']}/{c['wrong']}" for c in r)
        )
    pooled = [
        f"{t}:{sum(res[b][k]['right'] for b in res)}/{sum(res[b][k]['wrong'] for b in res)}"
        f"/{sum(res[b][k]['lost'] for b in res)}"
        for k, t in enumerate(THRESHOLDS)
    ]
    print("pooled right/wrong/lost per threshold " + " ".join(pooled))
    print(
        f"held-out choice: right {held['right']}, wrong {held['wrong']} (of which another "
        f"question's answer {held['lost']}); thresholds {dict(chosen)}"
    )
    if args.list:
        for ok, p, m in sorted(placements, key=lambda t: t[2]):
            print(f"  {'right' if ok else 'WRONG'} {p:.2f} {m}")
    if args.write:
        m = fit(x, y) | {"threshold": chosen.most_common(1)[0][0], "C": C}
        OUT.write_text(json.dumps(m, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
