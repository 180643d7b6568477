"""Per-method theme scores with bootstrap intervals (helpers.validate.devsets.themescore)."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pandas as pd

from helpers.validate.devsets.themescore import format_methods, score_methods


def records():
    def answer(q, themes):
        return NS(question=q, themes=themes, text="some text")

    return [
        NS(file="a.docx", row=None, answers=(answer("q1", ("housing", "money")),)),
        NS(file="b.docx", row=None, answers=(answer("q1", ("housing",)),)),
        NS(file="s.csv", row=1, answers=(answer("q1", ("money",)),)),
    ]


def test_scores_per_method_and_combined_for_documents_and_survey_separately():
    respondents = pd.DataFrame(
        {"respondent_id": ["r1", "r2", "r3"], "source_file": ["a.docx", "b.docx", "s.csv"],
         "source_row": [None, None, 1]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"respondent_id": ["r1", "r1", "r2", "r3"], "question_id": ["q1"] * 4,
         "theme_id": ["housing", "money", "money", "money"],
         "method": ["dictionary", "semantic", "semantic", "dictionary"]}
    )  # fmt: skip
    got = {(s.kind, s.method): s for s in score_methods(records(), respondents, codes, 200)}
    assert set(got) == {
        ("documents", "dictionary"), ("documents", "semantic"), ("documents", "combined"),
        ("survey", "dictionary"), ("survey", "semantic"), ("survey", "combined"),
    }  # fmt: skip
    doc = got[("documents", "combined")]
    assert doc.micro[0] == 2 / 3 and doc.micro[1] == 2 / 3  # tp 2, fp 1 (r2 money), fn 1
    assert got[("documents", "dictionary")].micro[:2] == (1.0, 1 / 3)
    lo, hi = doc.micro_ci[2]
    assert 0 <= lo <= doc.micro[2] <= hi <= 1
    again = {(s.kind, s.method): s for s in score_methods(records(), respondents, codes, 200)}
    assert again[("documents", "combined")].micro_ci == doc.micro_ci  # seeded
    assert got[("survey", "combined")].micro == (1.0, 1.0, 1.0)
    assert "documents" in format_methods("x", list(got.values()))


def test_one_method_alone_is_not_repeated_as_combined():
    respondents = pd.DataFrame(
        {"respondent_id": ["r1", "r2", "r3"], "source_file": ["a.docx", "b.docx", "s.csv"],
         "source_row": [None, None, 1]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"respondent_id": ["r1", "r2"], "question_id": ["q1"] * 2,
         "theme_id": ["housing", "money"], "method": ["dictionary"] * 2}
    )  # fmt: skip
    got = [(s.kind, s.method) for s in score_methods(records(), respondents, codes, 50)]
    assert got == [("documents", "dictionary"), ("survey", "dictionary")]


def test_alone_pairs_get_their_own_line_outside_combined_and_every_line_is_explained():
    """``alone`` (e.g. the classifiers by themselves) is scored but does not change combined."""
    respondents = pd.DataFrame(
        {"respondent_id": ["r1", "r2", "r3"], "source_file": ["a.docx", "b.docx", "s.csv"],
         "source_row": [None, None, 1]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"respondent_id": ["r1", "r2"], "question_id": ["q1"] * 2,
         "theme_id": ["housing", "money"], "method": ["dictionary", "learned"]}
    )  # fmt: skip
    alone = pd.DataFrame(
        {"respondent_id": ["r1", "r1", "r2"], "question_id": ["q1"] * 3,
         "theme_id": ["housing", "money", "housing"]}
    )  # fmt: skip
    plain = {(s.kind, s.method): s for s in score_methods(records(), respondents, codes, 50)}
    got = {
        (s.kind, s.method): s
        for s in score_methods(records(), respondents, codes, 50, alone={"classifiers": alone})
    }
    assert set(got) - set(plain) == {("documents", "classifiers"), ("survey", "classifiers")}
    assert got[("documents", "combined")].micro == plain[("documents", "combined")].micro
    assert got[("documents", "classifiers")].micro[:2] == (1.0, 1.0)  # 3 gold, 3 right
    assert got[("documents", "learned")].micro[:2] == (0.0, 0.0)
    text = format_methods("x", list(got.values()))
    for method in ("dictionary", "learned", "classifiers", "combined"):
        assert f"({method}: " in text
