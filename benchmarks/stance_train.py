"""Train (and cross-validate) the learned stance layer (``helpers.stance.learned``).

    PYTHONPATH=src python -m benchmarks.stance_train /tmp/items.jsonl /tmp/docs.jsonl [--write]

Reads the rows ``benchmarks/stance_collect.py`` wrote, embeds the text of every
row the layer may re-read (method text/unstructured), and reports, by
leave-one-set-out cross-validation, the exact / acceptable / direction accuracy
of the rules alone and of the rules with the layer over every case of the held-out
set (rows the layer does not touch keep the rules' stance). With ``--write`` the
model is refitted on all rows and saved to ``src/helpers/data/stance_layer.npz``
(plain arrays, loaded with ``allow_pickle=False``). Deterministic: lbfgs, fixed
``random_state``, embeddings in a fixed order.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_collect import _forbidden
from helpers.core.embedding import encode
from helpers.stance import learned
from helpers.validate.devsets.stancescore import direction

OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / learned.WEIGHTS
C = 1.0


def load(paths: list[str]) -> list[dict]:
    recs = []
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if _forbidden(r["set"]):
                raise SystemExit(f"{r['set']}: held back; never trained on")
            recs.append(r)
    return recs


def group(r: dict) -> str:
    """The cross-validation group: a set, and an item set's file (ofsted / transport)."""
    if r["set"].startswith("stance-items"):
        return r["set"] + ":" + r["name"].split(":")[0]
    return r["set"]


def eligible(r: dict) -> bool:
    return r["row"] is not None and r["row"]["method"] in learned.METHODS


def matrix(recs: list[dict]) -> np.ndarray:
    rules = np.stack([
        learned.rule_features(r["row"]["stance"], r["row"]["method"], r["row"]["confidence"],
                              r["row"]["reservations"])
        for r in recs
    ])  # fmt: skip
    texts = [r["text"] or "" for r in recs]
    questions = [r["question_text"] or "" for r in recs]
    return learned.features(rules, embed(texts), embed(questions))


CACHE = Path("/tmp/stance_train_embeddings.npz")


def embed(texts: list[str]) -> np.ndarray:
    """``encode``, memoised in a scratch file between runs (same vectors, less waiting)."""
    known: dict[str, np.ndarray] = {}
    if CACHE.is_file():
        with np.load(CACHE, allow_pickle=False) as z:
            known = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    new = sorted(set(texts) - set(known))
    if new:
        known.update(zip(new, encode(new), strict=True))
        keys = sorted(known)
        np.savez(CACHE, texts=np.array(keys), vectors=np.stack([known[k] for k in keys]))
    return np.stack([known[t] for t in texts])


class Model:
    """Standardised features, then a multinomial logistic regression."""

    def __init__(self, x: np.ndarray, y: list[str], c: float) -> None:
        self.mean = x.mean(axis=0)
        self.scale = x.std(axis=0) + 1e-6
        self.lr = LogisticRegression(C=c, max_iter=5000, random_state=0)
        self.lr.fit((x - self.mean) / self.scale, y)
        self.classes_ = self.lr.classes_

    def predict(self, x):
        return self.lr.predict((x - self.mean) / self.scale)

    def decision_function(self, x):
        return self.lr.decision_function((x - self.mean) / self.scale)


def fit(x: np.ndarray, y: list[str], c: float = C) -> Model:
    return Model(x, y, c)


def score(recs: list[dict], said: list[str]) -> dict[str, float]:
    n = len(recs)
    ex = ac = di = 0
    for r, s in zip(recs, said, strict=True):
        ok = {r["gold"], *r["stance_ok"]}
        ex += s == r["gold"]
        ac += s in ok
        di += direction(s) in {direction(o) for o in ok}
    return {"n": n, "exact": ex / n, "acceptable": ac / n, "direction": di / n}


def rules_said(r: dict) -> str:
    return r["row"]["stance"] if r["row"] else "not_answered"


def layer_said(r: dict, pr: tuple[list[str], np.ndarray] | None, margin: float) -> str:
    """The layer's stance: its most probable class when it beats the rules' by ``margin``."""
    if pr is None:
        return rules_said(r)
    classes, p = pr
    best = classes[int(p.argmax())]
    rule = rules_said(r)
    p_rule = p[classes.index(rule)] if rule in classes else 0.0
    return best if p.max() - p_rule > margin else rule


def temperature(probs_logits: list[tuple[np.ndarray, int]]) -> float:
    """The temperature minimising the out-of-fold log loss."""
    best, best_t = None, 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        nll = 0.0
        for z, k in probs_logits:
            z = z / t
            z = z - z.max()
            nll -= z[k] - np.log(np.exp(z).sum())
        if best is None or nll < best:
            best, best_t = nll, float(t)
    return best_t


def main(argv: list[str]) -> None:
    write = "--write" in argv
    cs = [float(a.split("=")[1]) for a in argv if a.startswith("--C=")] or [C]
    recs = load([a for a in argv if not a.startswith("--")])
    el = [r for r in recs if eligible(r)]
    print(f"{len(recs)} cases, {len(el)} the layer may re-read; gold of those:",
          dict(Counter(r["gold"] for r in el)))  # fmt: skip
    x_all = matrix(el)
    index = {id(r): i for i, r in enumerate(el)}
    groups = sorted({group(r) for r in recs})
    margins = [float(a.split("=")[1]) for a in argv if a.startswith("--margin=")] or [0.0]
    for c in cs:
        probs: dict[int, tuple[list[str], np.ndarray]] = {}
        oof = []
        for g in groups:
            train = [r for r in el if group(r) != g]
            tel = [r for r in recs if group(r) == g and eligible(r)]
            m = fit(x_all[[index[id(r)] for r in train]], [r["gold"] for r in train], c)
            if not tel:
                continue
            z_all = m.decision_function(x_all[[index[id(r)] for r in tel]])
            for r, z in zip(tel, z_all, strict=True):
                p = np.exp(z - z.max())
                probs[id(r)] = (list(m.classes_), p / p.sum())
                if r["gold"] in m.classes_:
                    oof.append((z, list(m.classes_).index(r["gold"])))
        for margin in margins:
            said_rules, said_layer, both, per = [], [], [], []
            for g in groups:
                test = [r for r in recs if group(r) == g]
                a = [rules_said(r) for r in test]
                b = [layer_said(r, probs.get(id(r)), margin) for r in test]
                said_rules += a
                said_layer += b
                both += test
                per.append((g, score(test, a), score(test, b)))
            print(f"\nC={c} margin={margin}: leave-one-set-out")
            for g, a, b in per:
                print(
                    f"  {g:24s} n {a['n']:4d}  rules acc {a['acceptable']:.3f} dir "
                    f"{a['direction']:.3f}  layer acc {b['acceptable']:.3f} dir {b['direction']:.3f}"
                )
            for name, said in (("rules", said_rules), ("layer", said_layer)):
                s = score(both, said)
                print(
                    f"  ALL {name}: n {s['n']} exact {s['exact']:.3f} acceptable "
                    f"{s['acceptable']:.3f} direction {s['direction']:.3f}"
                )
        print(f"  temperature (out-of-fold log loss): {temperature(oof):.2f}")
    if write:
        c = cs[0]
        oof_t = temperature(oof)
        m = fit(x_all, [r["gold"] for r in el], c)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            OUT,
            mean=m.mean.astype(np.float32),
            scale=m.scale.astype(np.float32),
            coef=m.lr.coef_.astype(np.float32),
            intercept=m.lr.intercept_.astype(np.float32),
            classes=np.array([str(k) for k in m.classes_]),
            temperature=np.float32(oof_t),
            margin=np.float32(margins[0]),
        )
        print(f"wrote {OUT} (C={c}, margin {margins[0]}, temperature {oof_t:.2f}, {len(el)} rows)")


if __name__ == "__main__":
    main(sys.argv[1:])
