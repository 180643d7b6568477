"""Codebook loading, validation errors, hierarchy and the spreadsheet round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from helpers.coding.codebook import (
    Codebook,
    CodebookError,
    from_csv,
    load_codebook,
    parse_codebook,
    pattern_problem,
    to_csv,
)
from helpers.core.consultation import load_consultation
from helpers.core.paths import project_root

ROOT = project_root(Path(__file__).parent)
FOLDER = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"
CODEBOOK = FOLDER / "codebook.yaml"
CONSULTATION = FOLDER / "consultation.yaml"


def _theme(tid: str, **kw) -> dict:
    return {"id": tid, "label": tid.title(), "patterns": [tid], **kw}


def _write(tmp_path: Path, themes: list[dict], **top) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        yaml.safe_dump({"id": "cb", "title": "Test", "themes": themes, **top}), encoding="utf-8"
    )
    return path


# --- the default codebook ----------------------------------------------------


def test_default_codebook_loads_against_its_consultation():
    cb = load_codebook(CODEBOOK, load_consultation(CONSULTATION))
    assert isinstance(cb, Codebook)
    assert cb.id == "ofsted-ilacs-care-leavers-2022"
    assert len(cb.themes) == 21
    assert [t.id for t in cb.children("support")] == [
        "education",
        "employment_training",
        "housing",
        "health",
        "emotional_wellbeing",
        "financial",
    ]
    assert [t.id for t in cb.ancestors("housing")] == ["support"]
    assert cb.ancestors("support") == []
    assert cb.theme("timing").questions == ("q1", "q3", "q4")
    # Every theme has a description a second coder can use.
    assert all(len(t.description) > 60 for t in cb.themes)
    assert "records_access" in cb and "nonexistent" not in cb


def test_themes_for_question_respects_questions_field():
    cb = load_codebook(CODEBOOK)
    assert "timing" in [t.id for t in cb.themes_for("q3")]
    assert "timing" not in [t.id for t in cb.themes_for("q2")]
    assert "timing" in [t.id for t in cb.themes_for("unstructured")]


def test_hierarchy_helpers_on_three_levels(tmp_path):
    path = _write(
        tmp_path,
        [
            {"id": "a", "label": "A"},
            {"id": "b", "label": "B", "parent": "a"},
            _theme("c", parent="b"),
            _theme("d", parent="a"),
        ],
    )
    cb = load_codebook(path)
    assert [t.id for t in cb.ancestors("c")] == ["b", "a"]
    assert [t.id for t in cb.descendants("a")] == ["b", "c", "d"]
    assert [t.id for t in cb.roots] == ["a"]
    with pytest.raises(KeyError, match="no theme with id 'zz'"):
        cb.theme("zz")


# --- validation errors: each names the file, the theme and the field --------


@pytest.mark.parametrize(
    "themes, expected",
    [
        ([_theme("a", parent="nope")], r"theme 'a': field 'parent': unknown theme 'nope'"),
        (
            [_theme("a", parent="b"), _theme("b", parent="a")],
            r"theme 'a': field 'parent': cycle a -> b -> a",
        ),
        ([_theme("a", parent="a")], r"theme 'a': field 'parent': a theme cannot be its own parent"),
        ([_theme("a"), _theme("a")], r"theme 'a': duplicate theme id"),
        ([{"id": "a", "label": "A"}], r"theme 'a': field 'patterns' is empty"),
        (
            [{"id": "a", "label": "A", "patterns": [""]}],
            r"theme 'a': field 'patterns': patterns must be non-empty",
        ),
        ([_theme("a", patterns=["*leav"])], r"theme 'a': field 'patterns': .*'\*' must follow"),
        (
            [_theme("a", patterns=["le*av"])],
            r"theme 'a': field 'patterns': .*only once, at the end",
        ),
        ([_theme("a", patterns=["care leav**"])], r"theme 'a': field 'patterns': .*only once"),
        ([_theme("a", patterns=["l*"])], r"theme 'a': field 'patterns': .*at least 2 letters"),
        ([_theme("a", patterns=["=rights*"])], r"exact \('='\) and a wildcard"),
        (
            [_theme("a", patterns=["section 4.27"])],
            r"theme 'a': field 'patterns': .*may contain only letters",
        ),
        ([_theme("a", exclude=["a; b"])], r"theme 'a': field 'exclude'"),
        ([_theme("a", cooccur=[["record*"]])], r"theme 'a': field 'cooccur': .*at least two terms"),
        ([_theme("a", cooccur=["record*"])], r"theme 'a': field 'cooccur'"),
        ([_theme("a", colour="red")], r"theme 'a': unknown field\(s\) \['colour'\]"),
        ([_theme("A-1")], r"theme 'A-1': field 'id' must start with a letter"),
        ([{"label": "x", "patterns": ["x"]}], r"themes\[0\]: missing required field 'id'"),
        ([{"id": "a", "patterns": ["x"]}], r"theme 'a': missing required field 'label'"),
        ([_theme("a", questions=[])], r"theme 'a': field 'questions' is empty"),
        (
            [_theme("a", questions=["preamble"])],
            r"theme 'a': field 'questions': preamble and closing",
        ),
    ],
)
def test_validation_errors_name_file_theme_and_field(tmp_path, themes, expected):
    path = _write(tmp_path, themes)
    with pytest.raises(CodebookError, match=expected) as info:
        load_codebook(path)
    assert str(info.value).startswith(str(path))


def test_unknown_question_ids_are_checked_against_the_consultation(tmp_path):
    consultation = load_consultation(CONSULTATION)
    path = _write(tmp_path, [_theme("a", questions=["q2", "q9"])])
    load_codebook(path)  # without a consultation the ids cannot be checked
    with pytest.raises(
        CodebookError, match=r"theme 'a': field 'questions': unknown question id 'q9'"
    ):
        load_codebook(path, consultation)


def test_top_level_errors(tmp_path):
    with pytest.raises(CodebookError, match=r"unknown field\(s\) \['author'\]"):
        load_codebook(_write(tmp_path, [_theme("a")], author="me"))
    path = tmp_path / "bad.yaml"
    path.write_text("id: cb\nthemes: [\n  - id: a\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"bad\.yaml \(line \d+\): not valid YAML"):
        load_codebook(path)
    path.write_text("id: cb\nthemes: []\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="'themes' must be a non-empty list"):
        load_codebook(path)
    with pytest.raises(CodebookError, match="codebook file not found"):
        load_codebook(tmp_path / "missing.yaml")


def test_a_parent_may_have_no_patterns_but_a_leaf_may_not(tmp_path):
    cb = load_codebook(_write(tmp_path, [{"id": "p", "label": "P"}, _theme("c", parent="p")]))
    assert cb.theme("p").patterns == ()


@pytest.mark.parametrize(
    "pattern, ok",
    [
        ("care leav*", True),
        ("care-experienced", True),
        ("children’s services", True),
        ("=rights", True),
        ("leavers'", True),
        ("16 25", True),
        ("a*", False),
        ("*", False),
        ("care*leavers", False),
        ("e.g.", False),
        ("", False),
        ("   ", False),
    ],
)
def test_pattern_syntax(pattern, ok):
    assert (pattern_problem(pattern) is None) is ok


# --- spreadsheet round trip ---------------------------------------------------


def test_csv_round_trip_of_the_default_codebook(tmp_path):
    cb = load_codebook(CODEBOOK)
    out = to_csv(cb, tmp_path / "codebook.csv")
    back = from_csv(out)
    assert back.themes == cb.themes
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert (
        rows["records_access"]["cooccur"] == "record* + access*; file* + access*; file* + request*"
    )
    assert rows["housing"]["patterns"].startswith("housing; accommodation; homeless*; staying put")
    assert rows["housing"]["parent"] == "support"
    assert rows["timing"]["questions"] == "q1; q3; q4"
    assert rows["voice"]["questions"] == ""  # empty = every question
    # load_codebook dispatches on the extension.
    assert load_codebook(out).theme_ids == cb.theme_ids


def test_csv_from_a_spreadsheet_with_bom_and_blank_rows(tmp_path):
    path = tmp_path / "edited.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "label", "parent", "description", "questions", "patterns", "exclude", "cooccur"]
        )
        w.writerow(["support", "Support", "", "Support in general", "", "", "", ""])
        w.writerow(["", "", "", "", "", "", "", ""])
        w.writerow(
            [
                "housing",
                "Housing",
                "support",
                "Where they live",
                "q2;q4",
                "housing ; homeless*",
                "",
                "",
            ]
        )
        w.writerow(["records", "Records", "", "", "", "", "", "record* + access*;file*+request*"])
    cb = from_csv(path, consultation=load_consultation(CONSULTATION))
    assert cb.id == "edited"
    assert cb.theme("housing").patterns == ("housing", "homeless*")
    assert cb.theme("housing").questions == ("q2", "q4")
    assert cb.theme("records").cooccur == (("record*", "access*"), ("file*", "request*"))
    assert [t.id for t in cb.children("support")] == ["housing"]


def _csv(tmp_path: Path, rows: list[list[str]], header=None) -> Path:
    path = tmp_path / "cb.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header or ["id", "label", "parent", "patterns"])
        w.writerows(rows)
    return path


def test_csv_errors_name_the_line(tmp_path):
    path = _csv(tmp_path, [["a", "A", "", "x"], ["b", "B", "", "le*av"]])
    with pytest.raises(CodebookError, match=r"cb\.csv, line 3: theme 'b': field 'patterns'"):
        from_csv(path)
    path = _csv(tmp_path, [["a", "A", "", "x"], ["b", "B", "zz", "y"]])
    with pytest.raises(
        CodebookError, match=r"cb\.csv, line 3: theme 'b': field 'parent': unknown theme 'zz'"
    ):
        from_csv(path)
    path = _csv(tmp_path, [["a", "A", "", "x"], ["a", "A2", "", "y"]])
    with pytest.raises(
        CodebookError, match=r"line 3: theme 'a': duplicate theme id \(first on line 2\)"
    ):
        from_csv(path)
    path = _csv(tmp_path, [["a", "A", "", "x"]], header=["id", "label", "parent", "keywords"])
    with pytest.raises(CodebookError, match=r"line 1: unknown column\(s\) \['keywords'\]"):
        from_csv(path)
    path = _csv(
        tmp_path,
        [["a", "A", "", "x"], ["b", "B", "", "y"]],
        header=["id", "label", "parent", "patterns"],
    )
    questions_path = tmp_path / "q.csv"
    with questions_path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [["id", "label", "questions", "patterns"], ["a", "A", "q2; q77", "x"]]
        )
    with pytest.raises(
        CodebookError,
        match=r"q\.csv, line 2: theme 'a': field 'questions': unknown question id 'q77'",
    ):
        from_csv(questions_path, consultation=load_consultation(CONSULTATION))


def test_parse_codebook_from_a_mapping():
    cb = parse_codebook({"id": "x", "themes": [_theme("a")]})
    assert cb.title == "x" and cb.theme_ids == ["a"]
