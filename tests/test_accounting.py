"""Honest accounting (issue 12, item 8).

- the counts of files and survey rows received, read, failed (named, with the reason),
  skipped, empty and non-substantive, from ingest_log and the tables;
- a run with a failed input publishes, moves `latest`, shows a warning box on the first
  page naming the file, and exits 3;
- a survey mapping naming a column the export lacks stops the run (exit 1) with a
  message naming the file, the column and the consultation.yaml field;
- a stale hand-coding file (respondents not in the data) is an error, not "kappa 0.00".
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import analysis, cli, coding, ingest, pipeline, report, validate
from helpers.core import schemas
from helpers.core.consultation import ConsultationError

FIXTURE = Path(__file__).parent / "fixtures" / "second_consultation"
LIBRARY_ID = "riverside-library-hours"


def _page_text(html_text: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S | re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


# --------------------------------------------------------------------------- the counts


def _log(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(
        [
            {
                "file": f,
                "status": s,
                "reason": r,
                "source_format": None,
                "encoding": None,
                "n_respondents": n,
                "n_answers": 0,
                "sha256": None,
            }
            for f, s, r, n in rows
        ]
    )
    return schemas.conform(df, schemas.INGEST_LOG)


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four respondents: a (document, substantive), s1 (row 1, only 'No comment'),
    s2 (row 2, a tick and nothing else), s4 (row 4, every answer blank: empty)."""
    resp = pd.DataFrame(
        {
            "respondent_id": ["a", "s1", "s2", "s4"],
            "source_row": [None, 1, 2, 4],
        }
    )
    ans = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "s1", "s1", "s2", "s4"],
            "question_id": ["q1", "q2", "q1", "q2", "q1", "q1"],
            "answer_text": ["We agree.", "N/A", "No comment", "", "", ""],
            "tick_box": [None, None, None, None, "Agree", None],
            "substantive": [True, False, False, False, False, False],
        }
    )
    return resp, ans


def test_accounting_counts_every_file_and_row_by_hand() -> None:
    log = _log(
        [
            ("a.txt", "processed", None, 1),
            ("bad.docx", "failed", "bad.docx: not a Word document (zip); save it again", 0),
            ("manifest.csv", "skipped", schemas.METADATA_REASON, 0),
            ("notes.exe", "skipped", "unsupported file type .exe", 0),
            ("survey.csv", "processed", None, 3),
            ("survey.csv", "failed", "survey.csv: row 3: empty respondent id column", 0),
        ]
    )
    resp, ans = _tables()
    acc = analysis.input_accounting(log, resp, ans)
    assert acc.files_received == 4  # the metadata file is not a response
    assert acc.files_read == 2
    assert acc.files_failed == [("bad.docx", "bad.docx: not a Word document (zip); save it again")]
    assert acc.files_skipped == [("notes.exe", "unsupported file type .exe")]
    assert acc.metadata_files == ["manifest.csv"]
    assert (acc.rows_received, acc.rows_read) == (4, 3)  # rows 1, 2, 4 read; row 3 failed
    assert acc.rows_failed == [("survey.csv", "survey.csv: row 3: empty respondent id column")]
    assert acc.respondents == 4
    assert acc.empty_respondents == 1  # s4
    assert acc.no_substantive_respondents == 1  # s1 (s2 ticked a box)
    assert acc.non_substantive_answers == 2  # a's "N/A", s1's "No comment"
    assert [f for f, _ in acc.failed] == ["bad.docx", "survey.csv"]
    table = acc.table().set_index("what")["n"]
    assert table["files failed"] == 1 and table["survey rows failed"] == 1


def test_first_page_warning_names_each_failed_input() -> None:
    log = _log(
        [
            ("a.txt", "processed", None, 1),
            ("bad.docx", "failed", "bad.docx: not a Word document", 0),
        ]
    )
    resp, ans = _tables()
    from helpers.report.accounting import first_page

    page = first_page(analysis.input_accounting(log, resp, ans))
    assert page["warning"]["listed"] == [{"file": "bad.docx", "reason": "not a Word document"}]
    assert page["warning"]["summary"].startswith("One file could not be read")
    # (the survey rows are the table's, read from no file in this log)
    assert page["counts"].startswith("Two files received: one read, one failed and none skipped;")
    ok = first_page(analysis.input_accounting(_log([("a.txt", "processed", None, 1)]), resp, ans))
    assert ok["warning"] is None


# --------------------------------------------------------------------------- a run


def _run(tmp: Path, config: dict, run_id: str) -> tuple[int, str]:
    path = tmp / f"run-{run_id}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    log_file = tmp / f"{run_id}.log"
    code = pipeline.main(
        ["run", "--config", str(path), "--run-id", run_id, "--log-file", str(log_file)]
    )
    return code, log_file.read_text(encoding="utf-8") if log_file.exists() else ""


def _config(tmp: Path, inputs: Path, consultation: Path) -> dict:
    return {
        "consultation": str(consultation),
        "codebook": str(FIXTURE / "codebook.yaml"),
        "input_dir": str(inputs),
        "processed_dir": str(tmp / "processed"),
        "output_root": str(tmp / "reports"),
        "formats": ["html"],
    }


@pytest.fixture(scope="module")
def corrupt_run(tmp_path_factory):
    """The second consultation plus a corrupt Word file, run end to end (notebooks and all)."""
    tmp = tmp_path_factory.mktemp("accounting")
    inputs = tmp / "responses"
    shutil.copytree(FIXTURE / "responses", inputs)
    (inputs / "broken-response.docx").write_bytes(b"this is not a zip archive at all")
    code, log_text = _run(tmp, _config(tmp, inputs, FIXTURE / "consultation.yaml"), "day1")
    return {"tmp": tmp, "code": code, "log": log_text, "inputs": inputs}


def test_failed_input_publishes_moves_latest_and_exits_3(corrupt_run) -> None:
    assert corrupt_run["code"] == pipeline.EXIT_INPUT_ERRORS == 3, corrupt_run["log"][-3000:]
    reports = corrupt_run["tmp"] / "reports" / LIBRARY_ID
    run = reports / "day1"
    assert (run / "report.html").is_file()
    assert pipeline.latest_run(reports) == run
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    assert [e["file"] for e in manifest["input_errors"]] == ["broken-response.docx"]
    assert "completed with input errors" in corrupt_run["log"]


def test_report_first_page_has_the_warning_box_naming_the_file(corrupt_run) -> None:
    html = (corrupt_run["tmp"] / "reports" / LIBRARY_ID / "day1" / "report.html").read_text(
        encoding="utf-8"
    )
    box = re.search(r'<div class="input-warning".*?</div>', html, flags=re.S)
    assert box is not None
    text = _page_text(box.group(0))
    assert "Warning: Some inputs could not be read" in text
    assert "broken-response.docx" in text
    # the warning comes before the summary of key findings (the first page)
    assert html.index('class="input-warning"') < html.index("Summary of key findings")
    page = _page_text(html)
    # friends .txt, survey.csv, broken .docx (manifest.csv apart); two survey rows
    assert "Three files received: two read, one failed and none skipped" in page
    assert "two survey rows received: two read" in page
    # the Method section names it again, with its reason
    method = page[page.index("How responses were received") :]
    assert "Inputs that could not be read" in method and "broken-response.docx" in method


def _prepare(tmp: Path, inputs: Path) -> int:
    path = tmp / "prepare.yaml"
    path.write_text(
        yaml.safe_dump(_config(tmp, inputs, FIXTURE / "consultation.yaml")), encoding="utf-8"
    )
    return cli.main(["prepare", "--config", str(path)])


def test_consult_prepare_exits_3_naming_a_failed_input(tmp_path, capsys, caplog) -> None:
    """Like a run, `consult prepare` with an unreadable input still updates the processed
    tables (without it) and exits 3, naming the file; with none failed it exits 0."""
    inputs = tmp_path / "responses"
    shutil.copytree(FIXTURE / "responses", inputs)
    assert _prepare(tmp_path, inputs) == pipeline.EXIT_OK == 0
    capsys.readouterr()

    (inputs / "broken-response.docx").write_bytes(b"this is not a zip archive at all")
    caplog.clear()
    assert _prepare(tmp_path, inputs) == pipeline.EXIT_INPUT_ERRORS == 3
    out = capsys.readouterr().out
    assert out.strip() == str(tmp_path / "processed")  # still the one line of stdout
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "broken-response.docx" in warned and "completed with input errors" in warned
    log_df = pd.read_parquet(tmp_path / "processed" / "ingest_log.parquet")
    failed = log_df[log_df["status"] == "failed"]
    assert list(failed["file"]) == ["broken-response.docx"]
    # the readable inputs were processed: the friends' letter and both survey rows
    resp = pd.read_parquet(tmp_path / "processed" / "respondents.parquet")
    assert len(resp) == 3


def test_missing_survey_column_fails_the_run_with_exit_1(tmp_path) -> None:
    inputs = tmp_path / "responses"
    shutil.copytree(FIXTURE / "responses", inputs)
    raw = yaml.safe_load((FIXTURE / "consultation.yaml").read_text(encoding="utf-8"))
    raw["survey"]["questions"]["q2"]["text"] = "Q2 What would help"  # not in survey.csv
    consultation = tmp_path / "consultation.yaml"
    consultation.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

    with pytest.raises(ConsultationError) as err:
        ingest.run_ingest(inputs, consultation, tmp_path / "direct")
    msg = str(err.value)
    assert "survey.csv" in msg and "'Q2 What would help'" in msg
    assert "survey.questions.q2.text" in msg and str(consultation) in msg

    code, log_text = _run(tmp_path, _config(tmp_path, inputs, consultation), "bad")
    assert code == pipeline.EXIT_FAILED == 1
    assert "survey.questions.q2.text" in log_text
    reports = tmp_path / "reports" / LIBRARY_ID
    assert (reports / "bad.failed").is_dir()
    assert pipeline.latest_run(reports) is None


# --------------------------------------------------------------------------- stale hand coding


@pytest.fixture(scope="module")
def library_inputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stale")
    processed = tmp / "processed"
    ingest.run_ingest(FIXTURE / "responses", FIXTURE / "consultation.yaml", processed)
    coding.run_coding(processed, FIXTURE / "consultation.yaml", FIXTURE / "codebook.yaml")
    return tmp, analysis.load_inputs(
        processed, FIXTURE / "consultation.yaml", FIXTURE / "codebook.yaml"
    )


def test_stale_hand_coding_is_an_error_naming_the_file_and_ids(library_inputs) -> None:
    tmp, inputs = library_inputs
    stale = tmp / "hand_coded_old.csv"
    stale.write_text(
        "respondent_id,question_id,theme_id\nR901,q2,digital\nR902,q2,accessibility\n",
        encoding="utf-8",
    )
    with pytest.raises(validate.HandCodingError) as err:
        validate.load_hand_coding(stale, inputs.answers, respondents=inputs.respondents)
    msg = str(err.value)
    assert str(stale) in msg and "'R901'" in msg and "'R902'" in msg
    assert "none of its 2 respondents is in the data" in msg
    # the report refuses it rather than printing "kappa 0.00"
    with pytest.raises(validate.HandCodingError, match="hand_coded_old.csv"):
        report.build_report(inputs, hand_coded=stale, output_dir=tmp / "r")
    # and so does compare(), given the table directly
    hand = pd.DataFrame(
        {"respondent_id": ["R901"], "question_id": ["q2"], "theme_id": ["digital"]}
    ).astype("string")
    with pytest.raises(validate.HandCodingError, match="R901"):
        validate.compare(inputs.codes, inputs.answers, hand, inputs.codebook)


def test_partly_stale_hand_coding_names_only_the_missing_ids(library_inputs) -> None:
    tmp, inputs = library_inputs
    path = tmp / "hand_partly.csv"
    path.write_text(
        "respondent_id,question_id,theme_id\nR001,q2,digital\nR999,q2,digital\n",
        encoding="utf-8",
    )
    with pytest.raises(validate.HandCodingError) as err:
        validate.load_hand_coding(path, inputs.answers)
    assert "1 of its 2 respondents are not in the data" in str(err.value)
    assert "'R999'" in str(err.value)
    assert "'R001'" not in str(err.value)


def test_current_hand_coding_still_loads(library_inputs) -> None:
    _, inputs = library_inputs
    hand = validate.load_hand_coding(FIXTURE / "hand_coded.csv", inputs.answers)
    assert len(hand) == 5
