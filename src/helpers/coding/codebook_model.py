"""The codebook's data model: themes, the codebook, and what makes a valid pattern.

Split from :mod:`helpers.coding.codebook` (session 21, no change of behaviour), which
reads, validates and writes codebooks and re-exports every name here: :class:`Theme`
(one code and its patterns), :class:`Codebook` (themes in file order with look-up and
hierarchy helpers), the field names a codebook and a theme may have, and the pattern
rules (:func:`normalise_pattern`, :func:`pattern_problem`; syntax in docs/coding.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core.consultation import Consultation
from helpers.core.errors import ConfigError

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# One pattern word after normalisation: letters/digits with internal apostrophes,
# optionally ending in a single '*'.
_WORD_RE = re.compile(r"^=?[^\W_]+(?:'[^\W_]+)*'?(\*)?$")
MIN_WILDCARD_PREFIX = 2  # 'a*' would match most of the language

THEME_KEYS = (
    "id",
    "label",
    "parent",
    "description",
    "questions",
    "patterns",
    "exclude",
    "cooccur",
    "examples",
    "methods",
)
CODEBOOK_KEYS = (
    "id", "title", "version", "description", "methods", "training_answers",
    "training_threshold", "training_sentences", "training_stacker", "themes",
)  # fmt: skip
CSV_COLUMNS = THEME_KEYS
# How a code can be found: the pattern dictionary, closeness in meaning to the
# theme's definition, a classifier learned from the researcher's own coding.
CODING_METHODS = ("dictionary", "semantic", "learned")
# Semantic matching is opt-in: on the development sets it added no correct code
# at a threshold where it added no wrong one (docs/models.md), and it costs time.
DEFAULT_METHODS = ("dictionary", "learned")

# Hyphen-like characters that count as spaces; apostrophe-like ones that count as "'".
HYPHENS = "-\u2010\u2011"
APOSTROPHES = "\u2019\u2018\u02bc\u2032`"


class CodebookError(ConfigError):
    """The codebook is invalid; the message names the file, theme and field to fix."""


@dataclass(frozen=True)
class Theme:
    """One theme: a code a researcher (or the dictionary coder) applies to an answer."""

    id: str
    label: str
    description: str = ""
    parent: str | None = None
    questions: tuple[str, ...] | None = None  # None = every question
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    cooccur: tuple[tuple[str, ...], ...] = ()
    examples: tuple[str, ...] = ()  # confirmed example passages (semantic and learned coding)
    methods: tuple[str, ...] | None = None  # None = the codebook's methods

    def applies_to(self, question_id: str) -> bool:
        """Whether the theme is coded in answers to ``question_id`` (unstructured: always)."""
        return (
            self.questions is None or question_id in self.questions or question_id == "unstructured"
        )


@dataclass
class Codebook:
    """A validated codebook: themes in file order, with lookup and hierarchy helpers."""

    id: str
    title: str
    themes: list[Theme]
    version: str | None = None
    description: str | None = None
    path: Path | None = None
    consultation: Consultation | None = field(default=None, repr=False)
    methods: tuple[str, ...] = DEFAULT_METHODS
    # coded answers of earlier rounds to train on (coding.trained); resolved by load_codebook
    training_answers: Path | None = None
    # the probability a trained code needs (coding.trained); None: trained.THRESHOLD
    training_threshold: float | None = None
    # also fit sentence-level classifiers and average them with the answer-level ones
    # (coding.trained_fit); off by default: chosen per consultation leave-one-batch-out
    training_sentences: bool = False
    # let the generic stacker (coding.stack) decide every (answer, theme) the trained
    # coder learned, dictionary codes included; off by default
    training_stacker: bool = False

    def __post_init__(self) -> None:
        self._by_id = {t.id: t for t in self.themes}

    def methods_for(self, theme_id: str) -> tuple[str, ...]:
        """The coding methods on for a theme (its own ``methods`` or the codebook's)."""
        own = self.theme(theme_id).methods
        return self.methods if own is None else own

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        try:
            return self._by_id[theme_id]
        except KeyError:
            raise KeyError(f"codebook {self.id!r}: no theme with id {theme_id!r}") from None

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self._by_id

    def children(self, theme_id: str) -> list[Theme]:
        """Direct children of a theme, in file order."""
        return [t for t in self.themes if t.parent == theme_id]

    def descendants(self, theme_id: str) -> list[Theme]:
        """All themes below ``theme_id`` (depth first)."""
        out: list[Theme] = []
        for child in self.children(theme_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def ancestors(self, theme_id: str) -> list[Theme]:
        """Parent, grandparent, ... of a theme (nearest first)."""
        out: list[Theme] = []
        parent = self.theme(theme_id).parent
        while parent is not None:
            t = self.theme(parent)
            out.append(t)
            parent = t.parent
        return out

    @property
    def roots(self) -> list[Theme]:
        return [t for t in self.themes if t.parent is None]

    def themes_for(self, question_id: str) -> list[Theme]:
        """Themes coded in answers to ``question_id``."""
        return [t for t in self.themes if t.applies_to(question_id)]


# --- patterns ---------------------------------------------------------------------


def normalise_pattern(pattern: str) -> str:
    """Lower-case, hyphens as spaces, curly apostrophes straight, single spaces."""
    p = pattern.lower()
    for ch in HYPHENS:
        p = p.replace(ch, " ")
    for ch in APOSTROPHES:
        p = p.replace(ch, "'")
    return " ".join(p.split())


def pattern_problem(pattern: Any) -> str | None:
    """Why ``pattern`` is not a valid pattern, or None if it is."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "patterns must be non-empty strings"
    words = normalise_pattern(pattern).split()
    if not words:
        return f"pattern {pattern!r} has no words"
    for w in words:
        if not _WORD_RE.match(w):
            if w.startswith("*"):
                return (
                    f"pattern {pattern!r}: '*' must follow at least {MIN_WILDCARD_PREFIX} letters"
                )
            if "*" in w:
                return f"pattern {pattern!r}: '*' is allowed only once, at the end of a word"
            return (
                f"pattern {pattern!r}: word {w!r} may contain only letters, digits, apostrophes "
                "and hyphens, with an optional '*' at the end"
            )
        if w.startswith("=") and w.endswith("*"):
            return (
                f"pattern {pattern!r}: word {w!r} cannot be both exact ('=') and a wildcard ('*')"
            )
        if w.endswith("*") and len(w) - 1 < MIN_WILDCARD_PREFIX:
            return f"pattern {pattern!r}: '*' must follow at least {MIN_WILDCARD_PREFIX} letters"
    return None
