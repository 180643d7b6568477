"""How to combine dictionary and learned theme codes, chosen leave-one-set-out.

``python -m benchmarks.theme_stack /tmp/transport.jsonl --consultation transport --cut 0.6``

Reads the rows ``benchmarks.theme_sentence_loo --save`` writes (each answer's gold
themes, dictionary codes, and the probabilities of an answer classifier and a
sentence classifier that never saw its set) and the same sets' gold answers again
(``theme_sentence_loo.answers_with_spans``: sentences and which sentences the
dictionary fired in). For each set S, every choice is made on the rows of the
*other* sets and S is scored with it:

- ``ans`` / ``mean``: the shipped coder (dictionary + answer classifier at ``--cut``)
  and the session-12 blend (dictionary + mean of answer and sentence classifiers);
- ``shrunk``: per-theme learned cuts, each the cut best for that theme on the other
  sets pulled towards the one best global cut: ``(n t_theme + k t_global) / (n + k)``
  with ``n`` the theme's gold codes there and ``k`` itself chosen by an inner
  leave-one-set-out on the other sets;
- ``stack``: one logistic regression over every (answer, theme) candidate (a
  dictionary code, or a learned probability of at least 0.2) of the other sets,
  gold as label, on general features: dictionary hit, both probabilities, the share
  of the answer's sentences the theme's dictionary fires in, how many other themes
  fire in the same sentence (a list of examples names several), the commas in it,
  the number of sentences, and the theme's dictionary precision on the other sets
  (shrunk to the pooled one). A candidate is coded when its probability passes the
  cut best on the other sets (in-sample);
- ``veto``: the same model, but it may only drop dictionary codes (learned codes as
  ``ans``).

Written for issue 14 (session 13); docs/models.md has the figures.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from benchmarks.theme_loo import spent_sets
from benchmarks.theme_sentence_loo import answers_with_spans

GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01]
KS = [0.0, 5.0, 20.0, 50.0, 200.0, 1e9]
CANDIDATE = 0.2


def f1(c: Counter) -> float:
    return 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]) if c["tp"] else 0.0


def _prf(c: Counter) -> str:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return f"{p:.3f} / {r:.3f} / {f1(c):.3f}"


def score(rows: list[dict], coded: list[set]) -> Counter:
    c: Counter = Counter()
    for r, got in zip(rows, coded, strict=True):
        gold = set(r["gold"])
        c["tp"] += len(gold & got)
        c["fp"] += len(got - gold)
        c["fn"] += len(gold - got)
    return c


def learned(r: dict, key: str, thr: dict, default: float) -> set:
    return set(r["dictionary"]) | {t for t, p in r[key].items() if p >= thr.get(t, default)}


def _mean(r: dict) -> dict:
    ts = set(r["probs"]) | set(r.get("sprobs", {}))
    return {t: (r["probs"].get(t, 0.0) + r.get("sprobs", {}).get(t, 0.0)) / 2 for t in ts}


def best_cuts(rows: list[dict], key: str) -> tuple[float, dict, Counter]:
    """The best global cut and, per theme, its own best cut (others at the global)."""
    g = max(GRID, key=lambda x: f1(score(rows, [learned(r, key, {}, x) for r in rows])))
    per: dict = {}
    npos: Counter = Counter(t for r in rows for t in r["gold"])
    themes = sorted({t for r in rows for t in r[key]})
    by_theme = defaultdict(list)  # per theme: (prob, gold, dictionary) of the rows it is scored on
    for r in rows:
        for t, p in r[key].items():
            by_theme[t].append((p, t in r["gold"], t in r["dictionary"]))
    base = score(rows, [learned(r, key, {}, g) for r in rows])
    for t in themes:
        # the theme's own tp/fp/fn change only: choose its cut by the micro-F1 it gives
        own_at = {}
        for x in GRID:
            c = Counter()
            for p, gold, dic in by_theme[t]:
                got = dic or p >= x
                c["tp"] += gold and got
                c["fp"] += (not gold) and got
                c["fn"] += gold and not got
            own_at[x] = c
        ref = own_at[g]
        per[t] = max(
            GRID,
            key=lambda x: (
                f1(Counter({k: base[k] - ref[k] + own_at[x][k] for k in ("tp", "fp", "fn")})),
                -abs(x - g),
            ),
        )
    return g, per, npos


def shrunk(g: float, per: dict, npos: Counter, k: float) -> dict:
    return {t: (npos[t] * x + k * g) / (npos[t] + k) for t, x in per.items()}


def choose_k(rows: list[dict], key: str) -> float:
    """``k`` by an inner leave-one-set-out on ``rows``."""
    sets = sorted({r["set"] for r in rows})
    total = {k: Counter() for k in KS}
    for s in sets:
        inner = [r for r in rows if r["set"] != s]
        test = [r for r in rows if r["set"] == s]
        g, per, npos = best_cuts(inner, key)
        for k in KS:
            thr = shrunk(g, per, npos, k)
            total[k].update(score(test, [learned(r, key, thr, g) for r in test]))
    return max(KS, key=lambda k: (f1(total[k]), k))


FEATURES = ["dict", "pa", "ps", "pmean", "share", "others", "commas", "nsent", "prior", "nodict"]


def candidates(r: dict, a: dict, prior: dict, pooled: float) -> list[tuple[str, list[float]]]:
    """Each (theme, features) candidate of one answer (``a``: its spans and hits)."""
    pm = _mean(r)
    out = []
    themes = set(r["dictionary"]) | {
        t for t, p in pm.items() if max(p, r["probs"].get(t, 0)) >= CANDIDATE
    }
    n = len(a["spans"])
    for t in sorted(themes):
        rows_hit = [k for k, h in enumerate(a["hits"]) if t in h]
        dic = t in r["dictionary"]
        others = min((len(a["hits"][k] - {t}) for k in rows_hit), default=0)
        commas = min(
            (a["text"][s:e].count(",") for s, e in (a["spans"][k] for k in rows_hit)), default=0
        )
        out.append((t, [
            float(dic), r["probs"].get(t, 0.0), r.get("sprobs", {}).get(t, 0.0), pm.get(t, 0.0),
            len(rows_hit) / n, min(others, 4), min(commas, 6), np.log1p(n),
            prior.get(t, pooled) if dic else 0.0, float(not dic),
        ]))  # fmt: skip
    return out


def dict_prior(rows: list[dict], alpha: float = 5.0) -> tuple[dict, float]:
    c: Counter = Counter()
    for r in rows:
        for t in r["dictionary"]:
            c[(t, t in r["gold"])] += 1
    tp = sum(v for (t, ok), v in c.items() if ok)
    n = sum(c.values())
    pooled = tp / n if n else 0.5
    themes = {t for t, _ in c}
    return {
        t: (c[(t, True)] + alpha * pooled) / (c[(t, True)] + c[(t, False)] + alpha) for t in themes
    }, pooled


def stack(train: list[dict], test: list[dict], ans: dict, veto: bool, cut: float) -> list[set]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    prior, pooled = dict_prior(train)

    def table(rows):
        x, y, where = [], [], []
        for i, r in enumerate(rows):
            for t, f in candidates(r, ans[id(r)], prior, pooled):
                x.append(f)
                y.append(t in r["gold"])
                where.append((i, t, f[0] > 0))
        return np.array(x), np.array(y, dtype=int), where

    xtr, ytr, wtr = table(train)
    xte, _, wte = table(test)
    scaler = StandardScaler().fit(xtr)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(xtr), ytr)
    ptr = model.predict_proba(scaler.transform(xtr))[:, 1]
    pte = model.predict_proba(scaler.transform(xte))[:, 1] if len(xte) else np.zeros(0)

    def decide(rows, probs, where, tau):
        coded = [learned(r, "probs", {}, cut) if veto else set() for r in rows]
        for (i, t, dic), p in zip(where, probs, strict=True):
            if veto:
                if dic and p < tau:
                    coded[i].discard(t)
            elif p >= tau:
                coded[i].add(t)
        return coded

    taus = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    tau = max(taus, key=lambda x: f1(score(train, decide(train, ptr, wtr, x))))
    return decide(test, pte, wte, tau)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows")
    parser.add_argument("--consultation", required=True)
    parser.add_argument("--cut", type=float, default=0.6, help="the codebook's learned cut")
    parser.add_argument("--modes", nargs="+", default=["ans", "mean", "shrunk", "stack", "veto"])
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.rows).read_text().splitlines() if line]
    spans = [a for n in spent_sets(args.consultation) for a in answers_with_spans(n)]
    spans = [a for a in spans if a["set"] in {r["set"] for r in rows}]
    assert len(spans) == len(rows), (len(spans), len(rows))
    by_key = defaultdict(list)  # the saved rows may come in another set order
    for a in spans:
        by_key[(a["set"], a["response"], a["question"])].append(a)
    ans = {}
    for r in rows:
        ans[id(r)] = by_key[(r["set"], r["response"], r["question"])].pop(0)
        r["mean"] = _mean(r)
    sets = list(dict.fromkeys(r["set"] for r in rows))
    total = {m: Counter() for m in args.modes}
    for s in sets:
        test = [r for r in rows if r["set"] == s]
        train = [r for r in rows if r["set"] != s]
        line = [f"{s:16s}"]
        for m in args.modes:
            if m == "ans":
                coded = [learned(r, "probs", {}, args.cut) for r in test]
            elif m == "mean":
                coded = [learned(r, "mean", {}, args.cut) for r in test]
            elif m.startswith("shrunk"):
                key = "mean" if m.endswith("mean") else "probs"
                g, per, npos = best_cuts(train, key)
                k = choose_k(train, key)
                coded = [learned(r, key, shrunk(g, per, npos, k), g) for r in test]
                line.append(f"(g {g} k {k:g})")
            else:
                coded = stack(train, test, ans, m == "veto", args.cut)
            c = score(test, coded)
            total[m].update(c)
            line.append(f"{m} {f1(c):.3f}")
        print("  ".join(line), flush=True)
    for m, c in total.items():
        print(f"pooled {m:8s} P / R / F1 {_prf(c)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
