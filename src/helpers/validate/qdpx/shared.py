"""What the export and the import of a REFI-QDA project agree on.

The namespaces, the deterministic GUIDs (uuid5 of stable keys, so a re-export
gives the same GUIDs and an import recognises our own codes and sources), the
XML-safe text, which of our codes are exported (and so compared on import), and
the error both raise.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pandas as pd

from helpers.core.errors import InputError
from helpers.core.schemas import counted_codes

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "consultation-helpers"
_GUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/consultation-helpers/refi-qda")
# XML 1.0 forbids most C0 control characters even when escaped.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class QdpxError(InputError, ValueError):
    """A REFI-QDA archive is unsafe or invalid; the message names the archive and the problem."""


def guid(*parts: str) -> str:
    """A deterministic GUID for a stable key (uuid5)."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(parts)))


def code_guid(codebook_id: str, theme_id: str) -> str:
    """The GUID of a theme's ``Code`` element (how an import recognises our themes)."""
    return guid("code", codebook_id, theme_id)


def source_guid(consultation_id: str, respondent_id: str) -> str:
    """The GUID of a respondent's ``TextSource`` (how an import recognises our respondents)."""
    return guid("source", consultation_id, respondent_id)


def clean(text: Any) -> str:
    """Text safe for XML 1.0: None/NA as '', forbidden control characters as spaces."""
    return _XML_BAD.sub(
        " ", "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    )


def live_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Non-negated codes, one per (respondent, question, theme, span), in a stable order."""
    if codes is None or len(codes) == 0:
        return pd.DataFrame(
            columns=[
                "respondent_id",
                "question_id",
                "theme_id",
                "start",
                "end",
                "quote",
                "method",
                "source",
            ]
        )
    live = counted_codes(codes).copy()
    for col, default in (("method", "dictionary"), ("source", "auto")):
        if col not in live.columns:
            live[col] = default
    live = live.drop_duplicates(subset=["respondent_id", "question_id", "theme_id", "start", "end"])
    return live.sort_values(
        ["respondent_id", "start", "end", "theme_id"], kind="stable"
    ).reset_index(drop=True)
