"""Tests for helpers.explore on small hand-made frames (offsets counted by hand)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from helpers import explore
from helpers.core import schemas

# Respondent r1's text; offsets below were counted by hand against it:
# "Q1\n" is 0..3; the Q1 answer is 3..52 ("Housing" 13..20, "stability" 38..47);
# "\nQ2\n" is 52..56; the Q2 answer is 56..73 (second "housing" at 65).
R1 = "Q1\nWe agree. Housing <b>matters</b> & stability too.\nQ2\nHousing, housing."
# "Survey reply: " is 0..14; "money" 14..19; "housing" 24..31.
R2 = "Survey reply: money for housing (a+b) is short."


def make_data() -> explore.ProcessedData:
    respondents = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2"],
            "source_file": ["r1.txt", "survey.csv"],
            "source_sha256": ["a" * 64, "b" * 64],
            "source_format": ["txt", "csv"],
            "source_row": [None, 1],
            "encoding": ["utf-8", None],
            "organisation": ["Org <One>", None],
            "organisation_source": ["metadata", "none"],
            "respondent_type": ["charity_voluntary", "individual"],
            "respondent_type_source": ["metadata", "survey"],
            "text": [R1, R2],
            "n_chars": [len(R1), len(R2)],
        }
    )
    answers = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2"],
            "question_id": ["q1", "q2", "q2"],
            "question_number": [1, 2, 2],
            "start": [3, 56, 14],
            "end": [52, 73, len(R2)],
            "answer_text": [R1[3:52], R1[56:73], R2[14:]],
            "heading_text": ["Q1", "Q2", None],
            "heading_start": [0, 53, None],
            "match_method": ["number", "number", "survey_column"],
            "match_score": [1.0, 1.0, 1.0],
            "tick_box": [None, None, None],
            "warning": [None, None, None],
            "substantive": [True, True, True],
        }
    )
    codes = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r1", "r2"],
            "question_id": ["q1", "q1", "q2", "q2"],
            "theme_id": ["housing", "stability", "housing", "funding"],
            # housing span 13..52 overlaps stability span 38..52 (hand-made spans)
            "start": [13, 38, 56, 14],
            "end": [52, 52, 73, len(R2)],
            "quote": [R1[13:52], R1[38:52], R1[56:73], R2[14:]],
            "match_start": [13, 38, 56, 14],
            "match_end": [20, 47, 63, 19],
            "matched_text": ["Housing", "stability", "Housing", "money"],
            "pattern": ["housing", "stability", "housing", "money"],
            "negated": [False, False, False, False],
            "method": ["dictionary"] * 4,
            "source": ["auto"] * 4,
        }
    )
    stances = pd.DataFrame(
        {
            "respondent_id": ["r1"],
            "question_id": ["q1"],
            "stance": ["agree"],
            "score": [1.0],
            "reservations": [False],
            "confidence": [0.9],
            "evidence": ["We agree."],
            "start": [3],
            "end": [12],
            "method": ["text"],
            "tick_box": [None],
            "text_stance": ["agree"],
            "conflict": [False],
            "reservation": [None],
            "reservation_start": [None],
            "reservation_end": [None],
        }
    )
    return explore.ProcessedData(
        respondents=schemas.conform(respondents, schemas.RESPONDENTS),
        answers=schemas.conform(answers, schemas.ANSWERS),
        codes=schemas.conform(codes, schemas.CODES),
        stances=schemas.conform(stances, schemas.STANCES_TABLE),
        theme_labels={"housing": 'Housing "and" homes', "stability": "Stability"},
    )


def _strip_tags(s: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", s))


def test_offsets_in_fixture_are_what_the_comments_say():
    assert R1[3:52] == "We agree. Housing <b>matters</b> & stability too."
    assert R1[56:73] == "Housing, housing."
    assert (R1[13:20], R1[38:47], R1[65:72]) == ("Housing", "stability", "housing")
    assert (R2[14:19], R2[24:31]) == ("money", "housing")


def test_highlight_escapes_text_and_titles():
    text = 'a <script>alert("x")</script> b'
    out = explore.highlight(text, [(2, 29, 'T"1 & <x>')])
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert 'title="T&quot;1 &amp; &lt;x&gt;"' in out
    assert _strip_tags(out) == text


def test_highlight_overlapping_spans_do_not_nest():
    text = "abcdefghij"
    # A covers 1..6, B covers 4..9: pieces a | bcd (A) | ef (A;B) | ghi (B) | j
    out = explore.highlight(text, [(1, 6, "A"), (4, 9, "B")])
    assert out == (
        'a<mark title="A">bcd</mark>'
        '<mark title="A; B" class="overlap">ef</mark>'
        '<mark title="B">ghi</mark>j'
    )
    assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", out)  # none nested


def test_highlight_clips_to_window():
    out = explore.highlight("0123456789", [(0, 5, "A")], start=3, end=7)
    assert out == '<mark title="A">34</mark>56'


def test_answer_html_marks_coded_sentences_and_escapes():
    data = make_data()
    out = explore.answer_html(data, "r1", "q1")
    assert "Org &lt;One&gt;" in out
    assert "<b>matters</b>" not in out and "&lt;b&gt;matters&lt;/b&gt;" in out
    # housing alone for 13..38, then housing+stability for 38..51
    assert '<mark title="Housing &quot;and&quot; homes">Housing &lt;b&gt;' in out
    assert '<mark title="Housing &quot;and&quot; homes; Stability" class="overlap">' in out
    body = re.search(r'<div style="white-space: pre-wrap">(.*)</div>', out, re.S).group(1)
    assert _strip_tags(body) == R1[3:52]


def test_answer_html_match_mode_marks_only_words():
    out = explore.answer_html(make_data(), "r1", "q2", use="match")
    assert out.count("<mark") == 1
    assert '<mark title="Housing &quot;and&quot; homes">Housing</mark>, housing.' in out


def test_kwic_offsets_and_context():
    data = make_data()
    hits = explore.kwic(data, "housing", width=5)
    assert list(hits["start"]) == [13, 56, 65, 24]
    assert list(hits["respondent_id"]) == ["r1", "r1", "r1", "r2"]
    for h in hits.itertuples():
        assert data.text_of(h.respondent_id)[h.start : h.end] == h.match
    first = hits.iloc[0]
    assert (first["left"], first["match"], first["right"]) == ("ree. ", "Housing", " <b>m")
    # context never crosses the answer boundary (q2 answer starts at 56)
    assert hits.iloc[1]["left"] == ""
    assert hits.iloc[1]["right"] == ", hou"


def test_kwic_keyword_is_literal_unless_regex():
    data = make_data()
    assert len(explore.kwic(data, "(a+b)")) == 1  # literal parentheses and plus
    assert len(explore.kwic(data, ".")) == 4  # agree. too. housing. short.
    assert len(explore.kwic(data, "hous\\w+", regex=True)) == 4
    assert len(explore.kwic(data, "hous\\w+")) == 0


def test_kwic_case_and_whole_word():
    data = make_data()
    assert len(explore.kwic(data, "Housing", case_sensitive=True)) == 2
    assert len(explore.kwic(data, "hous", whole_word=True)) == 0
    assert len(explore.kwic(data, "housing", question="q2")) == 3


def test_quotes_for_theme_and_stance():
    data = make_data()
    q = explore.quotes_for(data, "q1", theme="housing")
    assert list(q["quote"]) == [R1[13:52]]
    assert q.iloc[0]["respondent"] == "Org <One>"
    q2 = explore.quotes_for(data, "q2", theme="housing")
    assert list(q2["respondent_id"]) == ["r1"]
    s = explore.quotes_for(data, "q1", stance="agree")
    assert list(s["quote"]) == ["We agree."]
    assert explore.quotes_for(data, "q1", stance="disagree").empty
    with pytest.raises(ValueError):
        explore.quotes_for(data, "q1", theme="housing", stance="agree")


def test_quotes_for_ignores_negated_codes():
    data = make_data()
    data.codes.loc[0, "negated"] = True
    assert explore.quotes_for(data, "q1", theme="housing").empty


def test_filter_answers():
    data = make_data()
    assert list(explore.filter_answers(data, theme="housing")["question_id"]) == ["q1", "q2"]
    assert list(explore.filter_answers(data, stance="agree")["respondent_id"]) == ["r1"]
    got = explore.filter_answers(data, question="q2", respondent_type="individual")
    assert list(got["respondent_id"]) == ["r2"]
    assert got.iloc[0]["respondent"] == "r2"  # no organisation: falls back to the id
    with pytest.raises(ValueError):
        explore.filter_answers(data, stance="yes")


def test_quote_browser_html_fallback_escapes():
    data = make_data()
    out = explore.quote_browser(data, interactive=False)
    page = out._repr_html_()
    assert "Org &lt;One&gt;" in page and "We agree." in page


def test_quote_browser_widget_carries_html_fallback():
    import ipywidgets  # noqa: F401  (a declared requirement: a missing install must fail)

    box = explore.quote_browser(make_data())
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "We agree." in bundle["text/html"]


def test_load_processed_reads_parquet(tmp_path):
    data = make_data()
    data.respondents.to_parquet(tmp_path / "respondents.parquet")
    data.answers.to_parquet(tmp_path / "answers.parquet")
    loaded = explore.load_processed(tmp_path)
    assert loaded.text_of("r1") == R1
    assert loaded.codes.empty and list(loaded.codes.columns) == schemas.CODES.names
    with pytest.raises(FileNotFoundError, match="respondents.parquet"):
        explore.load_processed(tmp_path / "nowhere")
