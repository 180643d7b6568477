"""Loading what the analysis reads: the processed tables, the consultation and the codebook.

Each table is read from ``<processed_dir>/<name>.parquet`` and conformed to its
schema (core/schemas.py); optional tables that are missing come back empty.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.errors import SchemaError

log = logging.getLogger(__name__)


@dataclass
class AnalysisInputs:
    """Everything the analysis needs, as loaded from a processed folder."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    codes: pd.DataFrame
    stances: pd.DataFrame
    uncoded: pd.DataFrame
    consultation: Consultation
    codebook: Any
    processed_dir: Path | None = None
    # Campaign copies (COPIES); empty when none were found or the folder predates them.
    copies: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.COPIES))
    # One row per input file (INGEST_LOG): what was read, skipped or failed, for the accounting.
    ingest_log: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.INGEST_LOG))
    # Respondents' attribute values (ATTRIBUTES); empty when none are declared or the folder
    # predates them (every respondent then counts as unknown in a breakdown).
    attributes: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.ATTRIBUTES))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, Any]:
        """(respondents, answers, codes, stances, codebook): what most tables start from."""
        return self.respondents, self.answers, self.codes, self.stances, self.codebook


_TABLE_FILES = {
    "respondents": schemas.RESPONDENTS,
    "answers": schemas.ANSWERS,
    "codes": schemas.CODES,
    "stances": schemas.STANCES_TABLE,
    "uncoded": schemas.UNCODED,
    "copies": schemas.COPIES,
    "ingest_log": schemas.INGEST_LOG,
    "attributes": schemas.ATTRIBUTES,
}


def read_table(processed_dir: str | Path, name: str, required: bool = True) -> pd.DataFrame:
    """Read ``<name>.parquet`` from the processed folder, conformed to its schema.

    A missing optional table is returned empty (and logged); a missing required
    one raises FileNotFoundError naming the file and the stage that writes it.
    """
    schema = _TABLE_FILES[name]
    path = Path(processed_dir) / f"{name}.parquet"
    if not path.exists():
        if required:
            raise FileNotFoundError(
                f"{path}: not found. Run the ingest (01) and coding (02) stages first "
                "(see docs/CONTRACTS.md for which stage writes it)."
            )
        log.warning("%s: not found; treating %s as empty", path, name)
        return schemas.empty(schema)
    df = pd.read_parquet(path)
    if name == "copies" and "question_id" not in df.columns:
        # Written before copies were found per question: whole responses were compared.
        df.insert(1, "question_id", schemas.WHOLE_RESPONSE)
    try:
        return schemas.conform(df, schema)
    except SchemaError as exc:  # e.g. answers.substantive, added after the table was written
        raise SchemaError(
            f"{path}: {exc}; the table was written by an older version: re-run the ingest (01) "
            "and coding (02) stages (or `consult prepare`)"
        ) from exc


def load_inputs(
    processed_dir: str | Path, consultation_path: str | Path, codebook_path: str | Path
) -> AnalysisInputs:
    """Load the processed tables, the consultation and the codebook."""
    from helpers.coding import load_codebook  # imported late: another stage's module

    processed_dir = Path(processed_dir)
    return AnalysisInputs(
        respondents=read_table(processed_dir, "respondents"),
        answers=read_table(processed_dir, "answers"),
        codes=read_table(processed_dir, "codes", required=False),
        stances=read_table(processed_dir, "stances", required=False),
        uncoded=read_table(processed_dir, "uncoded", required=False),
        consultation=load_consultation(consultation_path),
        codebook=load_codebook(codebook_path),
        processed_dir=processed_dir,
        # Written by ingest since campaign-copy detection; absent in older folders.
        copies=read_table(processed_dir, "copies", required=False),
        ingest_log=read_table(processed_dir, "ingest_log", required=False),
        attributes=read_table(processed_dir, "attributes", required=False),
    )
