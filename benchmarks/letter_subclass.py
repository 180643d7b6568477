"""Letters' unplaced answers split by kind, per batch, at the decoder's own units (session 27).

Session 26's census (``benchmarks.letter_census``) found that most of the answers letters lose
are *unplaced*: most of the answer lies in no question's row. This splits those losses at the
level the letter decoder decides on (``segment.units``: blank-line paragraphs cut at the rules'
row bounds), decoded as ingest decodes them (shipped weights and setting, then
``shortmessage.opening_answer``). Each unit whose gold is a question (the gold answer holding
most of it, ``seg_training.gold_labels``) but which the decoder leaves under no question is:

* ``two in one``: gold gives at least :data:`PART` of the unit to each of two questions (one
  paragraph answering two questions);
* ``edge answer``: before the letter's first or after its last placed unit (or in a letter
  with nothing placed): an opening or closing paragraph that carries an answer;
* ``echo``: between placed units, and it names its gold question's topic words
  (``lex_lead`` or ``lex_para`` above 0) or refers to it (``explicit``);
* ``middle``: the rest.

For the edge reader's other side, units at the edges that gold gives to no question
(``courtesy``: greetings, introductions, sign-offs, campaign statements) are counted too, and
every two-in-one unit whatever the decoder did with it. Numbers are units and characters.
Sets are named from the batch numbers (``letters_eval.spent_sets``, which refuses held-back
sets). Deterministic::

    PYTHONPATH=src:. python -m benchmarks.letter_subclass --cache /tmp/letters/base [--verbose]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from functools import partial
from pathlib import Path

from benchmarks.letter_decoder import build, featurize
from benchmarks.letters_eval import ROOT, batch_of, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import letteredge, letterseq, shortmessage
from helpers.ingest.segment.letterfeatures import _IX
from helpers.ingest.segment.units import NONE
from helpers.ingest.segment.vectors import run_encoder
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.locate import Skeleton, overlap, size
from helpers.validate.devsets.metrics import _locate_all

log = logging.getLogger(__name__)

PART = 0.2  # a question holding this share of a unit answers in it


def decoded(d: dict, ranks, questions, w: dict, edge: dict | None = None) -> list[int]:
    """The shipped pass's choice index per unit (``letterseq.label_letter`` on cached units):
    emission, ``keep``, Viterbi, ``shortmessage``, then (session 28) the edge reader
    ``letteredge`` with ``edge`` (``None``: the shipped file; ``{}``: off)."""
    f = d["features"]
    score = letterseq.with_keep(letterseq.emissions(f, w), f, float(w.get("keep", 0.0)))
    if w.get("fill_only", False):
        score = letterseq.fill_only(score, f, d["units"])
    best = letterseq.decode(score, ranks, float(w["cont"]), float(w["back"]), d["on"])
    ids = [NONE, *(q.id for q in questions)]
    labels = [ids[b] for b in best]
    labels = shortmessage.opening_answer(d["text"], d["units"], labels, questions, d["cs"])
    edge = letteredge.load_edge() if edge is None else edge
    labels = letteredge.place_edges(d["text"], d["units"], questions, f, score, labels, edge, w)
    return [ids.index(x) for x in labels]


def _reason(d: dict, lab: list[int], questions, w: dict, i: int) -> str:
    """Why an unplaced edge answer stayed out (session 28): ``no candidate`` (too short, a
    heading, or no unanswered question fits the letter's order), ``candidate right, reader
    no`` or ``candidate wrong`` (the reader's candidate is another question: the gold
    question is answered elsewhere, out of order, or scored lower)."""
    ids = [NONE, *(q.id for q in questions)]
    f = d["features"]
    score = letterseq.with_keep(letterseq.emissions(f, w), f, float(w.get("keep", 0.0)))
    labels = [ids[a] for a in lab]
    for k, j, _ in letteredge.candidates(d["text"], d["units"], questions, f, score, labels):
        if k == i:
            if j == d["gold"][i]:
                return "candidate right, reader no"
            g = d["gold"][i]
            why = "answered elsewhere" if g in lab else "lower score or out of order"
            return f"candidate wrong ({why})"
    return "no candidate"


def gold_parts(text: str, units, rec) -> list[dict[str, float]]:
    """Per unit, each question's share of it under the gold answers."""
    doc = Skeleton(text)
    ranges = {q: [loc.range] for q, loc in _locate_all(rec, doc).items() if loc.range}
    out = []
    for u in units:
        span = [doc.range_of(u.start, u.end)]
        n = size(span) or 1
        out.append({q: overlap(span, r) / n for q, r in ranges.items() if overlap(span, r)})
    return out


def classify(
    d: dict, lab: list[int], parts: list[dict[str, float]], ids: list[str], reason=None
) -> list:
    """(unit index, class) of every unit of interest in one letter (module docstring);
    ``reason``: unit index -> why an unplaced edge answer stayed out (:func:`_reason`)."""
    placed = [i for i, a in enumerate(lab) if a]
    lo, hi = (placed[0], placed[-1]) if placed else (len(lab), -1)
    out = []
    for i, (a, g) in enumerate(zip(lab, d["gold"], strict=True)):
        edge = i < lo or i > hi
        two = sum(v >= PART for v in parts[i].values()) >= 2
        if two:
            out.append(
                (i, f"two in one, decoded {'none' if not a else 'right' if a == g else 'other'}")
            )
        if g and not a:
            if two:
                k = "unplaced: two in one"
            elif edge:
                k = "unplaced: edge answer " + ("first" if i < lo else "last")
                if reason is not None:
                    k += ": " + reason(i)
            else:
                f = d["features"][i, g]
                echo = f[_IX["lex_lead"]] > 0 or f[_IX["lex_para"]] > 0 or f[_IX["explicit"]] > 0
                k = "unplaced: echo" if echo else "unplaced: middle"
            out.append((i, k))
        elif g and a != g and not two:
            f = d["features"][i, g]
            echo = f[_IX["lex_lead"]] > 0 or f[_IX["lex_para"]] > 0 or f[_IX["explicit"]] > 0
            where = "edge" if i in (lo, hi) else "middle"
            out.append((i, f"wrong question: {where}, {'echo' if echo else 'no echo'}"))
        elif not g and edge and not parts[i]:
            out.append((i, "edge courtesy (gold none)"))
        elif not g and edge:
            out.append((i, "edge minor part of an answer"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, type=Path)
    ap.add_argument("--set", action="append")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--no-edge", action="store_true", help="without the edge reader (session 27)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    encode = run_encoder(letterseq.MODEL)
    w = letterseq.load_decoder()
    names = args.set or [n for n in spent_sets() if batch_of(n) >= 2]
    units, chars = Counter(), Counter()
    batches: dict[str, set[int]] = {}
    for name in names:
        s = featurize(build(name, args.cache, encode))
        questions = tuple(load_consultation(ROOT / name / "consultation.yaml").questions)
        ids = [NONE, *(q.id for q in questions)]
        recs = {r.file: r for r in gold_responses(load_gold(ROOT / name), "all", where=name)}
        for d in s["docs"]:
            lab = decoded(d, s["ranks"], questions, w, {} if args.no_edge else None)
            parts = gold_parts(d["text"], d["units"], recs[d["file"]])
            why = partial(_reason, d, lab, questions, w)
            for i, k in classify(d, lab, parts, ids, why):
                u = d["units"][i]
                units[k] += 1
                chars[k] += u.end - u.start
                batches.setdefault(k, set()).add(batch_of(name))
                if args.verbose:
                    words = " ".join(d["text"][u.start : u.end].split())[:70]
                    said = f"{ids[d['gold'][i]]}<-{ids[lab[i]]}"
                    print(f"  {name:15} {d['file'][:24]:24} {k:34} {said:>18} {words}")
    for k in sorted(units):
        b = sorted(batches[k])
        print(f"{units[k]:5d} units {chars[k]:7d} chars  {k:36} {len(b):2d} batches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
