"""Leave-one-set-out of the reservation finder with a candidate feature block, fast (session 25).

    PYTHONPATH=src python -m benchmarks.reservation_loso rows.jsonl out.pkl [--extra=B|C] [SET ...]
    PYTHONPATH=src python -m benchmarks.reservation_loso rows.jsonl --compare base.pkl cand.pkl

The first form fits, for each set named (default: every set of the collection), the finder on the other
sets and scores the set left out; ``--extra`` adds a candidate block of
:mod:`benchmarks.reservation_candidates` to the dense features. The fit is ``reservation_train.fit``'s
(the same features, IDF, multiple-instance rounds, C and seed) with each sentence's raw counts worked out
once for all folds, not per fold: 24 folds in minutes rather than an hour on the shared machine. Scores
are pickled per set as (item, question, sentence probabilities or None).

``--compare`` prints each set's P / R / F1 under both, each set's threshold chosen (pooled F1,
``reservation_train.choose_threshold``) on the other sets' out-of-set scores, then better / worse / same
sets and answers right gained / lost. Held-back sets are refused.
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from benchmarks import reservation_train as rt
from benchmarks.reservation_collect import _forbidden
from helpers.stance import reservation_model as rm
from helpers.stance.reservation_split import plain
from helpers.stance.reservations import split_reservation

W, CD = rm.WORD_DIM, rm.CHAR_DIM


def prepare(rows: list[dict], extra=None) -> None:
    """Each answered row's raw n-gram counts and dense block (plus ``extra``'s columns)."""
    for u in rows:
        if not (u["answered"] and u["sents"]):
            continue
        lows = [plain(t).lower() for t in u["sents"]]
        n = len(lows)
        raw = []
        for (r, c), dim in ((rm._word_grams(lows), W), (rm._char_grams(lows), CD)):
            keys, counts = np.unique(r.astype(np.int64) * dim + c, return_counts=True)
            raw.append((keys // dim, keys % dim, 1.0 + np.log(counts.astype(np.float64))))
        dense = np.array([rm._dense(low, k, n, u["ev"], rt._row(u)) for k, low in enumerate(lows)])
        dense = dense.reshape(n, rm.N_DENSE)
        if extra is not None:
            dense = np.hstack([dense, extra(lows, u["ev"])])
        u["_raw"] = (raw, dense)


def mark_splits(rows: list[dict]) -> None:
    """Each answered row's own-split reading (``reservations.split_reservation``), which the table
    applies beside the finder."""
    for u in rows:
        ev = tuple(u["evidence"]) if u["evidence"] else None
        u["_split"] = (
            bool(u["answered"] and u["sents"]) and split_reservation(u["segments"], ev) is not None
        )


def _block(units: list[dict], b: int, idf: np.ndarray, dim: int) -> sparse.csr_matrix:
    rr, cc, vv, off = [], [], [], 0
    for u in units:
        r, c, v = u["_raw"][0][b]
        v = v * idf[c]
        n = len(u["sents"])
        norm = np.sqrt(np.bincount(r, weights=v * v, minlength=n))
        rr.append(r + off)
        cc.append(c)
        vv.append(v / norm[r])
        off += n
    data = (np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc)))
    return sparse.csr_matrix(data, shape=(off, dim))


def _matrix(units: list[dict], idf: tuple[np.ndarray, np.ndarray]) -> sparse.csr_matrix:
    dense = sparse.csr_matrix(np.vstack([u["_raw"][1] for u in units]))
    return sparse.hstack([_block(units, 0, idf[0], W), _block(units, 1, idf[1], CD), dense]).tocsr()


def _idf(units: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    df, n = [np.zeros(W), np.zeros(CD)], 0
    for u in units:
        for b, dim in ((0, W), (1, CD)):
            r, c, _ = u["_raw"][0][b]
            df[b] += np.bincount(c[np.unique(r * dim + c, return_index=True)[1]], minlength=dim)
        n += len(u["sents"])
    idf = (np.log((1 + n) / (1 + np.concatenate(df))) + 1).astype(np.float32)
    return idf[:W], idf[W:]


def fit(units: list[dict]):
    """``reservation_train.fit`` on prepared rows: (model, idf)."""
    units = [u for u in units if u.get("_raw") is not None]
    idf = _idf(units)
    x = _matrix(units, idf)
    sizes = np.array([len(u["sents"]) for u in units])
    owner = np.repeat(np.arange(len(units)), sizes)
    gold = np.array([u["gold"] for u in units])
    y = gold[owner].astype(int)
    w = np.where(y == 1, 1.0 / sizes[owner], 1.0)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    model = None
    for _ in range(rt.ROUNDS + 1):
        model = LogisticRegression(C=rt.C, max_iter=2000, solver="liblinear", random_state=rt.SEED)
        model.fit(x, y, sample_weight=w)
        p = model.predict_proba(x)[:, 1]
        w = np.where(y == 1, 0.0, 1.0)
        for i in np.flatnonzero(gold):
            w[starts[i] + np.argmax(p[starts[i] : starts[i + 1]])] = 1.0
    return model, idf


def score(units: list[dict], fitted) -> list[np.ndarray | None]:
    model, idf = fitted
    read = [u for u in units if u.get("_raw") is not None]
    out: dict[int, np.ndarray] = {}
    if read:
        p = model.predict_proba(_matrix(read, idf))[:, 1]
        ends = np.cumsum([len(u["sents"]) for u in read])
        out = {id(u): p[e - len(u["sents"]) : e] for u, e in zip(read, ends, strict=True)}
    return [out.get(id(u)) for u in units]


def _parts(rows: list[dict], oof: dict, names: list[str]) -> list[tuple]:
    """Per set: best-sentence scores, read mask (or the own split), rules' flags, gold."""
    out = []
    for n in names:
        test = [r for r in rows if r["set"] == n]
        ps = [p for _, _, p in oof[n]]
        read = np.array([p is not None and len(p) > 0 for p in ps])
        best = np.array([p.max() if r and not u["_split"] else (1.0 if r else 0.0)
                         for p, r, u in zip(ps, read, test, strict=True)])  # fmt: skip
        rule = np.array([r["rule"] for r in test])
        out.append((best, read, rule, np.array([r["gold"] for r in test])))
    return out


def per_set(rows: list[dict], oof: dict) -> dict[str, tuple]:
    """Each set's (prf, threshold, prediction), its threshold chosen on the other sets."""
    names = sorted(oof, key=rt._order)
    res = {}
    for n in names:
        t = rt.choose_threshold(_parts(rows, oof, [m for m in names if m != n]))
        s, read, rule, gold = _parts(rows, oof, [n])[0]
        pred = np.where(read, s >= t, rule)
        res[n] = (rt.prf(pred, gold), t, pred, gold)
    return res


def main(argv: list[str]) -> None:
    rows = rt.load(argv[0])
    names = sorted({r["set"] for r in rows}, key=rt._order)
    if any(_forbidden(n) for n in names):
        raise SystemExit("a held-back set is in the collection; never read")
    if "--compare" in argv:
        i = argv.index("--compare")
        mark_splits(rows)
        a, b = (per_set(rows, pickle.load(open(p, "rb"))) for p in argv[i + 1 : i + 3])
        tally, gained, lost = [0, 0, 0], 0, 0
        for n in a:
            (pa, ta, xa, g), (pb, tb, xb, _) = a[n], b[n]
            tally[0 if pb[2] > pa[2] + 1e-9 else 1 if pb[2] < pa[2] - 1e-9 else 2] += 1
            gained += int(np.sum((xb == g) & (xa != g)))
            lost += int(np.sum((xa == g) & (xb != g)))
            print(f"{n:16s} {pa[0]:.2f}/{pa[1]:.2f}/{pa[2]:.3f} t={ta:.3f} -> "
                  f"{pb[0]:.2f}/{pb[1]:.2f}/{pb[2]:.3f} t={tb:.3f}")  # fmt: skip
        print(f"better / worse / same {tally}; answers +{gained} / -{lost}")
        return
    extra = None
    given = [a.split("=", 1)[1] for a in argv if a.startswith("--extra=")]
    if given:
        from benchmarks.reservation_candidates import candidate

        extra = candidate(given[0])
    prepare(rows, extra)
    out = argv[1]
    only = [a for a in argv[2:] if not a.startswith("--")] or names
    oof = {}
    for n in only:
        fitted = fit([r for r in rows if r["set"] != n])
        test = [r for r in rows if r["set"] == n]
        oof[n] = [
            (r["item"], r["question"], p) for r, p in zip(test, score(test, fitted), strict=True)
        ]
        print("fitted without", n, file=sys.stderr, flush=True)
        with open(out, "wb") as fh:
            pickle.dump(oof, fh)


if __name__ == "__main__":
    main(sys.argv[1:])
