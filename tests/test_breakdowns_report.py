"""Question sections broken down by any attribute (issue 12, item 6): run.yaml ``breakdowns``.

A small consultation (the Riverside library fixture's questions and codebook, a survey
export of nine rows with a "Where do you live?" column declared as the attribute
``area``) is ingested, coded and reported with ``breakdowns=["area"]``. The question
sections' tables by area must match counts made by hand from the rows below; a place
given by one respondent is shown as Other, never by name; the standard report (no
setting) has no area tables in its question sections; a run.yaml naming an attribute
the consultation does not declare fails, naming the field and the known ids.
"""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from helpers import analysis, coding, ingest, pipeline, report

FIXTURE = Path(__file__).parent / "fixtures" / "second_consultation"

HEADER = [
    "Response ID",
    "Respondent type",
    "Where do you live?",
    "Q1 Sunday opening",
    "Q2 More useful",
]
# area, tick on q1, answer to q2 (themes by the codebook's patterns in brackets)
ROWS = [
    ["R1", "Individual", "North", "Agree", "More computers please."],  # digital
    ["R2", "Organisation", "North", "Strongly agree", "Open on Sunday afternoons."],  # hours
    ["R3", "Individual", "north", "Disagree", "More staff on the desk."],  # staffing
    ["R4", "Individual", "South", "Agree", "Better wifi for everyone."],  # digital
    ["R5", "Individual", "South", "Strongly disagree", ""],
    ["R6", "Individual", "South", "Neither agree nor disagree", "A ramp at the entrance."],
    ["R7", "Individual", "Eastfield Close", "Disagree", "The computers are too old."],  # digital
    ["R8", "Individual", "", "Agree", ""],
    ["R9", "Individual", "North", "", "Faster wifi in the evenings."],  # digital, hours
]


def _consultation(tmp: Path) -> Path:
    raw = yaml.safe_load((FIXTURE / "consultation.yaml").read_text(encoding="utf-8"))
    raw["survey"] = {
        "respondent_id": "Response ID",
        "respondent_type": "Respondent type",
        "questions": {
            "q1": {"tick_box": "Q1 Sunday opening"},
            "q2": {"text": "Q2 More useful"},
        },
    }
    raw["attributes"] = [
        {"id": "area", "label": "Area", "source": {"column": "Where do you live?"}}
    ]
    path = tmp / "consultation.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def consultation(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("breakdowns")
    cons = _consultation(tmp)
    inputs = tmp / "responses"
    inputs.mkdir()
    with (inputs / "survey.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    processed = tmp / "processed"
    ingest.run_ingest(inputs, cons, processed, metadata_file=None)
    coding.run_coding(processed, cons, FIXTURE / "codebook.yaml")
    return tmp, cons, inputs, analysis.load_inputs(processed, cons, FIXTURE / "codebook.yaml")


def _text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _table(html: str, caption_start: str) -> list[list[str]]:
    """The rows (header first) of the one table whose caption starts with ``caption_start``."""
    found = []
    for t in re.findall(r"<table\b.*?</table>", html, flags=re.S):
        cap = re.search(r"<caption>(.*?)</caption>", t, flags=re.S)
        if cap and re.sub(r"^Table \d+: ", "", _text(cap.group(1))).startswith(caption_start):
            rows = re.findall(r"<tr\b.*?</tr>", t, flags=re.S)
            found.append(
                [
                    [_text(c) for c in re.findall(r"<t[hd]\b.*?</t[hd]>", r, flags=re.S)]
                    for r in rows
                ]
            )
    assert len(found) == 1, f"{len(found)} tables captioned {caption_start!r}"
    return found[0]


def _count(cell: str) -> int:
    return int(cell.split()[0])


@pytest.fixture(scope="module")
def by_area(consultation):
    tmp, _, _, inputs = consultation
    return report.build_report(inputs, output_dir=tmp / "run-area", breakdowns=["area"])


def test_stance_counts_by_area_match_hand_counts(by_area) -> None:
    rows = _table(by_area, "Responses by level of agreement and area")
    head, body = rows[0], {r[0]: r for r in rows[1:]}
    scale = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree"]
    scale.append("Strongly disagree")
    col = {h: i for i, h in enumerate(head)}
    assert [h for h in head if h in scale] == scale
    # Counted by hand from ROWS: North R1 agree, R2 strongly agree, R3 disagree, R9 no tick;
    # South R4 agree, R5 strongly disagree, R6 neither; Eastfield Close (one respondent) is
    # Other: R7 disagree; no area (R8) is Unknown: agree.
    expected = {
        "All respondents": ([1, 3, 1, 2, 1], 8, 1),
        "North": ([1, 1, 0, 1, 0], 3, 1),
        "South": ([0, 1, 1, 0, 1], 3, 0),
        "Other": ([0, 0, 0, 1, 0], 1, 0),
        "Unknown": ([0, 1, 0, 0, 0], 1, 0),
    }
    assert list(body) == list(expected)
    for group, (counts, n, missing) in expected.items():
        r = body[group]
        assert [_count(r[col[s]]) for s in scale] == counts, group
        assert int(r[col["n"]]) == n and int(r[col["No answer"]]) == missing, group
    assert body["North"][col["Agree"]] == "1 (33%)"  # percentages of n, as in the type table
    assert "Eastfield" not in by_area  # a place given by one respondent is never printed
    # The chart's alternative text states the same counts (issue 16.2).
    assert re.search(
        r'alt="Stacked bar chart of level of agreement: [^"]* by area\. All respondents \(n=8\): '
        r"strongly agree 1 \(13%\), agree 3 \(38%\), neither agree nor disagree 1 \(13%\), "
        r"disagree 2 \(25%\), strongly disagree 1 \(13%\), 1 not answered; North \(n=3\): "
        r"strongly agree 1 \(33%\), agree 1 \(33%\), disagree 1 \(33%\), 1 not answered;",
        by_area,
    )
    # respondent_type is not listed: the section's main table is overall only
    main = _table(by_area, "Responses by level of agreement: count")
    assert [r[0] for r in main[1:]] == ["All respondents"]


def test_theme_counts_by_area_match_hand_counts(by_area) -> None:
    rows = _table(by_area, "Respondents raising each theme, by area")
    head, body = rows[0], {r[0]: r for r in rows[1:]}
    # n = respondents of the group who answered q2: North R1, R2, R3, R9; South R4, R6;
    # Other R7; nobody of unknown area answered, so that group is not a column.
    assert head == ["Theme", "North (n=4)", "South (n=2)", "Other (n=1)"]
    counts = {theme: [_count(c) for c in cells[1:]] for theme, cells in body.items()}
    assert counts == {
        "Opening hours": [2, 0, 0],  # R2, R9
        "Computers and wifi": [2, 1, 1],  # R1, R9 | R4 | R7
        "Staffing": [1, 0, 0],  # R3
        "Physical access": [0, 1, 0],  # R6
    }
    assert body["Computers and wifi"][1] == "2 (50%)"
    alt = re.search(r'alt="(Heatmap: [^"]*themes by area[^"]*)"', by_area).group(1)
    assert "4 rows (Theme) by 3 columns (Area)" in alt
    # The chart shows % within each group: Other 1 of 1 = 100%, North 2 of 4 = 50% ...
    assert (
        "highest values first: Computers and wifi, Other (n=1): 100%; "
        "Opening hours, North (n=4): 50%; Computers and wifi, North (n=4): 50%; "
        "Computers and wifi, South (n=2): 50%; Physical access, South (n=2): 50%; "
        "Staffing, North (n=4): 25%."
    ) in alt


def test_many_groups_split_into_tables_that_fit_the_page(consultation, monkeypatch) -> None:
    # Two groups a table (instead of six): North and South, then Other, each with the
    # Theme column, so no table is wider than the page and no group is clipped.
    tmp, _, _, inputs = consultation
    monkeypatch.setattr(report.breakdowns, "GROUP_COLUMNS", 2)
    html = report.build_report(inputs, output_dir=tmp / "run-split", breakdowns=["area"])
    first = _table(html, "Respondents raising each theme, by area (groups 1–2 of 3)")
    second = _table(html, "Respondents raising each theme, by area (groups 3–3 of 3)")
    assert first[0] == ["Theme", "North (n=4)", "South (n=2)"]
    assert second[0] == ["Theme", "Other (n=1)"]
    assert {r[0]: r[1] for r in second[1:]}["Computers and wifi"] == "1 (100%)"  # R7


def test_default_report_has_no_area_breakdown_in_question_sections(consultation) -> None:
    tmp, _, _, inputs = consultation
    html = report.build_report(inputs, output_dir=tmp / "run-default")
    questions = html[html.index('<section class="question"') :]
    assert "by area" not in questions.lower()
    main = _table(html, "Responses by level of agreement: count")  # by type, as before
    assert [r[0] for r in main[1:]] == ["All respondents", "Individual", "Other organisation"]
    assert [int(r[main[0].index("n")]) for r in main[1:]] == [8, 7, 1]
    # the profile still has its table by area
    assert "Responses by area" in _text(html)
    explicit = report.build_report(
        inputs, output_dir=tmp / "run-type", breakdowns=["respondent_type"]
    )
    assert explicit == html
    with pytest.raises(ValueError, match="unknown attribute id"):
        report.build_report(inputs, output_dir=tmp / "run-bad", breakdowns=["postcode"])


def test_run_yaml_breakdowns_is_validated_and_reaches_notebook_04(consultation) -> None:
    tmp, cons, inputs, _ = consultation
    base = {
        "consultation": str(cons),
        "codebook": str(FIXTURE / "codebook.yaml"),
        "input_dir": str(inputs),
        "processed_dir": str(tmp / "processed"),
        "output_root": str(tmp / "reports"),
    }
    with pytest.raises(pipeline.ConfigError) as err:
        pipeline.build_config({**base, "breakdowns": ["area", "age_group"]}, where="run.yaml")
    msg = str(err.value)
    assert "field 'breakdowns'" in msg and "'age_group'" in msg
    assert "['respondent_type', 'area']" in msg  # the ids it knows
    with pytest.raises(pipeline.ConfigError, match="field 'breakdowns' must be a list"):
        pipeline.build_config({**base, "breakdowns": {"area": 1}})

    assert pipeline.build_config(base).breakdowns == ("respondent_type",)
    cfg = pipeline.build_config({**base, "breakdowns": ["area", "respondent_type"]})
    assert cfg.breakdowns == ("area", "respondent_type")
    assert pipeline.build_config({**base, "breakdowns": "area"}).breakdowns == ("area",)
    params = pipeline.notebook_parameters(cfg, tmp / "run")
    assert params["04_report"]["breakdowns"] == ["area", "respondent_type"]
