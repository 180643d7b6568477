"""Fit the body-kind reader (``segment.bodykind``) and choose its weight leave-one-batch-out.

    PYTHONPATH=src:. python -m benchmarks.seg_kind_train [--sections /tmp/seg/sections.pkl]
                                                        [--write]

Training rows: every substantive gold answer of the spent document sets of batches 2-30
(named explicitly; held-back sets are refused) whose question has a kind
(``bodykind.question_kinds``: closed -> position, an open question named by a kind's
question patterns), its body read as ``bodykind.features``. A multinomial logistic
regression (lbfgs, balanced classes, fixed C) is scored leave-one-batch-out (accuracy
over the consultation's own kinds).

With ``--sections`` (``benchmarks.seg_kind_collect``'s record of the joint reading's
sections) the joint solution is simulated per section with the evidence
``bodykind.kind_evidence`` at each weight in ``WEIGHTS``, the probabilities of batch
``b``'s sections coming from the model fitted without ``b``: a section counts right when
the solution gives it its gold question with at least ``joint.MARGIN``, wrong when it
gives it another question. Each batch's weight is chosen on the other batches
(objective right - wrong), and the held-out gains and losses are printed per set.
``--write`` fits on every batch and writes ``helpers/data/answer_kind_model.json``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, SPENT
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import bodykind, joint

OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / "answer_kind_model.json"
BATCHES = range(2, 31)
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
C = 0.3
BALANCED = True


def set_names() -> list[str]:
    names = [f"{c}-{b}" for b in BATCHES for c in ("ofsted-docs", "transport")]
    assert all(SPENT.match(n) for n in names)
    return names


def rows() -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(batch, kind, body, the consultation's kinds) of every substantive gold answer."""
    out = []
    for name in set_names():
        d = ROOT / name
        qs = tuple(load_consultation(d / "consultation.yaml").questions)
        kinds = bodykind.question_kinds(qs)
        present = tuple(sorted({k for k in kinds if k}))
        by_id = {q.id: k for q, k in zip(qs, kinds, strict=True)}
        gold = yaml.safe_load((d / "gold.yaml").read_text(encoding="utf-8"))
        for doc in gold.get("documents") or []:
            for a in doc.get("answers") or []:
                k = by_id.get(a.get("question"))
                text = (a.get("text") or "").strip()
                if k and text and a.get("substantive", True):
                    out.append((int(name.rsplit("-", 1)[1]), k, text, present))
    return out


def fit(x: np.ndarray, y: list[str]) -> dict:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, class_weight="balanced" if BALANCED else None, max_iter=5000)
    lr.fit((x - mean) / scale, y)
    return {
        "kinds": [str(k) for k in lr.classes_],
        "features": list(bodykind.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": lr.coef_.round(6).tolist(),
        "intercept": lr.intercept_.round(6).tolist(),
        "C": C,
        "balanced": BALANCED,
    }


def predict(m: dict, x: np.ndarray, kinds: tuple[str, ...]) -> np.ndarray:
    idx = [m["kinds"].index(k) for k in kinds]
    z = ((x - m["mean"]) / m["scale"]) @ np.asarray(m["coef"])[idx].T + np.asarray(m["intercept"])[
        idx
    ]
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def simulate(docs: list[dict], models: dict[int, dict], w: float) -> tuple[int, int]:
    """(right, wrong) sections of ``docs`` with the kind evidence at weight ``w``."""
    right = wrong = 0
    for d in docs:
        if d.get("gold") is None:
            continue
        b = int(d["set"].rsplit("-", 1)[1])
        cons = load_consultation(ROOT / d["set"] / "consultation.yaml")
        qs = tuple(cons.questions)
        scores = d["scores"]
        kinds = None
        if w:
            bodykind.model.cache_clear()
            real = bodykind.model
            bodykind.model = lambda m=models[b]: m  # the model fitted without batch b
            try:
                joint.KIND_W = w
                kinds = scores + joint.kind_evidence(d["free"], qs)
            finally:
                bodykind.model = real
        result = joint.solve(scores, d["allowed"], d["base"])
        if kinds is not None:
            result = joint.keep_settled(result, joint.solve(kinds, d["allowed"], d["base"]))
        for (j, margin), g in zip(result, d["gold"], strict=True):
            if j is None or margin < joint.MARGIN:
                continue
            if d["qids"][j] == g:
                right += 1
            else:
                wrong += 1
    return right, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", default="")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--C", type=float, default=C)
    ap.add_argument("--unbalanced", action="store_true")
    args = ap.parse_args(argv)
    globals().update(C=args.C, BALANCED=not args.unbalanced)
    data = rows()
    x = np.vstack([bodykind.features(t) for _b, _k, t, _p in data])
    y = [k for _b, k, _t, _p in data]
    batch = np.array([b for b, *_ in data])
    print(f"{len(data)} gold answers; kinds {sorted(set(y))}")
    models: dict[int, dict] = {}
    hit = n = 0
    for b in BATCHES:
        train = batch != b
        models[b] = fit(x[train], [k for k, t in zip(y, train, strict=True) if t])
        for i in np.flatnonzero(~train):
            kinds = data[i][3]
            p = predict(models[b], x[i : i + 1], kinds)[0]
            hit += kinds[int(p.argmax())] == y[i]
            n += 1
    print(f"leave-one-batch-out kind accuracy {hit}/{n} = {hit / max(n, 1):.3f}")
    if args.sections:
        sec = pickle.loads(Path(args.sections).read_bytes())
        sets = {name: docs for name, docs in sec.items() if SPENT.match(name)}
        table = {name: [simulate(docs, models, w) for w in WEIGHTS] for name, docs in sets.items()}
        tot = np.zeros((len(WEIGHTS), 2), dtype=int)
        held = np.zeros(2, dtype=int)
        for name, res in table.items():
            b = int(name.rsplit("-", 1)[1])
            other = np.zeros(len(WEIGHTS))
            for o, r in table.items():
                if int(o.rsplit("-", 1)[1]) != b:
                    other += np.array([ri - wi for ri, wi in r])
            k = int(np.argmax(other))  # first best: the smallest weight on a tie
            held += res[k]
            tot += np.array(res)
            print(f"{name:16} w={WEIGHTS[k]:.2f} " + " ".join(f"{r}/{wr}" for r, wr in res))
        print(
            "pooled " + " ".join(f"{w}:{r}/{wr}" for w, (r, wr) in zip(WEIGHTS, tot, strict=True))
        )
        print(f"held-out choice: right/wrong {held[0]}/{held[1]} (w=0: {tot[0][0]}/{tot[0][1]})")
    if args.write:
        m = fit(x, y)
        OUT.write_text(json.dumps(m, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
