"""Record the joint reading's sections on spent document sets, with their gold questions.

    PYTHONPATH=src:. python -m benchmarks.seg_kind_collect --out /tmp/seg/sections.pkl \
        [--memo DIR] [--sets a,b] [--counts FILE.json]

Runs ingest on each spent document set of batches 2-30 (named explicitly through
``accounting.spent_sets``; held-back sets are refused) and, for every document the joint
reading (``segment.joint``) reads, keeps each free section's heading, body, its evidence
matrix (heading, body and lead-word scores, the bare-number and frame evidence included),
the allowed mask, the model's ``pair_base``, the questions the document's rows hold before
the joint reading (``row_questions``, session 25) and the section's gold question (the gold
answer holding most of the section's body, or None). ``benchmarks.seg_kind_lobo`` then
simulates the joint solution with and without the body-kind evidence (session 24), and
``benchmarks.seg_self_train`` fits the self-description reader (session 25). The
segmentation counts of the run go to ``--counts`` (the "before" of ``seg_table``).
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.accounting import SPENT, spent_sets
from benchmarks.seg_table import ingest_and_score, memoise
from helpers.ingest.segment import joint
from helpers.validate.devsets.locate import Skeleton, overlap, size
from helpers.validate.devsets.metrics import _locate_all

CAPTURED: list[dict] = []


def _capture():
    """Wrap ``joint.solve`` to keep its caller's sections and evidence."""
    real = joint.solve

    def solve(scores, allowed, base):
        f = sys._getframe(1).f_locals
        rid = str(f["rows"]["respondent_id"].iloc[0]) if "rows" in f else None
        # Only a document's first solution (the words' evidence, the original mask): the
        # later ones (with the body kinds, or without the self-description) are not kept.
        if "free" in f and "rows" in f and not (CAPTURED and CAPTURED[-1]["rid"] == rid):
            CAPTURED.append(
                {
                    "rid": rid,
                    "text": f["text"],
                    "free": [(a, b, e, h, body) for a, b, e, h, body in f["free"]],
                    "qids": [q.id for q in f["qs"]],
                    "scores": scores.copy(),
                    "allowed": allowed.copy(),
                    "base": float(base),
                    "row_questions": sorted({str(q) for q in f["rows"]["question_id"]}),
                    # Session 26: the evidence's parts and the earlier steps' rows, for the
                    # learned own-words reader (``benchmarks.seg_own_train``).
                    "parts": {
                        k: np.asarray(f[k]).copy() for k in ("hs", "bs", "lx", "kinds") if k in f
                    },
                    "numbers": dict(f.get("numbers") or {}),
                    "rows": f["rows"][
                        ["question_id", "start", "end", "heading_start", "match_method"]
                    ].copy(),
                }
            )
        return real(scores, allowed, base)

    joint.solve = solve


def label(text: str, spans: list[tuple[int, int]], rec) -> list[str | None]:
    """Each span's gold question: the gold answer holding at least half of it, or None."""
    doc = Skeleton(text)
    ranges = {q: [loc.range] for q, loc in _locate_all(rec, doc).items() if loc.range is not None}
    out: list[str | None] = []
    for a, e in spans:
        span = [doc.range_of(a, e)]
        n = size(span)
        best, cover = None, 0
        for q, rng in ranges.items():
            o = overlap(span, rng)
            if o > cover:
                best, cover = q, o
        out.append(best if n and cover * 2 >= n else None)
    return out


def score_one(name: str, memo: Path | None):
    """``seg_table.score_one`` that also returns respondent id -> source file."""
    scores, r, records = ingest_and_score(name, memo)
    files = {
        str(a): str(b)
        for a, b in zip(r.respondents["respondent_id"], r.respondents["source_file"], strict=True)
    }
    return scores, files, records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--memo", default="")
    ap.add_argument("--sets", default="")
    ap.add_argument("--counts", default="")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    memo = Path(args.memo) if args.memo else None
    save = memoise(memo) if memo is not None else None
    _capture()
    names = [n for n in args.sets.split(",") if n] or [
        n for n in spent_sets() if n not in ("ofsted-survey", "ofsted-docs", "transport")
    ]
    bad = [n for n in names if not SPENT.match(n)]
    if bad:
        sys.exit(f"not a spent set: {bad}")
    out: dict[str, list[dict]] = {}
    counts: dict[str, dict] = {}
    for name in names:
        t0 = time.time()
        CAPTURED.clear()
        s, files, recs = score_one(name, memo)
        if save is not None:
            save()
        counts[name] = {
            "recall": [s.recall.hit, s.recall.n],
            "precision": [s.precision.hit, s.precision.n],
        }
        by_file = {r.file: r for r in recs}
        docs = []
        for d in CAPTURED:
            rec = by_file.get(files.get(d["rid"], ""))
            d["gold"] = (
                label(d["text"], [(b, e) for _a, b, e, _h, _x in d["free"]], rec) if rec else None
            )
            d["set"] = name
            docs.append(d)
        out[name] = docs
        print(f"{name:16} {counts[name]} docs {len(docs)} {time.time() - t0:4.0f}s", flush=True)
        Path(args.out).write_bytes(pickle.dumps(out))
        if args.counts:
            Path(args.counts).write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
