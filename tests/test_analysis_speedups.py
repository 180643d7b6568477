"""Rewrites of analysis steps for scale (issue 15) against the code they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import report_testdata as td

from helpers import analysis
from helpers.analysis.themes import _pair_respondents, _pair_respondents_join


def _pair_respondents_reference(rows: pd.DataFrame, themes: list[str]) -> np.ndarray:
    """The string self-join ``cooccurrence`` used before (session 8)."""
    one = rows[["respondent_id", "question_id", "theme_id"]].drop_duplicates()
    both = one.merge(one, on=["respondent_id", "question_id"], suffixes=("_a", "_b"))
    counts = (
        both.drop_duplicates(["theme_id_a", "theme_id_b", "respondent_id"])
        .groupby(["theme_id_a", "theme_id_b"])
        .size()
    )
    grid = np.zeros((len(themes), len(themes)), dtype="int64")
    if len(counts):
        at = pd.Index(themes)
        a = at.get_indexer(counts.index.get_level_values(0).astype(str))
        b = at.get_indexer(counts.index.get_level_values(1).astype(str))
        grid[a, b] = counts.to_numpy()
    return grid


def _random_rows(rng: np.random.Generator, n: int, themes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in rng.integers(0, max(1, n // 4), n)],
            "question_id": [f"q{i}" for i in rng.integers(1, 4, n)],
            "theme_id": [themes[i] for i in rng.integers(0, len(themes), n)],
        }
    ).astype("string")


def test_pair_respondents_equals_the_string_self_join():
    rng = np.random.default_rng(7)
    themes = ["housing", "records", "support", "mental_health", "staff"]
    for n in (0, 1, 2, 5, 40, 500, 3000):
        for subset in (themes, themes[:1], themes[::-1]):
            rows = _random_rows(rng, n, subset)
            got = _pair_respondents(rows, themes)
            want = _pair_respondents_reference(rows, themes)
            np.testing.assert_array_equal(got, want)
            assert got.dtype == np.int64


def test_pair_respondents_bit_masks_and_join_agree_on_many_themes():
    """64 themes take the bit-mask path (every bit of a uint64 used); 70 the self-join."""
    rng = np.random.default_rng(11)
    for n_themes in (63, 64, 70):
        themes = [f"t{k}" for k in range(n_themes)]
        for n in (1, 30, 2000):
            rows = _random_rows(rng, n, themes)
            want = _pair_respondents_reference(rows, themes)
            np.testing.assert_array_equal(_pair_respondents(rows, themes), want)
            np.testing.assert_array_equal(_pair_respondents_join(rows, themes), want)


def test_cooccurrence_on_the_toy_report_data():
    codes = td.codes()
    m = analysis.cooccurrence(codes, td.CODEBOOK)
    r = analysis.raised(codes)
    themes = list(m.index)
    want = _pair_respondents_reference(r[r["theme_id"].isin(themes)], themes)
    np.testing.assert_array_equal(m.to_numpy(), want)
    # the diagonal: respondents raising the theme at all
    for t in themes:
        assert m.loc[t, t] == r.loc[r["theme_id"] == t, "respondent_id"].nunique()
    for q in ("q1", "q2"):
        mq = analysis.cooccurrence(codes, td.CODEBOOK, q)
        rq = r[(r["question_id"] == q) & r["theme_id"].isin(themes)]
        np.testing.assert_array_equal(mq.to_numpy(), _pair_respondents_reference(rq, themes))


def _sides_reference(c: pd.DataFrame, st: pd.DataFrame, closed: set[str]) -> list[str]:
    """``synthesis._sentences``' side column as it was before (a dict look-up per sentence)."""
    from helpers.analysis.synthesis import ALL_SIDES, NEITHER, SIDES

    stance = {}
    if not st.empty:
        stance = dict(
            zip(
                zip(st["respondent_id"].astype(str), st["question_id"].astype(str), strict=True),
                st["stance"],
                strict=True,
            )
        )
    return [
        SIDES.get(stance.get((r, q)), NEITHER) if q in closed else ALL_SIDES
        for r, q in zip(c["respondent_id"], c["question_id"], strict=True)
    ]


def test_synthesis_sides_equal_the_per_sentence_lookup():
    from helpers.analysis.synthesis import _sides

    rng = np.random.default_rng(3)
    values = ["agree", "strongly_disagree", "neither", "dont_know", None, "disagree"]
    for n in (0, 1, 50, 2000):
        c = _random_rows(rng, n, ["t"])[["respondent_id", "question_id"]].astype(str)
        st = _random_rows(rng, max(1, n // 2), ["t"])[["respondent_id", "question_id"]]
        st = st.assign(stance=pd.Series([values[i] for i in rng.integers(0, 6, len(st))]))
        st = st.astype({"stance": "string"})
        for closed in (set(), {"q1"}, {"q1", "q2", "q3"}):
            for stances in (st, st.iloc[:0]):
                got = _sides(c, stances, closed).tolist()
                assert got == _sides_reference(c, stances, closed)
