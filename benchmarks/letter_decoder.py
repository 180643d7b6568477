"""Train the letter decoder (``segment.letterseq``) and score it leave-one-batch-out.

For every spent document set (``letters_eval.spent_sets``; never a held-back
set) the rules' tables come from ``letters_eval.tables`` (ingest run once,
cached); each letter the pipeline sees (``letterseq.is_letter``: every row
made by the letter and meaning rules) is cut into units, each (unit, choice)
gets ``letterseq.features`` and each unit its gold question (the gold answer
holding most of it: ``seg_training.gold_labels``).

Leave-one-batch-out, nested: for held-out batch ``b`` the decoder's two
flow constants (``cont``, ``back``) are chosen on the other batches, each
scored by a model trained without it and without ``b`` (unit accuracy
weighted by characters, the rules' labels as the tie-breaker); then the
model trained on every batch but ``b`` decodes ``b``'s letters and the real
scorer (``devsets.scoring.score_set``) scores the set, on its letters (gold
layout with "letter") and on every document, rules before and decoder after.
``--write`` trains on every batch (constants chosen the same way over all
batches) and writes ``helpers/data/letter_decoder.json``::

    PYTHONPATH=src:. python -m benchmarks.letter_decoder --cache /tmp/letters14/base [--write]

Deterministic: L-BFGS from zeros, sets in name order. The shipped file is
written by ``benchmarks.letter_lobo --write`` (session 16: the setting chosen with
the evaluator's scorer and a precision guard, not this module's character proxy).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import pickle
import sys
from pathlib import Path

import pandas as pd

from benchmarks import letter_addressed
from benchmarks.letters_eval import ROOT, batch_of, letter_files, spent_sets, tables
from benchmarks.seg_training import gold_labels
from benchmarks.softmax_train import train_softmax
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import learned, letterseq
from helpers.ingest.segment.meaning import build_model
from helpers.ingest.segment.vectors import TextVectors, run_encoder
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.metrics import Counts
from helpers.validate.devsets.scoring import score_set

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / "letter_decoder.json"
KEEPS = (0.0, 0.5, 1.0, 2.0)
CONTS = (0.0, 0.5, 1.0, 2.0)
BACKS = (0.0, 0.5, 1.0, 2.0)
C = 1.0  # inverse L2 strength of the softmax


def letter_doc(rec, r, answers: pd.DataFrame, model, vectors, ids: list[str]) -> dict | None:
    """One letter's decoder row: its units, their features, gold and current labels.

    ``None`` when the respondent has no answers or its answers are not a letter. Shared by
    ``build`` and ``benchmarks.letter_perturbed`` so that real and re-rendered letters are
    featurised the same way.
    """
    rid, text = str(r.respondent_id), str(r.text)
    rows = answers[answers["respondent_id"] == rid]
    if rows.empty or not letterseq.is_letter(rows):
        return None
    units = learned.units_of(text, rows)
    cs, vs = learned.unit_vectors(text, units, model, vectors)
    gold = gold_labels(text, units, rec)
    return {
        "rid": rid,
        "file": rec.file,
        "text": text,
        "units": units,
        "cs": cs,
        "vs": vs,
        "on": letterseq.goes_on(text, units),
        "gold": [ids.index(g) if g in ids else 0 for g in gold],
        "cur": [ids.index(u.cur) if u.cur in ids else 0 for u in units],
        "size": [u.end - u.start for u in units],
    }


def build(name: str, cache: Path, encode) -> dict:
    """One set's letters: units, features, rules' and gold choices (cached next to the tables)."""
    path = cache / f"{name}.letters.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    t = tables(name, cache)
    cons = load_consultation(ROOT / name / "consultation.yaml")
    questions = tuple(cons.questions)
    answers, respondents = t["answers"], t["respondents"]
    records = gold_responses(load_gold(ROOT / name), "all", where=f"{name}/gold.yaml")
    by_file = {str(r.source_file): r for r in respondents.itertuples(index=False)}
    vectors = TextVectors(encode)
    model = build_model(answers, cons, vectors)
    ids = [learned.NONE, *(q.id for q in questions)]
    docs = []
    for rec in records:
        r = by_file.get(rec.file)
        if r is None or rec.row is not None:
            continue
        if (doc := letter_doc(rec, r, answers, model, vectors, ids)) is not None:
            docs.append(doc)
    out = {"name": name, "docs": docs, "ranks": letterseq._ranks(questions)}
    path.write_bytes(pickle.dumps(out))
    return out


def mini_sims(s: dict, cache: Path) -> dict:
    """``s`` with each letter's ``mini`` cosines: its units against the questions' centroids
    and wording variants with the consultation's own sentence model
    (``segmentation_model``, MiniLM by default), the model ``meaning`` reads with (session
    26's ``mini_*`` features). Cached next to the tables as ``<set>.mini.pkl``."""
    name = s["name"]
    path = cache / f"{name}.mini.pkl"
    if path.is_file():
        sims = pickle.loads(path.read_bytes())
    else:
        cons = load_consultation(ROOT / name / "consultation.yaml")
        vectors = TextVectors(run_encoder(cons.segmentation_model))
        model = build_model(tables(name, cache)["answers"], cons, vectors)
        sims = {
            d["rid"]: learned.unit_vectors(d["text"], d["units"], model, vectors) for d in s["docs"]
        }
        path.write_bytes(pickle.dumps(sims))
    for d in s["docs"]:
        d["mini"] = sims[d["rid"]]
    return s


def featurize(s: dict) -> dict:
    """``s`` with each letter's pair features computed from its cached vectors (and its
    ``mini`` cosines when :func:`mini_sims` added them)."""
    questions = tuple(load_consultation(ROOT / s["name"] / "consultation.yaml").questions)
    for d in s["docs"]:
        bodies = [d["text"][u.start : u.end] for u in d["units"]]
        address = letter_addressed.addressed(bodies, questions)
        d["features"] = letterseq.features(
            d["text"], d["units"], questions, d["cs"], d["vs"], address, d.get("mini")
        )
    return s


def train(sets: list[dict], c: float = C) -> dict:
    """A conditional logit over each unit's choices (L2 ``1 / c``), as the weights' dict
    (``softmax_train.train_softmax`` on the letter features)."""
    return train_softmax(sets, c, letterseq.FEATURES)


def labels(d: dict, ranks, w: dict, flow: tuple[float, float, float]) -> list[int]:
    """The decoder's choice index of every unit of one letter under (keep, cont, back)."""
    keep, cont, back = flow
    score = letterseq.with_keep(letterseq.emissions(d["features"], w), d["features"], keep)
    if FILL_ONLY:
        score = letterseq.fill_only(score, d["features"], d["units"])
    return letterseq.decode(score, ranks, cont, back, d["on"])


FILL_ONLY = False  # the decoder only places text the rules left unplaced
WRONG = 1.0  # a character placed under a wrong question costs this many right ones


def proxy(s: dict, w: dict, flow: tuple[float, float, float]) -> float:
    """Characters of the set's letters whose unit gets its gold choice, less ``WRONG`` times
    those placed under a question that is not theirs (a wrong placement misleads the
    researcher more than text left unplaced, which the report shows as such)."""
    hit = 0.0
    for d in s["docs"]:
        lab = labels(d, s["ranks"], w, flow)
        for z, a, g in zip(d["size"], lab, d["gold"], strict=True):
            hit += z if a == g else -WRONG * z if a else 0.0
    return hit


def choose_flow(sets: list[dict], models: dict[int, dict]) -> tuple[float, float, float]:
    """(keep, cont, back) maximising the proxy over ``sets``, each decoded by
    ``models[its batch]`` (ties: the first in ``KEEPS`` x ``CONTS`` x ``BACKS``)."""
    best, arg = -1.0, (0.0, 0.0, 0.0)
    if not models:
        return arg
    for flow in itertools.product(KEEPS, CONTS, BACKS):
        v = sum(proxy(s, models[batch_of(s["name"])], flow) for s in sets)
        if v > best + 1e-9:
            best, arg = v, flow
    return arg


def real_scores(s: dict, w: dict | None, flow: tuple[float, float, float], cache: Path) -> tuple:
    """(letters recall, letters precision, all recall, all precision) Counts of one set."""
    name = s["name"]
    t = tables(name, cache)
    cons = load_consultation(ROOT / name / "consultation.yaml")
    questions = tuple(cons.questions)
    ids = [learned.NONE, *(q.id for q in questions)]
    numbers = {q.id: q.number for q in questions}
    answers = t["answers"]
    new = {}
    if w is not None:
        for d in s["docs"]:
            chosen = [ids[k] for k in labels(d, s["ranks"], w, flow)]
            if all(c == u.cur for c, u in zip(chosen, d["units"], strict=True)):
                continue
            rows = answers[answers["respondent_id"] == d["rid"]]
            rebuilt = learned.rebuild_rows(d["rid"], d["text"], d["units"], chosen, numbers)
            new[d["rid"]] = letterseq._details(rows, rebuilt)
    parts = [new.get(str(rid), rows) for rid, rows in answers.groupby("respondent_id", sort=False)]
    table = pd.concat(parts, ignore_index=True)
    gold = load_gold(ROOT / name)
    records = gold_responses(gold, "all", where=f"{name}/gold.yaml")
    keep = letter_files(gold)
    out = []
    for recs in ([r for r in records if r.file in keep], records):
        sc = score_set(name, "all", recs, cons, t["respondents"], table, t["log"], t["copies"])
        out += [sc.recall, sc.precision]
    return tuple(out)


def _c(c: Counts) -> str:
    return f"{c.hit}/{c.n}" if c.n else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path)
    ap.add_argument("--set", action="append")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--wrong", type=float, default=1.0)
    ap.add_argument("--fill-only", action="store_true", help="only place text the rules left out")
    args = ap.parse_args(argv)
    globals()["WRONG"] = args.wrong
    globals()["FILL_ONLY"] = args.fill_only
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    encode = run_encoder(letterseq.MODEL)
    sets = [featurize(build(n, args.cache, encode)) for n in (args.set or spent_sets())]
    batches = sorted({batch_of(s["name"]) for s in sets})
    if args.write:
        models = {b: train([s for s in sets if batch_of(s["name"]) != b], args.c) for b in batches}
        keep, cont, back = choose_flow(sets, models)
        w = train(sets, args.c)
        w.update(keep=keep, cont=cont, back=back, fill_only=args.fill_only, enabled=True)
        WEIGHTS.write_text(json.dumps(w, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}: keep {keep}, cont {cont}, back {back}")
        return 0
    # models trained without a pair of batches (inner folds) and without one (outer)
    pair_models: dict[frozenset, dict] = {}
    summary: list[list[list[Counts]]] = []
    for b in batches:
        rest = [s for s in sets if batch_of(s["name"]) != b]
        inner = {}
        for c in batches:
            if c == b:
                continue
            key = frozenset((b, c))
            train_on = [s for s in rest if batch_of(s["name"]) != c]
            if not train_on:
                continue
            if key not in pair_models:
                pair_models[key] = train(train_on, args.c)
            inner[c] = pair_models[key]
        flow = choose_flow([s for s in rest if batch_of(s["name"]) in inner], inner)
        w = train(rest, args.c)
        tot = [[Counts() for _ in range(4)] for _ in range(2)]
        for s in (s for s in sets if batch_of(s["name"]) == b):
            before = real_scores(s, None, flow, args.cache)
            after = real_scores(s, w, flow, args.cache)
            for k, (x, y) in enumerate(zip(before, after, strict=True)):
                tot[0][k] = Counts(tot[0][k].hit + x.hit, tot[0][k].n + x.n)
                tot[1][k] = Counts(tot[1][k].hit + y.hit, tot[1][k].n + y.n)
            print(f"{s['name']:16} b{b:<3} {flow}  {_cells(before, after)}", flush=True)
        print(f"{'batch ' + str(b):16}      {' ' * 17}  {_cells(*tot)}", flush=True)
        summary.append(tot)
    print("columns: letters right question, letters precision, all right question, all precision")
    for k, name in enumerate(("letters R", "letters P", "all R", "all P")):
        up = sum(t[1][k].hit * t[0][k].n > t[0][k].hit * t[1][k].n for t in summary)
        down = sum(t[1][k].hit * t[0][k].n < t[0][k].hit * t[1][k].n for t in summary)
        print(f"{name}: {up} batches better, {down} worse, of {len(summary)}")
    return 0


def _cells(before, after) -> str:
    return " ".join(f"{_c(x):>7} -> {_c(y):<7}" for x, y in zip(before, after, strict=True))


if __name__ == "__main__":
    sys.exit(main())
