"""Analysis and report on inputs loaded without every answer's text (issue 15).

``load_inputs(..., answer_text=False)`` leaves ``answers.answer_text`` empty and tells
blank from written by the ``written`` column (ingest's, or worked out from the file); the
stages read the text of the rows they quote only. Everything they produce must be the same
as with the text loaded: compared here on a real development export (the identical-table
fixture of ofsted-survey, its answers written in several row groups) with campaign groups
whose representatives' answers the tables and the report quote.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import analysis, report
from helpers.analysis.inputs import load_inputs, written_answers
from helpers.core import schemas
from helpers.report.explorer_data import ANSWERED, explorer_data

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "identical" / "ofsted-survey"
DEVSET = ROOT / "data" / "evaluation" / "ofsted-survey"


def _folder(tmp_path: Path, with_written: bool) -> Path:
    """The fixture's processed tables, answers in row groups of 7, three campaign groups."""
    out = tmp_path / ("with" if with_written else "without")
    out.mkdir()
    for name in ("respondents", "codes", "stances", "uncoded"):
        shutil.copy(FIXTURE / f"{name}.parquet", out / f"{name}.parquet")
    a = pd.read_parquet(FIXTURE / "answers.parquet")
    if with_written:
        a["written"] = a["answer_text"].fillna("").astype(str).str.strip() != ""
    a.to_parquet(out / "answers.parquet", index=False, row_group_size=7)
    # Groups of answers that are written (the representative's text is quoted) and one
    # whose representative's answer is blank (the whole response stands in).
    ok = a[a["answer_text"].fillna("").str.strip() != ""]
    rows = []
    for k, (qid, g) in enumerate(list(ok.groupby("question_id"))[:3], start=1):
        for j, rid in enumerate(g["respondent_id"].astype(str).head(3)):
            rows.append((rid, qid, f"campaign-{k}", 100.0 - j, j == 0))
    cols = ["respondent_id", "question_id", "copy_group", "similarity", "is_first"]
    copies = schemas.conform(pd.DataFrame(rows, columns=cols), schemas.COPIES)
    copies.to_parquet(out / "copies.parquet", index=False)
    return out


def _load(folder: Path, answer_text: bool):
    return load_inputs(
        folder, DEVSET / "consultation.yaml", DEVSET / "codebook.yaml", answer_text=answer_text
    )


@pytest.mark.parametrize("with_written", [True, False])
def test_written_is_the_same_loaded_or_not(tmp_path, with_written):
    folder = _folder(tmp_path, with_written)
    full, lazy = _load(folder, True), _load(folder, False)
    assert full.answer_text_rows is None
    assert not lazy.answer_text_rows.any() and (lazy.answers["answer_text"] == "").all()
    expected = full.answers["answer_text"].fillna("").astype(str).str.strip() != ""
    assert expected.any() and not expected.all()  # the fixture has blank answers
    assert written_answers(lazy.answers).tolist() == expected.tolist()
    assert written_answers(full.answers).tolist() == expected.tolist()
    pd.testing.assert_frame_equal(
        lazy.answers.drop(columns="answer_text"), full.answers.drop(columns="answer_text")
    )


def test_the_written_column_is_read_not_worked_out(tmp_path):
    folder = _folder(tmp_path, True)
    a = pd.read_parquet(folder / "answers.parquet")
    a.loc[0, "written"] = not a.loc[0, "written"]  # the file says otherwise
    a.to_parquet(folder / "answers.parquet", index=False)
    assert written_answers(_load(folder, False).answers)[0] == a.loc[0, "written"]


def test_with_answer_text_reads_the_rows_asked_and_keeps_filled_ones(tmp_path):
    folder = _folder(tmp_path, True)
    full, lazy = _load(folder, True), _load(folder, False)
    mask = np.zeros(len(lazy.answers), dtype=bool)
    mask[[0, 6, 7, 20, len(mask) - 1]] = True  # across row groups and batches, the last row
    filled = lazy.with_answer_text(mask)
    assert filled.answers["answer_text"][mask].tolist() == (
        full.answers["answer_text"][mask].tolist()
    )
    assert (filled.answers["answer_text"][~mask] == "").all()
    assert (lazy.answers["answer_text"] == "").all()  # the original is not changed
    # A row already filled (say redacted) is not read again.
    filled.answers.loc[6, "answer_text"] = "[redacted]"
    more = mask.copy()
    more[3] = True
    again = filled.with_answer_text(more)
    assert again.answers.loc[6, "answer_text"] == "[redacted]"
    assert again.answers.loc[3, "answer_text"] == full.answers.loc[3, "answer_text"]
    assert full.with_answer_text(mask) is full  # loaded whole: nothing to read


def test_analysis_tables_and_report_are_the_same(tmp_path):
    folder = _folder(tmp_path, False)  # an older folder: written worked out from the file
    full, lazy = _load(folder, True), _load(folder, False)
    t_full, t_lazy = analysis.analysis_tables(full), analysis.analysis_tables(lazy)
    assert t_full.keys() == t_lazy.keys()
    assert len(t_full["campaign_groups"]) == 3
    assert (t_full["campaign_groups"]["text"].str.len() > 0).all()
    for name in t_full:
        pd.testing.assert_frame_equal(t_lazy[name], t_full[name], obj=name)
    pages = []
    for inputs, sub in ((full, "full"), (lazy, "lazy")):
        html = report.build_report(
            inputs, output_dir=tmp_path / sub, report_date=dt.date(2026, 1, 1)
        )
        pages.append(re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?", "", html))
    assert pages[0] == pages[1]
    logs = [sorted((tmp_path / sub).glob("*.csv")) for sub in ("full", "lazy")]
    assert logs[0]  # the report's redaction log: the same rows
    for a, b in zip(*logs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_explorer_quotes_the_same_answers(tmp_path):
    folder = _folder(tmp_path, True)
    full, lazy = _load(folder, True), _load(folder, False)
    data_full, log_full = explorer_data(full, "t")
    data_lazy, log_lazy = explorer_data(lazy, "t")
    assert data_full == data_lazy
    answered = [
        t
        for t, kind in zip(data_full["quotes"]["text"], data_full["quotes"]["t"], strict=True)
        if kind == ANSWERED
    ]
    assert answered and all(answered)  # whole answers are quoted, with their text
    pd.testing.assert_frame_equal(log_lazy, log_full)


@pytest.mark.parametrize("batch_rows", [1, 5, 7, 1000])
def test_values_at_reads_the_positions_batch_by_batch(tmp_path, batch_rows):
    from helpers.analysis.inputs import _values_at

    a = pd.read_parquet(FIXTURE / "answers.parquet")
    a.to_parquet(tmp_path / "a.parquet", index=False, row_group_size=7)
    positions = np.array([0, 4, 5, 6, 7, 13, 14, len(a) - 1])
    got = _values_at(tmp_path / "a.parquet", "answer_text", positions, len(a), batch_rows)
    assert got == a["answer_text"].iloc[positions].tolist()
    assert _values_at(tmp_path / "a.parquet", "answer_text", positions[:0], len(a)) == []
    with pytest.raises(ValueError):
        _values_at(tmp_path / "a.parquet", "answer_text", positions, len(a) + 1)
