"""The streamed workbook (analysis.workbook) and synthesis computed once (analysis.synthesis_cache),
issue 15 item 3: the same cells as openpyxl wrote them, the same points as a second run."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest
import report_testdata as td

from helpers import analysis, report
from helpers.analysis import synthesis_cache, workbook
from helpers.core import schemas
from helpers.core.safecsv import FORMULA_STARTS


def _reference(df: pd.DataFrame, path) -> None:
    """The workbook as write_tables wrote it before: pandas' to_excel on openpyxl, then
    every formula cell made text, with the quote prefix on text starting like a formula."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        df.astype(object).where(df.notna(), None).map(workbook.excel_text).to_excel(
            xw, sheet_name="t", index=False
        )
        for row in xw.sheets["t"].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True


def _cells(path) -> list[list[tuple]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [
        [(c.value, c.data_type if c.value is not None else None, c.quotePrefix) for c in row]
        for row in ws.iter_rows()
    ]


def _mixed_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": pd.array(["r1", "r2", None, "r4"], dtype="string"),
            "n": [1, 20, 300, -4],
            "share": [0.1 + 0.2, np.nan, 100 / 3, 7.0],
            "flag": [True, False, True, True],
            "maybe": pd.array([True, None, False, True], dtype="boolean"),
            "count": pd.array([5, None, 7, 8], dtype="Int64"),
            # respondents' words: formula starts, markup, line breaks, padding, control chars
            "answer_text": [
                '=HYPERLINK("http://x.example","go")',
                "  padded & <b>bold</b>\r\nnext line ",
                "-5 degrees\x07 outside",
                "",
            ],
            "mixed": [1, "two", 3.5, None],
            "long": ["x" * 40_000, "+44 is a prefix", "@handle", "\ttab"],
        }
    )


def test_the_streamed_sheet_holds_what_openpyxl_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "BLOCK_ROWS", 3)  # rows cross a block boundary
    df = _mixed_table()
    workbook.write_workbook([("t", df)], tmp_path / "new.xlsx")
    _reference(df, tmp_path / "old.xlsx")
    got, expected = _cells(tmp_path / "new.xlsx"), _cells(tmp_path / "old.xlsx")
    assert got == expected
    # text that looks like a formula stays text, with Excel's quote prefix
    assert got[1][6] == ('=HYPERLINK("http://x.example","go")', "s", True)
    assert got[1][8][0].endswith("[…truncated: see the CSV for the rest]")
    assert len(got[1][8][0]) == workbook.EXCEL_CELL_LIMIT
    assert pd.read_excel(tmp_path / "new.xlsx").shape == df.shape


def test_a_workbook_of_many_sheets_and_an_empty_one(tmp_path):
    small = pd.DataFrame({"question_id": ["q1"], "n_answered": [4]})
    path = workbook.write_workbook(
        [("question_counts", small), ("empty & <odd> name", small.head(0))], tmp_path / "w.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["question_counts", "empty & <odd> name"]
    assert [[c.value for c in r] for r in wb.worksheets[1].iter_rows()] == [
        ["question_id", "n_answered"]
    ]


def test_the_report_reads_back_the_points_the_tables_computed(tmp_path, monkeypatch):
    inputs = td.inputs()
    tables = analysis.analysis_tables(inputs)
    analysis.write_tables(tables, tmp_path)
    kept = synthesis_cache.load(tmp_path, synthesis_cache.fingerprint(inputs))
    assert kept is not None and len(kept) > 0
    # the same table synthesis gives from the report's redacted inputs
    redacted, _ = analysis.redact_inputs(inputs)
    pd.testing.assert_frame_equal(kept, analysis.synthesise(redacted)[0])

    def fail(*_a, **_k):
        raise AssertionError("synthesis ran again")

    monkeypatch.setattr(analysis, "synthesise", fail)
    day = dt.date(2026, 12, 5)
    html = report.build_report(inputs, output_dir=tmp_path, report_date=day)
    monkeypatch.undo()
    assert html == report.build_report(inputs, output_dir=tmp_path / "fresh", report_date=day)


def test_changed_inputs_are_synthesised_again(tmp_path):
    inputs = td.inputs()
    analysis.write_tables(analysis.analysis_tables(inputs), tmp_path)
    codes = inputs.codes.copy()
    codes["quote"] = codes["quote"].astype(object)
    codes.loc[codes.index[0], "quote"] = "A different sentence about housing costs entirely."
    changed = analysis.AnalysisInputs(
        **{**inputs.__dict__, "codes": schemas.conform(codes, schemas.CODES)}
    )
    digest = synthesis_cache.fingerprint(changed)
    assert digest != synthesis_cache.fingerprint(inputs)
    assert synthesis_cache.load(tmp_path, digest) is None
    assert synthesis_cache.load(tmp_path, synthesis_cache.fingerprint(inputs)) is not None


@pytest.mark.parametrize("missing", ["points.json", "points.parquet"])
def test_a_broken_cache_is_not_read(tmp_path, missing):
    inputs = td.inputs()
    analysis.write_tables(analysis.analysis_tables(inputs), tmp_path)
    (tmp_path / "tables" / missing).unlink()
    assert synthesis_cache.load(tmp_path, synthesis_cache.fingerprint(inputs)) is None
