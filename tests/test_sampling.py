"""Stratified sampling and the hand-coding workbook round trip."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.coding import parse_codebook
from helpers.validate import hand_coding, sampling


def _frames(sizes):
    """Answers for strata {(question, type): count}; one respondent per answer."""
    answers, respondents = [], []
    i = 0
    for (q, rtype), count in sizes.items():
        for _ in range(count):
            rid = f"r{i:03d}"
            respondents.append(
                {"respondent_id": rid, "organisation": None, "respondent_type": rtype}
            )
            answers.append(
                {
                    "respondent_id": rid,
                    "question_id": q,
                    "start": 0,
                    "end": 5,
                    "answer_text": f"text {i}",
                }
            )
            i += 1
    return pd.DataFrame(answers), pd.DataFrame(respondents)


SIZES = {
    ("q1", "charity_voluntary"): 7,
    ("q1", "individual"): 2,
    ("q2", "charity_voluntary"): 10,
    ("q2", "individual"): 3,
}


def test_allocation_is_proportional_with_one_per_stratum():
    answers, respondents = _frames(SIZES)
    s = sampling.draw_sample(answers, respondents, n=10, seed=1)
    counts = s.groupby(["question_id", "respondent_type"]).size().to_dict()
    # one each, then 6 more in proportion to (size - 1) = 6,1,9,2 of 18:
    # quotas 2, 0.33, 3, 0.67 -> 2, 0, 3, 0 and the last one to the largest remainder (0.67)
    assert counts == {
        ("q1", "charity_voluntary"): 3,
        ("q1", "individual"): 1,
        ("q2", "charity_voluntary"): 4,
        ("q2", "individual"): 2,
    }


def test_sample_is_deterministic_and_seed_dependent():
    answers, respondents = _frames(SIZES)
    a = sampling.draw_sample(answers, respondents, n=10, seed=1)
    b = sampling.draw_sample(answers, respondents, n=10, seed=1)
    c = sampling.draw_sample(answers, respondents, n=10, seed=2)
    assert a["respondent_id"].tolist() == b["respondent_id"].tolist()
    assert a["respondent_id"].tolist() != c["respondent_id"].tolist()


def test_small_and_large_n():
    answers, respondents = _frames(SIZES)
    assert len(sampling.draw_sample(answers, respondents, n=100, seed=0)) == 22
    small = sampling.draw_sample(answers, respondents, n=3, seed=0)
    assert len(small) == 3
    assert small["stratum"].nunique() == 3  # fewer than the strata: at most one per stratum


def test_excludes_special_questions_and_empty_answers():
    answers, respondents = _frames({("q1", "individual"): 2, ("preamble", "individual"): 3})
    answers.loc[0, "answer_text"] = "   "
    s = sampling.draw_sample(answers, respondents, n=10, seed=0)
    assert s["respondent_id"].tolist() == ["r001"]


def _codebook():
    return parse_codebook(
        {
            "id": "test-cb",
            "themes": [
                {
                    "id": "housing",
                    "label": "Housing",
                    "description": "Homes and accommodation.",
                    "patterns": ["housing"],
                },
                {
                    "id": "records",
                    "label": "Records",
                    "description": "Access to care files.",
                    "questions": ["q2"],
                    "patterns": ["records"],
                },
            ],
        }
    )


def _sample():
    respondents = pd.DataFrame(
        {
            "respondent_id": ["a", "b"],
            "organisation": ["Org A", None],
            "respondent_type": ["charity_voluntary", "individual"],
        }
    )
    sample = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "b"],
            "question_id": ["q1", "q2", "q2"],
            "answer_text": ["We agree.", "Files matter; homes too.", "No comment."],
        }
    )
    return sample, respondents


def test_workbook_round_trip(tmp_path):
    sample, respondents = _sample()
    path = sampling.export_sample_workbook(
        sample, respondents, _codebook(), tmp_path / "s.xlsx", closed_questions=["q1"]
    )
    wb = load_workbook(path)
    ws = wb["Coding"]
    header = [c.value for c in ws[1]]
    assert header == [
        "respondent_id",
        "question_id",
        "organisation",
        "respondent_type",
        "answer_text",
        "housing",
        "records",
        "stance",
        "coder",
        "note",
    ]
    assert ws["C2"].value == "Org A"
    assert ws["G2"].value == "n/a"  # records applies to q2 only
    assert ws["H3"].value == "n/a"  # q2 is not closed: no stance
    assert ws.freeze_panes == "F2"
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"0,1"' in validations.values()
    assert any("F2" in ref for ref, f in validations.items() if f == '"0,1"')
    instructions = [r for r in wb["Instructions"].iter_rows(values_only=True)]
    assert ("records", "Records", "Access to care files.", None, "q2") in instructions
    # A coder fills it in.
    ws["F2"], ws["H2"], ws["I2"] = 0, "agree", "AB"
    ws["F3"], ws["G3"] = 1, 1
    ws["F4"], ws["G4"] = "0", "0"
    wb.save(path)
    hand = sampling.read_sample_workbook(path)
    got = [
        (r.respondent_id, r.question_id, None if pd.isna(r.theme_id) else r.theme_id)
        for r in hand.itertuples()
    ]
    assert got == [
        ("a", "q1", None),
        ("a", "q2", "housing"),
        ("a", "q2", "records"),
        ("b", "q2", None),
    ]
    assert hand["coder"].iloc[0] == "AB"
    # load_hand_coding accepts the workbook too.
    assert hand_coding.load_hand_coding(path).equals(hand)
    stances = sampling.read_sample_stances(path)
    assert stances.values.tolist() == [["a", "q1", "agree"]]


def test_unfilled_rows_are_skipped(tmp_path):
    sample, respondents = _sample()
    path = sampling.export_sample_workbook(sample, respondents, _codebook(), tmp_path / "s.xlsx")
    wb = load_workbook(path)
    wb["Coding"]["F2"] = 1
    wb.save(path)
    assert sampling.read_sample_workbook(path)[
        ["respondent_id", "question_id", "theme_id"]
    ].values.tolist() == [["a", "q1", "housing"]]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"F3": 2, "G3": 0}, r"row 3, column 'housing': 2 is not 0 or 1"),
        ({"F3": 1}, r"row 3, column 'records': empty cell"),
        ({"F2": 1, "H2": "maybe"}, r"row 2, column 'stance'"),
    ],
)
def test_workbook_errors_name_sheet_row_column(tmp_path, cells, message):
    sample, respondents = _sample()
    path = sampling.export_sample_workbook(
        sample, respondents, _codebook(), tmp_path / "s.xlsx", closed_questions=["q1"]
    )
    wb = load_workbook(path)
    for ref, v in cells.items():
        wb["Coding"][ref] = v
    wb.save(path)
    with pytest.raises(sampling.SampleWorkbookError, match=f"sheet 'Coding' {message}"):
        sampling.read_sample_workbook(path)
        sampling.read_sample_stances(path)
