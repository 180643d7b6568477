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


@pytest.mark.parametrize("size", [1, 17])
def test_stances_read_in_blocks_are_the_fixture_table(case, size):
    folder, consultation, _, answers, respondents = case
    expected = pd.read_parquet(folder / "stances.parquet")
    got = stance_answers(answers, respondents, consultation, block_respondents=size)
    assert len(respondents) > size  # several blocks
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("size", [1, 40])
def test_codes_in_blocks_are_the_fixture_table(case, size):
    folder, consultation, codebook, answers, respondents = case
    expected = pd.read_parquet(folder / "codes.parquet")
    got = code_answers(answers, respondents, codebook, consultation, block_answers=size)
    assert len(answers) > size
    pd.testing.assert_frame_equal(got, expected)
    missing = uncoded(answers, got, codebook, consultation)
    pd.testing.assert_frame_equal(missing, pd.read_parquet(folder / "uncoded.parquet"))


def test_trained_codes_in_blocks_are_the_one_block_codes():
    """The generated fixture with the default codebook's training answers (WordLlama)."""
    from helpers.coding import trained
    from helpers.core import embedding

    if not embedding.available(embedding.CODING_MODEL):
        pytest.skip("the embedding model is not installed")
    folder = FIXTURES / "generated"
    consultation_path, codebook_path = _paths("generated")
    consultation = load_consultation(consultation_path)
    codebook = load_codebook(codebook_path, consultation=consultation)
    assert codebook.training_answers is not None
    answers = pd.read_parquet(folder / "answers.parquet")
    respondents = pd.read_parquet(folder / "respondents.parquet")
    training = trained.read_training_answers(codebook.training_answers, codebook)
    args = (answers, respondents, codebook, consultation, training)
    whole = trained.decide_trained(*args, threshold=0.6, block_answers=10**9).codes
    assert len(whole) > 10  # a cut low enough that many answers are coded
    got = trained.decide_trained(*args, threshold=0.6, block_answers=7).codes
    pd.testing.assert_frame_equal(got, whole)


def _toy_trained_args(tmp_path, setting: str) -> tuple:
    """``decide_trained``'s arguments on a small ingested run, the codebook with ``setting``."""
    from test_trained import CODEBOOK, CONSULTATION, OTHER, PRICES, SAFE, _encode, _write_training

    from helpers.coding import trained
    from helpers.ingest import run_ingest

    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    on = CODEBOOK.replace("themes:", f"{setting}: true\nthemes:")
    (tmp_path / "codebook.yaml").write_text(on, encoding="utf-8")
    rows = [("r1", "hours", "safety", t) for t in SAFE] + [("r1", "hours", "", t) for t in OTHER]
    rows += [("r1", "cafe", "prices", t) for t in PRICES * 2]
    rows += [("r1", "cafe", "", t) for t in OTHER[:5]]
    _write_training(tmp_path / "earlier.csv", rows)
    responses = tmp_path / "responses"
    responses.mkdir()
    for k, text in enumerate(SAFE + OTHER + ["It is unsafe and dark, I am scared alone."]):
        (responses / f"r{k:02d}.txt").write_text(f"Question 1\n{text}\n", encoding="utf-8")
    result = run_ingest(responses, tmp_path / "consultation.yaml", tmp_path / "out")
    consultation = load_consultation(tmp_path / "consultation.yaml")
    codebook = load_codebook(tmp_path / "codebook.yaml", consultation=consultation)
    assert getattr(codebook, setting)
    training = trained.read_training_answers(codebook.training_answers, codebook)
    return (result.answers, result.respondents, codebook, consultation, training, _encode)


def test_trained_sentence_codes_in_blocks_are_the_one_block_codes(tmp_path):
    """Sentence classifiers on (``training_sentences``): their dictionary hits sliced per block."""
    from helpers.coding import trained

    args = _toy_trained_args(tmp_path, "training_sentences")
    whole = trained.decide_trained(*args, block_answers=10**9).codes
    assert len(whole) >= 3
    for size in (1, 2):
        pd.testing.assert_frame_equal(
            trained.decide_trained(*args, block_answers=size).codes, whole
        )


def test_stacked_decisions_in_blocks_are_the_one_block_decisions(tmp_path):
    """The stacker on (``training_stacker``): its codes and vetoes do not depend on the block."""
    from helpers.coding import trained

    args = _toy_trained_args(tmp_path, "training_stacker")
    whole = trained.decide_trained(*args, block_answers=10**9, alone=True)
    assert len(whole.codes) + len(whole.vetoed) >= 1
    for size in (1, 3):
        got = trained.decide_trained(*args, block_answers=size, alone=True)
        pd.testing.assert_frame_equal(got.codes, whole.codes)
        pd.testing.assert_frame_equal(got.vetoed, whole.vetoed)
        pd.testing.assert_frame_equal(got.alone, whole.alone)


def test_classifiers_alone_are_the_codes_without_the_stacker_and_span_them_with_it(tmp_path):
    """``Decisions.alone``: without the stacker the pairs of the codes; with it (which adds only
    what the dictionary lacks) every pair the blended classifiers raise, dictionary ones too."""
    from helpers.coding import trained

    def pairs(frame):
        return set(frame[["respondent_id", "question_id", "theme_id"]].itertuples(
            index=False, name=None))  # fmt: skip

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain_args = _toy_trained_args(tmp_path / "a", "training_sentences")
    plain = trained.decide_trained(*plain_args, alone=True)
    assert len(plain.codes) and pairs(plain.alone) == pairs(plain.codes)
    stacked_args = _toy_trained_args(tmp_path / "b", "training_stacker")
    stacked = trained.decide_trained(*stacked_args, alone=True)
    assert pairs(stacked.alone) == pairs(plain.alone)  # the same classifiers, the same cut
    # the pipeline's path does not build them (session 18): the same codes and vetoes
    for args, asked in ((plain_args, plain), (stacked_args, stacked)):
        default = trained.decide_trained(*args)
        assert not len(default.alone)
        pd.testing.assert_frame_equal(default.codes, asked.codes)
        pd.testing.assert_frame_equal(default.vetoed, asked.vetoed)
