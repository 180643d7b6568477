"""Dictionary codes the training answers turned down, leave-one-batch-out (issue 14, session 28).

``python -m benchmarks.theme_silent ROWS... [--dump LOBO.json] [--min-fired 1 3 6 10]``

Reads the out-of-fold rows ``theme_gbm`` reads. For each spent batch ``N``: the
(question, theme) pairs ``coding.silent.silent_questions`` finds in the gold answers of
every *other* batch (the theme's patterns fired there, the theme never coded), then every
dictionary code of batch ``N``'s gold text that the stacker does not decide (its theme has
no classifier for the question) and falls in one of them: vetoing it gains a right
decision when the gold lacks the theme and loses one when it has it. With ``--dump`` (a
``theme_gbm --dump`` of the same rows) the per-set counts of its ``trees`` kind are shown
before and after the vetoes. Spent batches only: the rows never hold a held-back set.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter, defaultdict

from benchmarks.theme_knn import load_rows
from helpers.coding import silent


def vetoed_by_batch(rows: list[dict], batches: list[int], min_fired: int) -> dict:
    """``{(batch, set): Counter(gained=, lost=)}`` of the vetoes, each batch's silent pairs
    from the other batches' rows of its consultation."""
    out: dict = defaultdict(Counter)
    for b in batches:
        for c in sorted({r["consultation"] for r in rows}):
            train = [r for r in rows if r["consultation"] == c and r["batch"] != b]
            found = silent.silent_questions(
                {t for r in train for t in r["dictionary"]},
                [r["question"] for r in train], [r["gold"] for r in train],
                [[(t, 0, 0) for t in r["dictionary"]] for r in train], min_fired,
            )  # fmt: skip
            for r in rows:
                if r["consultation"] != c or r["batch"] != b:
                    continue
                for t in r["dictionary"]:
                    if t not in r["probs"] and r["question"] in found.get(t, ()):
                        out[(b, r["set"])]["lost" if t in r["gold"] else "gained"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--min-fired", nargs="*", type=int, default=[silent.MIN_FIRED])
    parser.add_argument("--dump", help="a theme_gbm --dump of the same rows (its trees counts)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)
    trees = {}
    if args.dump:
        trees = {
            name: k["trees"] for _, _, name, k in json.loads(open(args.dump).read())["records"]
        }
    for k in args.min_fired:
        got = vetoed_by_batch(rows, args.batches, k)
        for c in ("transport", "ofsted-docs"):
            tally, signs, pooled = Counter(), "", [Counter(), Counter()]
            for b in args.batches:
                name = next((s for (bb, s) in got if bb == b and s.startswith(c)), None)
                v = got.get((b, name), Counter()) if name else Counter()
                tally.update(v)
                signs += "+" if v["gained"] > v["lost"] else "-" if v["lost"] > v["gained"] else "="
                name = name or (c if b == 1 else f"{c}-{b}")
                if name in trees:
                    t = trees[name]
                    after = {"tp": t["tp"] - v["lost"], "fp": t["fp"] - v["gained"],
                             "fn": t["fn"] + v["lost"]}  # fmt: skip
                    pooled[0].update(t)
                    pooled[1].update(after)
                    if args.dump and (v["gained"] or v["lost"]):
                        print(f"  {name:16s} {prf(t)} -> {prf(after)}")
            line = f"min fired {k}: {c:12s} vetoes right {tally['gained']} wrong {tally['lost']}"
            line += f"  batches better/worse/level {signs.count('+')}/{signs.count('-')}"
            line += f"/{signs.count('=')}  {signs}"
            if trees:
                line += f"  pooled {prf(pooled[0])} -> {prf(pooled[1])}"
            print(line)
    return 0


def prf(c) -> str:
    """P / R / F1 of tp/fp/fn counts."""
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"{p:.3f}/{r:.3f}/{2 * p * r / max(p + r, 1e-12):.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
