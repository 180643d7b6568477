"""Personal data out of what the analysis and report share (``core.redact``).

The processed Parquet tables keep respondents' words as written: they stay
local, and every offset points into them. What is shared is redacted at two
choke points: :func:`redact_tables` (every text cell of every table, before
``write_tables`` writes ``tables/*.csv`` and ``tables.xlsx``) and
:func:`redact_inputs` (the respondent text a report prints: evidence quotes,
stance evidence, answers, uncoded answers, before ``build_report`` reads
them). Each logs what it replaced (kind, respondent, question, count — never
the value) to the run folder's ``redaction_log.csv``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from helpers.analysis.counting import INDIVIDUAL
from helpers.analysis.inputs import AnalysisInputs
from helpers.core.redact import LOG_COLUMNS, redact_frame

__all__ = ["REDACTED_INPUT_COLUMNS", "redact_inputs", "redact_tables"]

# The respondent text in the processed tables that a report can print.
REDACTED_INPUT_COLUMNS = {
    "codes": ("quote",),
    "stances": ("evidence",),
    "answers": ("answer_text", "heading_text"),
    "uncoded": ("answer_text",),
}


def _concat(logs: list[pd.DataFrame]) -> pd.DataFrame:
    logs = [x for x in logs if not x.empty]
    if not logs:
        return pd.DataFrame(columns=LOG_COLUMNS)
    return pd.concat(logs, ignore_index=True)


def redact_tables(
    tables: dict[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Every text cell of every table redacted, and the log (``core.redact.LOG_COLUMNS``)."""
    out, logs = {}, []
    for name, df in tables.items():
        out[name], log = redact_frame(df, source="tables", table=name)
        logs.append(log)
    return out, _concat(logs)


def individual_names(respondents: pd.DataFrame) -> dict[str, list[str]]:
    """Names individuals gave as metadata, by respondent id.

    An individual's ``organisation`` field holds their own name when a form or
    export asked for one ("Jane Smith"): it is personal data wherever it recurs
    in their text. Organisations' names are not.
    """
    if respondents.empty or "organisation" not in respondents:
        return {}
    ind = respondents[respondents["respondent_type"].astype(str) == INDIVIDUAL]
    out: dict[str, list[str]] = {}
    for rid, org in zip(ind["respondent_id"].astype(str), ind["organisation"], strict=True):
        if isinstance(org, str) and org.strip():
            out[rid] = [org.strip()]
    return out


def redact_inputs(
    inputs: AnalysisInputs, shown: Mapping[str, pd.Series] | None = None
) -> tuple[AnalysisInputs, pd.DataFrame]:
    """A copy of ``inputs`` whose printable respondent text is redacted, and the log.

    An individual's own name given as metadata (:func:`individual_names`) is
    redacted in their text too.

    ``shown``: for a field of :data:`REDACTED_INPUT_COLUMNS`, a boolean mask of the
    rows whose text the caller prints; only those are redacted (and logged), the
    others are kept as they are and must not be printed. ``build_report`` prints
    campaign representatives' answers and no uncoded answer, so it redacts those
    alone (issue 15: every answer redacted was half the report's time at 10,000
    respondents); its templates still redact every printed value
    (``report.templating``). Fields not in ``shown`` are redacted whole.

    Offsets (``start``, ``end``) are kept: they still point into the local,
    unredacted ``respondents.text``. Organisation names stay (they are not
    personal data); individuals are never named in a report (``attributions``).
    """
    changes, logs = {}, []
    names = individual_names(inputs.respondents)
    for field, columns in REDACTED_INPUT_COLUMNS.items():
        frame = getattr(inputs, field)
        cols = [c for c in columns if c in frame.columns]
        if frame.empty or not cols:
            continue
        mask = None if shown is None else shown.get(field)
        if mask is None:
            changes[field], log = redact_frame(
                frame, cols, source="report", table=field, names=names
            )
        else:
            part, log = redact_frame(frame[mask], cols, source="report", table=field, names=names)
            if len(part):
                # Shallow: only the redacted columns are replaced (copy-on-write), the
                # others are shared with ``frame`` (issue 15).
                changes[field] = frame.copy(deep=False)
                for col in cols:
                    changes[field].loc[mask, col] = part[col]
        logs.append(log)
    return dataclasses.replace(inputs, **changes), _concat(logs)
