"""Speed of reading a survey export: generate one, ingest it, print rows per second.

    python benchmarks/survey_ingest.py --rows 100000            # read + segment only
    python benchmarks/survey_ingest.py --rows 100000 --copies   # and campaign-copy detection
    python -m benchmarks.survey_ingest --rows 100000 --realistic --copies --keep /tmp/exports

The export has a respondent id, organisation and type column, a closed
question (tick box + comment) and two open questions; one row in fifty has
only its id (an empty response). Reading, describing and segmenting are timed
together (``run_ingest``); campaign-copy detection is left out unless
``--copies``, so the survey path's own rate is visible.

``--realistic`` writes the export of ``benchmarks.pipeline`` instead (the
default consultation, Zipf vocabulary, 8 % campaign copies), the one whose
ingest the pipeline benchmark times; ``--keep DIR`` keeps the generated
export there and reuses it on the next run (writing 100,000 realistic rows
takes minutes). Peak memory is the process's high-water mark (``VmHWM``)
after the ingest, and before it (interpreter, imports, generator).
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


def _peak_mb() -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _inputs(root: Path, rows: int, realistic: bool) -> tuple[Path, Path]:
    """The consultation file and the input folder of a generated export of ``rows`` rows."""
    if realistic:
        from benchmarks.pipeline import write_consultation

        if not (root / "in" / "export.csv").exists():
            root.mkdir(parents=True, exist_ok=True)
            write_consultation(root, 1, rows)
        return root / "consultation.yaml", root / "in"
    (root / "in").mkdir(parents=True, exist_ok=True)
    if not (root / "in" / "export.csv").exists():
        write_export(root / "in" / "export.csv", rows)
    (root / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    return root / "consultation.yaml", root / "in"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--copies", action="store_true", help="include campaign-copy detection")
    parser.add_argument("--realistic", action="store_true", help="the pipeline benchmark's export")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) generated exports here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    from helpers.core import schemas
    from helpers.ingest import stage

    if not args.copies:
        stage.detect_copies = lambda *a, **k: schemas.empty(schemas.COPIES)
    with tempfile.TemporaryDirectory() as tmp:
        kind = "realistic" if args.realistic else "simple"
        root = args.keep / f"{kind}-{args.rows}" if args.keep else Path(tmp)
        cons, folder = _inputs(root, args.rows, args.realistic)
        before = _peak_mb()
        started = time.perf_counter()
        result = stage.run_ingest(folder, cons, Path(tmp) / "out", metadata_file=None)
        seconds = time.perf_counter() - started
    print(
        f"rows={args.rows:,} respondents={len(result.respondents):,} answers={len(result.answers):,} "
        f"copies={len(result.copies):,} seconds={seconds:.1f} rows/s={args.rows / seconds:,.0f} "
        f"peak_mb={_peak_mb():,.0f} (before ingest {before:,.0f})"
        + (" (with campaign copies)" if args.copies else "")
    )


if __name__ == "__main__":
    main()
