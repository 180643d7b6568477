"""Reviewing the coding answer by answer: filter, page, and record decisions in overrides.csv.

``ReviewSession`` is plain Python over the processed tables, so every behaviour
is testable without a browser; ``ReviewSession.widget()`` (``review.view``) is a
thin ipywidgets face over it.

Why it is built this way:

- **Scale**: the tables are filtered with vectorised pandas masks on a key per
  answer (``respondent_id`` + ``question_id``), and only one page of answers
  (``page_size``, 20 by default) is ever turned into HTML. 100,000 answers never
  reach a widget.
- **One file of decisions**: every accept, remove, add and stance change is
  appended to ``overrides.csv`` at once by the coding stage's writer
  (``coding.append_override``), in the format the pipeline reads, with the
  reviewer (``coder``) and the reason (``note``) as the audit trail. The next
  coding run applies them; the session shows them at once by applying the same
  file with the same functions (``coding.apply_overrides``,
  ``coding.apply_stance_overrides``) to the automatic codes.
- **Undo** takes back only this session's decisions, last first.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import coding, explore
from helpers.core import paths, schemas
from helpers.core.safecsv import clean_row
from helpers.core.sentences import sentence_spans
from helpers.review import render

log = logging.getLogger(__name__)

_SEP = "\x1f"  # joins respondent and question ids into one key (never in an id)


def _named_respondents(path: Path) -> set[str]:
    """The respondent ids an overrides file names (none when it is absent)."""
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {clean_row(r).get("respondent_id", "") for r in csv.DictReader(fh)}


def _keys(frame: pd.DataFrame) -> pd.Series:
    return frame["respondent_id"].astype(str) + _SEP + frame["question_id"].astype(str)


class ReviewSession:
    """Filter and page through answers, with decisions written to ``overrides_path``."""

    def __init__(
        self,
        data: explore.ProcessedData,
        overrides_path: str | Path,
        codebook: coding.Codebook | None = None,
        coder: str = "reviewer",
        page_size: int = 20,
        attributes: pd.DataFrame | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.data = data
        self.overrides_path = Path(overrides_path)
        self.codebook = codebook
        self.coder = coder
        self.page_size = page_size
        self.attributes = attributes
        self.written: list[dict[str, str]] = []  # this session's decisions, in order
        who = data.respondents.set_index("respondent_id")
        self._texts, self._names = who["text"], who["organisation"]
        types = who["respondent_type"]
        a = data.answers[["respondent_id", "question_id", "start", "end"]].copy()
        a["key"] = _keys(a)
        a["respondent_type"] = a["respondent_id"].map(types)
        self._answers = a.reset_index(drop=True)
        # The automatic codes: the manual rows in codes.parquet came from overrides.csv,
        # which refresh() applies again.
        self._auto = data.codes[data.codes["source"] != "manual_add"]
        ids = list(codebook.theme_ids) if codebook is not None else []
        ids += sorted(set(self._auto["theme_id"].astype(str)) - set(ids))
        self._colours = render.theme_colours(ids)
        self.refresh()
        self.filter()

    @classmethod
    def from_processed(
        cls,
        processed_dir: str | Path,
        consultation: str | Path | None = None,
        codebook: str | Path | None = None,
        overrides: str | Path | None = None,
        **kwargs: Any,
    ) -> ReviewSession:
        """A session over a processed folder (relative paths: project root).

        ``overrides`` defaults to ``overrides.csv`` beside ``codebook`` (the
        file run.yaml names in the shipped consultations), else in the
        processed folder.
        """
        data = explore.load_processed(processed_dir, consultation, codebook)
        cb = None
        if codebook:
            cb = coding.load_codebook(paths.resolve(codebook), data.consultation)
        if overrides is None:
            base = paths.resolve(codebook).parent if codebook else paths.resolve(processed_dir)
            overrides = base / "overrides.csv"
        attrs_path = paths.resolve(processed_dir) / "attributes.parquet"
        attrs = pd.read_parquet(attrs_path) if attrs_path.is_file() else None
        return cls(data, paths.resolve(overrides), codebook=cb, attributes=attrs, **kwargs)

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        """Re-apply overrides.csv to the automatic codes and stances (what the page shows).

        Only the respondents the file names are handed to the readers (they index
        every answer and stance they are given), so a decision stays quick with
        100,000 answers; the rest of the stances table is kept as it is.
        """
        d = self.data
        named = _named_respondents(self.overrides_path)
        ans = d.answers[d.answers["respondent_id"].astype(str).isin(named)]
        resp = d.respondents[d.respondents["respondent_id"].astype(str).isin(named)]
        codes = coding.apply_overrides(self._auto, self.overrides_path, ans, resp, self.codebook)
        self.codes = codes.assign(key=_keys(codes))
        mine = d.stances["respondent_id"].astype(str).isin(named)
        st = coding.apply_stance_overrides(d.stances[mine], self.overrides_path, ans, resp)
        st = pd.concat([d.stances[~mine], st.set_axis(d.stances.index[mine])]).sort_index()
        self.stances = st.assign(key=_keys(st))

    def filter(
        self,
        question: str | None = None,
        theme: str | None = None,
        stance: str | None = None,
        respondent_type: str | None = None,
        attribute: tuple[str, str] | None = None,
        search: str | None = None,
    ) -> pd.DataFrame:
        """Answers matching every filter given (None: no filter); the page goes back to 0.

        ``theme`` keeps answers raising it (negated mentions do not count);
        ``attribute`` is ``(attribute_id, value_id)``; ``search`` is a literal,
        case-insensitive substring of the answer.
        """
        a = self._answers
        mask = pd.Series(True, index=a.index)
        if question is not None:
            mask &= a["question_id"] == question
        if respondent_type is not None:
            mask &= a["respondent_type"] == respondent_type
        if theme is not None:
            raised = schemas.counted_codes(self.codes)
            mask &= a["key"].isin(raised.loc[raised["theme_id"] == theme, "key"])
        if stance is not None:
            if stance not in schemas.STANCES:
                raise ValueError(f"stance {stance!r} is not one of {list(schemas.STANCES)}")
            mask &= a["key"].isin(self.stances.loc[self.stances["stance"] == stance, "key"])
        if attribute is not None:
            at = self.attributes if self.attributes is not None else pd.DataFrame()
            if at.empty:
                mask &= False
            else:
                hit = at[(at["attribute_id"] == attribute[0]) & (at["value_id"] == attribute[1])]
                mask &= a["respondent_id"].isin(hit["respondent_id"])
        out = a[mask]
        if search:
            text = self.data.answers.loc[out.index, "answer_text"].fillna("")
            out = out[text.str.contains(search, case=False, regex=False).to_numpy()]
        self.current = out.reset_index(drop=True)
        self.page_number = 0
        return self.current

    @property
    def n_pages(self) -> int:
        return max(1, -(-len(self.current) // self.page_size))

    def page(self, number: int | None = None) -> pd.DataFrame:
        """The answers on page ``number`` (0-based; default: the current page), which becomes current."""
        if number is not None:
            self.page_number = min(max(0, int(number)), self.n_pages - 1)
        lo = self.page_number * self.page_size
        return self.current.iloc[lo : lo + self.page_size]

    def codes_for(self, respondent_id: str, question_id: str) -> pd.DataFrame:
        """The codes shown for one answer (automatic codes with overrides applied)."""
        return self.codes[self.codes["key"] == f"{respondent_id}{_SEP}{question_id}"]

    def stance_of(self, respondent_id: str, question_id: str) -> str | None:
        hit = self.stances.loc[self.stances["key"] == f"{respondent_id}{_SEP}{question_id}"]
        return None if hit.empty else str(hit["stance"].iloc[0])

    def page_html(self, number: int | None = None) -> str:
        """The page's answers as escaped HTML, codes highlighted in their theme's colour."""
        rows = self.page(number)
        keys = set(rows["key"])
        codes = self.codes[self.codes["key"].isin(keys)]
        stances = self.stances[self.stances["key"].isin(keys)].set_index("key")
        return render.page_html(self, rows, codes, stances)

    def sentences(self, respondent_id: str, question_id: str) -> list[tuple[int, int, str]]:
        """The answer's sentences as (start, end, text): the passages a decision can anchor to."""
        lo, hi = self._span(respondent_id, question_id)
        text = str(self._texts[respondent_id])
        return [(s, e, text[s:e]) for s, e in sentence_spans(text, lo, hi)]

    # ------------------------------------------------------------------ decisions

    def _span(self, respondent_id: str, question_id: str) -> tuple[int, int]:
        hit = self._answers[self._answers["key"] == f"{respondent_id}{_SEP}{question_id}"]
        if hit.empty:
            raise KeyError(f"no answer by {respondent_id!r} to question {question_id!r}")
        return int(hit["start"].iloc[0]), int(hit["end"].iloc[0])

    def _passage(self, rid: str, qid: str, start: int | None, end: int | None) -> str:
        lo, hi = self._span(rid, qid)
        if start is None or end is None:
            return ""
        if not lo <= start < end <= hi:
            raise ValueError(f"passage {start}:{end} is outside the answer ({lo}:{hi})")
        return str(self._texts[rid])[start:end]

    def _theme(self, theme_id: str) -> None:
        if self.codebook is not None and theme_id not in self.codebook:
            raise KeyError(f"unknown theme {theme_id!r}")

    def _write(self, rid: str, qid: str, value: str, action: str, quote: str, note: str) -> dict:
        if not str(note).strip():
            raise ValueError("give a reason: it is the audit trail of the decision")
        row = coding.override_row(rid, qid, value, action, quote, self.coder, note)
        coding.append_override(self.overrides_path, row)
        self.written.append(row)
        self.refresh()
        return row

    def accept(self, respondent_id: str, question_id: str, theme_id: str, reason: str) -> dict:
        """Confirm an automatic code: an ``add`` row anchored to its evidence sentence."""
        self._theme(theme_id)
        mine = self.codes_for(respondent_id, question_id)
        mine = mine[mine["theme_id"] == theme_id]
        if mine.empty:
            raise KeyError(f"no {theme_id!r} code in {respondent_id!r} {question_id!r} to accept")
        quote = str(mine["quote"].iloc[0])
        return self._write(
            respondent_id, question_id, theme_id, "add", quote, f"accepted: {reason}"
        )

    def remove(self, respondent_id: str, question_id: str, theme_id: str, reason: str) -> dict:
        """Reject a theme in an answer: a ``remove`` row (drops its automatic codes)."""
        self._theme(theme_id)
        self._span(respondent_id, question_id)
        return self._write(respondent_id, question_id, theme_id, "remove", "", reason)

    def add(
        self,
        respondent_id: str,
        question_id: str,
        theme_id: str,
        reason: str,
        start: int | None = None,
        end: int | None = None,
    ) -> dict:
        """Code a passage (``start``/``end`` into the respondent's text; none: the whole answer)."""
        self._theme(theme_id)
        quote = self._passage(respondent_id, question_id, start, end)
        return self._write(respondent_id, question_id, theme_id, "add", quote, reason)

    def set_stance(
        self,
        respondent_id: str,
        question_id: str,
        stance: str,
        reason: str,
        start: int | None = None,
        end: int | None = None,
    ) -> dict:
        """Set the stance of a closed answer (a ``stance`` row); the passage becomes its evidence."""
        if self.stance_of(respondent_id, question_id) is None:
            raise KeyError(
                f"{respondent_id!r} {question_id!r} has no stance (not a closed question)"
            )
        quote = self._passage(respondent_id, question_id, start, end)
        return self._write(respondent_id, question_id, stance, "stance", quote, reason)

    def undo(self) -> dict | None:
        """Take back this session's last decision (removed from overrides.csv); None if none is left."""
        if not self.written:
            return None
        row = self.written.pop()
        coding.drop_override(self.overrides_path, row)
        self.refresh()
        return row

    # ------------------------------------------------------------------ view

    def theme_colours(self) -> dict[str, str]:
        """Theme id -> colour from the one palette (codebook order, then others by id)."""
        return dict(self._colours)

    def widget(self) -> Any:
        """The ipywidgets reviewer over this session (see ``review.view``)."""
        from helpers.review.view import review_widget

        return review_widget(self)
