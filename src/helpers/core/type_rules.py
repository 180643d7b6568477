"""The words that recognise respondent types (``respondent_types:``), validated on load.

Respondent types
----------------
Ingest recognises the respondent types of ``schemas.RESPONDENT_TYPES`` from
words, and those words are data, not code: the package default is
``helpers/data/respondent_types.yaml``, a mapping from type id to patterns in
the same form as a consultation's ``respondent_types:`` section. Per type:

``names``
    words in an organisation's name ("Leeds City *Council*") or in the
    respondent's self-description ("we are a *charity*"); whole words,
    ignoring case.
``phrases``
    words anywhere in the opening of a response that show the type by
    themselves ("*registered charity*"); whole words, ignoring case.
``answers``
    words that start a word of a survey answer or manifest value ("*Local
    authorit*ies", "a *charit*y"); matched in the lower-cased value, so
    written in lower case.
``replace``
    (consultation only) ``true``: this type's lists replace the package's;
    otherwise they are added after them.

Every pattern is a Python regular expression (most are plain words). Types
are tried in the package file's order (a type the package file lacks comes
after, in the consultation's order) and the first match wins, except in an
organisation's name, where the longest matching ``names`` word wins ("housing
association" over "association"). ``unknown``
takes no patterns: it is what no match means.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from helpers.core.consultation_fields import ConsultationError, field_error
from helpers.core.schemas import RESPONDENT_TYPES


@dataclass(frozen=True)
class TypePatterns:
    """The patterns (regular expressions) that recognise one respondent type."""

    names: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RespondentTypeRules:
    """Respondent types in the order they are tried, each with its patterns."""

    types: tuple[tuple[str, TypePatterns], ...] = ()


PATTERN_FIELDS = ("names", "phrases", "answers")
DEFAULT_RESPONDENT_TYPES = "respondent_types.yaml"  # in helpers/data/


@functools.cache
def default_respondent_types() -> RespondentTypeRules:
    """The package's respondent-type patterns (``helpers/data/respondent_types.yaml``)."""
    source = resources.files("helpers").joinpath("data", DEFAULT_RESPONDENT_TYPES)
    where = f"helpers/data/{DEFAULT_RESPONDENT_TYPES}"
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConsultationError(f"{where}: not valid YAML: {exc}") from exc
    return parse_respondent_types(raw, where, "", RespondentTypeRules(), allow_replace=False)


def parse_respondent_types(
    raw: Any, where: str, prefix: str, base: RespondentTypeRules, allow_replace: bool = True
) -> RespondentTypeRules:
    """Validate a respondent-type table and apply it to ``base`` (module docstring).

    ``prefix`` is the table's field name in messages ("respondent_types", or
    "" for the package file, where the table is the whole file).
    """
    twhere = f"{where}: {prefix}" if prefix else where
    allowed = [t for t in RESPONDENT_TYPES if t != "unknown"]
    if not isinstance(raw, dict):
        raise field_error(twhere, f"must be a mapping from respondent type ({allowed}) to patterns")
    types = dict(base.types)
    for tid, spec in raw.items():
        field_name = f"{prefix}.{tid}" if prefix else str(tid)
        if tid not in allowed:
            why = "takes no patterns (it is what no match means)" if tid == "unknown" else ""
            raise field_error(
                f"{where}: {field_name}",
                why or f"unknown respondent type {tid!r}; allowed: {allowed}",
            )
        fields = [*PATTERN_FIELDS, "replace"] if allow_replace else list(PATTERN_FIELDS)
        if not isinstance(spec, dict):
            raise field_error(f"{where}: {field_name}", f"must be a mapping with fields {fields}")
        unknown = sorted(set(spec) - set(fields))
        if unknown:
            raise field_error(
                f"{where}: {field_name}", f"unknown field(s) {unknown}; allowed: {fields}"
            )
        replace = spec.get("replace", False)
        if not isinstance(replace, bool):
            raise field_error(
                f"{where}: {field_name}", f"field 'replace' must be true or false, got {replace!r}"
            )
        old = TypePatterns() if replace else types.get(tid, TypePatterns())
        new = {
            f: getattr(old, f) + _patterns(spec, f, f"{where}: {field_name}")
            for f in PATTERN_FIELDS
        }
        types[tid] = TypePatterns(**new)
    return RespondentTypeRules(types=tuple(types.items()))


def _patterns(spec: dict, key: str, where: str) -> tuple[str, ...]:
    """A list of regular expressions, each checked to compile."""
    value = spec.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise field_error(where, f"field '{key}' must be a list of words or regular expressions")
    for v in value:
        try:
            re.compile(v)
        except re.error as exc:
            raise field_error(
                where, f"field '{key}': {v!r} is not a valid regular expression ({exc})"
            ) from exc
        # Answers are matched in the lower-cased value; escapes such as \b may be upper case.
        if key == "answers" and re.sub(r"\\.", "", v) != re.sub(r"\\.", "", v).lower():
            raise field_error(
                where, f"field 'answers': {v!r} must be lower case (answers are lower-cased)"
            )
    return tuple(value)
