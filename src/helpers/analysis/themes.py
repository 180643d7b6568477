"""Themes: how many respondents raised each, by respondent type, together, and who raised which.

A theme counts once per respondent (in a question, or anywhere), however many
sentences matched it; ``mentions`` counts distinct evidence spans. Ties keep
codebook order, so every table is deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from helpers.analysis.counting import (
    answered,
    group_order,
    percent_of,
    raised,
    theme_applies,
    theme_frame,
)
from helpers.analysis.quotes import attributions
from helpers.core.uniq import unique_ints

if TYPE_CHECKING:
    from helpers.analysis.inputs import AnalysisInputs

log = logging.getLogger(__name__)


def theme_frequencies(
    codes: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
    stances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How many respondents raised each theme, most frequent first.

    With ``question_id``: of respondents who answered that question (themes
    whose ``questions`` list excludes it are left out). Without: across all
    questions, of all respondents with any answer. Columns: theme_id, label,
    parent, n_respondents, percent, mentions, base (respondents in the
    denominator). Ties keep codebook order, so output is deterministic.
    """
    themes = theme_frame(codebook)
    r = raised(codes)
    got = answered(answers, stances)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
        base = got.loc[got["question_id"] == question_id, "respondent_id"].nunique()
        themes = themes[[theme_applies(q, question_id) for q in themes["questions"]]]
    else:
        base = got["respondent_id"].nunique()
    # Someone coded in a question counts as answering it even if segmentation disagrees.
    base = max(base, r["respondent_id"].nunique())
    per = r.groupby("theme_id").agg(
        n_respondents=("respondent_id", "nunique"), mentions=("mentions", "sum")
    )
    df = themes[["id", "label", "parent"]].rename(columns={"id": "theme_id"}).copy()
    df["order"] = range(len(df))
    df["n_respondents"] = df["theme_id"].map(per["n_respondents"]).fillna(0).astype("int64")
    df["mentions"] = df["theme_id"].map(per["mentions"]).fillna(0).astype("int64")
    df["base"] = int(base)
    df["percent"] = [percent_of(k, base) for k in df["n_respondents"]]
    unknown = sorted(set(per.index) - set(themes["id"]))
    if unknown:
        log.warning("codes name theme(s) not in the codebook, left out of the table: %s", unknown)
    df = df.sort_values(["n_respondents", "mentions", "order"], ascending=[False, False, True])
    cols = ["theme_id", "label", "parent", "n_respondents", "percent", "mentions", "base"]
    return df[cols].reset_index(drop=True)


def theme_by_type(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
    answers: pd.DataFrame | None = None,
    percent: bool = False,
    by: str = "respondent_type",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Theme × respondent type (or ``by``): respondents of each type raising each theme.

    Index: theme_id (codebook order); columns: respondent types present (in
    schemas order), values are counts, or with ``percent=True`` the percentage
    of that type's respondents (who answered ``question_id`` when ``answers``
    is given). ``df.attrs['base']`` holds the base per type. With ``by``
    another column of ``respondents`` (``breakdowns.breakdown_by`` adds an
    attribute's), the columns are its values, in ``labels``' order.
    """
    themes = theme_frame(codebook)
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
        themes = themes[[theme_applies(q, question_id) for q in themes["questions"]]]
    types = respondents.set_index(respondents["respondent_id"].astype(str))[by].astype(str)
    order = group_order(types, labels)
    r = r.assign(**{by: r["respondent_id"].astype(str).map(types)})
    counts = (
        r.groupby(["theme_id", by])["respondent_id"].nunique().unstack(fill_value=0)
        if not r.empty
        else pd.DataFrame()
    )
    counts = (
        counts.reindex(index=list(themes["id"]), columns=order, fill_value=0)
        .fillna(0)
        .astype("int64")
    )
    counts.index.name = "theme_id"
    counts.columns.name = by
    if question_id is not None and answers is not None:
        ids = answered(answers).query("question_id == @question_id")["respondent_id"]
        ids = set(ids) | set(r["respondent_id"])
        base = types[types.index.isin(ids)].value_counts()
    else:
        base = types.value_counts()
    base = base.reindex(order, fill_value=0).astype("int64")
    if percent:
        counts = (100.0 * counts / base.where(base > 0)).astype("float64")
    counts.attrs["base"] = base.to_dict()
    return counts


def _pair_respondents(rows: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """Theme x theme: distinct respondents with both themes in one answer (``rows``:
    respondent_id, question_id, theme_id, every theme one of ``themes``).

    Each answer's themes become one bit mask (codebooks of up to 64 themes); the
    distinct (respondent, mask) rows, sorted by respondent, are tested once per theme
    pair that occurs, and a respondent counts once a pair (issue 15: the self-join of
    every answer's themes, then a sort of every (pair, respondent), was 14 % of the
    analysis stage at 100,000 respondents, run twice: tables and charts). Larger
    codebooks keep the self-join (:func:`_pair_respondents_join`), which gives the
    same grid.
    """
    n = len(themes)
    if rows.empty:
        return np.zeros((n, n), dtype="int64")
    theme = pd.Index(themes).get_indexer(rows["theme_id"].astype(str))
    if n > 64 or (theme < 0).any():
        return _pair_respondents_join(rows, themes)
    answer = rows.groupby(["respondent_id", "question_id"], sort=False).ngroup().to_numpy()
    who = pd.factorize(rows["respondent_id"])[0]
    masks = np.zeros(int(answer.max()) + 1, dtype=np.uint64)
    np.bitwise_or.at(masks, answer, np.left_shift(np.uint64(1), theme.astype(np.uint64)))
    owner = np.zeros(len(masks), dtype=np.int64)
    owner[answer] = who
    order = np.lexsort((masks, owner))
    owner, masks = owner[order], masks[order]
    keep = np.ones(len(masks), dtype=bool)
    keep[1:] = (owner[1:] != owner[:-1]) | (masks[1:] != masks[:-1])
    owner, masks = owner[keep], masks[keep]
    grid = np.zeros((n, n), dtype="int64")
    bits = [((masks >> np.uint64(t)) & np.uint64(1)).astype(bool) for t in range(n)]
    for a in range(n):
        if not bits[a].any():
            continue
        for b in range(a, n):
            has = bits[a] & bits[b] if b != a else bits[a]
            w = owner[has]
            if len(w):
                grid[a, b] = grid[b, a] = 1 + int(np.count_nonzero(w[1:] != w[:-1]))
    return grid


def _pair_respondents_join(rows: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """:func:`_pair_respondents` by a self-join on integer codes (any number of themes)."""
    n = len(themes)
    answer = rows.groupby(["respondent_id", "question_id"], sort=False).ngroup().to_numpy()
    who = pd.factorize(rows["respondent_id"])[0]
    theme = pd.Index(themes).get_indexer(rows["theme_id"].astype(str))
    one = pd.DataFrame({"answer": answer, "who": who, "theme": theme}).drop_duplicates()
    both = one.merge(one, on="answer", suffixes=("_a", "_b"))
    n_who = int(who.max()) + 1
    pair = both["theme_a"].to_numpy(np.int64) * n + both["theme_b"].to_numpy(np.int64)
    # unique_ints: numpy 2.4's bare np.unique on integers hashes, ~6x slower here at 100k.
    distinct = unique_ints(pair * n_who + both["who_a"].to_numpy(np.int64))
    return np.bincount(distinct // n_who, minlength=n * n).reshape(n, n).astype("int64")


def cooccurrence(
    codes: pd.DataFrame, codebook: Any, question_id: str | None = None
) -> pd.DataFrame:
    """Theme × theme: respondents in whom both themes occur in the same question.

    The diagonal is the number of respondents raising the theme at all (in the
    question, or in any question). Index and columns are codebook theme ids.
    """
    themes = list(theme_frame(codebook)["id"])
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
    r = r[r["theme_id"].isin(themes)]
    grid = _pair_respondents(r[["respondent_id", "question_id", "theme_id"]], themes)
    m = pd.DataFrame(grid, index=themes, columns=themes)
    m.index.name = "theme_id"
    return m


def respondent_theme_matrix(
    codes: pd.DataFrame,
    respondents: pd.DataFrame,
    codebook: Any,
    question_id: str | None = None,
) -> pd.DataFrame:
    """Respondent × theme: 1 when the respondent raised the theme (in the question, or anywhere).

    Index: respondent_id (sorted); first columns attribution and respondent_type,
    then one int column per codebook theme in codebook order.
    """
    themes = list(theme_frame(codebook)["id"])
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
    ids = sorted(respondents["respondent_id"].astype(str))
    index = pd.Index(ids, name="respondent_id")
    if not index.is_unique:
        raise ValueError("respondents: duplicate respondent_id; re-run ingest")
    # One vectorised assignment (issue 15): setting cells one ``.loc`` at a time cost
    # milliseconds per code, minutes for 100,000 respondents. Theme ids are unique
    # (the codebook is validated on load).
    grid = np.zeros((len(ids), len(themes)), dtype="int64")
    rows = index.get_indexer(r["respondent_id"].astype(str))
    cols = pd.Index(themes).get_indexer(r["theme_id"].astype(str))
    keep = (rows >= 0) & (cols >= 0)  # respondents and themes the tables know
    grid[rows[keep], cols[keep]] = 1
    m = pd.DataFrame(grid, index=index, columns=themes)
    meta = respondents.set_index(respondents["respondent_id"].astype(str))
    m.insert(0, "respondent_type", meta["respondent_type"].reindex(ids).astype("string"))
    m.insert(0, "attribution", attributions(respondents).reindex(ids))
    return m


def n_cooccurring(codes: pd.DataFrame) -> int:
    """Respondents who raised two or more themes in the same answer: the co-occurrence
    chart's real base (anyone else adds only to its diagonal)."""
    r = raised(codes)
    if r.empty:
        return 0
    per_answer = r.groupby(["respondent_id", "question_id"])["theme_id"].nunique()
    return int(per_answer[per_answer >= 2].reset_index()["respondent_id"].nunique())


def respondent_themes(
    codes: pd.DataFrame, respondents: pd.DataFrame, codebook: Any
) -> pd.DataFrame:
    """A row per respondent, question and theme they raised there (negated mentions excluded).

    The per-respondent detail the report leaves to the workbook (issue 16.5): its
    length grows with respondents, so it is a sheet, not a page. Columns:
    respondent_id, attribution, respondent_type, question_id, theme_id, theme (label);
    sorted by respondent, question and the codebook's theme order.
    """
    cols = ["respondent_id", "attribution", "respondent_type", "question_id", "theme_id", "theme"]
    frame = theme_frame(codebook)
    order = {t: i for i, t in enumerate(frame["id"])}
    labels = dict(zip(frame["id"], frame["label"], strict=True))
    r = raised(codes)
    if r.empty:
        return pd.DataFrame(columns=cols)
    out = (
        r[["respondent_id", "question_id", "theme_id"]]
        .astype(str)
        .drop_duplicates()
        .assign(order=lambda d: d["theme_id"].map(order).fillna(len(order)))
        .sort_values(["respondent_id", "question_id", "order"], kind="stable")
    )
    meta = respondents.set_index(respondents["respondent_id"].astype(str))
    out["attribution"] = out["respondent_id"].map(attributions(respondents))
    out["respondent_type"] = out["respondent_id"].map(meta["respondent_type"].astype(str))
    out["theme"] = out["theme_id"].map(labels)
    return out[cols].reset_index(drop=True)


def coded_questions(inputs: AnalysisInputs) -> list[str]:
    """Questions whose answers are reported with themes: open questions, then any
    other question (closed, unstructured…) in which some theme was coded."""
    qids = [q.id for q in inputs.consultation.open_questions]
    in_codes = set(raised(inputs.codes)["question_id"])
    extra = [q.id for q in inputs.consultation.questions if q.id in in_codes and q.id not in qids]
    specials = sorted(in_codes - set(inputs.consultation.question_ids))
    return [q for q in inputs.consultation.question_ids if q in set(qids) | set(extra)] + specials


def theme_methods(codes: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    """Per theme, respondents (and codes) that each coding method contributed.

    One row per theme (codebook order): theme_id, label, then ``n_<method>``
    (respondents with a counted code of that method: dictionary, semantic, ...,
    whatever the ``method`` column holds) and ``codes_<method>`` (code rows).
    A respondent coded by two methods counts under both.
    """
    from helpers.core.schemas import counted_codes

    themes = theme_frame(codebook)
    # Only the columns read are filtered (issue 15).
    read = [k for k in ("respondent_id", "theme_id", "method", "negated") if k in codes.columns]
    c = counted_codes(codes[read]) if len(codes) else codes
    out = themes[["id", "label"]].rename(columns={"id": "theme_id"}).reset_index(drop=True)
    methods = sorted(c["method"].dropna().astype(str).unique()) if "method" in c else []
    for m in methods:
        part = c[c["method"].astype(str) == m]
        per = part.groupby("theme_id")["respondent_id"]
        out[f"n_{m}"] = out["theme_id"].map(per.nunique()).fillna(0).astype("int64")
        out[f"codes_{m}"] = out["theme_id"].map(per.size()).fillna(0).astype("int64")
    return out
