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
