"""Fit and score the edge reader (``segment.letteredge``) nested leave-one-batch-out (session 27).

Every letter the decoder reads (``letter_decoder.build``: units, vectors, gold and rules'
labels, cached next to the tables) is decoded as ingest decodes it with the shipped
``letter_decoder.json`` (emission, ``keep``, Viterbi, ``shortmessage``); its edge candidates
(``letteredge.candidates``) get the label 1 when the candidate question is the unit's gold
question. For held-out batch ``b``: a logistic regression (L2, ``--c``) is trained on the other
batches; the threshold is chosen among :data:`THETAS` (1.01: off) on the other batches, each
scored by a model trained without it and without ``b``, maximising right-question hits gained
plus ``LAMBDA`` times the precision-neutral balance (``letter_lobo.objective``'s: precision hits
gained less the rows added at the batch's own letters' precision); then ``b`` is scored by the
evaluator's own segmentation scorer (``letter_lobo.SetScorer``) against the shipped decoder.
``--write`` chooses the threshold the same way over every batch and writes
``helpers/data/letter_edge.json`` trained on every spent batch. Held-back sets are refused
(``letters_eval.tables``, ``spent_sets``). Deterministic::

    PYTHONPATH=src:. python -m benchmarks.letter_edge --cache /tmp/letters/base [--write] [--show]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.letter_decoder import build, featurize
from benchmarks.letter_lobo import SetScorer
from benchmarks.letters_eval import ROOT, batch_of, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import letteredge, letterseq, shortmessage
from helpers.ingest.segment.units import NONE
from helpers.ingest.segment.vectors import run_encoder

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / "letter_edge.json"
THETAS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
LAMBDA = 3.0
C = 1.0


def decoded(d: dict, questions, w: dict) -> tuple[np.ndarray, list[str]]:
    """The shipped decoder's scores (``keep`` included) and labels of one cached letter."""
    f = d["features"]
    score = letterseq.with_keep(letterseq.emissions(f, w), f, float(w.get("keep", 0.0)))
    if w.get("fill_only", False):
        score = letterseq.fill_only(score, f, d["units"])
    best = letterseq.decode(score, d["ranks"], float(w["cont"]), float(w["back"]), d["on"])
    labels = [NONE if b == 0 else questions[b - 1].id for b in best]
    labels = shortmessage.opening_answer(d["text"], d["units"], labels, questions, d["cs"])
    return score, labels


def collect(
    sets: list[dict], w: dict, choice: str = "order"
) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Candidate rows (:data:`letteredge.ALL_FEATURES`), their labels, and (set index, doc
    index, unit, question id) of each; ``choice``: which questions are candidates
    (``letteredge.CHOICES``)."""
    xs, ys, meta = [], [], []
    for si, s in enumerate(sets):
        questions = tuple(load_consultation(ROOT / s["name"] / "consultation.yaml").questions)
        ids = [NONE, *(q.id for q in questions)]
        for di, d in enumerate(s["docs"]):
            d["ranks"] = s["ranks"]
            score, labels = decoded(d, questions, w)
            d["decoded"] = [ids.index(x) for x in labels]
            for i, j, row in letteredge.candidates(
                d["text"], d["units"], questions, d["features"], score, labels, choice
            ):
                xs.append(row)
                ys.append(int(d["gold"][i] == j))
                meta.append((si, di, i, j))
    x = np.vstack(xs) if xs else np.zeros((0, len(letteredge.ALL_FEATURES)))
    return x, np.asarray(ys, dtype=int), meta


def fit(x: np.ndarray, y: np.ndarray, c: float = C, names=letteredge.FEATURES) -> dict:
    """The reader's weights (standardised logistic regression over the columns ``names`` of
    :data:`letteredge.ALL_FEATURES`), as ``letter_edge.json``'s dict."""
    x = x[:, [letteredge.ALL_FEATURES.index(n) for n in names]]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=c, max_iter=5000)
    m.fit((x - mean) / scale, y)
    return {
        "features": list(names),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": m.coef_[0].tolist(),
        "intercept": float(m.intercept_[0]),
    }


def deltas(scorers, sets, meta, probs, idx, theta) -> dict[int, np.ndarray]:
    """Per set index: (dR hit, dR n, dP hit, dP n) on its letters (gold layout "letter") and
    then on every document, candidates ``idx`` placed when their probability is at least
    ``theta``, against the shipped decoder."""
    best: dict[tuple[int, int, int], tuple[float, int]] = {}
    for p, k in zip(probs, idx, strict=True):
        si, di, i, j = meta[k]
        if (si, di, i) not in best or p > best[si, di, i][0]:
            best[si, di, i] = (float(p), j)  # each unit's most probable candidate
    adds: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for (si, di, i), (p, j) in best.items():
        if p >= theta:
            adds.setdefault((si, di), []).append((i, j))
    out: dict[int, np.ndarray] = {}
    for (si, di), changes in adds.items():
        d = sets[si]["docs"][di]
        lab = list(d["decoded"])
        for i, j in changes:
            lab[i] = j
        sc = scorers[si]
        delta = np.subtract(sc.doc_delta(d, lab), sc.doc_delta(d, d["decoded"]))
        both = np.concatenate([delta if d["file"] in sc.letters else np.zeros(4, int), delta])
        out[si] = out.get(si, np.zeros(8, dtype=int)) + both
    return out


def objective(scorers, sets, meta, probs, idx, theta) -> float:
    """Right-question hits gained plus ``LAMBDA`` times the precision-neutral balance, each set
    at its own precision (every document, as ``letter_lobo.objective``)."""
    v = 0.0
    for si, dd in deltas(scorers, sets, meta, probs, idx, theta).items():
        b = scorers[si].base
        p = b[6] / b[7] if b[7] else 1.0
        v += dd[4] + LAMBDA * (dd[6] - p * dd[7])
    return v


def choose(scorers, sets, meta, x, y, batch, hold: int | None, c: float, names) -> float:
    """The threshold maximising the objective over every batch but ``hold``, each scored by a
    model trained without it and without ``hold`` (ties: the higher threshold)."""
    score = dict.fromkeys(THETAS, 0.0)
    for bb in sorted(set(batch.tolist()) - {hold}):
        train = (batch != bb) & (batch != hold)
        idx = np.where(batch == bb)[0]
        if not len(idx) or len(set(y[train].tolist())) < 2:
            continue
        probs = letteredge.probability(x[idx], fit(x[train], y[train], c, names))
        for t in THETAS:
            score[t] += objective(scorers, sets, meta, probs, idx, t)
    return max(THETAS, key=lambda t: (round(score[t], 9), t))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path)
    ap.add_argument("--set", action="append")
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--choice", default="order", choices=letteredge.CHOICES)
    ap.add_argument("--extra", action="store_true", help="also the session-28 EXTRA features")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--show", action="store_true", help="list each held-out placement")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    encode = run_encoder(letterseq.MODEL)
    w = letterseq.load_decoder()
    names = args.set or [n for n in spent_sets() if batch_of(n) >= 2]
    sets = [featurize(build(n, args.cache, encode)) for n in names]
    scorers = [SetScorer(s, args.cache) for s in sets]
    x, y, meta = collect(sets, w, args.choice)
    names = letteredge.ALL_FEATURES if args.extra else letteredge.FEATURES
    batch = np.array([batch_of(sets[m[0]]["name"]) for m in meta])
    print(f"edge candidates {len(y)}, right {int(y.sum())}")
    if args.write:
        theta = choose(scorers, sets, meta, x, y, batch, None, args.c, names)
        out = fit(x, y, args.c, names)
        out.update(
            threshold=theta,
            enabled=theta <= 1.0,
            c=args.c,
            choice=args.choice,
            decoder=letteredge.decoder_key(w),
        )
        WEIGHTS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}: threshold {theta}")
        return 0
    tot = np.zeros(8, dtype=int)
    base = np.zeros(8, dtype=int)
    for b in sorted(set(batch.tolist())):
        theta = choose(scorers, sets, meta, x, y, batch, b, args.c, names)
        idx = np.where(batch == b)[0]
        model = fit(x[batch != b], y[batch != b], args.c, names)
        dd = deltas(scorers, sets, meta, letteredge.probability(x[idx], model), idx, theta)
        g = sum(dd.values(), np.zeros(8, dtype=int))
        bb = np.zeros(8, dtype=int)
        for sc in (sc for sc in scorers if batch_of(sc.s["name"]) == b):
            bb += np.asarray(sc.base)
            for d in sc.s["docs"]:
                delta = np.asarray(sc.doc_delta(d, d["decoded"]))
                bb += np.concatenate([delta if d["file"] in sc.letters else 0 * delta, delta])
        tot += g
        base += bb
        print(f"batch {b:2d} threshold {theta:4}: {_cells(bb, g)}", flush=True)
        if args.show:
            probs = letteredge.probability(x[idx], model)
            for p, k in zip(probs, idx, strict=True):
                if p >= theta:
                    si, di, i, j = meta[k]
                    d = sets[si]["docs"][di]
                    u = d["units"][i]
                    ok = "right" if y[k] else "WRONG"
                    words = " ".join(d["text"][u.start : u.end].split())[:70]
                    print(f"    {p:.2f} {ok} {sets[si]['name']} q{j} {words}")
    print(f"total                    {_cells(base, tot)}")
    return 0


def _cells(b: np.ndarray, g: np.ndarray) -> str:
    """Letters R, letters P, all R, all P: before -> after."""
    out = []
    for k in range(0, 8, 2):
        out.append(f"{b[k]}/{b[k + 1]} -> {b[k] + g[k]}/{b[k + 1] + g[k + 1]}")
    return "  ".join(f"{c:>17}" for c in out)


if __name__ == "__main__":
    sys.exit(main())
