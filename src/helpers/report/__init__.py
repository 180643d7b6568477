"""Report: analysis tables and charts in, a publishable HTML and PDF report out.

In:  :class:`~helpers.analysis.AnalysisInputs`, the charts folder and the run's
     executed notebooks.
Out: ``report.html`` (self-contained: charts inlined) and ``report.pdf``
     (WeasyPrint), built by :func:`build_report` and written by :func:`publish`;
     ``explorer.html`` (:func:`write_explorer`), an offline page to filter by
     question, theme, stance and attribute and read a redacted sample of quotes.
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
(WeasyPrint, PDF/UA-1: tagged, with language, title and bookmarks), ``contents``
(the contents list, read from the rendered sections), ``pdfcheck`` (a written PDF
checked: tagged, contents page numbers, no text off the page; pages to PNG),
``explorer`` and ``explorer_data`` (explorer.html: its page, and its
counts and quote sample). ``templates/`` holds the HTML templates and
CSS a team can restyle, or override with its own folder (``templates_dir``).
"""

from helpers.report.bidi import bidi_sensitive, isolate_bidi, strip_bidi
from helpers.report.builder import build_report
from helpers.report.explorer import render_explorer, script_json, write_explorer
from helpers.report.explorer_data import SampleLimits, explorer_data
from helpers.report.pdf import write_pdf
from helpers.report.publish import publish, render_html, show_report
from helpers.report.templating import report_css

__all__ = [
    "SampleLimits",
    "bidi_sensitive",
    "build_report",
    "explorer_data",
    "isolate_bidi",
    "publish",
    "render_explorer",
    "render_html",
    "report_css",
    "script_json",
    "show_report",
    "strip_bidi",
    "write_explorer",
    "write_pdf",
]
