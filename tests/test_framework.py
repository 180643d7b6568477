"""Framework matrix XLSX read back with openpyxl and checked against hand-made inputs."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from openpyxl import load_workbook

from helpers.coding import parse_codebook
from helpers.validate import framework


def _inputs():
    respondents = pd.DataFrame(
        {
            "respondent_id": ["r2", "r1"],
            "organisation": [None, "Org A"],
            "respondent_type": ["individual", "charity_voluntary"],
            "text": ["", ""],
        }
    )
    Q = SimpleNamespace
    consultation = SimpleNamespace(
        id="c",
        questions=[
            Q(
                id="capacity",
                kind="profile",
                number=None,
                short="Capacity",
                text="In what capacity?",
                label="Capacity",
            ),
            Q(
                id="q1",
                kind="closed",
                number=1,
                short="Separate judgement",
                text="Do you agree?",
                label="Q1: Separate judgement",
            ),
            Q(
                id="q2",
                kind="open",
                number=2,
                short="What good looks like",
                text="What matters?",
                label="Q2: What good looks like",
            ),
        ],
    )
    codebook = parse_codebook(
        {
            "id": "test-cb",
            "themes": [
                {"id": "housing", "label": "Housing", "patterns": ["housing"]},
                {
                    "id": "records",
                    "label": "Access to records",
                    "questions": ["q2"],
                    "patterns": ["records"],
                },
            ],
        }
    )

    def code(r, q, t, s, quote, neg=False):
        return {
            "respondent_id": r,
            "question_id": q,
            "theme_id": t,
            "start": s,
            "end": s + len(quote),
            "quote": quote,
            "negated": neg,
        }

    codes = pd.DataFrame(
        [
            code("r1", "q1", "housing", 10, "Homes matter."),
            code("r1", "q2", "housing", 90, "=SUM(A1) is what we need."),
            code("r1", "q2", "housing", 50, "Homes again."),
            code("r1", "q2", "housing", 50, "Homes again."),  # second term in the same sentence
            code("r2", "q2", "records", 5, "Files."),
            code("r2", "q1", "housing", 1, "Not about housing.", neg=True),
        ]
    )
    answers = pd.DataFrame(columns=["respondent_id", "question_id", "start", "end", "answer_text"])
    return respondents, answers, codes, codebook, consultation


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_framework_matrix_cells(tmp_path):
    path = framework.export_framework_matrix(tmp_path / "fm.xlsx", *_inputs())
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Q1 Separate judgement",
        "Q2 What good looks like",
        "Respondent x theme",
    ]
    q1 = wb["Q1 Separate judgement"]
    rows = _rows(q1)
    assert rows[0] == ["respondent_id", "organisation", "respondent_type", "Housing"]
    assert rows[1] == ["r1", "Org A", "charity_voluntary", "Homes matter."]
    assert rows[2] == ["r2", None, "individual", None]  # the negated code does not count
    assert rows[4][0] == "Q1: Separate judgement: Do you agree?"
    assert q1.freeze_panes == "D2"
    assert q1["D2"].alignment.wrap_text
    q2 = _rows(wb["Q2 What good looks like"])
    assert q2[0] == [
        "respondent_id",
        "organisation",
        "respondent_type",
        "Housing",
        "Access to records",
    ]
    # quotes in text order, each once; the formula-like words stay text
    assert q2[1] == [
        "r1",
        "Org A",
        "charity_voluntary",
        "Homes again.\n\n=SUM(A1) is what we need.",
        None,
    ]
    assert q2[2] == ["r2", None, "individual", None, "Files."]
    assert wb["Q2 What good looks like"]["D2"].data_type == "s"
    m = _rows(wb["Respondent x theme"])
    assert m == [
        ["respondent_id", "organisation", "respondent_type", "housing", "records"],
        ["r1", "Org A", "charity_voluntary", 1, 0],
        ["r2", None, "individual", 0, 1],
    ]


def test_set_text_limits_and_cleans(tmp_path):
    from openpyxl import Workbook

    ws = Workbook().active
    framework.set_text(ws["A1"], "bell\x07 " + "x" * 40_000)
    assert len(ws["A1"].value) == framework.EXCEL_CELL_LIMIT
    assert ws["A1"].value.startswith("bell  x")
    assert ws["A1"].value.endswith("see the codes table for the rest]")
