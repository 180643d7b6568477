"""The survey reader cuts a CSV export's lines from chunks of text (issue 15, item 3).

``csv_stream.iter_lines`` replaced ``io.StringIO(text)`` (a copy of the whole export per
delimiter tried). These tests check it against the standard library on every kind of line
end, and read real exports (written with the csv module, as platforms write them; the
ofsted-survey development export) with chunks so small that records, quoted line breaks and
``\\r\\n`` pairs straddle chunk boundaries: the rows, the notes and the tables must not change,
and rows with an id and nothing else must still be respondents, blank rows still counted.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from builders import make_csv

from helpers.core.consultation import load_consultation
from helpers.ingest.readers import csv_stream, export_rows
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.csv_stream import csv_records, iter_lines, text_chunks
from helpers.ingest.readers.limits import Limits
from helpers.ingest.readers.survey import read_survey
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parent.parent
OFSTED_SURVEY = ROOT / "data" / "evaluation" / "ofsted-survey"


def _stdlib_lines(text: str) -> list[str]:
    return list(io.StringIO(text, newline=""))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 1 << 20])
def test_lines_are_the_standard_librarys_at_every_chunk_size(size):
    rng = random.Random(size)
    # "\u2028", "\x85", "\x0c" are line breaks to str.splitlines but not to a CSV file.
    pieces = ["ab", " ", ",", '"', "\r", "\n", "\r\n", "\r\r\n", "é", "\u2028", "\x85", "\x0c"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert list(iter_lines(text_chunks(text, size))) == _stdlib_lines(text), repr(text)


def test_a_line_longer_than_many_chunks_comes_back_whole():
    text = "x" * 10_000 + "\r" + "\n" + "y" * 5_000
    assert list(iter_lines(text_chunks(text, 7))) == ["x" * 10_000 + "\r\n", "y" * 5_000]
    assert list(iter_lines(["a\r", "", "\n", "b\r", "\r"])) == ["a\r\n", "b\r", "\r"]


HEADER = ["Response ID", "Organisation", "Q1 tick", "Q1 comments", "Q2"]
ROWS = [
    ["R-1", "Acme Trust", "Agree", "It helps.\r\nA second line,\r\n\r\nand a third.", "More."],
    ["R-2", "", "", "", ""],  # an id and nothing else: a respondent who answered nothing
    ["", "", "", "", ""],  # a blank row: no respondent, counted in a note
    ["R-3", "", "Disagree", 'She said "no", twice\nthen left.', "Fewer forms."],
    ["R-4", "", "", "", "Line one\rLine two (an old Mac line end inside a cell)"],
    ["", "", "", "", ""],
]
SURVEY = """\
id: chunked
title: Chunked reading
questions:
  - {id: q1, number: 1, kind: closed, text: "Do you agree?"}
  - {id: q2, number: 2, kind: open, text: "What should change?"}
survey:
  respondent_id: Response ID
  organisation: Organisation
  questions:
    q1: {tick_box: Q1 tick, text: Q1 comments}
    q2: {text: Q2}
"""


def _read(path: Path, consultation: Path):
    cons = load_consultation(consultation)
    return read_survey(path.read_bytes(), path.name, "csv", cons, "sha")


def _summary(result) -> tuple:
    docs = [
        (d.respondent_id, d.source_row, d.text, sorted(d.survey_answers.items()), d.organisation)
        for d in result.documents
    ]
    return docs, result.notes, result.row_problems


def test_every_chunk_size_reads_the_same_rows(tmp_path, monkeypatch):
    """Chunk boundaries fall everywhere in turn: inside quoted cells, between the ``\\r`` and
    ``\\n`` of a line end inside a cell and at the end of a record."""
    export = make_csv(tmp_path / "export.csv", [HEADER, *ROWS], "utf-8-sig")
    cons = tmp_path / "consultation.yaml"
    cons.write_text(SURVEY, encoding="utf-8")
    whole = _summary(_read(export, cons))
    docs, notes, _ = whole
    assert [d[0] for d in docs] == ["R-1", "R-2", "R-3", "R-4"]
    assert docs[1][2] == ""  # R-2 answered nothing and is still a respondent
    assert dict(docs[1][3]) == {"q1": (0, 0, None), "q2": (0, 0, None)}
    assert "It helps.\nA second line,\n\nand a third." in docs[0][2]
    assert any(n.startswith("2 blank row(s)") for n in notes), notes
    text = export.read_bytes().decode("utf-8-sig")
    crlf_in_cell = text.index("It helps.\r\n") + len("It helps.\r")  # the "\n" of a cell's CRLF
    sizes = {*range(1, 40), crlf_in_cell, crlf_in_cell + 1, len(text) - 1, len(text)}
    for size in sorted(sizes):
        monkeypatch.setattr(csv_stream, "CHUNK_CHARS", size)
        assert _summary(_read(export, cons)) == whole, size


def test_broken_quotes_are_recovered_the_same_way_in_small_chunks():
    text = (
        "Response ID,Q2\r\n"
        'R-1,"an unterminated quote\r\n'
        "R-2,plain\r\n"
        'R-3,"closed" then text\r\n'
        'R-4,"fine\r\nacross lines"\r\n'
        "\r\n"
        "R-5,last\r\n"
    )
    whole = csv_records(text, ",", 1000, 1 << 20)
    assert [r[1][0] for r in whole[0]] == ["Response ID", "R-1", "R-2", "R-3", "R-4", "R-5"]
    assert whole[1] == [(1, 2, True), (3, 4, False)]  # the two broken records, as noted
    for size in range(1, len(text) + 1):
        assert csv_records(text, ",", 1000, size) == whole, size


@pytest.mark.skipif(not OFSTED_SURVEY.exists(), reason="development data not present")
def test_a_real_export_ingests_to_the_same_tables_in_small_chunks(tmp_path, monkeypatch):
    """The ofsted-survey development export (multi-line answers, curly quotes), ingested
    whole and with 4 KB chunks: the same respondents and answers, frame for frame."""
    inp = OFSTED_SURVEY / "responses"
    cons = OFSTED_SURVEY / "consultation.yaml"
    before = run_ingest(inp, cons, tmp_path / "whole", metadata_file=None)
    monkeypatch.setattr(csv_stream, "CHUNK_CHARS", 4096)
    after = run_ingest(inp, cons, tmp_path / "chunked", metadata_file=None)
    assert (before.respondents["source_format"] == "csv").sum() == 200
    assert before.respondents.equals(after.respondents)
    assert before.answers.equals(after.answers)
    assert before.log.equals(after.log)


HOSTILE = (
    "Survey export,,,\r\n"  # a title row above the header
    "\r\n"
    "ResponseId,Q1 tick,Q1 comments,Q2\r\n"
    'Response ID,"To what extent, if at all, do you agree?",Please explain,What should change?\r\n'
    '{"ImportId":"_recordId"},{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3"}\r\n'
    "R-1,Agree,fine,\r\n"
    ",,,\r\n"
    'R-2,"unterminated,x,y\r\n'
    "R-3,Disagree,too many,cells,here,and here\r\n"
    'R-4,"closed" late,"multi\r\nline",\r\n'
    "\r\n"
    "R-5,,,\r\n"
)


@pytest.mark.parametrize("size", [1, 3, 17, 1 << 20])
def test_the_row_stream_gives_the_list_readers_rows_and_notes(monkeypatch, size):
    """Title rows, Qualtrics description rows, blank rows, broken quotes, extra cells and a
    semicolon export: ``csv_row_stream`` (the survey reader's) against ``export_rows`` (the
    list every row is parsed into first, which ``survey_init`` still uses)."""
    monkeypatch.setattr(csv_stream, "CHUNK_CHARS", size)
    semicolons = HOSTILE.replace(",", ";")
    seen = {}
    for text in (HOSTILE, semicolons, "ResponseId,Q2\r\n", "ResponseId,Q2\r\n\r\n\r\nR-1,x"):
        data = text.encode("utf-8")
        header, rows, enc, notes = export_rows.export_rows(data, "e.csv", "csv", "ResponseId")
        s_header, stream, s_enc, s_notes = export_rows.csv_row_stream(data, "e.csv", "ResponseId")
        assert (s_header, s_enc) == (header, enc)
        assert list(stream) == rows
        assert s_notes + stream.notes == notes
        seen[text] = notes
    kinds = ("header found", "description row", "blank row", "unterminated", "after a closing")
    assert all(any(k in n for n in seen[HOSTILE]) for k in kinds), seen[HOSTILE]
    assert any("beyond the header" in n for n in seen[HOSTILE])
    assert seen[semicolons][0] == "semicolon-separated"
    assert [n for n, _ in rows] == [3]  # the last text: row 3, after two blank rows
    assert notes == ["2 blank row(s) (no id, no answer in any cell) are not respondents"]


def test_the_row_stream_stops_past_the_row_limit():
    data = ("ResponseId,Q2\n" + "".join(f"R-{k},x\n\n" for k in range(6))).encode()
    _, stream, _, _ = export_rows.csv_row_stream(data, "e.csv", "ResponseId", Limits(max_rows=5))
    taken = []
    with pytest.raises(ReadError, match="more than 5 data rows"):
        for row in stream:
            taken.append(row)
    assert len(taken) == 5
