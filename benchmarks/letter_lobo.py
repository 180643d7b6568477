"""The letter decoder with a precision guard, chosen and scored nested leave-one-batch-out.

Session 14's decoder (``segment.letterseq``, trained by ``benchmarks.letter_decoder``)
gained right question on letters but lost precision on half the batches: its flow
constants were chosen with a character proxy that counts a wrong placement little.
Here the choice is made with the evaluator's own segmentation scorer
(``devsets.metrics.score_segmentation``, per document, memoised on the document's
labels) and a guard against precision losses:

* **mode**: ``fill`` (only text the rules left unplaced may be placed; a placed
  paragraph never moves) or ``full`` (any paragraph may move);
* **keep**: added to the rules' choice of each unit (in ``fill`` mode that is the
  margin an unplaced paragraph's best question must have over "no question");
* **cont**, **back**: the decoder's flow constants.

For held-out batch ``b`` the setting maximises, over the other batches ``c``
(each decoded by a model trained without ``b`` and ``c``),
``sum_c dR_c + LAMBDA * (dPhit_c - p_c * dPn_c)``: right-question hits gained, plus
the precision hits gained less the rows added at the batch's own precision ``p_c``
(zero for a change that leaves the batch's precision where it was; negative when
the new rows are right less often than the old ones). Ties go to the more
conservative setting (fill before full, higher keep). Then the model trained on
every batch but ``b`` decodes ``b``, scored the same way (letters only, gold
layout with "letter", and every document).

    PYTHONPATH=src:. python -m benchmarks.letter_lobo --cache /tmp/letters16/base [--write]

``--shipped`` scores the shipped weights with their own setting by the same scorer (the
baseline; in sample for the batches they were trained on); ``--mini`` adds session 26's
``mini_*`` features (``letter_decoder.mini_sims``: the consultation's sentence model's
cosines, cached as ``<set>.mini.pkl``); ``--drop`` zeroes features (an ablation).

``--write`` chooses the setting the same way over every batch and writes
``helpers/data/letter_decoder.json`` trained on every spent batch. Held-back
sets are refused (``letters_eval.tables``). Deterministic.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
from pathlib import Path

from benchmarks.letter_decoder import WEIGHTS, build, featurize, mini_sims, train
from benchmarks.letters_eval import ROOT, batch_of, letter_files, spent_sets, tables
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import learned, letterseq
from helpers.ingest.segment.vectors import run_encoder
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldrules import dont_know_rule
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.metrics import Scores, score_segmentation

log = logging.getLogger(__name__)

MODES = ("fill", "full")
KEEPS = (0.0, 0.5, 1.0, 2.0, 3.0)
CONTS = (0.0, 0.5, 1.0)
BACKS = (0.0, 1.0, 2.0)
LAMBDA = 3.0
C = 1.0


def grid() -> list[tuple]:
    """Settings, the most conservative first (fill, high keep): ties keep the first."""
    return [
        (m, k, c, b)
        for m, k, c, b in itertools.product(MODES, sorted(KEEPS, reverse=True), CONTS, BACKS)
    ]


class SetScorer:
    """One set's base counts and its letters' per-document counts under any labels."""

    def __init__(self, s: dict, cache: Path):
        name = s["name"]
        self.s = s
        cons = load_consultation(ROOT / name / "consultation.yaml")
        self.questions = tuple(cons.questions)
        self.qids = set(cons.question_ids)
        self.ids = [learned.NONE, *(q.id for q in self.questions)]
        self.numbers = {q.id: q.number for q in self.questions}
        t = tables(name, cache)
        gold = load_gold(ROOT / name)
        self.letters = letter_files(gold)
        recs = dont_know_rule(gold_responses(gold, "all", where=f"{name}/gold.yaml"), cons)
        self.rec = {r.file: r for r in recs}
        answers = t["answers"]
        self.rows = {str(k): g for k, g in answers.groupby("respondent_id", sort=False)}
        by_file = {str(r.source_file): r for r in t["respondents"].itertuples(index=False)}
        self.base = [0, 0, 0, 0, 0, 0, 0, 0]  # letters R hit, n, P hit, n; all R hit, n, P hit, n
        for rec in recs:
            r = by_file.get(rec.file)
            rows = self.rows.get(str(r.respondent_id)) if r is not None else None
            text = str(r.text) if r is not None else ""
            c = self._count(rec, text, rows if rows is not None else answers.iloc[0:0])
            for k in range(4):
                self.base[4 + k] += c[k]
                if rec.file in self.letters:
                    self.base[k] += c[k]
        self.memo: dict[tuple, tuple] = {}

    def _count(self, rec, text, rows) -> tuple[int, int, int, int]:
        sc = Scores("x", "all")
        score_segmentation(rec, text, rows, self.qids, sc)
        return sc.recall.hit, sc.recall.n, sc.precision.hit, sc.precision.n

    def doc_delta(self, d: dict, labels: list[int]) -> tuple[int, int, int, int]:
        """(dR hit, dR n, dP hit, dP n) of one letter under ``labels`` against the rules."""
        if labels == d["cur"]:
            return (0, 0, 0, 0)
        key = (d["rid"], tuple(labels))
        if key not in self.memo:
            import pandas as pd

            chosen = [self.ids[k] for k in labels]
            rows = self.rows[d["rid"]]
            rec = self.rec[d["file"]]
            if all(c == u.cur for c, u in zip(chosen, d["units"], strict=True)):
                self.memo[key] = (0, 0, 0, 0)
            else:
                rebuilt = learned.rebuild_rows(
                    d["rid"], d["text"], d["units"], chosen, self.numbers
                )
                new = letterseq._details(rows, rebuilt)
                a = self._count(rec, d["text"], pd.DataFrame(new))
                b = self._count(rec, d["text"], rows)
                self.memo[key] = tuple(x - y for x, y in zip(a, b, strict=True))
        return self.memo[key]

    def after(self, w: dict | None, setting: tuple) -> list[int]:
        """The set's eight counts with its letters decoded by ``w`` under ``setting``."""
        out = list(self.base)
        if w is None:
            return out
        for d in self.s["docs"]:
            dd = self.doc_delta(d, labels(d, self.s["ranks"], w, setting))
            for k in range(4):
                out[4 + k] += dd[k]
                if d["file"] in self.letters:
                    out[k] += dd[k]
        return out


def labels(d: dict, ranks, w: dict, setting: tuple) -> list[int]:
    """The decoder's choice index of every unit of one letter under ``setting``."""
    mode, keep, cont, back = setting
    f = d["features"]
    score = letterseq.with_keep(letterseq.emissions(f, w), f, keep)
    if mode == "fill":
        score = letterseq.fill_only(score, f, d["units"])
    return letterseq.decode(score, ranks, cont, back, d["on"])


def objective(sc: SetScorer, w: dict, setting: tuple) -> float:
    """Right-question hits gained plus ``LAMBDA`` times the precision-neutral balance."""
    a = sc.after(w, setting)
    b = sc.base
    p = b[6] / b[7] if b[7] else 1.0
    return (a[4] - b[4]) + LAMBDA * ((a[6] - b[6]) - p * (a[7] - b[7]))


def choose(scorers: list[SetScorer], models: dict[int, dict]) -> tuple:
    """The setting maximising the summed objective, each set decoded by its batch's model."""
    best, arg = None, grid()[0]
    for setting in grid():
        v = sum(objective(sc, models[batch_of(sc.s["name"])], setting) for sc in scorers)
        if best is None or v > best + 1e-9:
            best, arg = v, setting
    return arg


def show(sc: SetScorer, w: dict, setting: tuple) -> None:
    """Each letter the decoder changes: its (dR hit, dR n, dP hit, dP n) and its units'
    rules' -> decoder's -> gold labels, with each unit's first words."""
    for d in sc.s["docs"]:
        lab = labels(d, sc.s["ranks"], w, setting)
        if lab == d["cur"]:
            continue
        print(f"  {d['file']}: {sc.doc_delta(d, lab)}")
        for u, c, a, g in zip(d["units"], d["cur"], lab, d["gold"], strict=True):
            mark = "*" if c != a else " "
            words = " ".join(d["text"][u.start : u.end].split())[:70]
            print(f"   {mark} {sc.ids[c]:>12} -> {sc.ids[a]:<12} gold {sc.ids[g]:<12} {words}")


def _without(w: dict, drop: list[int]) -> dict:
    """Weights without the dropped features' columns (``letterseq.emissions`` reads only
    the columns the weights name, so the shipped file names only the features kept)."""
    keep = [i for i in range(len(w["features"])) if i not in set(drop)]
    return dict(w, **{k: [w[k][i] for i in keep] for k in ("features", "mean", "scale", "coef")})


def _c(hit: int, n: int) -> str:
    return f"{hit}/{n}" if n else "-"


def _cells(b: list[int], a: list[int]) -> str:
    return " ".join(f"{_c(b[k], b[k + 1]):>7} -> {_c(a[k], a[k + 1]):<7}" for k in range(0, 8, 2))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path)
    ap.add_argument("--set", action="append")
    ap.add_argument("--min-batch", type=int, default=2)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--lam", type=float, default=LAMBDA)
    ap.add_argument("--modes", default="fill,full")
    ap.add_argument("--keeps", default=",".join(map(str, KEEPS)))
    ap.add_argument("--backs", default=",".join(map(str, BACKS)))
    ap.add_argument("--conts", default=",".join(map(str, CONTS)))
    ap.add_argument("--show", action="store_true", help="list each changed letter")
    ap.add_argument("--drop", default="", help="features set to zero (an ablation)")
    ap.add_argument("--outer", type=int, nargs="*", help="score only these held-out batches")
    ap.add_argument("--shipped", action="store_true", help="score the shipped weights instead")
    ap.add_argument("--mini", action="store_true", help="compute the mini_* features (session 26)")
    args = ap.parse_args(argv)
    globals()["LAMBDA"] = args.lam
    globals()["MODES"] = tuple(args.modes.split(","))
    globals()["KEEPS"] = tuple(float(x) for x in args.keeps.split(","))
    globals()["BACKS"] = tuple(float(x) for x in args.backs.split(","))
    globals()["CONTS"] = tuple(float(x) for x in args.conts.split(","))
    drop = [letterseq.FEATURES.index(x) for x in args.drop.split(",") if x]
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    encode = run_encoder(letterseq.MODEL)
    names = args.set or [n for n in spent_sets() if batch_of(n) >= args.min_batch]
    sets = [build(n, args.cache, encode) for n in names]
    sets = [featurize(mini_sims(s, args.cache) if args.mini else s) for s in sets]
    for s in sets:
        for d in s["docs"]:
            d["features"][:, :, drop] = 0.0
    scorers = [SetScorer(s, args.cache) for s in sets]
    batches = sorted({batch_of(s["name"]) for s in sets})
    if args.write:
        models = {b: train([s for s in sets if batch_of(s["name"]) != b], C) for b in batches}
        mode, keep, cont, back = choose(scorers, models)
        w = _without(train(sets, C), drop)
        w.update(keep=keep, cont=cont, back=back, fill_only=mode == "fill", enabled=True)
        WEIGHTS.write_text(json.dumps(w, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}: {mode}, keep {keep}, cont {cont}, back {back}")
        return 0
    pair: dict[frozenset, dict] = {}
    up = [0, 0, 0, 0]
    down = [0, 0, 0, 0]
    total = [[0] * 8, [0] * 8]
    for b in args.outer or batches:
        inner = {}
        for c in batches if not args.shipped else ():
            if c == b:
                continue
            key = frozenset((b, c))
            if key not in pair:
                pair[key] = train([s for s in sets if batch_of(s["name"]) not in key], C)
            inner[c] = pair[key]
        if args.shipped:  # the shipped file and its own setting, the same scorer
            w = letterseq.load_decoder()
            setting = ("fill" if w.get("fill_only") else "full", w["keep"], w["cont"], w["back"])
        else:
            setting = choose([sc for sc in scorers if batch_of(sc.s["name"]) != b], inner)
            w = train([s for s in sets if batch_of(s["name"]) != b], C)
        bb, ba = [0] * 8, [0] * 8
        for sc in (sc for sc in scorers if batch_of(sc.s["name"]) == b):
            x, y = sc.base, sc.after(w, setting)
            if args.show:
                show(sc, w, setting)
            print(f"{sc.s['name']:16} {str(setting):24} {_cells(x, y)}", flush=True)
            bb = [p + q for p, q in zip(bb, x, strict=True)]
            ba = [p + q for p, q in zip(ba, y, strict=True)]
        print(f"{'batch ' + str(b):16} {'':24} {_cells(bb, ba)}", flush=True)
        for k in range(4):
            h, n = 2 * k, 2 * k + 1
            up[k] += ba[h] * bb[n] > bb[h] * ba[n] if ba[n] and bb[n] else ba[h] > bb[h]
            down[k] += ba[h] * bb[n] < bb[h] * ba[n] if ba[n] and bb[n] else ba[h] < bb[h]
        total = [
            [p + q for p, q in zip(total[0], bb, strict=True)],
            [p + q for p, q in zip(total[1], ba, strict=True)],
        ]
    print(f"{'total':16} {'':24} {_cells(*total)}")
    for k, name in enumerate(("letters R", "letters P", "all R", "all P")):
        print(f"{name}: {up[k]} batches better, {down[k]} worse, of {len(batches)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
