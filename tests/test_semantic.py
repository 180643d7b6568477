"""Semantic coding (helpers.coding.semantic): sentences close to a theme, thresholds, exclusions."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.coding import semantic
from helpers.coding.codebook import parse_codebook
from helpers.core import embedding

pytestmark = pytest.mark.skipif(
    not embedding.available(embedding.CODING_MODEL), reason="coding model not installed"
)

CODEBOOK = {
    "id": "t",
    "title": "t",
    "methods": ["dictionary", "semantic"],  # semantic matching is opt-in
    "themes": [
        {
            "id": "housing",
            "label": "Housing",
            "description": "Somewhere to live: homes, flats, rent. Not: office buildings.",
            "examples": ["care leavers need a safe flat of their own"],
            "patterns": ["housing"],
            "exclude": ["housing benefit office"],
        },
        {
            "id": "buses",
            "label": "Bus services",
            "description": "Bus routes, timetables, fares.",
            "patterns": ["bus"],
            "methods": ["dictionary"],
        },
    ],
}


def frames(text: str, question: str = "q1"):
    respondents = pd.DataFrame({"respondent_id": ["r1"], "text": [text]})
    answers = pd.DataFrame(
        {"respondent_id": ["r1"], "question_id": [question], "start": [0], "end": [len(text)],
         "answer_text": [text], "substantive": [True]}
    )  # fmt: skip
    return answers, respondents


def test_theme_texts_keep_the_not_part_as_a_negative():
    cb = parse_codebook(CODEBOOK)
    pos, neg = semantic.theme_texts(cb.theme("housing"), ["a quote"])
    assert "Housing" in pos and "a quote" in pos
    assert not any("office" in p for p in pos) and neg == ["office buildings."]


def test_a_close_sentence_is_coded_with_the_sentence_as_evidence():
    text = "Thank you for asking.\nYoung people leaving care need a flat of their own to rent."
    answers, respondents = frames(text)
    cb = parse_codebook(CODEBOOK)
    got = semantic.code_semantic(answers, respondents, cb, threshold=0.3).codes
    assert list(got["theme_id"]) == ["housing"]  # buses: dictionary only
    row = got.iloc[0]
    assert row["method"] == "semantic" and row["quote"] == text[row["start"] : row["end"]]
    assert row["quote"].startswith("Young people") and 0.3 <= row["score"] <= 1
    assert pd.isna(row["pattern"])


def test_pairs_the_dictionary_coded_and_excluded_contexts_are_skipped():
    text = "Young people leaving care need a flat of their own to rent."
    answers, respondents = frames(text)
    cb = parse_codebook(CODEBOOK)
    done = pd.DataFrame({"respondent_id": ["r1"], "question_id": ["q1"], "theme_id": ["housing"]})
    assert semantic.code_semantic(answers, respondents, cb, None, done, threshold=0.3).codes.empty
    text = "The housing benefit office should rent flats of their own to young people leaving care."
    answers, respondents = frames(text)
    assert semantic.code_semantic(answers, respondents, cb, threshold=0.3).codes.empty


def test_without_the_model_semantic_coding_warns_and_codes_nothing(monkeypatch, caplog):
    monkeypatch.setattr(embedding, "available", lambda model="minilm": False)
    answers, respondents = frames("Young people leaving care need a flat of their own.")
    codes = pd.DataFrame(columns=["respondent_id", "question_id", "theme_id"])
    out, unprocessed = semantic.add_semantic(codes, answers, respondents, parse_codebook(CODEBOOK))
    assert out is codes and len(unprocessed) == 1 and "not installed" in caplog.text


def test_calibrate_thresholds_picks_the_best_f1_cut_per_theme():
    scores = pd.DataFrame(
        {"respondent_id": list("abcdef"), "question_id": ["q"] * 6, "theme_id": ["h"] * 6,
         "score": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]}
    )  # fmt: skip
    hand = pd.DataFrame(
        {"respondent_id": list("abcdef"), "question_id": ["q"] * 6,
         "theme_id": ["h", "h", "h", "", "", ""]}
    )  # fmt: skip
    assert semantic.calibrate_thresholds(scores, hand) == {"h": 0.7}
    assert semantic.calibrate_thresholds(scores, hand, min_positive=4) == {}


def test_theme_methods_and_the_report_say_which_methods_contributed():
    from helpers.analysis.themes import theme_methods
    from helpers.report.method import _methods_sentence

    codes = pd.DataFrame(
        {"respondent_id": ["r1", "r1", "r2", "r3"], "question_id": ["q1"] * 4,
         "theme_id": ["housing", "housing", "housing", "buses"],
         "method": ["dictionary", "semantic", "semantic", "dictionary"],
         "negated": [False, False, False, True]}
    )  # fmt: skip
    table = theme_methods(codes, parse_codebook(CODEBOOK)).set_index("theme_id")
    assert table.loc["housing", "n_semantic"] == 2 and table.loc["housing", "n_dictionary"] == 1
    assert table.loc["buses", "n_dictionary"] == 0  # negated: not counted
    sentence = _methods_sentence(codes)
    assert (
        "two respondents by closeness in meaning" in sentence
        and "one respondent by word" in sentence
    )
    assert _methods_sentence(codes[codes["method"] == "dictionary"]) == ""
