"""Report: analysis tables and charts in, a publishable HTML and PDF report out.

In:  :class:`~helpers.analysis.AnalysisInputs`, the charts folder and the run's
     executed notebooks.
Out: ``report.html`` (self-contained: charts inlined) and ``report.pdf``
     (WeasyPrint), built by :func:`build_report` and written by :func:`publish`.
     Every respondent string is escaped (Jinja2 autoescaping) and loses its
     bidirectional controls; quotes are isolated (``bidi``: ``strip_bidi``,
     ``isolate_bidi``, ``bidi_sensitive``, also used by ``explore``).

Modules: ``builder`` (build_report: prepares the data, renders the templates),
``context`` (the tables and numbering every section shares), ``sections``,
``method`` and ``questions`` (each section's sentences and data), ``synthesis`` (what
respondents said: the points made under each theme, from ``analysis.synthesise``), ``tables``
(table data), ``narrative`` (sentences computed from counts), ``templating``
(the Jinja2 environment, stylesheets), ``bidi`` (bidi controls removed, quotes
isolated), ``publish`` (notebook to report.html, show_report), ``pdf``
(WeasyPrint). ``templates/`` holds the HTML templates and
CSS a team can restyle, or override with its own folder (``templates_dir``).
"""

from helpers.report.bidi import bidi_sensitive, isolate_bidi, strip_bidi
from helpers.report.builder import build_report
from helpers.report.pdf import write_pdf
from helpers.report.publish import publish, render_html, show_report
from helpers.report.templating import report_css

__all__ = [
    "bidi_sensitive",
    "build_report",
    "isolate_bidi",
    "publish",
    "render_html",
    "report_css",
    "show_report",
    "strip_bidi",
    "write_pdf",
]
