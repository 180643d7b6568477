"""Train and check the learned respondent-type scorer (``ingest.type_model``) leave-one-batch-out.

    python -m benchmarks.type_training [--cache DIR] [--exclude-batch 15] [--write]

Every document of every spent document set (``benchmarks.accounting.spent_sets``;
survey rows are typed from their columns and left out) gives one training
example per candidate type: the features of ``type_model.features`` and
whether that type is the gold one. The rules' answer is the type ingest gave
(``benchmarks.accounting``'s cached tables, so run that first). Batch ``b``
is both consultations' sets of that number (``ofsted-docs-b``, ``transport-b``;
the first sets are batch 1).

Printed: per batch, the rules' hits and the model's when trained on every other
batch (leave-one-batch-out), for each regularisation ``C``. ``--exclude-batch``
leaves a batch out of everything (to look at it once, out of sample, with
``--score-batch``). ``--write`` trains on every included batch with the chosen
``C`` and writes ``helpers/data/type_model.json``.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, ingest_set, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest.readers import read_file
from helpers.ingest.respondent_types import capacity_clauses, capacity_type, map_respondent_type
from helpers.ingest.type_model import FEATURES, MODEL_FILE, TypeEvidence, TypeModel, features
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

DATA = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data"


def batch_of(name: str) -> int:
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def _cover_note(path: Path, name: str, consultation) -> str | None:
    if path.suffix.lower() != ".eml":
        return None
    docs = read_file(path, name, path.read_bytes(), consultation).documents
    return docs[0].cover_note if docs else None


def examples(cache: Path, names: list[str]) -> list[dict]:
    """One record per typed document: set, batch, gold type, candidate types, features."""
    out = []
    for name in names:
        if "survey" in name:
            continue
        cons = load_consultation(ROOT / name / "consultation.yaml")
        rules = cons.respondent_types
        result = ingest_set(name, cache)
        profile = {q.id for q in cons.questions if q.kind == "profile"}
        by_file = {
            str(r.source_file): r
            for r in result.respondents.itertuples(index=False)
            if pd.isna(r.source_row)
        }
        answers = result.answers
        for rec in gold_responses(load_gold(ROOT / name), "all", where=name):
            if rec.row is not None or rec.respondent_type is None:
                continue
            r = by_file.get(rec.file)
            if r is None or r.respondent_type_source in ("metadata", "survey"):
                continue
            text = str(r.text)
            cap = capacity_type(text[:5000], rules)
            prof = answers[
                (answers["respondent_id"] == r.respondent_id) & answers["question_id"].isin(profile)
            ]
            for t in prof["answer_text"]:
                for clause in capacity_clauses(str(t)):
                    cap = cap or map_respondent_type(clause, rules)
            ev = TypeEvidence(
                text=text,
                organisation=None if pd.isna(r.organisation) else str(r.organisation),
                rule_type=str(r.respondent_type),
                capacity_type=cap,
                cover_note=_cover_note(ROOT / name / "responses" / rec.file, rec.file, cons),
            )
            types, x = features(ev, rules)
            out.append(
                {
                    "set": name,
                    "file": rec.file,
                    "batch": batch_of(name),
                    "gold": rec.respondent_type,
                    "rule": str(r.respondent_type),
                    "types": types,
                    "x": x,
                }
            )
    return out


def fit(train: list[dict], c: float) -> TypeModel:
    x = np.vstack([e["x"] for e in train])
    y = np.concatenate([[t == e["gold"] for t in e["types"]] for e in train]).astype(int)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return TypeModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def predict(model: TypeModel, e: dict) -> str:
    return e["types"][int(np.argmax(model.scores(e["x"])))]


def lobo(data: list[dict], c: float) -> dict[int, tuple[int, int, int]]:
    """Per batch: (documents, rule hits, model hits trained on the other batches)."""
    out = {}
    for b in sorted({e["batch"] for e in data}):
        test = [e for e in data if e["batch"] == b]
        model = fit([e for e in data if e["batch"] != b], c)
        out[b] = (
            len(test),
            sum(e["rule"] == e["gold"] for e in test),
            sum(predict(model, e) == e["gold"] for e in test),
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/tmp/accounting-cache")
    ap.add_argument("--exclude-batch", type=int, action="append", default=[])
    ap.add_argument("--score-batch", type=int, default=None, help="train on the rest, score it")
    ap.add_argument("--c", type=float, action="append", default=[])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list the model's LOBO errors")
    args = ap.parse_args(argv)
    cs = args.c or [0.03, 0.1, 0.3, 1.0, 3.0]
    names = [n for n in spent_sets() if batch_of(n) not in args.exclude_batch]
    data = examples(Path(args.cache), names)
    if args.score_batch is not None:
        test = [e for e in data if e["batch"] == args.score_batch]
        train = [e for e in data if e["batch"] != args.score_batch]
        for c in cs:
            model = fit(train, c)
            by_set = defaultdict(lambda: [0, 0, 0])
            for e in test:
                s = by_set[e["set"]]
                s[0] += 1
                s[1] += e["rule"] == e["gold"]
                s[2] += predict(model, e) == e["gold"]
            for name, (n, r, m) in sorted(by_set.items()):
                print(f"C={c:<5} {name:16} n={n:3} rules {r}/{n}  model {m}/{n}")
        return 0
    print(f"{len(data)} documents; features: {', '.join(FEATURES)}")
    for c in cs:
        res = lobo(data, c)
        n = sum(v[0] for v in res.values())
        r = sum(v[1] for v in res.values())
        m = sum(v[2] for v in res.values())
        per = " ".join(f"{b}:{v[1] - v[0]:+d}/{v[2] - v[0]:+d}" for b, v in res.items())
        print(f"C={c:<5} rules {r}/{n} ({r / n:.1%})  LOBO model {m}/{n} ({m / n:.1%})  {per}")
    if args.errors:
        c = cs[0]
        for b in sorted({e["batch"] for e in data}):
            model = fit([e for e in data if e["batch"] != b], c)
            for e in data:
                if e["batch"] == b and (p := predict(model, e)) != e["gold"]:
                    print(f"  {e['set']:16} {e['file']:45} gold {e['gold']:18} model {p:18} "
                          f"rules {e['rule']}")
    if args.write:
        model = fit(data, cs[0])
        (DATA / MODEL_FILE).write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {DATA / MODEL_FILE} (C={cs[0]}, {len(data)} documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
