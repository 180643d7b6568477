"""False alarms of the reservation finder by mechanism, over every spent item set (session 28).

    PYTHONPATH=src python -m benchmarks.reservation_fa_census rows.jsonl oof.pkl [--t=0.325] [--verbose]

``rows.jsonl`` is a collection (``benchmarks.reservation_collect``), ``oof.pkl`` each set's sentence
scores from a finder that never saw the set (``benchmarks.reservation_loso``). A row is flagged when its
best sentence scores at least ``--t`` (or the writer's own split is read); a false alarm is a flag the
gold does not hold. Each false alarm's best sentence is read by the mechanisms of
:mod:`helpers.stance.reservation_cues` (every one that fits, and the first in the order of
``MECHANISMS``), with the rows that the sets' tags or the stance explain first. The census ranks the
mechanisms by the number of sets showing them, and for each gives the gold's own rate among every
answered row whose best sentence shows it (how consistently the writers label the shape).

Held-back sets are refused.
"""

from __future__ import annotations

import collections
import pickle
import sys

import numpy as np

from benchmarks import reservation_train as rt
from benchmarks.reservation_collect import _forbidden
from benchmarks.reservation_cues import MECHANISMS, mechanisms
from benchmarks.reservation_errors import REPORTED, _stance_wrong
from benchmarks.reservation_loso import mark_splits


def rows_with_scores(path: str, oof_path: str) -> list[dict]:
    """The collection's rows, each with ``_p`` (its sentence scores out of set, or None)."""
    rows = rt.load(path)
    if any(_forbidden(r["set"]) for r in rows):
        raise SystemExit("a held-back set is in the collection; never read")
    oof = pickle.load(open(oof_path, "rb"))
    got = {(n, i, q): p for n, triples in oof.items() for i, q, p in triples}
    mark_splits(rows)
    for r in rows:
        r["_p"] = got.get((r["set"], r["item"], r["question"]))
    return [r for r in rows if r["set"] in oof]


def context_class(r: dict) -> str | None:
    """What explains a false alarm before its sentence is read: tags or a wrong stance."""
    tags = set(r["tags"])
    if {"tick_conflict", "tick_agrees_but"} & tags:
        return "tick vs text"
    if _stance_wrong(r):
        return "stance wrong"
    if r["kind"] == "letter":
        return "letter"
    if REPORTED & tags:
        return "reported (tag)"
    return None


def _where(r: dict, b: int) -> str:
    """The read direction (for / against / other) and the best sentence's place: the stance
    sentence itself, another sentence, or an answer with no stance sentence."""
    d = {"agree": "for", "strongly_agree": "for", "disagree": "against"}.get(r["stance"], "other")
    d = "against" if r["stance"] == "strongly_disagree" else d
    place = (
        "no stance sentence"
        if r["ev"] is None
        else "stance sentence"
        if b == r["ev"]
        else "another sentence"
    )
    return f"{d}, {place}"


def main(argv: list[str]) -> None:
    t = float(next((a.split("=", 1)[1] for a in argv if a.startswith("--t=")), 0.325))
    rows = rows_with_scores(argv[0], argv[1])
    fa_any: dict[str, list] = collections.defaultdict(list)
    fa_first: collections.Counter = collections.Counter()
    fa_first_sets: dict[str, set] = collections.defaultdict(set)
    fires: dict[str, list[bool]] = collections.defaultdict(list)
    n_fa = 0
    rest: collections.Counter = collections.Counter()
    for r in rows:
        p = r["_p"]
        if p is None or len(p) == 0:
            continue
        b = int(np.argmax(p))
        flag = bool(p[b] >= t or r["_split"])
        found = mechanisms(r["sents"], b, r["ev"], r["stance"])
        for m in found:
            fires[m].append(bool(r["gold"]))
        if not flag or r["gold"]:
            continue
        n_fa += 1
        ctx = context_class(r)
        first = ctx or (found[0] if found else "none of these")
        fa_first[first] += 1
        fa_first_sets[first].add(r["set"])
        if first == "none of these":
            rest[_where(r, b)] += 1
        for m in found:
            fa_any[m].append((r["set"], r["item"], r["sents"][b]))
    print(f"{len(rows)} rows, {len({r['set'] for r in rows})} sets, {n_fa} false alarms at t={t}")
    print("\nfirst class that fits (context first, then mechanisms in order):")
    for c, n in sorted(fa_first.items(), key=lambda kv: (-len(fa_first_sets[kv[0]]), -kv[1])):
        print(f"  {c:28s} {n:4d}  sets {len(fa_first_sets[c])}")
    print("\nnone of these, by the writer's read direction and where the best sentence stands:")
    for c, n in rest.most_common():
        print(f"  {c:36s} {n:4d}")
    print(
        "\nevery mechanism that fits a false alarm's sentence; gold rate where it fires (answered rows):"
    )
    for m in sorted(MECHANISMS, key=lambda m: -len({s for s, _, _ in fa_any[m]})):
        g = fires[m]
        sets = {s for s, _, _ in fa_any[m]}
        rate = f"{sum(g)}/{len(g)} ({sum(g) / len(g):.2f})" if g else "-"
        print(f"  {m:28s} false alarms {len(fa_any[m]):4d}  sets {len(sets):2d}  gold true {rate}")
        if "--verbose" in argv:
            for s, i, sent in fa_any[m][:12]:
                print(f"      {s} {i}: {sent[:150]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
