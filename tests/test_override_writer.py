"""The one writer of overrides.csv (coding.append_override) and stance rows read back.

Tables from tests/test_explore.py: r1 answers q1 (3..52, "We agree." at 3..12) and
q2; r2 answers q2 only; the stances table has one row, r1 q1 = agree.
"""

from __future__ import annotations

import csv

import pytest
from test_explore import R1, make_data

from helpers import coding


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_a_row_follows_the_files_own_header_and_line_ends(tmp_path):
    path = tmp_path / "overrides.csv"
    # a spreadsheet's save: BOM, another column order, no final newline
    path.write_bytes(
        "\ufeffnote,coder,action,theme_id,question_id,respondent_id,quote\r\n"
        "old,bob,remove,funding,q2,r2,".encode()
    )
    row = coding.override_row("r1", "q1", "housing", "ADD", "line one\r\nline two", "ann", "@x")
    coding.append_override(path, row)
    assert read(path) == [
        ["note", "coder", "action", "theme_id", "question_id", "respondent_id", "quote"],
        ["old", "bob", "remove", "funding", "q2", "r2", ""],
        ["'@x", "ann", "add", "housing", "q1", "r1", "line one\nline two"],
    ]
    assert coding.drop_override(path, row) is True
    assert read(path)[-1] == ["old", "bob", "remove", "funding", "q2", "r2", ""]
    assert coding.drop_override(path, row) is False


def test_rows_are_validated_before_writing(tmp_path):
    with pytest.raises(coding.OverrideError, match="action"):
        coding.override_row("r1", "q1", "housing", "delete")
    with pytest.raises(coding.OverrideError, match="theme_id is empty"):
        coding.override_row("r1", "q1", " ", "add")
    with pytest.raises(coding.OverrideError, match="stance 'maybe'"):
        coding.override_row("r1", "q1", "maybe", "stance")
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,question_id,note\n", encoding="utf-8")
    with pytest.raises(coding.OverrideError, match="missing column"):
        coding.append_override(bad, coding.override_row("r1", "q1", "housing", "add"))


def test_stance_rows_set_the_stance_and_are_checked(tmp_path):
    d = make_data()
    path = tmp_path / "overrides.csv"
    coding.append_override(path, coding.override_row("r1", "q1", "disagree", "stance", "we agree"))
    # the codes reader accepts the row and leaves the codes alone
    codes = coding.apply_overrides(d.codes, path, d.answers, d.respondents)
    assert len(codes) == len(d.codes)
    st = coding.apply_stance_overrides(d.stances, path, d.answers, d.respondents)
    row = st.iloc[0]
    assert (row["stance"], row["score"], row["method"], row["confidence"]) == (
        "disagree",
        -1.0,
        "manual",
        1.0,
    )
    # the quote is found ignoring case: the evidence is the respondent's own words
    assert (row["evidence"], row["start"], row["end"]) == (R1[3:11], 3, 11) == ("We agree", 3, 11)
    coding.append_override(path, coding.override_row("r2", "q2", "agree", "stance"))
    with pytest.raises(coding.OverrideError, match="line 3: no stance for 'r2' 'q2'"):
        coding.apply_stance_overrides(d.stances, path, d.answers, d.respondents)
    path.write_text(
        "respondent_id,question_id,theme_id,action\nr1,q1,maybe,stance\n", encoding="utf-8"
    )
    with pytest.raises(coding.OverrideError, match="line 2: stance 'maybe'"):
        coding.apply_overrides(d.codes, path, d.answers, d.respondents)


def test_the_coding_stage_applies_a_stance_row(tmp_path):
    import pandas as pd
    from test_code import FOLDER, RAW

    from helpers import ingest

    consultation = FOLDER / "consultation.yaml"
    ingest.run_ingest(RAW, consultation, tmp_path)
    overrides = tmp_path / "overrides.csv"
    first = coding.run_coding(tmp_path, consultation, FOLDER / "codebook.yaml", overrides)
    row = first.stances.iloc[0]
    new = "strongly_disagree" if row["stance"] != "strongly_disagree" else "agree"
    coding.append_override(
        overrides,
        coding.override_row(
            row["respondent_id"], row["question_id"], new, "stance", "", "ann", "x"
        ),
    )
    coding.run_coding(tmp_path, consultation, FOLDER / "codebook.yaml", overrides)
    stances = pd.read_parquet(tmp_path / "stances.parquet")
    got = stances[
        (stances["respondent_id"] == row["respondent_id"])
        & (stances["question_id"] == row["question_id"])
    ].iloc[0]
    assert (got["stance"], got["method"]) == (new, "manual")
    others = stances.drop(got.name)
    assert (others["method"] != "manual").all()
