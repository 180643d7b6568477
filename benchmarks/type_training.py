"""Train and check the learned respondent-type scorer (``ingest.type_model``) leave-one-batch-out.

    python -m benchmarks.type_training [--cache DIR] [--exclude-batch 15] [--write]

Every document of every spent document set (``benchmarks.accounting.spent_sets``;
survey rows are typed from their columns and left out) gives one training
example per candidate type: the features of ``type_model.features`` and
whether that type is the gold one. The rules' answer (not a feature since session 22) is the
type ingest gave
(``typed_documents``: ingest's path up to the type, without the meaning pass). Batch ``b``
is both consultations' sets of that number (``ofsted-docs-b``, ``transport-b``;
the first sets are batch 1).

Printed: per batch, the rules' hits, the model's when trained on every other
batch (leave-one-batch-out) and those of the shipped policy (``type_model.predict``: the
rules, the model only where the rules say "unknown"), for each regularisation ``C``. ``--exclude-batch``
leaves a batch out of everything (to look at it once, out of sample, with
``--score-batch``). ``--write`` trains on every included batch with the chosen
``C`` and writes ``helpers/data/type_model.json``. ``--other-margin m`` (repeatable,
session 25) also scores, leave-one-batch-out, a policy in which the model replaces the
rules' ``other`` by a listed type scoring ``m`` above ``other`` (not shipped: no margin
gained a document over batches 1-27; docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.accounting import ROOT, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest import type_model
from helpers.ingest.capacity_types import type_from_capacity_answer
from helpers.ingest.respondents import attach_metadata
from helpers.ingest.segment import segment_rows
from helpers.ingest.stage import read_document
from helpers.ingest.type_model import (
    FALLBACK_MARGIN,
    FEATURES,
    MODEL_FILE,
    TypeEvidence,
    TypeModel,
    capacity_evidence,
    features,
)
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

DATA = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data"


def batch_of(name: str) -> int:
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def typed_documents(name: str):
    """(document, its answer rows) of a set, typed by the rules as ingest types them.

    The ingest path up to the type (``read_document``, ``attach_metadata``,
    ``segment_rows``, ``type_from_capacity_answer``) without the meaning pass,
    campaigns or the tables: seconds per set instead of minutes. An answer to
    the profile question that only the meaning pass places is missed here.
    """
    cons = load_consultation(ROOT / name / "consultation.yaml")
    folder = ROOT / name / "responses"
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name == "manifest.csv":
            continue
        try:
            docs = read_document(path, folder, cons)
        except Exception:  # an unreadable file has no type to learn from
            continue
        for doc in docs:
            if doc.source_row is not None:
                continue
            attach_metadata(doc, {}, cons.respondent_types, cons.attributes, cons.organisation)
            seg = segment_rows(doc, cons)
            type_from_capacity_answer(doc, seg, cons)
            yield doc, seg


def examples(cache: Path, names: list[str]) -> list[dict]:
    """One record per typed document: set, file, batch, gold type, candidate types, features."""
    # The features and the rules' answer: stale when any of the typing rules' code or words
    # change, not only the scorer's module (session 16).
    ingest_dir = Path(type_model.__file__).parent
    sources = [
        ingest_dir / f
        for f in (
            "type_model.py",
            "respondent_types.py",
            "type_words.py",
            "type_readers.py",
            "capacity_types.py",
            "authorship.py",
            "author_places.py",
            "signoff.py",
            "readers/mail_signature.py",
        )
    ]
    sources += [DATA / f for f in ("respondent_types.yaml", "authorship.yaml")]
    digest = hashlib.sha1(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    out: list[dict] = []
    for name in names:
        if "survey" in name:
            continue
        stored = cache / f"types-{digest}" / f"{name}.pkl"
        if stored.is_file():
            out += pickle.loads(stored.read_bytes())
            continue
        cons = load_consultation(ROOT / name / "consultation.yaml")
        rules = cons.respondent_types
        profile = {q.id for q in cons.questions if q.kind == "profile"}
        gold = {
            rec.file: rec.respondent_type
            for rec in gold_responses(load_gold(ROOT / name), "all", where=name)
            if rec.row is None and rec.respondent_type is not None
        }
        rows = []
        for doc, seg in typed_documents(name):
            if doc.source_file not in gold or doc.respondent_type_source == "metadata":
                continue
            answers = [str(r["answer_text"]) for r in seg if r["question_id"] in profile]
            ev = TypeEvidence(
                text=doc.text,
                organisation=doc.organisation,
                rule_type=doc.respondent_type,
                capacity_type=capacity_evidence(doc.text, answers, rules),
                cover_note=doc.cover_note,
            )
            types, x = features(ev, rules)
            rows.append(
                {
                    "set": name,
                    "file": doc.source_file,
                    "batch": batch_of(name),
                    "gold": gold[doc.source_file],
                    "rule": doc.respondent_type,
                    "types": types,
                    "x": x,
                }
            )
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(pickle.dumps(rows))
        out += rows
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


def fallback(model: TypeModel, e: dict, margin: float, other_margin: float | None = None) -> str:
    """``type_model.predict``'s policy on stored features: the rules' type, or the model's
    where the rules say "unknown" and its best type scores more than ``margin`` above it, or
    (``other_margin`` not None, session 25) a listed type scoring more than ``other_margin``
    above ``other`` where the rules say "other"."""
    if e["rule"] == "other" and other_margin is not None:
        scores = model.scores(e["x"])
        listed = [i for i in np.argsort(-scores) if e["types"][i] not in type_model.GENERIC]
        if listed and scores[listed[0]] - scores[e["types"].index("other")] > other_margin:
            return e["types"][listed[0]]
        return "other"
    if e["rule"] != "unknown":
        return e["rule"]
    scores = model.scores(e["x"])
    best = int(np.argmax(scores))
    return (
        e["types"][best]
        if scores[best] - scores[e["types"].index("unknown")] > margin
        else "unknown"
    )


def lobo(
    data: list[dict], c: float, margin: float = FALLBACK_MARGIN, other_margin: float | None = None
) -> dict[int, tuple[int, int, int, int]]:
    """Per batch: (documents, rule hits, model hits and rules-with-fallback hits, the model
    trained on the other batches)."""
    out = {}
    for b in sorted({e["batch"] for e in data}):
        test = [e for e in data if e["batch"] == b]
        model = fit([e for e in data if e["batch"] != b], c)
        out[b] = (
            len(test),
            sum(e["rule"] == e["gold"] for e in test),
            sum(predict(model, e) == e["gold"] for e in test),
            sum(fallback(model, e, margin, other_margin) == e["gold"] for e in test),
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/tmp/type-features", help="features stored per set")
    ap.add_argument("--exclude-batch", type=int, action="append", default=[])
    ap.add_argument("--score-batch", type=int, default=None, help="train on the rest, score it")
    ap.add_argument("--c", type=float, action="append", default=[])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list the model's LOBO errors")
    ap.add_argument(
        "--other-margin",
        type=float,
        action="append",
        default=[],
        help="also replace the rules' 'other' by a listed type this far above it (session 25)",
    )
    args = ap.parse_args(argv)
    cs = args.c or [0.3, 0.1, 1.0]
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
        for om in args.other_margin:
            res = lobo(data, c, FALLBACK_MARGIN, om)
            n = sum(v[0] for v in res.values())
            f = sum(v[3] for v in res.values())
            per = " ".join(f"{b}:{v[3] - v[1]:+d}" for b, v in res.items() if v[3] != v[1])
            print(f"C={c:<5} other_margin={om:<5} rules+fallback {f}/{n}  vs rules: {per}")
        res = lobo(data, c)
        n = sum(v[0] for v in res.values())
        r = sum(v[1] for v in res.values())
        m = sum(v[2] for v in res.values())
        f = sum(v[3] for v in res.values())
        per = " ".join(
            f"{b}:{v[1] - v[0]:+d}/{v[2] - v[0]:+d}/{v[3] - v[0]:+d}" for b, v in res.items()
        )
        print(
            f"C={c:<5} rules {r}/{n} ({r / n:.1%})  LOBO model {m}/{n} ({m / n:.1%})  "
            f"rules+fallback {f}/{n} ({f / n:.1%})  per batch rules/model/fallback: {per}"
        )
    if args.errors:
        c = cs[0]
        for b in sorted({e["batch"] for e in data}):
            model = fit([e for e in data if e["batch"] != b], c)
            for e in data:
                if e["batch"] != b:
                    continue
                om = args.other_margin[0] if args.other_margin else None
                p, f = predict(model, e), fallback(model, e, FALLBACK_MARGIN, om)
                if f != e["rule"]:
                    mark = (
                        "GAINED"
                        if f == e["gold"]
                        else "LOST"
                        if e["rule"] == e["gold"]
                        else "moved"
                    )
                    print(
                        f"  fallback {mark:6} {e['set']:16} {e['file']:45} gold {e['gold']} "
                        f"rules {e['rule']} now {f}"
                    )
                elif p != e["gold"]:
                    print(
                        f"  {e['set']:16} {e['file']:45} gold {e['gold']:18} model {p:18} "
                        f"rules {e['rule']}"
                    )
    if args.write:
        model = fit(data, cs[0])
        (DATA / MODEL_FILE).write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {DATA / MODEL_FILE} (C={cs[0]}, {len(data)} documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
