"""Wording generated from numbers: hand-written expectations."""

from __future__ import annotations

import pytest

from helpers.report import narrative as nv


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "no"), (1, "one"), (2, "two"), (9, "nine"), (10, "10"), (123, "123")],
)
def test_number_word(n, expected):
    assert nv.number_word(n) == expected


def test_number_word_rejects_negative():
    with pytest.raises(ValueError, match="negative"):
        nv.number_word(-1)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "no respondent"),
        (1, "one respondent"),
        (2, "two respondents"),
        (14, "14 respondents"),
    ],
)
def test_count_noun(n, expected):
    assert nv.count_noun(n, "respondent") == expected


def test_plural_of_consonant_y():
    assert nv.plural(2, "local authority") == "local authorities"
    assert nv.plural(2, "professional body") == "professional bodies"
    assert nv.plural(2, "survey") == "surveys"  # vowel before y
    assert nv.count_noun(3, "charity") == "three charities"


def test_irregular_plural():
    assert nv.count_noun(3, "body", "bodies") == "three bodies"
    assert nv.count_noun(1, "body", "bodies") == "one body"


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (0, 5, "no respondent"),
        (1, 1, "the only respondent"),
        (2, 2, "both respondents"),
        (3, 3, "all three respondents"),
        (12, 12, "all 12 respondents"),
        (3, 5, "a majority (3 of 5)"),
        (2, 4, "half of respondents (2 of 4)"),
        (1, 2, "half of respondents (1 of 2)"),
        (1, 5, "one respondent"),
        (2, 5, "a minority (2 of 5)"),
    ],
)
def test_share_phrase(k, n, expected):
    assert nv.share_phrase(k, n) == expected


def test_share_phrase_rejects_impossible_counts():
    with pytest.raises(ValueError):
        nv.share_phrase(3, 2)


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [(0, 3, "was"), (1, 3, "was"), (1, 1, "was"), (2, 2, "were"), (3, 5, "were")],
)
def test_share_verb_agrees(k, n, expected):
    assert nv.share_verb(k, n, "was", "were") == expected


def test_share_brief():
    assert nv.share_brief(2, 2) == "both respondents"
    assert nv.share_brief(1, 2) == "one of two respondents"
    assert nv.share_brief(3, 12) == "three of 12 respondents"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["Become"], "Become"),
        (["Become", "ACRCG"], "Become and ACRCG"),
        (["A", "B", "C"], "A, B and C"),
    ],
)
def test_join_list(items, expected):
    assert nv.join_list(items) == expected


def test_join_list_or():
    assert nv.join_list(["A", "B"], "or") == "A or B"


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (1, 2, "50%"),
        (1, 3, "33%"),
        (2, 3, "67%"),
        (1, 8, "13%"),
        (0, 4, "0%"),
        (1, 400, "less than 1%"),
        (1, 0, "–"),
    ],
)
def test_format_percent(k, n, expected):
    assert nv.format_percent(k, n) == expected


def test_stance_sentence_all_agree_mixed_strength():
    s = nv.stance_sentence({"strongly_agree": 1, "agree": 1, "not_answered": 0})
    assert s == "Both respondents who answered agreed (one strongly)."


def test_stance_sentence_all_strongly():
    assert (
        nv.stance_sentence({"strongly_agree": 3})
        == "All three respondents who answered strongly agreed."
    )


def test_stance_sentence_majority_and_not_answered():
    s = nv.stance_sentence(
        {"strongly_agree": 2, "agree": 1, "disagree": 1, "strongly_disagree": 0, "not_answered": 1}
    )
    assert s == (
        "A majority (3 of 4) agreed (two strongly) and one disagreed. "
        "One respondent did not answer this question."
    )


def test_stance_sentence_names_groups():
    s = nv.stance_sentence(
        {"agree": 2, "disagree": 2, "neither": 1},
        names={"agree": ["A", "B"], "disagree": ["C", "D"], "neither": ["E"]},
    )
    assert s == (
        "A minority (2 of 5: A and B) agreed; two (C and D) disagreed "
        "and one (E) neither agreed nor disagreed."
    )
    s = nv.stance_sentence({"agree": 2}, names={"agree": ["Become", "ACRCG"]})
    assert s == "Both respondents who answered (Become and ACRCG) agreed."


def test_stance_sentence_single_and_none():
    assert nv.stance_sentence({"disagree": 1}) == "The only respondent who answered disagreed."
    assert nv.stance_sentence({}) == "No respondent answered this question."
    assert (
        nv.stance_sentence({"not_answered": 1})
        == "The only respondent did not answer this question."
    )
    assert (
        nv.stance_sentence({"not_answered": 2})
        == "None of the two respondents answered this question."
    )


def test_stance_sentence_disagreement_leads_when_larger():
    s = nv.stance_sentence({"agree": 1, "strongly_disagree": 3})
    assert s == "A majority (3 of 4) strongly disagreed and one agreed."


def test_theme_sentence():
    assert nv.theme_sentence("Housing", 2, 2, 5) == (
        "Housing was raised by both respondents who answered this question (five mentions)."
    )
    assert nv.theme_sentence("Housing", 1, 2, 1) == (
        "Housing was raised by one of the two respondents who answered this question (one mention)."
    )
    assert nv.theme_sentence("Housing", 1, 1) == (
        "Housing was raised by the only respondent who answered this question."
    )
    assert nv.theme_sentence("Housing", 0, 3) == (
        "Housing was not raised by any of the three respondents who answered this question."
    )


def test_ranked_themes_sentence():
    s = nv.ranked_themes_sentence([("Support", 2), ("Housing", 1), ("Health", 0)], 2)
    assert (
        s
        == "The themes raised most often were Support (both respondents) and Housing (one of two respondents)."
    )
    assert nv.ranked_themes_sentence([("Support", 1)], 1) == (
        "The only theme identified was Support (the only respondent)."
    )
    assert nv.ranked_themes_sentence([("Health", 0)], 2).startswith("No theme")
