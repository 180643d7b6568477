"""Accounting scores on every spent development set: campaign pairs, non-answers, respondent type.

    python -m benchmarks.accounting [--sets a,b] [--cache DIR] [--refresh] [--redetect]

Runs ``helpers.ingest.run_ingest`` on each set (split ``all``) and scores only the
three accounting metrics (``validate.devsets.scoring.score_set`` without stance or
themes), which is much quicker than ``devsets evaluate``. The ingest tables are
pickled to ``--cache`` (default /tmp/accounting-cache) so that a change to campaign
detection can be re-scored on the same tables with ``--redetect`` (copies are found
again by ``ingest.campaigns.detect_copies``) without reading the files again; use
``--refresh`` after changing reading, segmentation, non-answers or types.

Held-back sets (``*-31``, ``*-32``) are never listed: only names matched by
``SPENT`` are run.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path

from helpers import ingest
from helpers.core.consultation import load_consultation
from helpers.ingest.campaigns import detect_copies
from helpers.ingest.segment.substantive import mark
from helpers.validate.devsets.gold import load_gold
from helpers.validate.devsets.goldview import gold_responses
from helpers.validate.devsets.scoring import score_set

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
SPENT = re.compile(r"^(ofsted-docs|transport)(-([2-9]|1[0-9]|2[0-9]|30))?$|^ofsted-survey$")


def spent_sets(root: Path = ROOT) -> list[str]:
    """Document/survey sets that may be tuned on: batches 1-30 and the survey set, named
    explicitly (session 22: the data folder is never listed, so a held-back set cannot be read
    by accident)."""
    names = ["ofsted-docs", "transport", "ofsted-survey"]
    names += [f"{c}-{b}" for b in range(2, 31) for c in ("ofsted-docs", "transport")]
    names = [n for n in names if SPENT.match(n) and (root / n / "gold.yaml").is_file()]

    def order(n: str) -> tuple[str, int]:
        m = re.match(r"(.*?)(?:-(\d+))?$", n)
        return m.group(1), int(m.group(2) or 1)

    return sorted(names, key=order)


def ingest_set(name: str, cache: Path, refresh: bool = False):
    """The set's ingest result, from the cache unless ``refresh``."""
    path = cache / f"{name}.pkl"
    if path.is_file() and not refresh:
        return pickle.loads(path.read_bytes())
    set_dir = ROOT / name
    with tempfile.TemporaryDirectory(prefix="acc-") as tmp:
        result = ingest.run_ingest(
            set_dir / "responses", set_dir / "consultation.yaml", Path(tmp) / "out"
        )
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(result))
    return result


def redetect(result, consultation):
    """Campaign copies found again on the cached tables (as ``ingest.stage._tables`` does)."""
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    texts = {q.id: q.text for q in consultation.questions}
    return detect_copies(
        result.respondents, answers=result.answers, skip_questions=profile, question_texts=texts
    )


def score(name: str, result, copies=None, split: str = "all"):
    """``score_set`` of the accounting metrics only."""
    set_dir = ROOT / name
    consultation = load_consultation(set_dir / "consultation.yaml")
    records = gold_responses(load_gold(set_dir), split, where=str(set_dir / "gold.yaml"))
    return score_set(
        name,
        split,
        records,
        consultation,
        result.respondents,
        result.answers,
        result.log,
        result.copies if copies is None else copies,
    )


def _pr(pr) -> str:
    return "-" if pr is None else f"{pr.tp}/{pr.fp}/{pr.fn}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all spent)")
    ap.add_argument("--cache", default="/tmp/accounting-cache")
    ap.add_argument("--refresh", action="store_true", help="read the files again")
    ap.add_argument("--redetect", action="store_true", help="find campaign copies again")
    ap.add_argument(
        "--remark", action="store_true", help="judge non-answers again (segment.substantive.mark)"
    )
    ap.add_argument("--errors", action="store_true", help="list campaign/non-answer/type errors")
    args = ap.parse_args(argv)
    names = [n for n in args.sets.split(",") if n] or spent_sets()
    bad = [n for n in names if not SPENT.match(n)]
    if bad:
        sys.exit(f"not a spent set: {bad}")
    cache = Path(args.cache)
    total = {"camp": [0, 0, 0], "non": [0, 0, 0], "type": [0, 0]}
    print(f"{'set':18} {'campaign tp/fp/fn':>18} {'non-ans tp/fp/fn':>17} {'type':>11} {'s':>5}")
    for name in names:
        t0 = time.time()
        result = ingest_set(name, cache, args.refresh)
        copies = None
        if args.redetect:
            copies = redetect(result, load_consultation(ROOT / name / "consultation.yaml"))
        if args.remark:
            cons = load_consultation(ROOT / name / "consultation.yaml")
            result = dataclasses.replace(result, answers=mark(result.answers, cons))
        s = score(name, result, copies)
        for key, pr in (("camp", s.campaigns), ("non", s.non_answers)):
            if pr is not None:
                total[key][0] += pr.tp
                total[key][1] += pr.fp
                total[key][2] += pr.fn
        total["type"][0] += s.types.hit
        total["type"][1] += s.types.n
        typ = f"{s.types.hit}/{s.types.n}"
        print(
            f"{name:18} {_pr(s.campaigns):>18} {_pr(s.non_answers):>17} {typ:>11}"
            f" {time.time() - t0:5.0f}",
            flush=True,
        )
        if args.errors:
            for e in s.errors:
                if e.metric in ("campaign", "non-answer", "type"):
                    print(f"    {e.metric:10} {e.response} {e.question} {e.message}")
    c, n, t = total["camp"], total["non"], total["type"]
    print(f"{'TOTAL':18} {'/'.join(map(str, c)):>18} {'/'.join(map(str, n)):>17} {t[0]}/{t[1]:>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
