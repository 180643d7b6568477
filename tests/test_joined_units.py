"""``copyunits._joined_units`` takes Arrow strings, joining only units of several segments
(issue 15: the whole answer column as Python strings was ingest's largest allocation at
100,000 survey respondents). Compared with the object-array version it replaces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.ingest.copyunits import _joined_units

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "identical"


def _reference(a: pd.DataFrame) -> pd.DataFrame:
    code = a.groupby(["respondent_id", "question_id"], sort=False).ngroup().to_numpy()
    order = np.argsort(code, kind="stable")
    texts = a["answer_text"].fillna("").astype(str).to_numpy()[order]
    starts = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1]])
    ends = np.r_[starts[1:], len(order)]
    joined = texts[starts].copy()
    for k in np.flatnonzero(ends - starts > 1).tolist():
        joined[k] = "\n\n".join(texts[starts[k] : ends[k]])
    first = a.iloc[order[starts]]
    return pd.DataFrame(
        {
            "respondent_id": first["respondent_id"].to_numpy(),
            "question_id": first["question_id"].to_numpy(),
            "text": pd.array(joined, dtype=a["answer_text"].dtype),
        }
    )


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_units_with_several_segments_and_missing_text(dtype):
    a = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r1", "r3", "r2", "r1"],
            "question_id": ["q1", "q1", "q1", "q2", "q1", "q2"],
            "answer_text": ["First para.", None, "Second para.", "", "Late part.", "Own q2."],
        }
    ).astype({"answer_text": dtype})
    got = _joined_units(a)
    assert got.equals(_reference(a))
    assert got["text"].tolist() == ["First para.\n\nSecond para.", "\n\nLate part.", "", "Own q2."]


@pytest.mark.parametrize("name", ["ofsted-docs", "transport", "generated", "ofsted-survey"])
def test_real_answers_give_the_same_units(name):
    a = pd.read_parquet(FIXTURES / name / "answers.parquet")
    assert _joined_units(a).equals(_reference(a))


def _reference_rows(answers: pd.DataFrame, ids: set, skip: set) -> pd.DataFrame:
    """The rows ``comparison_units`` joins, as it chose them before session 13 (a copy of the
    answers, then each filter and the sort, each a copy of the text)."""
    from helpers.core import schemas

    a = answers[answers["respondent_id"].astype(str).isin(ids)].copy()
    a["respondent_id"] = a["respondent_id"].astype(str)
    a["question_id"] = a["question_id"].astype(str)
    a = a[~a["question_id"].isin([schemas.PREAMBLE, schemas.CLOSING, *skip])]
    if "substantive" in a:
        a = a[a["substantive"].fillna(True).astype(bool)]
    a.loc[a["question_id"] == schemas.UNSTRUCTURED, "question_id"] = schemas.WHOLE_RESPONSE
    return a.sort_values(["respondent_id", "start"], kind="stable")


@pytest.mark.parametrize("name", ["ofsted-docs", "transport", "ofsted-survey"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_comparison_units_take_the_same_rows_once(name, shuffle):
    from helpers.core import schemas
    from helpers.ingest.copyunits import comparison_units

    a = schemas.conform(pd.read_parquet(FIXTURES / name / "answers.parquet"), schemas.ANSWERS)
    r = pd.read_parquet(FIXTURES / name / "respondents.parquet")
    if shuffle:  # rows out of document order, and some respondents left out
        a = a.sample(frac=1.0, random_state=3)
        r = r.iloc[::2]
    ids = set(r["respondent_id"].astype(str))
    skip = {str(a["question_id"].iloc[0])}  # a question left out, as profile questions are
    units = comparison_units(r, a, skip)
    expected = _joined_units(_reference_rows(a, ids, skip))
    pd.testing.assert_frame_equal(units.drop(columns="rank"), expected)
    assert len(units) and not units["question_id"].isin(skip).any()
