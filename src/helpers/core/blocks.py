"""Contiguous blocks of respondents, each with its own answers: bounded work on any corpus.

The per-answer steps of the coding stage (stance reading, ``stance_answers``) read one
respondent at a time: a closed answer with its respondent's text, or a letter as a
whole. Run on a block of respondents at a time, they hold that block's texts as Python
strings, its per-answer records and its result rows, never every respondent's at once:
the memory of the step is flat in the number of respondents (issue 15). The results of
the blocks, concatenated in block order, are the whole corpus's row for row, as the
Dask path (``coding.distributed``) already relies on.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd


def respondent_blocks(
    answers: pd.DataFrame, respondents: pd.DataFrame, size: int
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``(answers, respondents)`` of each run of ``size`` consecutive respondents (table
    order), the answers of a block in their order in ``answers``.

    Answers whose respondent is not in ``respondents`` (or has no id) belong to no block:
    the steps that use this read answers through their respondent and skip them anyway.
    One block (the frames as given) when there are at most ``size`` respondents, or when
    respondent ids repeat: a step that keys its work by id would merge the repeats across
    the whole table, which blocks could not reproduce.
    """
    if size < 1:
        raise ValueError(f"block size must be at least 1, got {size!r}")
    ids = respondents["respondent_id"]
    if len(respondents) <= size or not ids.is_unique:
        yield answers, respondents
        return
    # Each answer's respondent position (-1: none), then its block; a stable sort keeps
    # the answers of a block in their order in ``answers``.
    pos = pd.Index(ids).get_indexer(answers["respondent_id"])
    block = np.where(pos >= 0, pos // size, -1)
    order = np.argsort(block, kind="stable")
    n_blocks = -(-len(respondents) // size)
    bounds = np.searchsorted(block[order], np.arange(n_blocks + 1), side="left")
    for b in range(n_blocks):
        rows = order[bounds[b] : bounds[b + 1]]
        yield answers.take(rows), respondents.iloc[b * size : (b + 1) * size]
