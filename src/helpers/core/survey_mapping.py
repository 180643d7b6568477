"""How a survey export's columns map to respondents and questions (``survey:``).

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
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from helpers.core.consultation_fields import ConsultationError, field_error, string_field
from helpers.core.errors import ConfigError
from helpers.core.survey_presets import preset as survey_preset


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


def parse_surveys(raw: Any, where: str, question_ids: set[str]) -> tuple[SurveyMapping, ...]:
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
            raise field_error(
                f"{where}: survey", "an empty list: give at least one mapping, or omit it"
            )
        return tuple(
            _parse_survey(item, where, question_ids, f"survey[{i}]") for i, item in enumerate(raw)
        )
    return (_parse_survey(raw, where, question_ids, "survey"),)


def _parse_survey(raw: Any, where: str, question_ids: set[str], label: str) -> SurveyMapping:
    swhere = f"{where}: {label}"
    if not isinstance(raw, dict):
        raise field_error(swhere, "must be a mapping with 'respondent_id' and 'questions'")
    allowed = ["files", "preset", "respondent_id", "organisation", "respondent_type", "questions"]
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise field_error(swhere, f"unknown field(s) {unknown}; allowed: {allowed}")
    preset_name = string_field(raw, "preset", swhere, required=False)
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
        raise field_error(
            swhere,
            "missing required field 'respondent_id' (the column holding each response's id), "
            "or name the platform with 'preset:' (citizen_space, smartsurvey, "
            "microsoft_forms, qualtrics)",
        )
    rq = raw.get("questions")
    if not isinstance(rq, dict) or not rq:
        raise field_error(
            swhere,
            "field 'questions' must map question ids to {text: column, tick_box: column} "
            "(`consult init --from-export FILE` drafts it from an export)",
        )
    cols: dict[str, SurveyColumns] = {}
    for qid, spec in rq.items():
        qwhere = f"{swhere}.questions.{qid}"
        if qid not in question_ids:
            raise field_error(qwhere, f"unknown question id {qid!r}; known: {sorted(question_ids)}")
        if isinstance(spec, str):
            spec = {"text": spec}
        if not isinstance(spec, dict) or not (spec.get("text") or spec.get("tick_box")):
            raise field_error(qwhere, "must name a 'text' column, a 'tick_box' column, or both")
        bad = sorted(set(spec) - {"text", "tick_box"})
        if bad:
            raise field_error(qwhere, f"unknown field(s) {bad}; allowed: ['text', 'tick_box']")
        cols[qid] = SurveyColumns(text=spec.get("text"), tick_box=spec.get("tick_box"))
    files = raw.get("files") or []
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(g, str) and g.strip() for g in files):
        raise field_error(
            swhere, "field 'files' must be a file-name pattern or a list of them, e.g. '*.xlsx'"
        )
    return SurveyMapping(
        files=tuple(g.strip().lower() for g in files),
        respondent_id=string_field(raw, "respondent_id", swhere, required=False),
        organisation=string_field(raw, "organisation", swhere, required=False),
        respondent_type=string_field(raw, "respondent_type", swhere, required=False),
        questions=cols,
        preset=preset_name,
        alternatives=alternatives,
    )
