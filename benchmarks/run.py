"""Speed and memory benchmarks: the project's coder against baselines, side by side.

    python -m benchmarks.run [--mb 50] [--sizes 10,50,200] [--engines project,nltk,spacy,scan]

Throughput: one synthetic corpus (``benchmarks.generate``) of ``--mb`` MB is
generated in chunks of ``--chunk-mb``; every engine codes each chunk in turn,
timed without the generation. An engine that has used ``--max-seconds`` stops
early and its rate is over what it coded (marked ``partial``). The process is
pinned to one CPU core, so every figure is per core, except ``project_parallel``
(``--workers N``): ``helpers.coding.runner.code_answers(..., workers=N)`` run unpinned,
on all allowed cores, so its rate is wall-clock over N processes.

Memory: for each of ``--sizes`` a fresh subprocess streams the generator
straight into the engine and reports its peak RSS (``VmHWM``; see
``_peak_rss_mb``), so a flat column shows text is streamed, not held.

Results are printed as a table and written as CSV to ``--out`` (default
``benchmarks/out/``, git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import logging
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.consultation import Consultation, load_consultation

from .baselines import NltkBaseline, ReadBaseline, ScanBaseline, SpacyBaseline, corpus_vocabulary
from .generate import (
    DEFAULT_CAMPAIGN_SHARE,
    DEFAULT_ZIPF_WORDS,
    Row,
    Vocabulary,
    codebook_vocabulary,
    default_paths,
    iter_answers,
    with_zipf,
)

log = logging.getLogger(__name__)

MB = 1_000_000
_NON_WORD_RE = re.compile(r"[\W_]+")
ALL_ENGINES = (
    "pipeline", "project", "project_themes", "project_python", "project_python_themes",
    "project_parallel", "semantic", "nltk", "spacy", "scan", "read",
)  # fmt: skip
DEFAULT_ENGINES = ("pipeline", "project", "project_themes", "nltk", "spacy", "scan")
# The engine the others are compared with: the first of these that runs.
REFERENCE_ENGINES = ("pipeline", "project")
MEMORY_ENGINES = ("project", "scan")
OUT_DIR = Path(__file__).resolve().parent / "out"
# The cores this process may use before ``_pin`` narrows it to one (None: not pinned).
_ALL_CPUS: set[int] | None = None


@dataclass
class Engine:
    """A named coder: ``run(rows)`` codes the rows and returns how many codes it produced.

    ``themes(rows)`` returns the set of ``(respondent_id, question_id, theme_id)``
    it raises (not negated), to check that the engines do comparable work.
    """

    name: str
    description: str
    run: Callable[[Iterable[Row]], int]
    themes: Callable[[list[Row]], set[tuple[str, str, str]]] | None = None
    setup_seconds: float = 0.0
    # Called before every timed pass, so repeats of a chunk start from the same state
    # (stance's memo caches would otherwise make a second pass over the same text fast).
    reset: Callable[[], None] | None = None
    # Called untimed on each chunk; ``run`` then gets what it returns (the pipeline
    # engine's ANSWERS and RESPONDENTS frames, which ingest would have made).
    prepare: Callable[[list[Row]], object] | None = None


CORPORA = ("zipf", "templates")


def corpus_vocab(
    codebook_path: Path,
    corpus: str,
    seed: int,
    zipf_words: int = DEFAULT_ZIPF_WORDS,
    campaign_share: float = DEFAULT_CAMPAIGN_SHARE,
) -> Vocabulary:
    """The generator's vocabulary for ``corpus``: "zipf" (the default: filler from a Zipf
    lexicon of ``zipf_words`` words, ``campaign_share`` campaign copies; ``with_zipf``)
    or "templates" (the template sentences alone: few distinct words, many repeats)."""
    vocab = codebook_vocabulary(codebook_path)
    if corpus == "templates":
        return vocab
    if corpus != "zipf":
        raise ValueError(f"corpus must be one of {', '.join(CORPORA)}, got {corpus!r}")
    return with_zipf(vocab, seed, zipf_words, campaign_share)


# -- engines -----------------------------------------------------------------


def _baseline_engine(baseline, setup_seconds: float) -> Engine:
    def run(rows: Iterable[Row]) -> int:
        return sum(len(found) for found in baseline.code_rows(rows))

    def themes(rows: list[Row]) -> set[tuple[str, str, str]]:
        return {
            (rid, qid, t)
            for (rid, qid, _), found in zip(rows, baseline.code_rows(rows), strict=True)
            for t in found
        }

    return Engine(baseline.name, baseline.description, run, themes, setup_seconds)


def _project_engine(
    consultation: Consultation, codebook_path: Path, with_stance: bool, engine: str = "compiled"
) -> Engine:
    """The project's coder (``helpers.coding.coder``, ``engine`` "compiled" or "python") coding the
    stream in batches (``Coder.code_frames``), plus stance on closed questions."""
    from helpers.coding import coder as code_mod
    from helpers.coding.codebook import load_codebook

    t0 = time.perf_counter()
    codebook = load_codebook(codebook_path)
    coder = code_mod.Coder(codebook, engine=engine)
    # Compile (or load from numba's cache) before timing: a one-off per installation.
    list(coder.code_stream([("warm-up", "q1", "Housing matters to care leavers.")]))
    closed = frozenset(q.id for q in consultation.closed_questions)
    infer_stances = None
    if with_stance:
        from helpers.stance import infer_stances

        infer_stances([" We agree with the proposal."] * 2 + ["x" * 300])  # compile, as above
    setup = time.perf_counter() - t0

    def rows_with_stance(rows: Iterable[Row]) -> Iterator[Row]:
        # Stance is inferred as rows stream past (closed answers, a batch at a time),
        # so a single pass in bounded memory serves both.
        batch: list[str] = []
        size = 0
        for row in rows:
            if row[1] in closed:
                batch.append(row[2])
                size += len(row[2])
                if size >= code_mod.BATCH_CHARS:
                    infer_stances(batch)
                    batch, size = [], 0
            yield row
        if batch:
            infer_stances(batch)

    def run(rows: Iterable[Row]) -> int:
        stream = rows_with_stance(rows) if infer_stances else rows
        return sum(len(f) for f in coder.code_frames(stream))

    def themes(rows: list[Row]) -> set[tuple[str, str, str]]:
        return {
            (c["respondent_id"], c["question_id"], c["theme_id"])
            for c in coder.code_stream(rows)
            if not c.get("negated", False)
        }

    name = {
        ("compiled", True): "project",
        ("compiled", False): "project_themes",
        ("python", True): "project_python",
        ("python", False): "project_python_themes",
    }[(engine, with_stance)]
    what = f"helpers.coding.coder {engine} coder, batches of {code_mod.BATCH_CHARS:,} characters"
    what += " + helpers.stance.infer_stances on closed questions" if with_stance else " (no stance)"
    reset = None
    if with_stance:
        from helpers.stance import clear_caches as reset
    return Engine(name, what, run, themes, setup, reset)


def _frames(rows: list[Row]):
    """ANSWERS and RESPONDENTS frames for ``rows``: each respondent's answers joined into
    one text (a blank line between), as ingest would hold them (with ``answer_text``
    and ``substantive``: every generated answer says something)."""
    import pandas as pd

    texts: dict[str, str] = {}
    rids, qids, starts, ends = [], [], [], []
    for rid, qid, text in rows:
        prev = texts.get(rid)
        start = 0 if prev is None else len(prev) + 2
        texts[rid] = text if prev is None else f"{prev}\n\n{text}"
        rids.append(rid)
        qids.append(qid)
        starts.append(start)
        ends.append(start + len(text))
    answers = pd.DataFrame(
        {"respondent_id": rids, "question_id": qids, "start": starts, "end": ends}
    )
    answers["answer_text"] = [t for _, _, t in rows]
    answers["substantive"] = True
    respondents = pd.DataFrame({"respondent_id": list(texts), "text": list(texts.values())})
    return answers, respondents


def _pipeline_engine(consultation: Consultation, codebook_path: Path) -> Engine:
    """What the pipeline runs (``helpers.coding.run_coding``, notebook 02): dictionary
    coding with ``helpers.coding.code_answers`` and stance with
    ``helpers.stance.stance_answers``, on ANSWERS and RESPONDENTS frames, in this process.

    The frames are built untimed (``prepare``: ingest's work); the timing covers
    both entry points end to end, with their table building and conforming.
    """
    from helpers.coding import code_answers
    from helpers.coding.codebook import load_codebook
    from helpers.stance import clear_caches, stance_answers

    t0 = time.perf_counter()
    codebook = load_codebook(codebook_path, consultation=consultation)
    # Compile (or load numba's cache) before timing, and build the once-per-process tables
    # of the readers an answer with no stated position reaches (the sentiment gate's VADER).
    warm = [("warm-up", q.id, "We agree. Housing matters.") for q in consultation.questions]
    warm += [("warm-up-2", q.id, "The buses are late and the fares are far too high.")
             for q in consultation.questions]  # fmt: skip
    answers, respondents = _frames(warm)
    code_answers(answers, respondents, codebook, consultation)
    stance_answers(answers, respondents, consultation)
    setup = time.perf_counter() - t0

    def run(frames) -> int:
        answers, respondents = frames
        codes = code_answers(answers, respondents, codebook, consultation)
        stances = stance_answers(answers, respondents, consultation)
        return len(codes) + len(stances)

    def themes(rows: list[Row]) -> set[tuple[str, str, str]]:
        answers, respondents = _frames(rows)
        codes = code_answers(answers, respondents, codebook, consultation)
        codes = codes.loc[~codes["negated"].astype(bool)]
        return set(
            zip(codes["respondent_id"], codes["question_id"], codes["theme_id"], strict=True)
        )

    return Engine(
        "pipeline",
        "helpers.coding.code_answers + helpers.stance.stance_answers on ANSWERS/RESPONDENTS "
        "frames (what run_coding calls)",
        run,
        themes,
        setup,
        reset=clear_caches,
        prepare=_frames,
    )


def _parallel_engine(consultation: Consultation, codebook_path: Path, workers: int) -> Engine:
    """``helpers.coding.runner.code_answers(..., workers=N)`` on each chunk, timed by the wall clock.

    Not pinned: while it runs this process (and so the workers it forks) may use
    every core it was allowed before ``_pin``. The time includes what the API
    costs end to end: starting the pool, a ``Coder`` built in each worker,
    shipping texts and rows, and the CODES frame (building the input frames is
    timed too but takes milliseconds).
    """
    from helpers.coding.codebook import load_codebook
    from helpers.coding.runner import _check_workers, code_answers

    t0 = time.perf_counter()
    n = _check_workers(workers)
    codebook = load_codebook(codebook_path, consultation=consultation)
    setup = time.perf_counter() - t0

    def coded(rows: list[Row]):
        answers, respondents = _frames(rows)
        pinned = os.sched_getaffinity(0) if _ALL_CPUS is not None else None
        if pinned is not None:
            os.sched_setaffinity(0, _ALL_CPUS)
        try:
            return code_answers(answers, respondents, codebook, consultation, workers=n)
        finally:
            if pinned is not None:
                os.sched_setaffinity(0, pinned)

    def run(rows: Iterable[Row]) -> int:
        return len(coded(list(rows)))

    def themes(rows: list[Row]) -> set[tuple[str, str, str]]:
        codes = coded(rows)
        codes = codes.loc[~codes["negated"].astype(bool)]
        return set(
            zip(codes["respondent_id"], codes["question_id"], codes["theme_id"], strict=True)
        )

    return Engine(
        "project_parallel",
        f"helpers.coding.runner.code_answers(workers={n}), themes only, wall clock, not pinned",
        run,
        themes,
        setup,
    )


def _semantic_engine(consultation: Consultation, codebook_path: Path) -> Engine:
    """``helpers.coding.semantic.code_semantic`` alone (every sentence embedded with the
    coding model and compared with every theme), in this process."""
    from helpers.coding.codebook import load_codebook
    from helpers.coding.semantic import code_semantic
    from helpers.core import embedding

    t0 = time.perf_counter()
    codebook = load_codebook(codebook_path, consultation=consultation)
    embedding.encode(["warm up"], model=embedding.CODING_MODEL)  # load the model: setup
    setup = time.perf_counter() - t0

    def coded(rows: list[Row]):
        answers, respondents = _frames(rows)
        return code_semantic(answers, respondents, codebook, consultation).codes

    def run(rows: Iterable[Row]) -> int:
        return len(coded(list(rows)))

    def themes(rows: list[Row]) -> set[tuple[str, str, str]]:
        codes = coded(rows)
        return set(
            zip(codes["respondent_id"], codes["question_id"], codes["theme_id"], strict=True)
        )

    return Engine(
        "semantic",
        f"helpers.coding.semantic.code_semantic ({embedding.CODING_MODEL}), semantic codes only",
        run,
        themes,
        setup,
    )


def build_engine(
    name: str,
    consultation: Consultation,
    vocab: Vocabulary,
    codebook_path: Path,
    sample: list[Row],
    workers: int = 0,
) -> Engine:
    """Engine ``name``; ``sample`` rows supply the spaCy baseline's vocabulary;
    ``workers`` is ``project_parallel``'s process count (0: one per core)."""
    if name == "pipeline":
        return _pipeline_engine(consultation, codebook_path)
    if name == "project_parallel":
        return _parallel_engine(consultation, codebook_path, workers)
    if name == "semantic":
        return _semantic_engine(consultation, codebook_path)
    if name in ("project", "project_themes", "project_python", "project_python_themes"):
        return _project_engine(
            consultation,
            codebook_path,
            with_stance=not name.endswith("themes"),
            engine="python" if "python" in name else "compiled",
        )
    t0 = time.perf_counter()
    if name == "nltk":
        baseline = NltkBaseline(vocab)
    elif name == "spacy":
        baseline = SpacyBaseline(vocab, corpus_vocabulary(t for _, _, t in sample))
    elif name == "scan":
        baseline = ScanBaseline()
    elif name == "read":
        baseline = ReadBaseline()
    else:
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ALL_ENGINES)}")
    return _baseline_engine(baseline, time.perf_counter() - t0)


# -- throughput --------------------------------------------------------------


@dataclass
class Tally:
    engine: str
    description: str
    setup_seconds: float
    bytes: int = 0
    answers: int = 0
    seconds: float = 0.0
    codes: int = 0
    partial: bool = False
    agreement: float | None = None
    extra: dict = field(default_factory=dict)
    # CPU time of the same runs (``time.process_time``): on a shared machine the wall
    # clock counts the other jobs' turns too, the CPU time only this process's work.
    cpu_seconds: float = 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / MB / self.seconds if self.seconds else float("nan")

    @property
    def cpu_mb_per_s(self) -> float:
        return self.bytes / MB / self.cpu_seconds if self.cpu_seconds else float("nan")

    @property
    def answers_per_s(self) -> float:
        return self.answers / self.seconds if self.seconds else float("nan")


def _nbytes(rows: list[Row]) -> int:
    return sum(len(t) if t.isascii() else len(t.encode("utf-8")) for _, _, t in rows)


def chunks(rows: Iterable[Row], chunk_bytes: int) -> Iterator[list[Row]]:
    """Consecutive lists of rows of about ``chunk_bytes`` of text each."""
    chunk: list[Row] = []
    size = 0
    for row in rows:
        chunk.append(row)
        size += len(row[2])
        if size >= chunk_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def throughput(
    engines: list[str],
    consultation: Consultation,
    vocab: Vocabulary,
    codebook_path: Path,
    mb: float,
    seed: int,
    chunk_mb: float,
    max_seconds: float,
    agreement_answers: int = 2000,
    repeat: int = 1,
    workers: int = 0,
) -> tuple[list[Tally], float]:
    """Code ``mb`` MB with every engine; returns the tallies and the generator's MB/s.

    Each chunk is coded ``repeat`` times per engine and the fastest time kept.
    ``workers`` is ``project_parallel``'s process count.
    """
    gen = chunks(iter_answers(consultation, vocab, seed, int(mb * MB)), int(chunk_mb * MB))
    t0 = time.perf_counter()
    first = next(gen)
    gen_seconds = time.perf_counter() - t0
    gen_bytes = _nbytes(first)
    built = [build_engine(n, consultation, vocab, codebook_path, first, workers) for n in engines]
    tallies = {e.name: Tally(e.name, e.description, e.setup_seconds) for e in built}

    # Agreement with the project's coder on the first answers (untimed).
    sample = first[:agreement_answers]
    reference = next(
        (e for e in built if e.name in ("pipeline", "project", "project_themes")), None
    )
    reference = reference or next((e for e in built if e.name.startswith("project")), None)
    ref_themes = reference.themes(sample) if reference and reference.themes else None
    for e in built:
        if ref_themes is not None and e.themes is not None and e.name not in ("scan", "read"):
            tallies[e.name].agreement = _jaccard(e.themes(sample), ref_themes)

    chunk: list[Row] | None = first
    n_chunk = 0
    while chunk is not None:
        n_chunk += 1
        nbytes = _nbytes(chunk) if n_chunk > 1 else gen_bytes
        # A full garbage collection, untimed: the first one after the imports (numba,
        # pandas) costs ~85 ms here, and the generator's objects can bring on others.
        # Left alone they land at random inside whichever engine is running.
        gc.collect()
        for e in built:
            tally = tallies[e.name]
            if tally.seconds >= max_seconds:
                tally.partial = True
                continue
            # On a shared machine the fastest of ``repeat`` runs is the least disturbed one.
            best = best_cpu = float("inf")
            data = e.prepare(chunk) if e.prepare is not None else chunk
            for _ in range(repeat):
                if e.reset is not None:
                    e.reset()
                start, cpu = time.perf_counter(), time.process_time()
                codes = e.run(data)
                best = min(best, time.perf_counter() - start)
                best_cpu = min(best_cpu, time.process_time() - cpu)
            tally.codes += codes
            tally.seconds += best
            tally.cpu_seconds += best_cpu
            tally.bytes += nbytes
            tally.answers += len(chunk)
        log.info(
            "chunk %d: %.0f MB coded so far", n_chunk, max(t.bytes for t in tallies.values()) / MB
        )
        t0 = time.perf_counter()
        chunk = next(gen, None)
        gen_seconds += time.perf_counter() - t0
        if chunk is not None:
            gen_bytes += _nbytes(chunk)
    return list(tallies.values()), gen_bytes / MB / gen_seconds


# -- memory ------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB (2^20 bytes).

    Linux's ``getrusage`` ``ru_maxrss`` survives fork and exec, so a child
    started by a large parent reports the parent's peak; ``VmHWM`` in
    /proc/self/status belongs to the current program alone, so it is used
    where available.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def child_memory(
    engine: str,
    mb: float,
    seed: int,
    consultation_path: Path,
    codebook_path: Path,
    corpus: str = "templates",
) -> dict:
    """Stream ``mb`` MB from the generator through ``engine`` (in this process) and report."""
    consultation = load_consultation(consultation_path)
    vocab = corpus_vocab(codebook_path, corpus, seed)
    e = build_engine(engine, consultation, vocab, codebook_path, sample=[])
    rss_before = _peak_rss_mb()
    counted = {"bytes": 0, "answers": 0}

    def counting(rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            counted["bytes"] += len(row[2])
            counted["answers"] += 1
            yield row

    t0 = time.perf_counter()
    stream = counting(iter_answers(consultation, vocab, seed, int(mb * MB)))
    if e.prepare is None:
        codes = e.run(stream)
    else:  # an engine of whole frames (pipeline): chunk by chunk, as the throughput run
        codes = sum(e.run(e.prepare(c)) for c in chunks(stream, 10 * MB))
    seconds = time.perf_counter() - t0
    return {
        "engine": engine,
        "mb": mb,
        "chars": counted["bytes"],
        "answers": counted["answers"],
        "codes": codes,
        "seconds_incl_generation": round(seconds, 2),
        "rss_after_setup_mb": round(rss_before, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        # For reference only: inflated by the parent's peak on Linux (see _peak_rss_mb).
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def memory(
    engines: Iterable[str],
    sizes: list[float],
    seed: int,
    consultation_path: Path,
    codebook_path: Path,
    cpu: int | None,
    corpus: str = "templates",
) -> list[dict]:
    """Peak RSS per (engine, size), each in a fresh subprocess."""
    results = []
    for engine in engines:
        for mb in sizes:
            cmd = [
                sys.executable, "-m", "benchmarks.run", "--child", engine,
                "--mb", str(mb), "--seed", str(seed),
                "--consultation", str(consultation_path), "--codebook", str(codebook_path),
                "--corpus", corpus,
            ]  # fmt: skip
            cmd += ["--no-pin"] if cpu is None else ["--cpu", str(cpu)]
            log.info("memory: %s, %s MB in a fresh process", engine, mb)
            proc = subprocess.run(
                cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent
            )
            if proc.returncode != 0:
                raise RuntimeError(
                    f"memory benchmark {engine} {mb} MB failed:\n{proc.stderr[-2000:]}"
                )
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


# -- profile -----------------------------------------------------------------


def profile_engine(
    engine: str,
    consultation: Consultation,
    vocab: Vocabulary,
    codebook_path: Path,
    mb: float,
    seed: int,
    top: int = 20,
) -> str:
    """cProfile of ``engine`` coding ``mb`` MB: the ``top`` functions by own time, as text."""
    import cProfile
    import io
    import pstats

    rows = list(iter_answers(consultation, vocab, seed, int(mb * MB)))
    e = build_engine(engine, consultation, vocab, codebook_path, rows)
    data = e.prepare(rows) if e.prepare is not None else rows
    prof = cProfile.Profile()
    prof.runcall(e.run, data)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# -- end-to-end ingest --------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(_NON_WORD_RE.split(text.lower())).strip()


def ingest_benchmark(
    n_respondents: int, seed: int, consultation_path: Path, codebook_path: Path, workdir: Path
) -> dict:
    """Write ``n_respondents`` response files, time ``helpers.ingest.stage.run_ingest`` on them.

    Also checks segmentation against the generator's truth: the share of
    answers (in documents with headings) found under the right question with
    the same words (ingest turns markdown into plain text, so punctuation and
    markup are ignored in the comparison).
    """
    from helpers.ingest.stage import run_ingest

    from .generate import make_respondent, write_corpus

    consultation = load_consultation(consultation_path)
    vocab = codebook_vocabulary(codebook_path)
    paths = write_corpus(workdir / "in", n_respondents, seed, consultation, vocab)
    nbytes = sum(p.stat().st_size for p in paths)
    t0 = time.perf_counter()
    result = run_ingest(workdir / "in", consultation_path, workdir / "out")
    seconds = time.perf_counter() - t0
    found = {
        (r.respondent_id, r.question_id): _words(r.answer_text)
        for r in result.answers.itertuples(index=False)
    }
    expected = right = 0
    for k in range(n_respondents):
        r = make_respondent(consultation, vocab, seed, k)
        if r.style == "letter":
            continue  # no headings: the segmenter rightly calls these unstructured
        for qid, text in r.answers:
            expected += 1
            right += found.get((r.respondent_id, qid)) == _words(text)
    return {
        "engine": "ingest",
        "files": len(paths),
        "mb": round(nbytes / MB, 3),
        "seconds": round(seconds, 2),
        "files_per_s": round(len(paths) / seconds, 1),
        "mb_per_s": round(nbytes / MB / seconds, 3),
        "answers_expected": expected,
        "answers_recovered": right,
    }


# -- output ------------------------------------------------------------------


def _pin(cpu: int | None) -> int | None:
    """Pin this process to one core (the first allowed one by default), so rates are per core."""
    if not hasattr(os, "sched_setaffinity"):
        log.warning("cannot pin to one core on this platform; rates may use more than one")
        return None
    global _ALL_CPUS
    allowed = sorted(os.sched_getaffinity(0))
    _ALL_CPUS = set(allowed)
    cpu = allowed[0] if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})
    return cpu


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def throughput_table(tallies: list[Tally]) -> str:
    """Plain-text table: rates, and how many times faster the project's coder is than each."""
    project = next((t for name in REFERENCE_ENGINES for t in tallies if t.engine == name), None)
    ref = f"{project.engine if project else 'project'} x"
    head = (f"{'engine':<22}{'MB':>8}{'answers':>10}{'s':>8}{'MB/s':>9}{'answers/s':>11}{ref:>11}"
            f"{'CPU s':>8}{'CPU MB/s':>10}{'CPU ' + ref:>16}{'agree':>7}  note")  # fmt: skip
    lines = [head, "-" * len(head)]
    for t in tallies:
        ratio = project.mb_per_s / t.mb_per_s if project and t is not project else float("nan")
        cpu = (project.cpu_mb_per_s / t.cpu_mb_per_s if project and t is not project
               else float("nan"))  # fmt: skip
        agree = f"{t.agreement:.2f}" if t.agreement is not None else "-"
        note = "partial (time budget)" if t.partial else ""
        lines.append(
            f"{t.engine:<22}{t.bytes / MB:>8.1f}{t.answers:>10}{t.seconds:>8.2f}"
            f"{t.mb_per_s:>9.2f}{t.answers_per_s:>11.0f}"
            f"{'' if ratio != ratio else f'{ratio:.2f}':>11}{t.cpu_seconds:>8.2f}"
            f"{t.cpu_mb_per_s:>10.2f}{'' if cpu != cpu else f'{cpu:.2f}':>16}{agree:>7}  {note}"
        )
    return "\n".join(lines)


def memory_table(results: list[dict]) -> str:
    head = f"{'engine':<22}{'MB':>8}{'answers':>10}{'s (incl. gen)':>15}{'RSS setup MB':>14}{'peak RSS MB':>13}"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['engine']:<22}{r['mb']:>8g}{r['answers']:>10}{r['seconds_incl_generation']:>15.1f}"
            f"{r['rss_after_setup_mb']:>14.0f}{r['peak_rss_mb']:>13.0f}"
        )
    return "\n".join(lines)


def _write_csv(path: Path, rows: list[dict]) -> None:
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _sizes(value: str) -> list[float]:
    return [float(v) for v in value.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> None:
    """Command line; see the module docstring."""
    default_consultation, default_codebook = default_paths()
    ap = argparse.ArgumentParser(description="Speed and memory benchmarks of the coder.")
    ap.add_argument("--mb", type=float, default=50, help="MB of text for the throughput run")
    ap.add_argument(
        "--sizes",
        type=_sizes,
        default=[10, 50, 200],
        help="MB per memory run, e.g. 10,50,200; '' to skip",
    )
    ap.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated, from {','.join(ALL_ENGINES)}",
    )
    ap.add_argument("--memory-engines", default=",".join(MEMORY_ENGINES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--corpus",
        choices=CORPORA,
        default="zipf",
        help="zipf (default): realistic vocabulary and campaign copies; templates: the "
        "template sentences alone (few distinct words)",
    )
    ap.add_argument("--zipf-words", type=int, default=DEFAULT_ZIPF_WORDS)
    ap.add_argument("--campaign-share", type=float, default=DEFAULT_CAMPAIGN_SHARE)
    ap.add_argument("--chunk-mb", type=float, default=10)
    ap.add_argument("--max-seconds", type=float, default=30, help="time budget per engine")
    ap.add_argument(
        "--repeat", type=int, default=1, help="code each chunk N times, keep the fastest"
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="add the project_parallel engine: code_answers with N processes, wall clock, "
        "not pinned (0: one per core)",
    )
    ap.add_argument("--cpu", type=int, default=None, help="core to pin to (default: first allowed)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin to one core")
    ap.add_argument("--consultation", type=Path, default=default_consultation)
    ap.add_argument("--codebook", type=Path, default=default_codebook)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--ingest", type=int, default=100, help="time run_ingest on N response files (0: skip)"
    )
    ap.add_argument("--profile", metavar="ENGINE", help="only profile ENGINE on --mb MB (cProfile)")
    ap.add_argument("--child", help=argparse.SUPPRESS)  # internal: one memory measurement
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    cpu = None if args.no_pin else _pin(args.cpu)
    if args.child:
        result = child_memory(
            args.child, args.mb, args.seed, args.consultation, args.codebook, args.corpus
        )
        sys.stdout.write(json.dumps(result) + "\n")
        return

    for p in (args.consultation, args.codebook):
        if not p.exists():
            ap.error(f"{p}: not found (pass --consultation/--codebook)")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.workers is not None:
        if args.workers < 0:
            ap.error("--workers must be >= 0 (0: one per core)")
        if "project_parallel" not in engines:
            engines.append("project_parallel")
    workers = 0 if args.workers is None else args.workers
    unknown = sorted(set(engines) - set(ALL_ENGINES))
    if unknown:
        ap.error(f"unknown engine(s) {unknown}; choose from {', '.join(ALL_ENGINES)}")
    consultation = load_consultation(args.consultation)
    vocab = corpus_vocab(
        args.codebook, args.corpus, args.seed, args.zipf_words, args.campaign_share
    )
    if args.profile:
        sys.stdout.write(
            profile_engine(args.profile, consultation, vocab, args.codebook, args.mb, args.seed)
        )
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    pinned = "not pinned" if cpu is None else f"pinned to core {cpu}"
    machine = f"{_cpu_model()}, {pinned}, Python {platform.python_version()}"
    out = sys.stdout
    out.write(f"# Benchmark {stamp} on {machine}\n")
    out.write(f"# consultation {args.consultation}, codebook {args.codebook}, seed {args.seed}\n")
    corpus = "templates only" if args.corpus == "templates" else (
        f"zipf: {args.zipf_words:,}-word lexicon, {args.campaign_share:.0%} campaign copies")  # fmt: skip
    out.write(f"# corpus {corpus}\n\n")

    if args.mb > 0 and engines:
        tallies, gen_rate = throughput(
            engines,
            consultation,
            vocab,
            args.codebook,
            args.mb,
            args.seed,
            args.chunk_mb,
            args.max_seconds,
            repeat=args.repeat,
            workers=workers,
        )
        best = f", fastest of {args.repeat} runs per chunk" if args.repeat > 1 else ""
        out.write(
            f"Throughput, one core{best} ({args.mb:g} MB generated at {gen_rate:.1f} MB/s, "
            "not timed):\n"
        )
        out.write(throughput_table(tallies) + "\n")
        if "project_parallel" in engines:
            out.write("project_parallel: wall-clock MB/s of code_answers over its worker "
                      "processes, not pinned to one core (not a per-core figure).\n")  # fmt: skip
        out.write("pipeline x (project x without pipeline) = how many times faster it "
                  "(themes + stance) is; agree = Jaccard of (answer, theme) pairs with it.\n\n")  # fmt: skip
        _write_csv(
            args.out / "throughput.csv",
            [
                {
                    "timestamp": stamp, "machine": machine, "engine": t.engine,
                    "description": t.description, "mb": round(t.bytes / MB, 3),
                    "answers": t.answers, "seconds": round(t.seconds, 3),
                    "mb_per_s": round(t.mb_per_s, 3), "answers_per_s": round(t.answers_per_s, 1),
                    "cpu_seconds": round(t.cpu_seconds, 3), "cpu_mb_per_s": round(t.cpu_mb_per_s, 3),
                    "codes": t.codes, "setup_seconds": round(t.setup_seconds, 3),
                    "partial": t.partial, "agreement_with_project": t.agreement,
                }
                for t in tallies
            ],
        )  # fmt: skip
    mem_engines = [e.strip() for e in args.memory_engines.split(",") if e.strip()]
    if args.sizes and mem_engines:
        results = memory(
            mem_engines, args.sizes, args.seed, args.consultation, args.codebook, cpu, args.corpus
        )
        out.write("Peak memory, generator streamed into the engine, fresh process per size:\n")
        out.write(memory_table(results) + "\n")
        _write_csv(args.out / "memory.csv", [{"timestamp": stamp, **r} for r in results])
    if args.ingest > 0:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            r = ingest_benchmark(
                args.ingest, args.seed, args.consultation, args.codebook, Path(tmp)
            )
        out.write(
            f"\nEnd-to-end ingest of {r['files']} .txt files ({r['mb']:.1f} MB): {r['seconds']:.1f} s, "
            f"{r['files_per_s']:.0f} files/s, {r['mb_per_s']:.2f} MB/s; segmentation recovered "
            f"{r['answers_recovered']}/{r['answers_expected']} answers in documents with headings\n"
        )
        _write_csv(args.out / "ingest.csv", [{"timestamp": stamp, "machine": machine, **r}])
    out.write(f"\nCSV written to {args.out}\n")


if __name__ == "__main__":
    main()
