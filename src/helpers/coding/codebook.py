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

This module reads and writes codebook files (YAML, and the CSV round trip); the
checks of a parsed mapping and its themes are in :mod:`helpers.coding.codebook_parse`
(split off in session 22), the themes, the codebook and the pattern rules in
:mod:`helpers.coding.codebook_model` (split off in session 21); both re-exported here.
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
from helpers.coding.codebook_parse import (  # noqa: F401 (re-exported)
    _err,
    _methods,
    _parse_theme,
    _str_list,
    parse_codebook,
    validate_themes,
)
from helpers.core.consultation import Consultation
from helpers.core.errors import read_yaml
from helpers.core.safecsv import clean_row, neutralise
from helpers.core.schemas import SPECIAL_QUESTION_IDS  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

# --- reading a codebook file -----------------------------------------------------


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
