"""The whole pipeline on generated consultations of growing size: time and peak memory per stage.

    python -m benchmarks.pipeline --sizes 1000,10000,100000 [--timeout 600] [--formats html,pdf] [--rerun]

For each size a fresh subprocess writes a survey export (CSV) of that many
respondents from the realistic generator (``benchmarks.generate`` with
``with_zipf``: Zipf vocabulary, 8 % campaign copies; tick boxes on the closed
questions) and runs the stages as notebooks 01-04 call them:

- ``ingest``: ``helpers.ingest.run_ingest`` (read, segment, campaign copies);
- ``coding``: ``helpers.coding.run_coding``, with its steps timed separately by
  wrapping the functions it calls: ``code`` (``code_answers``), ``semantic``,
  ``trained`` (the codebook's ``training_answers``), ``learned``, ``stance``
  (``stance_answers``), ``uncoded``, ``suggest``;
- ``analysis``: ``load_inputs``, ``analysis_tables``, ``write_tables``, ``write_charts``
  (notebook 03);
- ``report_html``: ``load_inputs`` + ``build_report`` + ``render_html`` (notebook 04 and
  publish, without nbconvert);
- ``pdf``: ``write_pdf`` of that HTML (WeasyPrint).

With ``--rerun``, ingest and coding write the stage cache (``cache_dir``, as a
pipeline run does by default) and are timed again: on the unchanged export
(``(unchanged re-run)``: the tables come from the cache), then after 1 % more
rows are appended to it (``(export grown 1%)``: only the new rows are parsed;
segmentation, campaign copies and coding run on all of them).

Peak memory is each stage's own: the kernel's high-water mark is reset before
the stage (``/proc/self/clear_refs``) and read after it (``VmHWM``); a step's
(``coding: trained``, ``ingest: campaigns``) is the maximum of the resident memory
sampled every 0.1 s during it (``RssSampler``). A size
that runs past ``--timeout`` seconds is stopped and reported with the stages it
finished. The growth exponent of a stage between two sizes is
``log(t2 / t1) / log(n2 / n1)``: 1 is linear, 2 quadratic.

Results are printed and written to ``--out`` (``benchmarks/out/pipeline.csv``).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from .generate import codebook_vocabulary, default_paths, make_respondent, with_zipf

log = logging.getLogger(__name__)

OUT_DIR = Path(__file__).resolve().parent / "out"
STAGES = ("ingest", "coding", "analysis", "report_html", "pdf")
# run_coding's steps, as (module, attribute, step name): wrapped to time each one.
CODING_STEPS = (
    ("helpers.coding.stage", "code_answers", "code"),
    ("helpers.coding.stage", "add_semantic", "semantic"),
    ("helpers.coding.stage", "add_trained_codes", "trained"),
    ("helpers.coding.stage", "add_learned_codes", "learned"),
    ("helpers.stance", "stance_answers", "stance"),
    ("helpers.coding.stage", "uncoded", "uncoded"),
    ("helpers.coding.stage", "suggest_terms", "suggest"),
)
# ingest's steps, timed the same way: campaign detection was most of ingest (session 15).
INGEST_STEPS = (("helpers.ingest.assemble", "detect_copies", "campaigns"),)
TICKS = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
         "Strongly disagree", "Don't know", "")  # fmt: skip
TICK_WEIGHTS = (20, 25, 10, 20, 15, 5, 5)


# -- the generated consultation -------------------------------------------------


def _columns(question) -> dict[str, str]:
    if question.kind == "closed":
        return {"tick_box": f"Q{question.number} tick", "text": f"Q{question.number} comments"}
    label = f"Q{question.number}" if question.number is not None else question.id
    return {"text": label}


def write_consultation(workdir: Path, seed: int, n: int) -> tuple[Path, Path, Path]:
    """A survey consultation of ``n`` generated respondents in ``workdir``.

    Returns (consultation YAML, codebook YAML, input folder with ``export.csv``).
    The consultation is the default one with a ``survey:`` mapping added.
    """
    from helpers.core.consultation import load_consultation

    consultation_path, codebook_path = default_paths()
    consultation = load_consultation(consultation_path)
    raw = yaml.safe_load(consultation_path.read_text(encoding="utf-8"))
    questions = [q for q in consultation.questions if q.kind != "profile"]
    raw["survey"] = {
        "respondent_id": "Response ID",
        "organisation": "Organisation",
        "respondent_type": "Respondent type",
        "questions": {q.id: _columns(q) for q in questions},
    }
    cons_out = workdir / "consultation.yaml"
    cons_out.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    header = ["Response ID", "Organisation", "Respondent type"]
    for q in questions:
        header += list(_columns(q).values())
    folder = workdir / "in"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(header)
    append_rows(folder / "export.csv", seed, 0, n)
    return cons_out, codebook_path, folder


def append_rows(export: Path, seed: int, start: int, stop: int) -> None:
    """Append generated respondents ``start`` to ``stop - 1`` to the export (as a download
    of a still-open survey grows)."""
    from helpers.core.consultation import load_consultation

    consultation_path, codebook_path = default_paths()
    consultation = load_consultation(consultation_path)
    questions = [q for q in consultation.questions if q.kind != "profile"]
    vocab = with_zipf(codebook_vocabulary(codebook_path), seed)
    with open(export, "a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for k in range(start, stop):
            r = make_respondent(consultation, vocab, seed, k)
            said = dict(r.answers)
            rng = random.Random(f"{seed}:{k}:tick")
            row = [r.respondent_id, r.organisation or "", r.respondent_type.replace("_", " ")]
            for q in questions:
                if q.kind == "closed":
                    row.append(rng.choices(TICKS, TICK_WEIGHTS)[0])
                row.append(said.get(q.id, ""))
            w.writerow(row)


# -- one size, in a fresh process ------------------------------------------------


def _reset_peak() -> None:
    """Reset this process's peak RSS (Linux 4.0+); elsewhere peaks are cumulative."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def load_inputs(processed: Path, cons: Path, codebook: Path):
    """``analysis.load_inputs`` as notebooks 03 and 04 call it (without the whole responses
    and the answers' text, when the checkout under test has those options, so older sources
    can be timed too)."""
    import inspect

    from helpers import analysis

    kw = {}
    params = inspect.signature(analysis.load_inputs).parameters
    if "response_text" in params:
        kw["response_text"] = False
    if "answer_text" in params:  # nor every answer's text (session 13)
        kw["answer_text"] = False
    return analysis.load_inputs(processed, cons, codebook, **kw)


class RssSampler:
    """The resident memory read every ``interval`` seconds in a daemon thread, its running
    maximum since the last ``reset``: the peak of a step inside a stage, whose own peak
    (``VmHWM``) cannot be reset without losing the stage's. A step shorter than the
    interval reads its start and end only (``reset`` and ``peak`` read the RSS too)."""

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        self.interval = interval
        self._max = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def rss_mb() -> float:
        """This process's resident memory now, MB (``/proc/self/statm``; 0 elsewhere)."""
        import os

        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0.0
        return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._max = max(self._max, self.rss_mb())

    def reset(self) -> None:
        self._max = self.rss_mb()

    def peak(self) -> float:
        self._max = max(self._max, self.rss_mb())
        return self._max

    def stop(self) -> None:
        self._stop.set()


_SAMPLER: list[RssSampler | None] = [None]  # started in the child, for the steps' peaks


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _cpu() -> float:
    """CPU seconds of this process, every thread (steadier than the wall on a shared machine)."""
    return time.process_time()


_PROFILE: list[Path | None] = [None]  # --profile: a folder for one cProfile file per stage


def _timed(name: str, n: int, fn: Callable[[], object]) -> object:
    _reset_peak()
    profiler = None
    if _PROFILE[0] is not None:
        import cProfile

        # A CPU clock: on a shared machine the wall time is mostly waiting for a core.
        profiler = cProfile.Profile(_cpu)
        profiler.enable()
    t0, c0 = time.perf_counter(), _cpu()
    result = fn()
    if profiler is not None:
        profiler.disable()
        _PROFILE[0].mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(_PROFILE[0] / f"{n}-{name.replace(' ', '_')}.prof")
    _emit({"n": n, "stage": name, "seconds": time.perf_counter() - t0,
           "cpu_s": _cpu() - c0, "peak_mb": _peak_mb()})  # fmt: skip
    return result


_STEPS_TIMED = [True]  # off during the re-runs, so the cold run's step times stay in the table


def _wrap_steps(n: int, steps=CODING_STEPS, stage: str = "coding") -> None:
    """Time a stage's steps by wrapping the functions it calls (``CODING_STEPS``,
    ``INGEST_STEPS``)."""
    import importlib

    for module_name, attr, step in steps:
        module = importlib.import_module(module_name)
        inner = getattr(module, attr)

        def wrapper(*args, _inner=inner, _step=step, **kwargs):
            sampler = _SAMPLER[0]
            if sampler is not None:
                sampler.reset()
            t0, c0 = time.perf_counter(), _cpu()
            out = _inner(*args, **kwargs)
            if _STEPS_TIMED[0]:
                peak = None if sampler is None else sampler.peak()
                _emit({"n": n, "stage": f"{stage}: {_step}", "seconds": time.perf_counter() - t0,
                       "cpu_s": _cpu() - c0, "peak_mb": peak})  # fmt: skip
            return out

        setattr(module, attr, wrapper)


def bench_limits(export_bytes: int) -> dict[str, float]:
    """Ingest limits that let the generated export through: the default ``max_file_mb``
    (200) is sized for a million *short* answers, and the generator writes about 6.4 KB a
    respondent (615 MB at 100,000), so the default failed the file in under a second and
    every later stage ran on nothing; reading it takes longer than the default 300 s per
    file on a loaded machine. Rows stay bounded by the default ``max_rows``."""
    return {
        "max_file_mb": max(200.0, export_bytes * 1.2 / (1 << 20)),
        "max_seconds_per_file": 7200.0,
    }


def _ingested(reuse: Path | None, n: int, seed: int) -> Path | None:
    """The folder keeping this size's export and ingest output between runs (``--reuse``)."""
    return None if reuse is None else reuse / f"{n}-seed{seed}"


def run_size(
    n: int,
    seed: int,
    workdir: Path,
    formats: tuple[str, ...],
    stages: tuple[str, ...] = STAGES,
    reuse: Path | None = None,
    rerun: bool = False,
) -> None:
    """The ``stages`` (each needs the ones before it) on ``n`` generated respondents, a JSON
    line per stage on stdout; report_html and pdf only for the ``formats`` asked for.

    ``rerun``: ingest and coding write the stage cache (as a pipeline run does by
    default), then run again on the unchanged export, and once more after 1 % more
    rows are appended to it (``_reruns``).

    ``reuse``: a folder where the export and the ingest stage's output are kept
    per size and seed; when they are there, ingest is not run again (reported as
    ``ingest (reused)``), so the later stages can be compared quickly."""
    import shutil

    from helpers import analysis, report
    from helpers.coding import run_coding
    from helpers.ingest import run_ingest
    from helpers.report.pdf import write_pdf
    from helpers.report.publish import render_html

    kept = _ingested(reuse, n, seed)
    limits = None
    cache = workdir / "cache" if rerun else None
    processed, out = workdir / "processed", workdir / "report"
    if kept is not None and (kept / "done").exists():
        shutil.copytree(kept, workdir, dirs_exist_ok=True)
        cons, codebook, folder = workdir / "consultation.yaml", default_paths()[1], workdir / "in"
        _emit({"n": n, "stage": "ingest (reused)", "seconds": None, "peak_mb": None})
    else:
        t0 = time.perf_counter()
        if kept is not None and (kept / "in" / "export.csv").exists():  # generated, not ingested
            shutil.copytree(kept / "in", workdir / "in", dirs_exist_ok=True)
            shutil.copy(kept / "consultation.yaml", workdir / "consultation.yaml")
            cons, codebook, folder = (
                workdir / "consultation.yaml",
                default_paths()[1],
                workdir / "in",
            )
        else:
            cons, codebook, folder = write_consultation(workdir, seed, n)
        size = (folder / "export.csv").stat().st_size
        limits = bench_limits(size)
        _wrap_steps(n, INGEST_STEPS, "ingest")
        _emit({"n": n, "stage": "generate (not a stage)", "seconds": time.perf_counter() - t0,
               "peak_mb": None, "export_mb": size / 1e6})  # fmt: skip
        _timed(
            "ingest",
            n,
            lambda: run_ingest(
                folder, cons, processed, metadata_file=None, cache_dir=cache, limits=limits
            ),
        )
        if kept is not None:
            shutil.copytree(workdir, kept, dirs_exist_ok=True)
            (kept / "done").touch()
    if "coding" not in stages:
        return
    _wrap_steps(n)
    _timed("coding", n, lambda: run_coding(processed, cons, codebook, cache_dir=cache))
    if cache is not None:
        _reruns(n, seed, workdir, cons, codebook, cache)
    if "analysis" not in stages:
        return

    def analyse() -> None:
        inputs = load_inputs(processed, cons, codebook)
        analysis.write_tables(analysis.analysis_tables(inputs), out)
        analysis.write_charts(inputs, out)

    _timed("analysis", n, analyse)

    def html() -> str:
        inputs = load_inputs(processed, cons, codebook)
        body = report.build_report(inputs, output_dir=out)
        page = render_html(body, inputs.consultation.title)
        (out / "report.html").write_text(page, encoding="utf-8")
        return page

    if "report_html" in stages and ("html" in formats or "pdf" in formats):
        page = _timed("report_html", n, html)
        if "pdf" in formats and "pdf" in stages:
            _timed("pdf", n, lambda: write_pdf(page, out / "report.pdf"))


def _reruns(n: int, seed: int, workdir: Path, cons: Path, codebook: Path, cache: Path) -> None:
    """Ingest and coding again through the stage cache: unchanged, then with 1 % more rows."""
    from helpers.coding import run_coding
    from helpers.ingest import run_ingest

    folder, again = workdir / "in", workdir / "processed-again"
    _STEPS_TIMED[0] = False
    for label in ("unchanged re-run", "export grown 1%"):
        if label != "unchanged re-run":
            append_rows(folder / "export.csv", seed, n, n + max(1, n // 100))
        limits = bench_limits((folder / "export.csv").stat().st_size)
        _timed(
            f"ingest ({label})",
            n,
            lambda limits=limits: run_ingest(
                folder, cons, again, metadata_file=None, cache_dir=cache, limits=limits
            ),
        )
        _timed(f"coding ({label})", n, lambda: run_coding(again, cons, codebook, cache_dir=cache))
    _STEPS_TIMED[0] = True


# -- the parent: sizes, table, exponents ---------------------------------------------


def measure(
    sizes: list[int],
    seed: int,
    timeout: float,
    formats: tuple[str, ...],
    stages: tuple[str, ...] = STAGES,
    reuse: Path | None = None,
    rerun: bool = False,
    profile: Path | None = None,
) -> list[dict]:
    """Run each size in a fresh subprocess (at most ``timeout`` seconds); the stage records."""
    records: list[dict] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "benchmarks.pipeline", "--child", str(n), "--seed",
                   str(seed), "--workdir", tmp, "--formats", ",".join(formats),
                   "--stages", ",".join(stages)]  # fmt: skip
            if reuse is not None:
                cmd += ["--reuse", str(reuse)]
            if rerun:
                cmd += ["--rerun"]
            if profile is not None:
                cmd += ["--profile", str(profile.resolve())]
            log.info("pipeline benchmark: %s respondents (at most %.0f s)", f"{n:,}", timeout)
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )  # fmt: skip
            try:
                stdout, stderr = proc.communicate(timeout=timeout)
                status = "ok" if proc.returncode == 0 else f"failed: {stderr.strip()[-300:]}"
            except subprocess.TimeoutExpired:
                proc.kill()
                stdout, stderr = proc.communicate()
                status = f"stopped after {timeout:.0f} s"
            got = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
            for r in got:
                r["status"] = status
            records += got
            if status != "ok":
                log.warning("%s respondents: %s", f"{n:,}", status)
                records.append({"n": n, "stage": "(run)", "seconds": None, "peak_mb": None,
                                "status": status})  # fmt: skip
    return records


def exponent(n1: int, t1: float | None, n2: int, t2: float | None) -> float | None:
    """``log(t2 / t1) / log(n2 / n1)``: how the time grows with the size (1: linearly)."""
    if not t1 or not t2 or n1 == n2 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def table(records: list[dict], clock: str = "seconds") -> str:
    """Stages by size: seconds (``clock``: ``seconds``, the wall, or ``cpu_s``) and peak MB,
    and the growth exponent between sizes."""
    sizes = sorted({r["n"] for r in records})
    stages = list(dict.fromkeys(r["stage"] for r in records if r["stage"] != "(run)"))
    by = {(r["n"], r["stage"]): r for r in records}
    unit = "CPU s" if clock == "cpu_s" else "s"
    head = f"{'stage':<26}" + "".join(f"{f'{n:,} {unit}':>12}{'peak MB':>9}" for n in sizes)
    head += "".join(f"{f'exp {a:,}->{b:,}':>20}" for a, b in zip(sizes, sizes[1:], strict=False))
    lines = [head, "-" * len(head)]
    for stage in stages:
        line = f"{stage:<26}"
        for n in sizes:
            r = by.get((n, stage))
            secs = "-" if r is None or r.get(clock) is None else f"{r[clock]:.2f}"
            peak = "" if r is None or r.get("peak_mb") is None else f"{r['peak_mb']:.0f}"
            line += f"{secs:>12}{peak:>9}"
        for a, b in zip(sizes, sizes[1:], strict=False):
            ra, rb = by.get((a, stage)), by.get((b, stage))
            e = exponent(a, ra and ra.get(clock), b, rb and rb.get(clock))
            line += f"{'' if e is None else f'{e:.2f}':>20}"
        lines.append(line)
    for n in sizes:
        status = next((r["status"] for r in records if r["n"] == n), "")
        if status != "ok":
            lines.append(f"{n:,} respondents: {status}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="respondents per run, e.g. 1000,10000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed per size")
    ap.add_argument("--formats", default="html,pdf", help="report formats: html, pdf or both")
    ap.add_argument(
        "--stages", default=",".join(STAGES), help=f"run up to these, from {','.join(STAGES)}"
    )
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--reuse",
        type=Path,
        help="keep each size's export and ingest output here and reuse them on later runs",
    )
    ap.add_argument(
        "--rerun",
        action="store_true",
        help="use the stage cache and time ingest and coding again: unchanged, then with 1%% "
        "more rows appended to the export",
    )
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="tabulate CPU seconds instead of wall seconds (a shared machine)",
    )
    ap.add_argument(
        "--profile",
        type=Path,
        help="write a cProfile file per stage and size here (<n>-<stage>.prof; CPU clock; slower)",
    )
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {', '.join(STAGES)}")
    if args.rerun and (args.reuse is not None or "coding" not in stages):
        ap.error("--rerun needs the coding stage and a fresh ingest (not --reuse)")
    if args.child is not None:
        logging.basicConfig(level=logging.ERROR)
        _PROFILE[0] = args.profile
        _SAMPLER[0] = RssSampler()
        run_size(args.child, args.seed, args.workdir, formats, stages, args.reuse, args.rerun)
        return
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    records = measure(
        sizes, args.seed, args.timeout, formats, stages, args.reuse, args.rerun, args.profile
    )
    sys.stdout.write(table(records, "cpu_s" if args.cpu else "seconds") + "\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "pipeline.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["n", "stage", "seconds", "cpu_s", "peak_mb", "status"],
                           extrasaction="ignore")  # fmt: skip
        w.writeheader()
        w.writerows(records)


if __name__ == "__main__":
    main()
