"""ReviewSession: filters, pages, decisions in overrides.csv, undo (tables from test_explore).

The fixture's offsets were counted by hand in tests/test_explore.py: in R1 the Q1
answer is 3..52 ("Housing" 13..20, "stability" 38..47), the Q2 answer 56..73;
in R2 the answer is 14..47 with "money" at 14..19 and "housing" at 24..31.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from test_explore import R1, R2, make_data

from helpers import coding, explore
from helpers.core import schemas
from helpers.core.palette import PALETTE
from helpers.review import ReviewSession

CODEBOOK = coding.parse_codebook(
    {
        "id": "t",
        "title": "T",
        "themes": [
            {"id": "housing", "label": "Housing", "patterns": ["housing"]},
            {"id": "stability", "label": "Stability", "patterns": ["stability"]},
            {"id": "funding", "label": "Funding", "patterns": ["money"]},
        ],
    }
)


def session(tmp_path, **kw) -> ReviewSession:
    return ReviewSession(
        make_data(), tmp_path / "overrides.csv", codebook=CODEBOOK, coder="ann", **kw
    )


def rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["respondent_id"], frame["question_id"], strict=True))


def test_filters_match_the_hand_made_tables(tmp_path):
    s = session(tmp_path)
    assert keys(s.filter()) == [("r1", "q1"), ("r1", "q2"), ("r2", "q2")]
    assert keys(s.filter(question="q2")) == [("r1", "q2"), ("r2", "q2")]
    assert keys(s.filter(theme="housing")) == [("r1", "q1"), ("r1", "q2")]
    assert keys(s.filter(theme="funding", question="q1")) == []
    assert keys(s.filter(stance="agree")) == [("r1", "q1")]
    assert keys(s.filter(respondent_type="individual")) == [("r2", "q2")]
    assert keys(s.filter(search="MONEY")) == [("r2", "q2")]
    assert keys(s.filter(search="a+b")) == [("r2", "q2")]  # literal, not a regex
    with pytest.raises(ValueError):
        s.filter(stance="maybe")


def test_attribute_filter_reads_the_attributes_table(tmp_path):
    attrs = pd.DataFrame({"respondent_id": ["r2"], "attribute_id": ["area"], "value_id": ["north"]})
    s = session(tmp_path, attributes=attrs)
    assert keys(s.filter(attribute=("area", "north"))) == [("r2", "q2")]
    assert keys(s.filter(attribute=("area", "south"))) == []


def test_a_page_renders_only_its_answers_escaped_and_coloured(tmp_path):
    s = session(tmp_path, page_size=2)
    s.filter()
    assert s.n_pages == 2
    first = s.page_html(0)
    assert first.count('class="review-answer"') == 2
    assert "1–2 of 3 answer(s) · page 1 of 2" in first
    # respondent text is escaped, never markup
    assert "&lt;b&gt;matters&lt;/b&gt;" in first and "<b>matters" not in first
    # housing is the codebook's first theme: the palette's first colour, method named
    assert f"background: {PALETTE['blue']}33" in first
    assert "Housing &#34;and&#34; homes (dictionary)" in first  # the label, escaped
    second = s.page_html(1)
    assert second.count('class="review-answer"') == 1 and "r2 · q2" in second
    assert s.page(5).equals(s.page(1))  # clamped to the last page


def test_decisions_are_written_at_once_and_shown_after_refresh(tmp_path):
    s = session(tmp_path)
    path = tmp_path / "overrides.csv"
    s.add("r2", "q2", "housing", "names housing costs", 24, 31)
    assert rows(path) == [
        {
            "respondent_id": "r2",
            "question_id": "q2",
            "theme_id": "housing",
            "action": "add",
            "quote": "housing",
            "coder": "ann",
            "note": "names housing costs",
        }
    ]
    added = s.codes_for("r2", "q2")
    manual = added[added["method"] == "manual"]
    assert (manual["theme_id"].tolist(), manual["start"].tolist(), manual["end"].tolist()) == (
        ["housing"],
        [24],
        [31],
    )
    assert keys(s.filter(theme="housing")) == [("r1", "q1"), ("r1", "q2"), ("r2", "q2")]

    s.remove("r1", "q2", "housing", "a heading, not a view")
    assert s.codes_for("r1", "q2").empty
    assert keys(s.filter(theme="housing")) == [("r1", "q1"), ("r2", "q2")]

    s.accept("r1", "q1", "stability", "right")
    assert rows(path)[-1]["quote"] == R1[38:52] == "stability too."
    assert rows(path)[-1]["note"] == "accepted: right"

    s.set_stance("r1", "q1", "disagree", "sarcastic", 3, 12)
    assert s.stance_of("r1", "q1") == "disagree"
    st = s.stances[s.stances["respondent_id"] == "r1"].iloc[0]
    assert (st["method"], st["score"], st["evidence"]) == ("manual", -1.0, "We agree.")
    assert keys(s.filter(stance="disagree")) == [("r1", "q1")]
    assert [r["action"] for r in rows(path)] == ["add", "remove", "add", "stance"]


def test_undo_takes_back_only_this_sessions_last_decision(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(
        "respondent_id,question_id,theme_id,action,quote,coder,note\n"
        "r2,q2,funding,remove,,bob,earlier\n",
        encoding="utf-8",
    )
    s = session(tmp_path)
    assert s.codes_for("r2", "q2").empty  # bob's earlier remove applies
    s.set_stance("r1", "q1", "neither", "hedged")
    s.remove("r1", "q1", "stability", "no")
    assert s.undo()["action"] == "remove"
    assert [r["action"] for r in rows(path)] == ["remove", "stance"]
    assert s.undo()["action"] == "stance"
    assert s.stance_of("r1", "q1") == "agree"
    assert s.undo() is None
    assert rows(path) == [
        {
            "respondent_id": "r2",
            "question_id": "q2",
            "theme_id": "funding",
            "action": "remove",
            "quote": "",
            "coder": "bob",
            "note": "earlier",
        }
    ]


def test_bad_decisions_are_refused_before_anything_is_written(tmp_path):
    s = session(tmp_path)
    with pytest.raises(ValueError, match="reason"):
        s.remove("r1", "q1", "housing", " ")
    with pytest.raises(ValueError, match="outside the answer"):
        s.add("r1", "q1", "housing", "x", 50, 60)  # the Q1 answer ends at 52
    with pytest.raises(KeyError):
        s.add("r1", "q1", "nope", "x")
    with pytest.raises(KeyError):
        s.set_stance("r2", "q2", "agree", "x")  # q2 is not a closed question here
    with pytest.raises(KeyError):
        s.accept("r2", "q2", "housing", "x")  # no automatic housing code to accept
    assert not (tmp_path / "overrides.csv").exists()


def test_written_file_neutralises_formulas_and_the_pipeline_reads_it(tmp_path):
    s = session(tmp_path)
    s.add("r2", "q2", "funding", "=HYPERLINK(1)", 14, 19)
    s.set_stance("r1", "q1", "strongly_agree", "+clear")
    raw = (tmp_path / "overrides.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in raw and "'+clear" in raw
    d = make_data()
    codes = coding.apply_overrides(
        d.codes, tmp_path / "overrides.csv", d.answers, d.respondents, CODEBOOK
    )
    manual = codes[codes["source"] == "manual_add"]
    assert manual[["theme_id", "start", "end"]].values.tolist() == [["funding", 14, 19]]
    stances = coding.apply_stance_overrides(
        d.stances, tmp_path / "overrides.csv", d.answers, d.respondents
    )
    assert stances["stance"].tolist() == ["strongly_agree"]
    # the learned coder's labels read add/remove only
    labels = coding.read_override_decisions(tmp_path / "overrides.csv")
    assert labels["action"].tolist() == ["add"]


def test_sentences_are_the_answers_passages(tmp_path):
    s = session(tmp_path)
    got = s.sentences("r1", "q1")
    assert got == [(3, 12, "We agree."), (13, 52, R1[13:52])]
    assert s.sentences("r2", "q2") == [(14, len(R2), R2[14:])]


def test_widget_holds_one_page_and_writes_through_the_session(tmp_path):
    pytest.importorskip("ipywidgets")
    s = session(tmp_path, page_size=2)
    box = s.widget()
    assert box.page.value.count('class="review-answer"') == 2
    assert "text/html" in box._repr_mimebundle_()
    target, _passage, offsets = box.children[4].children
    code_theme, _stance, reason = box.children[5].children
    remove = box.children[6].children[1]
    assert target.value == ("r1", "q1") and remove.description == "Remove"
    code_theme.value, reason.value = "stability", "not about stability"
    remove.click()
    assert [(r["theme_id"], r["action"], r["note"]) for r in rows(tmp_path / "overrides.csv")] == [
        ("stability", "remove", "not about stability")
    ]
    assert "Stability" not in box.page.value  # the page was redrawn without it
    add = box.children[6].children[2]
    code_theme.value, reason.value, offsets.value = "housing", "names it", "13:20"
    add.click()
    last = rows(tmp_path / "overrides.csv")[-1]
    assert (last["theme_id"], last["action"], last["quote"]) == ("housing", "add", "Housing")
    status = box.children[6].children[-1]
    offsets.value = "13:99"  # past the end of the Q1 answer (52): refused, nothing written
    add.click()
    assert status.value.startswith("not written: passage 13:99 is outside the answer")
    assert len(rows(tmp_path / "overrides.csv")) == 2


def test_choosing_all_again_keeps_the_filter_visible_and_cleared(tmp_path):
    pytest.importorskip("ipywidgets")
    box = session(tmp_path).widget()
    question, theme, _stance = box.children[0].children
    apply = box.children[1].children[-1]
    theme.value = "funding"
    apply.click()
    assert box.page.value.count('class="review-answer"') == 1
    theme.index = 0  # what the browser sends when "(all)" is picked again
    assert (theme.index, theme.label) == (0, "(all)")  # not a blank box (index None)
    apply.click()
    assert box.page.value.count('class="review-answer"') == 3
    assert (question.index, question.label) == (0, "(all)")


def test_one_page_of_100000_answers(tmp_path):
    n = 100_000
    ids = [f"r{i}" for i in range(n)]
    text = "Housing matters here."
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "text": [text] * n,
            "organisation": [None] * n,
            "respondent_type": ["individual"] * n,
        }
    )
    answers = pd.DataFrame(
        {
            "respondent_id": ids,
            "question_id": ["q1"] * n,
            "start": [0] * n,
            "end": [len(text)] * n,
            "answer_text": [text] * n,
        }
    )
    half = ids[::2]
    codes = pd.DataFrame(
        {
            "respondent_id": half,
            "question_id": "q1",
            "theme_id": "housing",
            "start": 0,
            "end": 7,
            "quote": "Housing",
            "negated": False,
            "method": "dictionary",
            "source": "auto",
        }
    )
    data = explore.ProcessedData(
        respondents=respondents,  # only the columns a review reads
        answers=answers,
        codes=schemas.conform(codes, schemas.CODES),
        stances=schemas.empty(schemas.STANCES_TABLE),
    )
    s = ReviewSession(data, tmp_path / "overrides.csv", codebook=CODEBOOK)
    assert len(s.filter(theme="housing")) == n // 2
    html = s.page_html(3)
    assert html.count('class="review-answer"') == 20
    assert "61–80 of 50000 answer(s)" in html
    pytest.importorskip("ipywidgets")
    assert s.widget().page.value.count('class="review-answer"') == 20


def test_the_legend_lists_each_theme_once_with_its_passages():
    from helpers.review import render

    def passage(tid, method, negated=False):
        return {
            "theme_id": tid,
            "label": tid.title(),
            "colour": "#000",
            "methods": method,
            "negated": negated,
        }

    got = render.legend(
        [
            passage("housing", "dictionary"),
            passage("housing", "manual"),
            passage("housing", "dictionary", negated=True),
            passage("care", "semantic", negated=True),
        ]
    )
    assert [(e["label"], e["methods"], e["n"], e["negated"]) for e in got] == [
        ("Housing", "dictionary, manual", 2, 1),
        ("Care", "semantic", 0, 1),
    ]
