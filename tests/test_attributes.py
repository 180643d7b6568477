"""Respondent attributes (area, age group …) declared in consultation.yaml, and breakdowns by them.

The exports and manifests are real files (csv module, openpyxl); every
expected count was worked out by hand from the rows below.
"""

from __future__ import annotations

import logging
import math

import pandas as pd
import pytest
import report_testdata as td
from builders import make_csv, make_xlsx

from helpers import analysis
from helpers.analysis import charts
from helpers.core import schemas
from helpers.core.attributes import Attribute, AttributeValue, parse_attributes
from helpers.core.consultation import ConsultationError, load_consultation, parse_consultation
from helpers.ingest.stage import run_ingest
from helpers.stance import stance_answers

CONSULTATION = """\
id: test-attributes
title: A test consultation
questions:
  - id: q1
    number: 1
    kind: closed
    text: To what extent do you agree with the proposal?
survey:
  - files: "*.csv"
    respondent_id: ID
    respondent_type: Capacity
    questions:
      q1: {tick_box: Q1 agree, text: Q1 comments}
  - files: "*.xlsx"
    respondent_id: Response number
    questions:
      q1: {tick_box: "Do you agree?"}
attributes:
  - id: age
    label: Age group
    source: {column: ["Your age", "Age group"]}
    values:
      under_18: {label: Under 18, aliases: ["under 18", "0-17"]}
      age_18_24: {label: 18 to 24, aliases: ["18-24", "18 to 24"]}
      age_25_34: {label: 25 to 34, aliases: ["25-34", "25 to 34"]}
      over_64: {label: 65 and over, aliases: ["65"]}
  - id: area
    source: {column: "Where do you live?"}
  - id: district
    label: District
    source: {manifest: District}
"""

HEADER = ["ID", "Capacity", "Your age", "Where do you live?", "Q1 agree", "Q1 comments"]
ROWS = [
    ["S-1", "As an individual", "18-24", "North", "Agree", "Fine."],
    ["S-2", "On behalf of a charity", "", "South", "Disagree", "Too costly."],
    ["S-3", "As an individual", "Under 18", "north", "Strongly agree", ""],
    ["S-4", "As an individual", "25 to 34 years", "North", "Disagree", ""],
    ["S-5", "As an individual", "Prefer not to say", "", "Agree", ""],
    ["S-6", "As a local authority", "", "SOUTH", "Neither agree nor disagree", ""],
    ["S-7", "As an individual", "18 - 24", " ", "", ""],
    ["S-8", "As an individual", "65+", "South", "Strongly disagree", ""],
]


@pytest.fixture()
def ingested(tmp_path, caplog):
    """A CSV export, two letters and a manifest giving the letters (and S-1) a district."""
    cpath = tmp_path / "consultation.yaml"
    cpath.write_text(CONSULTATION, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "survey.csv", [HEADER, *ROWS])
    (inp / "leeds.txt").write_text("I support the proposal.\n", encoding="utf-8")
    (inp / "hull.txt").write_text("I oppose the proposal.\n", encoding="utf-8")
    (inp / "manifest.csv").write_text(
        "file,respondent_id,district\nleeds.txt,,Leeds\n,S-1,York\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING):
        result = run_ingest(inp, cpath, tmp_path / "out")
    return load_consultation(cpath), result, tmp_path / "out", caplog.text


def _values(result, attribute_id: str) -> dict[str, str]:
    a = result.attributes
    return a[a["attribute_id"] == attribute_id].set_index("respondent_id")["value_id"].to_dict()


# --- The consultation file ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"id": "age"}, "field 'attributes' must be a list"),
        ([{"id": "age", "label": "Age"}], "attribute 'age': field 'source' must be"),
        (
            [{"id": "age", "source": {"cell": "Age"}}],
            "attribute 'age': field 'source' must be {column",
        ),
        ([{"id": "Age group", "source": {"column": "Age"}}], "attributes[0]: field 'id'"),
        (
            [{"id": "respondent_type", "source": {"column": "Type"}}],
            "attribute 'respondent_type': field 'id': 'respondent_type' is built in",
        ),
        (
            [{"id": "age", "source": {"column": "A"}}, {"id": "age", "source": {"column": "B"}}],
            "attribute 'age': field 'id': 'age' is repeated",
        ),
        ([{"id": "age", "source": {"manifest": ""}}], "field 'source.manifest' must name"),
        (
            [{"id": "area_of_residence_in_2024", "source": {"column": "A"}}],
            "attribute 'area_of_residence_in_2024': field 'id' must be at most 20 characters",
        ),
        (
            [{"id": "age", "source": {"column": "A"}, "values": {"young": {"aliases": "18-24"}}}],
            "attribute 'age': values.young: field 'aliases' must be a list",
        ),
        (
            [{"id": "age", "source": {"column": "A"}, "values": {"unknown": {"label": "?"}}}],
            "attribute 'age': values.unknown: a value id",
        ),
        (
            [{"id": "age", "source": {"column": "A"}, "colour": "red"}],
            "attributes[0]: unknown field(s) ['colour']",
        ),
    ],
)
def test_parsing_errors_name_the_field(raw, message):
    data = {
        "id": "c",
        "title": "T",
        "questions": [{"id": "q1", "kind": "open", "text": "Q?"}],
        "attributes": raw,
    }
    with pytest.raises(ConsultationError) as exc:
        parse_consultation(data, where="consultation.yaml")
    assert str(exc.value).startswith("consultation.yaml: ")
    assert message in str(exc.value)


def test_parsed_sources_and_defaults():
    attrs = parse_attributes(
        [
            {"id": "area", "source": {"manifest": "Area"}},
            {"id": "age_group", "source": {"column": ["Age", "Age group"]}, "values": {"u18": {}}},
        ],
        "c.yaml",
    )
    assert attrs[0] == Attribute("area", "Area", manifest="Area")
    assert attrs[1].columns == ("Age", "Age group") and attrs[1].label == "Age group"
    assert attrs[1].values == (AttributeValue("u18", "U18"),)
    assert parse_attributes(None, "c.yaml") == ()


def test_classify_aliases_other_and_unknown():
    age = load_attrs()[0]
    assert age.classify("18-24") == ("age_18_24", "18 to 24")
    assert age.classify("Aged 18-24") == ("age_18_24", "18 to 24")  # any word's start
    assert age.classify("18 TO 24 years") == ("age_18_24", "18 to 24")  # any case
    assert age.classify("  18 to   24") == ("age_18_24", "18 to 24")  # spacing squeezed
    assert age.classify("65+") == ("over_64", "65 and over")
    assert age.classify("Under 18") == ("under_18", "Under 18")  # its label
    assert age.classify("age_25_34") == ("age_25_34", "25 to 34")  # its id
    assert age.classify("165") == ("other", "Other")  # '65' does not start a word there
    assert age.classify("Prefer not to say") == ("other", "Other")
    assert age.classify("") == ("unknown", "Unknown")
    assert age.classify(None) == ("unknown", "Unknown")
    # Without declared values each raw value is its own group, spelling aside.
    area = load_attrs()[1]
    assert area.classify("North  East") == ("north_east", "North East")
    assert area.classify("north east")[0] == "north_east"
    # The longest matching alias wins, whatever the order.
    ranked = parse_attributes(
        [
            {
                "id": "area",
                "source": {"column": "A"},
                "values": {"north": {"aliases": ["north"]}, "ne": {"aliases": ["north east"]}},
            }
        ],
        "c.yaml",
    )[0]
    assert ranked.classify("North East England")[0] == "ne"
    assert ranked.classify("North West")[0] == "north"


def load_attrs() -> tuple[Attribute, ...]:
    import yaml

    return parse_attributes(yaml.safe_load(CONSULTATION)["attributes"], "c.yaml")


# --- Ingest: the attributes table ------------------------------------------------------


def test_column_and_manifest_sources_in_the_long_table(ingested):
    _, result, out, _ = ingested
    ids = [*(r[0] for r in ROWS), "hull", "leeds"]
    assert sorted(result.respondents["respondent_id"]) == sorted(ids)
    a = result.attributes
    schemas.validate(a, schemas.ATTRIBUTES)
    assert len(a) == 10 * 3  # every respondent has a row for every attribute
    assert _values(result, "age") == {
        "S-1": "age_18_24",
        "S-2": "unknown",
        "S-3": "under_18",
        "S-4": "age_25_34",
        "S-5": "other",
        "S-6": "unknown",
        "S-7": "other",  # '18 - 24' is not '18-24'
        "S-8": "over_64",
        "hull": "unknown",  # letters have no survey columns
        "leeds": "unknown",
    }
    assert _values(result, "area") == {
        **dict.fromkeys(["S-1", "S-3", "S-4"], "north"),
        **dict.fromkeys(["S-2", "S-6", "S-8"], "south"),
        **dict.fromkeys(["S-5", "S-7", "hull", "leeds"], "unknown"),
    }
    # The manifest's District field (any case) for a letter by file and a row by id.
    district = _values(result, "district")
    assert district["leeds"] == "leeds" and district["S-1"] == "york"
    assert {v for k, v in district.items() if k not in ("leeds", "S-1")} == {"unknown"}
    rows = a.set_index(["respondent_id", "attribute_id"])
    assert rows.loc[("S-7", "age")].to_dict() == {
        "value_id": "other",
        "value_label": "Other",
        "raw": "18 - 24",
        "source": "survey",
    }
    assert rows.loc[("leeds", "district"), "source"] == "metadata"
    assert rows.loc[("S-2", "age"), "source"] == "none"
    assert pd.isna(rows.loc[("S-2", "age"), "raw"])
    # Written, and loaded back through the analysis' reader.
    back = analysis.read_table(out, "attributes")
    pd.testing.assert_frame_equal(back, a)


def test_unmatched_values_are_reported(ingested):
    _, result, _, logged = ingested
    reason = result.log.set_index("file").loc["survey.csv", "reason"]
    msg = (
        "attribute age: 2 value(s) match no declared value, counted as other: "
        "'Prefer not to say' (1), '18 - 24' (1)"
    )
    assert msg in reason and msg in logged
    assert "attribute area" not in reason  # an attribute without values has no 'other'


def test_xlsx_export_names_the_column_differently(tmp_path):
    cpath = tmp_path / "consultation.yaml"
    cpath.write_text(CONSULTATION, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    make_xlsx(
        inp / "forms.xlsx",
        [
            ["Response number", "Age group", "Do you agree?"],
            [1, "Under 18", "Agree"],
            [2, "25-34", "Disagree"],
            [3, None, "Agree"],
        ],
    )
    result = run_ingest(inp, cpath, tmp_path / "out", metadata_file=None)
    assert _values(result, "age") == {"1": "under_18", "2": "age_25_34", "3": "unknown"}
    # No area column in this export: noted, and everyone is unknown.
    assert set(_values(result, "area").values()) == {"unknown"}
    reason = result.log.set_index("file").loc["forms.xlsx", "reason"]
    assert "attribute area: no column 'Where do you live?'" in reason


def test_no_attributes_declared_gives_an_empty_table(tmp_path):
    cpath = tmp_path / "consultation.yaml"
    cpath.write_text(CONSULTATION.split("attributes:")[0], encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "survey.csv", [HEADER, *ROWS])
    result = run_ingest(inp, cpath, tmp_path / "out", metadata_file=None)
    assert result.attributes.empty and list(result.attributes) == schemas.ATTRIBUTES.names
    assert len(result.respondents) == 8


# --- Analysis: breakdowns --------------------------------------------------------------


def test_breakdown_by_an_attribute_reproduces_hand_counts(ingested):
    cons, result, _, _ = ingested
    r, attrs = result.respondents, result.attributes
    rb = analysis.breakdown_by(r, attrs, "area")
    labels = analysis.breakdown_labels(attrs, "area", cons)
    assert labels == {"north": "North", "south": "South", "other": "Other", "unknown": "Unknown"}
    prof = analysis.respondent_profile(rb, by="area", labels=labels)
    assert prof.to_dict("list") == {
        "area": ["north", "south", "unknown"],
        "label": ["North", "South", "Unknown"],
        "n": [3, 3, 4],
        "percent": [30.0, 30.0, 40.0],
    }
    st = stance_answers(result.answers, r, cons)
    dist = analysis.stance_distribution(st, rb, cons, by_type=True, by="area", labels=labels)
    assert list(dict.fromkeys(dist["area"])) == ["all", "north", "south", "unknown"]
    n = dist.set_index(["area", "stance"])["n"]
    # north: S-1 agree, S-3 strongly agree, S-4 disagree
    assert [n[("north", s)] for s in schemas.SCALE_STANCES] == [1, 1, 0, 1, 0]
    # south: S-2 disagree, S-6 neither, S-8 strongly disagree
    assert [n[("south", s)] for s in schemas.SCALE_STANCES] == [0, 0, 1, 1, 1]
    # unknown: S-5 agree; S-7 ticked nothing; the letters are read from their text
    # (issue 13: "I support the proposal." agrees, "I oppose the proposal." disagrees)
    assert n[("unknown", "agree")] == 2 and n[("unknown", "disagree")] == 1
    assert n[("unknown", "not_answered")] == 1
    base = dist.drop_duplicates("area").set_index("area")["base"].to_dict()
    assert base["north"] == 3 and base["south"] == 3
    table = analysis.stance_table(dist, "q1", by="area", labels=labels)
    assert table["Group"].tolist() == ["All respondents", "North", "South", "Unknown"]
    assert table.set_index("Group").loc["North", "Agree"] == "1 (33%)"
    # Declared values come in the file's order, other and unknown last.
    age = analysis.breakdown_labels(attrs, "age", cons)
    assert list(age) == ["under_18", "age_18_24", "age_25_34", "over_64", "other", "unknown"]
    ages = analysis.respondent_profile(analysis.breakdown_by(r, attrs, "age"), by="age", labels=age)
    assert dict(zip(ages["age"], ages["n"], strict=True)) == {
        "under_18": 1,
        "age_18_24": 1,
        "age_25_34": 1,
        "over_64": 1,
        "other": 2,
        "unknown": 4,
    }


def test_type_breakdown_unchanged(ingested):
    cons, result, _, _ = ingested
    r, attrs = result.respondents, result.attributes
    assert analysis.breakdown_by(r, attrs, "respondent_type") is r
    assert analysis.breakdown_labels(attrs, "respondent_type", cons) is None
    prof = analysis.respondent_profile(r)
    # The two one-line letters ("I support the proposal.") are a person's: one "I" and no
    # "we" or organisation (session 16; they were ``unknown`` before).
    assert dict(zip(prof["respondent_type"], prof["n"], strict=True)) == {
        "individual": 8,
        "charity_voluntary": 1,
        "local_authority": 1,
    }
    st = stance_answers(result.answers, r, cons)
    dist = analysis.stance_distribution(st, r, cons, by_type=True)
    assert list(dist.columns[:3]) == ["question_id", "respondent_type", "stance"]
    same = analysis.stance_distribution(st, r, cons, by_type=True, by="respondent_type")
    pd.testing.assert_frame_equal(dist, same)


def test_theme_breakdown_by_area_on_hand_made_tables():
    r = td.respondents()
    attrs = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r1", "r2", "r3", "r5"],
                "attribute_id": ["area"] * 4,
                "value_id": ["north", "south", "north", "south"],
                "value_label": ["North", "South", "North", "South"],
                "raw": ["North", "South", "north", "South"],
                "source": ["metadata"] * 4,
            }
        ),
        schemas.ATTRIBUTES,
    )
    rb = analysis.breakdown_by(r, attrs, "area")
    assert rb.set_index("respondent_id")["area"].to_dict() == {
        "r1": "north",
        "r2": "south",
        "r3": "north",
        "r4": "unknown",  # no row: unknown, never dropped
        "r5": "south",
    }
    labels = analysis.breakdown_labels(attrs, "area")
    t = analysis.theme_by_type(td.codes(), rb, td.CODEBOOK, "q2", by="area", labels=labels)
    assert list(t.columns) == ["north", "south", "unknown"]
    # support in q2: r1 (charity) and r3 (individual) in the north, r2 (campaign) in the south
    assert t.loc["support"].to_dict() == {"north": 2, "south": 1, "unknown": 0}
    assert t.loc["housing"].sum() == 1  # r3's negated housing does not count
    pct = analysis.theme_by_type(
        td.codes(), rb, td.CODEBOOK, "q2", answers=td.answers(), percent=True, by="area"
    )
    assert pct.attrs["base"] == {"north": 2, "south": 1, "unknown": 0}
    assert pct.loc["support", "north"] == 100.0 and math.isnan(pct.loc["support", "unknown"])


def test_analysis_tables_and_chart_per_attribute(ingested, tmp_path):
    cons, result, out, _ = ingested
    st = stance_answers(result.answers, result.respondents, cons)
    inputs = analysis.AnalysisInputs(
        respondents=result.respondents,
        answers=result.answers,
        codes=schemas.empty(schemas.CODES),
        stances=st,
        uncoded=schemas.empty(schemas.UNCODED),
        consultation=cons,
        codebook=td.CODEBOOK,
        attributes=result.attributes,
    )
    tables = analysis.attribute_tables(inputs)
    assert list(tables) == [
        f"{k}_by_{a}" for a in ("age", "area", "district") for k in ("profile", "stances", "themes")
    ]
    # District is open (no values:): Leeds and York, one respondent each, are not shown.
    assert tables["profile_by_district"].set_index("district")["n"].to_dict() == {
        "other": 2,
        "unknown": 8,
    }
    assert tables["profile_by_area"].set_index("area")["n"].to_dict() == {
        "north": 3,
        "south": 3,
        "unknown": 4,
    }
    written = analysis.write_tables(tables, tmp_path / "tables")
    assert (tmp_path / "tables" / "tables" / "stances_by_area.csv") in written
    labels = analysis.breakdown_labels(result.attributes, "area", cons)
    rb = analysis.breakdown_by(result.respondents, result.attributes, "area")
    dist = analysis.stance_distribution(st, rb, cons, by_type=True, by="area", labels=labels)
    fig = charts.stance_chart(dist, "q1", tmp_path / "q1_by_area", group_labels=labels, by="area")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[0].startswith("All respondents") and ticks[1] == "North (n=3)"
    assert (tmp_path / "q1_by_area.png").exists()
    # write_charts draws them for every declared attribute someone has a value of.
    drawn = charts.write_charts(inputs, tmp_path / "run")
    assert {k for k in drawn if "_by_" in k} == {
        "themes_by_type",
        *(f"q1_stance_by_{a}" for a in ("age", "area", "district")),
        *(f"themes_by_{a}" for a in ("age", "area", "district")),
    }
    assert all(p.exists() for p in drawn.values())
    heat = charts.theme_type_heatmap(
        analysis.theme_by_type(td.codes(), rb, td.CODEBOOK, by="area", labels=labels),
        tmp_path / "heat",
        group_labels=labels,
        group_name="Area",
    )
    xticks = [t.get_text() for t in heat.axes[0].get_xticklabels()]
    assert xticks == ["North (n=3)", "South (n=3)", "Unknown (n=4)"]
    assert heat.axes[0].get_xlabel() == "Area"


def test_older_processed_folder_has_no_attributes(ingested):
    _, result, out, _ = ingested
    (out / "attributes.parquet").unlink()
    empty = analysis.read_table(out, "attributes", required=False)
    assert empty.empty
    rb = analysis.breakdown_by(result.respondents, empty, "area")
    assert set(rb["area"]) == {"unknown"}


# --- Development sets: attributes scored against gold ---------------------------------


def test_devset_scoring_groups_gold_values_by_the_consultation(ingested):
    from helpers.validate.devsets.goldview import GoldResponse
    from helpers.validate.devsets.scoring import score_set

    cons, result, _, _ = ingested

    def rec(file, row, **attrs):
        return GoldResponse(file, row, "dev", None, None, (), tuple(attrs.items()))

    records = [
        rec("survey.csv", 1, age="18-24", area="North"),  # both right
        rec("survey.csv", 3, age="under 18", area="NORTH"),  # right: same groups
        rec("survey.csv", 5, age="25 to 34", area=""),  # age wrong (system: other)
        rec("survey.csv", 9, age="65+"),  # no such row: both wrong
        rec("leeds.txt", None, district="Leeds"),  # a document: only the manifest attribute
    ]
    scores = score_set(
        "t",
        "dev",
        records,
        cons,
        result.respondents,
        result.answers,
        result.log,
        result.copies,
        attributes=result.attributes,
    )
    # 4 survey records × 3 attributes + 1 document × 1 (district): 13 pairs.
    # Wrong: row 5's age; row 9's age, area and district. (Row 1's district is York,
    # the gold says nothing: wrong too.)
    assert (scores.attributes.hit, scores.attributes.n) == (13 - 5, 13)
    wrong = sorted(e.message for e in scores.errors if e.metric == "attributes")
    assert wrong == [
        "age: gold age_25_34, system other",
        "age: gold over_64, system (not read)",
        "area: gold unknown, system (not read)",
        "district: gold unknown, system (not read)",
        "district: gold unknown, system york",
    ]


# --- Report: responses by each declared attribute --------------------------------------


def test_report_profile_has_a_table_per_attribute(tmp_path):
    import dataclasses
    import re

    from helpers import report

    cons = dataclasses.replace(
        td.CONSULTATION,
        attributes=parse_attributes(
            [
                {"id": "area", "label": "Area", "source": {"manifest": "area"}},
                {"id": "age", "label": "Age group", "source": {"column": "Age"}},
            ],
            "c.yaml",
        ),
    )
    attrs = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r1", "r2", "r3", "r5"],
                "attribute_id": ["area"] * 4,
                "value_id": ["north", "south", "north", "south"],
                "value_label": ["North", "South", "North", "South"],
                "raw": ["North", "South", "north", "South"],
                "source": ["metadata"] * 4,
            }
        ),
        schemas.ATTRIBUTES,
    )
    inputs = analysis.AnalysisInputs(
        respondents=td.respondents(),
        answers=td.answers(),
        codes=td.codes(),
        stances=td.stances(),
        uncoded=td.uncoded(),
        consultation=cons,
        codebook=td.CODEBOOK,
        attributes=attrs,
    )
    page = report.build_report(inputs, output_dir=tmp_path)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    m = re.search(r"Table (\d+): Responses by area Area Number Percentage (.*?) Table", text)
    assert m, "no 'Responses by area' table"
    assert m.group(2).split() == ["North", "2", "40%", "South", "2", "40%", "Unknown", "1", "20%"]
    # The type table is still there, numbered before it; nobody has an age: no table.
    assert f"Table {int(m.group(1)) - 1}: Responses by respondent type" in text
    assert "Responses by age group" not in text


def test_parse_cache_keeps_attribute_values_and_follows_the_declaration(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "survey.csv", [HEADER, *ROWS])
    cache = tmp_path / "cache"
    bare = tmp_path / "bare.yaml"
    bare.write_text(CONSULTATION.split("attributes:")[0], encoding="utf-8")
    full = tmp_path / "full.yaml"
    full.write_text(CONSULTATION, encoding="utf-8")
    run_ingest(inp, bare, tmp_path / "o1", metadata_file=None, cache_dir=cache)
    # Declaring attributes later must not reuse the parse made without their columns.
    second = run_ingest(inp, full, tmp_path / "o2", metadata_file=None, cache_dir=cache)
    assert _values(second, "age")["S-1"] == "age_18_24"
    # The same declaration again: the cached parse keeps the values.
    third = run_ingest(inp, full, tmp_path / "o3", metadata_file=None, cache_dir=cache)
    pd.testing.assert_frame_equal(third.attributes, second.attributes)
    assert len(list((cache / "parse").glob("*.parquet"))) == 2
