"""Learned coding on the development sets: a researcher hand-codes half, the rest is predicted.

    PYTHONPATH=src python -m benchmarks.learned_devsets [--seeds 0 1 2] [--sets ofsted-docs transport]

For each set (dev split only; held-out data is never read): ingest the responses,
code them with the set's codebook (dictionary), then, for each seed, take the gold
themes of a random half of the dev responses (documents and survey rows) as the
hand-coded sample and let ``code_learned`` code the other half. Scored as
``make evaluate`` scores themes: micro precision/recall/F1 of (response, question,
theme) over the predicted half's gold answers with text, for the dictionary codes
alone, the learned codes alone and both together. Also prints ``learned_report``'s
cross-validated figures on the hand-coded half.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import coding, ingest
from helpers.coding import learned as learned_mod
from helpers.coding.learned import code_learned
from helpers.coding.learned_cv import learned_report
from helpers.core import schemas
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
SETS = ("ofsted-docs", "transport")


def _key(file, row):
    return str(file), (None if row is None or pd.isna(row) else int(row))


def _score(records, rid_of, codes):
    got: dict[tuple[str, str], set[str]] = {}
    for r, q, t in codes[["respondent_id", "question_id", "theme_id"]].itertuples(index=False):
        got.setdefault((str(r), str(q)), set()).add(str(t))
    tp = fp = fn = 0
    for rec in records:
        for a in rec.answers:
            if a.themes is None or not a.text.strip():
                continue
            gold, system = set(a.themes), got.get((rid_of.get(rec.name, ""), a.question), set())
            tp, fp, fn = tp + len(gold & system), fp + len(system - gold), fn + len(gold - system)
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return tp, fp, fn, p, r, (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan"))


def evaluate(set_name: str, seeds: list[int], thresholds: list[float] = ()) -> list[dict]:
    set_dir = ROOT / set_name
    cons = load_consultation(set_dir / "consultation.yaml")
    cb = coding.load_codebook(set_dir / "codebook.yaml", cons)
    records = gold_responses(load_gold(set_dir), "dev", where=str(set_dir / "gold.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        res = ingest.run_ingest(set_dir / "responses", set_dir / "consultation.yaml", Path(tmp))
    respondents, answers = res.respondents, res.answers
    by_key = {
        _key(r.source_file, r.source_row): str(r.respondent_id) for r in respondents.itertuples()
    }
    rid_of = {
        rec.name: by_key[_key(rec.file, rec.row)]
        for rec in records
        if _key(rec.file, rec.row) in by_key
    }
    # only the dev split's respondents: held-out responses play no part
    dev = set(rid_of.values())
    respondents = respondents[respondents["respondent_id"].isin(dev)]
    answers = answers[answers["respondent_id"].isin(dev)]
    have = set(
        zip(answers["respondent_id"].astype(str), answers["question_id"].astype(str), strict=True)
    )
    dictionary = schemas.counted_codes(coding.code_answers(answers, respondents, cb, cons))
    from helpers.core.embedding import encode

    cache: dict[str, np.ndarray] = {}

    def cached_encode(texts):
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        if todo:
            for t, v in zip(todo, encode(todo), strict=True):
                cache[t] = v
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    out = []
    for seed in seeds:
        names = sorted(rid_of)
        rng = np.random.default_rng(seed)
        train = set(rng.choice(names, size=len(names) // 2, replace=False).tolist())
        rows = []
        for rec in records:
            if rec.name not in train or rec.name not in rid_of:
                continue
            rid = rid_of[rec.name]
            for a in rec.answers:
                if a.themes is None or not a.text.strip() or (rid, a.question) not in have:
                    continue
                rows.extend((rid, a.question, t) for t in a.themes)
                if not a.themes:
                    rows.append((rid, a.question, None))
        hand = pd.DataFrame(rows, columns=["respondent_id", "question_id", "theme_id"]).astype(
            "string"
        )
        learned, skipped = code_learned(
            answers, respondents, cb, cons, hand, None, encode=cached_encode
        )
        test = [rec for rec in records if rec.name not in train]
        both = pd.concat([dictionary, learned], ignore_index=True)
        report = learned_report(answers, respondents, cb, cons, hand, None, encode=cached_encode)
        methods = [("dictionary", dictionary), ("learned", learned), ("both", both)]
        for threshold in thresholds:
            saved, learned_mod.THRESHOLD = learned_mod.THRESHOLD, threshold
            try:
                other, _ = code_learned(
                    answers, respondents, cb, cons, hand, None, encode=cached_encode
                )
            finally:
                learned_mod.THRESHOLD = saved
            methods += [
                (f"learned@{threshold}", other),
                (f"both@{threshold}", pd.concat([dictionary, other], ignore_index=True)),
            ]
        for name, codes in methods:
            tp, fp, fn, p, r, f = _score(test, rid_of, codes)
            out.append(
                dict(
                    set=set_name,
                    seed=seed,
                    method=name,
                    tp=tp,
                    fp=fp,
                    fn=fn,
                    p=p,
                    r=r,
                    f1=f,
                    learned_themes=len(cb.themes) - len(skipped),
                )
            )
        print(
            f"--- {set_name} seed {seed}: {len(train)} hand-coded responses, {len(test)} predicted"
        )
        print(
            report[report["note"] == ""][
                ["theme_id", "n_positive", "n_negative", "precision", "recall"]
            ]
            .round(2)
            .to_string(index=False)
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument(
        "--thresholds", type=float, nargs="*", default=[], help="also score these thresholds"
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = [row for s in args.sets for row in evaluate(s, args.seeds, args.thresholds)]
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))
    agg = table.groupby(["set", "method"], sort=False)[["tp", "fp", "fn"]].sum()
    agg["precision"] = agg["tp"] / (agg["tp"] + agg["fp"])
    agg["recall"] = agg["tp"] / (agg["tp"] + agg["fn"])
    agg["f1"] = 2 * agg["tp"] / (2 * agg["tp"] + agg["fp"] + agg["fn"])
    print("\npooled over seeds:")
    print(agg.round(3).to_string())


if __name__ == "__main__":
    main()
