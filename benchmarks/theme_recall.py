"""Where theme recall is lost between the classifiers and the stacker, leave-one-batch-out.

``python -m benchmarks.theme_recall /tmp/transport.jsonl /tmp/ofsted-docs.jsonl``

Reads the out-of-fold rows ``benchmarks.theme_sentence_loo --context 1 --min-df 2 --save``
writes (as ``benchmarks.theme_stacker``; rows loaded through ``theme_knn.load_rows``'s
cache). For each batch N (``ofsted-docs-N`` and ``transport-N`` together) the stacker
is fitted on every other batch of both consultations (``theme_stacker.fit_on``, the
neighbour vote from ``attach_votes``) and batch N scored. Printed per set and batch,
micro P / R / F1 of (answer, theme):

- ``rule``: the codebook's unstacked rule (transport: dictionary + blend of answer and
  best sentence at 0.6; Ofsted: dictionary + answer classifier at 0.8);
- ``alone``: the classifiers by themselves, no dictionary: the blend (``BLEND`` 0.5) of
  answer and best-sentence probability at ``--alone-cut`` (``make evaluate``'s
  "classifiers" line on transport);
- ``stack``: the generic stacker as shipped (ten features);
- ``stack|alone``: the stacker's codes plus every pair the classifiers alone raise
  (does the stacker discard classifier codes that were right?);
- ``stack+desc``: the stacker with the neighbour vote's pool extended by the
  codebook's own theme texts (``semantic.theme_texts``: label, description before
  "Not:", examples), each a pseudo-answer labelled with its theme only
  (``desc_weight`` times a training answer's similarity). The codebook is the
  researcher's definition of each theme, so an answer worded like a description
  votes for it even where no coded answer was worded so (issue 14, session 19).

Also the decisions the stacker turns down: per consultation, the classifier-alone
pairs it rejects, right and wrong, by whether the dictionary fired. Counts sets and
batches better / worse than ``stack``. Written for issue 14 (session 19).
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter

import numpy as np

from benchmarks import theme_stacker as ts
from benchmarks.theme_knn import load_rows
from benchmarks.theme_loo import ROOT
from helpers.coding import stack
from helpers.coding.trained_fit import BLEND

UNSTACKED = {"transport": ("blend", 0.6), "ofsted-docs": ("answer", 0.8)}


def alone(r: dict, cut: float) -> set:
    """The classifiers' own pairs: the blend of answer and best sentence at ``cut``."""
    pa, ps = r["probs"], r["sprobs"]
    return {t for t in pa if BLEND * ps.get(t, 0.0) + (1 - BLEND) * pa[t] >= cut}


def codebook_texts(rows: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Per consultation, ``(theme, text)`` for every positive text of its codebook."""
    from helpers import coding
    from helpers.coding.semantic import theme_texts
    from helpers.core.consultation import load_consultation

    out = {}
    for c, first in {r["consultation"]: r["set"] for r in rows}.items():
        d = ROOT / first
        cb = coding.load_codebook(d / "codebook.yaml", load_consultation(d / "consultation.yaml"))
        out[c] = [(t.id, text) for t in cb.themes for text in theme_texts(t)[0]]
    return out


def attach_votes_desc(rows: list[dict], held: set[str], texts: dict, weight: float) -> None:
    """``theme_stacker.attach_votes`` with the codebook's theme texts in every pool."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.coding.trained_score import TFIDF

    for c in sorted({r["consultation"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["consultation"] == c]
        themes = sorted({t for i in idx for t in (*rows[i]["probs"], *rows[i]["gold"])})
        extra = [(t, x) for t, x in texts[c] if t in themes]
        vec = TfidfVectorizer(**TFIDF).fit(
            [rows[i]["text"] for i in idx if rows[i]["set"] not in held] + [x for _, x in extra]
        )
        m = vec.transform([rows[i]["text"] for i in idx]).tocsr()
        d = vec.transform([x for _, x in extra]).tocsr()
        labels = np.array([[t in rows[i]["gold"] for t in themes] for i in idx], dtype=bool)
        dl = np.array([[u == t for t in themes] for u, _ in extra], dtype=bool)
        sets = np.array([rows[i]["set"] for i in idx])
        outside = ~np.isin(sets, sorted(held))
        for name in sorted(set(sets)):
            mine = np.flatnonzero(sets == name)
            pool = np.flatnonzero(outside & (sets != name))
            sim = np.hstack([(m[mine] @ m[pool].T).toarray(), weight * (m[mine] @ d.T).toarray()])
            votes = stack.neighbour_votes(sim, np.vstack([labels[pool], dl]))
            for a, i in enumerate(mine):
                rows[idx[i]]["votes"] = dict(zip(themes, votes[a].tolist(), strict=True))


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--alone-cut", type=float, default=0.6)
    parser.add_argument("--desc-weight", type=float, default=1.0)
    parser.add_argument("--no-desc", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)
    texts = codebook_texts(rows)
    kinds = ["rule", "alone", "stack", "stack|alone"] + ([] if args.no_desc else ["stack+desc"])
    totals = {(c, k): Counter() for c in UNSTACKED for k in kinds}
    wins: Counter = Counter()
    turned: dict = {c: Counter() for c in UNSTACKED}
    for b in args.batches:
        test = [r for r in rows if r["batch"] == b]
        if not test:
            continue
        train = [r for r in rows if r["batch"] != b]
        held = {r["set"] for r in test}
        pri = ts.priors(rows, held)
        ts.attach_votes(rows, held)
        model = ts.fit_on(train, held)
        got_stack = ts.decide(test, model, lambda r, pri=pri: pri[r["consultation"]])
        got_desc = None
        if not args.no_desc:
            attach_votes_desc(rows, held, texts, args.desc_weight)
            model_d = ts.fit_on(train, held)
            got_desc = ts.decide(test, model_d, lambda r, pri=pri: pri[r["consultation"]])
        batch = {k: Counter() for k in kinds}
        for c, (kind, cut) in UNSTACKED.items():
            pick = [j for j, r in enumerate(test) if r["consultation"] == c]
            if not pick:
                continue
            part = [test[j] for j in pick]
            got = {
                "rule": [ts.rule(r, kind, cut) for r in part],
                "alone": [alone(r, args.alone_cut) for r in part],
                "stack": [got_stack[j] for j in pick],
            }
            got["stack|alone"] = [s | a for s, a in zip(got["stack"], got["alone"], strict=True)]
            if got_desc is not None:
                got["stack+desc"] = [got_desc[j] for j in pick]
            for r, s, a in zip(part, got["stack"], got["alone"], strict=True):
                for t in a - s:
                    key = ("right" if t in r["gold"] else "wrong") + (
                        " dict" if t in r["dictionary"] else ""
                    )
                    turned[c][key] += 1
            counts = {k: ts.count(part, v) for k, v in got.items()}
            for k in kinds:
                totals[(c, k)].update(counts[k])
                batch[k].update(counts[k])
                d = ts.f1(counts[k]) - ts.f1(counts["stack"])
                wins[(c, k, "better")] += d > 1e-9
                wins[(c, k, "worse")] += d < -1e-9
            print(f"{part[0]['set']:16s} " + "  ".join(f"{k} {ts.prf(counts[k])}" for k in kinds),
                  flush=True)  # fmt: skip
        for k in kinds:
            d = ts.f1(batch[k]) - ts.f1(batch["stack"])
            wins[("batch", k, "better")] += d > 1e-9
            wins[("batch", k, "worse")] += d < -1e-9
        print(f"batch {b:<10d} " + "  ".join(f"{k} {ts.prf(batch[k])}" for k in kinds),
              flush=True)  # fmt: skip
    for c in (*UNSTACKED, "batch"):
        if c != "batch":
            print(f"pooled {c:12s} " + "  ".join(f"{k} {ts.prf(totals[(c, k)])}" for k in kinds))
            print(f"  classifier-alone pairs the stacker turns down: {dict(turned[c])}")
        for k in kinds:
            if k != "stack":
                print(f"  {c:12s} {k:12s} vs stack +{wins[(c, k, 'better')]}"
                      f"/-{wins[(c, k, 'worse')]}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
