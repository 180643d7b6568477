"""analysis.synthesise on hand-made answers whose points were grouped by hand.

Six respondents answer the open question q2 about housing: four say rents are
too high for young people (r1 twice), two that the council should build social
housing. By hand: two points, made by 4 and 2 of the 6 respondents who raised
housing. On the closed question q1 the same two arguments come from people who
agreed and people who disagreed, and must stay apart.
"""

from __future__ import annotations

import pandas as pd
import pytest
import report_testdata as td

from helpers.analysis import AnalysisInputs, quantifier, synthesise
from helpers.analysis.sentence_clusters import trim_marker
from helpers.core import schemas

RENTS = [
    "Rents here are far too high for young people to afford.",
    "Young people cannot afford the high rents in this town.",
    "The rent on a flat is too high for a young person to afford.",
    "High rents mean young people cannot afford to live here.",
    "Rents are much too high for young people on low wages.",
]
BUILD = [
    "The council should build more social housing.",
    "The council must build more council housing.",
]
# respondent -> the sentences they wrote under q2 (each coded 'housing').
Q2 = {
    "r1": [RENTS[0], "- " + RENTS[4]],  # says it twice (the second as a list item): counts once
    "r2": [RENTS[1]],
    "r3": [RENTS[2]],
    "r4": [RENTS[3]],
    "r5": [BUILD[0]],
    "r6": [BUILD[1]],
}


def make_inputs(q2: dict[str, list[str]] = Q2, q1: dict[str, tuple[str, list[str]]] | None = None):
    """AnalysisInputs whose codes point into real respondent text (text[start:end] == quote)."""
    q1 = q1 or {}
    ids = sorted(set(q2) | set(q1))
    texts, code_rows, stance_rows = {}, [], []
    for rid in ids:
        text = ""
        for qid, sentences in (("q1", q1.get(rid, (None, []))[1]), ("q2", q2.get(rid, []))):
            for s in sentences:
                start = len(text)
                text += s + " "
                code_rows.append((rid, qid, "housing", start, start + len(s), s))
        texts[rid] = text
        if rid in q1:
            stance_rows.append((rid, "q1", q1[rid][0]))
    resp = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ids,
                "source_file": [f"{r}.txt" for r in ids],
                "source_sha256": ["0" * 64] * len(ids),
                "source_format": ["txt"] * len(ids),
                "organisation_source": ["none"] * len(ids),
                "respondent_type": ["individual"] * len(ids),
                "respondent_type_source": ["none"] * len(ids),
                "text": [texts[r] for r in ids],
                "n_chars": [len(texts[r]) for r in ids],
            }
        ),
        schemas.RESPONDENTS,
    )
    codes = td.codes([(r, q, t, s, e, 10, False) for r, q, t, s, e, _ in code_rows])
    codes["quote"] = [row[5] for row in code_rows]
    stances = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": [r[0] for r in stance_rows],
                "question_id": [r[1] for r in stance_rows],
                "stance": [r[2] for r in stance_rows],
                "score": [schemas.STANCE_SCORES.get(r[2]) for r in stance_rows],
                "reservations": [False] * len(stance_rows),
                "confidence": [1.0] * len(stance_rows),
                "method": ["tick_box"] * len(stance_rows),
                "conflict": [False] * len(stance_rows),
            }
        ),
        schemas.STANCES_TABLE,
    )
    return AnalysisInputs(
        respondents=resp,
        answers=schemas.empty(schemas.ANSWERS),
        codes=codes,
        stances=stances,
        uncoded=schemas.empty(schemas.UNCODED),
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )


@pytest.fixture(scope="module")
def open_points():
    return synthesise(make_inputs())


def test_two_paraphrase_groups_give_two_points_counted_by_respondent(open_points):
    points, unprocessed = open_points
    assert list(points["n_respondents"]) == [4, 2]
    assert set(points["base"]) == {6}
    assert list(points["quantifier"]) == ["most", "many"]  # 4/6 > half; 2/6 >= 30%
    assert list(points["n_sentences"]) == [5, 2]  # r1's two sentences, one respondent
    assert list(points["side"]) == ["all", "all"]
    assert list(points["point_id"]) == ["q2/housing/all/1", "q2/housing/all/2"]
    first = set(points.loc[0, "member_evidence"].split(";"))
    assert {m.split(":")[0] for m in first} == {"r1", "r2", "r3", "r4"}
    assert points.loc[0, "quote"] in RENTS
    assert points.loc[1, "quote"] in BUILD
    assert unprocessed.empty  # every sentence is in a point
    schemas.validate(points, schemas.POINTS)


def test_every_point_is_traceable_to_its_source(open_points):
    points, _ = open_points
    texts = dict(
        zip(*(make_inputs().respondents[c] for c in ("respondent_id", "text")), strict=True)
    )
    for p in points.itertuples():
        assert texts[p.respondent_id][p.start : p.end] == p.quote
        for member in p.member_evidence.split(";"):
            rid, span = member.split(":")
            start, end = (int(x) for x in span.split("-"))
            assert texts[rid][start:end].lstrip("- ") != ""


def test_the_same_points_whatever_the_input_order(open_points):
    inputs = make_inputs()
    shuffled = inputs.codes.sample(frac=1.0, random_state=3).reset_index(drop=True)
    again, _ = synthesise(
        AnalysisInputs(
            **{**inputs.__dict__, "codes": shuffled, "respondents": inputs.respondents[::-1]}
        )
    )
    pd.testing.assert_frame_equal(again, open_points[0])


def test_list_markers_are_trimmed_and_the_offsets_follow():
    text = "Intro. - Rents are too high."
    quote, start = trim_marker(text[7:], 7)
    assert quote == "Rents are too high." and text[start : start + len(quote)] == quote
    assert trim_marker("(a) Build homes.", 0) == ("Build homes.", 4)
    assert trim_marker("2. Build homes.", 10) == ("Build homes.", 13)
    assert trim_marker("A. B. Smith agrees.", 0)[0] == "B. Smith agrees."  # a known limit
    assert trim_marker("Build homes.", 5) == ("Build homes.", 5)


def test_supporters_and_opponents_points_are_kept_apart():
    q1 = {
        "a1": ("agree", [RENTS[0]]),
        "a2": ("strongly_agree", [RENTS[1]]),
        "a3": ("agree", [BUILD[0]]),
        "d1": ("disagree", [RENTS[2]]),
        "d2": ("strongly_disagree", [RENTS[3]]),
        "n1": ("dont_know", [BUILD[1]]),
    }
    points, unprocessed = synthesise(make_inputs(q2={}, q1=q1))
    by_side = {s: g for s, g in points.groupby("side")}
    assert set(by_side) == {"agree", "disagree"}
    agree, disagree = by_side["agree"], by_side["disagree"]
    assert list(agree["n_respondents"]) == [2] and set(agree["base"]) == {3}
    assert agree["quote"].iloc[0] in RENTS[:2]
    assert list(disagree["n_respondents"]) == [2] and set(disagree["base"]) == {2}
    assert list(disagree["quantifier"]) == ["all"]
    # a3's lone point is not among the main points; n1 alone on the 'neither' side has too small a base.
    reasons = dict(zip(unprocessed["respondent_id"], unprocessed["reason"], strict=True))
    assert reasons == {"a3": "not among the main points", "n1": "base below min_base"}


def test_no_shared_point_keeps_the_most_typical_sentence_alone():
    q2 = {"r1": [RENTS[0]], "r2": [BUILD[0]], "r3": ["Bus fares are too expensive for students."]}
    points, unprocessed = synthesise(make_inputs(q2=q2))
    assert list(points["n_respondents"]) == [1] and list(points["quantifier"]) == ["one"]
    assert list(points["base"]) == [3]
    assert len(unprocessed) == 2


@pytest.mark.parametrize(
    ("k", "n", "word"),
    [
        (11, 11, "all"),
        (10, 11, "almost all"),
        (9, 10, "almost all"),
        (6, 11, "most"),
        (5, 10, "many"),  # exactly half is not most
        (3, 10, "many"),
        (2, 10, "some"),
        (2, 25, "a few"),
        (1, 1, "one"),
        (1, 40, "one"),
    ],
)
def test_quantifier_convention(k, n, word):
    assert quantifier(k, n) == word


def test_no_codes_no_points():
    inputs = make_inputs()
    empty = AnalysisInputs(**{**inputs.__dict__, "codes": schemas.empty(schemas.CODES)})
    points, unprocessed = synthesise(empty)
    assert points.empty and list(points.columns) == schemas.POINTS.names
    assert unprocessed.empty


def test_the_report_writes_each_point_with_its_count_and_base_and_sides_apart():
    from helpers.report import synthesis as rs
    from helpers.report.context import ReportContext
    from helpers.report.templating import render

    q1 = {
        "a1": ("agree", [RENTS[0]]),
        "a2": ("strongly_agree", [RENTS[1]]),
        "a3": ("agree", [RENTS[2]]),
        "d1": ("disagree", [BUILD[0]]),
        "d2": ("strongly_disagree", [BUILD[1]]),
    }
    ctx = ReportContext(make_inputs(q1=q1), figs={})
    data = rs.theme_points(ctx, "q1", "housing")
    assert [g["heading"] for g in data["groups"]] == [
        "Respondents who agreed",
        "Respondents who disagreed",
    ]
    agree, disagree = (g["points"][0] for g in data["groups"])
    assert agree["sentence"] == (
        "All respondents who agreed and raised this theme (3 of 3) made this point:"
    )
    assert disagree["sentence"] == (
        "All respondents who disagreed and raised this theme (2 of 2) made this point:"
    )
    assert agree["quote"] in RENTS and agree["attribution"].startswith("Respondent ")
    assert rs.theme_points(ctx, "q2", "support") is None  # no one raised it
    html = render("sections/synthesis.html.j2", None, theme={"points": data})
    assert html.index("Respondents who agreed (3 raised this theme)") < html.index(
        "Respondents who disagreed (2 raised this theme)"
    )
    assert html.count("<blockquote") == 2


def test_point_sentences_follow_the_convention():
    from helpers.report.synthesis import point_sentence

    assert point_sentence("most", 8, 11) == (
        "Most respondents who raised this theme (8 of 11) made this point:"
    )
    assert point_sentence("a few", 2, 40, "neither") == (
        "A few respondents with no view either way who raised this theme (2 of 40) made this point:"
    )
    assert point_sentence("one", 1, 5) == (
        "Their points differed; the most typical, from one respondent (1 of 5):"
    )


def test_above_the_exact_limit_a_sample_is_clustered_and_the_rest_join_it():
    from helpers.analysis.sentence_clusters import cluster_sentences, embed

    texts = RENTS + ["The council should build more social housing."] * 2 + BUILD
    keys = [f"r{i}:0-10" for i in range(len(texts))]
    vectors = embed(texts)
    exact = cluster_sentences(vectors, keys)
    sampled = cluster_sentences(vectors, keys, max_clustered=4)
    # Same partition: the rents sentences together, the building ones together.
    for labels in (exact, sampled):
        assert len(set(labels[:5])) == 1 and len(set(labels[5:])) == 1
        assert labels[0] != labels[5] and -1 not in labels
    order = list(reversed(range(len(texts))))
    again = cluster_sentences(vectors[order], [keys[i] for i in order], max_clustered=4)
    assert [again[order.index(i)] == again[order.index(0)] for i in range(len(texts))] == [
        sampled[i] == sampled[0] for i in range(len(texts))
    ]


def test_the_report_shows_no_points_when_no_two_respondents_shared_one():
    from helpers.report import synthesis as rs
    from helpers.report.context import ReportContext

    q2 = {"r1": [RENTS[0]], "r2": [BUILD[0]], "r3": ["Bus fares are too expensive for students."]}
    ctx = ReportContext(make_inputs(q2=q2), figs={})
    assert len(rs.report_points(ctx)) == 1  # the table keeps the most typical sentence
    assert rs.theme_points(ctx, "q2", "housing") is None  # the theme's quotes say as much
