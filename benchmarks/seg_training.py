"""Train the learned paragraph-question re-ranker and score it leave-one-batch-out.

Builds a training table from every spent document set's gold (``ofsted-docs``,
``ofsted-docs-2`` .. ``-15``, ``transport`` .. ``transport-15``; never a
held-back set): ingest runs once per set (the hand-ruled segmentation, cached
under ``--cache``), each response is cut into units
(``segment.learned.units_of``), every (unit, choice) pair gets the features
the pipeline computes (``learned.doc_features``) and each unit its gold
question (the gold answer covering most of its characters, or none).

Then, for each batch (a set's number; ``ofsted-docs`` and ``transport`` are
batch 1), a logistic regression is trained on every other batch's pairs and
scores the held-out batch with the real scorer (``devsets.scoring``): answers
under the right question (recall) and segmentation precision, rules before and
model after, per set. ``--write`` trains on every batch and writes the
shipped weights (``helpers/data/segment_reranker.json``)::

    PYTHONPATH=src python -m benchmarks.seg_training --table /tmp/segtable.pkl
    PYTHONPATH=src python -m benchmarks.seg_training --table /tmp/segtable.pkl --write

Deterministic: liblinear-free lbfgs, fixed seed, sets in name order.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import softmax_train
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import learned, rerankfeatures
from helpers.ingest.segment.meaning import build_model
from helpers.ingest.segment.vectors import TextVectors, run_encoder
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.locate import Skeleton, overlap, size
from helpers.validate.devsets.metrics import _locate_all
from helpers.validate.devsets.scoring import score_set

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / "segment_reranker.json"
HELD_BACK = re.compile(r"-(3[1-9]|[4-9]\d)$")  # batch 31 onwards is never read here
SEED = 12


def spent_sets() -> list[str]:
    """Every spent document set of the two consultations, in name order."""
    names = [
        p.name for p in ROOT.iterdir() if re.fullmatch(r"(ofsted-docs|transport)(-\d+)?", p.name)
    ]
    return sorted(n for n in names if not HELD_BACK.search(n))


def batch_of(name: str) -> int:
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def ingest(name: str, cache: Path) -> tuple:
    """(respondents, answers, log, copies) of the rules' run on one set, cached."""
    path = cache / name / "tables.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    from helpers.ingest.stage import run_ingest

    d = ROOT / name
    r = run_ingest(d / "responses", d / "consultation.yaml", cache / name / "out")
    tables = (r.respondents, r.answers, r.log, r.copies)
    path.write_bytes(pickle.dumps(tables))
    return tables


def gold_labels(text: str, units, rec) -> list[str]:
    """Each unit's gold question: the substantive gold answer holding most of it, or NONE."""
    doc = Skeleton(text)
    located = _locate_all(rec, doc)
    ranges = {q: [loc.range] for q, loc in located.items() if loc.range is not None}
    out = []
    for u in units:
        span = [doc.range_of(u.start, u.end)]
        n = size(span)
        best, cover = learned.NONE, 0
        for q, rng in ranges.items():
            o = overlap(span, rng)
            if o > cover:
                best, cover = q, o
        out.append(best if n and cover * 2 >= n else learned.NONE)
    return out


def build_set(name: str, cache: Path, encode) -> dict:
    """One set's documents: units, pair features, rules' and gold labels."""
    cons = load_consultation(ROOT / name / "consultation.yaml")
    respondents, answers, log, copies = ingest(name, cache)
    records = gold_responses(load_gold(ROOT / name), "all", where=f"{name}/gold.yaml")
    by_file = {str(r.source_file): r for r in respondents.itertuples(index=False)}
    vectors = TextVectors(encode)
    model = build_model(answers, cons, vectors)
    questions = tuple(cons.questions)
    docs = []
    for rec in records:
        r = by_file.get(rec.file)
        if r is None or rec.row is not None:
            continue
        rid, text = str(r.respondent_id), str(r.text)
        rows = answers[answers["respondent_id"] == rid]
        if rows.empty or rows["match_method"].isin(learned._SKIP_METHODS).any():
            continue
        units = learned.units_of(text, rows)
        cs, vs = learned.unit_vectors(text, units, model, vectors)
        feats = learned.doc_features(text, units, questions, cs, vs)
        ids = [learned.NONE, *(q.id for q in questions)]
        gold = gold_labels(text, units, rec)
        docs.append(
            {
                "rid": rid,
                "text": text,
                "units": units,
                "features": feats,
                "gold": [ids.index(g) if g in ids else 0 for g in gold],
                "cur": [ids.index(u.cur) if u.cur in ids else 0 for u in units],
            }
        )
    return {"name": name, "tables": (respondents, answers, log, copies), "docs": docs}


def upgrade(sets: list[dict]) -> None:
    """Add the reading-order and repeat features to a table built before them (no vectors needed)."""
    n = len(learned.BASE_FEATURES)
    for s in sets:
        cons = load_consultation(ROOT / s["name"] / "consultation.yaml")
        for d in s["docs"]:
            f = d["features"]
            if f.shape[-1] != len(learned.FEATURES):
                f = f[..., :n]
                qs = tuple(cons.questions)
                extra = [
                    rerankfeatures.order_features(d["units"], qs, f),
                    rerankfeatures.repeat_features(d["text"], d["units"], qs),
                ]
                d["features"] = np.concatenate([f, *extra], axis=2)


def pairs(sets: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Stacked pair features and 0/1 targets (the gold choice of each unit)."""
    xs, ys = [], []
    for s in sets:
        for d in s["docs"]:
            f = d["features"]
            if not len(f):
                continue
            xs.append(f.reshape(-1, f.shape[-1]))
            y = np.zeros(f.shape[:2])
            y[np.arange(len(f)), d["gold"]] = 1
            ys.append(y.ravel())
    return np.vstack(xs), np.concatenate(ys)


def train(sets: list[dict], c: float) -> dict:
    """A logistic regression over pairs, as the weights' dict (``learned.choose`` reads it)."""
    from sklearn.linear_model import LogisticRegression

    x, y = pairs(sets)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    lr.fit((x - mean) / scale, y)
    return {
        "features": list(learned.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
    }


def train_softmax(sets: list[dict], c: float) -> dict:
    """A conditional logit: one weight vector, a softmax over each unit's choices.

    Fits ranking directly (the gold choice against the unit's other
    choices) where the pairwise regression fits each pair alone
    (``softmax_train.train_softmax``). Same weights' dict, intercept 0.
    """
    return {**softmax_train.train_softmax(sets, c, learned.FEATURES), "intercept": 0.0}


def train_gbm(sets: list[dict]):
    """Gradient-boosted trees over the same pairs (compared only; the shipped model is linear)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = pairs(sets)
    gbm = HistGradientBoostingClassifier(max_iter=200, max_leaf_nodes=15, random_state=SEED)
    gbm.fit(x, y)

    def choose(f: np.ndarray) -> np.ndarray:
        p = gbm.predict_proba(f.reshape(-1, f.shape[-1]))[:, 1].reshape(f.shape[:2])
        return np.argmax(p, axis=1)

    return choose


def score(s: dict, labels_of) -> tuple[int, int, int, int]:
    """(recall hits, n, precision hits, n) of one set with each document's units relabelled.

    ``labels_of(doc)`` gives each unit's choice index, or None to keep the rules' rows.
    """
    respondents, answers, log, copies = s["tables"]
    name = s["name"]
    cons = load_consultation(ROOT / name / "consultation.yaml")
    ids = [learned.NONE, *(q.id for q in cons.questions)]
    numbers = {q.id: q.number for q in cons.questions}
    new = {}
    for d in s["docs"]:
        labels = labels_of(d)
        if labels is None:
            continue
        chosen = [ids[k] for k in labels]
        if all(c == u.cur for c, u in zip(chosen, d["units"], strict=True)):
            continue
        new[d["rid"]] = pd.DataFrame(
            learned.rebuild_rows(d["rid"], d["text"], d["units"], chosen, numbers)
        )
    parts = [new.get(str(rid), rows) for rid, rows in answers.groupby("respondent_id", sort=False)]
    table = pd.concat(parts, ignore_index=True)
    records = gold_responses(load_gold(ROOT / name), "all", where=f"{name}/gold.yaml")
    sc = score_set(name, "all", records, cons, respondents, table, log, copies)
    return sc.recall.hit, sc.recall.n, sc.precision.hit, sc.precision.n


def _fmt(t: tuple[int, int, int, int]) -> str:
    return (
        f"rq {t[0] / max(t[1], 1):.3f} ({t[0]}/{t[1]}) p {t[2] / max(t[3], 1):.3f} ({t[2]}/{t[3]})"
    )


def lobo(sets: list[dict], c: float, kind: str = "lr", margin: float = 0.0) -> None:
    """Leave-one-batch-out: rules, oracle (gold units) and model, per set and averaged."""
    batches = sorted({batch_of(s["name"]) for s in sets})
    rows = []
    for b in batches:
        held = [s for s in sets if batch_of(s["name"]) == b]
        rest = [s for s in sets if batch_of(s["name"]) != b]
        if kind == "gbm":
            pick = train_gbm(rest)
        else:
            w = train_softmax(rest, c) if kind == "softmax" else train(rest, c)

            def pick(f: np.ndarray, w: dict = w) -> np.ndarray:
                return learned.choose(f, w, margin)

        for s in held:
            rules = score(s, lambda d: None)
            oracle = score(s, lambda d: d["gold"])
            model = score(
                s, lambda d, pick=pick: pick(d["features"]) if len(d["features"]) else None
            )
            rows.append((s["name"], rules, oracle, model))
            print(
                f"{s['name']:16} rules {_fmt(rules)} | model {_fmt(model)} | oracle {_fmt(oracle)}",
                flush=True,
            )
    for label, keep in (("all batches", lambda n: True), ("batch 14", lambda n: batch_of(n) == 14)):
        chosen = [r for r in rows if keep(r[0])]
        for k, what in ((1, "rules"), (3, "model"), (2, "oracle")):
            rq = np.mean([r[k][0] / max(r[k][1], 1) for r in chosen])
            p = np.mean([r[k][2] / max(r[k][3], 1) for r in chosen])
            print(f"{label:12} {what:6} mean right question {rq:.3f}  precision {p:.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/segcache"))
    ap.add_argument("--table", type=Path, help="the built table (pickle), reused when it exists")
    ap.add_argument("--set", action="append", dest="sets", help="sets to use (default: all spent)")
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
    ap.add_argument("--model", choices=("softmax", "lr", "gbm"), default="softmax")
    ap.add_argument("--margin", type=float, default=0.0, help="lead over the rules' choice")
    ap.add_argument("--switch", type=float, default=0.0, help="cost of a change between units")
    ap.add_argument("--built-only", action="store_true", help="only sets already built")
    ap.add_argument("--write", action="store_true", help="train on all and write the weights")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    names = args.sets or spent_sets()
    if any(HELD_BACK.search(n) for n in names):
        sys.exit("held-back sets are never read here")
    if args.table and args.table.exists():
        sets = [s for s in pickle.loads(args.table.read_bytes()) if s["name"] in names]
    else:
        encode = None
        sets = []
        for n in names:
            built = args.cache / n / "set.pkl"  # one set's table, kept between runs
            if built.exists():
                sets.append(pickle.loads(built.read_bytes()))
                continue
            if args.built_only:
                continue
            encode = encode or TextVectors(run_encoder("minilm"))
            t0 = time.time()
            sets.append(build_set(n, args.cache, encode))
            built.write_bytes(pickle.dumps(sets[-1]))
            print(
                f"built {n}: {len(sets[-1]['docs'])} documents, {time.time() - t0:.0f} s",
                flush=True,
            )
        if args.table:
            args.table.write_bytes(pickle.dumps(sets))
    upgrade(sets)
    print(f"sets: {', '.join(s['name'] for s in sets)}", flush=True)
    if args.write:
        w = train_softmax(sets, args.c) if args.model == "softmax" else train(sets, args.c)
        w["margin"] = args.margin
        w["switch"] = args.switch
        w["trained_on"] = [s["name"] for s in sets]
        WEIGHTS.write_text(json.dumps(w, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
        return
    lobo(sets, args.c, args.model, args.margin)


if __name__ == "__main__":
    main()
