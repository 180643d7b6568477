"""Letters' closed-question stance errors by class, every spent item set and document set (session 28).

Issue 13's letters (method ``unstructured``: a closed question's stance read from a letter with
no question headings). Each scored gold stance of a letter is compared with what the pipeline
says, and every wrong one (not in the gold's acceptable stances) is put in one class:

* ``not_answered, addressed``: the gold takes a side (agree / disagree, either strength) and the
  pipeline says ``not_answered``: the letter addresses the proposal and nothing read it;
* ``side on unaddressed``: the gold is ``not_answered`` (the letter never addresses the
  question) and the pipeline gives a side;
* ``side for neither / dont_know``: the gold is neither or don't know, the pipeline a side;
* ``direction flip``: both take a side, opposite ones;
* ``other``: the rest (a side read as neither or don't know, neither read as not answered).

Each error also names the method of the system row (``unstructured``, ``paragraph``,
``implied``...) so where the wrong reading came from is seen. Rows come from
``benchmarks.letter_implied`` (the item sets' letter items, ``<set>.<stem>.pkl`` ingest tables
in ``--cache``; the document sets' gold-letter stances from ``letters_eval`` rules-only tables
in ``--doc-cache`` re-read by the shipped decoder). Held-back sets are refused by those
helpers' spent lists. Deterministic::

    PYTHONPATH=src:. python -m benchmarks.letter_stance_census --cache DIR --doc-cache DIR2 \
        [--set NAME ...] [--doc-set NAME ...] [--verbose]
"""

from __future__ import annotations

import argparse
import logging
import pickle
import sys
from collections import Counter
from pathlib import Path

from benchmarks.letter_implied import ROOT, SIDE, SPENT, SPENT_DOCS
from helpers import stance
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.itemeval import _file_name
from helpers.validate.devsets.items import load_item_set
from helpers.validate.devsets.stancescore import system_rows

log = logging.getLogger(__name__)


def classify(gold: str, ok: set[str], said: str) -> str | None:
    """One letter stance's error class (module docstring), ``None`` when acceptable."""
    if said in ok:
        return None
    g, s = SIDE.get(gold), SIDE.get(said)
    if g and said == "not_answered":
        return "not_answered, addressed"
    if gold == "not_answered" and s:
        return "side on unaddressed"
    if gold in ("neither", "dont_know") and s:
        return "side for neither / dont_know"
    if g and s and g != s:
        return "direction flip"
    return "other"


def _row(got: dict, rid: str | None, q: str) -> tuple[str, str, str]:
    row = got.get((rid, q)) if rid else None
    if not row:
        return "not_answered", "-", ""
    ev = " ".join(str(row.get("evidence_quote") or row.get("evidence") or "").split())[:70]
    return str(row["stance"]), str(row.get("method", "-")), ev


def item_errors(name: str, cache: Path) -> tuple[int, list[tuple]]:
    """(letter items, [(set, item, class, gold, said, method, evidence)]) of one item set."""
    if name not in SPENT:
        raise SystemExit(f"{name}: not a spent item set (held back or unknown); never read")
    n, out = 0, []
    for f in load_item_set(ROOT / name):
        items = [i for i in f.items if i.kind == "letter"]
        p = cache / f"{name}.{f.path.stem}.pkl"
        if not items or not p.is_file():
            continue
        answers, respondents = pickle.loads(p.read_bytes())
        got = system_rows(stance.stance_answers(answers, respondents, f.consultation))
        by_file = {str(r.source_file): str(r.respondent_id)
                   for r in respondents.itertuples(index=False)}  # fmt: skip
        for k, i in enumerate(items):
            n += 1
            said, method, ev = _row(got, by_file.get(_file_name(k, i.id)), i.question)
            if c := classify(i.stance, {i.stance, *i.stance_ok}, said):
                out.append((name, i.id, c, i.stance, said, method, ev))
    return n, out


def doc_errors(name: str, cache: Path) -> tuple[int, list[tuple]]:
    """The same for one spent document set's gold-letter stances (scored ones only)."""
    from benchmarks.letters_eval import letter_files, tables, with_decoder

    if name not in SPENT_DOCS:
        raise SystemExit(f"{name}: not a spent document set (held back or unknown); never read")
    t = with_decoder(name, tables(name, cache))
    cons = load_consultation(ROOT / name / "consultation.yaml")
    gold = load_gold(ROOT / name)
    keep = letter_files(gold)
    got = system_rows(stance.stance_answers(t["answers"], t["respondents"], cons))
    by_file = {str(r.source_file): str(r.respondent_id)
               for r in t["respondents"].itertuples(index=False)}  # fmt: skip
    closed = {q.id for q in cons.closed_questions}
    n, out = 0, []
    for rec in gold_responses(gold, "all", where=f"{name}/gold.yaml"):
        if rec.file not in keep or rec.row is not None:
            continue
        for a in rec.answers:
            if a.question not in closed or a.stance is None:
                continue
            n += 1
            said, method, ev = _row(got, by_file.get(rec.file), a.question)
            if c := classify(a.stance, {a.stance, *a.stance_ok}, said):
                out.append((name, f"{rec.file}:{a.question}", c, a.stance, said, method, ev))
    return n, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, help="item sets' letter ingest tables")
    ap.add_argument("--doc-cache", type=Path, help="document sets' rules-only tables")
    ap.add_argument("--set", action="append")
    ap.add_argument("--doc-set", action="append")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    runs = []
    if args.cache:
        runs += [(n, item_errors, args.cache) for n in args.set or SPENT]
    if args.doc_cache:
        runs += [(n, doc_errors, args.doc_cache) for n in args.doc_set or SPENT_DOCS[2:]]
    classes: dict[str, Counter] = {"items": Counter(), "docs": Counter()}
    where: dict[tuple[str, str], set[str]] = {}
    for name, fn, cache in runs:
        kind = "items" if fn is item_errors else "docs"
        n, errs = fn(name, cache)
        classes[kind]["scored"] += n
        for e in errs:
            classes[kind][e[2]] += 1
            classes[kind][f"{e[2]} via {e[5]}"] += 1
            where.setdefault((kind, e[2]), set()).add(name)
            if args.verbose:
                print(
                    f"  {e[0]:16} {e[1][:44]:44} {e[2]:28} {e[3]:>17} <- {e[4]:17} {e[5]:12} {e[6]}"
                )
        print(f"{name:16} {n:4d} scored, {len(errs):3d} wrong", flush=True)
    for kind, c in classes.items():
        print(f"\n{kind}: {c['scored']} scored")
        for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
            if k != "scored":
                sets = len(where.get((kind, k), ())) if " via " not in k else ""
                print(f"  {v:4d}  {k} {f'({sets} sets)' if sets else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
