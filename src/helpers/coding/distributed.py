"""Theme coding and stance reading on a Dask cluster, partitioned by respondent (issue 15, item 6).

One machine is the default and needs nothing here. When a consultation outgrows it, a
researcher points the run at a Dask scheduler (``dask: {address: tcp://host:8786}`` in
run.yaml, or ``--scheduler``); dask-jobqueue (HPC) and dask-kubernetes start such
schedulers and their workers, so no scheduling is written here (docs/scale.md).

Why partition by respondent: both per-answer stages read one respondent at a time
(``code_answers`` an answer and its respondent's text; ``stance_answers`` a
respondent's closed answers, or their whole letter), so contiguous blocks of
respondents can be coded anywhere and the results concatenated in block order give
the in-process tables row for row (tested against a two-worker ``LocalCluster``).
Corpus-wide steps (overrides, learned and semantic coding, uncoded, suggestions) stay
in the calling process: they need every answer at once and cost little beside the
per-answer work.

``address`` may also be ``local`` or ``local:N``: a ``LocalCluster`` of N worker
processes on this machine (a way to try the engine, and what the tests use).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.errors import ConfigError
from helpers.core.scheduler import DaskSettings, local_workers

log = logging.getLogger(__name__)


@contextmanager
def connect(settings: DaskSettings) -> Iterator[Any]:
    """A ``distributed.Client`` for ``settings`` (a LocalCluster for ``local[:N]``), closed after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is in the lock file
        raise ConfigError(
            "dask: the 'distributed' package is not installed (pip install -r requirements.lock)"
        ) from exc
    n_local = local_workers(settings.address)
    if n_local is not None:
        cluster = LocalCluster(
            n_workers=n_local, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        cluster = None
        client = Client(settings.address, timeout="30s")
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def partition_respondents(
    respondents: pd.DataFrame, answers: pd.DataFrame, rows: int
) -> list[pd.Index]:
    """Contiguous blocks of respondents (in table order) holding about ``rows`` answers each.

    A respondent is never split: its answers and text travel together.
    """
    if respondents.empty:
        return []
    counts = answers["respondent_id"].astype(str).value_counts()
    per = respondents["respondent_id"].astype(str).map(counts).fillna(0).astype(int).tolist()
    blocks: list[pd.Index] = []
    start, total = 0, 0
    for i, n in enumerate(per):
        total += max(n, 1)
        if total >= rows:
            blocks.append(respondents.index[start : i + 1])
            start, total = i + 1, 0
    if start < len(per):
        blocks.append(respondents.index[start:])
    return blocks


def _code_partition(
    answers: pd.DataFrame, respondents: pd.DataFrame, codebook: Any, consultation: Consultation
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One task: the dictionary codes and the stances of one block of respondents."""
    from helpers import stance
    from helpers.coding.runner import code_answers

    codes = code_answers(answers, respondents, codebook, consultation)
    stances = stance.stance_answers(answers, respondents, consultation)
    return codes, stances


def code_and_read_stances(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Any,
    consultation: Consultation,
    settings: DaskSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CODES (dictionary) and STANCES_TABLE computed on the cluster; identical to in-process."""
    blocks = partition_respondents(respondents, answers, settings.partition_rows)
    if not blocks:
        return _code_partition(answers, respondents, codebook, consultation)
    # Each answer's block, found once: one grouping instead of a scan per block.
    block_of = {
        rid: k
        for k, block in enumerate(blocks)
        for rid in respondents.loc[block, "respondent_id"].astype(str)
    }
    keys = answers["respondent_id"].astype(str).map(block_of)
    if keys.isna().any():  # as code_answers says in-process: never drop answers silently
        missing = answers.loc[keys.isna(), "respondent_id"].iloc[0]
        raise ValueError(f"answers: respondent {missing!r} is not in respondents; re-run ingest")
    by_block = dict(tuple(answers.groupby(keys, sort=False)))
    with connect(settings) as client:
        log.info(
            "coding on Dask (%s): %d respondents in %d partitions",
            settings.address,
            len(respondents),
            len(blocks),
        )
        [cb, cons] = client.scatter([codebook, consultation], broadcast=True)
        futures = []
        for k, block in enumerate(blocks):
            part_answers = by_block.get(k, answers.iloc[:0])
            futures.append(
                client.submit(
                    _code_partition, part_answers, respondents.loc[block], cb, cons, pure=False
                )
            )
        results = client.gather(futures)
    codes = pd.concat([c for c, _ in results], ignore_index=True)
    stances = pd.concat([s for _, s in results], ignore_index=True)
    return schemas.conform(codes, schemas.CODES), schemas.conform(stances, schemas.STANCES_TABLE)
