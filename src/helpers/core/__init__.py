"""The shared core every stage uses; it imports no other subpackage.

- ``schemas``: the declared columns of every table passed between stages.
- ``consultation``: the questions file (consultation.yaml), validated on load.
- ``paths``: where raw data, processed tables and consultations live.
- ``logs``: logging set-up for the command line, the pipeline and notebooks.
- ``errors``: the rooted exception hierarchy (:class:`ConsultError`).
- ``sentences``: sentence spans (NLTK Punkt with offline parameters).
- ``stemming``: word stems (Snowball or Porter, NLTK), one cache per stemmer.
- ``formatting``: numbers and percentages as the report prints them.
- ``palette``: the one colour-blind-safe (Okabe & Ito) palette every chart draws from.
- ``safecsv``: CSV files safe to open in a spreadsheet (formula cells neutralised).
- ``embedding``: sentence embeddings (all-MiniLM-L6-v2 in numpy, from an installed
  model package; imported on demand, not re-exported here).
"""

from helpers.core.consultation import (
    Consultation,
    ConsultationError,
    Question,
    load_consultation,
    parse_consultation,
)
from helpers.core.errors import (
    ConfigError,
    ConsultError,
    InputError,
    RunError,
    SchemaError,
    one_line,
)
from helpers.core.formatting import format_percent
from helpers.core.logs import setup_logging

__all__ = [
    "ConfigError",
    "ConsultError",
    "Consultation",
    "ConsultationError",
    "InputError",
    "Question",
    "RunError",
    "SchemaError",
    "format_percent",
    "load_consultation",
    "one_line",
    "parse_consultation",
    "setup_logging",
]
