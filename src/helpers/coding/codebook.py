"""The codebook: hierarchical themes and the word patterns that find them.

A researcher edits the codebook by hand, in YAML (quanteda-dictionary style) or
as a spreadsheet (``to_csv``/``from_csv``). Every load is validated and errors
name the file, the theme and the field to fix. Example::

    id: ofsted-ilacs-care-leavers-2022
    title: Default codebook
    version: 1
    training_answers: earlier_round.csv    # optional: coded answers to train on (coding.trained)
    training_threshold: 0.8                # optional: probability a trained code needs (default 0.6)
    training_sentences: true               # optional: also sentence classifiers, blended (default false)
    training_stacker: true                 # optional: one stacked decision per answer x theme (coding.stack)
    themes:
      - id: housing
        label: Housing and accommodation
        parent: support                    # optional
        description: What counts, what does not.
        questions: [q2, q4, q5]            # optional; omitted = every question
        patterns: ["housing", "staying put", "homeless*"]
        exclude: ["housing benefit office"]      # optional
        cooccur: [["record*", "access*"]]        # optional: all terms in one sentence
        examples: ["A flat of my own by 18."]     # optional: confirmed examples (semantic coding)
        methods: [dictionary, semantic]          # optional: overrides the codebook's `methods`

Pattern syntax (see docs/coding.md): words separated by spaces; a plain word
matches any word with the same Snowball stem (``record`` matches ``records``);
a word ending in ``*`` matches any word starting with the letters before it
(``leav*``); a word starting with ``=`` matches only that form, unstemmed
(``=rights`` does not match ``right``); hyphens count as spaces (``care-experienced`` = ``care
experienced``); curly apostrophes count as straight ones; case is ignored.

This module reads, validates and writes codebooks; the themes, the codebook and the
pattern rules are in :mod:`helpers.coding.codebook_model` (split off in session 21;
re-exported here).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from helpers.coding.codebook_model import (  # noqa: F401 (re-exported)
    _ID_RE,
    _WORD_RE,
    APOSTROPHES,
    CODEBOOK_KEYS,
    CODING_METHODS,
    CSV_COLUMNS,
    DEFAULT_METHODS,
    HYPHENS,
    MIN_WILDCARD_PREFIX,
    THEME_KEYS,
    Codebook,
    CodebookError,
    Theme,
    normalise_pattern,
    pattern_problem,
)
from helpers.core.consultation import Consultation
from helpers.core.errors import read_yaml
from helpers.core.safecsv import clean_row, neutralise
from helpers.core.schemas import SPECIAL_QUESTION_IDS

log = logging.getLogger(__name__)

# --- parsing and validation -------------------------------------------------------


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


def load_codebook(path: str | Path, consultation: Consultation | None = None) -> Codebook:
    """Load and validate a codebook YAML (or CSV, by extension) file.

    With ``consultation``, question ids in themes are checked against it.
    Raises CodebookError naming the file, the theme and the field to fix.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return from_csv(path, consultation=consultation)
    raw = read_yaml(path, CodebookError, "codebook file not found")
    cb = parse_codebook(raw, where=str(path), consultation=consultation)
    cb.path = path
    if cb.training_answers is not None:
        cb.training_answers = path.parent / cb.training_answers
        if not cb.training_answers.is_file():
            raise CodebookError(f"{path}: training_answers file {cb.training_answers} not found")
    log.info("codebook %s: %d themes from %s", cb.id, len(cb.themes), path)
    return cb


# --- spreadsheet round trip -------------------------------------------------------


def _join(items: Iterable[str]) -> str:
    return "; ".join(items)


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def to_csv(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook as a spreadsheet-friendly CSV, one row per theme.

    List fields are joined with '; '; co-occurrence groups are written 'a + b; c + d'.
    An empty 'questions' cell means every question.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for t in codebook.themes:
            # Labels, descriptions and patterns are free text: a cell a spreadsheet
            # would run as a formula is quoted (core.safecsv); from_csv removes it.
            w.writerow(
                [
                    neutralise(cell)
                    for cell in (
                        t.id,
                        t.label,
                        t.parent or "",
                        t.description,
                        _join(t.questions or ()),
                        _join(t.patterns),
                        _join(t.exclude),
                        _join(" + ".join(g) for g in t.cooccur),
                        _join(t.examples),
                        "" if t.methods is None else _join(t.methods),
                    )
                ]
            )
    return path


def from_csv(
    path: str | Path,
    consultation: Consultation | None = None,
    codebook_id: str | None = None,
    title: str | None = None,
) -> Codebook:
    """Read a codebook CSV written by ``to_csv`` (or edited in a spreadsheet).

    Validated like the YAML form; errors name the CSV line. The codebook id and
    title default to the file name.
    """
    path = Path(path)
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise CodebookError(f"{path}: codebook file not found") from exc
    themes: list[Theme] = []
    locations: dict[str, str] = {}
    try:
        with fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in ("id", "label") if c not in header]
            if missing:
                raise CodebookError(
                    f"{path}, line 1: missing column(s) {missing}; expected {list(CSV_COLUMNS)}"
                )
            unknown = [c for c in header if c and c not in CSV_COLUMNS]
            if unknown:
                raise CodebookError(
                    f"{path}, line 1: unknown column(s) {unknown}; allowed {list(CSV_COLUMNS)}"
                )
            for row in reader:
                row = clean_row(row)
                if not any(row.values()):
                    continue
                line = f"line {reader.line_num}"
                raw: dict[str, Any] = {"id": row.get("id"), "label": row.get("label")}
                if row.get("parent"):
                    raw["parent"] = row["parent"]
                if row.get("description"):
                    raw["description"] = row["description"]
                if row.get("questions"):
                    raw["questions"] = _split(row["questions"])
                raw["patterns"] = _split(row.get("patterns"))
                if row.get("exclude"):
                    raw["exclude"] = _split(row["exclude"])
                if row.get("cooccur"):
                    raw["cooccur"] = [
                        [t.strip() for t in g.split("+") if t.strip()]
                        for g in _split(row["cooccur"])
                    ]
                for key in ("examples", "methods"):
                    if row.get(key):
                        raw[key] = _split(row[key])
                theme = _parse_theme(raw, f"{path}, {line}: row")
                if theme.id in locations:
                    raise CodebookError(
                        f"{path}, {line}: theme '{theme.id}': duplicate theme id (first on {locations[theme.id]})"
                    )
                themes.append(theme)
                locations[theme.id] = line
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CodebookError(
            f"{path}: cannot be read as a UTF-8 CSV ({exc}); save it as 'CSV UTF-8'"
        ) from exc
    if not themes:
        raise CodebookError(f"{path}: no themes (one row per theme under the header)")
    validate_themes(themes, str(path), consultation, locations)
    return Codebook(
        id=codebook_id or path.stem,
        title=title or path.stem,
        themes=themes,
        path=path,
        consultation=consultation,
    )
