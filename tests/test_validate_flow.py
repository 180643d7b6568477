"""Validation from nothing (issue 17, item 3): a sample to hand-code, then agreement.

``validate.validate_or_sample`` on the report's toy tables: with no hand coding it
writes the stratified sample workbook (and never overwrites one); an unfilled
workbook codes nothing yet; the workbook filled in by hand gives agreement counted
by hand. ``consult validate`` does the same from a run.yaml on an ingested and
coded survey. ``consult --help`` lists every sub-command with an example, and the
README names every one.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import explorer_testdata as ed
import pytest
import report_testdata as td
import yaml
from openpyxl import load_workbook

from helpers import analysis, cli, coding, ingest, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "second_consultation"

# Non-negated codes of the toy data (report_testdata.CODE_ROWS): what the machine coded.
AUTO = {
    ("r1", "q2", "housing"),
    ("r1", "q2", "support"),
    ("r2", "q2", "records"),
    ("r2", "q2", "support"),
    ("r3", "q2", "support"),
    ("r5", "q1", "housing"),
}


def fill(path: Path, coded: set[tuple[str, str, str]], stances: dict | None = None) -> None:
    """Fill the workbook's theme cells as a hand coder would: 1 for ``coded``, else 0."""
    wb = load_workbook(path)
    ws = wb["Coding"]
    header = [c.value for c in ws[1]]
    themes = [h for h in header if h in {t["id"] for t in td.THEMES}]
    for row in ws.iter_rows(min_row=2):
        rid, qid = row[0].value, row[1].value
        for t in themes:
            cell = row[header.index(t)]
            if cell.value != "n/a":
                cell.value = int((rid, qid, t) in coded)
        if stances and (rid, qid) in stances:
            row[header.index("stance")].value = stances[(rid, qid)]
    wb.save(path)


def test_from_nothing_to_agreement(tmp_path) -> None:
    tables = ed.toy_inputs()
    out = tmp_path / "validation"
    first = validate.validate_or_sample(tables, td.CODEBOOK, td.CONSULTATION, None, out, n=20)
    assert first.state == validate.SAMPLED
    sample = out / validate.SAMPLE_FILE
    assert first.sample == sample and sample.is_file()
    rows = list(load_workbook(sample)["Coding"].iter_rows(min_row=2, values_only=True))
    # every answer with text: 9 (r4's blank q2 is not sampled)
    assert sorted((r[0], r[1]) for r in rows) == sorted(
        [("r1", "q1"), ("r1", "q2"), ("r1", "q3"), ("r2", "q1"), ("r2", "q2"), ("r3", "q2"),
         ("r4", "q1"), ("r5", "q1"), ("r5", "q3")]
    )  # fmt: skip
    assert "hand_coding_sample.xlsx" in first.message and "--hand-coded" in first.message

    # Run again before coding: the workbook (maybe half coded) is kept, not redrawn.
    before = sample.read_bytes()
    again = validate.validate_or_sample(tables, td.CODEBOOK, td.CONSULTATION, None, out, n=5)
    assert again.state == validate.WAITING and sample.read_bytes() == before

    # The workbook given back unfilled: nothing coded yet, nothing computed.
    waiting = validate.validate_or_sample(tables, td.CODEBOOK, td.CONSULTATION, sample, out)
    assert waiting.state == validate.WAITING and "codes no answer yet" in waiting.message
    assert not (out / "agreement_per_theme.csv").exists()

    # Filled by hand: the human agrees with the machine but for two decisions,
    # r3's Support (machine only) and Health in r4's q1 (human only).
    human = (AUTO - {("r3", "q2", "support")}) | {("r4", "q1", "health")}
    fill(sample, human, stances={("r1", "q1"): "strongly_agree", ("r4", "q1"): "agree"})
    done = validate.validate_or_sample(tables, td.CODEBOOK, td.CONSULTATION, sample, out, n_boot=50)
    assert done.state == validate.AGREEMENT
    o = done.agreement.overall
    assert (o["n_answers"], o["n_decisions"]) == (9, 36)  # 9 answers x 4 themes
    assert o["percent_agreement"] == pytest.approx(34 / 36)
    assert o["precision"] == pytest.approx(5 / 6) and o["recall"] == pytest.approx(5 / 6)
    dis = done.agreement.disagreements
    assert sorted(zip(dis["respondent_id"], dis["theme_id"], dis["kind"], strict=True)) == [
        ("r3", "support", "auto only"),
        ("r4", "health", "human only"),
    ]
    # stances from the workbook: r1 agrees (strongly_agree both), r4 does not (agree vs disagree)
    pairs = done.stances.pairs.set_index("respondent_id")
    assert len(pairs) == 2
    assert {p.name for p in done.written} == {
        "agreement_per_theme.csv",
        "disagreements.csv",
        "stance_agreement.csv",
    }
    assert "kappa" in done.message and "9 hand-coded answers" in done.message


def test_a_hand_coded_path_not_there_yet_gets_the_sample(tmp_path) -> None:
    tables = ed.toy_inputs()
    missing = tmp_path / "hand_coded.csv"
    got = validate.validate_or_sample(
        tables, td.CODEBOOK, td.CONSULTATION, missing, tmp_path / "v", n=3
    )
    assert got.state == validate.SAMPLED
    assert f"{missing} not found" in got.message
    rows = list(load_workbook(got.sample)["Coding"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3


@pytest.fixture(scope="module")
def survey_run(tmp_path_factory):
    """A survey ingested and coded, with a run.yaml that names no hand coding."""
    import test_breakdowns_report as tb

    tmp = tmp_path_factory.mktemp("validate-cli")
    cons = tb._consultation(tmp)
    raw = tmp / "responses"
    raw.mkdir()
    with (raw / "survey.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([tb.HEADER, *tb.ROWS])
    processed = tmp / "processed"
    ingest.run_ingest(raw, cons, processed, metadata_file=None)
    coding.run_coding(processed, cons, FIXTURE / "codebook.yaml")
    run_yaml = tmp / "run.yaml"
    run_yaml.write_text(
        yaml.safe_dump(
            {
                "consultation": str(cons),
                "codebook": str(FIXTURE / "codebook.yaml"),
                "input_dir": str(raw),
                "processed_dir": str(processed),
                "output_root": str(tmp / "reports"),
            }
        ),
        encoding="utf-8",
    )
    return tmp, run_yaml, processed, cons


def test_consult_validate_exports_then_reports(survey_run, capsys, caplog) -> None:
    tmp, run_yaml, processed, cons = survey_run
    assert cli.main(["validate", "--config", str(run_yaml), "-n", "6"]) == 0
    sample = Path(capsys.readouterr().out.strip())
    consultation_id = yaml.safe_load(Path(cons).read_text(encoding="utf-8"))["id"]
    assert sample == tmp / "reports" / consultation_id / "validation" / validate.SAMPLE_FILE
    rows = list(load_workbook(sample)["Coding"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6

    # The hand coder agrees with every automatic code: kappa 1, precision and recall 1.
    inputs = analysis.load_inputs(processed, cons, FIXTURE / "codebook.yaml")
    raised = analysis.raised(inputs.codes)
    auto = set(zip(raised["respondent_id"], raised["question_id"], raised["theme_id"], strict=True))
    wb = load_workbook(sample)
    ws = wb["Coding"]
    header = [c.value for c in ws[1]]
    themes = [t.id for t in coding.load_codebook(FIXTURE / "codebook.yaml").themes]
    for row in ws.iter_rows(min_row=2):
        for t in themes:
            cell = row[header.index(t)]
            if cell.value != "n/a":
                cell.value = int((row[0].value, row[1].value, t) in auto)
    wb.save(sample)
    caplog.set_level("INFO")
    code = cli.main(["validate", "--config", str(run_yaml), "--hand-coded", str(sample)])
    assert code == 0
    assert Path(capsys.readouterr().out.strip()) == sample.parent
    assert (sample.parent / "agreement_per_theme.csv").is_file()
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "6 hand-coded answers" in message and "precision 1.00, recall 1.00" in message


def test_consult_validate_with_no_processed_tables_is_one_line(tmp_path, survey_run, caplog):
    _, run_yaml, _, _ = survey_run
    raw = yaml.safe_load(run_yaml.read_text(encoding="utf-8"))
    raw["processed_dir"] = str(tmp_path / "empty")
    other = tmp_path / "run.yaml"
    other.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert cli.main(["validate", "--config", str(other)]) == 1
    assert "respondents.parquet: not found" in caplog.text


def test_consult_help_lists_every_subcommand_with_an_example(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    names = list(cli.EXAMPLES)
    assert names == ["run", "prepare", "latest", "init", "discover", "validate"]
    for name in names:
        assert re.search(rf"^    {name}\s", text, flags=re.M), f"{name} not in the command list"
        assert re.search(rf"^\s+consult {name} ", text, flags=re.M), f"no example of {name}"
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        sub = capsys.readouterr().out
        assert "examples:" in sub and f"consult {name} " in sub


def test_every_subcommand_parser_has_an_example() -> None:
    """No sub-command without an entry in EXAMPLES (a new one must add its example)."""
    import argparse

    seen: list[str] = []
    original = argparse._SubParsersAction.add_parser

    def spy(self, name, **kw):
        seen.append(name)
        return original(self, name, **kw)

    argparse._SubParsersAction.add_parser = spy
    try:
        with pytest.raises(SystemExit):
            cli.main(["--help"])
    finally:
        argparse._SubParsersAction.add_parser = original
    assert seen == list(cli.EXAMPLES)


def test_readme_documents_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.EXAMPLES:
        assert f"consult {name}" in readme, f"README does not show `consult {name}`"
