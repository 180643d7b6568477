"""Coding: answers and a codebook in, coded evidence spans out.

In:  the ``answers`` and ``respondents`` tables from ingest, ``codebook.yaml`` (themes
     and patterns) and ``overrides.csv`` (a researcher's manual changes).
Out: a :class:`CodingResult` holding ``codes`` (one row per theme raised, with its
     character offsets and quote), ``uncoded``, ``suggestions`` and, through
     :mod:`helpers.stance`, ``stances``; :func:`run_coding` writes them as Parquet.

Modules, in the order an answer is read:

- ``codebook``: load and validate the themes and patterns;
- ``patterns``: text normalisation, stems, pattern words and anchor keys;
  ``negation``: the negator tables and look-back; ``tables``: a codebook compiled
  into the tables both engines match with;
- ``reference``: the pure-Python coder (the reference), with ``phrases`` (a
  phrase's words read around its anchor), ``sentencefinder`` (a match's
  sentence) and ``evidence`` (hits to rows, one per theme and sentence);
- ``engine/``: the compiled engine (numba), which reads the reference's tables
  and hands back what it cannot reproduce; the reference never imports it;
- ``coder``: the ``Coder``, which chooses an engine and routes texts, streams
  and jobs to it (the only module that imports ``engine``);
- ``runner``: ``code_answers`` (which answers, in process or in workers) and
  ``uncoded``; ``overrides``: a researcher's manual changes (codes and stances),
  ``override_file``: the one writer of ``overrides.csv`` (append a row, undo it);
- ``labels``: training labels from the hand-coded sample and the overrides;
  ``learned``: per-theme classifiers trained on them (``code_learned``,
  cross-validated by ``learned_cv.learned_report``); ``trained``: per-theme
  classifiers trained on coded answers of earlier rounds (the codebook's
  ``training_answers``); ``echo``: codes whose evidence only copies the
  consultation's own text are dropped;
- ``stage``: ``run_coding``, the coding stage; ``suggest``: words and phrases
  no theme covers;
- ``discover``: a draft codebook clustered from the answers (``units``: the
  sentences it reads; ``draft``: labels, descriptions, patterns and the YAML).
"""

from helpers.coding.codebook import (
    THEME_KEYS,
    Codebook,
    CodebookError,
    Theme,
    from_csv,
    load_codebook,
    parse_codebook,
    to_csv,
)
from helpers.coding.coder import Coder
from helpers.coding.discover import DiscoveryResult, discover_themes
from helpers.coding.echo import drop_echoes
from helpers.coding.labels import read_override_decisions
from helpers.coding.learned import code_learned
from helpers.coding.learned_cv import learned_report
from helpers.coding.override_file import append_override, drop_override, override_row
from helpers.coding.overrides import (
    OVERRIDE_COLUMNS,
    OverrideError,
    apply_overrides,
    apply_stance_overrides,
)
from helpers.coding.runner import code_answers, uncoded
from helpers.coding.semantic import add_semantic, calibrate_thresholds, code_semantic
from helpers.coding.stack import drop_vetoed
from helpers.coding.stage import CodingResult, run_coding
from helpers.coding.suggest import coverage, suggest_terms, theme_counts
from helpers.coding.trained import decide_trained, read_training_answers, trained_decisions

__all__ = [
    "OVERRIDE_COLUMNS",
    "THEME_KEYS",
    "Codebook",
    "CodebookError",
    "Coder",
    "CodingResult",
    "DiscoveryResult",
    "OverrideError",
    "Theme",
    "add_semantic",
    "append_override",
    "apply_overrides",
    "apply_stance_overrides",
    "calibrate_thresholds",
    "code_answers",
    "code_learned",
    "code_semantic",
    "coverage",
    "decide_trained",
    "discover_themes",
    "drop_echoes",
    "drop_override",
    "drop_vetoed",
    "from_csv",
    "learned_report",
    "load_codebook",
    "override_row",
    "parse_codebook",
    "read_override_decisions",
    "read_training_answers",
    "run_coding",
    "suggest_terms",
    "theme_counts",
    "to_csv",
    "trained_decisions",
    "uncoded",
]
