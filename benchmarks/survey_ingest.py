"""Speed of reading a survey export: generate one, ingest it, print rows per second.

    python benchmarks/survey_ingest.py --rows 100000            # read + segment only
    python benchmarks/survey_ingest.py --rows 100000 --copies   # and campaign-copy detection

The export has a respondent id, organisation and type column, a closed
question (tick box + comment) and two open questions; one row in fifty has
only its id (an empty response). Reading, describing and segmenting are timed
together (``run_ingest``); campaign-copy detection is left out unless
``--copies``, so the survey path's own rate is visible.
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import tempfile
import time
from pathlib import Path

CONSULTATION = """\
id: bench
title: Survey ingest benchmark
questions:
  - {id: q1, number: 1, kind: closed, text: "Do you agree with the proposal?"}
  - {id: q2, number: 2, kind: open, text: "What should change?"}
  - {id: q3, number: 3, kind: open, text: "Any other comments?"}
survey:
  respondent_id: Response ID
  organisation: Organisation
  respondent_type: Respondent type
  questions:
    q1: {tick_box: "Q1 agree", text: "Q1 comments"}
    q2: {text: "Q2"}
    q3: {text: "Q3"}
"""
WORDS = (
    "the proposal housing support young people council services funding should change "
    "more time records care"
).split()
TICKS = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree"]
TICKS += ["Strongly disagree", "Don't know", ""]
TYPES = ["Individual", "Charity", "Local authority", ""]


def write_export(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)

    def text() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40))).capitalize()

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["Response ID", "Organisation", "Respondent type", "Q1 agree"]
            + ["Q1 comments", "Q2", "Q3"]
        )
        for i in range(rows):
            if i % 50 == 0:
                w.writerow([f"R{i}", "", "", "", "", "", ""])
            else:
                org = rng.choice(["", "Acme Trust"])
                w.writerow(
                    [f"R{i}", org, rng.choice(TYPES), rng.choice(TICKS), text(), text(), text()]
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--copies", action="store_true", help="include campaign-copy detection")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    from helpers.core import schemas
    from helpers.ingest import stage

    if not args.copies:
        stage.detect_copies = lambda *a, **k: schemas.empty(schemas.COPIES)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        write_export(root / "in" / "export.csv", args.rows)
        (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
        started = time.perf_counter()
        result = stage.run_ingest(
            root / "in", root / "consultation.yaml", root / "out", metadata_file=None
        )
        seconds = time.perf_counter() - started
    print(
        f"rows={args.rows:,} respondents={len(result.respondents):,} answers={len(result.answers):,} "
        f"seconds={seconds:.1f} rows/s={args.rows / seconds:,.0f}"
        + (" (with campaign copies)" if args.copies else "")
    )


if __name__ == "__main__":
    main()
