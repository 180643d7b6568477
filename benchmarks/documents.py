"""Document ingest speed: files per second per core, and where the time goes.

``python -m benchmarks.documents --files 200 [--model wordllama] [--profile 25]``
writes N generated response files (``benchmarks.generate``: headed answers,
letters without headings, campaign copies) under the default consultation,
runs ``helpers.ingest.run_ingest`` on them pinned to one core (BLAS limited to
one thread), and prints wall and CPU seconds, files per second per core, the
meaning pass's share (``segment.meaning.resolve_unstructured``, where the
sentence model runs) and, with ``--profile``, the functions taking most time
(cProfile, by own time). ``--model`` sets the consultation's
``segmentation_model`` (issue 15 item 4, benchmarks/README.md).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: set before numpy loads BLAS

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import pstats  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONSULTATION = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"


def run(files: int, seed: int, model: str, workdir: Path, profile: int = 0) -> dict:
    """Generate ``files`` documents, ingest them; timings and counts."""
    from helpers.ingest.segment import meaning
    from helpers.ingest.stage import run_ingest

    from .generate import write_corpus

    cons = workdir / "consultation.yaml"
    setting = f"\nsegmentation_model: {model}\n" if model != "minilm" else "\n"
    cons.write_text(CONSULTATION.read_text(encoding="utf-8").rstrip() + setting, encoding="utf-8")
    paths = write_corpus(workdir / "in", files, seed)
    spent = [0.0]
    inner = meaning.resolve_unstructured

    def timed(*args, **kwargs):
        t = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - t

    meaning.resolve_unstructured = timed
    import helpers.ingest.segment as segment

    segment.resolve_unstructured = timed
    prof = cProfile.Profile() if profile else None
    try:
        w, c = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        result = run_ingest(workdir / "in", cons, workdir / "out")
        if prof:
            prof.disable()
        wall, cpu = time.perf_counter() - w, time.process_time() - c
    finally:
        meaning.resolve_unstructured = segment.resolve_unstructured = inner
    out = {
        "files": len(paths),
        "model": model,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "files_per_s_per_core": round(len(paths) / cpu, 1),
        "meaning_cpu_s": round(spent[0], 2),
        "answers": len(result.answers),
        "by_meaning": int((result.answers["match_method"] == meaning.METHOD).sum()),
    }
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(profile)
        out["profile"] = buf.getvalue()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--model", default="minilm", choices=("minilm", "wordllama"))
    ap.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    ap.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the first)")
    ap.add_argument(
        "--no-pin", action="store_true", help="do not pin (CPU seconds still count one core)"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    if hasattr(os, "sched_setaffinity") and not args.no_pin:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[0] if args.cpu is None else args.cpu})
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        r = run(args.files, args.seed, args.model, Path(tmp), args.profile)
    text = r.pop("profile", "")
    print(" ".join(f"{k}={v}" for k, v in r.items()))
    if text:
        print(text)


if __name__ == "__main__":
    main()
