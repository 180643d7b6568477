"""Offline, deterministic analysis of public consultation responses.

One subpackage per stage, in the order data flows (see docs/architecture.md)::

    core      schemas, consultation definition, paths, logging, errors (used by all)
    ingest    response files  -> respondents, answers, ingest_log, copies
    coding    answers + codebook -> codes, uncoded, suggestions (and, via stance, stances)
    stance    closed answers -> stances (tick box > explicit statement > inference)
    analysis  processed tables -> summary tables and charts
    report    tables + charts -> report.html, report.pdf
    validate  codes + a hand-coded sample -> agreement; REFI-QDA and Framework exports
    explore   processed tables -> filters and views for JupyterLab (00_explore)
    pipeline  one auditable run of every stage (``python -m helpers.pipeline run``)
    cli       the ``consult`` command
"""

# Arrow memory freed by a stage goes back to the system, not kept by the pool for reuse:
# most of what the process held before campaign detection at 100,000 respondents was
# such kept memory (issue 15, session 27; ``core.arrowmemory`` says why and how).
from helpers.core.arrowmemory import return_freed_memory as _return_freed_memory  # noqa: E402

_return_freed_memory()
