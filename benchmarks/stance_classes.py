"""Count each spent set's stance errors by class, from ``stance_census`` files (session 25).

    PYTHONPATH=src:. python -m benchmarks.stance_classes CENSUS_DIR SET ...

Reads ``CENSUS_DIR/<set>.jsonl`` (written by ``benchmarks.stance_census``) for each set named
(held-back sets are refused, as ``stance_collect`` refuses them) and prints, per set and in
all, the errors (readings not acceptable) by class: ``flip`` (agree read as disagree or the
reverse), ``pos>none`` (a position read as none), ``none>pos`` (gold none, a position read),
``side<>mid`` (a side read for neither / don't know or the reverse), ``strength`` (the
direction right, the stance not acceptable); then how many sets each class occurs in (and at
least three times), and for item sets the item kinds (answer / form / letter) of each class.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from benchmarks.stance_census import said, verdict
from benchmarks.stance_collect import _forbidden
from helpers.validate.devsets.stancescore import direction

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
CLASSES = ("flip", "pos>none", "none>pos", "side<>mid", "strength")


def error_class(r: dict) -> str | None:
    """The class of case ``r``'s error (None when its reading is acceptable)."""
    acceptable, right_direction = verdict(r)
    if acceptable:
        return None
    if right_direction:
        return "strength"
    gold, got = direction(r["gold"]), direction(said(r))
    if {gold, got} == {"agree", "disagree"}:
        return "flip"
    if got == "none":
        return "pos>none"
    if gold == "none":
        return "none>pos"
    return "side<>mid"


def item_kinds(name: str) -> dict[str, str]:
    """``"<file stem>:<item id>"`` → the item's kind, for a stance item set."""
    out: dict[str, str] = {}
    for stem in ("ofsted", "transport"):
        path = ROOT / name / f"{stem}.yaml"
        if path.is_file():
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
                out[f"{stem}:{item['id']}"] = item.get("kind", "answer")
    return out


def main(argv: list[str]) -> None:
    folder, names = Path(argv[0]), argv[1:]
    per: dict[str, Counter] = {}
    kinds: dict[str, Counter] = {k: Counter() for k in CLASSES}
    for name in names:
        if _forbidden(name):
            raise SystemExit(f"{name} is held back: not read")
        recs = [json.loads(x) for x in (folder / f"{name}.jsonl").read_text().splitlines()]
        of_item = item_kinds(name) if name.startswith("stance-items") else {}
        c = Counter(n=len(recs))
        for r in recs:
            k = error_class(r)
            if k:
                c[k] += 1
                if of_item:
                    kinds[k][of_item.get(r["name"], "?")] += 1
        per[name] = c
    print(f"{'set':18s} {'n':>5s} " + " ".join(f"{k:>10s}" for k in CLASSES))
    total: Counter = Counter()
    for name, c in per.items():
        total.update(c)
        print(f"{name:18s} {c['n']:5d} " + " ".join(f"{c[k]:10d}" for k in CLASSES))
    print(f"{'ALL':18s} {total['n']:5d} " + " ".join(f"{total[k]:10d}" for k in CLASSES))
    for k in CLASSES:
        sets = sum(1 for c in per.values() if c[k])
        three = sum(1 for c in per.values() if c[k] >= 3)
        print(f"{k:10s} in {sets} of {len(per)} sets, >= 3 in {three}; kinds {dict(kinds[k])}")


if __name__ == "__main__":
    main(sys.argv[1:])
