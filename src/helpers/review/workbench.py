"""The codebook workbench: try a theme on the corpus, then edit codebook.yaml and see the counts move.

A pattern is cheap to write and expensive to get wrong: "care" catches "health
care", "record" catches "on record". So before a theme is saved the workbench
codes the whole corpus with it (the real dictionary coder, ``coding.code_answers``,
nothing re-implemented) and shows

- **matches**: what the theme would code, as written (its ``exclude`` phrases,
  negation and ``questions`` applied);
- **false-friend candidates**: what a looser theme would have caught and this
  one drops, with the reason: ``negated`` ("we do not think housing…"),
  ``exclude`` (an exclude phrase cancels it) or ``other_question`` (an answer to
  a question the theme does not apply to). Reading them tells whether an
  exclude or a question list is doing its job, or hiding a real mention.

Edits (add, rename, merge, split, split off) change a round-trip YAML tree
(``codebook_yaml``), are validated by the coding stage's own parser after each
step, and are written only by ``save``. ``counts`` codes the corpus with the
codebook as loaded and as edited and gives respondents per theme, before and
after: the dictionary coder only (semantic and learned codes need a full run).
Renaming or merging away a theme id that ``overrides.csv`` uses is reported,
because the next coding run would refuse that file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import coding, explore
from helpers.core import paths, schemas
from helpers.review import codebook_yaml as cy

log = logging.getLogger(__name__)

TRIAL_ID = "trial"
_MATCH_KEY = ["respondent_id", "question_id", "match_start", "match_end"]


@dataclass
class Trial:
    """What one theme would code: ``matches`` and ``candidates`` (each a CODES-like table)."""

    theme: coding.Theme
    matches: pd.DataFrame
    candidates: pd.DataFrame  # plus ``reason``: negated, exclude or other_question
    unprocessed: list[str] = field(default_factory=list)  # e.g. no embedding model

    @property
    def respondents(self) -> int:
        return int(self.matches["respondent_id"].nunique())

    def summary(self) -> dict[str, int]:
        reasons = self.candidates["reason"].value_counts()
        return {
            "respondents": self.respondents,
            "answers": int(
                self.matches[["respondent_id", "question_id"]].drop_duplicates().shape[0]
            ),
            "matches": len(self.matches),
            **{
                f"candidates_{r}": int(reasons.get(r, 0))
                for r in ("negated", "exclude", "other_question")
            },
        }


@dataclass
class Workbench:
    """A codebook being edited against one consultation's processed answers."""

    data: explore.ProcessedData
    codebook_path: Path
    overrides_path: Path | None = None
    changes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.codebook_path = Path(self.codebook_path)
        self.doc = cy.load(self.codebook_path)
        self._before = self.codebook()  # the file as loaded
        self._before_counts: pd.Series | None = None

    @classmethod
    def from_processed(
        cls,
        processed_dir: str | Path,
        consultation: str | Path | None,
        codebook: str | Path,
        overrides: str | Path | None = None,
    ) -> Workbench:
        """A workbench over a processed folder (relative paths: project root).

        ``overrides`` defaults to ``overrides.csv`` beside the codebook.
        """
        data = explore.load_processed(processed_dir, consultation, codebook)
        cb = paths.resolve(codebook)
        ov = paths.resolve(overrides) if overrides else cb.parent / "overrides.csv"
        return cls(data, cb, ov)

    # ------------------------------------------------------------------ coding

    def codebook(self) -> coding.Codebook:
        """The codebook as edited so far (validated by the coding stage's parser)."""
        return coding.parse_codebook(
            cy.plain(self.doc), str(self.codebook_path), self.data.consultation
        )

    def _code(self, codebook: coding.Codebook) -> pd.DataFrame:
        d = self.data
        return coding.code_answers(d.answers, d.respondents, codebook, d.consultation)

    def _one(self, theme: dict[str, Any]) -> coding.Codebook:
        raw = {"id": TRIAL_ID, "label": TRIAL_ID, **theme}
        return coding.parse_codebook(
            {"id": TRIAL_ID, "title": TRIAL_ID, "themes": [raw]},
            "<trial theme>",
            self.data.consultation,
        )

    def try_theme(self, theme: dict[str, Any], semantic: bool = False) -> Trial:
        """Code the corpus with one theme mapping (as in codebook.yaml; ``id`` optional).

        ``semantic=True`` also tries the theme's label, description and examples
        with the semantic coder (``coding.code_semantic``) on the answers the
        patterns did not catch; its matches have ``method == "semantic"``.
        """
        theme = {k: v for k, v in theme.items() if k not in ("parent", "methods")}
        strict = self._one(theme)
        loose = self._one({k: v for k, v in theme.items() if k not in ("exclude", "questions")})
        got = self._code(strict)
        wide = self._code(loose)
        neg = got["negated"].fillna(False).astype(bool)
        matches = got[~neg].reset_index(drop=True)
        negated = got[neg].assign(reason="negated")
        kept = pd.MultiIndex.from_frame(got[_MATCH_KEY].astype(str))
        dropped = wide[~pd.MultiIndex.from_frame(wide[_MATCH_KEY].astype(str)).isin(kept)]
        t = strict.themes[0]
        applies = dropped["question_id"].map(lambda q: t.applies_to(str(q))).astype(bool)
        dropped = dropped.assign(reason=applies.map({True: "exclude", False: "other_question"}))
        candidates = pd.concat([negated, dropped], ignore_index=True)
        unprocessed: list[str] = []
        if semantic:
            d = self.data
            cb = self._one({**theme, "methods": ["semantic"]})
            res = coding.code_semantic(d.answers, d.respondents, cb, d.consultation, got)
            if len(res.codes):
                matches = pd.concat([matches, res.codes], ignore_index=True)
            unprocessed = list(res.unprocessed)
        return Trial(t, matches, candidates.reset_index(drop=True), unprocessed)

    def try_pattern(self, pattern: str, **theme: Any) -> Trial:
        """``try_theme`` with one pattern (plus any other theme fields: exclude, questions...)."""
        return self.try_theme({"patterns": [pattern], **theme})

    def counts(self) -> pd.DataFrame:
        """Respondents per theme with the codebook as loaded and as edited (dictionary coder).

        Columns: theme_id, label, before, after, change; themes of either codebook,
        edited order first. A theme absent from one codebook counts 0 there.
        """
        if self._before_counts is None:
            self._before_counts = _respondents(self._code(self._before))
        after_cb = self.codebook()
        after = _respondents(self._code(after_cb))
        labels = {t.id: t.label for t in self._before.themes} | {
            t.id: t.label for t in after_cb.themes
        }
        ids = list(dict.fromkeys([*after_cb.theme_ids, *self._before.theme_ids]))
        rows = [
            {
                "theme_id": t,
                "label": labels[t],
                "before": int(self._before_counts.get(t, 0)),
                "after": int(after.get(t, 0)),
            }
            for t in ids
        ]
        out = pd.DataFrame(rows, columns=["theme_id", "label", "before", "after"])
        return out.assign(change=out["after"] - out["before"])

    # ------------------------------------------------------------------ edits

    def _edit(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        backup = cy.dumps(self.doc)
        fn(self.doc, *args, **kwargs)
        try:
            self.codebook()
        except coding.CodebookError:
            self.doc = cy._yaml().load(backup)  # an invalid edit leaves the codebook as it was
            raise
        self.changes.append(what)
        log.info("codebook edit: %s", what)

    def add_theme(self, theme: dict[str, Any], after: str | None = None) -> None:
        self._edit(f"added {theme.get('id')}", cy.add_theme, theme, after)

    def rename_theme(
        self, theme_id: str, new_id: str | None = None, label: str | None = None
    ) -> None:
        self._edit(
            f"renamed {theme_id} -> {new_id or theme_id} ({label or 'same label'})",
            cy.rename_theme,
            theme_id,
            new_id,
            label,
        )

    def merge_themes(self, theme_ids: list[str], into: str, label: str | None = None) -> None:
        self._edit(
            f"merged {', '.join(theme_ids)} into {into}", cy.merge_themes, theme_ids, into, label
        )

    def split_theme(self, theme_id: str, parts: list[dict[str, Any]]) -> None:
        ids = ", ".join(str(p.get("id")) for p in parts)
        self._edit(f"split {theme_id} into {ids}", cy.split_theme, theme_id, parts)

    def split_off(self, theme_id: str, new_theme: dict[str, Any]) -> None:
        """Move ``new_theme``'s patterns out of ``theme_id`` into a new theme beside it."""
        node = self.doc["themes"][cy.index_of(self.doc, theme_id)]
        moved = set(new_theme.get("patterns") or [])
        rest = {
            **cy.plain(node),
            "patterns": [p for p in cy.plain(node.get("patterns") or []) if p not in moved],
        }
        self.split_theme(theme_id, [rest, new_theme])

    def stale_overrides(self) -> list[str]:
        """Theme ids in overrides.csv (add/remove rows) the edited codebook no longer has."""
        if self.overrides_path is None:
            return []
        decisions = coding.read_override_decisions(self.overrides_path)
        known = set(self.codebook().theme_ids)
        return sorted(set(decisions["theme_id"].dropna().astype(str)) - known)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the edited codebook (default: over the file it was read from), comments kept."""
        self.codebook()
        out = cy.save(self.doc, path or self.codebook_path)
        stale = self.stale_overrides()
        if stale:
            log.warning(
                "%s: theme id(s) %s are no longer in the codebook; rename them there",
                self.overrides_path,
                stale,
            )
        log.info("codebook written to %s (%d change(s))", out, len(self.changes))
        return out

    def widget(self) -> Any:
        """The ipywidgets face (``review.workbench_view``)."""
        from helpers.review.workbench_view import workbench_widget

        return workbench_widget(self)


def _respondents(codes: pd.DataFrame) -> pd.Series:
    """Theme id -> respondents raising it (negated mentions do not count)."""
    counted = schemas.counted_codes(codes)
    if counted.empty:
        return pd.Series(dtype="int64")
    return counted.groupby("theme_id")["respondent_id"].nunique()
