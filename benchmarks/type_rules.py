"""Respondent-type accuracy of the word rules on every spent document set, per set, quickly.

    python -m benchmarks.type_rules [--sets a,b] [--errors]

``benchmarks.accounting`` types respondents through the whole ingest (minutes per
set); the type depends only on reading, the profile answer and the rules, so here
each document goes through ``benchmarks.type_training.typed_documents`` (reading,
``attach_metadata``, ``segment_rows``, ``type_from_capacity_answer``): seconds per
set. A profile answer that only ingest's meaning pass places is missed here, so a
few documents may differ from ``benchmarks.accounting``; compare before/after with
the same tool. Since session 22 the learned scorer answers where the rules say "unknown",
as in ingest (``type_model.retype``); ``--rules-only`` leaves it out. Survey sets are skipped (their types come from columns). Held-back
sets are never listed (``benchmarks.accounting.SPENT``).
"""

from __future__ import annotations

import argparse
from collections import Counter

from benchmarks.accounting import ROOT, SPENT, spent_sets
from benchmarks.type_training import typed_documents
from helpers.core.consultation import load_consultation
from helpers.ingest.type_model import retype
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses


def score_set(name: str, errors: bool = False, fallback: bool = True) -> tuple[int, int, Counter]:
    """(hits, documents with a gold type, confusion gold→system of the misses).

    ``fallback``: the learned scorer where the rules say "unknown" (``type_model.retype``),
    as ingest types them since session 22; without it, the rules alone.
    """
    cons = load_consultation(ROOT / name / "consultation.yaml")
    gold = {
        rec.file: rec.respondent_type
        for rec in gold_responses(load_gold(ROOT / name), "all", where=name)
        if rec.row is None and rec.respondent_type is not None
    }
    hit, n, wrong = 0, 0, Counter()
    for doc, seg in typed_documents(name):
        if fallback:
            retype(doc, seg, cons)
        want = gold.get(doc.source_file)
        if want is None:
            continue
        n += 1
        if doc.respondent_type == want:
            hit += 1
        else:
            wrong[(want, doc.respondent_type)] += 1
            if errors:
                print(f"    {doc.source_file}: gold {want}, system {doc.respondent_type}")
    return hit, n, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument(
        "--rules-only", action="store_true", help="without the learned fallback (session 22)"
    )
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or spent_sets()
    if bad := [n for n in names if not SPENT.match(n)]:
        raise SystemExit(f"not a spent set: {bad}")
    total_hit, total_n, confusion = 0, 0, Counter()
    for name in names:
        if "survey" in name:
            continue
        hit, n, wrong = score_set(name, args.errors, not args.rules_only)
        total_hit, total_n = total_hit + hit, total_n + n
        confusion.update(wrong)
        print(f"{name:18} {hit:3}/{n:<3}", flush=True)
    print(f"{'TOTAL':18} {total_hit}/{total_n}")
    for (g, s), k in confusion.most_common():
        print(f"  {g}→{s} ×{k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
