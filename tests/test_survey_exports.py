"""Survey exports in each platform's header style: every row a respondent, "Don't know" apart.

The exports are real files (csv module, openpyxl) laid out as Citizen Space,
SmartSurvey, Microsoft Forms and Qualtrics write them, with the things real
exports have: a byte-order mark, Excel's trailing empty columns and rows, a
blank row in the middle, multi-line cells, rows with an id and no answer, a
row with answers and no id, "Don't know"/"Not sure"/"No opinion" ticks and
blank ticks. Every expected count below was worked out by hand from the rows.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest
from builders import make_csv, make_xlsx

from helpers import analysis
from helpers.analysis import charts
from helpers.core.consultation import ConsultationError, load_consultation, parse_consultation
from helpers.ingest.readers.survey import clean_cell
from helpers.ingest.stage import read_document, run_ingest
from helpers.ingest.textnorm import normalise
from helpers.report.narrative import stance_sentence
from helpers.stance import stance_answers, stance_summary, tick_box_stance

QUESTIONS = """\
id: test-survey
title: A test consultation
questions:
  - id: capacity
    kind: profile
    text: Are you responding as an individual or on behalf of an organisation?
  - id: q1
    number: 1
    kind: closed
    text: To what extent do you agree with the proposal?
  - id: q2
    number: 2
    kind: open
    text: What should change?
"""


def _consultation(tmp_path: Path, survey: str) -> Path:
    path = tmp_path / "consultation.yaml"
    path.write_text(QUESTIONS + survey, encoding="utf-8")
    return path


def _ingest(tmp_path: Path, consultation: Path, maker, name: str, rows) -> tuple:
    inp = tmp_path / "in"
    inp.mkdir()
    maker(inp / name, rows)
    result = run_ingest(inp, consultation, tmp_path / "out", metadata_file=None)
    return result, result.log.set_index("file").loc[name]


# --- Citizen Space: CSV with a BOM, preset columns, blanks, Don't know -----------------

CS_HEADER = [
    "Response ID",
    "Started",
    "Submitted",
    "Organisation name",
    "Are you responding as an individual or on behalf of an organisation?",
    "Q1. To what extent do you agree with the proposal?",
    "Q1. Please explain your answer",
    "Q2. What should change?",
    "",  # Excel's trailing empty columns
    "",
]
CS_ROWS = [
    [
        "CS-1",
        "2024-01-02",
        "2024-01-02",
        "Acme Trust",
        "Charity",
        "Agree",
        "It helps.",
        "More.",
        "",
        "",
    ],
    [
        "CS-2",
        "2024-01-02",
        "2024-01-03",
        "",
        "Individual",
        "Don't know",
        "Not sure yet",
        "Line one\nLine two",
        "",
        "",
    ],
    ["CS-3", "2024-01-03", "2024-01-03", "", "", "", "", "", "", ""],  # an id and nothing else
    ["", "", "", "", "", "", "", "", "", ""],  # a blank row in the middle: no respondent
    ["CS-4", "2024-01-04", "2024-01-04", "", "Individual", "", "", "Fewer forms.", "", ""],
    ["CS-5", "2024-01-05", "2024-01-05", "", "Individual", "Not sure", "", "", "", ""],
    [
        "CS-6",
        "2024-01-05",
        "2024-01-06",
        "Kent County Council",
        "Local authority",
        "Strongly disagree",
        "",
        "",
        "",
        "",
    ],
    ["", "", "", "", "", "", "", "", "", ""],  # Excel's trailing blank rows
    ["", "", "", "", "", "", "", "", "", ""],
]
CS_SURVEY = """\
survey:
  preset: citizen_space
  questions:
    capacity: {text: "Are you responding as an individual or on behalf of an organisation?"}
    q1: {tick_box: "Q1. To what extent do you agree with the proposal?", text: "Q1. Please explain your answer"}
    q2: {text: "Q2. What should change?"}
"""


@pytest.fixture
def citizen_space(tmp_path):
    consultation = _consultation(tmp_path, CS_SURVEY)
    result, log = _ingest(
        tmp_path,
        consultation,
        lambda p, r: make_csv(p, r, "utf-8-sig"),
        "export.csv",
        [CS_HEADER, *CS_ROWS],
    )
    return load_consultation(consultation), result, log


def test_citizen_space_every_row_with_anything_in_it_is_a_respondent(citizen_space):
    cons, result, log = citizen_space
    resp = result.respondents.set_index("respondent_id")
    assert list(resp.index) == ["CS-1", "CS-2", "CS-3", "CS-4", "CS-5", "CS-6"]
    # Data rows count from 1 under the header, the blank row included.
    assert resp["source_row"].tolist() == [1, 2, 3, 5, 6, 7]
    assert resp.loc["CS-3", "text"] == "" and resp.loc["CS-3", "respondent_type"] == "unknown"
    assert (log.status, log.n_respondents, log.n_answers) == ("processed", 6, 18)
    assert "3 blank row(s) (no id, no answer in any cell) are not respondents" in log.reason
    # The preset found the organisation and type columns the file did not name.
    assert "organisation read from column 'Organisation name'" in log.reason
    assert resp.loc["CS-1", "organisation"] == "Acme Trust"
    assert resp.loc["CS-6", "respondent_type"] == "local_authority"
    assert resp.loc["CS-2", "respondent_type"] == "individual"
    assert not result.log.status.isin(["failed", "skipped"]).any()


def test_citizen_space_answers_every_mapped_question_and_keeps_multiline_cells(citizen_space):
    _, result, _ = citizen_space
    a = result.answers
    assert a.groupby("respondent_id").size().to_dict() == dict.fromkeys(
        ["CS-1", "CS-2", "CS-3", "CS-4", "CS-5", "CS-6"], 3
    )
    cs3 = a[a.respondent_id == "CS-3"]
    assert (cs3.answer_text == "").all() and cs3.tick_box.isna().all()
    cs2 = a[(a.respondent_id == "CS-2")].set_index("question_id")
    assert cs2.loc["q2", "answer_text"] == "Line one\nLine two"
    assert cs2.loc["q1", "tick_box"] == "Don't know"
    texts = dict(zip(result.respondents.respondent_id, result.respondents.text, strict=True))
    for r in a.itertuples():
        assert texts[r.respondent_id][r.start : r.end] == r.answer_text


def test_citizen_space_stances_dont_know_apart_and_blank_not_answered(citizen_space):
    cons, result, _ = citizen_space
    st = stance_answers(result.answers, result.respondents, cons).set_index("respondent_id")
    assert st["stance"].to_dict() == {
        "CS-1": "agree",
        "CS-2": "dont_know",  # "Don't know", never "neither"
        "CS-3": "not_answered",  # the empty row
        "CS-4": "not_answered",  # a blank tick box and no comment on q1
        "CS-5": "dont_know",  # "Not sure"
        "CS-6": "strongly_disagree",
    }
    assert math.isnan(st.loc["CS-2", "score"]) and not st.loc["CS-2", "conflict"]
    dist = analysis.stance_distribution(st.reset_index(), result.respondents, cons)
    q1 = dist[dist.question_id == "q1"].set_index("stance")
    assert q1["n"].to_dict() == {
        "strongly_agree": 0,
        "agree": 1,
        "neither": 0,
        "disagree": 0,
        "strongly_disagree": 1,
        "dont_know": 2,
        "not_answered": 2,
    }
    # The base is those who gave a view on the scale: 2, not 4 (who answered) or 6.
    assert set(q1["base"]) == {2} and set(q1["n_answered"]) == {4}
    assert set(q1["n_dont_know"]) == {2} and set(q1["n_not_answered"]) == {2}
    assert q1.loc["agree", "percent"] == 50.0 and q1.loc["strongly_disagree", "percent"] == 50.0
    assert math.isnan(q1.loc["dont_know", "percent"])
    table = analysis.stance_table(dist, "q1")
    assert list(table.columns) == [
        "Group",
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
        "n",
        "Don't know",
        "No answer",
    ]
    assert table.iloc[0].tolist() == [
        "All respondents",
        "0 (0%)",
        "1 (50%)",
        "0 (0%)",
        "0 (0%)",
        "1 (50%)",
        2,
        2,
        2,
    ]
    summary = stance_summary(st.reset_index(), cons).set_index("question_id")
    assert summary.loc["q1", "Don't know"] == 2 and summary.loc["q1", "Not answered"] == 2


def test_dont_know_chart_panel_and_sentence(citizen_space, tmp_path):
    cons, result, _ = citizen_space
    st = stance_answers(result.answers, result.respondents, cons)
    dist = analysis.stance_distribution(st, result.respondents, cons)
    fig = charts.stance_chart(dist, "q1", tmp_path / "q1")
    assert len(fig.axes) == 2  # the scale's 100% bar, and "Don't know" apart
    assert (
        fig.axes[0].get_title(loc="left")
        == "n = 2 who gave a view; 2 did not know; 2 did not answer"
    )
    assert [p.get_width() for p in fig.axes[1].patches] == [2]
    assert (tmp_path / "q1.png").is_file()
    counts = dict(
        zip(dist[dist.question_id == "q1"].stance, dist[dist.question_id == "q1"].n, strict=True)
    )
    assert stance_sentence(counts) == (
        "Half of respondents (1 of 2) agreed and one strongly disagreed. "
        "Two respondents said they did not know. "
        "Two respondents did not answer this question."
    )
    assert (
        stance_sentence({"dont_know": 3})
        == "No respondent gave a view: three respondents said they did not know."
    )


# --- SmartSurvey: XLSX, explicit columns, an answer with no id ------------------------

SS_HEADER = [
    "UserNo",
    "Name",
    "Email",
    "IP Address",
    "Started",
    "Ended",
    "1. Are you responding as an individual or on behalf of an organisation?",
    "2. To what extent do you agree with the proposal?",
    "3. Please explain your answer",
    "4. What should change?",
]
SS_ROWS = [
    [
        101,
        "A Person",
        "a@example.org",
        "10.0.0.1",
        dt.datetime(2024, 1, 2, 9),
        dt.datetime(2024, 1, 2, 9, 5),
        "Individual",
        "No opinion",
        "",
        "Nothing.",
    ],
    [
        102,
        "B Person",
        "b@example.org",
        "10.0.0.2",
        dt.datetime(2024, 1, 2, 10),
        None,
        None,
        None,
        None,
        None,
    ],
    [None] * 10,  # a blank row: no respondent
    [
        None,
        None,
        None,
        None,
        dt.datetime(2024, 1, 3),
        None,
        "Individual",
        "Tend to agree",
        "Mostly good.",
        "",
    ],
    [104, "D Person", "d@example.org", "10.0.0.4", None, None, "Charity", "", "", ""],
]
SS_SURVEY = """\
survey:
  preset: smartsurvey
  questions:
    capacity: {text: "1. Are you responding as an individual or on behalf of an organisation?"}
    q1: {tick_box: "2. To what extent do you agree with the proposal?", text: "3. Please explain your answer"}
    q2: {text: "4. What should change?"}
"""


def test_smartsurvey_xlsx_rows_and_ticks(tmp_path):
    consultation = _consultation(tmp_path, SS_SURVEY)
    result, log = _ingest(tmp_path, consultation, make_xlsx, "smart.xlsx", [SS_HEADER, *SS_ROWS])
    resp = result.respondents.set_index("respondent_id")
    # 101 numbers come back as "101"; the answered row with no id is kept as row-4.
    assert list(resp.index) == ["101", "102", "row-4", "104"]
    assert resp["source_row"].tolist() == [1, 2, 4, 5]
    assert "1 row(s) with an empty respondent id kept as 'row-N' (rows 4)" in log.reason
    assert "1 blank row(s)" in log.reason
    assert resp.loc["102", "text"] == ""
    # Names and e-mail addresses are never read into the tables.
    joined = " ".join(resp["text"]) + " ".join(result.answers["answer_text"])
    assert "example.org" not in joined and "Person" not in joined
    st = stance_answers(result.answers, result.respondents, load_consultation(consultation))
    assert st.set_index("respondent_id")["stance"].to_dict() == {
        "101": "dont_know",
        "102": "not_answered",
        "row-4": "agree",
        "104": "not_answered",
    }


# --- Microsoft Forms: XLSX with its fixed columns -------------------------------------

MF_HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "Are you responding as an individual or on behalf of an organisation?",
    "To what extent do you agree with the proposal?",
    "Please explain your answer",
    "What should change?",
]


def test_microsoft_forms_export_with_preset(tmp_path):
    survey = """\
survey:
  preset: microsoft_forms
  questions:
    capacity: {text: "Are you responding as an individual or on behalf of an organisation?"}
    q1: {tick_box: "To what extent do you agree with the proposal?", text: "Please explain your answer"}
    q2: {text: "What should change?"}
"""
    when = dt.datetime(2024, 3, 1, 12, 0)
    rows = [
        MF_HEADER,
        [
            1,
            when,
            when,
            "anonymous",
            None,
            None,
            "Individual",
            "Disagree",
            "Too fast.\nToo soon.",
            None,
        ],
        [2, when, when, "anonymous", None, None, None, None, None, None],
        [
            3,
            when,
            when,
            "anonymous",
            None,
            None,
            "Individual",
            "Don’t know",
            None,
            "Clearer guidance",
        ],
    ]
    consultation = _consultation(tmp_path, survey)
    result, log = _ingest(tmp_path, consultation, make_xlsx, "forms.xlsx", rows)
    assert result.respondents["respondent_id"].tolist() == ["1", "2", "3"]
    st = stance_answers(result.answers, result.respondents, load_consultation(consultation))
    assert st["stance"].tolist() == ["disagree", "not_answered", "dont_know"]
    one = result.answers[
        (result.answers.respondent_id == "1") & (result.answers.question_id == "q1")
    ]
    assert one.answer_text.tolist() == ["Too fast.\nToo soon."]


# --- Qualtrics: three header rows -----------------------------------------------------

QX_ROWS = [
    [
        "StartDate",
        "EndDate",
        "Finished",
        "ResponseId",
        "RecipientEmail",
        "Q1",
        "Q2",
        "Q2_TEXT",
        "Q3",
    ],
    [
        "Start Date",
        "End Date",
        "Finished",
        "Response ID",
        "Recipient Email",
        "Are you responding as an individual or on behalf of an organisation?",
        "To what extent do you agree with the proposal?",
        "Please explain - Text",
        "What should change?",
    ],
    [
        '{"ImportId":"startDate"}',
        '{"ImportId":"endDate"}',
        '{"ImportId":"finished"}',
        '{"ImportId":"_recordId"}',
        '{"ImportId":"recipientEmail"}',
        '{"ImportId":"QID1"}',
        '{"ImportId":"QID2"}',
        '{"ImportId":"QID2_TEXT"}',
        '{"ImportId":"QID3_TEXT"}',
    ],
    [
        "2024-01-01",
        "2024-01-01",
        "1",
        "R_1",
        "",
        "Individual",
        "Neither agree nor disagree",
        "",
        "Less.",
    ],
    ["2024-01-01", "2024-01-01", "0", "R_2", "", "", "", "", ""],
    [
        "2024-01-01",
        "2024-01-01",
        "1",
        "R_3",
        "",
        "Charity",
        "Don't know / Not sure",
        "We need data",
        "",
    ],
]


def test_qualtrics_description_rows_are_not_respondents(tmp_path):
    survey = """\
survey:
  preset: qualtrics
  questions:
    capacity: {text: Q1}
    q1: {tick_box: Q2, text: Q2_TEXT}
    q2: {text: Q3}
"""
    consultation = _consultation(tmp_path, survey)
    result, log = _ingest(
        tmp_path, consultation, lambda p, r: make_csv(p, r), "qualtrics.csv", QX_ROWS
    )
    resp = result.respondents
    assert resp["respondent_id"].tolist() == ["R_1", "R_2", "R_3"]
    assert resp["source_row"].tolist() == [1, 2, 3]
    assert "2 description row(s) under the header skipped (not respondents)" in log.reason
    st = stance_answers(result.answers, resp, load_consultation(consultation))
    assert st["stance"].tolist() == ["neither", "not_answered", "dont_know"]


# --- The consultation's survey section: presets and messages --------------------------


def test_survey_section_errors_say_what_to_fix(tmp_path):
    import yaml

    base = yaml.safe_load(QUESTIONS)
    with pytest.raises(
        ConsultationError, match=r"unknown preset 'surveymonkey'; known presets: \['citizen_space'"
    ):
        parse_consultation(
            {**base, "survey": {"preset": "surveymonkey", "questions": {"q2": "Q2"}}}
        )
    with pytest.raises(ConsultationError, match=r"missing required field 'respondent_id'.*preset"):
        parse_consultation({**base, "survey": {"questions": {"q2": "Q2"}}})
    with pytest.raises(ConsultationError, match=r"consult init --from-export"):
        parse_consultation({**base, "survey": {"preset": "qualtrics"}})
    c = parse_consultation(
        {
            **base,
            "survey": {"preset": "qualtrics", "respondent_id": "Id", "questions": {"q2": "Q3"}},
        }
    )
    assert c.survey.respondent_id == "Id" and "respondent_id" not in c.survey.alternatives
    assert c.survey.alternatives["organisation"]
    # A preset that finds no id column: the message lists the patterns and the columns.
    consultation = _consultation(
        tmp_path, "survey:\n  preset: qualtrics\n  questions:\n    q2: {text: Q3}\n"
    )
    make_csv(tmp_path / "x.csv", [["Ref", "Q3"], ["1", "More"]])
    with pytest.raises(ConsultationError) as err:
        read_document(tmp_path / "x.csv", tmp_path, load_consultation(consultation))
    msg = str(err.value)
    assert "ResponseId or Response ID or _recordId" in msg and "(preset 'qualtrics')" in msg
    assert "columns present: ['Ref', 'Q3']" in msg and "consult init --from-export" in msg


# --- Tick-box words and the fast normaliser -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Don't know", "dont_know"),
        ("DON'T KNOW", "dont_know"),
        ("Do not know", "dont_know"),
        ("Not sure", "dont_know"),
        ("Unsure", "dont_know"),
        ("No opinion", "dont_know"),
        ("Don't know / Not sure", "dont_know"),
        ("Neither agree nor disagree", "neither"),
        ("Neutral", "neither"),
        ("", "not_answered"),
        ("   ", "not_answered"),
        (None, "not_answered"),
    ],
)
def test_dont_know_is_its_own_tick(value, expected):
    assert tick_box_stance(value) == expected


def test_clean_cell_equals_normalise_on_every_kind_of_cell():
    rng = random.Random(12)
    alphabet = "ab Z.,;-*'\"\n\t\r\u00a0\u00ad\ufb01•–é\u200b\x07  "
    cells = ["", "Agree", "Don't know", " padded ", "- a list", "* star", "a  b", "x\n\ny", "naïve"]
    cells += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    memo: dict[str, str] = {}
    for cell in cells:
        assert clean_cell(cell, memo) == normalise(cell), repr(cell)
        assert clean_cell(cell, memo) == normalise(cell), repr(cell)  # again, from the memo


def test_a_large_export_reads_every_row(tmp_path):
    """10,000 rows, one in ten empty: all are respondents, every question has a row."""
    consultation = _consultation(
        tmp_path,
        "survey:\n  respondent_id: ID\n  questions:\n    q1: {tick_box: T, text: C}\n    q2: {text: Q2}\n",
    )
    ticks = ["Agree", "Disagree", "Don't know", ""]
    rows = [["ID", "T", "C", "Q2"]]
    for i in range(10_000):
        rows.append(
            [f"r{i}", "", "", ""]
            if i % 10 == 0
            else [f"r{i}", ticks[i % 4], f"Because {i}.", "More"]
        )
    result, log = _ingest(tmp_path, consultation, lambda p, r: make_csv(p, r), "big.csv", rows)
    assert (log.n_respondents, log.n_answers) == (10_000, 20_000)
    empty = result.respondents[result.respondents["text"] == ""]
    assert len(empty) == 1_000
    assert pd.Series(result.answers.groupby("respondent_id").size()).eq(2).all()


def test_two_export_layouts_each_read_with_their_own_mapping(tmp_path):
    """`survey:` as a list: each export is read with the mapping its name (files:) selects."""
    cons = tmp_path / "consultation.yaml"
    cons.write_text(
        "id: two-layouts\ntitle: Two layouts\nquestions:\n"
        "  - {id: q1, number: 1, kind: closed, text: 'Do you agree with the plan?'}\n"
        "  - {id: q2, number: 2, kind: open, text: 'Any other comments?'}\n"
        "survey:\n"
        "  - files: '*.csv'\n"
        "    respondent_id: Response ID\n"
        "    questions:\n"
        "      q1: {tick_box: Q1 tick, text: Q1 why}\n"
        "      q2: {text: Q2}\n"
        "  - files: paper-*.xlsx\n"
        "    respondent_id: Form no\n"
        "    questions:\n"
        "      q1: {tick_box: 'Agree with the plan?'}\n"
        "      q2: {text: Comments}\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    raw.mkdir()
    make_csv(raw / "online.csv", [["Response ID", "Q1 tick", "Q1 why", "Q2"],
                                  ["r1", "Agree", "Fewer cars.", ""],
                                  ["r2", "", "", "No comment"]])  # fmt: skip
    make_xlsx(raw / "paper-forms.xlsx", [["Form no", "Agree with the plan?", "Comments"],
                                          ["p1", "Strongly disagree", "Too costly."]])  # fmt: skip
    make_xlsx(raw / "other.xlsx", [["Form no", "Agree with the plan?", "Comments"], ["x1", "", ""]])
    result = run_ingest(raw, cons, tmp_path / "out", metadata_file=None)
    log = result.log.set_index("file")
    assert log.loc["online.csv", "status"] == "processed"
    assert log.loc["paper-forms.xlsx", "status"] == "processed"
    # No mapping's files: pattern matches other.xlsx: a clear error naming the file.
    assert log.loc["other.xlsx", "status"] == "failed"
    assert "no `survey:` mapping" in log.loc["other.xlsx", "reason"]
    ticks = result.answers.dropna(subset=["tick_box"]).set_index("respondent_id")["tick_box"]
    assert ticks.to_dict() == {"r1": "Agree", "p1": "Strongly disagree"}
    assert set(result.respondents["respondent_id"]) == {"r1", "r2", "p1"}


def test_a_mapping_list_without_file_patterns_picks_the_one_whose_columns_fit(tmp_path):
    cons = tmp_path / "consultation.yaml"
    cons.write_text(
        "id: fit\ntitle: Fit\nquestions:\n"
        "  - {id: q1, number: 1, kind: open, text: 'Any comments?'}\n"
        "survey:\n"
        "  - {respondent_id: Ref, questions: {q1: Comments}}\n"
        "  - {respondent_id: ID, questions: {q1: Your views}}\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    raw.mkdir()
    make_csv(raw / "a.csv", [["ID", "Your views"], ["7", "Keep the bus."]])
    result = run_ingest(raw, cons, tmp_path / "out", metadata_file=None)
    assert result.log.set_index("file").loc["a.csv", "status"] == "processed"
    assert result.answers.set_index("respondent_id").loc["7", "answer_text"] == "Keep the bus."
    # An export no mapping fits: the configuration is wrong, so the run stops (exit 1).
    make_csv(raw / "b.csv", [["Serial", "Views"], ["8", "x"]])
    with pytest.raises(ConsultationError) as err:
        run_ingest(raw, cons, tmp_path / "out", metadata_file=None)
    msg = str(err.value)
    assert "b.csv: none of the 2 survey mappings" in msg
    assert "survey[0] lacks [\"'Ref' (field survey.respondent_id)\"" in msg
    assert "columns present: ['Serial', 'Views']" in msg


def test_a_bare_no_beside_a_tick_explains_nothing_but_alone_is_a_position(tmp_path):
    """Under "Please explain your answer" a bare "No." beside a tick adds nothing (the tick is
    the view): not substantive, stance from the tick. With the box blank, "No" is the view."""
    survey = (
        "survey:\n  respondent_id: Response ID\n  questions:\n"
        "    q1: {tick_box: 'Q1. Do you agree?', text: 'Q1. Please explain your answer'}\n"
        "    q2: {text: 'Q2. What should change?'}\n"
    )
    rows = [["Response ID", "Q1. Do you agree?", "Q1. Please explain your answer"]]
    rows[0].append("Q2. What should change?")
    rows += [
        ["R1", "Agree", "No.", "Nothing"],
        ["R2", "Tend to disagree", "yes", ""],
        ["R3", "", "No", ""],  # no tick: "No" is the answer to "Do you agree?"
        ["R4", "Agree", "No, it will cost too much.", ""],
    ]
    result, _ = _ingest(tmp_path, _consultation(tmp_path, survey), make_csv, "s.csv", rows)
    a = result.answers.set_index(["respondent_id", "question_id"])
    assert a.loc[("R1", "q1"), "substantive"] == False  # noqa: E712 (numpy bool)
    assert a.loc[("R2", "q1"), "substantive"] == False  # noqa: E712
    assert a.loc[("R3", "q1"), "substantive"] == True  # noqa: E712
    assert a.loc[("R4", "q1"), "substantive"] == True  # noqa: E712
    cons = load_consultation(tmp_path / "consultation.yaml")
    stances = stance_answers(result.answers, result.respondents, cons)
    st = stances.set_index(["respondent_id", "question_id"])["stance"]
    assert (st[("R1", "q1")], st[("R2", "q1")], st[("R3", "q1")]) == (
        "agree",
        "disagree",
        "disagree",
    )


def test_repeated_column_names_are_read_as_numbered_copies(tmp_path):
    """Two questions' comment boxes headed alike: the second is 'NAME (2)' to the mapping."""
    survey = (
        "survey:\n  preset: microsoft_forms\n  questions:\n"
        "    q1: {tick_box: 'Do you agree?', text: 'Please explain your answer'}\n"
        "    q2: {text: 'Please explain your answer (2)'}\n"
    )
    rows = [["ID", "Start time", "Do you agree?", "Please explain your answer"]]
    rows[0].append("Please explain your answer")
    rows += [[1, None, "Agree", "Cheaper buses.", "Wider pavements."], [2, None, None, None, None]]
    result, log = _ingest(tmp_path, _consultation(tmp_path, survey), make_xlsx, "f.xlsx", rows)
    a = result.answers.set_index(["respondent_id", "question_id"])["answer_text"]
    assert (a[("1", "q1")], a[("1", "q2")]) == ("Cheaper buses.", "Wider pavements.")
    assert result.respondents["respondent_id"].tolist() == ["1", "2"]
    assert "appears 2 times" in " ".join(map(str, log.to_dict().values()))
