"""The report redacts the answers it prints, not every answer (issue 15).

``build_report`` prints answer text only in the campaign annex (each group's
representative's answer); ``analysis.redact_inputs`` is given masks of those rows
(``analysis.representative_answers``). What it prints must still carry no personal
data, and the report's redaction log lists what the printed rows held.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import report_testdata as td

from helpers import analysis
from helpers.core import schemas

# Phrasings written for this test (not the rules' own examples).
REP_TEXT = "Please back this change. Questions to campaign.lead@parents-voice.org.uk welcome."
OTHER_TEXT = "Housing matters most; call me on 0161 496 0832 after six."


def _copies(rows: list[tuple[str, str, str, bool]]) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "respondent_id": [r[0] for r in rows],
            "question_id": [r[1] for r in rows],
            "copy_group": [r[2] for r in rows],
            "similarity": [100.0] * len(rows),
            "is_first": [r[3] for r in rows],
        }
    )
    return schemas.conform(df, schemas.COPIES)


def _inputs() -> analysis.AnalysisInputs:
    a = td.answers()
    a["answer_text"] = a["answer_text"].astype(object)
    # r2's q1 answer is the representative of a campaign group; r3's q2 answer is not printed.
    a.loc[(a["respondent_id"] == "r2") & (a["question_id"] == "q1"), "answer_text"] = REP_TEXT
    a.loc[(a["respondent_id"] == "r3") & (a["question_id"] == "q2"), "answer_text"] = OTHER_TEXT
    a["end"] = a["answer_text"].str.len()
    copies = _copies([("r2", "q1", "campaign-1", True), ("r4", "q1", "campaign-1", False)])
    return dataclasses.replace(
        td.inputs(), answers=schemas.conform(a, schemas.ANSWERS), copies=copies
    )


def test_representative_answers_are_the_rows_campaign_groups_prints():
    inputs = _inputs()
    shown = analysis.representative_answers(inputs.copies, inputs.answers)
    got = inputs.answers.loc[shown, ["respondent_id", "question_id"]].values.tolist()
    assert got == [["r2", "q1"]]
    groups = analysis.campaign_groups(inputs.copies, inputs.answers, inputs.respondents)
    assert groups["text"].tolist() == [REP_TEXT]
    # The first copy is the representative even when it is not the first row.
    later = _copies([("r1", "q2", "campaign-2", False), ("r3", "q2", "campaign-2", True)])
    shown = analysis.representative_answers(later, inputs.answers)
    assert inputs.answers.loc[shown, "respondent_id"].tolist() == ["r3"]
    # No copies: nothing is printed.
    assert not analysis.representative_answers(schemas.empty(schemas.COPIES), inputs.answers).any()


def test_redact_inputs_redacts_only_the_rows_shown_and_logs_them():
    inputs = _inputs()
    shown = {"answers": analysis.representative_answers(inputs.copies, inputs.answers)}
    redacted, log = analysis.redact_inputs(inputs, shown)
    text = dict(
        zip(
            zip(redacted.answers["respondent_id"], redacted.answers["question_id"], strict=True),
            redacted.answers["answer_text"],
            strict=True,
        )
    )
    assert text[("r2", "q1")] == "Please back this change. Questions to [email] welcome."
    assert text[("r3", "q2")] == OTHER_TEXT  # not shown: left as it is, and not logged
    kinds = set(zip(log["table"], log["kind"], log["respondent_id"], strict=True))
    assert ("answers", "email", "r2") in kinds
    assert not any(k == "phone" for _t, k, _r in kinds)
    # Without masks every row is redacted, as before.
    _, full = analysis.redact_inputs(inputs)
    assert ("answers", "phone", "r3") in set(
        zip(full["table"], full["kind"], full["respondent_id"], strict=True)
    )
    # The caller's frame is untouched.
    assert REP_TEXT in inputs.answers["answer_text"].tolist()


def test_the_report_prints_the_representative_redacted(tmp_path):
    from helpers import report

    html = report.build_report(_inputs(), output_dir=tmp_path, report_date=dt.date(2026, 12, 5))
    assert "campaign.lead@" not in html and "0161 496 0832" not in html
    assert "Please back this change" in html
    log = pd.read_csv(tmp_path / "redaction_log.csv", dtype=str)
    rows = set(zip(log["source"], log["table"], log["kind"], log["respondent_id"], strict=True))
    assert ("report", "answers", "email", "r2") in rows
    assert not any(t == "answers" and k == "phone" for s, t, k, _r in rows if s == "report")


def test_raised_is_computed_once_inside_a_block_and_fresh_outside():
    codes = td.codes()
    with analysis.computed_once():
        first = analysis.raised(codes)
        first["mentions"] = -1  # a caller changing its copy does not change the next one
        again = analysis.raised(codes)
        assert (again["mentions"] > 0).all()
        other = td.codes().iloc[:1]
        assert len(analysis.raised(other)) <= 1  # another frame: its own result
    expected = analysis.counting._raised(codes)
    pd.testing.assert_frame_equal(analysis.raised(codes), expected)
    pd.testing.assert_frame_equal(again, expected)


def test_theme_codes_split_once_gives_the_rows_a_filter_gives():
    codes = td.codes()
    codes.loc[codes.index[0], "negated"] = True  # negated mentions are not counted
    counted = schemas.counted_codes(codes)
    themes = [*codes["theme_id"].astype(str).unique(), "no_such_theme"]
    for theme in themes:
        for qid in (None, "q1", "q2"):
            want = counted[counted["theme_id"] == theme]
            if qid is not None:
                want = want[want["question_id"] == qid]
            pd.testing.assert_frame_equal(analysis.counting.theme_codes(codes, theme, qid), want)
            with analysis.computed_once():
                got = analysis.counting.theme_codes(codes, theme, qid)
                again = analysis.counting.theme_codes(codes, theme, qid)
            pd.testing.assert_frame_equal(got, want)
            pd.testing.assert_frame_equal(again, want)
    assert (
        codes.index[0] not in analysis.counting.theme_codes(codes, codes["theme_id"].iloc[0]).index
    )
