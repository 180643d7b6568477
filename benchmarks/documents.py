"""Document ingest speed: files per second per core, and where the time goes.

``python -m benchmarks.documents --files 200 [--model wordllama] [--profile 25]``
writes N generated response files (``benchmarks.generate``: headed answers,
letters without headings, campaign copies) under the default consultation,
runs ``helpers.ingest.run_ingest`` on them pinned to one core (BLAS limited to
one thread), and prints wall and CPU seconds, files per second per core, the
meaning pass's share (``segment.meaning.resolve_unstructured``, where the
sentence model runs) and, with ``--profile``, the functions taking most time
(cProfile on CPU time, by own time). ``--parts`` prints CPU seconds per part
of the run (reading, segmenting, the meaning pass, frames, copies);
``--warm N`` ingests N other files first so one-off costs are left out.
``--model`` sets the consultation's ``segmentation_model`` (issue 15 item 4,
benchmarks/README.md).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: set before numpy loads BLAS

import argparse  # noqa: E402
import contextlib  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import pstats  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONSULTATION = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"


# (module, attribute, label): the parts ``--parts`` times, where each is looked up when called.
PARTS = (
    ("helpers.ingest.stage", "_read_one", "read files (readers)"),
    ("helpers.ingest.stage_describe", "_segment", "segment documents"),
    ("helpers.ingest.segment.answers", "find_candidates", "  of which heading candidates"),
    ("helpers.ingest.segment.meaning", "reassign_documents", "  meaning: joint reading"),
    ("helpers.core.embedding", "encode", "  meaning: sentence vectors"),
    ("helpers.ingest.segment", "run_frames", "answer frames (mark, conform)"),
    ("helpers.ingest.segment", "place_copies", "place copied text"),
    ("helpers.ingest.stage", "detect_copies", "campaign copies"),
    ("helpers.ingest.stage", "_write", "write tables"),
)


@contextlib.contextmanager
def timed_parts(spent: dict[str, float]):
    """CPU seconds spent in each of ``PARTS`` (added to ``spent``) while the block runs."""
    import importlib

    saved = []
    for module, name, label in PARTS:
        mod = importlib.import_module(module)
        inner = getattr(mod, name, None)
        if inner is None:
            continue

        def timed(*args, _inner=inner, _label=label, **kwargs):
            t = time.process_time()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - t

        saved.append((mod, name, inner))
        setattr(mod, name, timed)
    try:
        yield spent
    finally:
        for mod, name, inner in reversed(saved):
            setattr(mod, name, inner)


FORMATS = ("txt", "docx", "eml", "html")


def convert(path: Path, fmt: str) -> Path:
    """Rewrite the generated ``.txt`` at ``path`` as ``fmt`` (one paragraph per text block),
    with the libraries users' files come from (python-docx, email); returns the new path."""
    if fmt == "txt":
        return path
    text = path.read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    new = path.with_suffix(f".{fmt}")
    if fmt == "docx":
        import docx

        doc = docx.Document()
        for block in blocks:
            for line in block.splitlines():
                doc.add_paragraph(line)
        doc.save(str(new))
    elif fmt == "eml":
        from email.message import EmailMessage

        msg = EmailMessage()
        msg["From"] = f"{path.stem}@example.org"
        msg["To"] = "consultation@example.gov.uk"
        msg["Subject"] = "Consultation response"
        msg.set_content(text)
        new.write_bytes(msg.as_bytes())
    elif fmt == "html":
        import html

        body = "\n".join(
            "<p>" + "<br>".join(html.escape(x) for x in b.splitlines()) + "</p>" for b in blocks
        )
        new.write_text(f"<html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    else:
        raise ValueError(fmt)
    path.unlink()
    return new


def run(
    files: int,
    seed: int,
    model: str,
    workdir: Path,
    profile: int = 0,
    parts: bool = False,
    formats: tuple[str, ...] = ("txt",),
    profile_out: Path | None = None,
) -> dict:
    """Generate ``files`` documents (file k written as ``formats[k % len(formats)]``),
    ingest them; timings and counts."""
    from helpers.ingest.segment import meaning
    from helpers.ingest.stage import run_ingest

    from .generate import write_corpus

    cons = workdir / "consultation.yaml"
    setting = f"\nsegmentation_model: {model}\n" if model != "minilm" else "\n"
    cons.write_text(CONSULTATION.read_text(encoding="utf-8").rstrip() + setting, encoding="utf-8")
    paths = write_corpus(workdir / "in", files, seed)
    if formats != ("txt",):
        paths = [convert(p, formats[k % len(formats)]) for k, p in enumerate(paths)]
        manifest = workdir / "in" / "manifest.csv"
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[1:] = [
            p.name + line[line.index(",") :] for p, line in zip(paths, lines[1:], strict=True)
        ]
        manifest.write_text("".join(lines), encoding="utf-8")
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
    prof = cProfile.Profile(time.process_time) if profile else None
    by_part: dict[str, float] = {}
    try:
        with timed_parts(by_part) if parts else contextlib.nullcontext():
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
    if parts:
        out["parts"] = "\n".join(
            f"  {k:32s} {v:7.2f} CPU s {1000 * v / len(paths):7.1f} ms/file"
            for k, v in sorted(by_part.items(), key=lambda kv: -kv[1])
        )
    if prof and profile_out:
        prof.dump_stats(str(profile_out))
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
    ap.add_argument(
        "--formats",
        default="txt",
        help="comma-separated file formats written in turn (txt,docx,eml,html)",
    )
    ap.add_argument("--profile-out", type=Path, default=None, help="write cProfile stats here")
    ap.add_argument("--parts", action="store_true", help="print CPU seconds per part of the run")
    ap.add_argument(
        "--warm",
        type=int,
        default=0,
        help="ingest N other files first, untimed, so one-off costs (imports, regex "
        "compilation, JIT, model loading) are paid before the timed run",
    )
    ap.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the first)")
    ap.add_argument(
        "--no-pin", action="store_true", help="do not pin (CPU seconds still count one core)"
    )
    args = ap.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if any(f not in FORMATS for f in formats):
        ap.error(f"--formats: one of {', '.join(FORMATS)}")
    logging.basicConfig(level=logging.ERROR)
    if hasattr(os, "sched_setaffinity") and not args.no_pin:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[0] if args.cpu is None else args.cpu})
    if args.warm:
        with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
            run(args.warm, args.seed + 1, args.model, Path(tmp), formats=formats)
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        r = run(
            args.files,
            args.seed,
            args.model,
            Path(tmp),
            args.profile or (40 if args.profile_out else 0),
            args.parts,
            formats,
            args.profile_out,
        )
    text = r.pop("profile", "")
    parts = r.pop("parts", "")
    print(" ".join(f"{k}={v}" for k, v in r.items()) + (f" warm={args.warm}" if args.warm else ""))
    if parts:
        print(parts)
    if text:
        print(text)


if __name__ == "__main__":
    main()
