"""Coding: answers and a codebook in, coded evidence spans out.

In:  the ``answers`` and ``respondents`` tables from ingest, ``codebook.yaml`` (themes
     and patterns) and ``overrides.csv`` (a researcher's manual changes).
Out: a :class:`CodingResult` holding ``codes`` (one row per theme raised, with its
     character offsets and quote), ``uncoded``, ``suggestions`` and, through
     :mod:`helpers.stance`, ``stances``; :func:`run_coding` writes them as Parquet.

Modules: ``codebook`` (load and validate themes), ``coder`` (the dictionary coder:
pure-Python reference), ``engine/`` (the compiled engine, which reads the
reference's tables), ``suggest`` (words and phrases no theme covers).
"""

from helpers.coding.codebook import (
    Codebook,
    CodebookError,
    Theme,
    from_csv,
    load_codebook,
    parse_codebook,
    to_csv,
)
from helpers.coding.coder import (
    Coder,
    CodingResult,
    OverrideError,
    apply_overrides,
    code_answers,
    run_coding,
    uncoded,
)
from helpers.coding.suggest import coverage, suggest_terms, theme_counts

__all__ = [
    "Codebook",
    "CodebookError",
    "Coder",
    "CodingResult",
    "OverrideError",
    "Theme",
    "apply_overrides",
    "code_answers",
    "coverage",
    "from_csv",
    "load_codebook",
    "parse_codebook",
    "run_coding",
    "suggest_terms",
    "theme_counts",
    "to_csv",
    "uncoded",
]
