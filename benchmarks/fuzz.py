"""Hostile inputs at full size: is each one bounded, and does it fail alone?

``make fuzz`` (``python -m benchmarks.fuzz``) builds the inputs issue 11 names,
with the libraries users' files come from (python-docx, openpyxl, csv), and
runs ``helpers.ingest.run_ingest`` on each with the default limits, each in a
fresh subprocess so its peak memory is its own. It prints, per file: status,
reason, seconds and peak resident memory. Not part of ``make test``: it takes
minutes, and a few hundred MB of scratch space (deleted afterwards).

The inputs:

- ``one-line-50mb.txt``: 50 MB of text on one line (refused by max_text_chars
  after reading; reading and normalising must be linear).
- ``one-paragraph-2mb.txt``: a heading and a 1.9 MB one-paragraph answer,
  under the limits: segmented in full.
- ``markup-bomb.txt``: 3 MB of unclosed Markdown (``**x``, ``[x``, ``# `` with
  long runs of spaces) that backtracking patterns take quadratic time on.
- ``bomb-1gb.docx``: a real .docx with a part that inflates to 1 GB.
- ``rows-1m.csv`` / ``rows-1m.xlsx``: 1,000,001 data rows, one over max_rows.
- ``broken-quotes.csv``: 5,000 rows, every 100th with an unterminated quote
  (survey rows are segmented one DataFrame each, about 150 rows a second).
- ``nested-tables.docx``: tables nested 60 deep, and ``nested-quotes.md``:
  Markdown quote and list markers nested 100,000 deep.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"
MB = 1 << 20

SURVEY_YAML = """\
id: fuzz-survey
title: Hostile survey exports
questions:
  - id: q1
    number: 1
    kind: closed
    text: Do you agree with the proposal?
  - id: q2
    number: 2
    kind: open
    text: What should change?
survey:
  respondent_id: Response ID
  questions:
    q1: {tick_box: "Q1 agree", text: "Q1 comments"}
    q2: {text: "Q2"}
"""
HEADER = ["Response ID", "Q1 agree", "Q1 comments", "Q2"]
SENTENCE = "We think the proposal is sensible. Care leavers deserve better support, e.g. housing! "


def _one_line(path: Path, mb: float) -> None:
    with path.open("w", encoding="utf-8") as f:
        for _ in range(int(mb * 1e6 / len(SENTENCE))):
            f.write(SENTENCE)


def _one_paragraph(path: Path) -> None:
    body = SENTENCE * (1_900_000 // len(SENTENCE))
    path.write_text(
        "Q4. Do you have any additional comments about our proposals?\n\n"
        f"{body}Kind regards. Jane Smith",
        encoding="utf-8",
    )


def _markup_bomb(path: Path) -> None:
    n = 5_000_000 // 4
    parts = ["**x " * (n // 3), "[x " * (n // 3), "# a" + " \t" * (n // 6) + "b\n"]
    path.write_text("\n".join(parts), encoding="utf-8")


def _docx_bomb(path: Path, inflated: int = 1 << 30) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Q1. Do you agree?")
    doc.add_paragraph("Yes.")
    doc.save(str(path))
    chunk = b" " * MB
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("customXml/item9.xml", "w", force_zip64=True) as member:
            for _ in range(inflated // MB):
                member.write(chunk)


def _rows(n: int):
    for i in range(1, n + 1):
        yield [f"R{i}", "Agree", "", f"Answer {i}"]


def _csv_rows(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(_rows(n))


def _xlsx_rows(path: Path, n: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Responses")
    ws.append(HEADER)
    for row in _rows(n):
        ws.append(row)
    wb.save(str(path))


def _broken_quotes(path: Path, n: int = 5_000) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(1, n + 1):
            if i % 100 == 0:
                f.write(f'R{i},Agree,"never closed,x\n')
            else:
                f.write(f"R{i},Agree,,Answer {i}\n")


def _nested_tables(path: Path, depth: int = 60) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Q1. Do you agree?")
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    for level in range(depth):
        cell.paragraphs[0].text = f"level {level}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    doc.save(str(path))


def _nested_quotes(path: Path, depth: int = 100_000) -> None:
    path.write_text(
        "Q1. Do you agree?\n\n" + "> " * depth + "- " * depth + "**deep**\n", encoding="utf-8"
    )


# name → (builder, consultation: "ofsted" or "survey")
INPUTS = {
    "one-line-50mb.txt": (lambda p: _one_line(p, 50), "ofsted"),
    "one-paragraph-2mb.txt": (_one_paragraph, "ofsted"),
    "markup-bomb.txt": (_markup_bomb, "ofsted"),
    "bomb-1gb.docx": (_docx_bomb, "ofsted"),
    "rows-1m.csv": (lambda p: _csv_rows(p, 1_000_001), "survey"),
    "rows-1m.xlsx": (lambda p: _xlsx_rows(p, 1_000_001), "survey"),
    "broken-quotes.csv": (_broken_quotes, "survey"),
    "nested-tables.docx": (_nested_tables, "ofsted"),
    "nested-quotes.md": (_nested_quotes, "ofsted"),
}


def _peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (``VmHWM``; see benchmarks.run)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_one(folder: Path, consultation: Path, out: Path) -> dict:
    """Ingest one folder (one file) here; report status, reason, seconds, peak MB."""
    from helpers.ingest import run_ingest

    start = time.perf_counter()
    result = run_ingest(folder, consultation, out)
    seconds = time.perf_counter() - start
    row = result.log.iloc[0]
    reason = row["reason"] if isinstance(row["reason"], str) else ""
    return {
        "status": row["status"],
        "reason": reason,
        "respondents": len(result.respondents),
        "seconds": round(seconds, 1),
        "peak_mb": round(_peak_rss_mb()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated input names (default: all)")
    parser.add_argument("--keep", type=Path, help="build the inputs here and keep them")
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "CONSULTATION", "OUT"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run_one(*(Path(a) for a in args.child))))
        return 0
    names = args.only.split(",") if args.only else list(INPUTS)
    work = args.keep or Path(tempfile.mkdtemp(prefix="fuzz-"))
    survey = work / "survey.yaml"
    work.mkdir(parents=True, exist_ok=True)
    survey.write_text(SURVEY_YAML, encoding="utf-8")
    print(
        f"{'file':24} {'MB':>7} {'build s':>7} {'status':>9} {'seconds':>8} {'peak MB':>8}  reason"
    )
    try:
        for name in names:
            build, which = INPUTS[name]
            folder = work / name.replace(".", "_")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            t = time.perf_counter()
            build(folder / name)
            built = time.perf_counter() - t
            size = (folder / name).stat().st_size / MB
            consultation = OFSTED if which == "ofsted" else survey
            child = subprocess.run(
                [sys.executable, "-m", "benchmarks.fuzz", "--child", str(folder),
                 str(consultation), str(work / "out" / name)],
                capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            if child.returncode != 0:
                tail = child.stderr.strip().splitlines()[-1:] or ["?"]
                print(f"{name:24} {size:7.1f} {built:7.1f} {'CRASHED':>9}  {tail[0]}")
                continue
            r = json.loads(child.stdout.strip().splitlines()[-1])
            reason = r["reason"] if len(r["reason"]) <= 160 else r["reason"][:157] + "..."
            print(
                f"{name:24} {size:7.1f} {built:7.1f} {r['status']:>9} {r['seconds']:8.1f} "
                f"{r['peak_mb']:8d}  {reason}",
                flush=True,
            )
            if args.keep is None:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
