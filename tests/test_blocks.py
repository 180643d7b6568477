"""Coding and stance read a block of respondents (or answers) at a time: the same tables.

Issue 15 (session 14): ``stance_answers`` reads ``block_respondents`` respondents at a
time and ``code_answers`` codes ``block_answers`` answers at a time with only their
respondents' texts, so their memory is flat in the number of respondents. A block size
smaller than the data must give exactly the table one block gives, and the table the
identical-table fixtures pin (``tests/fixtures/identical``: three development sets as
ingested, and a generated corpus).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.generate import default_paths
from helpers.coding.codebook import load_codebook
from helpers.coding.runner import RespondentTexts, code_answers, uncoded
from helpers.core.blocks import respondent_blocks
from helpers.core.consultation import load_consultation
from helpers.stance import stance_answers

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "identical"
SETS = ("ofsted-survey", "ofsted-docs", "transport", "generated")


def _paths(name: str) -> tuple[Path, Path]:
    if name == "generated":
        return default_paths()
    folder = ROOT / "data" / "evaluation" / name
    return folder / "consultation.yaml", folder / "codebook.yaml"


@pytest.fixture(scope="module", params=SETS)
def case(request):
    folder = FIXTURES / request.param
    consultation_path, codebook_path = _paths(request.param)
    consultation = load_consultation(consultation_path)
    codebook = load_codebook(codebook_path, consultation=consultation)
    answers = pd.read_parquet(folder / "answers.parquet")
    respondents = pd.read_parquet(folder / "respondents.parquet")
    return folder, consultation, codebook, answers, respondents


def test_respondent_blocks_cut_in_table_order_keeping_answer_order():
    respondents = pd.DataFrame({"respondent_id": ["a", "b", "c", "d", "e"], "text": list("12345")})
    # Answers out of respondent order, one of a respondent not in the table, one without id.
    answers = pd.DataFrame(
        {
            "respondent_id": pd.array(["c", "a", "x", "b", "a", None, "e", "c"], dtype="str"),
            "k": range(8),
        }
    )
    got = [(a["k"].tolist(), r["respondent_id"].tolist())
           for a, r in respondent_blocks(answers, respondents, 2)]  # fmt: skip
    assert got == [([1, 3, 4], ["a", "b"]), ([0, 7], ["c", "d"]), ([6], ["e"])]
    # One block as given: small enough, or ids repeat.
    [(a, r)] = respondent_blocks(answers, respondents, 5)
    assert a is answers and r is respondents
    twice = pd.concat([respondents, respondents.iloc[:1]], ignore_index=True)
    assert len(list(respondent_blocks(answers, twice, 2))) == 1
    with pytest.raises(ValueError):
        list(respondent_blocks(answers, respondents, 0))


def test_respondent_texts_give_only_the_asked_texts_as_a_dict_would():
    ids = pd.Series(["a", "b", "a", "c"])
    texts = pd.Series(["one", "two", "three", "four"], dtype="str")
    got = RespondentTexts(ids, texts)
    assert got.of(["c", "a", "c"]) == {"c": "four", "a": "three"}  # the last "a" wins
    assert got.every() == dict(zip(ids, texts, strict=True))
    assert got.first_missing(["a", "z", "y"]) == "z"
    assert got.first_missing(["a", "b"]) is None


@pytest.mark.parametrize("size", [1, 3, 17])
def test_stances_read_in_blocks_are_the_fixture_table(case, size):
    folder, consultation, _, answers, respondents = case
    expected = pd.read_parquet(folder / "stances.parquet")
    got = stance_answers(answers, respondents, consultation, block_respondents=size)
    assert len(respondents) > size  # several blocks
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("size", [1, 5, 40])
def test_codes_in_blocks_are_the_fixture_table(case, size):
    folder, consultation, codebook, answers, respondents = case
    expected = pd.read_parquet(folder / "codes.parquet")
    got = code_answers(answers, respondents, codebook, consultation, block_answers=size)
    assert len(answers) > size
    pd.testing.assert_frame_equal(got, expected)
    missing = uncoded(answers, got, codebook, consultation)
    pd.testing.assert_frame_equal(missing, pd.read_parquet(folder / "uncoded.parquet"))
