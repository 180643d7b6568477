"""The consultation definition: the default file loads; bad files name the field to fix.

Also the respondent-type words: the package default loads, a consultation
extends or replaces them, and a bad section names the field.
"""

from pathlib import Path

import pytest

from helpers.core.consultation import (
    ConsultationError,
    TypePatterns,
    default_respondent_types,
    load_consultation,
    parse_consultation,
)
from helpers.core.paths import consultation_dir
from helpers.core.schemas import RESPONDENT_TYPES

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


def test_a_missing_file_names_itself(tmp_path: Path):
    missing = tmp_path / "nowhere" / "consultation.yaml"
    with pytest.raises(ConsultationError, match="consultation file not found") as err:
        load_consultation(missing)
    assert str(err.value).startswith(str(missing))


def test_survey_mapping_string_shorthand():
    c = parse_consultation(
        _base(survey={"respondent_id": "ID", "questions": {"q1": "Q1 comments"}})
    )
    assert c.survey.questions["q1"].text == "Q1 comments"
    assert c.survey.questions["q1"].tick_box is None


# --- respondent types -----------------------------------------------------------


def test_default_respondent_types_load_in_order_with_only_generic_words():
    rules = default_respondent_types()
    types = dict(rules.types)
    assert list(types) == [
        "local_authority",
        "charity_voluntary",
        "campaign_group",
        "professional_body",
        "individual",
        "other",
    ]
    assert set(types) < set(RESPONDENT_TYPES)
    assert "council" in types["local_authority"].names
    assert types["charity_voluntary"].phrases[0] == "registered charity"
    assert "carer\\b" in types["individual"].answers
    every_word = {w for _, p in rules.types for w in p.names + p.phrases + p.answers}
    assert not every_word & {"foster", "care leaver", "young person", "care-experienced"}
    # A consultation without a respondent_types section gets the package's words.
    assert parse_consultation(_base()).respondent_types == rules


def test_consultation_extends_the_default_respondent_types():
    c = load_consultation(DEFAULT)
    individual = dict(c.respondent_types.types)["individual"]
    default = dict(default_respondent_types().types)["individual"]
    assert individual.answers[: len(default.answers)] == default.answers
    assert individual.answers[len(default.answers) :] == (
        "foster",
        "care leaver",
        "young person",
        "care-experienced",
        "care experienced",
    )
    # The other types and their order are untouched.
    assert [t for t, _ in c.respondent_types.types] == [
        t for t, _ in default_respondent_types().types
    ]


def test_consultation_replaces_one_respondent_type():
    c = parse_consultation(
        _base(respondent_types={"campaign_group": {"replace": True, "names": ["alliance"]}})
    )
    types = dict(c.respondent_types.types)
    assert types["campaign_group"] == TypePatterns(names=("alliance",))
    assert types["local_authority"] == dict(default_respondent_types().types)["local_authority"]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (["individual"], "respondent_types: must be a mapping from respondent type"),
        ({"martian": {"names": ["x"]}}, "respondent_types.martian: unknown respondent type"),
        ({"unknown": {"names": ["x"]}}, "respondent_types.unknown: takes no patterns"),
        ({"individual": ["foster"]}, "respondent_types.individual: must be a mapping"),
        ({"individual": {"words": ["x"]}}, "respondent_types.individual: unknown field(s)"),
        ({"individual": {"answers": "foster"}}, "field 'answers' must be a list"),
        ({"individual": {"answers": ["ok", ""]}}, "field 'answers' must be a list"),
        ({"individual": {"names": ["(unclosed"]}}, "field 'names': '(unclosed' is not a valid"),
        ({"individual": {"answers": ["Foster"]}}, "field 'answers': 'Foster' must be lower case"),
        ({"individual": {"replace": "yes"}}, "field 'replace' must be true or false"),
    ],
)
def test_bad_respondent_types_name_the_field(section, message):
    with pytest.raises(ConsultationError) as err:
        parse_consultation(_base(respondent_types=section), where="demo.yaml")
    assert str(err.value).startswith("demo.yaml: respondent_types")
    assert message in str(err.value)


def test_bad_respondent_types_in_a_file_name_the_file(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "id: demo\ntitle: Demo\nquestions:\n  - {id: q1, kind: open, text: Why}\n"
        "respondent_types:\n  individual:\n    answers: [care leaver, '[a-']\n",
        encoding="utf-8",
    )
    with pytest.raises(ConsultationError) as err:
        load_consultation(path)
    assert str(err.value).startswith(f"{path}: respondent_types.individual: field 'answers'")


def test_answer_patterns_may_use_upper_case_escapes():
    c = parse_consultation(_base(respondent_types={"other": {"answers": [r"\Bx", r"other\b"]}}))
    assert dict(c.respondent_types.types)["other"].answers[-2:] == (r"\Bx", r"other\b")
