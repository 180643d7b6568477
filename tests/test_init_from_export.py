"""``consult init --from-export``: a draft consultation.yaml from each platform's export.

Each draft must load as a consultation, guess kinds from the values (closed
for an agree/disagree scale, open for free text, profile for a few repeated
labels), pair a tick box with its comment column, and read the same export
back through ingest. The exports are real files; the expected questions were
worked out by hand from their headers and values.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from builders import make_csv, make_xlsx

from helpers import cli
from helpers.core.consultation import load_consultation
from helpers.ingest import draft_consultation, write_draft
from helpers.ingest.stage import run_ingest
from helpers.stance import tick_box_stance

SCALE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Don't know", ""]


def _draft(tmp_path: Path, name: str, maker, rows) -> tuple[Path, Path, object]:
    inp = tmp_path / "in"
    inp.mkdir()
    export = maker(inp / name, rows)
    out = write_draft(export, tmp_path / "consultation.yaml", tick_box_stance)
    return export, out, load_consultation(out)


def _kinds(cons) -> dict[str, str]:
    return {q.id: q.kind for q in cons.questions}


def test_citizen_space_draft(tmp_path):
    header = [
        "Response ID",
        "Started",
        "Submitted",
        "Email address",
        "Organisation name",
        "Are you responding as an individual or on behalf of an organisation?",
        "Q1. To what extent do you agree with the proposal?",
        "Q1. Please explain your answer",
        "Q2. What should change?",
        "Q3. Do you agree with the timetable?",
    ]
    rows = [header]
    for i in range(12):
        rows.append(
            [
                f"ANON-{i:03d}",
                "2024-01-01",
                "2024-01-02",
                f"person{i}@example.org",
                "Acme Trust" if i % 3 == 0 else "",
                "Organisation" if i % 3 == 0 else "Individual",
                SCALE[i % 6],
                f"Reason number {i}" if i % 2 else "",
                f"Change thing {i}",
                SCALE[(i + 1) % 6],
            ]
        )
    rows.append(["ANON-999", "2024-01-01", "", "", "", "", "", "", "", ""])
    export, out, cons = _draft(tmp_path, "citizen.csv", make_csv, rows)
    assert _kinds(cons) == {
        "are_you_responding_as": "profile",
        "q1": "closed",
        "q2": "open",
        "q3": "closed",
    }
    assert [q.number for q in cons.questions] == [None, 1, 2, 3]
    assert cons.question("q1").text == "To what extent do you agree with the proposal?"
    s = cons.survey
    assert (s.preset, s.respondent_id, s.organisation) == (
        "citizen_space",
        "Response ID",
        "Organisation name",
    )
    assert (
        s.respondent_type == "Are you responding as an individual or on behalf of an organisation?"
    )
    assert s.questions["q1"].tick_box == "Q1. To what extent do you agree with the proposal?"
    assert s.questions["q1"].text == "Q1. Please explain your answer"  # paired by number
    assert s.questions["q3"].text is None
    text = out.read_text(encoding="utf-8")
    assert "example.org" not in text  # personal data never copied into the draft
    assert "personal data, never read: Email address" in text
    assert "timestamps: Started, Submitted" in text
    # The draft reads its own export: every row a respondent.
    result = run_ingest(export.parent, out, tmp_path / "out", metadata_file=None)
    assert len(result.respondents) == 13 and len(result.answers) == 13 * 4


def test_microsoft_forms_draft_pairs_by_wording(tmp_path):
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "In what capacity are you responding?",
        "To what extent do you agree with the proposal?",
        "Please explain your answer",
        "What else should we consider?",
        "Which area do you live in?",
    ]
    when = dt.datetime(2024, 2, 1, 9, 30)
    rows = [header]
    areas = ["North", "South", "East", "West"]
    for i in range(1, 11):
        rows.append(
            [
                i,
                when,
                when,
                "anonymous",
                None,
                None,
                "Parent" if i % 2 else "Teacher",
                SCALE[i % 5],
                f"Because of reason {i}",
                f"Consider point {i} please",
                areas[i % 4],
            ]
        )
    export, out, cons = _draft(tmp_path, "forms.xlsx", make_xlsx, rows)
    assert _kinds(cons) == {
        "in_what_capacity_are": "profile",
        "q1": "closed",
        "q2": "open",
    }
    # A column about the respondent is an attribute to break tables down by, not a question.
    assert [(a.id, a.columns) for a in cons.attributes] == [
        ("area", ("Which area do you live in?",))
    ]
    s = cons.survey
    assert (s.preset, s.respondent_id) == ("microsoft_forms", "ID")
    assert s.respondent_type == "In what capacity are you responding?"
    assert (s.questions["q1"].tick_box, s.questions["q1"].text) == (
        "To what extent do you agree with the proposal?",
        "Please explain your answer",
    )
    assert s.questions["q2"].text == "What else should we consider?"
    result = run_ingest(export.parent, out, tmp_path / "out", metadata_file=None)
    assert result.respondents["respondent_id"].tolist() == [str(i) for i in range(1, 11)]
    areas_read = result.attributes.set_index("respondent_id")["value_label"]
    assert [areas_read[str(i)] for i in range(1, 5)] == ["South", "East", "West", "North"]


def test_qualtrics_draft_reads_wording_from_the_row_under_the_header(tmp_path):
    rows = [
        [
            "StartDate",
            "EndDate",
            "Progress",
            "Finished",
            "RecordedDate",
            "ResponseId",
            "IPAddress",
            "Q1",
            "Q2",
            "Q2_TEXT",
            "Q4",
        ],
        [
            "Start Date",
            "End Date",
            "Progress",
            "Finished",
            "Recorded Date",
            "Response ID",
            "IP Address",
            "What is the name of your organisation?",
            "Do you agree with the plan?",
            "Do you agree with the plan? - Other - Text",
            "Any other comments?",
        ],
        [
            '{"ImportId":"startDate"}',
            '{"ImportId":"endDate"}',
            '{"ImportId":"progress"}',
            '{"ImportId":"finished"}',
            '{"ImportId":"recordedDate"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"ipAddress"}',
            '{"ImportId":"QID1_TEXT"}',
            '{"ImportId":"QID2"}',
            '{"ImportId":"QID2_TEXT"}',
            '{"ImportId":"QID4_TEXT"}',
        ],
    ]
    for i in range(8):
        rows.append(
            [
                "2024-01-01",
                "2024-01-01",
                "100",
                "1",
                "2024-01-01",
                f"R_{i}",
                "10.0.0.1",
                f"Organisation {i}" if i % 2 else "",
                ["1", "2", "4", "5"][i % 4],
                "",
                f"Comment {i} on the plan",
            ]
        )
    export, out, cons = _draft(tmp_path, "qualtrics.csv", make_csv, rows)
    # Q2's values are 1-5 codes: a scale. Q1's wording says organisation: not a question.
    assert _kinds(cons) == {"q2": "closed", "q4": "open"}
    assert cons.question("q2").text == "Do you agree with the plan?"
    assert cons.question("q4").text == "Any other comments?"
    s = cons.survey
    assert (s.preset, s.respondent_id, s.organisation) == ("qualtrics", "ResponseId", "Q1")
    assert (s.questions["q2"].tick_box, s.questions["q2"].text) == ("Q2", "Q2_TEXT")
    result = run_ingest(export.parent, out, tmp_path / "out", metadata_file=None)
    assert result.respondents["respondent_id"].tolist() == [f"R_{i}" for i in range(8)]
    assert (
        result.respondents.set_index("respondent_id").loc["R_1", "organisation"] == "Organisation 1"
    )


def test_an_unknown_platform_still_drafts(tmp_path):
    rows = [["Ref", "Your view on the plan", "Comments"]]
    rows += [[f"X{i}", SCALE[i % 4], f"Text {i}"] for i in range(6)]
    _, _, cons = _draft(tmp_path, "other.csv", make_csv, rows)
    assert cons.survey.preset is None and cons.survey.respondent_id == "Ref"
    assert _kinds(cons) == {"q1": "closed"}
    assert cons.survey.questions["q1"].text == "Comments"


def test_init_refuses_to_overwrite_and_reports(tmp_path, capsys):
    export = make_csv(tmp_path / "e.csv", [["Response ID", "Q1. Views?"], ["1", "Some text"]])
    out = tmp_path / "consultation.yaml"
    assert cli.main(["init", "--from-export", str(export), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    first = out.read_text(encoding="utf-8")
    assert cli.main(["init", "--from-export", str(export), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == first
    with pytest.raises(FileExistsError, match="not overwritten"):
        write_draft(export, out, tick_box_stance)
    assert (
        cli.main(
            [
                "init",
                "--from-export",
                str(tmp_path / "missing.csv"),
                "--out",
                str(tmp_path / "n.yaml"),
            ]
        )
        == 1
    )
    doc = tmp_path / "a.txt"
    doc.write_text("hello", encoding="utf-8")
    assert cli.main(["init", "--from-export", str(doc), "--out", str(tmp_path / "m.yaml")]) == 1
    assert not (tmp_path / "m.yaml").exists()


def test_the_draft_says_what_to_check(tmp_path):
    export = make_csv(tmp_path / "e.csv", [["Response ID", "Q1. Views?"], ["1", ""], ["2", ""]])
    text = draft_consultation(export, tick_box_stance)
    assert "CHECK IT before a run" in text and "each kind: closed" in text
    assert "kind: open  # no answers; no answers in this export: check the kind" in text


def test_personal_columns_and_repeated_headers_are_flagged_not_copied(tmp_path):
    header = ["ID", "Start time", "Completion time", "Postcode", "Comments", "Comments"]
    rows = [header] + [[i, "", "", "AB1 2CD", f"First {i}", f"Second {i}"] for i in range(1, 5)]
    export = make_xlsx(tmp_path / "forms.xlsx", rows)
    text = draft_consultation(export, tick_box_stance)
    assert "AB1 2CD" not in text and "personal data, never read: Postcode" in text
    assert "column 'Comments' appears 2 times: the later ones are read as 'Comments (2)'" in text


def test_parts_of_one_numbered_question_get_ids_of_their_own(tmp_path):
    rows = [["ResponseId", "StartDate", "Finished", "Q5_1", "Q5_2", "Q6"]]
    rows += [[f"R_{i}", "", "1", SCALE[i % 4], SCALE[(i + 1) % 4], f"Text {i}"] for i in range(6)]
    _, _, cons = _draft(tmp_path, "matrix.csv", make_csv, rows)
    assert [(q.id, q.number, q.kind) for q in cons.questions] == [
        ("q5", 5, "closed"),
        ("q5_2", None, "closed"),
        ("q6", 6, "open"),
    ]
    assert cons.survey.questions["q5_2"].tick_box == "Q5_2"


@pytest.mark.parametrize(
    "org_header",
    ["Organisation name (if applicable)", "What is your organisation's name?", "Organization"],
)
def test_organisation_columns_in_their_usual_wordings_are_mapped(tmp_path, org_header):
    rows = [["ID", "Start time", "Completion time", org_header, "Any comments?"]]
    when = dt.datetime(2024, 2, 1, 9, 30)
    rows += [[i, when, when, "Elm Trust" if i % 2 else None, f"Point {i}"] for i in range(1, 7)]
    export, out, cons = _draft(tmp_path, "forms.xlsx", make_xlsx, rows)
    assert cons.survey.organisation == org_header
    result = run_ingest(export.parent, out, tmp_path / "out", metadata_file=None)
    orgs = result.respondents.set_index("respondent_id")["organisation"]
    assert orgs["1"] == "Elm Trust" and orgs.isna().sum() == 3


# --- Session 10: the four platforms' exports as a researcher downloads them -----------------

_Q1 = "To what extent do you agree or disagree with the proposed low-traffic scheme?"
_Q3 = "To what extent do you agree or disagree with the planned bus gate?"
# Explanations repeat in a small export (and in campaigns): free text all the same.
_WHY = ["It will push traffic onto the main road.", "Safer streets for cycling to school.", ""]


def _answers(i: int) -> list[str]:
    """Tick 1, explanation 1, an open answer, tick 3, explanation 3 for respondent ``i``."""
    return [
        SCALE[i % 6],
        _WHY[i % 3],
        ["Fewer lorries.", "More crossings near the park.", ""][i % 3],
        SCALE[(i + 2) % 6],
        ["Buses are late already.", "Good idea.", ""][i % 3],
    ]


def test_citizen_space_numbers_without_q_and_personal_questions(tmp_path):
    """Citizen Space heads columns "1. …" / "1a. …"; "What is your name?" is personal data."""
    header = ["Response ID", "Started on", "Submitted on", "What is your name?"]
    header += ["What is your email address?", "What is your organisation's name?"]
    header += [f"1. {_Q1}", "1a. Please explain your answer", "2. What else should we change?"]
    header += [f"3. {_Q3}", "3a. Please explain your answer", "How old are you?"]
    rows = [header]
    for i in range(12):
        rows.append(
            [f"ANON-{i:04d}", "2025-05-01", "2025-05-02", f"Sam Doe {i}", f"s{i}@example.org", ""]
            + _answers(i)
            + [["Under 18", "18-24", "25-34", "35-44"][i % 4]]
        )
    export, out, cons = _draft(tmp_path, "citizen_space.csv", make_csv, rows)
    text = out.read_text(encoding="utf-8")
    assert "Sam Doe" not in text and "example.org" not in text
    assert "personal data, never read: What is your name?, What is your email address?" in text
    assert [(q.id, q.number, q.kind) for q in cons.questions] == [
        ("q1", 1, "closed"),
        ("q2", 2, "open"),
        ("q3", 3, "closed"),
    ]
    assert cons.question("q1").text == _Q1
    qs = cons.survey.questions
    assert (qs["q1"].tick_box, qs["q1"].text) == (f"1. {_Q1}", "1a. Please explain your answer")
    assert qs["q3"].text == "3a. Please explain your answer"
    assert [(a.id, a.columns) for a in cons.attributes] == [("age_group", ("How old are you?",))]


def test_smartsurvey_pairs_an_explanation_numbered_as_its_own_question(tmp_path):
    """SmartSurvey numbers every column: "6. Please explain" still explains 5; "9. Any
    other comments?" after a closed question is a question of its own."""
    header = ["UserNo", "Started", "Ended", "IP Address", "4. Which ward do you live in?"]
    header += [f"5. {_Q1}", "6. Please explain your answer", "7. What else should we change?"]
    header += [f"8. {_Q3}", "9. Any other comments?"]
    rows = [header]
    for i in range(12):
        a = _answers(i)
        rows.append([100 + i, "01/05/2025", "01/05/2025", "10.0.0.1", ["North", "South"][i % 2]])
        rows[-1] += a[:4] + [["Thanks for asking.", "None.", ""][i % 3]]
    export, out, cons = _draft(tmp_path, "smartsurvey.csv", make_csv, rows)
    assert [(q.id, q.kind) for q in cons.questions] == [
        ("q5", "closed"),
        ("q7", "open"),
        ("q8", "closed"),
        ("q9", "open"),
    ]
    qs = cons.survey.questions
    assert qs["q5"].text == "6. Please explain your answer"
    assert qs["q8"].text is None and qs["q9"].text == "9. Any other comments?"
    assert [a.id for a in cons.attributes] == ["area"]


def test_repeated_headers_are_each_mapped_and_read(tmp_path):
    """Microsoft Forms writes two questions' "Please explain your answer" alike: both are read."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", _Q1]
    header += ["Please explain your answer", "What else should we change?", _Q3]
    header += ["Please explain your answer"]
    when = dt.datetime(2025, 5, 1, 9, 0)
    rows = [header]
    for i in range(1, 10):
        rows.append([i, when, when, "anonymous", None] + [v or None for v in _answers(i)])
    rows.append([10, when, when, "anonymous", None, None, None, None, None, None])
    export, out, cons = _draft(tmp_path, "forms.xlsx", make_xlsx, rows)
    qs = cons.survey.questions
    assert (qs["q1"].text, qs["q3"].text) == (
        "Please explain your answer",
        "Please explain your answer (2)",
    )
    result = run_ingest(export.parent, out, tmp_path / "out", metadata_file=None)
    answers = result.answers.set_index(["respondent_id", "question_id"])["answer_text"]
    assert answers[("1", "q1")] == "Safer streets for cycling to school."
    assert answers[("1", "q3")] == "Good idea."  # the second column, not the first again
    assert answers[("3", "q3")] == "Buses are late already."
    # every row a respondent, the empty one included
    assert result.respondents["respondent_id"].tolist() == [str(i) for i in range(1, 11)]


def test_qualtrics_text_entry_after_a_scale_is_its_explanation(tmp_path):
    """Qualtrics' text entry question is a column id of its own (Q6); its wording pairs it."""
    ids = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "Q4", "Q5", "Q6", "Q7"]
    words = ["Start Date", "End Date", "Response Type", "Finished", "Response ID"]
    words += ["What is your age group?", _Q1, "Why do you say that?", "Any other comments?"]
    rows = [ids, words, [json.dumps({"ImportId": i}) for i in ids]]
    for i in range(10):
        a = _answers(i)
        age = ["18-24", "25-34", "65+"][i % 3]
        rows.append(["2025-05-01", "2025-05-01", "IP Address", "True", f"R_{i}", age] + a[:3])
    export, out, cons = _draft(tmp_path, "qualtrics.csv", make_csv, rows)
    assert [(q.id, q.kind) for q in cons.questions] == [("q5", "closed"), ("q7", "open")]
    assert (cons.survey.questions["q5"].tick_box, cons.survey.questions["q5"].text) == ("Q5", "Q6")
    assert [(a.id, a.columns) for a in cons.attributes] == [("age_group", ("Q4",))]


def test_choice_questions_not_about_the_respondent_stay_profile_questions(tmp_path):
    """A multiple-choice question ("Which option do you prefer?") is not an attribute;
    an agree scale naming an area is a closed question."""
    header = ["Response ID", "Q1. Which option do you prefer?"]
    header += ["Q2. Do you agree with the plan for the area?", "Q3. Your comments"]
    rows = [header]
    for i in range(10):
        rows.append([f"R{i}", ["Option A", "Option B"][i % 2], SCALE[i % 5], f"Point {i}."])
    _, _, cons = _draft(tmp_path, "cs.csv", make_csv, rows)
    assert _kinds(cons) == {"which_option_do_you": "profile", "q2": "closed", "q3": "open"}
    assert cons.attributes == ()
