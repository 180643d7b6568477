"""Analysis: processed tables in, summary tables and charts out.

In:  the processed Parquet tables (``respondents``, ``answers``, ``codes``,
     ``stances``, ``copies``), loaded by :func:`load_inputs` into
     :class:`AnalysisInputs`.
Out: summary tables (:func:`analysis_tables`, written as CSV and one XLSX by
     :func:`write_tables`) and charts as PNG and SVG (:func:`write_charts`).
     Every count states its base (n).

Modules: ``tables`` (counts, shares and quotes), ``charts`` (matplotlib figures).
"""

from helpers.analysis.charts import write_charts
from helpers.analysis.tables import (
    ALL,
    AnalysisInputs,
    analysis_tables,
    attributions,
    coded_questions,
    cooccurrence,
    load_inputs,
    question_counts,
    questions_answered,
    representative_quotes,
    respondent_profile,
    respondent_theme_matrix,
    stance_details,
    stance_distribution,
    stance_table,
    theme_by_type,
    theme_frame,
    theme_frequencies,
    theme_labels,
    type_label,
    write_tables,
)

__all__ = [
    "ALL",
    "AnalysisInputs",
    "analysis_tables",
    "attributions",
    "coded_questions",
    "cooccurrence",
    "load_inputs",
    "question_counts",
    "questions_answered",
    "representative_quotes",
    "respondent_profile",
    "respondent_theme_matrix",
    "stance_details",
    "stance_distribution",
    "stance_table",
    "theme_by_type",
    "theme_frame",
    "theme_frequencies",
    "theme_labels",
    "type_label",
    "write_charts",
    "write_tables",
]
