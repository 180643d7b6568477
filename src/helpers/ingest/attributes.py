"""The attributes table: each respondent's value of every declared attribute.

Readers and the manifest put the raw values on the Document
(``Document.attributes``: attribute id → (raw value, source)); this module
classifies them with the consultation's ``attributes:`` section
(``core.attributes``) into ATTRIBUTES rows, one per respondent and attribute,
so every respondent has a row for every attribute (``unknown`` when nothing
gave a value) and breakdowns never lose anyone. Raw values that match no
declared value (``other``) are counted per attribute and reported, so a
researcher can add the alias the export uses.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

import pandas as pd

from helpers.core import schemas
from helpers.core.attributes import OTHER, Attribute

log = logging.getLogger(__name__)

MAX_SHOWN = 5  # unmatched raw values named per attribute in a note


def attribute_table(
    respondents: list[dict], attributes: tuple[Attribute, ...]
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """ATTRIBUTES rows for ``respondents`` (dicts with respondent_id, source_file and
    ``attributes`` as on the Document), and notes on unmatched values by source file.
    """
    rows: list[dict] = []
    # (attribute, file) → raw values that matched no declared value, with their counts
    unmatched: dict[tuple[str, str], Counter] = defaultdict(Counter)
    memo: dict[tuple[str, str], tuple[str, str]] = {}
    for r in respondents:
        given = r.get("attributes") or {}
        for attr in attributes:
            raw, source = given.get(attr.id, ("", "none"))
            key = (attr.id, raw)
            if key not in memo:
                memo[key] = attr.classify(raw)
            value_id, label = memo[key]
            if value_id == OTHER and attr.values:
                unmatched[(attr.id, r["source_file"])][raw] += 1
            rows.append(
                {
                    "respondent_id": r["respondent_id"],
                    "attribute_id": attr.id,
                    "value_id": value_id,
                    "value_label": label,
                    "raw": " ".join(raw.split()) or None,
                    "source": source if raw else "none",
                }
            )
    notes: dict[str, list[str]] = defaultdict(list)
    for (aid, file), counts in unmatched.items():
        shown = ", ".join(f"'{v}' ({n})" for v, n in counts.most_common(MAX_SHOWN))
        more = f" and {len(counts) - MAX_SHOWN} more" if len(counts) > MAX_SHOWN else ""
        msg = (
            f"attribute {aid}: {sum(counts.values())} value(s) match no declared value, "
            f"counted as other: {shown}{more}; add aliases under attributes: to group them"
        )
        log.warning("%s: %s", file, msg)
        notes[file].append(msg)
    df = pd.DataFrame(rows, columns=schemas.ATTRIBUTES.names)
    return schemas.conform(df, schemas.ATTRIBUTES), dict(notes)
