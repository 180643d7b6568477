"""Train and measure the implied-position reader for letters (``helpers.stance.implied``, session 25).

    PYTHONPATH=src:. python -m benchmarks.letter_implied --cache DIR [--doc-cache DIR2]
        [--set NAME ...] [--doc-set NAME ...] [--collected FILE] [--C 0.3] [--show] [--write]

Rows: every letter respondent's closed question still ``not_answered`` after every other
reading (``implied.candidate_rows``), with its features (``implied.row_features``), from

- the spent stance item sets' letter items (``kind: letter``; ``--cache`` holds each item
  file's ingest tables, ``<set>.<file stem>.pkl`` = ``(answers, respondents)``, as
  ``benchmarks.letter_address`` reads them); only the item's own question has a gold;
- with ``--doc-cache``, the spent document sets' letters (gold ``layout`` with "letter";
  the tables ``letters_eval.tables`` caches, ``<set>.pkl``): each gold closed question.

A row's label is the gold's side (``agree`` for agree / strongly agree, ``disagree`` for the
other two, else ``none``); a row is acceptable when the reading is in the gold's acceptable
stances (``not_answered`` before). The reader is the last reading of ``stance.table`` before
reservations and calibration and touches only these rows, so an item's acceptability after
it is simulated exactly from the rows.

Leave-one-set-out, nested: for held-out set *s* the model (multinomial logistic,
standardised features, L2 ``--C``) is fitted on every other set; its threshold is chosen on
those sets' OUT-OF-FOLD probabilities (each scored by a fit without it): the value of
``--thresholds`` with most items fixed minus broken, a broken one (a gold ``not_answered``
turned into a position) counted ``--wrong`` times (ties: higher). Prints per set items
fixed / broken, the not_answered precision before and after, and the pooled totals.
``--write`` fits on every named set (threshold chosen the same way) and writes
``src/helpers/data/letter_implied.json`` with ``confidence``: the out-of-fold share of
readings made that were acceptable. Held-back sets are refused.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
from pathlib import Path
from unittest import mock

import numpy as np
from sklearn.linear_model import LogisticRegression

from helpers import stance
from helpers.stance import implied
from helpers.validate.devsets.itemeval import _file_name
from helpers.validate.devsets.items import load_item_set
from helpers.validate.devsets.stancescore import system_rows

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / implied.WEIGHTS_FILE
SPENT = ["stance-items"] + [f"stance-items-{k}" for k in range(2, 28)]
SPENT_DOCS = [
    n
    for k in range(1, 31)
    for n in ((f"ofsted-docs-{k}", f"transport-{k}") if k > 1 else ("ofsted-docs", "transport"))
]
SIDE = {"strongly_agree": "agree", "agree": "agree", "disagree": "disagree",
        "strongly_disagree": "disagree"}  # fmt: skip


class _Spy:
    """Stands in for ``stance.table.implied_rows``: records each candidate row's features."""

    def __init__(self) -> None:
        self.got: dict[tuple[str, str], dict] = {}

    def __call__(self, rows, texts, letters, consultation) -> None:
        chosen = [r for r in implied.candidate_rows(rows, letters)
                  if isinstance(texts.get(str(r["respondent_id"])), str)
                  and texts[str(r["respondent_id"])].strip()]  # fmt: skip
        if not chosen:
            return
        feats = implied.row_features(rows, chosen, texts, consultation)
        for r, (f, _focus) in zip(chosen, feats, strict=True):
            self.got[(str(r["respondent_id"]), r["question_id"])] = f


def _run(answers, respondents, consultation) -> tuple[dict, dict]:
    spy = _Spy()
    with mock.patch("helpers.stance.table.implied_rows", spy):
        got = system_rows(stance.stance_answers(answers, respondents, consultation))
    return got, spy.got


def item_rows(name: str, cache: Path) -> list[dict]:
    """One record per letter item of spent item set ``name``: the stance said before, the
    gold's acceptable stances and side, and the features when the item is a candidate."""
    if name not in SPENT:
        raise SystemExit(f"{name}: not a spent item set (held back or unknown); never read")
    out = []
    for f in load_item_set(ROOT / name):
        items = [i for i in f.items if i.kind == "letter"]
        p = cache / f"{name}.{f.path.stem}.pkl"
        if not items or not p.is_file():
            continue
        answers, respondents = pickle.loads(p.read_bytes())
        got, feats = _run(answers, respondents, f.consultation)
        by_file = {str(r.source_file): str(r.respondent_id)
                   for r in respondents.itertuples(index=False)}  # fmt: skip
        for k, i in enumerate(items):
            rid = by_file.get(_file_name(k, i.id))
            row = got.get((rid, i.question)) if rid else None
            out.append({
                "set": name, "item": i.id, "before": row["stance"] if row else "not_answered",
                "ok": sorted({i.stance, *i.stance_ok}), "side": SIDE.get(i.stance, "none"),
                "f": feats.get((rid, i.question)),
            })  # fmt: skip
    return out


def doc_rows(name: str, cache: Path) -> list[dict]:
    """One record per gold closed-question stance of spent document set ``name``'s letters."""
    from benchmarks.letters_eval import letter_files, tables
    from helpers.core.consultation import load_consultation
    from helpers.validate.devsets.gold import load_gold
    from helpers.validate.devsets.goldview import gold_responses

    if name not in SPENT_DOCS:
        raise SystemExit(f"{name}: not a spent document set (held back or unknown); never read")
    t = tables(name, cache)
    cons = load_consultation(ROOT / name / "consultation.yaml")
    gold = load_gold(ROOT / name)
    keep = letter_files(gold)
    got, feats = _run(t["answers"], t["respondents"], cons)
    by_file = {str(r.source_file): str(r.respondent_id)
               for r in t["respondents"].itertuples(index=False)}  # fmt: skip
    closed = {q.id for q in cons.closed_questions}
    out = []
    for rec in gold_responses(gold, "all", where=f"{name}/gold.yaml"):
        rid = by_file.get(rec.file)
        if rec.file not in keep or rid is None or rec.row is not None:
            continue
        said = {a.question: a for a in rec.answers if a.stance is not None}
        for qid in sorted(closed):
            a = said.get(qid)
            # A closed question the letter's gold gives no stance: the letter does not
            # address it (the scorer does not count it; a training row of side none).
            gs, ok = (a.stance, a.stance_ok) if a is not None else ("not_answered", ())
            row = got.get((rid, qid))
            out.append({
                "set": name, "item": f"{rec.file}:{qid}", "scored": a is not None,
                "before": row["stance"] if row else "not_answered",
                "ok": sorted({gs, *ok}), "side": SIDE.get(gs, "none"),
                "f": feats.get((rid, qid)),
            })  # fmt: skip
    return out


def fit(rows: list[dict], c: float) -> dict:
    """The multinomial logistic model on ``rows`` (standardised features), as JSON weights."""
    x = np.array([[r["f"][n] for n in implied.FEATURES] for r in rows])
    y = np.array([implied.CLASSES.index(r["side"]) for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    coef = np.zeros((3, x.shape[1]))
    icpt = np.full(3, -30.0)
    for k, cls in enumerate(m.classes_):
        coef[cls], icpt[cls] = m.coef_[k], m.intercept_[k]
    return {
        "features": list(implied.FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": icpt.round(6).tolist(),
    }


def outcome(r: dict, said: str | None) -> int:
    """+1 fixed, -1 broken, 0 unchanged acceptability when the row takes ``said``."""
    if said is None:
        return 0
    return int(said in r["ok"]) - int("not_answered" in r["ok"])


def oof(rows_by_set: dict[str, list[dict]], c: float) -> dict[int, list[float]]:
    """Each row's (by id) probabilities from a fit on the other sets."""
    out = {}
    for s, rs in rows_by_set.items():
        train = [r for t, xs in rows_by_set.items() if t != s for r in xs]
        if not rs or not train:
            continue
        w = fit(train, c)
        for r in rs:
            out[id(r)] = implied.probabilities(r["f"], w)
    return out


OFF = 1.01  # a class threshold above every probability: the class is never read


def choose_threshold(
    rows: list[dict], probs: dict[int, list[float]], thresholds: list[float], wrong: float
) -> tuple[list[float], float]:
    """([agree's, disagree's] thresholds, gain) with most fixed minus ``wrong`` x broken on
    ``rows``; each class's from ``thresholds`` or ``OFF`` (ties: higher, so off first)."""
    outs = {}
    for r in rows:
        p = probs[id(r)]
        k = max(range(3), key=lambda i: p[i])
        if implied.CLASSES[k] != "none":
            o = outcome(r, implied.CLASSES[k])
            outs.setdefault(k, []).append((p[k], o if o >= 0 else wrong * o))
    best = []
    for k in (0, 1):
        got = [(sum(g for pk, g in outs.get(k, []) if pk >= t), t) for t in [*thresholds, OFF]]
        best.append(max(got))
    return [best[0][1], best[1][1]], best[0][0] + best[1][0]


def stated_for(observed: float) -> float:
    """The confidence to state so that ``stance.calibration``'s letter map (which maps every
    ``unstructured`` row after the readings) gives ``observed``: the smallest stated value
    whose mapped value reaches it (the map's lowest value when none is lower)."""
    from helpers.stance import calibration

    m = calibration.load_map().get("letter")
    if m is None:
        return round(observed, 3)
    x, y = m
    for xv, yv in zip(x, y, strict=True):
        if yv >= observed - 1e-9:
            return round(float(xv), 3)
    return round(float(x[-1]), 3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--doc-cache", type=Path)
    ap.add_argument("--set", action="append")
    ap.add_argument("--doc-set", action="append")
    ap.add_argument("--collected", type=Path)
    ap.add_argument("--C", type=float, default=0.1)
    ap.add_argument("--thresholds", default="0.34,0.4,0.45,0.5,0.55,0.6,0.65,0.7,0.75,0.8,0.9")
    ap.add_argument("--wrong", type=float, default=1.0)
    ap.add_argument("--features", help="comma-separated subset of implied.FEATURES")
    ap.add_argument(
        "--items-only",
        action="store_true",
        help="train on the item sets only (document sets are scored, not learned)",
    )
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    names = args.set or SPENT
    docs = args.doc_set or (SPENT_DOCS if args.doc_cache else [])
    data: dict[str, list[dict]] = {}
    if args.collected and args.collected.is_file():
        data = pickle.loads(args.collected.read_bytes())
    for n in names:
        if n not in data:
            data[n] = item_rows(n, args.cache)
            print(f"collected {n}: {len(data[n])} items", flush=True)
    for n in docs:
        if n not in data:
            data[n] = doc_rows(n, args.doc_cache)
            print(f"collected {n}: {len(data[n])} stances", flush=True)
    if args.collected:
        args.collected.write_bytes(pickle.dumps(data))
    if args.features:
        implied.FEATURES = tuple(args.features.split(","))
    used = [n for n in names + docs if n in data]
    cands = {n: [r for r in data[n] if r["f"] is not None] for n in used}
    ts = [float(t) for t in args.thresholds.split(",")]
    tot = dict(items=0, ok0=0, ok1=0, fixed=0, broken=0, moved=0, na0=0, na0_ok=0, na1=0, na1_ok=0)
    fold_conf = []
    kinds: dict[str, dict[str, int]] = {}
    train_on = [m for m in used if m in SPENT] if args.items_only else used
    for n in used:
        others = {m: cands[m] for m in train_on if m != n}
        inner = oof(others, args.C)
        t, _g = choose_threshold([r for rs in others.values() for r in rs], inner, ts, args.wrong)
        w = fit([r for rs in others.values() for r in rs], args.C)
        fixed = broken = moved = 0
        said_of = {}
        for r in cands[n]:
            said = implied.decide(implied.probabilities(r["f"], w), t)
            said_of[id(r)] = said
            o = outcome(r, said) if r.get("scored", True) else 0
            fixed += o > 0
            broken += o < 0
            moved += said is not None
            if said is not None:
                fold_conf.append(said in r["ok"])
            if args.show and said is not None:
                print(f"   {'FIXED' if o > 0 else 'BROKE' if o < 0 else 'same '} {r['item']} "
                      f"gold {'/'.join(r['ok'])} -> {said}")  # fmt: skip
        scored = [r for r in data[n] if r.get("scored", True)]
        ok0 = sum(r["before"] in r["ok"] for r in scored)
        after = [said_of.get(id(r)) or r["before"] for r in data[n]]
        na0 = [r for r in data[n] if r["before"] == "not_answered"]
        na1 = [r for r, a in zip(data[n], after, strict=True) if a == "not_answered"]
        row = dict(items=len(scored), ok0=ok0, ok1=ok0 + fixed - broken, fixed=fixed,
                   broken=broken, moved=moved, na0=len(na0),
                   na0_ok=sum("not_answered" in r["ok"] for r in na0), na1=len(na1),
                   na1_ok=sum("not_answered" in r["ok"] for r in na1))  # fmt: skip
        for k, v in row.items():
            tot[k] += v
            kinds.setdefault("items" if n in SPENT else "docs", dict.fromkeys(tot, 0))
            kinds["items" if n in SPENT else "docs"][k] += v
        print(f"{n:18} t={t[0]:.2f}/{t[1]:.2f} cand {len(cands[n]):3} {ok0}/{len(scored)} -> "
              f"{row['ok1']}/{len(scored)} fixed {fixed} broken {broken} read {moved}; "
              f"NA precision {row['na0_ok']}/{row['na0']} -> {row['na1_ok']}/{row['na1']}",
              flush=True)  # fmt: skip
    for kind, k in kinds.items():
        print(f"{kind:18} {k['ok0']}/{k['items']} -> {k['ok1']}/{k['items']} fixed {k['fixed']} "
              f"broken {k['broken']} read {k['moved']}; NA precision {k['na0_ok']}/{k['na0']} "
              f"-> {k['na1_ok']}/{k['na1']}")  # fmt: skip
    print(f"total {tot['ok0']}/{tot['items']} -> {tot['ok1']}/{tot['items']} fixed {tot['fixed']} "
          f"broken {tot['broken']} read {tot['moved']}; NA precision {tot['na0_ok']}/{tot['na0']}"
          f" -> {tot['na1_ok']}/{tot['na1']}; readings acceptable "
          f"{sum(fold_conf)}/{len(fold_conf)}")  # fmt: skip
    if args.write:
        allrows = {m: cands[m] for m in train_on}
        inner = oof(allrows, args.C)
        t, g = choose_threshold([r for rs in allrows.values() for r in rs], inner, ts, args.wrong)
        w = fit([r for rs in allrows.values() for r in rs], args.C)
        conf = sum(fold_conf) / len(fold_conf) if fold_conf else 0.5
        stated = stated_for(conf)
        w.update(threshold=t, inner_gain=g, confidence=stated, observed=round(conf, 3), C=args.C)
        OUT.write_text(json.dumps(w, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT} threshold {t} observed {conf:.3f} stated {stated}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
