"""A compiled batch's rows as the reference's dicts or as one CODES frame.

``BatchCoder.code_batch`` returns arrays (``BatchRows``) and the answers it
handed back; here those answers are coded by the reference
(``ReferenceCoder._code``) and their rows slotted in, in answer order, so the
result is the Python engine's row for row. Frames are built column by column,
their text columns Arrow strings (``columns``): no Python object per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.coding.engine.columns import constant_column, spans_column, take_column
from helpers.coding.evidence import _UNSET, _code_row


@dataclass
class BatchRows:
    """The rows of one batch, ordered by answer, as arrays.

    ``label`` >= 0 is a pattern index (``BatchCoder.patterns``), < 0 a
    co-occurrence label (``BatchCoder.labels[-1 - label]``). Offsets are
    relative to the answer's text. ``fallback`` lists the answers to code with
    ``Coder._code`` instead (they have no rows here).
    """

    answer: np.ndarray
    theme: np.ndarray
    start: np.ndarray
    end: np.ndarray
    match_start: np.ndarray
    match_end: np.ndarray
    label: np.ndarray
    negated: np.ndarray
    fallback: list[int]
    answer_start: np.ndarray  # where each answer starts in ``codes``
    codes: np.ndarray  # the answers joined, as code points (1, 2 or 4 bytes each)


def code_rows(batcher, jobs: list[tuple[str, str, int, int]], rids: Any) -> Iterator[dict]:
    """Compiled coding of ``(text, question_id, lo, hi)`` jobs as ``_code``'s dicts, in
    order (``rids``: each job's respondent id, or ``_UNSET`` for none)."""
    coder = batcher.coder
    batch = batcher.code_batch(
        [text[lo:hi] for text, _, lo, hi in jobs], [q for _, q, _, _ in jobs]
    )
    fallback = set(batch.fallback)
    theme_ids, patterns, labels = coder._theme_ids, coder._texts, batcher.labels
    cols = zip(
        batch.answer.tolist(), batch.theme.tolist(), batch.start.tolist(),
        batch.end.tolist(), batch.match_start.tolist(), batch.match_end.tolist(),
        batch.label.tolist(), batch.negated.tolist(), strict=True,
    )  # fmt: skip
    done = 0  # jobs before this one have been emitted
    for a, theme, s, e, ms, me, label, neg in cols:
        while done < a:
            if done in fallback:
                yield from _fallback(coder, jobs[done], rids, done)
            done += 1
        done = a + 1  # a job with rows is never a fallback
        text, qid, lo, _ = jobs[a]
        pattern = patterns[label] if label >= 0 else labels[-1 - label]
        row = _code_row(
            text, qid, theme_ids[theme], s + lo, e + lo, ms + lo, me + lo, pattern, bool(neg)
        )
        if rids is not _UNSET:
            row["respondent_id"] = rids[a]
        yield row
    for a in range(done, len(jobs)):
        if a in fallback:
            yield from _fallback(coder, jobs[a], rids, a)


def _fallback(coder, job: tuple[str, str, int, int], rids: Any, a: int) -> list[dict]:
    """The reference's ``_code`` for a job the compiled coder handed back."""
    text, qid, lo, hi = job
    return coder._code(text, qid, lo, hi, _UNSET if rids is _UNSET else rids[a])


def code_frame(
    batcher,
    texts: list[str],
    qids: list[str],
    rids: list[str],
    jobs: list[tuple[str, str, int, int]] | None = None,
) -> pd.DataFrame:
    """One compiled batch as a frame of CODES columns, built column by column.

    ``texts`` are the answers; with ``jobs``, each is ``text[lo:hi]`` of its job
    and offsets point into the job's ``text``.
    """
    coder = batcher.coder
    batch = batcher.code_batch(texts, qids)
    ans, theme, negated = batch.answer, batch.theme, batch.negated
    start, end = batch.start, batch.end
    mstart, mend = batch.match_start, batch.match_end
    # Index into ``BatchCoder.label_texts``: the patterns, then the group labels.
    label = np.where(batch.label >= 0, batch.label, len(coder._texts) - 1 - batch.label)
    if batch.fallback:
        # The Python coder's rows as arrays too, slotted in after the rows of the
        # answers before them (so no frame is concatenated and sorted).
        more = _fallback_arrays(batcher, batch.fallback, texts, qids, rids, jobs)
        cols = [
            np.concatenate([a.astype(np.int64), b])
            for a, b in zip(
                (ans, theme, start, end, mstart, mend, label, negated), more, strict=True
            )
        ]
        order = np.argsort(cols[0], kind="stable")
        ans, theme, start, end, mstart, mend, label, negated = (c[order] for c in cols)
    at = batch.answer_start[ans]
    quote = spans_column(batch.codes, at + start, at + end)
    matched = spans_column(batch.codes, at + mstart, at + mend)
    if jobs is not None:
        lo_of = np.fromiter((lo for _, _, lo, _ in jobs), np.int64, len(jobs))[ans]
        start, end, mstart, mend = start + lo_of, end + lo_of, mstart + lo_of, mend + lo_of
    # Text columns are Arrow strings built in compiled code and C++ (quotes are
    # gathered from the batch's code points): no Python string per row.
    n = len(ans)
    return pd.DataFrame(
        copy=False,
        data={
            "question_id": take_column(qids, ans),
            "theme_id": take_column(batcher.theme_ids, theme),
            "start": start.astype(np.int64),
            "end": end.astype(np.int64),
            "quote": quote,
            "match_start": mstart.astype(np.int64),
            "match_end": mend.astype(np.int64),
            "matched_text": matched,
            "pattern": take_column(batcher.label_texts, label),
            "negated": negated.astype(bool),
            "method": constant_column("dictionary", n),
            "source": constant_column("auto", n),
            "respondent_id": take_column(rids, ans),
        },
    )


def _fallback_arrays(
    batcher,
    answers: list[int],
    texts: list[str],
    qids: list[str],
    rids: list[str],
    jobs: list[tuple[str, str, int, int]] | None,
) -> tuple[np.ndarray, ...]:
    """``_code``'s rows for ``answers`` of a compiled batch as int64 arrays like
    ``BatchRows``' (answer, theme, start, end, match start and end relative to the
    answer, label index, negated), for ``code_frame``."""
    theme_index = batcher.theme_index
    label_index = batcher.label_index
    out: list[tuple[int, ...]] = []
    for a in answers:
        job = jobs[a] if jobs is not None else (texts[a], qids[a], 0, len(texts[a]))
        lo = job[2]
        for row in _fallback(batcher.coder, job, rids, a):
            # Quotes are gathered from the batch's code points, which would take a
            # lone surrogate that Arrow refuses from a ``str``: refuse it too.
            row["quote"].encode("utf-8")
            out.append(
                (
                    a,
                    theme_index[row["theme_id"]],
                    row["start"] - lo,
                    row["end"] - lo,
                    row["match_start"] - lo,
                    row["match_end"] - lo,
                    label_index[row["pattern"]],
                    row["negated"],
                )
            )
    arr = np.array(out, np.int64).reshape(len(out), 8)
    return tuple(arr[:, k] for k in range(8))
