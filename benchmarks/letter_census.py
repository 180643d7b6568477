"""Letters' right-question misses and misplaced rows by mechanism, per batch (session 26).

Issue 12's unheaded letters and e-mails: which mechanism loses a letter's answers once the
whole pipeline (rules, then the shipped letter decoder ``segment.letterseq``) has read it.
Each gold answer of a letter (gold layout with "letter", ``letters_eval.letter_files``) that
the evaluator counts as not under its question (``devsets.metrics.score_segmentation``'s
recall test: under 90 % of its characters in rows of its question) is put in one class:

* ``unplaced``: most of what is not under its question is in no question's row (preamble,
  closing, unstructured, or no row at all);
* ``two in one paragraph``: most of it is in a row of another question whose characters are
  also at least a quarter inside that other question's own gold answer (one paragraph, or
  one row, holds two answers and went to the other one's question);
* ``wrong question``: most of it is under another question, a row that is not the other
  question's answer;
* ``not found``: the gold answer is not located in the text read (an ingest loss).

Each system row under a question that the evaluator's precision test fails is one of:

* ``courtesy placed (first|last|middle)``: under half of the row is inside any gold answer
  (an opening, a self-description, a sign-off or a campaign statement filed as an answer),
  by where it sits among the letter's question rows;
* ``misplaced answer``: the rest (most of it another question's answer: the other side of
  ``wrong question`` / ``two in one paragraph``).

Every other document's misses are counted too, so the letters' share of all right-question
misses is stated. Tables come from ``letters_eval.tables`` (run ingest with the decoder off,
``--rules-only``, then ``letters_eval.with_decoder`` re-reads the letters as ingest would);
sets are named explicitly (``--set``) or ``letters_eval.spent_sets`` (refuses held-back
sets). Deterministic::

    PYTHONPATH=src:. python -m benchmarks.letter_census --cache /tmp/letters26/base \
        --set ofsted-docs-28 --set transport-28 [--verbose]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from benchmarks.letters_eval import ROOT, batch_of, letter_files, spent_sets, tables, with_decoder
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import GoldResponse, gold_responses
from helpers.validate.devsets.locate import Skeleton, furniture_ranges, overlap, size, subtract
from helpers.validate.devsets.metrics import COVERAGE, _locate_all, _substantive

log = logging.getLogger(__name__)

SHARED = 0.25  # a row this much inside its own question's gold answer holds that answer too
COURTESY = 0.5  # a row under this share inside every gold answer is no answer's text


def classify_answer(
    question: str,
    target: tuple[int, int],
    sys_by_q: dict[str, list[tuple[int, int]]],
    gold_by_q: dict[str, list[tuple[int, int]]],
) -> str | None:
    """One gold answer's class (module docstring), ``None`` when it is under its question."""
    whole = size([target])
    if not whole:
        return None
    own = overlap([target], sys_by_q.get(question, []))
    if own / whole >= COVERAGE:
        return None
    best_q, best = None, 0
    for q, rngs in sys_by_q.items():
        if q == question:
            continue
        if (o := overlap([target], rngs)) > best:
            best_q, best = q, o
    rest = whole - own
    if best_q is None or best * 2 < rest:
        return "unplaced"
    rows = [r for r in sys_by_q[best_q] if overlap([target], [r])]
    inside = overlap(rows, gold_by_q.get(best_q, []))
    if size(rows) and inside / size(rows) >= SHARED:
        return "two in one paragraph"
    return "wrong question"


def classify_row(
    body: list[tuple[int, int]], q: str, gold_by_q: dict[str, list[tuple[int, int]]], where: str
) -> str | None:
    """One system row's class (module docstring), ``None`` when the precision test holds.
    ``body``: the row's ranges less furniture (``locate.furniture_ranges``), as the
    evaluator scores it."""
    z = size(body)
    if not z:
        return None
    if overlap(body, gold_by_q.get(q, [])) / z >= COVERAGE:
        return None
    any_gold = overlap(body, [r for rs in gold_by_q.values() for r in rs])
    if any_gold / z < COURTESY:
        return f"courtesy placed ({where})"
    return "misplaced answer"


def census_doc(
    gold: GoldResponse, text: str, rows: pd.DataFrame, qids: set[str]
) -> tuple[list[tuple[str, str, str]], int]:
    """(class, question, snippet) of every miss and misplaced row of one document, and its
    number of scored gold answers."""
    doc = Skeleton(text)
    located = _locate_all(gold, doc)
    gold_by_q = {q: [loc.range] for q, loc in located.items() if loc.range is not None}
    sys_by_q: dict[str, list[tuple[int, int]]] = {}
    for r in rows.itertuples(index=False):
        if str(r.question_id) in qids:
            sys_by_q.setdefault(str(r.question_id), []).append(
                doc.range_of(int(r.start), int(r.end))
            )
    out: list[tuple[str, str, str]] = []
    n = 0
    for a in gold.answers:
        if not a.substantive or not a.text.strip():
            continue
        n += 1
        loc = located[a.question]
        words = " ".join(a.text.split())[:80]
        if loc.range is None:
            out.append(("not found", a.question, words))
            continue
        k = classify_answer(a.question, loc.range, sys_by_q, gold_by_q)
        if k:
            out.append((k, a.question, words))
    gold_non = {a.question for a in gold.answers if not a.substantive}
    subst = _substantive(rows)
    placed = [
        i
        for i, r in enumerate(rows.itertuples(index=False))
        if str(r.question_id) in qids
        and str(r.question_id) not in gold_non
        and (subst is None or subst[i])
    ]
    for i in placed:
        r = rows.iloc[i]
        where = "first" if i == placed[0] else "last" if i == placed[-1] else "middle"
        start, end = int(r["start"]), int(r["end"])
        body = subtract([doc.range_of(start, end)], furniture_ranges(doc, start, end))
        k = classify_row(body, str(r["question_id"]), gold_by_q, where)
        if k:
            out.append(
                (k, str(r["question_id"]), " ".join(text[r["start"] : r["end"]].split())[:80])
            )
    return out, n


def census_set(name: str, t: dict) -> tuple[Counter, Counter, list[str]]:
    """(letters' classes, other documents' recall-miss classes, verbose lines) of one set."""
    set_dir = ROOT / name
    gold = load_gold(set_dir)
    cons = load_consultation(set_dir / "consultation.yaml")
    qids = set(cons.question_ids)
    letters = letter_files(gold)
    resp = t["respondents"]
    by_file = {str(r.source_file): r for r in resp.itertuples(index=False)}
    groups = {str(k): g for k, g in t["answers"].groupby("respondent_id", sort=False)}
    let, other, lines = Counter(), Counter(), []
    for rec in gold_responses(gold, "all", where=str(set_dir / "gold.yaml")):
        r = by_file.get(rec.file)
        if r is None or rec.row is not None:
            continue
        rows = groups.get(str(r.respondent_id), t["answers"].iloc[0:0])
        found, n = census_doc(rec, str(r.text), rows.reset_index(drop=True), qids)
        is_letter = rec.file in letters
        counter = let if is_letter else other
        counter["answers"] += n
        for k, q, words in found:
            counter[k] += 1
            if is_letter:
                lines.append(f"  {name} {rec.file[:30]:30} {k:28} {q:>10}  {words}")
    return let, other, lines


RECALL = ("unplaced", "wrong question", "two in one paragraph", "not found")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path, help="rules-only ingest tables")
    ap.add_argument("--set", action="append", help="one spent set (repeatable)")
    ap.add_argument("--no-decoder", action="store_true", help="score the rules alone")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    names = args.set or [n for n in spent_sets() if batch_of(n) >= 2]
    tot_let, tot_other = Counter(), Counter()
    batches: dict[str, set[int]] = {}
    out = sys.stdout
    for name in names:
        t = tables(name, args.cache)
        if not args.no_decoder:
            t = with_decoder(name, t)
        let, other, lines = census_set(name, t)
        for k, v in let.items():
            if k != "answers" and v:
                batches.setdefault(k, set()).add(batch_of(name))
        tot_let.update(let)
        tot_other.update(other)
        if args.verbose:
            out.write("\n".join(lines) + ("\n" if lines else ""))
        miss = sum(let[k] for k in RECALL)
        omiss = sum(other[k] for k in RECALL)
        out.write(
            f"{name:16} letters {miss}/{let['answers']} missed, others {omiss}/"
            f"{other['answers']}: {dict((k, v) for k, v in let.items() if k != 'answers')}\n"
        )
        out.flush()
    miss = sum(tot_let[k] for k in RECALL)
    omiss = sum(tot_other[k] for k in RECALL)
    out.write(
        f"\nletters: {miss} of {tot_let['answers']} gold answers missed; other documents:"
        f" {omiss} of {tot_other['answers']}; letters' share of misses "
        f"{miss / max(1, miss + omiss):.1%}\n"
    )
    for k, v in sorted(tot_let.items(), key=lambda kv: (-len(batches.get(kv[0], ())), -kv[1])):
        if k == "answers":
            continue
        b = sorted(batches.get(k, ()))
        out.write(f"{v:5d}  {k:28} in {len(b):2d} batches: {b}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
