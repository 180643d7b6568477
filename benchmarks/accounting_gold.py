"""Non-answers and campaign pairs on the GOLD answer texts of every spent set (oracle segmentation).

    python -m benchmarks.accounting_gold [--sets a,b] [--show]

``benchmarks.accounting`` scores what ingest produced, so a miss there may be the
segmenter's (an answer merged with the next, a campaign text under another
question). Here each gold answer's own text is judged (``segment.substantive.mark``)
and compared (``campaigns.detect_copies``), so what is left is the rules' own error.
Session 12: non-answers 274/3/10 and campaign pairs 736/0/8 (tp/fp/fn) over the 29
spent sets, against 69/1/11 and 48/1/5 on the 12 sets ingested: most accounting misses
start in segmentation. Takes well under a minute; no file is read.
"""

from __future__ import annotations

import argparse
import itertools
from collections import defaultdict

import pandas as pd

from benchmarks.accounting import ROOT, SPENT, spent_sets
from helpers.core.consultation import load_consultation
from helpers.ingest.campaigns import detect_copies
from helpers.ingest.segment.substantive import mark
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldrules import dont_know_rule
from helpers.validate.devsets.goldview import gold_responses


def _pairs(groups) -> set:
    return {p for m in groups.values() for p in itertools.combinations(sorted(m), 2)}


def score_set(name: str, show: bool = False) -> tuple[list[int], list[int]]:
    """(non-answer tp/fp/fn, campaign pair tp/fp/fn) of one set's gold texts."""
    cons = load_consultation(ROOT / name / "consultation.yaml")
    recs = dont_know_rule(gold_responses(load_gold(ROOT / name), "all", where=name), cons)
    rows, text = [], {}
    for r in recs:
        pos = 0
        for a in r.answers:
            text[(r.name, a.question)] = a.text
            if a.text.strip():
                end = pos + len(a.text)
                rows.append((r.name, a.question, a.text, a.tick, a.substantive, pos, end))
                pos = end + 2
    cols = ["respondent_id", "question_id", "answer_text", "tick_box", "gold", "start", "end"]
    df = mark(pd.DataFrame(rows, columns=cols), cons)
    sys_non, gold_non = ~df["substantive"].astype(bool), ~df["gold"].astype(bool)
    non = [int((sys_non & gold_non).sum()), int((sys_non & ~gold_non).sum())]
    non.append(int((~sys_non & gold_non).sum()))
    if show:
        for r in df[sys_non != gold_non].itertuples():
            print(
                f"    non-answer {'FP' if r.gold else 'FN'} {r.question_id} {r.answer_text[:120]!r}"
            )
    respondents = pd.DataFrame({"respondent_id": [r.name for r in recs], "text": [""] * len(recs)})
    profile = {q.id for q in cons.questions if q.kind == "profile"}
    copies = detect_copies(
        respondents,
        answers=df.drop(columns=["gold"]),
        skip_questions=profile,
        question_texts={q.id: q.text for q in cons.questions},
    )
    gold, system = defaultdict(set), defaultdict(set)
    for r in recs:
        for a in r.answers:
            if a.campaign and a.text.strip():
                gold[(a.campaign, a.question)].add((r.name, a.question))
    for c in copies.itertuples(index=False):
        if (c.respondent_id, c.question_id) in text:
            system[c.copy_group].add((c.respondent_id, c.question_id))
    g, s = _pairs(gold), _pairs(system)
    if show:
        for label, pairs in (("FP", s - g), ("FN", g - s)):
            for a, b in sorted(pairs):
                print(f"    campaign {label} {a[1]} {a[0]} + {b[0]}")
    return non, [len(g & s), len(s - g), len(g - s)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="")
    ap.add_argument("--show", action="store_true", help="list the errors")
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or spent_sets()
    if bad := [n for n in names if not SPENT.match(n)]:
        raise SystemExit(f"not a spent set: {bad}")
    total_non, total_camp = [0, 0, 0], [0, 0, 0]
    print(f"{'set':18} {'non-ans tp/fp/fn':>17} {'campaign tp/fp/fn':>18}")
    for name in names:
        non, camp = score_set(name, args.show)
        total_non = [a + b for a, b in zip(total_non, non, strict=True)]
        total_camp = [a + b for a, b in zip(total_camp, camp, strict=True)]
        print(f"{name:18} {'/'.join(map(str, non)):>17} {'/'.join(map(str, camp)):>18}")
    print(f"{'TOTAL':18} {'/'.join(map(str, total_non)):>17} {'/'.join(map(str, total_camp)):>18}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
