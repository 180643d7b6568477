"""Fit the trailing-line reader (``segment.trailing``) and choose its threshold
leave-one-batch-out.

    PYTHONPATH=src:. python -m benchmarks.seg_trailing_train [--saved DIR] [--memo DIR]
                                                             [--C 0.3] [--write]

Rows: every answer row of the spent document sets of batches 2-30 (named explicitly;
held-back sets are refused) as ingest leaves them with the reader off, read from
``DIR/<set>.pkl`` (``answers``, ``respondents``, gold ``records``) or by running ingest
(``seg_table.ingest_and_score``). Each of a row's last three lines is a candidate
(``trailing.candidates``); it is labelled 1 when under a tenth of it lies in any gold answer,
0 when at least half lies in its row's gold answer, and left out of the fit otherwise (another
question's answer). A logistic regression (C ``C``, balanced, standardised) is fitted without
each batch in turn and scores that batch's lines; each threshold's cuts are scored with the
evaluator's own segmentation scoring (``metrics.score_segmentation``), and per batch the
threshold is chosen on the other batches (objective: 4 x answers under the right question +
precise rows, so a lost answer costs more than four rows made precise). ``--write`` fits on
every batch and writes ``helpers/data/trailing_model.json`` with the threshold chosen in most
folds. Session 27: docs/segmentation.md.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, SPENT
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import trailing
from helpers.validate.devsets.locate import Skeleton, overlap, size
from helpers.validate.devsets.metrics import Scores, _locate_all, score_segmentation

OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / trailing.MODEL_FILE
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
SETS = [f"{c}-{b}" for b in range(2, 31) for c in ("ofsted-docs", "transport")]


def batch(name: str) -> int:
    return int(name.rsplit("-", 1)[1])


def _documents(data: dict):
    """(gold record, respondent id, text, rows) of each document of one set."""
    resp, ans = data["respondents"], data["answers"]
    key = {
        str(f): (str(i), t)
        for i, f, r, t in zip(
            resp["respondent_id"], resp["source_file"], resp["source_row"], resp["text"],
            strict=True,
        )
        if pd.isna(r)
    }  # fmt: skip
    by = {str(k): g for k, g in ans.groupby("respondent_id", sort=False)}
    for rec in data["records"]:
        if rec.row is None and rec.file in key:
            rid, text = key[rec.file]
            if rid in by:
                yield rec, rid, text, by[rid]


def collect(name: str, data: dict) -> list[tuple]:
    """(set, respondent, row index, line from end, line start, features, label) per line."""
    out = []
    for rec, rid, text, rows in _documents(data):
        doc = Skeleton(text)
        gold = {q: loc.range for q, loc in _locate_all(rec, doc).items() if loc.range}
        for idx, k, start, f in trailing.candidates(rows, text):
            lines = trailing.lines_of(text, start, len(text))
            rng = doc.range_of(start, lines[0][1])
            n = size([rng])
            if not n:
                continue
            q = str(rows.loc[idx, "question_id"])
            own = overlap([rng], [gold[q]]) / n if q in gold else 0.0
            anyg = max((overlap([rng], [g]) for g in gold.values()), default=0) / n
            label = 1 if anyg < 0.1 else (0 if own >= 0.5 else -1)
            out.append((name, rid, idx, k, start, f, label))
    return out


def score(name: str, data: dict, cuts: dict[tuple, int]) -> tuple[int, int, int, int]:
    """(right, answers, precise, rows) of one set with rows cut at ``cuts``."""
    ans = data["answers"].copy()
    extra = []
    for (_rid, idx), at in cuts.items():
        row = ans.loc[idx].copy()
        end = int(row["end"])
        ans.loc[idx, "end"] = at
        row["question_id"], row["start"], row["end"] = "closing", at, end
        extra.append(row)
    if extra:
        ans = pd.concat([ans, pd.DataFrame(extra)], ignore_index=True)
    qids = set(load_consultation(ROOT / name / "consultation.yaml").question_ids)
    sc = Scores(name, "all")
    by = {str(k): g for k, g in ans.groupby("respondent_id", sort=False)}
    resp = data["respondents"]
    key = {
        (str(f), None if pd.isna(r) else int(r)): (str(i), t)
        for i, f, r, t in zip(
            resp["respondent_id"], resp["source_file"], resp["source_row"], resp["text"],
            strict=True,
        )
    }  # fmt: skip
    for rec in data["records"]:
        rid, text = key.get((rec.file, rec.row), ("", ""))
        score_segmentation(rec, text, by.get(rid, ans.iloc[0:0]), qids, sc)
    return sc.recall.hit, sc.recall.n, sc.precision.hit, sc.precision.n


def fit(x: np.ndarray, y: np.ndarray, c: float) -> dict:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit((x - mean) / scale, y)
    return {
        "features": list(trailing.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": m.coef_[0].round(6).tolist(),
        "intercept": round(float(m.intercept_[0]), 6),
    }


def load(name: str, saved: str, memo: str) -> dict:
    if saved:
        return pickle.loads((Path(saved) / f"{name}.pkl").read_bytes())
    from benchmarks.seg_table import ingest_and_score

    trailing.ENABLED = False
    _s, res, recs = ingest_and_score(name, Path(memo) if memo else None)
    return {"answers": res.answers, "respondents": res.respondents, "records": recs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saved", default="")
    ap.add_argument("--memo", default="")
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    if args.memo and not args.saved:
        from benchmarks.seg_table import memoise

        memoise(Path(args.memo))
    assert all(SPENT.match(n) for n in SETS)
    data = {n: load(n, args.saved, args.memo) for n in SETS}
    cands = [c for n in SETS for c in collect(n, data[n])]
    x = np.array([c[5] for c in cands])
    y = np.array([c[6] for c in cands])
    b_of = np.array([batch(c[0]) for c in cands])
    print(f"{len(cands)} lines: {dict(Counter(y.tolist()))} (1 = no answer, -1 left out)")
    probs = np.zeros(len(cands))
    for b in range(2, 31):
        train = (b_of != b) & (y >= 0)
        m = fit(x[train], y[train], args.C)
        probs[b_of == b] = trailing.probabilities(x[b_of == b], m)
    res: dict[tuple[str, float | None], tuple] = {}
    for n in SETS:
        sel = [i for i, c in enumerate(cands) if c[0] == n]
        res[(n, None)] = score(n, data[n], {})
        for t in THRESHOLDS:
            keyed = [((cands[i][1], cands[i][2]), cands[i][3], cands[i][4], None) for i in sel]
            res[(n, t)] = score(n, data[n], trailing.cuts(keyed, probs[sel], t))
    obj = lambda names, t: sum(4 * res[(n, t)][0] + res[(n, t)][2] for n in names)  # noqa: E731
    for t in (None, *THRESHOLDS):
        tot = np.sum([res[(n, t)] for n in SETS], axis=0)
        print(f"threshold {t}: right {tot[0]}/{tot[1]}, precise rows {tot[2]}/{tot[3]}")
    chosen: Counter = Counter()
    held = np.zeros(4, dtype=int)
    print(f"{'set':16} {'right':>12} {'precise rows':>18}")
    for b in range(2, 31):
        others = [n for n in SETS if batch(n) != b]
        t = max(THRESHOLDS, key=lambda t: (obj(others, t), t))
        chosen[t] += 1
        for n in (f"ofsted-docs-{b}", f"transport-{b}"):
            b0, a = res[(n, None)], res[(n, t)]
            held += np.array(a)
            if a != b0:
                print(f"{n:16} {b0[0]:>4} -> {a[0]:<4} {b0[2]:>5}/{b0[3]} -> {a[2]}/{a[3]}")
    base = np.sum([res[(n, None)] for n in SETS], axis=0)
    print(
        f"held-out pooled: right {base[0]} -> {held[0]} of {held[1]}, "
        f"precise rows {base[2]}/{base[3]} -> {held[2]}/{held[3]}; chosen {dict(chosen)}"
    )
    if args.write:
        train = y >= 0
        m = fit(x[train], y[train], args.C) | {
            "threshold": chosen.most_common(1)[0][0],
            "C": args.C,
        }
        OUT.write_text(json.dumps(m, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
