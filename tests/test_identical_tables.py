"""The coding and stance tables are unchanged by the speed work of issue 15 (item 2).

``tests/fixtures/identical/<set>/`` holds the ANSWERS and RESPONDENTS of three
development sets (``data/evaluation/ofsted-survey``, ``ofsted-docs`` and
``transport``, as ``helpers.ingest.run_ingest`` wrote them) and of a generated
corpus (``benchmarks.generate``, seed 7, 0.6 MB), together with the CODES,
UNCODED, STANCES and SUGGESTIONS tables the implementation before the speed
work (commit af96719) produced from them. The pipeline's entry points must still produce
exactly those tables: same rows, order, values and dtypes.

If a deliberate change to coding or stance changes these tables, regenerate the
expected files with the new code (``tests/fixtures/identical/make_expected.py``)
and say so in the commit (the fixtures are
the old outputs, not hand-checked values: they pin equality, nothing more).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks.generate import default_paths
from helpers.coding.codebook import load_codebook
from helpers.coding.runner import code_answers, uncoded
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


def test_codes_and_uncoded_are_unchanged(case):
    folder, consultation, codebook, answers, respondents = case
    codes = code_answers(answers, respondents, codebook, consultation)
    pd.testing.assert_frame_equal(codes, pd.read_parquet(folder / "codes.parquet"))
    missing = uncoded(answers, codes, codebook, consultation)
    pd.testing.assert_frame_equal(missing, pd.read_parquet(folder / "uncoded.parquet"))
    assert len(codes) > 0


def test_suggestions_are_unchanged(case):
    from helpers.coding.suggest import suggest_terms

    folder, consultation, codebook, answers, respondents = case
    codes = pd.read_parquet(folder / "codes.parquet")
    got = suggest_terms(answers, respondents, codes, consultation, codebook)
    pd.testing.assert_frame_equal(got, pd.read_parquet(folder / "suggestions.parquet"))
    assert len(got) > 0


def test_stances_are_unchanged(case):
    folder, consultation, _, answers, respondents = case
    stances = stance_answers(answers, respondents, consultation)
    expected = pd.read_parquet(folder / "stances.parquet")
    pd.testing.assert_frame_equal(stances, expected)
    assert (expected["stance"] != "not_answered").any()


def _matrix_cell_by_cell(codes, respondents, codebook, question_id=None):
    """``respondent_theme_matrix`` as it was before issue 15: one ``.loc`` per code."""
    from helpers.analysis.counting import raised
    from helpers.analysis.quotes import attributions
    from helpers.analysis.themes import theme_frame

    themes = list(theme_frame(codebook)["id"])
    r = raised(codes)
    if question_id is not None:
        r = r[r["question_id"] == question_id]
    ids = sorted(respondents["respondent_id"].astype(str))
    m = pd.DataFrame(0, index=pd.Index(ids, name="respondent_id"), columns=themes, dtype="int64")
    for rid, tid in zip(r["respondent_id"].astype(str), r["theme_id"].astype(str), strict=True):
        if tid in m.columns and rid in m.index:
            m.loc[rid, tid] = 1
    meta = respondents.set_index(respondents["respondent_id"].astype(str))
    m.insert(0, "respondent_type", meta["respondent_type"].reindex(ids).astype("string"))
    m.insert(0, "attribution", attributions(respondents).reindex(ids))
    return m


@pytest.mark.parametrize("name", ["ofsted-survey", "ofsted-docs", "transport"])
def test_respondent_theme_matrix_is_unchanged(name):
    from helpers.analysis import respondent_theme_matrix

    folder = FIXTURES / name
    consultation_path, codebook_path = _paths(name)
    codebook = load_codebook(codebook_path, consultation=load_consultation(consultation_path))
    codes = pd.read_parquet(folder / "codes.parquet")
    respondents = pd.read_parquet(folder / "respondents.parquet")
    # A code of a respondent the tables do not know, and of a theme not in the codebook.
    extra = codes.iloc[:2].copy()
    extra["respondent_id"] = ["nobody", extra["respondent_id"].iloc[1]]
    extra["theme_id"] = [extra["theme_id"].iloc[0], "no_such_theme"]
    codes = pd.concat([codes, extra], ignore_index=True)
    for qid in (None, *sorted(set(codes["question_id"]))):
        got = respondent_theme_matrix(codes, respondents, codebook, qid)
        pd.testing.assert_frame_equal(got, _matrix_cell_by_cell(codes, respondents, codebook, qid))
        if qid is None:
            assert got.iloc[:, 2:].to_numpy().sum() > 0
    # Repeated respondent ids were an error and still are.
    twice = pd.concat([respondents, respondents.iloc[:3]], ignore_index=True)
    with pytest.raises(ValueError, match="duplicate"):
        _matrix_cell_by_cell(codes, twice, codebook)
    with pytest.raises(ValueError, match="duplicate"):
        respondent_theme_matrix(codes, twice, codebook)
