"""Codebook suggestions on hand-made answers whose top terms are worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.coding.codebook import parse_codebook
from helpers.coding.suggest import SUGGESTIONS, sample_answers, stopwords, suggest_terms
from helpers.core import schemas
from helpers.core.consultation import parse_consultation

CONSULTATION = parse_consultation(
    {
        "id": "t",
        "title": "Test consultation",
        "questions": [
            {"id": "q1", "kind": "closed", "text": "Do you agree?"},
            {"id": "q2", "kind": "open", "text": "What matters for young people?"},
            {"id": "q4", "kind": "open", "text": "Anything else?"},
        ],
    }
)
TEXTS = {
    "r1": "Transport costs are high for young people. Housing is scarce.\nMentoring matters.",
    "r2": "Transport costs matter. Mentoring helps too.\nNothing more.",
    "r3": "We want mentoring schemes. Housing is scarce.",
}
RESPONDENTS = pd.DataFrame({"respondent_id": list(TEXTS), "text": list(TEXTS.values())})


def _answer(rid: str, qid: str, body: str) -> dict:
    start = TEXTS[rid].index(body)
    return {
        "respondent_id": rid,
        "question_id": qid,
        "start": start,
        "end": start + len(body),
        "answer_text": body,
    }


ANSWERS = pd.DataFrame(
    [
        _answer("r1", "q2", "Transport costs are high for young people. Housing is scarce."),
        _answer("r1", "q4", "Mentoring matters."),
        _answer("r2", "q2", "Transport costs matter. Mentoring helps too."),
        _answer("r2", "q4", "Nothing more."),
        _answer("r3", "q2", "We want mentoring schemes. Housing is scarce."),
    ]
)


def _code(rid: str, sentence: str, theme: str = "housing", negated: bool = False) -> dict:
    start = TEXTS[rid].index(sentence)
    word = sentence.split()[0]
    return {
        "respondent_id": rid,
        "question_id": "q2",
        "theme_id": theme,
        "start": start,
        "end": start + len(sentence),
        "quote": sentence,
        "match_start": start,
        "match_end": start + len(word),
        "matched_text": word,
        "pattern": word.lower(),
        "negated": negated,
        "method": "dictionary",
        "source": "auto",
    }


def _codes(*rows: dict) -> pd.DataFrame:
    return schemas.conform(pd.DataFrame(list(rows)), schemas.CODES)


HOUSING = _codes(_code("r1", "Housing is scarce."), _code("r3", "Housing is scarce."))


def test_top_words_and_bigram_by_hand():
    out = suggest_terms(ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, None)
    assert list(out.columns) == SUGGESTIONS.names
    words = out[out.kind == "word"]
    # Uncovered q2 content words: transport x2, costs x2, mentoring x2 (r2, r3), high,
    # helps, want, schemes x1; "young", "people", "matter" echo the question; housing and
    # scarce sit in coded sentences. Two questions have answers; mentoring is also in q4:
    # idf(transport) = ln(3/2) + 1, idf(mentoring) = ln(3/3) + 1 = 1.
    assert list(words.term) == ["costs", "transport", "mentoring"]  # tie broken by term
    assert words.score.tolist() == pytest.approx(
        [2 * (math.log(1.5) + 1), 2 * (math.log(1.5) + 1), 2.0]
    )
    assert words.n_mentions.tolist() == [2, 2, 2]
    assert words.n_respondents.tolist() == [2, 2, 2]
    assert set(out.question_id) == {"q2"}  # q4's words occur once each

    bigrams = out[out.kind == "bigram"]
    assert bigrams.term.tolist() == ["transport costs"]
    # Dunning's G2 on the 2x2 table: 17 tokens, the pair twice, each word twice.
    n, o11 = 17, 2
    e11, o22, e22 = 2 * 2 / n, n - 2, (n - 2) ** 2 / n
    g2 = 2 * (o11 * math.log(o11 / e11) + o22 * math.log(o22 / e22))
    assert bigrams.score.iloc[0] == pytest.approx(g2 * (math.log(1.5) + 1), rel=1e-4)


def test_examples_point_at_the_respondent_text():
    out = suggest_terms(ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, None)
    for row in out.itertuples():
        text = TEXTS[row.example_respondent_id]
        assert text[row.example_start : row.example_end] == row.example
    mentoring = out[out.term == "mentoring"].iloc[0]
    assert (mentoring.example, mentoring.example_respondent_id) == ("Mentoring helps too.", "r2")


def test_negated_codes_do_not_cover_but_coded_sentences_do():
    negated = _codes(
        *HOUSING.to_dict("records"),
        _code("r2", "Transport costs matter.", "transport", negated=True),
    )
    out = suggest_terms(ANSWERS, RESPONDENTS, negated, CONSULTATION, None)
    assert "transport" in set(out.term)
    coded = _codes(*HOUSING.to_dict("records"), _code("r2", "Transport costs matter.", "transport"))
    out = suggest_terms(ANSWERS, RESPONDENTS, coded, CONSULTATION, None)
    assert "transport" not in set(out.term)  # one uncovered mention left, below min_mentions
    assert "transport" in set(
        suggest_terms(ANSWERS, RESPONDENTS, coded, CONSULTATION, None, min_mentions=1).term
    )


def test_uncoded_housing_is_suggested_without_codes():
    empty = schemas.empty(schemas.CODES)
    out = suggest_terms(ANSWERS, RESPONDENTS, empty, CONSULTATION, None)
    housing = out[out.term == "housing"].iloc[0]
    assert (housing.n_mentions, housing.n_respondents) == (2, 2)
    assert "housing scarce" not in set(out.term)  # "is" sits between them


def test_codebook_patterns_are_not_suggested():
    codebook = parse_codebook(
        {
            "id": "t",
            "title": "T",
            "version": 1,
            "themes": [
                {
                    "id": "mentoring",
                    "label": "Mentoring",
                    "description": "d",
                    "patterns": ["mentor*"],
                },
                {
                    "id": "transport",
                    "label": "Transport",
                    "description": "d",
                    "patterns": ["transport costs"],
                },
            ],
        }
    )
    out = suggest_terms(ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, codebook)
    assert "mentoring" not in set(out.term)
    assert "transport costs" not in set(out.term)
    assert {"costs", "transport"} <= set(out.term)  # single words of a phrase stay


def test_top_n_and_deterministic_order():
    a = suggest_terms(ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, None, top_n=2)
    b = suggest_terms(ANSWERS.iloc[::-1], RESPONDENTS, HOUSING, CONSULTATION, None, top_n=2)
    assert a[a.kind == "word"].term.tolist() == ["costs", "transport"]
    pd.testing.assert_frame_equal(
        a[["question_id", "term", "kind", "score"]], b[["question_id", "term", "kind", "score"]]
    )


def test_every_row_states_how_many_answers_it_was_counted_on():
    out = suggest_terms(ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, None, min_mentions=1)
    by_q = out.groupby("question_id")[["answers_read", "answers"]].agg(set)
    # q2 has three answers, q4 two ("Nothing more." is not blank): all read, none sampled.
    assert by_q.loc["q2"].tolist() == [{3}, {3}]
    assert by_q.loc["q4"].tolist() == [{2}, {2}]


def test_counts_come_from_a_seeded_sample_of_each_question():
    kept = sample_answers(ANSWERS, 2)
    # At most two answers per question: one of q2's three is left out, q4's two stay.
    assert kept.question_id.value_counts().sort_index().to_dict() == {"q2": 2, "q4": 2}
    # The sample does not depend on row order, and keeps the table's order.
    again = sample_answers(ANSWERS.iloc[::-1], 2)
    assert sorted(again.index) == sorted(kept.index)
    assert list(kept.index) == sorted(kept.index)
    sampled = suggest_terms(
        ANSWERS, RESPONDENTS, HOUSING, CONSULTATION, None, min_mentions=1, max_answers=2
    )
    assert set(sampled[sampled.question_id == "q2"].answers_read) == {2}
    assert set(sampled[sampled.question_id == "q2"].answers) == {3}
    # The terms and counts are exactly those of the sampled answers read whole.
    whole = suggest_terms(kept, RESPONDENTS, HOUSING, CONSULTATION, None, min_mentions=1)
    cols = [c for c in SUGGESTIONS.names if c != "answers"]
    pd.testing.assert_frame_equal(sampled[cols], whole[cols])


def test_empty_inputs_give_an_empty_frame_with_the_columns():
    out = suggest_terms(ANSWERS.iloc[0:0], RESPONDENTS, HOUSING, CONSULTATION, None)
    assert out.empty and list(out.columns) == SUGGESTIONS.names


def test_stopwords_are_shipped():
    stop = stopwords()
    assert {"the", "and", "would", "however"} <= stop
    assert "housing" not in stop and "#" not in "".join(stop)


def test_coverage_counts_coded_and_uncoded_answers():
    from helpers.coding.suggest import coverage

    uncoded = schemas.conform(
        pd.DataFrame(
            [{"respondent_id": "r2", "question_id": "q2", "n_chars": 44, "answer_text": "x"}]
        ),
        schemas.UNCODED,
    )
    out = coverage(ANSWERS, HOUSING, uncoded, CONSULTATION).set_index("question_id")
    assert list(out.index) == ["q2", "q4"]  # q1 has no answers
    assert out.loc["q2", ["answers", "coded", "uncoded"]].tolist() == [3, 2, 1]
    assert out.loc["q2", "percent_coded"] == pytest.approx(66.7)
    assert out.loc["q4", ["answers", "coded", "uncoded"]].tolist() == [2, 0, 0]


def test_theme_counts_keep_negated_mentions_apart():
    from helpers.coding.suggest import theme_counts

    codebook = parse_codebook(
        {
            "id": "t",
            "title": "T",
            "version": 1,
            "themes": [
                {"id": "housing", "label": "Housing", "description": "d", "patterns": ["housing"]},
                {
                    "id": "transport",
                    "label": "Transport",
                    "description": "d",
                    "patterns": ["transport"],
                },
                {"id": "unused", "label": "Unused", "description": "d", "patterns": ["zzz"]},
            ],
        }
    )
    codes = _codes(
        *HOUSING.to_dict("records"),
        _code("r1", "Housing is scarce."),  # duplicate evidence span: one mention
        _code("r2", "Transport costs matter.", "transport", negated=True),
    )
    out = theme_counts(codes, codebook).set_index("theme_id")
    assert out.loc["housing"].tolist() == ["Housing", 2, 2, 0, 0]
    assert out.loc["transport"].tolist() == ["Transport", 0, 0, 1, 1]
    assert out.loc["unused"].tolist() == ["Unused", 0, 0, 0, 0]
