"""What every section of consultation.yaml shares: its error class and field checks.

``consultation``, ``survey_mapping`` and ``type_rules`` each validate a part of the
file; the error class and the checks live here so the parts import no cycle.
"""

from __future__ import annotations

from helpers.core.errors import ConfigError


class ConsultationError(ConfigError):
    """The consultation file is invalid; the message names the file and field to fix."""


def field_error(where: str, msg: str) -> ConsultationError:
    """The error for one field: the message starts with where it is ("file: question 'q1'")."""
    return ConsultationError(f"{where}: {msg}")


def string_field(d: dict, key: str, where: str, required: bool = True) -> str | None:
    """A string field, stripped; None when optional and absent; an error when empty."""
    v = d.get(key)
    if v is None:
        if required:
            raise field_error(where, f"missing required field '{key}'")
        return None
    if not isinstance(v, str) or not v.strip():
        raise field_error(where, f"field '{key}' must be a non-empty string, got {v!r}")
    return v.strip()
