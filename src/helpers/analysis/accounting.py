"""Honest accounting: every file and row received, and what became of it.

A report that says "42 responses" must also say what it did not read: the
Word file that would not open, the survey row over the size limit, the rows
with nothing in them, the answers that only said "No comment". This module
counts them from ``ingest_log`` (one row per input file, then one per
problem row of a survey export) and the ``respondents`` and ``answers``
tables, so the report's first page and its Method section can state them.

Rules:

- a *file* is a distinct ``ingest_log.file``; its first log row is the
  file's own (``processed``, ``skipped`` or ``failed``), later rows with the
  same name are problems with single rows of a survey export;
- the researcher's respondent metadata file (``manifest.csv``) is not a
  response: it is counted apart (``metadata_files``);
- a *row* is a row of a survey export: those read are the respondents with a
  ``source_row``; those failed or skipped are the export's problem rows;
- an *empty* respondent wrote nothing and ticked nothing under any question;
- a *non-substantive* answer has text that is only a non-answer
  (``answers.substantive == False``: "No comment", "N/A").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis.inputs import written_answers
from helpers.core.schemas import METADATA_REASON, SPECIAL_QUESTION_IDS, substantive_answers


@dataclass
class Accounting:
    """What was received and what became of it (files, survey rows, respondents, answers)."""

    files_received: int = 0
    files_read: int = 0
    files_failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    files_skipped: list[tuple[str, str]] = field(default_factory=list)
    metadata_files: list[str] = field(default_factory=list)
    rows_received: int = 0
    rows_read: int = 0
    rows_failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    rows_skipped: list[tuple[str, str]] = field(default_factory=list)
    respondents: int = 0
    empty_respondents: int = 0
    answers: int = 0
    non_substantive_answers: int = 0
    no_substantive_respondents: int = 0  # wrote something, but only non-answers

    @property
    def failed(self) -> list[tuple[str, str]]:
        """Every failed input, files then rows: (file, reason)."""
        return self.files_failed + self.rows_failed

    def table(self) -> pd.DataFrame:
        """The counts as a two-column table (what, n), for tables.xlsx and notebooks."""
        rows = [
            ("files received", self.files_received),
            ("files read", self.files_read),
            ("files failed", len(self.files_failed)),
            ("files skipped", len(self.files_skipped)),
            ("respondent metadata files", len(self.metadata_files)),
            ("survey rows received", self.rows_received),
            ("survey rows read", self.rows_read),
            ("survey rows failed", len(self.rows_failed)),
            ("survey rows skipped", len(self.rows_skipped)),
            ("respondents", self.respondents),
            ("empty respondents (nothing written or ticked)", self.empty_respondents),
            ("respondents with no substantive answer", self.no_substantive_respondents),
            ("answers", self.answers),
            ("non-substantive answers", self.non_substantive_answers),
        ]
        return pd.DataFrame(rows, columns=["what", "n"]).astype({"what": "string", "n": "int64"})


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def input_accounting(
    ingest_log: pd.DataFrame | None, respondents: pd.DataFrame, answers: pd.DataFrame
) -> Accounting:
    """Count files, survey rows, respondents and answers, and name what failed or was skipped.

    ``ingest_log`` may be None or empty (a processed folder from before the
    log was kept): the file counts are then zero and only the tables count.
    """
    acc = Accounting()
    if ingest_log is not None and not ingest_log.empty:
        seen: set[str] = set()
        for r in ingest_log.itertuples(index=False):
            name, status, reason = str(r.file), str(r.status), _text(r.reason)
            if name in seen:  # a problem row of a survey export
                if status == "failed":
                    acc.rows_failed.append((name, reason))
                elif status == "skipped":
                    acc.rows_skipped.append((name, reason))
                continue
            seen.add(name)
            if status == "skipped" and reason.startswith(METADATA_REASON):
                acc.metadata_files.append(name)
                continue
            acc.files_received += 1
            if status == "processed":
                acc.files_read += 1
            elif status == "failed":
                acc.files_failed.append((name, reason or "no reason recorded"))
            else:
                acc.files_skipped.append((name, reason or "no reason recorded"))
    acc.respondents = len(respondents)
    if "source_row" in respondents.columns:
        acc.rows_read = int(respondents["source_row"].notna().sum())
    acc.rows_received = acc.rows_read + len(acc.rows_failed) + len(acc.rows_skipped)

    body = answers[~answers["question_id"].astype(str).isin(SPECIAL_QUESTION_IDS)]
    written = written_answers(body)
    ticked = (
        body["tick_box"].fillna("").astype(str).str.strip() != ""
        if "tick_box" in body.columns
        else pd.Series(False, index=body.index)
    )
    said = substantive_answers(body)
    acc.answers = int((written | ticked).sum())
    acc.non_substantive_answers = int((written & ~said).sum())
    # Respondents: any text at all (in any answer, preamble included), any substantive answer.
    all_written = written_answers(answers)
    wrote = set(answers.loc[all_written, "respondent_id"].astype(str))
    wrote |= set(body.loc[ticked, "respondent_id"].astype(str))
    spoke = set(answers.loc[substantive_answers(answers), "respondent_id"].astype(str))
    spoke |= set(body.loc[ticked, "respondent_id"].astype(str))
    ids = set(respondents["respondent_id"].astype(str))
    acc.empty_respondents = len(ids - wrote)
    acc.no_substantive_respondents = len((ids & wrote) - spoke)
    return acc
