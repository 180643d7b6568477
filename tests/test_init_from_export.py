"""``consult init --from-export``: a draft consultation.yaml from each platform's export.

Each draft must load as a consultation, guess kinds from the values (closed
for an agree/disagree scale, open for free text, profile for a few repeated
labels), pair a tick box with its comment column, and read the same export
back through ingest. The exports are real files; the expected questions were
worked out by hand from their headers and values.
"""

from __future__ import annotations

import datetime as dt
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
        "which_area_do_you": "profile",
    }
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
    assert '# Column "Comments" appears 2 times: only the first is read' in text


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
