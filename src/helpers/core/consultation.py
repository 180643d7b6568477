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

Survey exports (``survey:``) and respondent types (``respondent_types:``) are
described in ``core.survey_mapping`` and ``core.type_rules``.

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

"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core.attributes import Attribute, parse_attributes
from helpers.core.consultation_fields import ConsultationError, field_error, string_field
from helpers.core.errors import ConfigError, read_yaml
from helpers.core.schemas import SPECIAL_QUESTION_IDS
from helpers.core.survey_mapping import SurveyColumns, SurveyMapping, parse_surveys
from helpers.core.type_rules import (
    RespondentTypeRules,
    TypePatterns,
    default_respondent_types,
    parse_respondent_types,
)

# Re-exported: callers import these from here since before the split.
__all__ = [
    "Consultation",
    "ConsultationError",
    "Question",
    "RespondentTypeRules",
    "SurveyColumns",
    "SurveyMapping",
    "TypePatterns",
    "default_respondent_types",
    "load_consultation",
    "parse_consultation",
]

QUESTION_KINDS = ("closed", "open", "profile")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


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
        raise field_error(
            where, f"field '{key}' must be an ISO date (YYYY-MM-DD), got {v!r}"
        ) from exc


def parse_consultation(data: Any, where: str = "<consultation>") -> Consultation:
    """Validate a parsed YAML mapping and build a Consultation."""
    if not isinstance(data, dict):
        raise field_error(
            where, "the file must be a YAML mapping with 'id', 'title' and 'questions'"
        )
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
        raise field_error(where, f"unknown field(s) {unknown}; allowed: {sorted(known)}")
    cid = string_field(data, "id", where)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", cid):
        raise field_error(
            where, f"field 'id' must be lowercase letters, digits, '-' or '_', got {cid!r}"
        )
    title = string_field(data, "title", where)
    raw_qs = data.get("questions")
    if not isinstance(raw_qs, list) or not raw_qs:
        raise field_error(where, "field 'questions' must be a non-empty list")
    questions: list[Question] = []
    seen_ids: set[str] = set()
    seen_numbers: set[int] = set()
    for i, rq in enumerate(raw_qs):
        qwhere = f"{where}: questions[{i}]"
        if not isinstance(rq, dict):
            raise field_error(
                qwhere, "each question must be a mapping with 'id', 'text' and 'kind'"
            )
        qknown = {"id", "text", "kind", "number", "short", "aliases", "keywords"}
        qunknown = sorted(set(rq) - qknown)
        if qunknown:
            raise field_error(qwhere, f"unknown field(s) {qunknown}; allowed: {sorted(qknown)}")
        qid = string_field(rq, "id", qwhere)
        qwhere = f"{where}: question '{qid}'"
        if not _ID_RE.match(qid):
            raise field_error(
                qwhere, "field 'id' must start with a letter and use only a-z, 0-9 and '_'"
            )
        if qid in SPECIAL_QUESTION_IDS:
            raise field_error(qwhere, f"field 'id' {qid!r} is reserved for segmentation")
        if qid in seen_ids:
            raise field_error(qwhere, "duplicate question id")
        seen_ids.add(qid)
        kind = string_field(rq, "kind", qwhere)
        if kind not in QUESTION_KINDS:
            raise field_error(
                qwhere, f"field 'kind' must be one of {list(QUESTION_KINDS)}, got {kind!r}"
            )
        number = rq.get("number")
        if number is not None:
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise field_error(qwhere, f"field 'number' must be a whole number, got {number!r}")
            if number in seen_numbers:
                raise field_error(qwhere, f"duplicate question number {number}")
            seen_numbers.add(number)
        aliases = _strings(rq, "aliases", qwhere)
        keywords = _strings(rq, "keywords", qwhere)
        questions.append(
            Question(
                id=qid,
                text=string_field(rq, "text", qwhere),
                kind=kind,
                number=number,
                short=string_field(rq, "short", qwhere, required=False),
                aliases=aliases,
                keywords=keywords,
            )
        )
    surveys = parse_surveys(data.get("survey"), where, seen_ids)
    respondent_types = default_respondent_types()
    if data.get("respondent_types") is not None:
        respondent_types = parse_respondent_types(
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
        organisation=string_field(data, "organisation", where, required=False),
        opened=_date(data, "opened", where),
        closed=_date(data, "closed", where),
        url=string_field(data, "url", where, required=False),
        description=string_field(data, "description", where, required=False),
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
        raise field_error(
            where, f"field 'segmentation_model' must be one of {list(SEGMENTATION_MODELS)}, "
            f"got {model!r}",
        )  # fmt: skip
    return model


def _flag(data: dict, key: str, where: str) -> bool:
    """An optional true/false setting (false when absent)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise field_error(where, f"field '{key}' must be true or false, got {value!r}")
    return value


def _strings(rq: dict, key: str, where: str) -> tuple[str, ...]:
    """An optional list of non-empty strings (``aliases``, ``keywords``), stripped."""
    value = rq.get(key) or []
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise field_error(where, f"field '{key}' must be a list of strings")
    return tuple(a.strip() for a in value)


def load_consultation(path: str | Path) -> Consultation:
    """Load and validate a consultation YAML file.

    Raises ConsultationError naming the file and the field to fix.
    """
    path = Path(path)
    raw = read_yaml(path, ConsultationError, "consultation file not found")
    c = parse_consultation(raw, where=str(path))
    return Consultation(**{**c.__dict__, "path": path})
