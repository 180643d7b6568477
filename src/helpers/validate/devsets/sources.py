"""The hand-written sources of a development set (``sources/*.yaml``), loaded and checked.

A development set (``data/evaluation/<set>/``) describes each response document
once, as YAML: who wrote it, in which format and layout, and each answer with
its gold labels. The builder renders these sources to real files and writes the
gold labels from the same data, so the text a respondent "wrote" and the text
the evaluator looks for cannot drift apart. The format is in docs/evaluation.md.

Every mistake is an error naming the file and field: an unknown key (a typo
would be silently ignored), a question id not in consultation.yaml, a theme
id not in codebook.yaml, a format that cannot carry the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.coding import load_codebook
from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.core.errors import ConfigError

__all__ = ["FORMATS", "OPTIONS", "Answer", "Attachment", "DevSetError", "Email", "Source",
           "load_set_sources", "load_source", "parse_source"]  # fmt: skip

FORMATS = ("txt", "md", "docx", "odt", "rtf", "html", "eml", "pdf")
LAYOUTS = ("headed", "form", "letter")
FORM_FORMATS = ("docx", "odt", "html", "rtf")  # formats with tables
STYLES = ("plain", "bold", "heading", "textarea")
TICK_STYLES = ("box", "content_control", "x")
SPLITS = ("dev", "heldout")
# The five options of a closed question, in the order a form prints them.
OPTIONS = tuple(s for s in schemas.STANCES if s != "not_answered")

_TOP_KEYS = {"id", "format", "layout", "split", "style", "tick_style", "respondent", "email",
             "attachment", "preamble", "answers", "closing"}  # fmt: skip
_RESPONDENT_KEYS = {"type", "organisation", "name", "attributes"}
_EMAIL_KEYS = {"from", "to", "subject", "date", "organization", "body", "signature", "disclaimer",
               "quoted"}  # fmt: skip
_ATTACHMENT_KEYS = {"format", "layout", "style", "tick_style", "filename", "questions"}
_ANSWER_KEYS = {
    "question",
    "heading",
    "text",
    "substantive",
    "tick",
    "stance",
    "stance_ok",
    "themes",
    "campaign",
}


class DevSetError(ConfigError):
    """A development set is broken; the message names the file and the field to fix."""


@dataclass(frozen=True)
class Answer:
    question: str
    heading: str | None
    text: str
    substantive: bool = True
    tick: str | None = None
    stance: str | None = None
    themes: tuple[str, ...] = ()
    campaign: str | None = None
    # Other stances a careful coder could defend ("acceptable" accuracy counts them).
    stance_ok: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    format: str
    layout: str
    style: str | None = None
    tick_style: str = "box"
    filename: str | None = None
    # When set, only these answers are attached; the preamble, the other answers and the
    # closing stay in the e-mail's body (an e-mail with answers in its body AND a file).
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Email:
    sender: str = "Respondent <respondent@example.org>"
    to: str = "Consultation team <consultation@example.gov.uk>"
    subject: str = "Consultation response"
    date: str = "Mon, 03 Oct 2022 09:30:00 +0100"
    organization: str | None = None
    body: str | None = None  # covering note when the answers are attached
    signature: str | None = None
    disclaimer: str | None = None
    quoted: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    format: str
    layout: str
    split: str
    respondent_type: str
    organisation: str | None
    name: str | None
    attributes: dict[str, Any]
    answers: tuple[Answer, ...]
    preamble: str | None = None
    closing: str | None = None
    style: str | None = None
    tick_style: str = "box"
    email: Email | None = None
    attachment: Attachment | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def filename(self) -> str:
        return f"{self.id}.{self.format}"


def _err(where: str, msg: str) -> DevSetError:
    return DevSetError(f"{where}: {msg}")


def _keys(raw: Any, allowed: set[str], where: str) -> dict:
    if not isinstance(raw, dict):
        raise _err(where, "must be a mapping")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _err(where, f"unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    return raw


def _choice(value: Any, allowed: tuple, where: str, default: Any = None) -> Any:
    if value is None:
        return default
    if value not in allowed:
        raise _err(where, f"{value!r} is not one of {list(allowed)}")
    return value


def _text(value: Any, where: str, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise _err(where, "is required")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _err(where, "must be text")
    return str(value).strip("\n")


def _answer(raw: Any, where: str, consultation: Consultation, theme_ids: set[str] | None) -> Answer:
    raw = _keys(raw, _ANSWER_KEYS, where)
    qid = _text(raw.get("question"), f"{where}: question", required=True)
    if qid not in consultation.question_ids:
        raise _err(f"{where}: question", f"{qid!r} is not a question id of the consultation "
                   f"({consultation.question_ids})")  # fmt: skip
    themes = raw.get("themes") or []
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise _err(f"{where}: themes", "must be a list of theme ids")
    if theme_ids is not None:
        unknown = [t for t in themes if t not in theme_ids]
        if unknown:
            raise _err(f"{where}: themes", f"{unknown} not in the set's codebook.yaml")
    substantive = raw.get("substantive", True)
    if not isinstance(substantive, bool):
        raise _err(f"{where}: substantive", "must be true or false")
    stance_ok = raw.get("stance_ok") or []
    if not isinstance(stance_ok, list):
        raise _err(f"{where}: stance_ok", "must be a list of stances")
    for alt in stance_ok:
        _choice(alt, schemas.STANCES, f"{where}: stance_ok")
    return Answer(
        question=qid,
        heading=_text(raw.get("heading"), f"{where}: heading"),
        text=(_text(raw.get("text"), f"{where}: text") or "").strip(),
        substantive=substantive,
        tick=_choice(raw.get("tick"), OPTIONS, f"{where}: tick"),
        stance=_choice(raw.get("stance"), schemas.STANCES, f"{where}: stance"),
        themes=tuple(themes),
        campaign=_text(raw.get("campaign"), f"{where}: campaign"),
        stance_ok=tuple(stance_ok),
    )


def _email(raw: Any, where: str) -> Email:
    raw = _keys(raw or {}, _EMAIL_KEYS, where)
    values = {k: _text(raw.get(k), f"{where}: {k}") for k in _EMAIL_KEYS}
    values = {("sender" if k == "from" else k): v for k, v in values.items() if v is not None}
    return Email(**values)


def _check_layout(fmt: str, layout: str, where: str) -> None:
    if layout == "form" and fmt not in FORM_FORMATS:
        raise _err(f"{where}: layout", f"form needs a format with tables ({list(FORM_FORMATS)})")


def _attachment(raw: Any, where: str) -> Attachment | None:
    if raw is None:
        return None
    raw = _keys(raw, _ATTACHMENT_KEYS, where)
    fmt = _choice(raw.get("format"), FORMATS, f"{where}: format")
    if fmt is None or fmt == "eml":
        raise _err(f"{where}: format", f"required, one of {[f for f in FORMATS if f != 'eml']}")
    layout = _choice(raw.get("layout"), LAYOUTS, f"{where}: layout", "headed")
    _check_layout(fmt, layout, where)
    questions = raw.get("questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise _err(f"{where}: questions", "must be a list of question ids")
    return Attachment(
        format=fmt,
        layout=layout,
        style=_choice(raw.get("style"), STYLES, f"{where}: style"),
        tick_style=_choice(raw.get("tick_style"), TICK_STYLES, f"{where}: tick_style", "box"),
        filename=_text(raw.get("filename"), f"{where}: filename"),
        questions=tuple(questions),
    )


def parse_source(
    raw: Any, where: str, consultation: Consultation, theme_ids: set[str] | None = None
) -> Source:
    """Validate one parsed source mapping (``where`` names it in errors)."""
    raw = _keys(raw, _TOP_KEYS, where)
    sid = _text(raw.get("id"), f"{where}: id", required=True)
    if not sid or "/" in sid or sid.startswith("."):
        raise _err(f"{where}: id", "must be a plain file stem")
    fmt = _choice(raw.get("format"), FORMATS, f"{where}: format")
    if fmt is None:
        raise _err(f"{where}: format", f"is required, one of {list(FORMATS)}")
    layout = _choice(raw.get("layout"), LAYOUTS, f"{where}: layout", "headed")
    if fmt != "eml" or layout == "form":
        _check_layout(fmt, layout, where)
    resp = _keys(raw.get("respondent") or {}, _RESPONDENT_KEYS, f"{where}: respondent")
    allowed_types = tuple(schemas.RESPONDENT_TYPES) + tuple(
        name for name, _ in consultation.respondent_types.types
    )
    rtype = _choice(resp.get("type"), allowed_types, f"{where}: respondent: type")
    if rtype is None:
        raise _err(f"{where}: respondent: type", f"is required, one of {list(allowed_types)}")
    attributes = resp.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise _err(f"{where}: respondent: attributes", "must be a mapping")
    raw_answers = raw.get("answers")
    if not isinstance(raw_answers, list) or not raw_answers:
        raise _err(f"{where}: answers", "must be a non-empty list")
    answers = tuple(
        _answer(a, f"{where}: answers[{i}]", consultation, theme_ids)
        for i, a in enumerate(raw_answers)
    )
    qids = [a.question for a in answers]
    if twice := sorted({q for q in qids if qids.count(q) > 1}):
        raise _err(f"{where}: answers", f"question(s) {twice} answered twice")
    attachment = _attachment(raw.get("attachment"), f"{where}: attachment")
    if attachment is not None and (stray := sorted(set(attachment.questions) - set(qids))):
        raise _err(f"{where}: attachment: questions", f"{stray} are not answered by this source")
    for key in ("attachment", "email"):
        if raw.get(key) is not None and fmt != "eml":
            raise _err(f"{where}: {key}", "only an eml source has this field")
    return Source(
        id=sid,
        format=fmt,
        layout=layout,
        split=_choice(raw.get("split"), SPLITS, f"{where}: split", "dev"),
        respondent_type=rtype,
        organisation=_text(resp.get("organisation"), f"{where}: respondent: organisation"),
        name=_text(resp.get("name"), f"{where}: respondent: name"),
        attributes=dict(attributes),
        answers=answers,
        preamble=(_text(raw.get("preamble"), f"{where}: preamble") or "").strip() or None,
        closing=(_text(raw.get("closing"), f"{where}: closing") or "").strip() or None,
        style=_choice(raw.get("style"), STYLES, f"{where}: style"),
        tick_style=_choice(raw.get("tick_style"), TICK_STYLES, f"{where}: tick_style", "box"),
        email=_email(raw.get("email"), f"{where}: email") if fmt == "eml" else None,
        attachment=attachment,
    )


def load_source(
    path: str | Path, consultation: Consultation, theme_ids: set[str] | None = None
) -> Source:
    """Load and validate one ``sources/<doc>.yaml``."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _err(str(path), f"not valid YAML: {exc}") from exc
    source = parse_source(raw, str(path), consultation, theme_ids)
    object.__setattr__(source, "path", path)
    return source


def load_set_sources(set_dir: str | Path) -> tuple[Consultation, list[Source]]:
    """The set's consultation and its sources in file-name order (ids checked unique)."""
    set_dir = Path(set_dir)
    try:
        consultation = load_consultation(set_dir / "consultation.yaml")
    except (ConfigError, FileNotFoundError) as exc:
        raise DevSetError(f"{set_dir}: {exc}") from exc
    theme_ids = None
    if (set_dir / "codebook.yaml").is_file():
        try:
            theme_ids = set(load_codebook(set_dir / "codebook.yaml", consultation).theme_ids)
        except ConfigError as exc:
            raise DevSetError(f"{set_dir}: {exc}") from exc
    sources = [
        load_source(p, consultation, theme_ids) for p in sorted(set_dir.glob("sources/*.yaml"))
    ]
    names = [s.filename for s in sources]
    for s in sources:
        if names.count(s.filename) > 1:
            raise _err(str(s.path), f"id {s.id!r}: another source renders to {s.filename} too")
    return consultation, sources
