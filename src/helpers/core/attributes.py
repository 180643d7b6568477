"""Respondent attributes (area, age group, role …): declared per consultation, never in code.

A consultation's ``attributes:`` section says which facts about a respondent
the analysis may break its tables down by, where each comes from and how its
raw values are grouped::

    attributes:
      - id: age_group
        label: Age group
        source: {column: "Age group"}        # a survey column; a list of names when
                                             #   several exports name it differently
        values:                              # optional: without it each raw value is its own group
          under_25: {label: Under 25, aliases: ["under 18", "18-24", "18 to 24"]}
          over_65: {label: 65 and over, aliases: ["65"]}
      - id: area
        label: Area
        source: {manifest: area}             # a field (column) of the researcher's manifest.csv

A raw value belongs to the value whose id or label it equals (ignoring case
and spacing), else to the value with the longest alias that starts a word of
it ("18-24 years" → under_25), ignoring case; aliases are plain text, not
regular expressions, so a label such as "Under 18 (minors)" needs no escaping.
A value that matches nothing is ``other`` (its raw text kept in the
attributes table and counted in a warning); a respondent with no value is
``unknown``. The respondent type is always available as the built-in
attribute ``respondent_type`` (its words are ``respondent_types:``). Ids are
at most 20 characters, so the analysis' ``stances_by_<id>`` sheet names stay
within Excel's 31. Ingest writes the table (``ingest.attributes``); the
analysis breaks tables down by it (``analysis.breakdowns``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from helpers.core.errors import ConfigError

RESPONDENT_TYPE = "respondent_type"  # the built-in attribute
OTHER, UNKNOWN = "other", "unknown"
OTHER_LABEL, UNKNOWN_LABEL = "Other", "Unknown"
SOURCE_KINDS = ("column", "manifest")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ID_CHARS = 20


@dataclass(frozen=True)
class AttributeValue:
    id: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attribute:
    """One declared attribute. ``columns`` (survey column names, first present wins) or ``manifest``."""

    id: str
    label: str
    columns: tuple[str, ...] = ()
    manifest: str | None = None
    values: tuple[AttributeValue, ...] = ()

    def classify(self, raw: str | None) -> tuple[str, str]:
        """(value id, value label) of a raw value: a declared value, ``other`` or ``unknown``.

        Without declared values the raw value (spaces squeezed) is its own group,
        its id the lower-cased text with '_' for spaces and punctuation.
        """
        text = " ".join(str(raw or "").split())
        if not text:
            return UNKNOWN, UNKNOWN_LABEL
        if not self.values:  # an open attribute: "North East" and "north east" are one group
            return re.sub(r"\W+", "_", text.lower()).strip("_") or text.lower(), text
        low = text.lower()
        for v in self.values:
            if low in (v.id.lower(), v.label.lower(), v.id.replace("_", " ")):
                return v.id, v.label
        best: tuple[int, AttributeValue] | None = None
        for v in self.values:
            for alias in v.aliases:
                if _alias_re(alias).search(low) and (best is None or len(alias) > best[0]):
                    best = (len(alias), v)
        if best is not None:
            return best[1].id, best[1].label
        return OTHER, OTHER_LABEL


@functools.cache
def _alias_re(alias: str) -> re.Pattern[str]:
    """An alias at the start of a word (plain text, any case); aliases come from config."""
    low = alias.lower()
    start = r"(?<!\w)" if low[:1].isalnum() or low[:1] == "_" else ""
    return re.compile(start + re.escape(low))


def _err(where: str, msg: str) -> ConfigError:
    # consultation.parse_consultation re-raises it as a ConsultationError.
    return ConfigError(f"{where}: {msg}")


def parse_attributes(raw: Any, where: str) -> tuple[Attribute, ...]:
    """Validate a consultation's ``attributes:`` list; errors name the field to fix."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _err(where, "field 'attributes' must be a list of {id, label, source, values}")
    out: list[Attribute] = []
    seen: set[str] = set()
    for i, spec in enumerate(raw):
        awhere = f"{where}: attributes[{i}]"
        if not isinstance(spec, dict):
            raise _err(awhere, "each attribute must be a mapping with 'id', 'label' and 'source'")
        unknown = sorted(set(spec) - {"id", "label", "source", "values"})
        if unknown:
            raise _err(awhere, f"unknown field(s) {unknown}; allowed: [id, label, source, values]")
        aid = spec.get("id")
        if not isinstance(aid, str) or not _ID_RE.match(aid):
            raise _err(
                awhere, f"field 'id' must start with a letter and use a-z, 0-9, '_': {aid!r}"
            )
        awhere = f"{where}: attribute '{aid}'"
        if len(aid) > MAX_ID_CHARS:  # 'stances_by_<id>' must fit Excel's 31-character sheet name
            raise _err(awhere, f"field 'id' must be at most {MAX_ID_CHARS} characters")
        if aid == RESPONDENT_TYPE or aid in seen:
            why = "is built in (use respondent_types:)" if aid == RESPONDENT_TYPE else "is repeated"
            raise _err(awhere, f"field 'id': {aid!r} {why}")
        seen.add(aid)
        label = spec.get("label", aid.replace("_", " ").capitalize())
        if not isinstance(label, str) or not label.strip():
            raise _err(awhere, f"field 'label' must be a non-empty string, got {label!r}")
        columns, manifest = _source(spec.get("source"), awhere)
        out.append(
            Attribute(aid, label.strip(), columns, manifest, _values(spec.get("values"), awhere))
        )
    return tuple(out)


def _source(raw: Any, where: str) -> tuple[tuple[str, ...], str | None]:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in SOURCE_KINDS:
        raise _err(
            where,
            "field 'source' must be {column: <survey column name or list of names>} "
            f"or {{manifest: <manifest.csv field>}}, got {raw!r}",
        )
    kind, value = next(iter(raw.items()))
    names = value if isinstance(value, list) and kind == "column" else [value]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise _err(where, f"field 'source.{kind}' must name a column, got {value!r}")
    if kind == "manifest":
        return (), names[0].strip()
    return tuple(n.strip() for n in names), None


def _values(raw: Any, where: str) -> tuple[AttributeValue, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise _err(where, "field 'values' must be a mapping from value id to {label, aliases}")
    out = []
    for vid, spec in raw.items():
        vwhere = f"{where}: values.{vid}"
        if not isinstance(vid, str) or not _ID_RE.match(vid) or vid == UNKNOWN:
            raise _err(vwhere, "a value id must use a-z, 0-9 and '_' (and not be 'unknown')")
        spec = {} if spec is None else spec
        if not isinstance(spec, dict) or sorted(set(spec) - {"label", "aliases"}):
            raise _err(vwhere, f"must be a mapping with fields [label, aliases], got {spec!r}")
        label = spec.get("label", vid.replace("_", " ").capitalize())
        aliases = spec.get("aliases") or []
        if not isinstance(label, str) or not label.strip():
            raise _err(vwhere, f"field 'label' must be a non-empty string, got {label!r}")
        if not isinstance(aliases, list) or not all(
            isinstance(a, str | int | float) and str(a).strip() for a in aliases
        ):
            raise _err(vwhere, f"field 'aliases' must be a list of words, got {aliases!r}")
        squeezed = tuple(" ".join(str(a).split()) for a in aliases)  # raw values are squeezed too
        out.append(AttributeValue(vid, label.strip(), squeezed))
    return tuple(out)
