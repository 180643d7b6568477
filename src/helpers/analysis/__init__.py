"""Analysis: processed tables in, summary tables and charts out.

In:  the processed Parquet tables (``respondents``, ``answers``, ``codes``,
     ``stances``, ``copies``), loaded by :func:`load_inputs` into
     :class:`AnalysisInputs`.
Out: summary tables (:func:`analysis_tables`, written as CSV and one XLSX by
     :func:`write_tables`) and charts as PNG and SVG (:func:`write_charts`).
     Every count states its base (n).

Modules: ``inputs`` (loading), ``counting`` (the counting rules), ``accounting``
(files and rows received, read, failed, skipped, empty, non-substantive), ``respondents``,
``stances``, ``themes``, ``quotes`` and ``campaigns`` (the tables by subject), ``breakdowns``
(any table by respondent type or a declared attribute such as area or age group), ``tables``
(every table at once, written as CSV and XLSX), ``charts`` (matplotlib figures, in one
colour-blind-safe palette), ``chart_text`` (each chart's alternative text with its numbers:
:func:`read_alt`),
``synthesis`` (the distinct points respondents made under each theme, clustered from their
evidence sentences and counted: :func:`synthesise`, the ``points`` table),
``redaction`` (personal data out of shared tables and report inputs: :func:`redact_tables`,
:func:`redact_inputs`; ``write_tables`` redacts, and quotes are chosen redacted),
``workbook`` (``tables.xlsx`` streamed a block of rows at a time, column by column),
``synthesis_cache`` (the points computed once: kept beside the tables with a fingerprint of
their inputs, read back by ``build_report``).
"""

from helpers.analysis import synthesis_cache, workbook
from helpers.analysis.accounting import Accounting, input_accounting
from helpers.analysis.breakdowns import (
    attribute_ids,
    attribute_label,
    breakdown_by,
    breakdown_labels,
)
from helpers.analysis.campaigns import campaign_counts, campaign_groups, representative_answers
from helpers.analysis.chart_text import read_alt
from helpers.analysis.charts import write_charts
from helpers.analysis.counting import (
    ALL,
    answered,
    computed_once,
    non_substantive,
    raised,
    theme_frame,
    theme_labels,
    type_label,
)
from helpers.analysis.inputs import AnalysisInputs, load_inputs, read_table
from helpers.analysis.quotes import (
    allocate_quotes,
    attributions,
    clean_quote,
    representative_quotes,
)
from helpers.analysis.redaction import redact_inputs, redact_tables
from helpers.analysis.respondents import question_counts, questions_answered, respondent_profile
from helpers.analysis.stances import stance_details, stance_distribution, stance_table
from helpers.analysis.synthesis import QUANTIFIERS, quantifier, synthesise
from helpers.analysis.tables import analysis_tables, attribute_tables, write_tables
from helpers.analysis.themes import (
    coded_questions,
    cooccurrence,
    n_cooccurring,
    respondent_theme_matrix,
    respondent_themes,
    theme_by_type,
    theme_frequencies,
)

__all__ = [
    "ALL",
    "QUANTIFIERS",
    "Accounting",
    "AnalysisInputs",
    "analysis_tables",
    "answered",
    "attribute_tables",
    "attribute_ids",
    "attribute_label",
    "attributions",
    "breakdown_by",
    "breakdown_labels",
    "campaign_counts",
    "campaign_groups",
    "computed_once",
    "representative_answers",
    "coded_questions",
    "cooccurrence",
    "input_accounting",
    "load_inputs",
    "non_substantive",
    "quantifier",
    "question_counts",
    "questions_answered",
    "read_alt",
    "raised",
    "read_table",
    "redact_inputs",
    "redact_tables",
    "allocate_quotes",
    "clean_quote",
    "representative_quotes",
    "respondent_profile",
    "n_cooccurring",
    "respondent_theme_matrix",
    "respondent_themes",
    "stance_details",
    "stance_distribution",
    "stance_table",
    "synthesis_cache",
    "synthesise",
    "theme_by_type",
    "theme_frame",
    "theme_frequencies",
    "theme_labels",
    "type_label",
    "write_charts",
    "workbook",
    "write_tables",
]
