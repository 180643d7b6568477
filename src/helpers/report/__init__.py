"""Report: analysis tables and charts in, a publishable HTML and PDF report out.

In:  :class:`~helpers.analysis.AnalysisInputs`, the charts folder and the run's
     executed notebooks.
Out: ``report.html`` (self-contained: charts inlined) and ``report.pdf``
     (WeasyPrint), built by :func:`build_report` and written by :func:`publish`.
     Every respondent string is escaped.

Modules: ``builder`` (the report's sections), ``narrative`` (sentences computed
from counts), ``templates/`` (HTML and CSS a team can restyle).
"""

from helpers.report.builder import build_report, publish, render_html, show_report, write_pdf

__all__ = ["build_report", "publish", "render_html", "show_report", "write_pdf"]
