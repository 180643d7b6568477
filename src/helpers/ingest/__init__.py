"""Ingest: response files in, one row per respondent and per answer out.

In:  ``data/raw/<id>/`` (text, Markdown, Word, PDF, e-mail (.eml), survey CSV/XLSX exports and an
     optional ``manifest.csv``) and the consultation's questions.
Out: an :class:`IngestResult` holding the ``respondents``, ``answers``,
     ``ingest_log`` and ``copies`` tables (schemas in :mod:`helpers.core.schemas`),
     written to ``data/processed/<id>/`` as Parquet by :func:`run_ingest`.
     Every file is accounted for in ``ingest_log``: processed, skipped or failed, and why.

Modules, in the order the stage uses them (``stage`` is the recipe; ``stage_read``
reads one file, ``stage_describe`` describes and segments its documents):

- ``inputs``: the folder walk and safe reading (regular files inside the folder
  only; links, FIFOs and devices are logged as skipped, never opened);
- ``readers/``: one reader per format family (``text``, ``word``, ``pdf``, ``mail``,
  ``survey``) and the registry of file extensions (where to add a reader);
  ``textnorm`` normalises their text; ``readers/limits`` bounds the work one file
  may cause (run.yaml's ``limits:``); ``cache`` stores their parses, keyed by
  content (identity always comes from the current file);
- ``respondents``: who responded (manifest, survey columns, inference), with
  the respondent-type words applied by ``respondent_types``;
- ``segment/``: answers per question (candidates, assignment, rows, and the
  notebook tables);
- ``nonanswers``: marks each answer ``substantive`` or not ("No comment", "N/A"
  are kept but not substantive; phrases in ``helpers/data/non_answers.yaml``);
- ``campaigns``: copies of campaign texts, per question; ``nearcopies``: the
  MinHash LSH near-copy search it uses; ``minhash``: the signatures, compiled;
- ``survey_init``: ``consult init --from-export``, a draft consultation.yaml
  from a survey export's header and values.
"""

from helpers.ingest.campaigns import (
    DEFAULT_MIN_CHARS,
    DEFAULT_THRESHOLD,
    MIN_GROUP_SIZES,
    detect_copies,
    find_copies,
)
from helpers.ingest.nearcopies import LONG_CHARS
from helpers.ingest.nonanswers import mark_substantive
from helpers.ingest.readers import ReadError
from helpers.ingest.readers.limits import DEFAULT_LIMITS, Limits, parse_limits
from helpers.ingest.segment import answer_matrix, answer_preview, segment_document, warnings_table
from helpers.ingest.stage import IngestResult, read_document, run_ingest
from helpers.ingest.survey_init import draft_consultation, write_draft

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "parse_limits",
    "DEFAULT_MIN_CHARS",
    "DEFAULT_THRESHOLD",
    "LONG_CHARS",
    "MIN_GROUP_SIZES",
    "IngestResult",
    "ReadError",
    "answer_matrix",
    "answer_preview",
    "detect_copies",
    "draft_consultation",
    "find_copies",
    "mark_substantive",
    "read_document",
    "run_ingest",
    "segment_document",
    "warnings_table",
    "write_draft",
]
