"""Survey platforms' export headers (``helpers/data/survey_presets.yaml``), loaded and checked.

A preset says how one platform (Citizen Space, SmartSurvey, Microsoft Forms,
Qualtrics) heads the columns of its exports: which column holds the
respondent id, the organisation and the respondent type, which are
timestamps, personal data or bookkeeping, and how a question's column looks.
The patterns are data, not code: a platform that changes its headers, or a
new platform, is a change to the YAML file (docs/survey-exports.md).

Two users: ``consultation`` (``survey: {preset: NAME}`` fills in the columns
the file does not name) and ``consult init --from-export`` (``detect`` picks
the preset a header fits best, ``classify`` says what each column is).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from helpers.core.errors import ConfigError

__all__ = [
    "PRESETS_FILE",
    "Column",
    "Preset",
    "classify",
    "detect",
    "attribute_of",
    "follow_up_patterns",
    "is_follow_up",
    "is_personal",
    "load_presets",
    "preset",
]

PRESETS_FILE = "survey_presets.yaml"  # in helpers/data/
_LISTS = ("detect", "respondent_id", "organisation", "respondent_type")
_LISTS += ("timestamps", "personal", "system", "questions", "text_parts")


@dataclass(frozen=True)
class Preset:
    """One platform's header patterns (the YAML file's comments say what each is)."""

    name: str
    label: str
    detect: tuple[str, ...]
    respondent_id: tuple[str, ...]
    organisation: tuple[str, ...]
    respondent_type: tuple[str, ...]
    timestamps: tuple[str, ...]
    personal: tuple[str, ...]
    system: tuple[str, ...]
    questions: tuple[str, ...]
    text_parts: tuple[str, ...]
    description_rows: int = 0

    def matches(self, field: str, cell: str) -> bool:
        """Whether header ``cell`` fits one of the patterns of ``field`` (e.g. 'timestamps')."""
        return any(_compiled(p).fullmatch(cell.strip()) for p in getattr(self, field))


@dataclass(frozen=True)
class Column:
    """What one header cell is, under a preset.

    ``role`` is one of respondent_id, organisation, respondent_type,
    timestamp, personal, system, question or unknown. For a question,
    ``number``, ``text`` and ``part`` come from the pattern's groups, and
    ``free_text`` is True when the part is a free-text part (``text_parts``).
    """

    header: str
    role: str
    number: int | None = None
    text: str = ""
    part: str | None = None
    free_text: bool = False


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _parse(name: str, raw: object, where: str) -> Preset:
    pwhere = f"{where}: {name}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{pwhere}: must be a mapping of pattern lists")
    unknown = sorted(set(raw) - {*_LISTS, "label", "description_rows"})
    if unknown:
        raise ConfigError(f"{pwhere}: unknown field(s) {unknown}")
    values: dict = {}
    for key in _LISTS:
        items = raw.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise ConfigError(f"{pwhere}: field '{key}' must be a list of patterns")
        for p in items:
            try:
                _compiled(p)
            except re.error as exc:
                raise ConfigError(f"{pwhere}: {key}: {p!r} is not a valid pattern ({exc})") from exc
        values[key] = tuple(items)
    if not values["respondent_id"]:
        raise ConfigError(f"{pwhere}: field 'respondent_id' needs at least one pattern")
    rows = raw.get("description_rows", 0)
    if not isinstance(rows, int) or isinstance(rows, bool) or not 0 <= rows <= 2:
        raise ConfigError(f"{pwhere}: field 'description_rows' must be 0, 1 or 2")
    return Preset(name=name, label=str(raw.get("label") or name), description_rows=rows, **values)


_WHERE = f"helpers/data/{PRESETS_FILE}"


@functools.cache
def _raw() -> dict:
    source = resources.files("helpers").joinpath("data", PRESETS_FILE)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{_WHERE}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("presets"), dict):
        raise ConfigError(f"{_WHERE}: needs 'presets:', mapping preset names to their patterns")
    return raw


@functools.cache
def load_presets() -> dict[str, Preset]:
    """Every preset in the package's ``survey_presets.yaml``, by name, in file order."""
    return {str(n): _parse(str(n), spec, _WHERE) for n, spec in _raw()["presets"].items()}


@functools.cache
def follow_up_patterns() -> tuple[str, ...]:
    """Header wordings of a free-text column that explains the closed question before it."""
    return _patterns("follow_up")


def _patterns(key: str) -> tuple[str, ...]:
    """A top-level list of patterns (``follow_up``, ``explains``, ``personal``), checked."""
    items = _raw().get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{_WHERE}: '{key}' must be a list of patterns")
    return tuple(items)


def is_follow_up(header: str, across_numbers: bool = False) -> bool:
    """Whether a column header reads like "Please explain your answer" (``follow_up``).

    With ``across_numbers``, only the wordings that explain the question before
    even when the platform numbers the column as a question of its own
    (``explains``: "Please explain your answer", "Why?"; not "Any other comments?").
    """
    patterns = _patterns("explains") if across_numbers else follow_up_patterns()
    return any(_compiled(p).fullmatch(header.strip()) for p in patterns)


def is_personal(header: str) -> bool:
    """Whether a header asks for personal data whatever the platform ("What is your name?")."""
    return any(_compiled(p).fullmatch(header.strip()) for p in _patterns("personal"))


@functools.cache
def _attribute_patterns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = _raw().get("attributes") or {}
    if not isinstance(raw, dict) or not all(
        isinstance(v, list) and all(isinstance(p, str) and p for p in v) for v in raw.values()
    ):
        raise ConfigError(f"{_WHERE}: 'attributes' must map attribute ids to lists of patterns")
    return tuple((str(k), tuple(v)) for k, v in raw.items())


def attribute_of(header: str) -> str | None:
    """The attribute id (``area``, ``age_group`` …) a header asks about, or None (``attributes``)."""
    for aid, patterns in _attribute_patterns():
        if any(_compiled(p).fullmatch(header.strip()) for p in patterns):
            return aid
    return None


def preset(name: str, where: str = "survey") -> Preset:
    """The preset called ``name``; ConfigError naming the known ones if there is none."""
    presets = load_presets()
    if name not in presets:
        raise ConfigError(
            f"{where}: unknown preset {name!r}; known presets: {sorted(presets)} "
            f"(helpers/data/{PRESETS_FILE}; docs/survey-exports.md)"
        )
    return presets[name]


def detect(header: list[str]) -> tuple[Preset | None, int]:
    """The preset whose ``detect`` patterns match most header cells, and how many matched.

    A preset counts only if one of its ``respondent_id`` patterns matches a
    cell. Ties go to the preset listed first. ``(None, 0)`` when none fits.
    """
    best: tuple[Preset | None, int] = (None, 0)
    for p in load_presets().values():
        if not any(p.matches("respondent_id", h) for h in header):
            continue
        score = sum(any(_compiled(d).fullmatch(h.strip()) for h in header) for d in p.detect)
        if score > best[1]:
            best = (p, score)
    return best


def classify(p: Preset, cell: str) -> Column:
    """What header ``cell`` is under preset ``p`` (:class:`Column`)."""
    for role, field in (
        ("respondent_id", "respondent_id"),
        ("timestamp", "timestamps"),
        ("personal", "personal"),
        ("system", "system"),
        ("organisation", "organisation"),
        ("respondent_type", "respondent_type"),
    ):
        if p.matches(field, cell):
            return Column(cell, role)
    for pattern in p.questions:
        m = _compiled(pattern).fullmatch(cell.strip())
        if not m:
            continue
        groups = m.groupdict()
        number = int(groups["number"]) if groups.get("number") else None
        part = groups.get("part") or None
        free = bool(part) and any(_compiled(t).fullmatch(part) for t in p.text_parts)
        text = (groups.get("text") or "").strip()
        return Column(cell, "question", number=number, text=text, part=part, free_text=free)
    return Column(cell, "unknown")
