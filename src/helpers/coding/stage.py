"""The coding stage: the ingested answers in, the coding tables written as Parquet.

``run_coding`` codes the answers (``runner``; then ``semantic``), applies the
researcher's overrides (``overrides``), adds the codes learned from the
hand-coded sample and overrides (``learned``), infers stances
(``helpers.stance``), lists the
uncoded answers and suggests terms (``suggest``), and writes ``codes``,
``stances``, ``uncoded`` and ``suggestions`` to the processed folder; with a
cache folder, an unchanged re-run copies them from the cache (``rerun``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.coding import rerun
from helpers.coding.codebook import Codebook, load_codebook
from helpers.coding.distributed import code_and_read_stances
from helpers.coding.learned import add_learned_codes
from helpers.coding.overrides import apply_overrides, apply_stance_overrides
from helpers.coding.runner import code_answers, uncoded
from helpers.coding.semantic import add_semantic
from helpers.coding.suggest import suggest_terms
from helpers.coding.trained import add_trained_codes
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.scheduler import DaskSettings

log = logging.getLogger(__name__)


@dataclass
class CodingResult:
    """The coding stage's tables (also written to the processed folder)."""

    codes: pd.DataFrame
    stances: pd.DataFrame
    uncoded: pd.DataFrame
    suggestions: pd.DataFrame
    codebook: Codebook
    consultation: Consultation
    # What a coding method could not process, and why (e.g. the embedding model is missing).
    unprocessed: list[str] = field(default_factory=list)


def run_coding(
    processed_dir: str | Path,
    consultation_path: str | Path,
    codebook_path: str | Path,
    overrides_path: str | Path | None = None,
    workers: int = 1,
    hand_coded: str | Path | pd.DataFrame | None = None,
    dask: DaskSettings | dict | str | None = None,
    cache_dir: str | Path | None = None,
) -> CodingResult:
    """Code the ingested answers and write codes, stances, uncoded and suggestions parquet files.

    ``workers`` is passed to ``code_answers`` (processes for theme coding; 0: one per core).
    ``hand_coded`` (run.yaml's ``hand_coded``: a CSV path, or the table
    ``validate.load_hand_coding`` reads) trains the learned coder (``learned``). ``dask`` (run.yaml's ``dask``: a scheduler
    address, or ``{address, partition_rows}``) runs dictionary coding and stance reading
    on that Dask cluster, partitioned by respondent (``distributed``); the tables are
    the same as in-process. With ``cache_dir``, a re-run whose answers, codebook,
    overrides, hand-coded sample and configuration are unchanged copies the tables
    a previous run wrote (``rerun``).
    """
    from helpers import stance  # another stage: imported late to keep this one light

    processed_dir = Path(processed_dir)
    consultation = load_consultation(consultation_path)
    codebook = load_codebook(codebook_path, consultation=consultation)
    try:
        respondents = pd.read_parquet(processed_dir / "respondents.parquet")
        answers = pd.read_parquet(processed_dir / "answers.parquet")
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{processed_dir}: respondents.parquet/answers.parquet not found; run the ingest stage first"
        ) from exc
    settings = dask if isinstance(dask, DaskSettings) else DaskSettings.parse(dask)
    if cache_dir is not None:
        key = rerun.coding_key(
            processed_dir,
            consultation_path,
            consultation,
            codebook_path,
            overrides_path,
            hand_coded,
        )
        hit = rerun.restore(Path(cache_dir), key, processed_dir)
        if hit is not None:
            (codes, stances, missing, suggestions), unprocessed = hit
            return CodingResult(
                codes, stances, missing, suggestions, codebook, consultation, unprocessed
            )
    if settings is not None:
        codes, dask_stances = code_and_read_stances(
            answers, respondents, codebook, consultation, settings
        )
    else:
        codes = code_answers(answers, respondents, codebook, consultation, workers=workers)
        dask_stances = None
    # --- coding methods beyond the dictionary (issue 14): each appends its codes
    # (``method`` says which) and skips the (answer, theme) pairs already coded.
    codes, unprocessed = add_semantic(codes, answers, respondents, codebook, consultation)
    codes = add_trained_codes(
        codes, answers, respondents, codebook, consultation, cache_dir=cache_dir
    )
    # --- end of coding methods
    codes = apply_overrides(codes, overrides_path, answers, respondents, codebook)
    # --- learned coding (issue 14, item 3): classifiers trained on hand_coded + overrides ---
    codes = add_learned_codes(
        codes, answers, respondents, codebook, consultation, hand_coded, overrides_path
    )
    if dask_stances is None:
        stances = stance.stance_answers(answers, respondents, consultation)
    else:
        stances = dask_stances
    stances = apply_stance_overrides(stances, overrides_path, answers, respondents)
    missing = uncoded(answers, codes, codebook, consultation)
    suggestions = suggest_terms(answers, respondents, codes, consultation, codebook)
    codes.to_parquet(processed_dir / "codes.parquet", index=False)
    stances.to_parquet(processed_dir / "stances.parquet", index=False)
    missing.to_parquet(processed_dir / "uncoded.parquet", index=False)
    suggestions.to_parquet(processed_dir / "suggestions.parquet", index=False)
    if cache_dir is not None:
        rerun.store(Path(cache_dir), key, processed_dir, unprocessed)
    log.info(
        "coding written to %s: %d codes, %d stances, %d uncoded answers, %d suggestions",
        processed_dir,
        len(codes),
        len(stances),
        len(missing),
        len(suggestions),
    )
    return CodingResult(codes, stances, missing, suggestions, codebook, consultation, unprocessed)
