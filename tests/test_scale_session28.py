"""Session 28 (issue 15, memory): campaign detection takes each question's texts when it
reaches the question, instead of holding every answer's text again (the units table, and
a sorted copy of it made by ``groupby`` iteration) for the whole question loop.

Every text must be the one ``comparison_units`` gave, every question's rows the ones
``groupby("question_id", sort=False)`` gave, and so the copies table the same: checked on
the real answers of the identical-table fixtures (spent sets and the generator), in table
order and shuffled, and by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core import schemas
from helpers.core.arrowmemory import trim_heap
from helpers.ingest import campaigns
from helpers.ingest.copyunits import UnitTexts, comparison_units, unit_rows

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "identical"
SETS = ["ofsted-docs", "transport", "ofsted-survey", "generated"]


def _tables(name: str, shuffle: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    a = pd.read_parquet(FIXTURES / name / "answers.parquet")
    r = pd.read_parquet(FIXTURES / name / "respondents.parquet")
    if shuffle:  # rows out of document order, and some respondents left out
        a = a.sample(frac=1.0, random_state=5)
        r = r.iloc[1::2]
    return r, a


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("shuffle", [False, True])
def test_texts_taken_per_question_are_comparison_units(name, shuffle):
    r, a = _tables(name, shuffle)
    whole = comparison_units(r, a)
    units, text_of = unit_rows(r, a)
    pd.testing.assert_frame_equal(units, whole.drop(columns="text"))
    several = 0
    for (qid, g), (qid2, at) in zip(
        whole.groupby("question_id", sort=False),
        campaigns._question_rows(units),
        strict=True,
    ):
        assert qid == qid2
        assert g.index.tolist() == at.tolist()  # the same rows, in table order
        got = units.iloc[at].assign(text=text_of(at))
        pd.testing.assert_frame_equal(got, g)
        several += int(got["text"].str.contains("\n\n", regex=False).sum())
    if name in ("ofsted-docs", "transport"):
        assert several > 0, "documents' answers of several segments are joined"


def test_unit_texts_by_hand():
    """r1 answers q1 in two segments (joined as paragraphs, in document order), r2's q1
    text is missing (""), r1's q2 is one segment; units are in (respondent, start) order."""
    a = pd.DataFrame(
        {
            "respondent_id": ["r2", "r1", "r1", "r1"],
            "question_id": ["q1", "q1", "q2", "q1"],
            "question_number": [1, 1, 2, 1],
            "start": [0, 30, 10, 0],
            "answer_text": [None, "Second para.", "Own q2.", "First para."],
        }
    ).astype({"answer_text": "string"})
    r = pd.DataFrame({"respondent_id": ["r1", "r2"], "text": ["x", "y"]})
    units, text_of = unit_rows(r, a)
    assert units[["respondent_id", "question_id"]].values.tolist() == [
        ["r1", "q1"],
        ["r1", "q2"],
        ["r2", "q1"],
    ]
    assert list(text_of(np.array([2, 0]))) == ["", "First para.\n\nSecond para."]
    assert list(text_of(np.array([1]))) == ["Own q2."]
    assert [(q, at.tolist()) for q, at in campaigns._question_rows(units)] == [
        ("q1", [0, 2]),
        ("q2", [1]),
    ]


def test_no_answers_compares_whole_responses():
    r = pd.DataFrame({"respondent_id": ["a", "b"], "text": ["One text.", None]})
    units, text_of = unit_rows(r, None)
    assert units["question_id"].tolist() == [schemas.WHOLE_RESPONSE] * 2
    assert list(text_of(np.array([1, 0]))) == ["", "One text."]
    assert comparison_units(r, None)["text"].tolist() == ["One text.", ""]


@pytest.mark.parametrize("name", ["ofsted-survey", "generated", "transport"])
def test_copies_table_is_the_one_from_whole_units(name, monkeypatch):
    """Detection with texts taken per question finds what it finds when every unit's text is
    made at once and questions come from ``groupby`` (the release's way)."""
    r = pd.read_parquet(FIXTURES / name / "respondents.parquet")
    a = pd.read_parquet(FIXTURES / name / "answers.parquet")
    got = campaigns.detect_copies(r, answers=a)

    def whole_units(respondents, answers, skip):
        units = comparison_units(respondents, answers, skip)
        return units.drop(columns="text"), UnitTexts.of_values(units["text"].array)

    def by_groupby(units):
        for qid, g in units.groupby("question_id", sort=False):
            yield qid, g.index.to_numpy()

    monkeypatch.setattr(campaigns, "unit_rows", whole_units)
    monkeypatch.setattr(campaigns, "_question_rows", by_groupby)
    want = campaigns.detect_copies(r, answers=a)
    pd.testing.assert_frame_equal(got, want)
    if name == "generated":
        assert got["copy_group"].nunique() >= 2  # the generator writes campaign copies


def test_trim_heap_is_looked_up_once():
    from helpers.core import arrowmemory

    assert trim_heap() is True  # glibc (the test machine's C library)
    assert arrowmemory._malloc_trim() is arrowmemory._malloc_trim()


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("dtype", ["string", object])
def test_normalised_by_position_is_the_map(name, dtype):
    """``_normalised`` (each unit its distinct text's position) gives the frame the dict and
    ``Series.map`` gave: the same rows, strings and dtype, per question."""
    from helpers.ingest.campaign_cluster import _normalised, _normalised_by_map

    r, a = _tables(name, False)
    units = comparison_units(r, a)
    units["text"] = units["text"].astype(dtype)
    kept = 0
    for _, g in units.groupby("question_id", sort=False):
        got, want = _normalised(g, 40), _normalised_by_map(g, 40)
        pd.testing.assert_frame_equal(got, want)
        kept += len(got)
    assert kept > 20


def test_flat_by_unit_shares_one_string_per_text():
    distinct = pd.DataFrame(
        {"text": pd.array(["one two\nthree", "four"], dtype="str")}, index=[b"k1", b"k2"]
    )
    keys = pd.Series([b"k2", b"k1", b"k2"])
    got = campaigns._flat_by_unit(distinct, keys)
    assert got == distinct["text"].map(campaigns.flat).reindex(keys).tolist()
    assert got == ["four", "one two three", "four"]
    assert got[0] is got[2]


def test_pair_table_is_the_dict_of_counters():
    """``passages.passage_pairs``' arrays read as the dict of Counters it used to return, on
    the generated fixture's answers (every question's normalised texts)."""
    from collections import Counter

    from helpers.ingest import passages
    from helpers.ingest.campaigns import normalise
    from helpers.ingest.minhash import BUCKET_CAP, bucket_pairs

    a = pd.read_parquet(FIXTURES / "generated" / "answers.parquet")
    met = 0
    for _, g in a.groupby("question_id", sort=True):
        texts = list(dict.fromkeys(normalise(t) for t in g["answer_text"].fillna("") if t))
        owner, codes = passages.window_codes(texts, passages.windows)
        if len(set(owner.tolist())) < 2:
            continue
        want = {hi: Counter(los) for hi, los in bucket_pairs(owner, codes, BUCKET_CAP).items()}
        got = passages.passage_pairs(texts)
        assert got == want
        assert sorted(got) == sorted(want) and len(got) == len(want)
        for hi in list(want)[:50]:
            assert got[hi] == want[hi] and got.get(hi) == want[hi]
        assert got.get(-1) is None
        met += sum(len(c) for c in want.values())
    assert met > 100


def test_pair_table_by_hand():
    from helpers.ingest.passages import PairTable

    table = PairTable(np.array([1, 3, 3]), np.array([0, 0, 2]), np.array([2, 1, 5]))
    assert list(table) == [1, 3] and len(table) == 2
    assert table[3] == {0: 1, 2: 5} and table[1] == {0: 2}
    assert 2 not in table and table.get(2) is None
