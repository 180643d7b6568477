"""Loading what the analysis reads: the processed tables, the consultation and the codebook.

Each table is read from ``<processed_dir>/<name>.parquet`` and conformed to its
schema (core/schemas.py); optional tables that are missing come back empty.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
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

    # False when loaded with ``load_inputs(..., response_text=False)``: ``respondents.text``
    # is then empty and :meth:`response_texts` reads the texts asked for from the folder.
    response_text_loaded: bool = True
    # None when ``answers.answer_text`` was loaded whole (the default); with
    # ``load_inputs(..., answer_text=False)``, which rows of ``answers`` hold their text (the
    # others are ``""``: :meth:`with_answer_text` reads the rows a stage quotes). Whether an
    # answer is written is the ``written`` column either way (:func:`written_answers`).
    answer_text_rows: np.ndarray | None = None

    def response_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The whole response text of the respondents ``ids``, by id (read from the
        processed folder when the inputs were loaded without it)."""
        wanted = sorted({str(i) for i in ids})
        if not wanted:
            return {}
        if self.response_text_loaded or self.processed_dir is None:
            r = self.respondents
            r = r[r["respondent_id"].astype(str).isin(wanted)]
        else:
            r = _rows_with_ids(Path(self.processed_dir) / "respondents.parquet", wanted)
        return dict(
            zip(r["respondent_id"].astype(str), r["text"].fillna("").astype(str), strict=True)
        )

    def with_answer_text(self, rows: pd.Series | np.ndarray) -> AnalysisInputs:
        """These inputs with ``answers.answer_text`` filled for ``rows`` (a boolean mask on
        ``answers``' rows), read from the processed folder for the rows not loaded yet.

        The text of a row loaded already is kept as it is (a report may have redacted it).
        Rows are matched by position: ``answers`` holds the file's rows in the file's order.
        """
        if self.answer_text_rows is None:
            return self
        need = np.asarray(rows, dtype=bool) & ~self.answer_text_rows
        if not need.any():
            return self
        positions = np.flatnonzero(need)
        path = Path(self.processed_dir) / "answers.parquet"  # type: ignore[arg-type]
        texts = _values_at(path, "answer_text", positions, len(self.answers))
        answers = self.answers.copy()
        answers.iloc[positions, answers.columns.get_loc("answer_text")] = texts
        return dataclasses.replace(
            self, answers=answers, answer_text_rows=self.answer_text_rows | need
        )

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, Any]:
        """(respondents, answers, codes, stances, codebook): what most tables start from."""
        return self.respondents, self.answers, self.codes, self.stances, self.codebook


def _rows_with_ids(path: Path, ids: list[str], batch_rows: int = 8192) -> pd.DataFrame:
    """``respondent_id`` and ``text`` of the rows of ``path`` whose id is in ``ids``.

    Read a batch of rows at a time and filtered batch by batch, so memory holds one
    batch's texts: a filtered ``read_table`` decodes the whole text column first (1.3 GB
    at 100,000 survey respondents, the report's peak; issue 15).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = pa.array(ids, type=pa.string())
    kept = []
    for batch in pq.ParquetFile(path).iter_batches(
        batch_size=batch_rows, columns=["respondent_id", "text"]
    ):
        ids_here = pc.cast(batch.column(0), pa.string())
        hit = pc.is_in(ids_here, value_set=wanted)
        if pc.any(hit).as_py():
            kept.append(pa.Table.from_batches([batch]).filter(hit))
    if not kept:
        return pd.DataFrame({"respondent_id": [], "text": []})
    return pa.concat_tables(kept).to_pandas()


def _values_at(
    path: Path, column: str, positions: np.ndarray, n_rows: int, batch_rows: int = 65_536
) -> list:
    """``column``'s values at the row ``positions`` (sorted) of the Parquet file ``path``,
    read a batch of rows at a time, so memory holds one batch's values of the column (a
    row group can be the whole table: ingest writes 500,000 answers as one)."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    if pf.metadata.num_rows != n_rows:
        raise ValueError(f"{path}: {pf.metadata.num_rows} rows, the loaded table {n_rows}")
    out: list = []
    start = 0
    for batch in pf.iter_batches(batch_size=batch_rows, columns=[column]):
        stop = start + batch.num_rows
        lo, hi = np.searchsorted(positions, [start, stop])
        if hi > lo:
            out.extend(batch.column(0).take(positions[lo:hi] - start).to_pylist())
        start = stop
        if hi == len(positions):
            break
    return out


def written_answers(answers: pd.DataFrame) -> pd.Series:
    """Which ``answers`` rows have written text (not blank or whitespace): the ``written``
    column ingest writes, or worked out from ``answer_text`` for a table without it."""
    if "written" in answers.columns:
        return answers["written"].fillna(False).astype(bool)
    return answers["answer_text"].fillna("").astype(str).str.strip() != ""


def _written_from_file(path: Path, batch_rows: int = 65_536) -> np.ndarray:
    """:func:`written_answers` of a Parquet answers table that predates the column, read a batch
    of ``answer_text`` at a time (the text is not kept)."""
    import pyarrow.parquet as pq

    parts = [
        written_answers(batch.to_pandas()).to_numpy()
        for batch in pq.ParquetFile(path).iter_batches(
            batch_size=batch_rows, columns=["answer_text"]
        )
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


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


def read_table(
    processed_dir: str | Path, name: str, required: bool = True, skip: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Read ``<name>.parquet`` from the processed folder, conformed to its schema.

    A missing optional table is returned empty (and logged); a missing required
    one raises FileNotFoundError naming the file and the stage that writes it.
    ``skip``: text columns not read from the file, left empty (``""``) in the frame.
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
    if skip:
        import pyarrow.parquet as pq

        names = [c for c in pq.read_schema(path).names if c not in skip]
        df = pd.read_parquet(path, columns=names)
        for col in skip:
            df[col] = ""
    else:
        df = pd.read_parquet(path)
    if name == "answers":
        # Blank or written: ingest's column, else worked out (from the file when the text
        # is not read), so later stages need not load every answer's text (issue 15).
        if "written" in df.columns:
            mask = df["written"].fillna(False).astype(bool).to_numpy()
        elif "answer_text" in skip:
            mask = _written_from_file(path)
        else:
            mask = written_answers(df).to_numpy()
    if name == "copies" and "question_id" not in df.columns:
        # Written before copies were found per question: whole responses were compared.
        df.insert(1, "question_id", schemas.WHOLE_RESPONSE)
    try:
        out = schemas.conform(df, schema)
        if name == "answers":
            # conform derives ``written`` from answer_text, which is empty when not read.
            out["written"] = mask
        return out
    except SchemaError as exc:  # e.g. answers.substantive, added after the table was written
        raise SchemaError(
            f"{path}: {exc}; the table was written by an older version: re-run the ingest (01) "
            "and coding (02) stages (or `consult prepare`)"
        ) from exc


def load_inputs(
    processed_dir: str | Path,
    consultation_path: str | Path,
    codebook_path: str | Path,
    response_text: bool = True,
    answer_text: bool = True,
) -> AnalysisInputs:
    """Load the processed tables, the consultation and the codebook.

    ``response_text=False`` leaves ``respondents.text`` (every whole response) unread:
    the analysis and the report read it only for the representatives of campaign groups,
    through :meth:`AnalysisInputs.response_texts`, which then reads those rows from the
    folder. At 100,000 survey respondents the column is about a third of what the loaded
    tables hold (issue 15: notebooks 03 and 04 load without it).

    ``answer_text=False`` leaves ``answers.answer_text`` unread (``""``): the analysis and
    the report tell blank from written by the ``written`` column (ingest's, or worked out
    from the file batch by batch for an older folder) and read the text of the rows they
    quote only (:meth:`AnalysisInputs.with_answer_text`).
    """
    from helpers.coding import load_codebook  # imported late: another stage's module

    processed_dir = Path(processed_dir)
    # Read in this order: a folder without either names respondents.parquet first.
    respondents = read_table(processed_dir, "respondents", skip=() if response_text else ("text",))
    answers = read_table(processed_dir, "answers", skip=() if answer_text else ("answer_text",))
    return AnalysisInputs(
        respondents=respondents,
        response_text_loaded=response_text,
        answers=answers,
        answer_text_rows=None if answer_text else np.zeros(len(answers), dtype=bool),
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
