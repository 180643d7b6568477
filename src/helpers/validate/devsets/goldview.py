"""gold.yaml as flat records: one per responding document or survey row, in one shape.

Documents and survey rows are written differently in gold.yaml (a document
lists its answers; a survey row maps every question of the survey to its
answer, empty ones included), but they are scored the same way, so both become
:class:`GoldResponse` records keyed like ingest's respondents: the file name
inside ``responses/`` and, for a survey row, its 1-based ``source_row``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpers.validate.devsets.sources import DevSetError

__all__ = ["GoldAnswer", "GoldResponse", "gold_responses"]

RESPONSES = "responses/"


@dataclass(frozen=True)
class GoldAnswer:
    question: str
    text: str
    substantive: bool
    heading: str | None = None
    tick: str | None = None
    stance: str | None = None
    themes: tuple[str, ...] | None = None
    campaign: str | None = None
    stance_ok: tuple[str, ...] = ()  # other stances a careful coder could defend


@dataclass(frozen=True)
class GoldResponse:
    file: str  # relative to responses/ (ingest's source_file)
    row: int | None  # survey row (1-based), None for a document
    split: str
    respondent_type: str | None
    organisation: str | None
    answers: tuple[GoldAnswer, ...]
    # The respondent's attributes as written: (attribute id, value) pairs, e.g. (area, North East).
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.file if self.row is None else f"{self.file}#{self.row}"


def _answer(raw: Any, question: str | None, where: str) -> GoldAnswer:
    if not isinstance(raw, dict):
        raise DevSetError(f"{where}: each answer must be a mapping")
    qid = question or raw.get("question")
    if not isinstance(qid, str):
        raise DevSetError(f"{where}: answer without a question id")
    text = raw.get("text") or ""
    themes = raw.get("themes")
    return GoldAnswer(
        question=qid,
        text=str(text),
        substantive=bool(raw.get("substantive", bool(str(text).strip()))),
        heading=raw.get("heading"),
        tick=raw.get("tick"),
        stance=raw.get("stance"),
        themes=None if themes is None else tuple(themes),
        campaign=raw.get("campaign"),
        stance_ok=tuple(raw.get("stance_ok") or ()),
    )


def _file(raw: Any, where: str) -> str:
    file = raw.get("file") if isinstance(raw, dict) else None
    if not isinstance(file, str) or not file:
        raise DevSetError(f"{where}: file: required")
    return file[len(RESPONSES) :] if file.startswith(RESPONSES) else file


def _attributes(raw: dict, where: str) -> tuple[tuple[str, str], ...]:
    value = raw.get("attributes") or {}
    if not isinstance(value, dict):
        raise DevSetError(f"{where}: attributes: must map attribute ids to values")
    return tuple((str(k), "" if v is None else str(v)) for k, v in value.items())


def gold_responses(gold: dict, split: str = "dev", where: str = "gold.yaml") -> list[GoldResponse]:
    """The gold records in ``split`` (dev, heldout or all), documents first, in file order."""
    out: list[GoldResponse] = []
    for i, doc in enumerate(gold.get("documents") or []):
        w = f"{where}: documents[{i}]"
        answers = doc.get("answers") or []
        out.append(
            GoldResponse(
                file=_file(doc, w),
                row=None,
                split=str(doc.get("split", "dev")),
                respondent_type=doc.get("respondent_type"),
                organisation=doc.get("organisation"),
                answers=tuple(
                    _answer(a, None, f"{w}: answers[{j}]") for j, a in enumerate(answers)
                ),
                attributes=_attributes(doc, w),
            )
        )
    for i, survey in enumerate(gold.get("surveys") or []):
        w = f"{where}: surveys[{i}]"
        file = _file(survey, w)
        for j, row in enumerate(survey.get("rows") or []):
            rw = f"{w}: rows[{j}]"
            if not isinstance(row, dict) or not isinstance(row.get("row"), int):
                raise DevSetError(f"{rw}: row: required (the 1-based data row)")
            n = row["row"]
            answers = row.get("answers") or {}
            if not isinstance(answers, dict):
                raise DevSetError(f"{rw}: answers: must map question ids to answers")
            out.append(
                GoldResponse(
                    file=file,
                    row=n,
                    split=str(row.get("split", "heldout" if n % 3 == 0 else "dev")),
                    respondent_type=row.get("respondent_type"),
                    organisation=row.get("organisation"),
                    answers=tuple(
                        _answer(a or {}, q, f"{rw}: answers: {q}") for q, a in answers.items()
                    ),
                    attributes=_attributes(row, rw),
                )
            )
    return [r for r in out if split == "all" or r.split == split]
