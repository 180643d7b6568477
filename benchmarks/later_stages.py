"""The stages after coding (analysis, report_html, pdf) on a processed folder, and a
processed folder scaled up from a smaller one, so 100,000 respondents can be timed
without ingesting and coding them (issue 15).

    # a processed folder of 10,000 respondents, kept by the pipeline benchmark:
    python -m benchmarks.pipeline --sizes 10000 --stages ingest,coding --reuse /tmp/keep
    # ten copies of it (100,000 respondents):
    python -m benchmarks.later_stages scale /tmp/keep/10000-seed1/processed /tmp/p100k --times 10
    # time the stages, as benchmarks.pipeline calls them (seconds, CPU seconds, peak MB):
    python -m benchmarks.later_stages run /tmp/p100k /tmp/out100k
    # the analysis stage step by step (CPU seconds, peak MB, resident MB after each):
    python -m benchmarks.later_stages steps /tmp/p100k /tmp/out100k

``scale`` copies every table ``times`` times: respondent ids and campaign groups get a
``-c<k>`` suffix, and in copies 2.. every respondent text (response, answers, quotes,
stance evidence, uncoded answers) a `` w<k>`` suffix word, so texts repeat across the
copies no more than they did within one (synthesis embeds every distinct sentence).
Quotes' offsets still point into the (suffixed) response text. ``run`` prints one JSON
line per stage; peak memory is the stage's own (``/proc/self/clear_refs``), as in
``benchmarks.pipeline``. The consultation is the folder's ``consultation.yaml`` (the
pipeline benchmark's generated one) and the codebook the default one.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import time
from pathlib import Path

import pandas as pd

from .generate import default_paths
from .pipeline import _peak_mb, _reset_peak, load_inputs

TEXT_COLUMNS = {
    "respondents": ("text",),
    "answers": ("answer_text",),
    "codes": ("quote",),
    "stances": ("evidence",),
    "uncoded": ("answer_text",),
}
TABLES = ("respondents", "answers", "codes", "stances", "uncoded", "copies", "attributes")


def scale(src: Path, dst: Path, times: int) -> dict[str, int]:
    """Write ``times`` copies of ``src``'s tables to ``dst``; rows per table."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "consultation.yaml", dst / "consultation.yaml")
    rows = {}
    for name in TABLES:
        path = src / f"{name}.parquet"
        if not path.exists():
            continue
        df = pd.read_parquet(path)
        parts = []
        for k in range(1, times + 1):
            d = df.copy()
            d["respondent_id"] = d["respondent_id"].astype(str) + f"-c{k}"
            if "copy_group" in d:
                d["copy_group"] = d["copy_group"].astype(str) + f"-c{k}"
            for col in TEXT_COLUMNS.get(name, ()) if k > 1 else ():
                if col in d:
                    d[col] = d[col].where(d[col].isna(), d[col].astype(str) + f" w{k}")
            parts.append(d)
        out = pd.concat(parts, ignore_index=True).astype(dict(df.dtypes))
        out.to_parquet(dst / path.name, index=False)
        rows[name] = len(out)
    log = src / "ingest_log.parquet"
    if log.exists():
        df = pd.read_parquet(log)
        for col in ("n_respondents", "n_answers"):
            if col in df:
                df[col] = df[col] * times
        df.to_parquet(dst / log.name, index=False)
    return rows


def run(processed: Path, out: Path, stages: tuple[str, ...]) -> list[dict]:
    """Time analysis, report_html and pdf on ``processed`` (writing into ``out``)."""
    from helpers import analysis, report
    from helpers.report.pdf import write_pdf
    from helpers.report.publish import render_html

    shutil.rmtree(out, ignore_errors=True)
    cons, codebook = processed / "consultation.yaml", default_paths()[1]
    records = []

    def timed(name, fn):
        _reset_peak()
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        rec = {"stage": name, "seconds": round(time.perf_counter() - t0, 2),
               "cpu": round(time.process_time() - c0, 2), "peak_mb": round(_peak_mb())}  # fmt: skip
        print(json.dumps(rec), flush=True)
        records.append(rec)
        return result

    def analyse() -> None:
        inputs = load_inputs(processed, cons, codebook)
        analysis.write_tables(analysis.analysis_tables(inputs), out)
        analysis.write_charts(inputs, out)

    def html() -> str:
        inputs = load_inputs(processed, cons, codebook)
        page = render_html(report.build_report(inputs, output_dir=out), inputs.consultation.title)
        (out / "report.html").write_text(page, encoding="utf-8")
        return page

    if "analysis" in stages:
        timed("analysis", analyse)
    page = timed("report_html", html)
    if "pdf" in stages:
        timed("pdf", lambda: write_pdf(page, out / "report.pdf"))
    return records


def steps(processed: Path, out: Path) -> list[dict]:
    """The analysis stage step by step: load_inputs, synthesise (inside analysis_tables),
    the other tables, write_tables, write_charts; CPU seconds, the step's peak and the
    resident memory after it (what the process keeps)."""
    from helpers import analysis
    from helpers.analysis import tables as tables_module

    shutil.rmtree(out, ignore_errors=True)
    cons, codebook = processed / "consultation.yaml", default_paths()[1]
    records = []

    def step(name, fn):
        _reset_peak()
        c0 = time.process_time()
        result = fn()
        rec = {"step": name, "cpu": round(time.process_time() - c0, 2),
               "peak_mb": round(_peak_mb()), "rss_mb": round(_rss_mb())}  # fmt: skip
        print(json.dumps(rec), flush=True)
        records.append(rec)
        return result

    inputs = step("load_inputs", lambda: load_inputs(processed, cons, codebook))
    synthesise = tables_module.synthesise
    tables_module.synthesise = lambda inp: step("synthesise", lambda: synthesise(inp))
    try:
        tables = step("analysis_tables", lambda: analysis.analysis_tables(inputs))
    finally:
        tables_module.synthesise = synthesise
    step("write_tables", functools.partial(analysis.write_tables, tables, out))
    del tables
    step("write_charts", lambda: analysis.write_charts(inputs, out))
    return records


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scale", help="copy a processed folder's tables N times")
    s.add_argument("src", type=Path)
    s.add_argument("dst", type=Path)
    s.add_argument("--times", type=int, default=10)
    r = sub.add_parser("run", help="time analysis, report_html and pdf on a processed folder")
    r.add_argument("processed", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--stages", default="analysis,report_html,pdf")
    st = sub.add_parser("steps", help="the analysis stage step by step (CPU, peak and RSS)")
    st.add_argument("processed", type=Path)
    st.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    if args.command == "scale":
        print(json.dumps(scale(args.src, args.dst, args.times)))
    elif args.command == "steps":
        steps(args.processed, args.out)
    else:
        run(args.processed, args.out, tuple(args.stages.split(",")))


if __name__ == "__main__":
    main()
