"""The coder: a codebook compiled once, then answers coded by one of two engines.

Two engines give the same rows (see docs/coding.md): "compiled" (the default
when numba is installed: ``engine/`` codes batches of answers in compiled
loops) and "python" (``reference``: the reference, and the fallback for the
answers and codebooks the compiled engine hands back). ``Coder`` chooses one
and routes texts, streams and jobs to it; this is the only module that
imports the compiled engine, and only once numba is known to be there.
Both engines' rows then pass ``nilreturn`` (a theme named only to be
declined, "no further comments on housing", is marked negated).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pandas as pd

from helpers.coding.codebook import Codebook
from helpers.coding.evidence import _UNSET
from helpers.coding.negation import NEGATION_WINDOW
from helpers.coding.nilreturn import mark_frame, mark_rows
from helpers.coding.reference import ReferenceCoder

log = logging.getLogger(__name__)

# "compiled": the numba kernels (``engine``), same rows as "python" (``Coder._code``);
# "auto": compiled when numba is installed and the codebook suits it.
ENGINES = ("auto", "compiled", "python")
DEFAULT_ENGINE = "auto"
BATCH_CHARS = 1 << 20  # characters per compiled batch: big enough to amortise, small in memory


class Coder(ReferenceCoder):
    """A codebook compiled for fast matching. Build once, code many texts."""

    def __init__(
        self,
        codebook: Codebook,
        negation_window: int = NEGATION_WINDOW,
        engine: str | None = None,
    ) -> None:
        super().__init__(codebook, negation_window)
        self._batch = None  # the compiled engine's ``BatchCoder``, when it runs
        self.engine = self._choose_engine(DEFAULT_ENGINE if engine is None else engine)

    def _choose_engine(self, engine: str) -> str:
        """ "compiled" or "python": what ``engine`` resolves to for this codebook."""
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
        if engine == "python":
            return "python"
        try:
            from helpers.coding.engine import fastcode
        except ImportError as e:  # numba missing: the pure-Python coder gives the same rows
            if engine == "compiled":
                raise
            log.info("coding in pure Python: %s", e)
            return "python"
        why = fastcode.unsupported(self)
        if why:
            if engine == "compiled":
                raise ValueError(f"the compiled coder cannot code this codebook: {why}")
            log.info("coding in pure Python: %s", why)
            return "python"
        self._batch = fastcode.BatchCoder(self)
        return "compiled"

    def code_text(
        self, text: str, question_id: str, lo: int = 0, hi: int | None = None
    ) -> list[dict]:
        """Code ``text[lo:hi]`` (one answer) with the themes that apply to ``question_id``.

        Returns one dict per (theme, evidence sentence) with the CODES columns
        except ``respondent_id``; offsets are absolute positions in ``text``.
        """
        if self._batch is not None:
            hi = len(text) if hi is None else min(hi, len(text))
            if hi <= lo:
                return []
            return mark_rows(list(self._batch.code_rows([(text, question_id, lo, hi)], _UNSET)))
        return mark_rows(self._code(text, question_id, lo, hi, _UNSET))

    def code_stream(
        self, rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
    ) -> Iterator[dict]:
        """Code ``(respondent_id, question_id, text)`` rows lazily, in constant memory.

        Yields the CODES columns as dicts; offsets point into each row's text. The
        compiled engine reads rows a batch of about ``batch_chars`` characters at a
        time (1: row by row) before it yields their codes.
        """
        code = self._code
        if self._batch is None:
            for respondent_id, question_id, text in rows:
                coded = code(text, question_id, 0, None, respondent_id)
                if coded:
                    yield from mark_rows(coded)  # cheaper than one ``yield`` per row
            return
        for texts, qids, rids in _batches(rows, batch_chars):
            jobs = [(t, q, 0, len(t)) for t, q in zip(texts, qids, strict=True)]
            yield from mark_rows(list(self._batch.code_rows(jobs, rids)))

    def code_frames(
        self, rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
    ) -> Iterator[pd.DataFrame]:
        """``code_stream`` as one frame of CODES columns per batch of about ``batch_chars``
        characters (not conformed; batches with no codes are skipped): the fast way to
        code a large stream."""
        for texts, qids, rids in _batches(rows, batch_chars):
            if self._batch is None:
                frame = pd.DataFrame(
                    [
                        row
                        for text, qid, rid in zip(texts, qids, rids, strict=True)
                        for row in self._code(text, qid, 0, None, rid)
                    ]
                )
            else:
                frame = self._batch.code_frame(texts, qids, rids)
            if len(frame):
                yield mark_frame(frame)

    def code_jobs(self, jobs: list[tuple[str, str, int, int]], rids: list[str]) -> pd.DataFrame:
        """Code ``(text, question_id, lo, hi)`` jobs of respondents ``rids`` as one frame of
        CODES columns in job order (not conformed; no columns when there are no rows)."""
        if self._batch is None:
            return mark_frame(
                pd.DataFrame(
                    [
                        row
                        for (text, qid, lo, hi), rid in zip(jobs, rids, strict=True)
                        for row in self._code(text, qid, lo, hi, rid)
                    ]
                )
            )
        frames = []
        first = size = 0
        for k, (_, _, lo, hi) in enumerate(jobs):
            size += hi - lo
            if size >= BATCH_CHARS or k == len(jobs) - 1:
                part = jobs[first : k + 1]
                frames.append(
                    self._batch.code_frame(
                        [text[lo:hi] for text, _, lo, hi in part],
                        [q for _, q, _, _ in part],
                        rids[first : k + 1],
                        part,
                    )
                )
                first, size = k + 1, 0
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame()
        return mark_frame(frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))


def _batches(
    rows: Iterable[tuple[str, str, str]], batch_chars: int = BATCH_CHARS
) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """``(respondent_id, question_id, text)`` rows as lists of texts, question ids and
    respondent ids, about ``batch_chars`` characters at a time (so a stream is coded
    in constant memory)."""
    batch: list[tuple[str, str, str]] = []
    add = batch.append
    size = 0
    for row in rows:
        add(row)
        size += len(row[2])
        if size >= batch_chars:
            rids, qids, texts = zip(*batch, strict=True)
            yield list(texts), list(qids), list(rids)
            batch.clear()
            size = 0
    if batch:
        rids, qids, texts = zip(*batch, strict=True)
        yield list(texts), list(qids), list(rids)


def code_stream(
    rows: Iterable[tuple[str, str, str]], codebook: Codebook, batch_chars: int = BATCH_CHARS
) -> Iterator[dict]:
    """Module-level shortcut for ``Coder(codebook).code_stream(rows, batch_chars)``."""
    return Coder(codebook).code_stream(rows, batch_chars)
