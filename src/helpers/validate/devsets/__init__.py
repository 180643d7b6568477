"""Development sets: hand-written response documents with gold labels, and their scoring.

A set lives in ``data/evaluation/<set>/`` (format in docs/evaluation.md):
``sources/*.yaml`` describe each response document once; ``build`` renders
them to real files in ``responses/`` (txt, md, docx, odt, rtf, html, eml, pdf)
and writes ``gold.yaml``; ``evaluate`` runs ingest on ``responses/`` and
scores it against the gold labels.

Modules: ``sources`` (loading and checking sources), ``layout`` (a source as
format-neutral blocks), ``render*`` (one renderer per format family and the
registry), ``gold`` (gold.yaml), ``build`` (the builder), ``locate`` (finding
gold texts in the ingested text), ``metrics`` (the scores), ``stancescore``
(the stance scores: exact, acceptable, direction, tick-box, confusion,
calibration), ``items`` and ``itemeval`` (stance item sets: loading and
scoring), ``evaluate`` (the run and its table), ``command``
(``python -m helpers.validate.devsets``).
"""

from helpers.validate.devsets.build import build_set
from helpers.validate.devsets.gold import load_gold, write_gold
from helpers.validate.devsets.render import RENDERERS, render_source
from helpers.validate.devsets.sources import DevSetError, Source, load_set_sources, load_source

__all__ = [
    "RENDERERS",
    "DevSetError",
    "Source",
    "build_set",
    "load_gold",
    "load_set_sources",
    "load_source",
    "render_source",
    "write_gold",
]
