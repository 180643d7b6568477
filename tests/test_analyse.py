"""analyse.py on hand-made tables; every expected value was counted by hand
from the rows in report_testdata.py."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import report_testdata as td

from helpers import analysis as analyse
from helpers.analysis.counting import raised


@pytest.fixture()
def data():
    return {
        "respondents": td.respondents(),
        "answers": td.answers(),
        "stances": td.stances(),
        "codes": td.codes(),
    }


def test_attributions_name_organisations_and_anonymise_individuals(data):
    names = analyse.attributions(data["respondents"])
    assert names.to_dict() == {
        "r1": "Become",
        "r2": "ACRCG",
        "r3": "Respondent 1",
        "r4": "Leeds City Council",
        "r5": "Respondent 2",  # 'Jane Smith' is an individual: never shown
    }


def test_respondent_profile_counts_types_in_schema_order(data):
    prof = analyse.respondent_profile(data["respondents"])
    assert list(prof["respondent_type"]) == [
        "individual",
        "charity_voluntary",
        "local_authority",
        "campaign_group",
    ]
    assert list(prof["n"]) == [2, 1, 1, 1]
    assert list(prof["percent"]) == [40.0, 20.0, 20.0, 20.0]
    assert prof.loc[1, "label"] == "Charity or voluntary organisation"


def test_questions_answered_ignores_blank_answers_and_uses_stances(data):
    qa = analyse.questions_answered(
        data["respondents"], data["answers"], td.CONSULTATION, data["stances"]
    )
    qa = qa.set_index("respondent_id")
    assert qa["q2"].to_dict() == {"r1": True, "r2": True, "r3": True, "r4": False, "r5": False}
    assert qa["q3"].to_dict() == {"r1": True, "r2": False, "r3": False, "r4": False, "r5": True}
    assert qa["n_answered"].to_dict() == {"r1": 3, "r2": 2, "r3": 1, "r4": 1, "r5": 2}
    counts = analyse.question_counts(
        data["respondents"], data["answers"], td.CONSULTATION, data["stances"]
    )
    assert list(counts["n_answered"]) == [4, 3, 2]
    assert list(counts["n_not_answered"]) == [1, 2, 3]


def test_stance_distribution_overall(data):
    dist = analyse.stance_distribution(data["stances"], data["respondents"], td.CONSULTATION)
    q1 = dist[dist["question_id"] == "q1"].set_index("stance")
    assert q1["n"].to_dict() == {
        "strongly_agree": 1,
        "agree": 2,
        "neither": 0,
        "disagree": 1,
        "strongly_disagree": 0,
        "dont_know": 0,
        "not_answered": 1,
    }
    assert q1.loc["agree", "percent"] == 50.0
    assert q1.loc["strongly_agree", "percent"] == 25.0
    assert math.isnan(q1.loc["not_answered", "percent"])  # outside the base
    assert set(q1["n_answered"]) == {4} and set(q1["n_not_answered"]) == {1}
    # r4 has no q3 row at all: counted as not answered, not dropped.
    q3 = dist[dist["question_id"] == "q3"].set_index("stance")
    assert q3.loc["agree", "n"] == 1 and q3.loc["strongly_disagree", "n"] == 1
    assert q3.loc["agree", "percent"] == 50.0
    assert q3.loc["not_answered", "n"] == 3


def test_stance_distribution_by_type(data):
    dist = analyse.stance_distribution(
        data["stances"], data["respondents"], td.CONSULTATION, by_type=True
    )
    ind = dist[(dist["question_id"] == "q1") & (dist["respondent_type"] == "individual")]
    ind = ind.set_index("stance")
    # Individuals r3 (not answered) and r5 (agree).
    assert ind.loc["agree", "n"] == 1 and ind.loc["agree", "percent"] == 100.0
    assert ind.loc["agree", "n_answered"] == 1 and ind.loc["agree", "n_not_answered"] == 1
    groups = list(dict.fromkeys(dist["respondent_type"]))
    assert groups == ["all", "individual", "charity_voluntary", "local_authority", "campaign_group"]
    table = analyse.stance_table(dist, "q1")
    first = table.iloc[0]
    assert first["Group"] == "All respondents"
    assert first["Agree"] == "2 (50%)" and first["n"] == 4 and first["No answer"] == 1


def test_raised_drops_negated_and_counts_distinct_spans(data):
    r = raised(data["codes"]).set_index(["respondent_id", "question_id", "theme_id"])
    assert ("r3", "q2", "housing") not in r.index
    assert r.loc[("r1", "q2", "housing"), "mentions"] == 2
    assert len(r) == 6


def test_theme_frequencies_for_a_question(data):
    freq = analyse.theme_frequencies(data["codes"], data["answers"], td.CODEBOOK, "q2")
    assert list(freq["theme_id"]) == ["support", "housing", "records", "health"]
    assert list(freq["n_respondents"]) == [3, 1, 1, 0]
    assert list(freq["mentions"]) == [3, 2, 1, 0]
    assert set(freq["base"]) == {3}  # r1, r2, r3 answered q2; r4's answer is blank
    assert freq.loc[0, "percent"] == 100.0
    assert freq.loc[1, "percent"] == pytest.approx(100 / 3)


def test_theme_frequencies_overall(data):
    freq = analyse.theme_frequencies(data["codes"], data["answers"], td.CODEBOOK).set_index(
        "theme_id"
    )
    assert freq["n_respondents"].to_dict() == {
        "support": 3,
        "housing": 2,
        "records": 1,
        "health": 0,
    }
    assert freq["mentions"].to_dict() == {"support": 3, "housing": 3, "records": 1, "health": 0}
    assert set(freq["base"]) == {5}
    assert freq.loc["housing", "percent"] == 40.0


def test_theme_restricted_to_questions_is_left_out_elsewhere(data):
    themes = [dict(t) for t in td.THEMES]
    themes[3]["questions"] = ["q1"]  # health only applies to q1
    freq = analyse.theme_frequencies(data["codes"], data["answers"], td.codebook(themes), "q2")
    assert "health" not in set(freq["theme_id"])


def test_theme_by_type_counts_and_percent(data):
    t = analyse.theme_by_type(data["codes"], data["respondents"], td.CODEBOOK, "q2")
    assert list(t.columns) == [
        "individual",
        "charity_voluntary",
        "local_authority",
        "campaign_group",
    ]
    assert t.loc["support"].to_dict() == {
        "individual": 1,
        "charity_voluntary": 1,
        "local_authority": 0,
        "campaign_group": 1,
    }
    assert t.loc["housing"].sum() == 1  # r3's negated housing does not count
    pct = analyse.theme_by_type(
        data["codes"], data["respondents"], td.CODEBOOK, "q2", answers=data["answers"], percent=True
    )
    # q2 answered by one individual (r3), so support is 100% of individuals.
    assert pct.loc["support", "individual"] == 100.0
    assert math.isnan(pct.loc["support", "local_authority"])  # r4 did not answer q2
    assert pct.attrs["base"] == {
        "individual": 1,
        "charity_voluntary": 1,
        "local_authority": 0,
        "campaign_group": 1,
    }


def test_cooccurrence_same_question_only(data):
    m = analyse.cooccurrence(data["codes"], td.CODEBOOK)
    assert m.loc["housing", "support"] == 1  # r1 in q2
    assert m.loc["support", "records"] == 1  # r2 in q2
    assert m.loc["housing", "records"] == 0
    assert [m.loc[t, t] for t in ["housing", "support", "records", "health"]] == [2, 3, 1, 0]
    assert (m.values == m.values.T).all()
    # r5 raised housing in q1 and nothing else there: no pair.
    codes = td.codes(td.CODE_ROWS + [("r5", "q2", "support", 0, 90, 90, False)])
    m2 = analyse.cooccurrence(codes, td.CODEBOOK)
    assert m2.loc["housing", "support"] == 1  # different questions: still only r1


def test_respondent_theme_matrix(data):
    m = analyse.respondent_theme_matrix(data["codes"], data["respondents"], td.CODEBOOK)
    assert list(m.columns) == [
        "attribution",
        "respondent_type",
        "housing",
        "support",
        "records",
        "health",
    ]
    assert m.loc["r1", ["housing", "support", "records", "health"]].tolist() == [1, 1, 0, 0]
    assert m.loc["r3", ["housing", "support"]].tolist() == [0, 1]
    assert m.loc["r5", "attribution"] == "Respondent 2"
    assert int(m[["housing", "support", "records", "health"]].to_numpy().sum()) == 6


def test_representative_quotes_prefers_distinct_moderate_length(data):
    q = analyse.representative_quotes(data["codes"], data["respondents"], "support", "q2", n=2)
    # r3's 150-char quote is nearest 160; r1's 100-char next; r2's 30-char is too short.
    assert list(q["respondent_id"]) == ["r3", "r1"]
    assert list(q["attribution"]) == ["Respondent 1", "Become"]
    assert [len(s) for s in q["quote"]] == [150, 100]


def test_representative_quotes_uses_each_respondent_before_repeating(data):
    q = analyse.representative_quotes(data["codes"], data["respondents"], "housing", n=3)
    # r1's best (200 chars, in range), r5's (80), then r1's second (40, too short).
    assert list(q["respondent_id"]) == ["r1", "r5", "r1"]
    assert list(q["start"]) == [60, 0, 10]
    none = analyse.representative_quotes(data["codes"], data["respondents"], "health")
    assert none.empty


def test_theme_frame_accepts_objects():
    class T:
        def __init__(self, id, label):
            self.id, self.label, self.description, self.parent, self.questions = (
                id,
                label,
                "d",
                None,
                None,
            )

    class CB:
        themes = [T("a", "Alpha"), T("b", None)]

    df = analyse.theme_frame(CB())
    assert list(df["id"]) == ["a", "b"]
    assert list(df["label"]) == ["Alpha", "b"]


def test_empty_codes_give_zero_tables(data):
    empty = td.codes([])
    freq = analyse.theme_frequencies(empty, data["answers"], td.CODEBOOK, "q2")
    assert list(freq["n_respondents"]) == [0, 0, 0, 0]
    co = analyse.cooccurrence(empty, td.CODEBOOK)
    # No codes: a 4 x 4 matrix of the codebook's themes, every pair raised together by no one.
    themes = ["housing", "support", "records", "health"]
    assert list(co.index) == themes and list(co.columns) == themes
    assert (co.to_numpy() == 0).all()


def test_stance_table_rounds_half_up_like_the_narrative():
    # 1 of 8 is 12.5%: the table must say 13%, as narrative.format_percent does.
    resp = td.respondents()
    resp = pd.concat(
        [resp] + [resp.assign(respondent_id=resp["respondent_id"] + f"_{i}") for i in (1,)]
    )
    resp = resp.iloc[:8].reset_index(drop=True)
    st = td.stances().iloc[0:0]
    rows = [
        (rid, "q1", "agree" if i == 0 else "disagree")
        for i, rid in enumerate(resp["respondent_id"])
    ]
    st = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "stance": [r[2] for r in rows],
            "reservations": [False] * 8,
        }
    )
    dist = analyse.stance_distribution(st, resp, td.CONSULTATION)
    table = analyse.stance_table(dist, "q1")
    assert table.loc[0, "Agree"] == "1 (13%)"
    assert table.loc[0, "Disagree"] == "7 (88%)"


def test_write_tables_keeps_respondent_text_as_text(tmp_path):
    """Text starting with '=' (an uncoded answer, an organisation name) must not become a
    formula in tables.xlsx; in the CSV it is quoted so a spreadsheet shows it (issue 11)."""
    import openpyxl

    formula = '=HYPERLINK("http://example.com","click")'
    tables = {
        "uncoded": pd.DataFrame(
            {"respondent_id": ["r4"], "answer_text": [formula], "attribution": ["=1+1"]}
        ),
        "question_counts": pd.DataFrame({"question_id": ["q1"], "n_answered": [4]}),
    }
    written = analyse.write_tables(tables, tmp_path)
    assert [p.name for p in written] == ["uncoded.csv", "question_counts.csv", "tables.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "tables.xlsx")["uncoded"]
    assert [(c.value, c.data_type) for c in ws[2]] == [
        ("r4", "s"),
        (formula, "s"),
        ("=1+1", "s"),
    ]
    counts = openpyxl.load_workbook(tmp_path / "tables.xlsx")["question_counts"]
    assert [(c.value, c.data_type) for c in counts[2]] == [("q1", "s"), (4, "n")]
    assert pd.read_csv(tmp_path / "tables" / "uncoded.csv")["answer_text"].tolist() == [
        "'" + formula
    ]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("- The provision of good quality housing.", "The provision of good quality housing."),
        ("  •  Housing  matters\n here. ", "Housing matters here."),
        ("* Housing.", "Housing."),
        ("1. Housing first.", "Housing first."),
        ("a) Housing first.", "Housing first."),
        ("(iv) Housing first.", "Housing first."),
        ("– 2) Housing first.", "Housing first."),
        # Not markers: a number that is the sentence's subject, a hyphenated word.
        ("10,000 young care leavers.", "10,000 young care leavers."),
        ("Well-being matters.", "Well-being matters."),
        ("A proposal we support.", "A proposal we support."),
        # Markdown bold typed in a form: the words stay, the asterisks go; lone ones stay.
        ("- **Housing** – a home first.", "Housing – a home first."),
        ("We need __more__ staff.", "We need more staff."),
        ("2 * 3 * 4 ** 2 is arithmetic.", "2 * 3 * 4 ** 2 is arithmetic."),
    ],
)
def test_clean_quote_removes_list_markers_only(raw, clean):
    assert analyse.clean_quote(raw) == clean


def _shared_sentence_codes():
    # r1's one sentence is evidence for support and housing; r2 has another housing sentence.
    shared = (
        "- We think the local offer should set out the support and the housing options for "
        "every care leaver, in one place, written so that young people can use it."
    )
    other = "• Housing for care leavers is scarce and too often unsuitable for a first home."
    rows = [
        ("r1", "q2", "support", 0, 150, 150, False),
        ("r1", "q2", "housing", 0, 150, 150, False),
        ("r2", "q2", "housing", 0, 80, 80, False),
    ]
    c = td.codes(rows)
    c["quote"] = [shared, shared, other]
    return c, shared[2:], other[2:]


def test_allocate_quotes_gives_each_theme_its_own_sentence(data):
    c, shared, other = _shared_sentence_codes()
    r = data["respondents"]
    # Alone, housing's best quote is the shared sentence (nearer 160 characters).
    assert list(analyse.representative_quotes(c, r, "housing", "q2", n=1)["quote"]) == [shared]
    got = analyse.allocate_quotes(c, r, [("support", 1), ("housing", 1)], "q2")
    assert list(got["support"]["quote"]) == [shared]  # list marker gone
    assert list(got["housing"]["quote"]) == [other]  # not the sentence support took
    # Support has no other sentence: it reuses housing's, once.
    got = analyse.allocate_quotes(c, r, [("housing", 2), ("support", 2)], "q2")
    assert list(got["housing"]["quote"]) == [shared, other]
    assert list(got["support"]["quote"]) == [shared]
    # A sentence already printed (the stance evidence) is not used again while another exists.
    got = analyse.allocate_quotes(c, r, [("housing", 2)], "q2", used=["- " + shared])
    assert list(got["housing"]["quote"]) == [other]


def test_sheet_parts_split_before_excels_row_limit():
    # 1,048,576 rows a sheet, the header included: 1,048,575 data rows fit in one.
    assert analyse.tables.sheet_parts("respondent_themes", 1_048_575) == [
        ("respondent_themes", 0, 1_048_575)
    ]
    assert analyse.tables.sheet_parts("respondent_themes", 2_100_000) == [
        ("respondent_themes", 0, 1_048_575),
        ("respondent_themes (2)", 1_048_575, 2_097_150),
        ("respondent_themes (3)", 2_097_150, 2_100_000),
    ]
    # A long name is cut so the suffix still fits Excel's 31 characters.
    name, _, _ = analyse.tables.sheet_parts("x" * 40, 3, limit=3)[1]
    assert name == "x" * 27 + " (2)" and len(name) == 31


def test_write_tables_continues_a_long_table_in_numbered_sheets(tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setattr(analyse.tables, "EXCEL_ROW_LIMIT", 3)  # two data rows a sheet
    df = pd.DataFrame({"respondent_id": ["r1", "r2", "r3", "r4", "r5"], "n": [1, 2, 3, 4, 5]})
    analyse.write_tables({"respondent_themes": df}, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert wb.sheetnames == [
        "respondent_themes",
        "respondent_themes (2)",
        "respondent_themes (3)",
    ]
    rows = [[c.value for c in row] for ws in wb for row in ws.iter_rows()]
    assert rows == [
        ["respondent_id", "n"],
        ["r1", 1],
        ["r2", 2],
        ["respondent_id", "n"],
        ["r3", 3],
        ["r4", 4],
        ["respondent_id", "n"],
        ["r5", 5],
    ]
    assert len(pd.read_csv(tmp_path / "tables" / "respondent_themes.csv")) == 5  # one CSV


def test_respondent_themes_a_row_per_theme_raised(data):
    rt = analyse.respondent_themes(data["codes"], data["respondents"], td.CODEBOOK)
    # r1 housing+support in q2, r2 records+support (codebook order), r3 support (housing
    # negated), r5 housing in q1.
    assert list(zip(rt["respondent_id"], rt["question_id"], rt["theme_id"], strict=True)) == [
        ("r1", "q2", "housing"),
        ("r1", "q2", "support"),
        ("r2", "q2", "support"),
        ("r2", "q2", "records"),
        ("r3", "q2", "support"),
        ("r5", "q1", "housing"),
    ]
    assert list(rt["theme"][:2]) == ["Housing", "Support"]
    assert rt["attribution"].iloc[-1] == "Respondent 2"
    assert analyse.n_cooccurring(data["codes"]) == 2  # r1 and r2 (r3's housing is negated)


def test_allocate_quotes_prints_copied_words_once(data):
    # Two respondents sent the same sentence (a campaign text): one quote, not two.
    text = "Every care leaver should have a named adviser until they are twenty-five years old."
    c = td.codes(
        [("r1", "q2", "support", 0, 85, 85, False), ("r2", "q2", "support", 0, 85, 85, False)]
    )
    c["quote"] = [text, text]
    got = analyse.allocate_quotes(c, data["respondents"], [("support", 2)], "q2")
    assert list(got["support"]["quote"]) == [text]
