"""Does a stage's cost grow faster than the text when answers get longer? (issue 15)

    python -m benchmarks.answer_length [--respondents 2000] [--joins 1,4,16] [--sep paragraph]

``benchmarks.pipeline`` grows the number of respondents at a fixed answer length; this
grows the answers at a fixed amount of text. One generated survey export of
``--respondents`` respondents (the realistic corpus, ``pipeline.write_consultation``) is
rewritten for each ``k`` in ``--joins``: respondent ``j`` of ``n / k`` answers each
question with the answers of respondents ``j*k … j*k + k - 1`` to it, joined by a blank
line (``--sep paragraph``: paragraphs, as long answers are written) or a space (``line``:
one long paragraph). Every export holds the same characters; only the length of an answer
changes (``k`` times). Ingest and coding (``--stages``, each step timed as in
``benchmarks.pipeline``) run on each in a fresh subprocess; the table prints CPU seconds
per ``k`` and the growth exponent against the answer length, ``log(t_b / t_a) /
log(k_b / k_a)``: 0 is linear in the text whatever the length (the same work), above 0 a
step that costs more per character in longer answers, 1 quadratic in the answer's length.
(Campaign copies mostly vanish in the joined exports, and fewer respondents share the
same text: read that step's row with this in mind.)

Results go to ``--out`` (``benchmarks/out/answer_length.csv``).
"""

from __future__ import annotations

import argparse
import csv
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from . import pipeline

log = logging.getLogger(__name__)

SEPARATORS = {"paragraph": "\n\n", "line": " "}


def joined_export(source: Path, target: Path, k: int, sep: str) -> int:
    """``source`` (a survey export) with every ``k`` respondents made one (``target``);
    returns the number of respondents written. The first column is the respondent id;
    other columns take the first row's value unless a text column (joined with ``sep``)."""
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    # text columns: free text (the generator writes a question's answer or its comments)
    text = [i for i, h in enumerate(header) if h.startswith("Q") and not h.endswith(" tick")]
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for at in range(0, len(body) - k + 1, k):
            group = body[at : at + k]
            row = list(group[0])
            for i in text:
                row[i] = sep.join(r[i] for r in group if r[i].strip())
            w.writerow(row)
            written += 1
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--respondents", type=int, default=2000)
    ap.add_argument("--joins", default="1,4,16", help="answers joined into one, e.g. 1,4,16")
    ap.add_argument("--sep", choices=sorted(SEPARATORS), default="paragraph")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--stages", default="ingest,coding")
    ap.add_argument("--out", type=Path, default=pipeline.OUT_DIR)
    ap.add_argument("--keep", type=Path, help="keep the exports here (reused when present)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    joins = [int(j) for j in args.joins.split(",") if j.strip()]
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        keep = args.keep or Path(tmp)
        base = keep / "source"
        if not (base / "in" / "export.csv").exists():
            base.mkdir(parents=True, exist_ok=True)
            pipeline.write_consultation(base, args.seed, args.respondents)
        for k in joins:
            n = args.respondents // k
            kept = keep / f"join{k}-{args.sep}"
            folder = kept / f"{n}-seed{args.seed}"
            if not (folder / "in" / "export.csv").exists():
                joined_export(
                    base / "in" / "export.csv",
                    folder / "in" / "export.csv",
                    k,
                    SEPARATORS[args.sep],
                )
                shutil.copy(base / "consultation.yaml", folder / "consultation.yaml")
            (folder / "done").unlink(missing_ok=True)  # ingest runs (and is timed) every time
            got = pipeline.measure([n], args.seed, args.timeout, ("html",), stages, reuse=kept)
            for r in got:
                r["join"] = k
            records += got
    by = {(r["join"], r["stage"]): r for r in records}
    names = list(dict.fromkeys(r["stage"] for r in records if r["stage"] != "(run)"))
    head = f"{'stage (CPU s)':<26}" + "".join(f"{f'k={k}':>10}" for k in joins)
    head += "".join(f"{f'exp {a}->{b}':>12}" for a, b in zip(joins, joins[1:], strict=False))
    lines = [head, "-" * len(head)]
    for name in names:
        line = f"{name:<26}"
        cpu = [by.get((k, name), {}).get("cpu_s") for k in joins]
        line += "".join(f"{'-' if c is None else f'{c:.2f}':>10}" for c in cpu)
        pairs = list(zip(joins, cpu, strict=True))
        for (a, ca), (b, cb) in zip(pairs, pairs[1:], strict=False):
            e = pipeline.exponent(a, ca, b, cb)
            line += f"{'' if e is None else f'{e:.2f}':>12}"
        lines.append(line)
    sys.stdout.write("\n".join(lines) + "\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "answer_length.csv", "w", newline="", encoding="utf-8") as fh:
        fields = ["join", "n", "stage", "seconds", "cpu_s", "peak_mb", "status"]
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(records)


if __name__ == "__main__":
    main()
