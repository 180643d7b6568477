"""Score every spent set's stance as the pipeline ships it, and keep each case for reading.

    PYTHONPATH=src python -m benchmarks.stance_census OUT_DIR SET[:split] ... [--table-only]

For each set: the ordinary evaluation (item sets through ``itemeval``, document sets
through ``evaluate_set``, the theme coders skipped: they change no stance row), the
gate and every shipped layer on. Writes ``OUT_DIR/<set>.jsonl`` (the cases as
``stance_collect`` writes them, plus the item tags) and prints one line per set:
cases, acceptable, direction, tick-box, and the direction confusion (gold class →
system class, errors only). ``--table-only`` re-prints the table from the JSONL files
already in ``OUT_DIR`` (no evaluation). ``--reread`` reads every text row of those files
again with the current rules, the off-topic check, the comparisons (session 15) and the
gate (as ``stance.table`` does, on the text the row was read from), keeps every other row,
and prints each set before → after with the rows fixed and broken (``--list`` prints them): a fast check of a rule
change, to be confirmed by a full run. Held-back sets are refused (``stance_collect``).
``--raw`` keeps each row's confidence as the readers state it, before the shipped map
(``stance.calibration``, session 22): the input ``benchmarks.stance_calibrate`` fits.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

from benchmarks import stance_collect as sc
from helpers import stance
from helpers.validate.devsets import evaluate, itemeval, scoring
from helpers.validate.devsets.stancescore import direction

log = logging.getLogger(__name__)

CLASSES = ("agree", "neutral", "disagree", "none")


def _install() -> None:
    has = evaluate._has
    evaluate._has = lambda records, attr: attr != "themes" and has(records, attr)
    stance.stance_answers = sc._wrap_stance(stance.stance_answers)
    itemeval.add_stance_scores = sc._wrap_cases(itemeval.add_stance_scores)
    scoring.add_stance_scores = sc._wrap_cases(scoring.add_stance_scores)


def said(r: dict) -> str:
    return r["row"]["stance"] if r["row"] else "not_answered"


def verdict(r: dict, stance_: str | None = None) -> tuple[bool, bool]:
    """(acceptable, direction right) of ``stance_`` (default: what the system said)."""
    s = stance_ or said(r)
    golds = {r["gold"], *r["stance_ok"]}
    return s in golds, direction(s) in {direction(g) for g in golds}


def line(name: str, recs: list[dict]) -> str:
    n = len(recs)
    acc = sum(verdict(r)[0] for r in recs)
    dirn = sum(verdict(r)[1] for r in recs)
    ticks = [r for r in recs if r.get("tick")]
    tick = sum(said(r) == r["tick"] for r in ticks)
    conf = Counter((direction(r["gold"]), direction(said(r))) for r in recs if not verdict(r)[1])
    cs = " ".join(f"{g[:3]}>{s[:3]}:{k}" for (g, s), k in sorted(conf.items()))
    return (
        f"{name:18s} {n:5d}  acc {acc / n:6.1%}  dir {dirn / n:6.1%}  "
        f"tick {tick}/{len(ticks)}  {cs}"
    )


def reread(recs: list[dict]) -> list[str]:
    """Each text row's stance read again with the current code (the rows' own texts)."""
    return [st for st, _ in reread_full(recs)]


def reread_full(recs: list[dict]) -> list[tuple[str, float | None]]:
    """(stance, confidence) of each row, every text row read again with the current code as
    ``stance.table`` reads it: rules, off-topic check, comparisons (session 15), gate."""
    from benchmarks.stance_gate import _consultation, _consultation_path, vocabulary
    from helpers.stance import gate
    from helpers.stance.comparison import by_comparison, question_words
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stance
    from helpers.stance.topic import about_something_else

    out = [(said(r), r["row"]["confidence"] if r["row"] else None) for r in recs]
    todo = [i for i, r in enumerate(recs)
            if r["row"] and r["row"]["method"] == "text" and r["text"]]  # fmt: skip
    gated = []
    for i in todo:
        r = recs[i]
        nr = refine(r["text"], infer_stance(r["text"]))
        vocab = vocabulary(r)
        if nr.direction != 0 and about_something_else(nr.evidence, vocab):
            out[i] = ("not_answered", 0.35)
            gated.append(i)
            continue
        words = question_words(_consultation(str(_consultation_path(r))), r["question"])
        nr = by_comparison(r["text"], [(0, len(r["text"]))], nr, words)
        out[i] = (nr.stance, nr.confidence)
        if nr.stance == "not_answered":
            gated.append(i)
    texts = [gate.without_courtesies(recs[i]["text"]) for i in gated]
    for i, got in zip(gated, gate.read(texts, [vocabulary(recs[i]) for i in gated]), strict=True):
        if got is not None:
            out[i] = got
    return out


def _reread_report(name: str, recs: list[dict], listing: bool) -> Counter:
    new = reread(recs)
    cnt = Counter()
    for r, s in zip(recs, new, strict=True):
        a, b = verdict(r), verdict(r, s)
        cnt.update(n=1, acc0=a[0], dir0=a[1], acc1=b[0], dir1=b[1],
                   fixed=b[1] and not a[1], broke=a[1] and not b[1])  # fmt: skip
        if listing and a != b:
            tag = "FIXED" if b[1] > a[1] or b[0] > a[0] else "BROKE"
            print(f"  {tag} {r['name']} {r['question']} gold {r['gold']} {said(r)} -> {s}: "
                  f"{(r['text'] or '')[:160]!r}")  # fmt: skip
    n = cnt["n"]
    print(f"{name:18s} {n:5d}  acc {cnt['acc0'] / n:6.1%} -> {cnt['acc1'] / n:6.1%}  "
          f"dir {cnt['dir0'] / n:6.1%} -> {cnt['dir1'] / n:6.1%}  "
          f"dir fixed {cnt['fixed']} broken {cnt['broke']}", flush=True)  # fmt: skip
    return cnt


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    table_only = "--table-only" in argv or "--reread" in argv
    specs = [a for a in argv[1:] if not a.startswith("--")]
    if not table_only:
        _install()
    if "--raw" in argv:  # the readers' own confidence, for fitting the map (session 22)
        from helpers.stance import calibration

        calibration.CALIBRATE = False
    everything: list[dict] = []
    tot: Counter = Counter()
    for spec in specs:
        name, _, split = spec.partition(":")
        path = out / f"{name}.jsonl"
        if table_only:
            recs = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        else:
            recs = sc.collect(name, split or "all")
            for rec, case in zip(recs, sc._cases, strict=True):
                rec["tags"] = list(case.tags)
            path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        everything += recs
        if "--reread" in argv:
            tot.update(_reread_report(name, recs, "--list" in argv))
        else:
            print(line(name, recs), flush=True)
    if "--reread" in argv:
        n = tot["n"]
        print(f"ALL {n} acc {tot['acc0'] / n:.4f} -> {tot['acc1'] / n:.4f} dir "
              f"{tot['dir0'] / n:.4f} -> {tot['dir1'] / n:.4f} fixed {tot['fixed']} "
              f"broken {tot['broke']}")  # fmt: skip
        return
    if everything:
        print(line("ALL", everything))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main(sys.argv[1:])
