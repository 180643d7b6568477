"""Segmentation scores on every spent document set, one table (right question, precision).

    python -m benchmarks.seg_table [--sets a,b] [--out FILE.json] [--errors FILE.txt]
                                   [--compare BEFORE.json]

Runs ``helpers.ingest.run_ingest`` on each spent document set (split ``all``: every
document of a spent set may be read) and scores only segmentation
(``validate.devsets.scoring.score_set`` without stance or themes), which is much
quicker than ``devsets evaluate``. ``--out`` keeps the counts as JSON, ``--errors``
writes the segmentation errors as ``evaluate --verbose`` lists them, and
``--compare`` prints the change against an earlier ``--out`` file, per set and for
batches 1-13 pooled (the batches a fix from batches 14-16 was not written from).

``--memo DIR`` makes repeated runs quick on a loaded machine: files' parses go to
the ingest parse cache in DIR (the stage cache, which would hand back the tables of
an older version of the code, is bypassed), and sentence embeddings are memoised
per text in DIR/embeddings.pkl (the same text always has the same vector).

Held-back sets (``*-17``, ``*-18``) are never listed: only names matched by
``accounting.SPENT`` are run (the survey set is left out: it has no documents).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.accounting import ROOT, SPENT, spent_sets
from helpers import ingest
from helpers.core.consultation import load_consultation
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.scoring import score_set
from helpers.validate.devsets.table import format_errors

log = logging.getLogger(__name__)

SEG_METRICS = ("recall", "precision")


def batch_of(name: str) -> int:
    """The batch number of a set (no suffix: batch 1)."""
    m = re.search(r"-(\d+)$", name)
    return int(m.group(1)) if m else 1


def memoise(folder: Path):
    """Memoise ``embedding.encode`` per (model, text) in ``folder``; bypass the stage cache."""
    import pickle

    import numpy as np

    from helpers.core import embedding
    from helpers.ingest import rerun

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "embeddings.pkl"
    memo: dict = pickle.loads(path.read_bytes()) if path.is_file() else {}
    encode = embedding.encode

    def cached(texts, batch_size: int = 32, model: str = embedding.MINILM):
        missing = list(dict.fromkeys(t for t in texts if (model, t) not in memo))
        if missing:
            for t, v in zip(
                missing, encode(missing, batch_size=batch_size, model=model), strict=True
            ):
                memo[(model, t)] = v
        dim = embedding.dimension(model)
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([memo[(model, t)] for t in texts])

    embedding.encode = cached
    rerun.restore = lambda *a, **k: None
    rerun.store = lambda *a, **k: False
    return lambda: path.write_bytes(pickle.dumps(memo))


def score_one(name: str, memo: Path | None = None):
    """Segmentation scores of one spent set, split ``all``."""
    return ingest_and_score(name, memo)[0]


def ingest_and_score(name: str, memo: Path | None = None):
    """Ingest one spent set and score its segmentation: (scores, ingest result, gold records)."""
    set_dir = ROOT / name
    consultation = load_consultation(set_dir / "consultation.yaml")
    records = gold_responses(load_gold(set_dir), "all", where=str(set_dir / "gold.yaml"))
    with tempfile.TemporaryDirectory(prefix="segtab-") as tmp:
        result = ingest.run_ingest(
            set_dir / "responses",
            set_dir / "consultation.yaml",
            Path(tmp) / "out",
            cache_dir=None if memo is None else memo / "parse",
        )
    scores = score_set(
        name,
        "all",
        records,
        consultation,
        result.respondents,
        result.answers,
        result.log,
        result.copies,
    )
    scores.errors = [e for e in scores.errors if e.metric in SEG_METRICS]
    return scores, result, records


def _rate(hit: int, n: int) -> str:
    return f"{hit}/{n} {hit / n:.3f}" if n else "-"


def compare(before: dict, after: dict) -> str:
    """Per-set before -> after, and pooled totals for batches 1-13 and 14-16."""
    lines = [f"{'set':16} {'right question':>28} {'precision':>28}"]
    pools: dict[str, list[int]] = {}
    for name in after:
        if name not in before:
            continue
        b, a = before[name], after[name]
        cells = []
        for k in ("recall", "precision"):
            cells.append(f"{_rate(*b[k]):>13} -> {_rate(*a[k]):<13}")
        lost = b["recall"][0] - a["recall"][0]
        flag = "  LOSS" if lost > 1 or b["precision"][0] - a["precision"][0] > 1 else ""
        lines.append(f"{name:16} {cells[0]} {cells[1]}{flag}")
        pool = "1-13" if batch_of(name) <= 13 else "14-16"
        acc = pools.setdefault(pool, [0] * 8)
        for i, v in enumerate((*b["recall"], *a["recall"], *b["precision"], *a["precision"])):
            acc[i] += v
    for pool, v in pools.items():
        lines.append(
            f"{'batches ' + pool:16} {_rate(v[0], v[1]):>13} -> {_rate(v[2], v[3]):<13} "
            f"{_rate(v[4], v[5]):>13} -> {_rate(v[6], v[7]):<13}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all spent)")
    ap.add_argument("--out", default="", help="write the counts as JSON")
    ap.add_argument("--errors", default="", help="write the segmentation errors here")
    ap.add_argument("--compare", default="", help="an earlier --out file to compare with")
    ap.add_argument("--memo", default="", help="parse cache and embedding memo folder")
    args = ap.parse_args(argv)
    memo = Path(args.memo) if args.memo else None
    save = memoise(memo) if memo is not None else None
    logging.basicConfig(level=logging.ERROR)
    names = [n for n in args.sets.split(",") if n] or [
        n for n in spent_sets() if n != "ofsted-survey"
    ]
    bad = [n for n in names if not SPENT.match(n)]
    if bad:
        sys.exit(f"not a spent set: {bad}")
    counts: dict[str, dict] = {}
    if args.errors:
        Path(args.errors).write_text("", encoding="utf-8")
    print(f"{'set':16} {'right question':>16} {'precision':>16} {'s':>5}", flush=True)
    for name in names:
        t0 = time.time()
        s = score_one(name, memo)
        if save is not None:
            save()
        if args.errors:  # one set at a time, so a long run can be read while it goes on
            with Path(args.errors).open("a", encoding="utf-8") as fh:
                fh.write(format_errors([s]) + "\n")
        counts[name] = {
            "recall": [s.recall.hit, s.recall.n],
            "precision": [s.precision.hit, s.precision.n],
        }
        print(
            f"{name:16} {_rate(s.recall.hit, s.recall.n):>16} "
            f"{_rate(s.precision.hit, s.precision.n):>16} {time.time() - t0:5.0f}",
            flush=True,
        )
    if args.out:
        Path(args.out).write_text(json.dumps(counts, indent=1), encoding="utf-8")
    if args.compare:
        print(compare(json.loads(Path(args.compare).read_text(encoding="utf-8")), counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
