"""Where a spent batch's theme recall is lost, by mechanism (issue 14, session 24).

``python -m benchmarks.theme_misses ROWS... --batch N [--verbose LISTING]``

Reads the out-of-fold rows ``theme_gbm`` reads, fits the shipped-recipe tree stacker on
every batch but ``N`` (``theme_gbm.fit_trees``: priors, neighbour votes and cut from
outside ``N``) and sorts every gold (answer, theme) pair of batch ``N`` the stacker does
not code on the *gold* text by ``miss_cause``. With ``--verbose`` (a
``helpers.validate.devsets evaluate --verbose`` listing of the same spent sets) each
pipeline miss is also sorted by ``pipeline_cause``: was the answer put under the wrong
question (a ``[recall]`` line for that question), and does the coder get it on the gold
text? That separates what segmentation costs from what the coder costs. ``--wrong``
(session 27) also lists the stacker's wrong codes on the gold text by theme and kind
(``wrong_codes``: classifier only, a dictionary code whose evidence is a list item, one
alone in its sentence). Spent batches only: the rows never hold a held-back set.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from benchmarks import theme_stacker as ts
from benchmarks.theme_gbm import fit_trees, listed
from benchmarks.theme_knn import load_rows

NEAR = 0.15  # a refusal stacked within this of the cut is "just under the cut"
LONG = 4  # sentences from which an answer is "long"
SENTENCE_SURE = 0.5  # a best sentence this sure, above the answer classifier


def miss_cause(r: dict, theme: str, stacked: float | None, cut: float) -> str | None:
    """Why the gold pair (``r``, ``theme``) is not coded on the gold text; None if it is.

    ``stacked``: the stacker's probability (None when the pair is no candidate). Causes,
    first that applies: ``not learned`` (no classifier for the theme under the question
    and the dictionary silent), ``no candidate`` (dictionary silent, both classifiers under
    the candidate floor: the wording is in neither patterns nor classifiers), ``veto`` (the
    dictionary fired, the stacker refused), ``long answer`` (classifier-only, an answer of
    ``LONG``+ sentences whose best sentence is at least ``SENTENCE_SURE`` and above the
    answer classifier: one sentence carries the point), ``near`` (stacked within ``NEAR`` of
    the cut) and ``far`` (everyday wording: neither patterns nor a confident classifier).
    """
    learned = theme in r["probs"]
    if stacked is not None and stacked >= cut:
        return None
    if not learned:
        return None if theme in r["dictionary"] else "not learned"
    if stacked is None:
        return "no candidate"
    if theme in r["dictionary"]:
        return "veto"
    pa, ps = r["probs"].get(theme, 0.0), r["sprobs"].get(theme, 0.0)
    if len(r["spans"]) >= LONG and ps >= SENTENCE_SURE and ps > pa:
        return "long answer"
    return "near" if stacked >= cut - NEAR else "far"


def wrong_codes(rows: list[dict], where: list[tuple], x, stacked, cut: float) -> Counter:
    """The stacker's wrong codes on the gold text by (set, theme, kind) (session 27).

    ``where``/``x``: ``theme_stacker.table``'s candidates of ``rows`` and their feature
    rows; ``stacked``: their probabilities. Kinds: ``classifier only`` (no pattern fired),
    ``dictionary, list item`` (every sentence the theme's patterns fire in is a list:
    another theme fires there too or it has two commas; ``theme_gbm.listed``) and
    ``dictionary, alone``. Dictionary codes of themes not learned, decided outside the
    stacker, are ``dictionary, not learned``.
    """
    out: Counter = Counter()
    lst = listed(x)
    for (i, t, d), q, li in zip(where, stacked, lst, strict=True):
        if q >= cut and t not in rows[i]["gold"]:
            kind = (
                "classifier only"
                if not d
                else "dictionary, list item"
                if li
                else "dictionary, alone"
            )
            out[(rows[i]["set"], t, kind)] += 1
    for r in rows:
        for t in sorted(set(r["dictionary"]) - set(r["probs"]) - set(r["gold"])):
            out[(r["set"], t, "dictionary, not learned")] += 1
    return out


def parse_verbose(lines: Iterable[str]) -> tuple[list[tuple[str, str, str, str]], dict]:
    """The pipeline's missed (set, document, question, theme) in a verbose listing, and per
    (set, document) the questions with a ``[recall]`` line (an answer not wholly under its
    question)."""
    current = doc = None
    misplaced: dict[tuple[str, str], set[str]] = defaultdict(set)
    misses = []
    for line in lines:
        if m := re.match(r"== (\S+) \(", line):
            current, doc = m.group(1), None
            continue
        if current is None or not line.strip() or line.startswith("answers under"):
            continue
        if not line.startswith(" "):
            doc = line.strip()
        elif doc and (m := re.match(r"\s+\[recall\] (\S+):", line)):
            misplaced[(current, doc)].add(m.group(1))
        elif doc and (m := re.match(r"\s+\[themes\] (\S+): missed \[(.*?)\]", line)):
            misses += [(current, doc, m.group(1), t) for t in re.findall(r"'(\w+)'", m.group(2))]
    return misses, misplaced


def pipeline_cause(miss: tuple[str, str, str, str], misplaced: dict, coded: dict) -> str:
    """``misplaced`` (segmentation moved the answer) or ``placed``, and whether the coder
    codes the pair on the gold text (``coded``: pair -> bool; absent = not a gold-text pair,
    e.g. the answer the gold has under a question the listing names differently)."""
    where = "misplaced" if miss[2] in misplaced.get(miss[:2], set()) else "placed"
    got = coded.get(miss)
    return f"{where}, " + ("coded on gold text" if got else "missed on gold text" if got is False
                           else "no gold-text pair")  # fmt: skip


FIRST_HELD_BACK = 31  # batch 31 onwards is held back: never read, scored or listed here


def refuse_held_back(paths: list[str], batch: int) -> None:
    """Raise before anything is read if ``batch`` or a set named in the rows is held back."""
    import json
    from pathlib import Path

    from benchmarks.theme_loo import HELD_BACK

    names = {json.loads(line)["set"] for p in paths
             for line in Path(p).read_text(encoding="utf-8").splitlines() if line}  # fmt: skip
    bad = sorted(n for n in names if n in HELD_BACK or ts.batch_of(n) >= FIRST_HELD_BACK)
    if batch >= FIRST_HELD_BACK or bad:
        raise SystemExit(f"refusing held-back data: batch {batch}, sets {bad}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--verbose", help="a devsets --verbose listing of the batch's sets")
    parser.add_argument("--wrong", action="store_true",
                        help="also the wrong codes on the gold text by theme and kind (session 27)")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    refuse_held_back(args.rows, args.batch)
    rows = load_rows(args.rows)
    test = [r for r in rows if r["batch"] == args.batch]
    held = {r["set"] for r in test}
    ts.attach_votes(rows, held)
    model = fit_trees([r for r in rows if r["batch"] != args.batch], held)
    pri = ts.priors(rows, held)
    x, _, where, _ = ts.table(test, lambda r: pri[r["consultation"]])
    stacked = {(i, t): q for (i, t, _), q in zip(where, model.probabilities(x), strict=True)}
    causes: Counter = Counter()
    coded: dict = {}
    counts: dict[str, Counter] = defaultdict(Counter)
    for i, r in enumerate(test):
        for t in sorted(r["gold"]):
            cause = miss_cause(r, t, stacked.get((i, t)), model.cut)
            coded[(r["set"], r["response"], r["question"], t)] = cause is None
            counts[r["set"]]["tp" if cause is None else "fn"] += 1
            if cause:
                causes[(r["set"], cause)] += 1
        got = {t for (j, t), q in stacked.items() if j == i and q >= model.cut}
        got |= {t for t in r["dictionary"] if t not in r["probs"]}
        counts[r["set"]]["fp"] += len(got - r["gold"])
    print(f"trees cut {model.cut}")
    for name, c in sorted(counts.items()):
        print(f"{name:16s} gold text {ts.prf(c)}")
    for (name, cause), n in sorted(causes.items()):
        print(f"  {name:16s} {cause:14s} {n}")
    if args.wrong:
        probs = model.probabilities(x) if len(x) else []
        wrong = wrong_codes(test, where, x, probs, model.cut)
        for (name, theme, kind), n in sorted(wrong.items()):
            print(f"  wrong {name:16s} {theme:32s} {kind:24s} {n}")
        kinds = Counter()
        for (name, _, kind), n in wrong.items():
            kinds[(name, kind)] += n
        for (name, kind), n in sorted(kinds.items()):
            print(f"  wrong {name:16s} {'(all themes)':32s} {kind:24s} {n}")
    if args.verbose:
        with open(args.verbose, encoding="utf-8") as fh:
            misses, misplaced = parse_verbose(fh)
        got = Counter((m[0], pipeline_cause(m, misplaced, coded)) for m in misses if m[0] in held)
        for (name, cause), n in sorted(got.items()):
            print(f"  pipeline {name:16s} {cause:36s} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
