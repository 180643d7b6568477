"""Per-theme thresholds and dictionary vetoes chosen by nested leave-one-set-out.

``python -m benchmarks.theme_nested /tmp/loo.jsonl --threshold 0.8``

Reads the rows ``benchmarks.theme_loo --save`` writes (each target answer's gold
themes, dictionary codes and the probabilities of classifiers that never saw its
set) and asks whether the way dictionary and learned codes are combined should be
chosen per theme. For each set S, settings are chosen on the rows of every *other*
set (so never on S) and S is scored with them:

- ``base``: dictionary codes plus learned codes at ``--threshold`` (the codebook's cut);
- ``gthr``: one learned threshold for every theme, chosen on the other sets;
- ``thr``: one learned threshold per theme (coordinate ascent of pooled micro-F1);
- ``veto``: per theme, a dictionary code is dropped when the classifier's probability
  is below a cut (the classifier "strongly rejects" it);
- ``gveto``: one such cut for every theme.

The rows of set R were scored by classifiers trained on every set but R, S
included, so the choice on R is not perfectly blind to S (second order: S's gold
shaped R's probabilities, never the choice's target). Written for issue 14 (session
11); docs/models.md has the figures.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01]
VETO_GRID = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3]


def system(row: dict, thr: dict, veto: dict, default: float) -> set[str]:
    """The themes coded for one answer: dictionary codes not vetoed, learned codes over thr."""
    out = {t for t in row["dictionary"] if row["probs"].get(t, 1.0) >= veto.get(t, 0.0)}
    out |= {t for t, p in row["probs"].items() if p >= thr.get(t, default)}
    return out


def counts(rows: list[dict], thr: dict, veto: dict, default: float) -> Counter:
    c: Counter = Counter()
    for r in rows:
        gold, got = set(r["gold"]), system(r, thr, veto, default)
        c["tp"] += len(gold & got)
        c["fp"] += len(got - gold)
        c["fn"] += len(gold - got)
    return c


def f1(c: Counter) -> float:
    return 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]) if c["tp"] else 0.0


def choose(rows: list[dict], mode: str, default: float) -> tuple[dict, dict]:
    """Thresholds and vetoes for ``mode``, chosen to maximise micro-F1 on ``rows``."""
    themes = sorted({t for r in rows for t in r["probs"]})
    thr: dict = {}
    veto: dict = {}
    if mode in ("gthr", "gveto"):
        grid = GRID if mode == "gthr" else VETO_GRID
        best = max(grid, key=lambda g: (f1(counts(
            rows, {t: g for t in themes} if mode == "gthr" else {},
            {t: g for t in themes} if mode == "gveto" else {}, default)), -abs(g - default)))  # fmt: skip
        return (
            ({t: best for t in themes}, {}) if mode == "gthr" else ({}, {t: best for t in themes})
        )
    table, grid = (thr, GRID) if mode == "thr" else (veto, VETO_GRID)
    for _ in range(2):  # coordinate ascent, two sweeps
        for t in themes:
            keep = table.get(t, default if mode == "thr" else 0.0)
            best = f1(counts(rows, thr, veto, default))
            for g in grid:
                table[t] = g
                score = f1(counts(rows, thr, veto, default))
                if score > best + 1e-9:
                    best, keep = score, g
            table[t] = keep
    return thr, veto


def _prf(c: Counter) -> str:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return f"{p:.3f} / {r:.3f} / {f1(c):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", help="a theme_loo --save file")
    parser.add_argument("--threshold", type=float, default=0.6, help="the codebook's cut")
    parser.add_argument("--modes", nargs="+", default=["gthr", "thr", "veto", "gveto"])
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.rows).read_text().splitlines() if line]
    sets = list(dict.fromkeys(r["set"] for r in rows))
    total = {m: Counter() for m in ["base", *args.modes]}
    for s in sets:
        test = [r for r in rows if r["set"] == s]
        train = [r for r in rows if r["set"] != s]
        line = [f"{s:16s}"]
        for m in total:
            thr, veto = ({}, {}) if m == "base" else choose(train, m, args.threshold)
            c = counts(test, thr, veto, args.threshold)
            total[m].update(c)
            line.append(f"{m} {f1(c):.3f}")
        print("  ".join(line), flush=True)
    for m, c in total.items():
        print(f"pooled {m:6s} P / R / F1 {_prf(c)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
