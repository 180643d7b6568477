"""The counting rules every analysis table follows, and the small helpers that apply them.

Applied everywhere so that tables, charts and report agree:

* A respondent *answered* a question when they have an answer segment for it
  with substantive text (``answers.substantive``; "No comment", "N/A" and blank
  text are not), or a tick-box answer, or a stance other than ``not_answered``
  for a closed question (:func:`answered`).
* A respondent gave *no substantive answer* to a question when they wrote
  something under it, all of it a non-answer ("No comment", "Nothing to
  add"), and did not answer it in the sense above (:func:`non_substantive`).
  They are counted separately: neither answering nor silent.
* A respondent *raised* a theme in a question when at least one code row for
  that (respondent, question, theme) has ``negated == False`` (:func:`raised`).
  Negated matches ('we do not think housing…') are evidence the coder saw, not
  a theme raised.
* Percentages of a question are of the respondents who answered that
  question; people who did not answer are reported separately, never hidden
  in the base (:func:`percent_of`).
* Individuals are never named: attributions use the organisation's name, or a
  stable 'Respondent N' numbered in respondent-id order (``quotes.attributions``).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from helpers.analysis.inputs import written_answers
from helpers.core.schemas import (
    RESPONDENT_TYPE_LABELS,
    RESPONDENT_TYPES,
    STANCES,
    counted_codes,
    substantive_answers,
)

ALL = "all"  # the group value of overall rows in by-type tables
ANSWERED_STANCES = tuple(s for s in STANCES if s != "not_answered")
INDIVIDUAL = "individual"


def theme_frame(codebook: Any) -> pd.DataFrame:
    """The codebook's themes as a frame: id, label, description, parent, questions (in codebook order).

    Accepts a ``codebook.Codebook`` (``.themes`` of objects with id/label/…),
    a list of such objects or dicts, or a DataFrame with those columns.
    """
    if isinstance(codebook, pd.DataFrame):
        df = codebook.copy()
    else:
        rows = []
        for t in getattr(codebook, "themes", codebook):
            get = t.get if isinstance(t, dict) else (lambda k, _t=t: getattr(_t, k, None))
            qs = get("questions")
            rows.append(
                {
                    "id": get("id"),
                    "label": get("label") or get("id"),
                    "description": get("description") or "",
                    "parent": get("parent"),
                    "questions": tuple(qs) if qs else (),
                }
            )
        df = pd.DataFrame(rows, columns=["id", "label", "description", "parent", "questions"])
    for col, default in (("description", ""), ("parent", None), ("questions", ())):
        if col not in df.columns:
            df[col] = [default] * len(df)
    df["label"] = df["label"].fillna(df["id"])
    return df.reset_index(drop=True)


# Results of raised() and answered() within a ``computed_once`` block, by the frames' ids.
_ONCE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("counting_once", default=None)


@contextlib.contextmanager
def computed_once() -> Iterator[None]:
    """Inside this block :func:`raised` and :func:`answered` of the same frame objects are
    computed once and copies handed out.

    A report asks for them once per question, table and chart (``raised`` about 14 times
    at 10,000 respondents, a groupby over every code each time; issue 15). Only for
    code that does not change the frames in place while the block is open (the analysis
    tables, the charts, ``build_report``). Nested blocks share the outer one's results.
    """
    if _ONCE.get() is not None:
        yield
        return
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def _once(kind: str, frames: tuple, compute: Callable[[], Any], copy: bool = True) -> Any:
    """``compute()``, or (a copy of) its result for the same ``frames`` in a computed_once block."""
    memo = _ONCE.get()
    if memo is None:
        return compute()
    key = (kind, *(id(f) for f in frames))
    hit = memo.get(key)
    # The frames are held with the result, so their ids cannot be reused while it is kept.
    if hit is None or any(a is not b for a, b in zip(hit[0], frames, strict=True)):
        hit = memo[key] = (frames, compute())
    return hit[1].copy() if copy else hit[1]


def theme_codes(
    codes: pd.DataFrame,
    theme_id: str,
    question_id: str | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """The counted codes (``counted_codes``) of one theme, and of one question if given.

    The rows of ``c[c["theme_id"] == theme_id]``, in the same order with the same
    index. Inside :func:`computed_once` the counted codes are split by theme once: a
    report picks quotes per theme and question, and filtering every code for each
    (about 100 times) was linear in the codes each time (issue 15). ``columns``: only
    these columns (they must include ``question_id`` when it is given), so the rows
    taken are not every column of the codes (a report's quotes read five).
    """
    if _ONCE.get() is None:
        c = counted_codes(codes)
        c = c[c["theme_id"] == theme_id] if len(c) else c
        c = c if columns is None else c[columns]
    else:
        kept, rows = _once("theme_codes", (codes,), lambda: _by_theme(codes), copy=False)
        kept = kept if columns is None else kept[columns]
        at = rows.get(theme_id)
        c = kept.iloc[at] if at is not None else kept.iloc[0:0]
    return c[c["question_id"] == question_id] if question_id is not None and len(c) else c


def _by_theme(codes: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Counted codes and each theme's row positions in them (in row order)."""
    kept = counted_codes(codes)
    return kept, (kept.groupby("theme_id", sort=False).indices if len(kept) else {})


def raised(codes: pd.DataFrame) -> pd.DataFrame:
    """Distinct (respondent_id, question_id, theme_id) with a non-negated code, plus mentions.

    ``mentions`` counts distinct evidence spans (start, end), so one sentence
    matching two patterns of a theme is one mention. Computed once per frame inside
    :func:`computed_once`.
    """
    return _once("raised", (codes,), lambda: _raised(codes))


def _raised(codes: pd.DataFrame) -> pd.DataFrame:
    cols = ["respondent_id", "question_id", "theme_id", "mentions"]
    if codes.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "mentions" else "string") for c in cols}
        )
    # Only the key columns are filtered (issue 15: taking every column of 2.3 M codes,
    # quotes included, was most of the cost at 100,000 respondents).
    key = ["respondent_id", "question_id", "theme_id", "start", "end"]
    kept = counted_codes(codes[[*key, "negated"]] if "negated" in codes else codes[key])
    spans = kept.drop_duplicates(key)
    out = (
        spans.groupby(["respondent_id", "question_id", "theme_id"], sort=True)
        .size()
        .rename("mentions")
        .reset_index()
    )
    out["mentions"] = out["mentions"].astype("int64")
    return out


def answered(answers: pd.DataFrame, stances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct (respondent_id, question_id) pairs the respondent answered (computed once
    per pair of frames inside :func:`computed_once`)."""
    return _once("answered", (answers, stances), lambda: _answered(answers, stances))


def _answered(answers: pd.DataFrame, stances: pd.DataFrame | None) -> pd.DataFrame:
    parts = []
    if not answers.empty:
        text = substantive_answers(answers)
        tick = (
            answers["tick_box"].fillna("").astype(str).str.strip() != ""
            if "tick_box" in answers
            else False
        )
        parts.append(answers.loc[text | tick, ["respondent_id", "question_id"]])
    if stances is not None and not stances.empty:
        parts.append(
            stances.loc[stances["stance"] != "not_answered", ["respondent_id", "question_id"]]
        )
    return _pairs(parts)


def non_substantive(answers: pd.DataFrame, stances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct (respondent_id, question_id) pairs with only a non-answer ("No comment").

    Pairs with non-blank text under the question, none of it substantive, and
    not answered by :func:`answered` (no tick box, no stance): so a
    respondent is in at most one of the two.
    """
    if answers.empty:
        return _pairs([])
    written = written_answers(answers)
    said = answers.loc[written & ~substantive_answers(answers), ["respondent_id", "question_id"]]
    got = answered(answers, stances)
    keys = set(zip(got["respondent_id"], got["question_id"], strict=True))
    keep = [
        (r, q) not in keys for r, q in zip(said["respondent_id"], said["question_id"], strict=True)
    ]
    return _pairs([said[keep]])


def _pairs(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The distinct (respondent_id, question_id) pairs of ``parts``, sorted, as strings."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(
            {"respondent_id": pd.Series(dtype="string"), "question_id": pd.Series(dtype="string")}
        )
    out = pd.concat(parts).drop_duplicates().astype("string")
    return out.sort_values(["respondent_id", "question_id"]).reset_index(drop=True)


def theme_labels(codebook: Any) -> dict[str, str]:
    """theme id -> label."""
    t = theme_frame(codebook)
    return dict(zip(t["id"], t["label"], strict=True))


def theme_applies(theme_questions: tuple, question_id: str) -> bool:
    """Whether a theme (its ``questions`` from :func:`theme_frame`) is counted in a question."""
    # Works on theme_frame's ``questions`` column (frames and dicts have no Theme.applies_to).
    # Unlike Theme.applies_to, 'unstructured' is not treated as every question here.
    return not theme_questions or question_id in theme_questions


def type_order(types: Iterable[str]) -> list[str]:
    """Respondent types in schemas.RESPONDENT_TYPES order, unknown types after, sorted."""
    present = set(types)
    known = [t for t in RESPONDENT_TYPES if t in present]
    return known + sorted(present - set(known))


def type_label(respondent_type: str) -> str:
    """'charity_voluntary' -> 'Charity or voluntary organisation'."""
    return RESPONDENT_TYPE_LABELS.get(
        respondent_type, str(respondent_type).replace("_", " ").capitalize()
    )


def group_order(values: Iterable[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Groups of a breakdown in display order: ``labels``' order (None: respondent types)."""
    if labels is None:
        return type_order(values)
    present = set(values)
    known = [v for v in labels if v in present]
    return known + sorted(present - set(known))


def group_label(value: str, labels: Mapping[str, str] | None = None) -> str:
    """A group's label: from ``labels`` (an attribute's), else a respondent type's."""
    return type_label(value) if labels is None else labels.get(value, str(value))


def percent_of(k: pd.Series | float, n: pd.Series | float) -> pd.Series | float:
    """Percentage, NaN where the base is zero."""
    if isinstance(n, pd.Series):
        return (100.0 * k / n.where(n > 0)).astype("float64")
    return float("nan") if not n else 100.0 * k / n
