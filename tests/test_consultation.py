"""The consultation definition: the default file loads; bad files name the field to fix."""

from pathlib import Path

import pytest

from helpers.core.consultation import ConsultationError, load_consultation, parse_consultation
from helpers.core.paths import consultation_dir

DEFAULT = consultation_dir() / "consultation.yaml"


def test_default_consultation_loads_with_expected_questions():
    c = load_consultation(DEFAULT)
    assert c.id == "ofsted-ilacs-care-leavers-2022"
    assert c.question_ids == ["capacity", "q1", "q2", "q3", "q4", "q5"]
    assert [q.id for q in c.closed_questions] == ["q1", "q3"]
    assert [q.id for q in c.open_questions] == ["q2", "q4", "q5"]
    assert c.question("capacity").kind == "profile"
    assert c.question("q3").text.startswith(
        "To what extent do you agree or disagree that we should"
    )
    assert c.question("q1").label == "Q1: A separate judgement for care leavers"


def _base(**overrides):
    data = {
        "id": "demo",
        "title": "Demo",
        "questions": [{"id": "q1", "number": 1, "kind": "closed", "text": "Do you agree?"}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a YAML mapping"),
        ({"title": "x", "questions": []}, "missing required field 'id'"),
        (_base(questions=[]), "'questions' must be a non-empty list"),
        (
            _base(questions=[{"id": "q1", "text": "t", "kind": "yesno"}]),
            "question 'q1': field 'kind'",
        ),
        (
            _base(questions=[{"id": "q1", "kind": "open"}]),
            "question 'q1': missing required field 'text'",
        ),
        (
            _base(
                questions=[
                    {"id": "q1", "text": "a", "kind": "open"},
                    {"id": "q1", "text": "b", "kind": "open"},
                ]
            ),
            "duplicate question id",
        ),
        (
            _base(
                questions=[
                    {"id": "q1", "number": 1, "text": "a", "kind": "open"},
                    {"id": "q2", "number": 1, "text": "b", "kind": "open"},
                ]
            ),
            "duplicate question number 1",
        ),
        (_base(questions=[{"id": "preamble", "text": "a", "kind": "open"}]), "reserved"),
        (
            _base(questions=[{"id": "Q 1", "text": "a", "kind": "open"}]),
            "field 'id' must start with a letter",
        ),
        (_base(colour="blue"), "unknown field(s) ['colour']"),
        (_base(opened="last June"), "field 'opened' must be an ISO date"),
        (
            _base(survey={"respondent_id": "ID", "questions": {"q9": "Q9"}}),
            "unknown question id 'q9'",
        ),
        (
            _base(survey={"questions": {"q1": "Q1"}}),
            "survey: missing required field 'respondent_id'",
        ),
    ],
)
def test_invalid_definitions_name_the_field(data, message):
    with pytest.raises(ConsultationError) as err:
        parse_consultation(data, where="demo.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("demo.yaml")


def test_malformed_yaml_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "c.yaml"
    bad.write_text("id: demo\ntitle: [unclosed\nquestions:\n  - id: q1\n", encoding="utf-8")
    with pytest.raises(ConsultationError) as err:
        load_consultation(bad)
    assert str(bad) in str(err.value)
    assert "line" in str(err.value)


def test_survey_mapping_string_shorthand():
    c = parse_consultation(
        _base(survey={"respondent_id": "ID", "questions": {"q1": "Q1 comments"}})
    )
    assert c.survey.questions["q1"].text == "Q1 comments"
    assert c.survey.questions["q1"].tick_box is None
