"""The learned reader of short open answers (``segment.shortanswer``): leave-one-batch-out, write.

    PYTHONPATH=src:. python -m benchmarks.nonanswer_model [--c 1.0] [--threshold 0.7] [--show]
        [--write]

Every gold answer of every spent set (``benchmarks.accounting.spent_sets``: batches
1-24 since session 22, never a held-back one) is judged by the phrases alone (``substantive.mark(...,
learned=False)``); the answers to open questions of at most ``max_words`` words get
the reader's features, and a logistic regression (L2, ``--c``) is trained on every
batch but one and scores that one (the base sets ``ofsted-docs``, ``transport`` and
``ofsted-survey`` are batch 1). Printed per batch: non-answers tp/fp/fn of the phrases
alone and of phrases OR reader at ``--threshold``, and whether the batch is better
(more tp than new fp) or worse; ``--show`` lists every answer the reader changes and
every miss. ``--write`` fits on every batch and writes
``src/helpers/data/nonanswer_model.json``. Takes about a minute; no file is read.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.accounting import ROOT, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest.segment.shortanswer import FEATURES, features
from helpers.ingest.segment.substantive import mark
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldrules import dont_know_rule
from helpers.validate.devsets.goldview import gold_responses

MAX_WORDS = 30
OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / "nonanswer_model.json"


def batch_of(name: str) -> int:
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def rows() -> pd.DataFrame:
    """One row per non-empty gold answer: set, batch, text, gold, the phrases' verdict, features."""
    out = []
    for name in spent_sets():
        cons = load_consultation(ROOT / name / "consultation.yaml")
        kinds = {q.id: q.kind for q in cons.questions}
        asked = {q.id: q.text for q in cons.questions}
        recs = dont_know_rule(gold_responses(load_gold(ROOT / name), "all", where=name), cons)
        raw = [
            (r.name, a.question, a.text, a.tick, a.substantive)
            for r in recs
            for a in r.answers
            if a.text.strip()
        ]
        df = pd.DataFrame(
            raw, columns=["respondent_id", "question_id", "answer_text", "tick_box", "gold"]
        )
        df["start"], df["end"] = 0, df["answer_text"].str.len()
        judged = mark(df.drop(columns=["gold"]), cons, learned=False)
        for r, kept in zip(df.itertuples(index=False), judged["substantive"], strict=True):
            x = features(r.answer_text, asked.get(r.question_id))
            scored = kinds.get(r.question_id) == "open" and x is not None
            out.append(
                {
                    "set": name,
                    "batch": batch_of(name),
                    "question": r.question_id,
                    "text": r.answer_text,
                    "non": not r.gold,
                    "rule": not kept,
                    "scored": scored,
                    "x": x if scored else None,
                }
            )
    return pd.DataFrame(out)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> dict:
    """A standardised L2 logistic regression, as the json ``shortanswer`` reads."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    return {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": m.coef_[0].round(6).tolist(),
        "intercept": round(float(m.intercept_[0]), 6),
        "max_words": MAX_WORDS,
    }


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    z = ((x - np.array(model["mean"])) / np.array(model["scale"])) @ np.array(model["coef"])
    return 1.0 / (1.0 + np.exp(-(z + model["intercept"])))


def _prf(pred: np.ndarray, y: np.ndarray) -> tuple[int, int, int]:
    return int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    df = rows()
    y, rule = df["non"].to_numpy(bool), df["rule"].to_numpy(bool)
    scored = df["scored"].to_numpy(bool)
    x = np.array([v if s else [0.0] * len(FEATURES) for v, s in zip(df["x"], scored, strict=True)])
    batches = df["batch"].to_numpy()
    prob = np.zeros(len(df))
    for b in sorted(set(batches)):
        train, test = (batches != b) & scored, (batches == b) & scored
        prob[test] = predict(fit(x[train], y[train], args.c), x[test])
    pred = rule | (prob >= args.threshold)
    print(f"{'batch':>5} {'phrases tp/fp/fn':>17} {'+ reader tp/fp/fn':>18}")
    better = worse = 0
    for b in sorted(set(batches)):
        s = batches == b
        before, after = _prf(rule[s], y[s]), _prf(pred[s], y[s])
        gain = (after[0] - before[0]) - (after[1] - before[1])
        better, worse = better + (gain > 0), worse + (gain < 0)
        mark_ = "better" if gain > 0 else "worse" if gain < 0 else ""
        print(f"{b:>5} {'/'.join(map(str, before)):>17} {'/'.join(map(str, after)):>18} {mark_}")
    print(
        f"{'all':>5} {'/'.join(map(str, _prf(rule, y))):>17} {'/'.join(map(str, _prf(pred, y))):>18}"
    )
    print(f"batches better {better}, worse {worse} (c {args.c}, threshold {args.threshold})")
    if args.show:
        for i in np.flatnonzero((pred != rule) | (~pred & y)):
            r = df.iloc[i]
            tag = ("TP" if y[i] else "FP") if pred[i] != rule[i] else "FN"
            print(f"  {tag} {r['set']} {r['question']} p={prob[i]:.2f} {r['text'][:90]!r}")
    if args.write:
        model = fit(x[scored], y[scored], args.c)
        model["threshold"] = args.threshold
        model["trained_on"] = sorted(set(df["set"]))
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
