"""Codebook validation: a parsed mapping (YAML, or a spreadsheet row) to themes and a codebook.

Pure checks with no file access: each theme's fields (``_parse_theme``), the checks
across themes (``validate_themes``: duplicate ids, unknown parents, cycles, empty
patterns, question ids) and a whole YAML mapping (``parse_codebook``). Every error
names the file, the theme and the field to fix. Reading and writing the files is
in :mod:`helpers.coding.codebook` (split off from it in session 22; every name is
re-exported there); the themes, the codebook and the pattern rules are in
:mod:`helpers.coding.codebook_model`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.coding.codebook_model import (
    _ID_RE,
    CODEBOOK_KEYS,
    CODING_METHODS,
    DEFAULT_METHODS,
    THEME_KEYS,
    Codebook,
    CodebookError,
    Theme,
    pattern_problem,
)
from helpers.core.consultation import Consultation
from helpers.core.schemas import SPECIAL_QUESTION_IDS


def _err(where: str, msg: str) -> CodebookError:
    return CodebookError(f"{where}: {msg}")


def _str_list(value: Any, where: str, fieldname: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(where, f"field '{fieldname}' must be a list of strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _parse_theme(raw: Any, where: str) -> Theme:
    if not isinstance(raw, dict):
        raise _err(where, "each theme must be a mapping with at least 'id', 'label' and 'patterns'")
    tid = raw.get("id")
    if not isinstance(tid, str) or not tid.strip():
        raise _err(where, "missing required field 'id'")
    tid = tid.strip()
    where = f"{where.rsplit(':', 1)[0]}: theme '{tid}'"
    if not _ID_RE.match(tid):
        raise _err(where, "field 'id' must start with a letter and use only a-z, 0-9 and '_'")
    unknown = sorted(set(raw) - set(THEME_KEYS))
    if unknown:
        raise _err(where, f"unknown field(s) {unknown}; allowed: {list(THEME_KEYS)}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _err(where, "missing required field 'label' (a short human name for the theme)")
    description = raw.get("description") or ""
    if not isinstance(description, str):
        raise _err(where, "field 'description' must be text")
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise _err(where, f"field 'parent' must be a theme id, got {parent!r}")
    questions = raw.get("questions")
    qs = None if questions is None else _str_list(questions, where, "questions")
    if qs is not None and not qs:
        raise _err(where, "field 'questions' is empty: omit it to code every question")
    patterns = _str_list(raw.get("patterns"), where, "patterns")
    exclude = _str_list(raw.get("exclude"), where, "exclude")
    examples = _str_list(raw.get("examples"), where, "examples")
    methods = None if raw.get("methods") is None else _methods(raw.get("methods"), where)
    for fieldname, items in (("patterns", patterns), ("exclude", exclude)):
        for p in items:
            problem = pattern_problem(p)
            if problem:
                raise _err(where, f"field '{fieldname}': {problem}")
    raw_cooccur = raw.get("cooccur") or []
    if not isinstance(raw_cooccur, list):
        raise _err(
            where, 'field \'cooccur\' must be a list of groups, e.g. [["record*", "access*"]]'
        )
    groups: list[tuple[str, ...]] = []
    for g in raw_cooccur:
        terms = _str_list(g, where, "cooccur")
        if len(terms) < 2:
            raise _err(where, f"field 'cooccur': group {g!r} needs at least two terms")
        for p in terms:
            problem = pattern_problem(p)
            if problem:
                raise _err(where, f"field 'cooccur': {problem}")
        groups.append(terms)
    return Theme(
        id=tid,
        label=label.strip(),
        description=" ".join(description.split()),
        parent=parent.strip() if parent else None,
        questions=qs,
        patterns=patterns,
        exclude=exclude,
        cooccur=tuple(groups),
        examples=examples,
        methods=methods,
    )


def _methods(value: Any, where: str) -> tuple[str, ...]:
    """A validated list of coding methods (``CODING_METHODS``)."""
    items = _str_list(value, where, "methods")
    bad = [m for m in items if m not in CODING_METHODS]
    if bad:
        raise _err(
            where, f"field 'methods': unknown method(s) {bad}; use any of {list(CODING_METHODS)}"
        )
    return items


def validate_themes(
    themes: list[Theme],
    where: str,
    consultation: Consultation | None = None,
    locations: dict[str, str] | None = None,
) -> None:
    """Cross-theme checks: duplicate ids, unknown parents, cycles, empty patterns, question ids.

    ``locations`` maps theme ids to a more precise place (e.g. 'line 4') for messages.
    """
    locations = locations or {}

    def at(tid: str) -> str:
        loc = locations.get(tid)
        return f"{where}{', ' + loc if loc else ''}: theme '{tid}'"

    seen: set[str] = set()
    for t in themes:
        if t.id in seen:
            raise _err(at(t.id), "duplicate theme id")
        seen.add(t.id)
    by_id = {t.id: t for t in themes}
    has_children = {t.parent for t in themes if t.parent}
    for t in themes:
        if t.parent is not None and t.parent not in by_id:
            raise _err(at(t.id), f"field 'parent': unknown theme {t.parent!r}")
        if t.parent == t.id:
            raise _err(at(t.id), "field 'parent': a theme cannot be its own parent")
        # A parent may be defined only by its children; a leaf needs words to find it.
        if not t.patterns and not t.cooccur and t.id not in has_children:
            raise _err(
                at(t.id), "field 'patterns' is empty: give at least one pattern or cooccur group"
            )
    for t in themes:
        chain = [t.id]
        parent = t.parent
        while parent is not None:
            if parent in chain:
                cycle = " -> ".join([*chain[chain.index(parent) :], parent])
                raise _err(at(t.id), f"field 'parent': cycle {cycle}")
            chain.append(parent)
            parent = by_id[parent].parent
    if consultation is not None:
        known = set(consultation.question_ids) | {"unstructured"}
        for t in themes:
            for q in t.questions or ():
                if q not in known:
                    raise _err(
                        at(t.id),
                        f"field 'questions': unknown question id {q!r}; "
                        f"known in {consultation.id}: {consultation.question_ids}",
                    )
    for t in themes:
        if t.questions and any(
            q in SPECIAL_QUESTION_IDS and q != "unstructured" for q in t.questions
        ):
            raise _err(at(t.id), "field 'questions': preamble and closing text is never coded")


def parse_codebook(
    data: Any, where: str = "<codebook>", consultation: Consultation | None = None
) -> Codebook:
    """Validate a parsed YAML mapping and build a Codebook."""
    if not isinstance(data, dict):
        raise _err(where, "the file must be a YAML mapping with 'id', 'title' and 'themes'")
    unknown = sorted(set(data) - set(CODEBOOK_KEYS))
    if unknown:
        raise _err(where, f"unknown field(s) {unknown}; allowed: {list(CODEBOOK_KEYS)}")
    cid = data.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise _err(where, "missing required field 'id'")
    title = data.get("title") or cid
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise _err(where, "field 'themes' must be a non-empty list")
    themes = [_parse_theme(rt, f"{where}: themes[{i}]") for i, rt in enumerate(raw_themes)]
    validate_themes(themes, where, consultation)
    version = data.get("version")
    methods = data.get("methods")
    training = data.get("training_answers")
    if training is not None and (not isinstance(training, str) or not training.strip()):
        raise _err(where, "field 'training_answers' must be a CSV file name")
    cut = data.get("training_threshold")
    if cut is not None and (
        isinstance(cut, bool) or not isinstance(cut, int | float) or not 0 < cut < 1
    ):
        raise _err(where, "field 'training_threshold' must be a number between 0 and 1")
    sentences = data.get("training_sentences", False)
    if not isinstance(sentences, bool):
        raise _err(where, "field 'training_sentences' must be true or false")
    stacker = data.get("training_stacker", False)
    if not isinstance(stacker, bool):
        raise _err(where, "field 'training_stacker' must be true or false")
    return Codebook(
        id=cid.strip(),
        title=str(title).strip(),
        themes=themes,
        version=None if version is None else str(version),
        description=data.get("description"),
        consultation=consultation,
        methods=DEFAULT_METHODS if methods is None else _methods(methods, where),
        training_answers=None if training is None else Path(training.strip()),
        training_threshold=None if cut is None else float(cut),
        training_sentences=sentences,
        training_stacker=stacker,
    )
