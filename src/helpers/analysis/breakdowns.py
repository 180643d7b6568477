"""Breaking tables down by any respondent attribute, the respondent type among them.

The tables that count by group (``respondent_profile``, ``stance_distribution``,
``theme_by_type``, the stance chart) take ``by``, the name of a column of the
respondents frame holding each respondent's group, and ``labels``, the groups'
labels in display order. :func:`breakdown_by` adds an attribute's column
(from the ATTRIBUTES table, ``attributes.parquet``) and :func:`breakdown_labels`
gives its labels; the respondent type is the built-in attribute
``respondent_type``, already a column, with the package's type labels.
Every respondent is in exactly one group: one with no value is ``unknown``.
"""

from __future__ import annotations

import pandas as pd

from helpers.core.attributes import OTHER, OTHER_LABEL, RESPONDENT_TYPE, UNKNOWN, UNKNOWN_LABEL
from helpers.core.consultation import Consultation


def attribute_ids(consultation: Consultation | None) -> list[str]:
    """Every attribute a table may break down by: respondent_type, then the declared ones."""
    return [RESPONDENT_TYPE, *(a.id for a in (consultation.attributes if consultation else ()))]


def breakdown_by(
    frame: pd.DataFrame,
    attributes: pd.DataFrame,
    attribute_id: str,
    consultation: Consultation | None = None,
) -> pd.DataFrame:
    """``frame`` (with respondent_id) plus a column ``attribute_id``: each respondent's value id.

    ``attributes`` is the ATTRIBUTES table. A respondent it has no row for
    (an older processed folder, an attribute declared after the ingest) is
    ``unknown``. For ``respondent_type`` the frame is returned as it is.

    With the ``consultation``, an open attribute's value (one declared without
    ``values:``, so every raw value is a group) that a single respondent gave
    is counted as ``other``: a free-text column ("Where do you live?") can hold
    a street or a name, and a group of one would print it in shared tables and
    single that respondent out. The raw value stays in ``attributes.parquet``.
    """
    if attribute_id == RESPONDENT_TYPE:
        if RESPONDENT_TYPE not in frame.columns:
            raise KeyError(f"breakdown_by: the frame has no {RESPONDENT_TYPE} column")
        return frame
    rows = attributes[attributes["attribute_id"] == attribute_id]
    rows = rows.drop_duplicates("respondent_id")
    values = pd.Series(rows["value_id"].astype(str).values, index=rows["respondent_id"].astype(str))
    if _is_open(attribute_id, consultation):
        sizes = values.map(values.value_counts())
        values = values.where((sizes > 1) | (values == UNKNOWN), OTHER)
    out = frame.copy()
    ids = out["respondent_id"].astype(str)
    out[attribute_id] = ids.map(values).fillna(UNKNOWN).astype(str)
    return out


def _is_open(attribute_id: str, consultation: Consultation | None) -> bool:
    """True when the consultation declares the attribute without ``values:``."""
    attrs = consultation.attributes if consultation else ()
    return any(a.id == attribute_id and not a.values for a in attrs)


def breakdown_labels(
    attributes: pd.DataFrame, attribute_id: str, consultation: Consultation | None = None
) -> dict[str, str] | None:
    """Value id → label in display order; None for respondent_type (the type labels apply).

    Declared values come first in the consultation's order; values of an
    attribute without declared values (each raw value its own group) follow,
    sorted by label; ``other`` and ``unknown`` come last.
    """
    if attribute_id == RESPONDENT_TYPE:
        return None
    declared = {}
    for attr in consultation.attributes if consultation else ():
        if attr.id == attribute_id:
            declared = {v.id: v.label for v in attr.values}
    rows = attributes[attributes["attribute_id"] == attribute_id]
    rows = rows.drop_duplicates("value_id")  # an open attribute's label: the first raw spelling
    seen = dict(zip(rows["value_id"].astype(str), rows["value_label"].astype(str), strict=True))
    # other and unknown last, labelled even when the table has no row for them (a
    # respondent with no row is unknown: an older folder, an attribute added later).
    last = {k: seen.pop(k, label) for k, label in ((OTHER, OTHER_LABEL), (UNKNOWN, UNKNOWN_LABEL))}
    for k in declared:
        seen.pop(k, None)
    rest = dict(sorted(seen.items(), key=lambda kv: kv[1].casefold()))
    return {**declared, **rest, **last}


def attribute_label(attribute_id: str, consultation: Consultation | None = None) -> str:
    """The attribute's label ('Respondent type' for the built-in one)."""
    for attr in consultation.attributes if consultation else ():
        if attr.id == attribute_id:
            return attr.label
    return "Respondent type" if attribute_id == RESPONDENT_TYPE else attribute_id
