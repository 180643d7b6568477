"""The coding and stance tables are unchanged by the speed work of issue 15 (item 2).

``tests/fixtures/identical/<set>/`` holds the ANSWERS and RESPONDENTS of three
development sets (``data/evaluation/ofsted-survey``, ``ofsted-docs`` and
``transport``, as ``helpers.ingest.run_ingest`` wrote them) and of a generated
corpus (``benchmarks.generate``, seed 7, 0.6 MB), together with the CODES,
UNCODED and STANCES tables the implementation before the speed work (commit
af96719) produced from them. The pipeline's entry points must still produce
exactly those tables: same rows, order, values and dtypes.

If a deliberate change to coding or stance changes these tables, regenerate the
expected files with the new code and say so in the commit (the fixtures are
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


def test_stances_are_unchanged(case):
    folder, consultation, _, answers, respondents = case
    stances = stance_answers(answers, respondents, consultation)
    expected = pd.read_parquet(folder / "stances.parquet")
    pd.testing.assert_frame_equal(stances, expected)
    assert (expected["stance"] != "not_answered").any()
