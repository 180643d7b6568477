"""The consultation definition: a YAML file of questions, validated on load.

A new consultation is a new YAML file, never a code change. Example::

    id: ofsted-ilacs-care-leavers-2022
    title: Introducing a separate judgement about care leavers within ILACS
    organisation: Ofsted
    opened: 2022-06-01          # optional, ISO dates
    closed: 2022-08-02          # optional
    url: https://...            # optional
    questions:
      - id: capacity
        kind: profile            # respondent-profile question
        text: Please tell us in which capacity you are completing this survey
      - id: q1
        number: 1
        kind: closed             # five-point agree/disagree
        short: Separate judgement for care leavers
        text: To what extent do you agree or disagree with ...
        aliases: [other wordings respondents used]   # optional
        keywords: [key terms, a paraphrase would use] # optional
    survey:                      # optional: how survey exports (CSV/XLSX) map to questions
      preset: citizen_space                    # optional: citizen_space, smartsurvey,
                                               #   microsoft_forms or qualtrics
      respondent_id: Response ID               # required unless a preset finds it
      organisation: Organisation name          # optional
      respondent_type: Respondent type         # optional
      questions:
        q1: {tick_box: "Q1 agree", text: "Q1 comments"}
        q2: {text: "Q2"}
    respondent_types:            # optional: extends the package's respondent-type words
      individual:
        answers: [foster, care leaver]       # added to the package's patterns
      campaign_group:
        replace: true                        # these replace the package's patterns
        names: ['campaign(?:s|ing)?', 'alliance']
    attributes:                  # optional: what tables break down by (core.attributes)
      - {id: area, label: Area, source: {manifest: area}}

Survey exports
--------------
``survey.questions`` maps each question to its columns: ``tick_box`` (the
ticked option of a closed question: "Agree", "Don't know", a 1-5 code) and
``text`` (the free-text answer); either or both. Column names are matched
exactly, then ignoring case. A ``preset`` names the platform the export came
from (``helpers/data/survey_presets.yaml``): its header patterns then find the
respondent id, organisation and respondent-type columns the file does not
name (a name given always wins; an organisation or type column the preset
does not find is simply not read). ``consult init --from-export FILE`` drafts
the whole section from an export. Every row of an export is a respondent,
empty ones included; see docs/survey-exports.md.

Aliases and keywords
--------------------
Segmentation matches a response's headings to questions by number and by
text: the question's ``text``, its ``short`` label and its ``aliases`` are
wordings a heading may repeat (near-verbatim or in part). ``keywords`` are
key terms of the question that a respondent's own heading may use instead
("deliveries", "start date"): extra evidence for a paraphrased heading,
compared by word stem, never a wording to repeat. When a run reports
``unmatched heading: "..."`` for a heading that does answer a question, add
its wording to that question's ``aliases`` (or its key terms to
``keywords``).

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

import datetime as dt
import fnmatch
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from helpers.core.attributes import Attribute, parse_attributes
from helpers.core.errors import ConfigError, read_yaml
from helpers.core.schemas import RESPONDENT_TYPES, SPECIAL_QUESTION_IDS
from helpers.core.survey_presets import preset as survey_preset

QUESTION_KINDS = ("closed", "open", "profile")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class ConsultationError(ConfigError):
    """The consultation file is invalid; the message names the file and field to fix."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    number: int | None = None
    short: str | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short human label, e.g. 'Q1: Separate judgement for care leavers'."""
        head = (
            f"Q{self.number}" if self.number is not None else self.id.replace("_", " ").capitalize()
        )
        return f"{head}: {self.short}" if self.short else head


@dataclass(frozen=True)
class SurveyColumns:
    text: str | None = None
    tick_box: str | None = None


@dataclass(frozen=True)
class SurveyMapping:
    """How an export's columns map to respondents and questions (module docstring).

    ``respondent_id`` is None only when a ``preset`` finds the column;
    ``alternatives`` holds, for respondent_id/organisation/respondent_type
    columns the file does not name, the preset's header patterns.
    """

    respondent_id: str | None
    organisation: str | None = None
    respondent_type: str | None = None
    questions: dict[str, SurveyColumns] = field(default_factory=dict)
    preset: str | None = None
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Glob patterns of the export files this mapping is for (empty: any export).
    files: tuple[str, ...] = ()

    def applies_to(self, name: str) -> bool:
        """True when ``name`` (path relative to the input folder) matches ``files``, or none given."""
        if not self.files:
            return True
        low = name.lower().replace("\\", "/")
        base = low.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(low, g) or fnmatch.fnmatchcase(base, g) for g in self.files)


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
    return _parse_respondent_types(raw, where, "", RespondentTypeRules(), allow_replace=False)


@dataclass(frozen=True)
class Consultation:
    id: str
    title: str
    questions: tuple[Question, ...]
    organisation: str | None = None
    opened: dt.date | None = None
    closed: dt.date | None = None
    url: str | None = None
    description: str | None = None
    survey: SurveyMapping | None = None  # the first (often only) mapping in ``surveys``
    path: Path | None = None
    # The package's respondent-type patterns, with the file's respondent_types: applied.
    respondent_types: RespondentTypeRules = field(default_factory=default_respondent_types)
    # Every survey mapping, in file order: one per export layout (``survey:`` as a list).
    surveys: tuple[SurveyMapping, ...] = ()
    # Respondent attributes to break tables down by (core.attributes), in file order.
    attributes: tuple[Attribute, ...] = ()
    # The sentence model segmentation's meaning pass reads unplaced text with
    # (``segment.vectors``): all-MiniLM-L6-v2 by default, or WordLlama, ~100x faster.
    segmentation_model: str = "minilm"
    # Re-decide each paragraph's question with the learned re-ranker after the
    # hand-ruled passes (``segment.learned``); off until it beats the rules.
    segmentation_reranker: bool = False

    def surveys_for(self, name: str) -> list[SurveyMapping]:
        """The mappings that may read the export ``name``, in file order (``files:`` globs)."""
        mappings = self.surveys or ((self.survey,) if self.survey else ())
        return [m for m in mappings if m.applies_to(name)]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.id}: no question with id {question_id!r}")

    @property
    def closed_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "closed"]

    @property
    def open_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "open"]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]


def _err(where: str, msg: str) -> ConsultationError:
    return ConsultationError(f"{where}: {msg}")


def _str(d: dict, key: str, where: str, required: bool = True) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            raise _err(where, f"missing required field '{key}'")
        return None
    if not isinstance(v, str) or not v.strip():
        raise _err(where, f"field '{key}' must be a non-empty string, got {v!r}")
    return v.strip()


def _date(d: dict, key: str, where: str) -> dt.date | None:
    v = d.get(key)
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError as exc:
        raise _err(where, f"field '{key}' must be an ISO date (YYYY-MM-DD), got {v!r}") from exc


def parse_consultation(data: Any, where: str = "<consultation>") -> Consultation:
    """Validate a parsed YAML mapping and build a Consultation."""
    if not isinstance(data, dict):
        raise _err(where, "the file must be a YAML mapping with 'id', 'title' and 'questions'")
    known = {
        "id",
        "title",
        "organisation",
        "opened",
        "closed",
        "url",
        "description",
        "questions",
        "survey",
        "respondent_types",
        "attributes",
        "segmentation_model",
        "segmentation_reranker",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise _err(where, f"unknown field(s) {unknown}; allowed: {sorted(known)}")
    cid = _str(data, "id", where)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", cid):
        raise _err(where, f"field 'id' must be lowercase letters, digits, '-' or '_', got {cid!r}")
    title = _str(data, "title", where)
    raw_qs = data.get("questions")
    if not isinstance(raw_qs, list) or not raw_qs:
        raise _err(where, "field 'questions' must be a non-empty list")
    questions: list[Question] = []
    seen_ids: set[str] = set()
    seen_numbers: set[int] = set()
    for i, rq in enumerate(raw_qs):
        qwhere = f"{where}: questions[{i}]"
        if not isinstance(rq, dict):
            raise _err(qwhere, "each question must be a mapping with 'id', 'text' and 'kind'")
        qknown = {"id", "text", "kind", "number", "short", "aliases", "keywords"}
        qunknown = sorted(set(rq) - qknown)
        if qunknown:
            raise _err(qwhere, f"unknown field(s) {qunknown}; allowed: {sorted(qknown)}")
        qid = _str(rq, "id", qwhere)
        qwhere = f"{where}: question '{qid}'"
        if not _ID_RE.match(qid):
            raise _err(qwhere, "field 'id' must start with a letter and use only a-z, 0-9 and '_'")
        if qid in SPECIAL_QUESTION_IDS:
            raise _err(qwhere, f"field 'id' {qid!r} is reserved for segmentation")
        if qid in seen_ids:
            raise _err(qwhere, "duplicate question id")
        seen_ids.add(qid)
        kind = _str(rq, "kind", qwhere)
        if kind not in QUESTION_KINDS:
            raise _err(qwhere, f"field 'kind' must be one of {list(QUESTION_KINDS)}, got {kind!r}")
        number = rq.get("number")
        if number is not None:
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise _err(qwhere, f"field 'number' must be a whole number, got {number!r}")
            if number in seen_numbers:
                raise _err(qwhere, f"duplicate question number {number}")
            seen_numbers.add(number)
        aliases = _strings(rq, "aliases", qwhere)
        keywords = _strings(rq, "keywords", qwhere)
        questions.append(
            Question(
                id=qid,
                text=_str(rq, "text", qwhere),
                kind=kind,
                number=number,
                short=_str(rq, "short", qwhere, required=False),
                aliases=aliases,
                keywords=keywords,
            )
        )
    surveys = _parse_surveys(data.get("survey"), where, seen_ids)
    respondent_types = default_respondent_types()
    if data.get("respondent_types") is not None:
        respondent_types = _parse_respondent_types(
            data["respondent_types"], where, "respondent_types", respondent_types
        )
    try:
        attributes = parse_attributes(data.get("attributes"), where)
    except ConfigError as exc:
        raise ConsultationError(str(exc)) from exc
    return Consultation(
        id=cid,
        title=title,
        questions=tuple(questions),
        organisation=_str(data, "organisation", where, required=False),
        opened=_date(data, "opened", where),
        closed=_date(data, "closed", where),
        url=_str(data, "url", where, required=False),
        description=_str(data, "description", where, required=False),
        survey=surveys[0] if surveys else None,
        surveys=surveys,
        respondent_types=respondent_types,
        attributes=attributes,
        segmentation_model=_segmentation_model(data, where),
        segmentation_reranker=_flag(data, "segmentation_reranker", where),
    )


SEGMENTATION_MODELS = ("minilm", "wordllama")  # helpers.core.embedding.MODELS


def _segmentation_model(data: dict, where: str) -> str:
    model = data.get("segmentation_model", "minilm")
    if model not in SEGMENTATION_MODELS:
        raise _err(
            where, f"field 'segmentation_model' must be one of {list(SEGMENTATION_MODELS)}, "
            f"got {model!r}",
        )  # fmt: skip
    return model


def _flag(data: dict, key: str, where: str) -> bool:
    """An optional true/false setting (false when absent)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _err(where, f"field '{key}' must be true or false, got {value!r}")
    return value


def _strings(rq: dict, key: str, where: str) -> tuple[str, ...]:
    """An optional list of non-empty strings (``aliases``, ``keywords``), stripped."""
    value = rq.get(key) or []
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise _err(where, f"field '{key}' must be a list of strings")
    return tuple(a.strip() for a in value)


def _parse_surveys(raw: Any, where: str, question_ids: set[str]) -> tuple[SurveyMapping, ...]:
    """``survey:`` as one mapping, or a list of mappings (one per export layout).

    A consultation may receive exports from more than one platform (an online
    survey and a paper-form spreadsheet); each layout gets its own mapping,
    chosen per file by its ``files:`` globs, or, failing that, by which
    mapping's columns the export has (see ``readers.survey``).
    """
    if raw is None:
        return ()
    if isinstance(raw, list):
        if not raw:
            raise _err(f"{where}: survey", "an empty list: give at least one mapping, or omit it")
        return tuple(
            _parse_survey(item, where, question_ids, f"survey[{i}]") for i, item in enumerate(raw)
        )
    return (_parse_survey(raw, where, question_ids, "survey"),)


def _parse_survey(raw: Any, where: str, question_ids: set[str], label: str) -> SurveyMapping:
    swhere = f"{where}: {label}"
    if not isinstance(raw, dict):
        raise _err(swhere, "must be a mapping with 'respondent_id' and 'questions'")
    allowed = ["files", "preset", "respondent_id", "organisation", "respondent_type", "questions"]
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise _err(swhere, f"unknown field(s) {unknown}; allowed: {allowed}")
    preset_name = _str(raw, "preset", swhere, required=False)
    alternatives: dict[str, tuple[str, ...]] = {}
    if preset_name is not None:
        try:
            p = survey_preset(preset_name, swhere)
        except ConfigError as exc:
            raise ConsultationError(str(exc)) from exc
        for key in ("respondent_id", "organisation", "respondent_type"):
            if raw.get(key) is None and getattr(p, key):
                alternatives[key] = getattr(p, key)
    elif raw.get("respondent_id") is None:
        raise _err(
            swhere,
            "missing required field 'respondent_id' (the column holding each response's id), "
            "or name the platform with 'preset:' (citizen_space, smartsurvey, "
            "microsoft_forms, qualtrics)",
        )
    rq = raw.get("questions")
    if not isinstance(rq, dict) or not rq:
        raise _err(
            swhere,
            "field 'questions' must map question ids to {text: column, tick_box: column} "
            "(`consult init --from-export FILE` drafts it from an export)",
        )
    cols: dict[str, SurveyColumns] = {}
    for qid, spec in rq.items():
        qwhere = f"{swhere}.questions.{qid}"
        if qid not in question_ids:
            raise _err(qwhere, f"unknown question id {qid!r}; known: {sorted(question_ids)}")
        if isinstance(spec, str):
            spec = {"text": spec}
        if not isinstance(spec, dict) or not (spec.get("text") or spec.get("tick_box")):
            raise _err(qwhere, "must name a 'text' column, a 'tick_box' column, or both")
        bad = sorted(set(spec) - {"text", "tick_box"})
        if bad:
            raise _err(qwhere, f"unknown field(s) {bad}; allowed: ['text', 'tick_box']")
        cols[qid] = SurveyColumns(text=spec.get("text"), tick_box=spec.get("tick_box"))
    files = raw.get("files") or []
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(g, str) and g.strip() for g in files):
        raise _err(
            swhere, "field 'files' must be a file-name pattern or a list of them, e.g. '*.xlsx'"
        )
    return SurveyMapping(
        files=tuple(g.strip().lower() for g in files),
        respondent_id=_str(raw, "respondent_id", swhere, required=False),
        organisation=_str(raw, "organisation", swhere, required=False),
        respondent_type=_str(raw, "respondent_type", swhere, required=False),
        questions=cols,
        preset=preset_name,
        alternatives=alternatives,
    )


def _parse_respondent_types(
    raw: Any, where: str, prefix: str, base: RespondentTypeRules, allow_replace: bool = True
) -> RespondentTypeRules:
    """Validate a respondent-type table and apply it to ``base`` (module docstring).

    ``prefix`` is the table's field name in messages ("respondent_types", or
    "" for the package file, where the table is the whole file).
    """
    twhere = f"{where}: {prefix}" if prefix else where
    allowed = [t for t in RESPONDENT_TYPES if t != "unknown"]
    if not isinstance(raw, dict):
        raise _err(twhere, f"must be a mapping from respondent type ({allowed}) to patterns")
    types = dict(base.types)
    for tid, spec in raw.items():
        field_name = f"{prefix}.{tid}" if prefix else str(tid)
        if tid not in allowed:
            why = "takes no patterns (it is what no match means)" if tid == "unknown" else ""
            raise _err(
                f"{where}: {field_name}",
                why or f"unknown respondent type {tid!r}; allowed: {allowed}",
            )
        fields = [*PATTERN_FIELDS, "replace"] if allow_replace else list(PATTERN_FIELDS)
        if not isinstance(spec, dict):
            raise _err(f"{where}: {field_name}", f"must be a mapping with fields {fields}")
        unknown = sorted(set(spec) - set(fields))
        if unknown:
            raise _err(f"{where}: {field_name}", f"unknown field(s) {unknown}; allowed: {fields}")
        replace = spec.get("replace", False)
        if not isinstance(replace, bool):
            raise _err(
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
        raise _err(where, f"field '{key}' must be a list of words or regular expressions")
    for v in value:
        try:
            re.compile(v)
        except re.error as exc:
            raise _err(
                where, f"field '{key}': {v!r} is not a valid regular expression ({exc})"
            ) from exc
        # Answers are matched in the lower-cased value; escapes such as \b may be upper case.
        if key == "answers" and re.sub(r"\\.", "", v) != re.sub(r"\\.", "", v).lower():
            raise _err(
                where, f"field 'answers': {v!r} must be lower case (answers are lower-cased)"
            )
    return tuple(value)


def load_consultation(path: str | Path) -> Consultation:
    """Load and validate a consultation YAML file.

    Raises ConsultationError naming the file and the field to fix.
    """
    path = Path(path)
    raw = read_yaml(path, ConsultationError, "consultation file not found")
    c = parse_consultation(raw, where=str(path))
    return Consultation(**{**c.__dict__, "path": path})
