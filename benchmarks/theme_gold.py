"""Theme coding scored on the *gold* text: coding errors with segmentation taken out.

``python -m benchmarks.theme_gold --split all --set ofsted-docs-10 --set transport-10 [--list]``

Each gold answer's text is coded on its own under its gold question with the
set's codebook (dictionary codes, negated ones left out), as if ingest had cut
every answer perfectly, and compared with the gold themes: micro precision,
recall and F1 per set and pooled, and per theme. ``--list`` prints every false
positive (with the evidence sentence and the pattern that fired) and every
false negative (with the start of the answer), per theme: the material for
reading why a code is wrong or missing. ``benchmarks.theme_errors`` puts the
pipeline's errors down to causes; this scores the coder alone. Written for
issue 14 (session 8).
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter, defaultdict
from pathlib import Path

from helpers import coding
from helpers.coding import Coder
from helpers.coding.runner import _skip_questions
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses

ROOT = Path(__file__).resolve().parent.parent / "data" / "evaluation"


def gold_text_errors(set_dir: Path, split: str) -> tuple[Counter, list[tuple]]:
    """Per-theme ``(theme, "tp"|"fp"|"fn")`` counts and the error rows
    ``(kind, theme, response, question, evidence or text, pattern)`` of one set."""
    consultation = load_consultation(set_dir / "consultation.yaml")
    codebook = coding.load_codebook(set_dir / "codebook.yaml", consultation)
    coder = Coder(codebook)
    skip = _skip_questions(codebook, consultation)  # profile questions: never coded
    counts: Counter = Counter()
    errors: list[tuple] = []
    for rec in gold_responses(load_gold(set_dir), split, where=str(set_dir / "gold.yaml")):
        for a in rec.answers:
            if a.themes is None or not a.text.strip() or a.question in skip:
                continue
            rows = [r for r in coder.code_text(a.text, a.question) if not r["negated"]]
            first: dict[str, dict] = {}
            for r in rows:
                first.setdefault(r["theme_id"], r)
            gold = set(a.themes)
            for t in gold & set(first):
                counts[(t, "tp")] += 1
            for t in set(first) - gold:
                counts[(t, "fp")] += 1
                r = first[t]
                errors.append(("FP", t, rec.name, a.question, r["quote"], r["matched_text"]))
            for t in gold - set(first):
                counts[(t, "fn")] += 1
                errors.append(("FN", t, rec.name, a.question, a.text, ""))
    return counts, errors


def _prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp} fp {fp} fn {fn})"


def _sum(counts: Counter, kind: str) -> int:
    return sum(v for (_, k), v in counts.items() if k == kind)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    parser.add_argument("--set", action="append", required=True, dest="sets")
    parser.add_argument("--list", action="store_true", help="print every error, per theme")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    total: Counter = Counter()
    all_errors: list[tuple] = []
    for name in args.sets:
        counts, errors = gold_text_errors(Path(args.root) / name, args.split)
        total.update(counts)
        all_errors.extend((name, *e) for e in errors)
        print(f"{name}: {_prf(_sum(counts, 'tp'), _sum(counts, 'fp'), _sum(counts, 'fn'))}")
    print(f"pooled: {_prf(_sum(total, 'tp'), _sum(total, 'fp'), _sum(total, 'fn'))}")
    by_theme: dict[str, Counter] = defaultdict(Counter)
    for (t, k), v in total.items():
        by_theme[t][k] += v
    for t, c in sorted(by_theme.items(), key=lambda kv: -(kv[1]["fp"] + kv[1]["fn"])):
        print(f"  {t:32s} {_prf(c['tp'], c['fp'], c['fn'])}")
    if args.list:
        for name, kind, t, resp, q, text, pattern in sorted(all_errors, key=lambda e: (e[2], e[1])):
            snippet = " ".join(text.split())
            snippet = snippet if kind == "FP" else snippet[:400]
            print(f"{kind} {t} [{name} {resp} {q}] {pattern!r}: {snippet}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
