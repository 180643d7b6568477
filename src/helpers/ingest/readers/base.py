"""What every reader shares: its two exceptions, its result type and file identity.

A reader raises ``ReadError`` (the file failed; the message says why and what
to do) or ``SkipFile`` (the file is deliberately not read). Messages name the
file; ``stage.run_ingest`` turns them into ingest-log rows and carries on
with the next file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from helpers.core.errors import InputError
from helpers.core.schemas import Document


class ReadError(InputError):
    """The file could not be read; the message names the file and the fix."""


class SkipFile(Exception):
    """The file is deliberately not read; the message is the reason."""


@dataclass
class ReadResult:
    """Documents read from one file, plus notes and per-row problems for the log."""

    documents: list[Document] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_problems: list[tuple[str, str]] = field(default_factory=list)  # (status, reason)
    # A survey export read into columns (``survey_columns``) instead of ``documents``.
    tables: Any = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slugify(name: str) -> str:
    """File stem → respondent id: lowercase a-z, 0-9 and '-' ("Smith, J (2022)" → "smith-j-2022")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "respondent"
