"""The report's length grows with questions and themes, not respondents (issue 16.5).

Processed tables for N respondents are synthesised directly (the toy consultation
and codebook of ``report_testdata``, every respondent answering in the same
pattern), so the check is fast; the 1,000- and 10,000-respondent end-to-end runs are
recorded in docs/reporting.md. Per-respondent detail is in the workbook instead.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import report_testdata as td

from helpers import analysis as analyse
from helpers import report
from helpers.core import schemas

TYPES = ["individual", "charity_voluntary", "local_authority", "campaign_group"]
THEME_IDS = ["housing", "support", "records", "health"]


def synthetic_inputs(n: int) -> analyse.AnalysisInputs:
    """``n`` respondents: q1 and q3 closed, q2 open; each raises one to three themes in q2
    in sentences of its own, and every seventh q1 answer received no theme."""
    ids = [f"r{k:06d}" for k in range(n)]
    types = [TYPES[k % 4] for k in range(n)]
    resp = pd.DataFrame(
        {
            "respondent_id": ids,
            "source_file": [f"{i}.txt" for i in ids],
            "source_sha256": ["0" * 64] * n,
            "source_format": ["txt"] * n,
            "source_row": [None] * n,
            "encoding": ["utf-8"] * n,
            "organisation": [
                None if t == "individual" else f"Org {k}" for k, t in enumerate(types)
            ],
            "organisation_source": ["metadata"] * n,
            "respondent_type": types,
            "respondent_type_source": ["metadata"] * n,
            "text": ["x" * 400] * n,
            "n_chars": [400] * n,
        }
    )
    texts = {"q1": "We agree with the proposal.", "q2": "Housing and support.", "q3": "Yes."}
    ans = pd.DataFrame(
        [
            {
                "respondent_id": rid,
                "question_id": q,
                "question_number": int(q[1]),
                "start": 0,
                "end": len(t),
                "answer_text": t,
                "heading_text": None,
                "heading_start": None,
                "match_method": "number",
                "match_score": 1.0,
                "tick_box": None,
                "warning": None,
                "substantive": True,
            }
            for rid in ids
            for q, t in texts.items()
        ]
    )
    scale = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    st = pd.DataFrame(
        [
            {
                "respondent_id": rid,
                "question_id": q,
                "stance": scale[(k + j) % 5],
                "score": schemas.STANCE_SCORES.get(scale[(k + j) % 5]),
                "reservations": False,
                "confidence": 0.9,
                "evidence": f"Respondent {k} thinks this about question {q}.",
                "start": None,
                "end": None,
                "method": "text",
                "tick_box": None,
                "text_stance": None,
                "conflict": False,
                "reservation": None,
                "reservation_start": None,
                "reservation_end": None,
            }
            for k, rid in enumerate(ids)
            for j, q in enumerate(["q1", "q3"])
        ]
    )
    rows = []
    for k, rid in enumerate(ids):
        for j in range(1 + k % 3):
            theme = THEME_IDS[(k + j) % 4]
            quote = f"Point {j} of respondent {k}: {theme} matters " + "a great deal " * 8 + "."
            rows.append((rid, "q2", theme, 100 * j, 100 * j + len(quote), quote))
    codes = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "theme_id": [r[2] for r in rows],
            "start": [r[3] for r in rows],
            "end": [r[4] for r in rows],
            "quote": [r[5] for r in rows],
            "match_start": [r[3] for r in rows],
            "match_end": [r[3] + 3 for r in rows],
            "matched_text": [r[2] for r in rows],
            "pattern": [r[2] for r in rows],
            "negated": [False] * len(rows),
            "method": ["dictionary"] * len(rows),
            "source": ["auto"] * len(rows),
        }
    )
    unc = pd.DataFrame(
        {
            "respondent_id": ids[::7],
            "question_id": ["q1"] * len(ids[::7]),
            "n_chars": [27] * len(ids[::7]),
            "answer_text": [texts["q1"]] * len(ids[::7]),
        }
    )
    return analyse.AnalysisInputs(
        respondents=schemas.conform(resp, schemas.RESPONDENTS),
        answers=schemas.conform(ans, schemas.ANSWERS),
        codes=schemas.conform(codes, schemas.CODES),
        stances=schemas.conform(st, schemas.STANCES_TABLE),
        uncoded=schemas.conform(unc, schemas.UNCODED),
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )


def _text_and_rows(page: str) -> tuple[int, int]:
    """Characters of the page without its embedded charts, and its table rows."""
    text = re.sub(r'src="data:[^"]+"', "", page)
    return len(text), text.count("<tr>")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return {
        n: report.build_report(synthetic_inputs(n), output_dir=tmp_path_factory.mktemp(f"n{n}"))
        for n in (40, 400)
    }


def test_report_length_does_not_grow_with_respondents(pages):
    (small, small_rows), (big, big_rows) = _text_and_rows(pages[40]), _text_and_rows(pages[400])
    # Ten times the respondents: the same tables, row for row, and text within 10%
    # (numbers get longer: '40' → '400').
    assert big_rows == small_rows
    assert small <= big < 1.1 * small
    # Nothing per respondent or per answer is printed; the workbook is named instead.
    assert "Org 399" not in pages[400] and "r000399" not in pages[400]
    assert "(tables.xlsx, sheet uncoded)" in pages[400]
    flat = re.sub(r"\s+", " ", pages[400])
    assert "58 answers received no theme" in flat  # every seventh of 400
    assert (
        '<th scope="row">Q1: The proposal</th><td class="num">400</td><td class="num">58</td>'
        in (re.sub(r">\s+<", "><", pages[400]))
    )


def test_quotes_per_theme_are_bounded(pages):
    # max_quotes=2 for the three most raised themes, one for the others: 4 themes → 7.
    assert pages[400].count('<blockquote class="quote">') == pages[40].count(
        '<blockquote class="quote">'
    )
    q2 = pages[400][pages[400].index("<h2>Q2") : pages[400].index("<h2>Q3")]
    points = re.findall(r'<div class="points">.*?</div>', q2, re.S)
    themes_only = re.sub(r'<div class="points">.*?</div>', "", q2, flags=re.S)
    assert themes_only.count('<blockquote class="quote">') == 7
    # "What respondents said": at most three points per theme (an open question: one side).
    assert all(p.count('<blockquote class="quote">') <= 3 for p in points)
