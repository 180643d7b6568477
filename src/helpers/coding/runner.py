"""Answers in, codes out: which answers are coded, in this process or in worker processes.

``code_answers`` is how the pipeline codes: the codable answers (not preamble,
closing or profile questions; some theme applies) become ``(respondent_id,
question_id, start, end)`` jobs for a ``Coder``, in slices with a progress bar
when the text is large, or in contiguous chunks of respondents in a process
pool; the result is identical either way. ``uncoded`` lists the codable answers
left without a counted code.
"""

from __future__ import annotations

import logging
import os

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from helpers.coding.codebook import Codebook
from helpers.coding.coder import BATCH_CHARS, Coder
from helpers.coding.echo import drop_echoes
from helpers.core import schemas
from helpers.core.consultation import Consultation

log = logging.getLogger(__name__)

SKIP_QUESTIONS = (schemas.PREAMBLE, schemas.CLOSING)


def _skip_questions(codebook: Codebook, consultation: Consultation | None) -> set[str]:
    consultation = consultation or codebook.consultation
    skip = set(SKIP_QUESTIONS)
    if consultation is not None:
        skip |= {q.id for q in consultation.questions if q.kind == "profile"}
    return skip


def _codable(
    answers: pd.DataFrame, codebook: Codebook, consultation: Consultation | None
) -> pd.DataFrame:
    """The answers the codebook applies to (no preamble/closing/profile; some theme applies).

    Non-answers ("No comment", ``substantive == False``) are never coded, so
    they are not listed as uncoded either: there is nothing in them to code.
    """
    skip = _skip_questions(codebook, consultation)
    qids = answers["question_id"].astype(str)
    # Whether a theme applies is a property of the question: asked once per distinct
    # question id, not once per answer (a million answers have a few dozen questions).
    applies = {q for q in qids.unique() if q not in skip and codebook.themes_for(q)}
    keep = qids.isin(applies)
    return answers.loc[keep & schemas.substantive_answers(answers)]


# Below this many codable answers ``code_answers`` codes in-process whatever
# ``workers`` says: starting processes and building a ``Coder`` in each (about
# a tenth of a second) and shipping texts and rows between processes cost more
# than they save on a few MB of text.
PARALLEL_MIN_ANSWERS = 2_000
# Coding this much text shows a progress bar (on a terminal or in a notebook), a step
# per slice; smaller runs take a few seconds at most and show none.
PROGRESS_MIN_CHARS = 5_000_000
PROGRESS_SLICE_CHARS = 4 * BATCH_CHARS
# Chunks per worker: several, so a worker that draws long answers does not hold
# up the others at the end; each chunk ships its own respondents' texts once.
_CHUNKS_PER_WORKER = 4

_worker_coder: Coder | None = None  # one per worker process, built by ``_init_worker``


def _init_worker(codebook: Codebook) -> None:
    """Process-pool initializer: compile the codebook once in this worker."""
    global _worker_coder
    _worker_coder = Coder(codebook)


def _code_chunk(
    jobs: list[tuple[str, str, int, int]], texts: dict[str, str]
) -> pd.DataFrame | None:
    """Code ``(respondent_id, question_id, start, end)`` answers in a worker: a CODES frame
    of their rows in order, or None when there are none.

    The frame is built and conformed here, in parallel: that is a fair share of the
    in-process cost, and a frame pickles back far faster than a list of dicts.
    ``conform`` casts column by column, so conformed chunks concatenate to exactly
    the frame conformed as a whole.
    """
    coder = _worker_coder
    if coder is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("code worker used without its initializer")
    frame = _code_jobs(coder, jobs, texts, progress=False)
    return schemas.conform(frame, schemas.CODES) if len(frame) else None


def _code_jobs(
    coder: Coder,
    jobs: list[tuple[str, str, int, int]],
    texts: dict[str, str],
    progress: bool = True,
) -> pd.DataFrame:
    """``Coder.code_jobs`` for ``(respondent_id, question_id, start, end)`` answers, with a
    progress bar when there are at least ``PROGRESS_MIN_CHARS`` characters to code
    (unless ``progress`` is False: a worker's share is shown by its parent)."""
    total = sum(end - start for _, _, start, end in jobs)
    shown = progress and total >= PROGRESS_MIN_CHARS
    slices = _slices(jobs) if shown else [jobs]
    frames = []
    with tqdm(
        total=total, desc="Coding answers", unit="char", unit_scale=True,
        disable=None if shown else True,
    ) as bar:  # fmt: skip
        _code_parts(coder, slices, texts, bar, frames)
    return _joined(frames)


def _code_parts(
    coder: Coder,
    parts: list[list[tuple[str, str, int, int]]],
    texts: dict[str, str],
    bar: tqdm,
    frames: list[pd.DataFrame],
) -> None:
    """Code each part of the jobs in turn, appending its non-empty frame and moving the bar
    by its characters: the one loop ``_code_jobs`` and ``_code_blocks`` share."""
    for part in parts:
        frame = coder.code_jobs(
            [(texts[rid], qid, start, end) for rid, qid, start, end in part],
            [rid for rid, _, _, _ in part],
        )
        if len(frame):
            frames.append(frame)
        bar.update(sum(end - start for _, _, start, end in part))


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames concatenated in order (an empty frame when there are none)."""
    if not frames:
        return pd.DataFrame()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _slices(jobs: list[tuple[str, str, int, int]]) -> list[list[tuple[str, str, int, int]]]:
    """``jobs`` cut into slices of about ``PROGRESS_SLICE_CHARS`` characters, each a step
    of the progress bar."""
    slices, first, size = [], 0, 0
    for k, (_, _, start, end) in enumerate(jobs):
        size += end - start
        if size >= PROGRESS_SLICE_CHARS or k == len(jobs) - 1:
            slices.append(jobs[first : k + 1])
            first, size = k + 1, 0
    return slices


def _check_workers(workers: object) -> int:
    """``workers`` as a process count (0 means ``os.cpu_count()``), or a ValueError."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(
            f"workers must be a whole number >= 0 (1: in this process, 0: one per CPU core), "
            f"got {workers!r}"
        )
    return (os.cpu_count() or 1) if workers == 0 else workers


def _split_by_respondent(
    jobs: list[tuple[str, str, int, int]], n_chunks: int
) -> list[list[tuple[str, str, int, int]]]:
    """``jobs`` cut into about ``n_chunks`` contiguous runs, only where the respondent changes."""
    size = max(1, -(-len(jobs) // n_chunks))
    out: list[list[tuple[str, str, int, int]]] = []
    begin = 0
    while begin < len(jobs):
        end = min(begin + size, len(jobs))
        while end < len(jobs) and jobs[end][0] == jobs[end - 1][0]:
            end += 1  # keep a respondent's answers together
        out.append(jobs[begin:end])
        begin = end
    return out


def _code_parallel(
    jobs: list[tuple[str, str, int, int]],
    texts: dict[str, str],
    codebook: Codebook,
    workers: int,
) -> pd.DataFrame | None:
    """``_code_chunk`` over contiguous chunks of ``jobs`` in ``workers`` processes: their
    frames concatenated in order (None if no rows)."""
    from concurrent.futures import ProcessPoolExecutor

    chunks = _split_by_respondent(jobs, workers * _CHUNKS_PER_WORKER)
    # Each chunk carries only the texts of its own respondents, not the whole frame.
    chunk_texts = [{rid: texts[rid] for rid, _, _, _ in chunk} for chunk in chunks]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)), initializer=_init_worker, initargs=(codebook,)
    ) as pool:
        # ``map`` yields in submission order, so the rows keep the answers' order.
        results = pool.map(_code_chunk, chunks, chunk_texts)
        total = sum(end - start for _, _, start, end in jobs)
        with tqdm(
            total=len(chunks), desc="Coding answers", unit="chunk",
            disable=True if total < PROGRESS_MIN_CHARS else None,
        ) as bar:  # fmt: skip
            parts = []
            for f in results:
                bar.update()
                if f is not None:
                    parts.append(f)
    return pd.concat(parts, ignore_index=True) if parts else None


# Codable answers coded at a time in this process: only their respondents' texts are
# turned into Python strings (a block's, not the corpus's: issue 15, memory flat in
# respondents); each block's CODES rows are kept, in answer order.
BLOCK_ANSWERS = 20_000


class RespondentTexts:
    """Respondents' texts by id, taken from the (Arrow) column only for the ids asked.

    Rationale: a dict of every respondent's text holds the whole corpus as Python
    strings (at 100,000 survey respondents, 0.6-2.5 GB beside the Arrow column it was
    read from) for as long as coding runs; a block of answers needs its own
    respondents' texts only. Ids that repeat (an ingest bug, never written by
    ``run_ingest``) keep the old behaviour: the last text of an id wins.
    """

    def __init__(self, ids: pd.Series, texts: pd.Series) -> None:
        self._texts = texts.reset_index(drop=True)
        self._index = pd.Index(ids.tolist())
        if not self._index.is_unique:  # a dict keeps the last text of a repeated id
            keep = ~self._index.duplicated(keep="last")
            self._index = self._index[keep]
            self._texts = self._texts[keep].reset_index(drop=True)

    def first_missing(self, rids: list[str]) -> str | None:
        """The first of ``rids`` with no respondent, or None."""
        pos = self._index.get_indexer(rids)
        bad = np.flatnonzero(pos < 0)
        return rids[int(bad[0])] if len(bad) else None

    def of(self, rids: list[str]) -> dict[str, str]:
        """``{id: text}`` of the distinct ``rids`` (every one must be a respondent)."""
        wanted = list(dict.fromkeys(rids))
        pos = self._index.get_indexer(wanted)
        return dict(zip(wanted, self._texts.take(pos).tolist(), strict=True))

    def every(self) -> dict[str, str]:
        """Every respondent's text (the process pool ships each chunk its own)."""
        return dict(zip(self._index.tolist(), self._texts.tolist(), strict=True))


def _code_blocks(
    coder: Coder, jobs: list[tuple[str, str, int, int]], texts: RespondentTexts, size: int
) -> pd.DataFrame:
    """``Coder.code_jobs`` over blocks of ``size`` jobs, each with its own respondents'
    texts (and, with the progress bar shown, over slices of a block, a step each); the
    frames concatenated in order (``_code_jobs`` slices the same way)."""
    if size < 1:
        raise ValueError(f"block_answers must be at least 1, got {size!r}")
    total = sum(end - start for _, _, start, end in jobs)
    shown = total >= PROGRESS_MIN_CHARS
    frames = []
    with tqdm(
        total=total, desc="Coding answers", unit="char", unit_scale=True,
        disable=None if shown else True,
    ) as bar:  # fmt: skip
        for at in range(0, len(jobs), size):
            block = jobs[at : at + size]
            said = texts.of([j[0] for j in block])
            _code_parts(coder, _slices(block) if shown else [block], said, bar, frames)
    return _joined(frames)


def code_answers(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None = None,
    workers: int = 1,
    block_answers: int = BLOCK_ANSWERS,
) -> pd.DataFrame:
    """Code every answer (except preamble, closing and profile questions) with the codebook.

    Only themes that apply to an answer's question are used (``unstructured``
    answers: all). Profile questions are known from ``consultation`` (or the one
    the codebook was loaded with). Returns a CODES frame.

    ``workers`` > 1 codes contiguous chunks of respondents in that many processes
    (0: one per CPU core) when there are at least ``PARALLEL_MIN_ANSWERS``
    codable answers, else in this process; the result is identical either way. In this
    process the answers are coded ``block_answers`` at a time, with only those answers'
    respondents' texts as Python strings (``RespondentTexts``): the same rows in the same
    order whatever the block size.
    """
    n_workers = _check_workers(workers)
    ids = respondents["respondent_id"].astype(str)
    codable = _codable(answers, codebook, consultation)
    # Columns as Python lists, zipped: no per-row pandas objects (itertuples).
    rids = codable["respondent_id"].astype(str).tolist()
    texts = RespondentTexts(ids, respondents["text"])
    missing = texts.first_missing(rids)
    if missing is not None:
        raise ValueError(f"answers: respondent {missing!r} is not in respondents; re-run ingest")
    jobs: list[tuple[str, str, int, int]] = list(
        zip(
            rids,
            codable["question_id"].astype(str).tolist(),
            map(int, codable["start"].tolist()),
            map(int, codable["end"].tolist()),
            strict=True,
        )
    )
    if n_workers > 1 and len(jobs) >= PARALLEL_MIN_ANSWERS:
        parallel = _code_parallel(jobs, texts.every(), codebook, n_workers)
        if parallel is None:
            return schemas.empty(schemas.CODES)
        codes = schemas.conform(parallel, schemas.CODES)
    else:
        coder = Coder(codebook)
        log.info("coding %d answers with the %s engine", len(jobs), coder.engine)
        frame = _code_blocks(coder, jobs, texts, block_answers)
        if not len(frame):
            return schemas.empty(schemas.CODES)
        codes = schemas.conform(frame, schemas.CODES)
    codes = drop_echoes(codes, consultation or codebook.consultation)
    log.info(
        "coded %d answers: %d code rows (%d negated), %d themes used",
        len(answers),
        len(codes),
        int(codes["negated"].sum()),
        codes["theme_id"].nunique(),
    )
    return codes


def uncoded(
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Consultation | None = None,
) -> pd.DataFrame:
    """Answers the codebook applies to that received no non-negated code (UNCODED)."""
    codable = _codable(answers, codebook, consultation)
    counted = codes.loc[~codes["negated"].astype(bool), ["respondent_id", "question_id"]]
    done = set(
        zip(counted["respondent_id"].astype(str), counted["question_id"].astype(str), strict=True)
    )
    rids = [str(r) for r in codable["respondent_id"].tolist()]
    qids = [str(q) for q in codable["question_id"].tolist()]
    left = [(r, q) not in done for r, q in zip(rids, qids, strict=True)]
    if not any(left):
        return schemas.empty(schemas.UNCODED)
    # Only the uncoded answers' texts become Python strings, not every codable answer's.
    said = [str(t) for t in codable["answer_text"].take(np.flatnonzero(left)).tolist()]
    frame = pd.DataFrame(
        {
            "respondent_id": [r for r, keep in zip(rids, left, strict=True) if keep],
            "question_id": [q for q, keep in zip(qids, left, strict=True) if keep],
            "n_chars": [len(t) for t in said],
            "answer_text": said,
        }
    )
    out = schemas.conform(frame, schemas.UNCODED)
    log.info("%d of %d codable answers have no theme", len(out), len(codable))
    return out
