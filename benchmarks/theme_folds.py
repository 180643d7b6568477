"""The leave-one-batch-out loop the stacker benchmarks share (``theme_knn``, ``theme_variants``).

Every variant script does the same: for each batch N (``ofsted-docs-N`` and ``transport-N``
together) it prepares per-batch state from the rows outside N (neighbour votes, priors,
fitted stackers), decides each consultation's part of N with every variant, counts micro
tp / fp / fn against the gold, and prints per set, per batch and pooled P / R / F1 with
the sets and batches each variant is better / worse on than the reference rules. Only
the preparation and the decisions differ; they are the ``setup`` callable ``run`` takes.

``setup(b, held, train)`` returns ``(decide, note)``: ``decide(c, part)`` maps each variant
name to the coded theme sets of ``part`` (consultation ``c``'s rows of batch ``b``), and
``note`` is printed after the batch line. ``dict`` and ``union`` (``theme_stacker.rule``:
the dictionary alone and the pre-stacker union rule) are always scored. Written for
issue 14 (session 20), from the copies in ``theme_knn`` and ``theme_variants``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import theme_stacker as ts

Decide = Callable[[str, list[dict]], dict[str, list[set]]]
Setup = Callable[[int, set[str], list[dict]], tuple[Decide, str]]


class Tally:
    """Per-consultation and per-batch counts of every variant, and its wins and losses."""

    def __init__(self, kinds: Sequence[str], bases: Sequence[str] = ("union", "stack")):
        self.kinds = list(kinds)
        self.bases = [b for b in bases if b in self.kinds]
        self.totals = {(c, k): Counter() for c in ts.UNION for k in self.kinds}
        self.wins: Counter = Counter()
        self.per_set: dict[str, dict[str, Counter]] = {}
        self.records: list[tuple[int, str, str, dict[str, dict[str, int]]]] = []

    def _win(self, scope: str, counts: dict[str, Counter]) -> None:
        for k in self.kinds:
            for base in self.bases:
                d = ts.f1(counts[k]) - ts.f1(counts[base])
                self.wins[(scope, k, base, "better")] += d > 1e-9
                self.wins[(scope, k, base, "worse")] += d < -1e-9

    def add_set(self, c: str, part: list[dict], got: dict[str, list[set]]) -> dict[str, Counter]:
        counts = {k: ts.count(part, got[k]) for k in self.kinds}
        self.add_counts(part[0]["batch"], c, part[0]["set"], counts)
        return counts

    def add_counts(self, b: int, c: str, name: str, counts: dict[str, Counter]) -> None:
        """One set's counts (``add_set`` without the decisions; ``merge`` replays these)."""
        self.records.append((b, c, name, {k: dict(v) for k, v in counts.items()}))
        for k in self.kinds:
            self.totals[(c, k)].update(counts[k])
        self._win(c, counts)
        self.per_set[name] = counts
        print(f"{name:16s} " + "  ".join(f"{k} {ts.prf(counts[k])}" for k in self.kinds),
              flush=True)  # fmt: skip

    def dump(self, path: str) -> None:
        """The per-set counts as JSON, for ``merge`` (a long run split over processes)."""
        Path(path).write_text(json.dumps({"kinds": self.kinds, "records": self.records}))

    def add_batch(self, b: int, batch: dict[str, Counter], note: str = "") -> None:
        self._win("batch", batch)
        print(f"batch {b:<10d} " + "  ".join(f"{k} {ts.prf(batch[k])}" for k in self.kinds)
              + (f"  ({note})" if note else ""), flush=True)  # fmt: skip

    def report(self, width: int = 16) -> None:
        for c in (*ts.UNION, "batch"):
            if c != "batch":
                print(f"pooled {c:12s} "
                      + "  ".join(f"{k} {ts.prf(self.totals[(c, k)])}" for k in self.kinds))  # fmt: skip
            for k in self.kinds[2:]:
                print(f"  {c:12s} {k:{width}s} " + "  ".join(
                    f"vs {base} +{self.wins[(c, k, base, 'better')]}"
                    f"/-{self.wins[(c, k, base, 'worse')]}" for base in self.bases))  # fmt: skip
        both = {k: self.totals[("transport", k)] + self.totals[("ofsted-docs", k)]
                for k in self.kinds}  # fmt: skip
        print("pooled both        " + "  ".join(f"{k} {ts.prf(both[k])}" for k in self.kinds))


def merge(paths: Sequence[str], bases: Sequence[str] = ("union", "stack")) -> Tally:
    """The tally of several ``Tally.dump`` files (disjoint batches), reported as one run."""
    dumps = [json.loads(Path(p).read_text()) for p in paths]
    tally = Tally(dumps[0]["kinds"], bases)
    records = sorted((tuple(r) for d in dumps for r in d["records"]), key=lambda r: r[0])
    for b in dict.fromkeys(r[0] for r in records):
        batch = {k: Counter() for k in tally.kinds}
        for _, c, name, counts in (r for r in records if r[0] == b):
            counts = {k: Counter(v) for k, v in counts.items()}
            tally.add_counts(b, c, name, counts)
            for k, v in counts.items():
                batch[k].update(v)
        tally.add_batch(b, batch)
    tally.report()
    return tally


def run(
    rows: list[dict],
    batches: Sequence[int],
    kinds: Sequence[str],
    setup: Setup,
    bases: Sequence[str] = ("union", "stack"),
) -> Tally:
    """Score every variant leave-one-batch-out (module docstring); returns the tally."""
    tally = Tally(["dict", "union", *kinds], bases)
    for b in batches:
        test = [r for r in rows if r["batch"] == b]
        if not test:
            continue
        held = {r["set"] for r in test}
        train = [r for r in rows if r["batch"] != b]
        decide, note = setup(b, held, train)
        batch = {k: Counter() for k in tally.kinds}
        for c, (blend, cut) in ts.UNION.items():
            part = [r for r in test if r["consultation"] == c]
            if not part:
                continue
            got = {"dict": [ts.rule(r, "dict", 0) for r in part],
                   "union": [ts.rule(r, blend, cut) for r in part]}  # fmt: skip
            got |= decide(c, part)
            for k, v in tally.add_set(c, part, got).items():
                batch[k].update(v)
        tally.add_batch(b, batch, note)
    tally.report()
    return tally
