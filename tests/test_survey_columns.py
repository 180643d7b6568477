"""A survey export read into columns gives the tables the Document path gives (issue 15).

``survey_columns.ColumnRows`` (blocks of rows into Arrow-backed frames) and
``readers.file_text.FileText`` (the CSV read from the file in chunks, hashed as read)
replaced a Document per row and a dict per answer. Every table of ``run_ingest`` must be
the same as the Document path's (``stage_read.COLUMNAR_SURVEYS = False``), bar the new
``written`` column, on real exports written with the csv module and openpyxl: quoted line
breaks, a byte-order mark, blank rows, description rows, broken quotes, extra cells, ids
repeated within a file and across files, a manifest naming survey respondents, declared
attributes, over-long rows, and blocks and chunks so small that a block or chunk boundary
falls inside a respondent's multi-line cell.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from builders import make_csv, make_xlsx

from helpers.core import schemas
from helpers.ingest import stage_read, survey_columns
from helpers.ingest.inputs import open_input
from helpers.ingest.readers import file_text
from helpers.ingest.readers.base import ReadError
from helpers.ingest.readers.export_rows import csv_row_stream
from helpers.ingest.readers.file_text import FileText
from helpers.ingest.readers.text import decode
from helpers.ingest.stage import run_ingest

CONSULTATION = """\
id: columns
title: Columns
questions:
  - {id: capacity, number: 1, kind: profile, text: "In what capacity are you responding?"}
  - {id: q1, number: 2, kind: closed, text: "Do you agree?"}
  - {id: q2, number: 3, kind: open, text: "What should change?"}
survey:
  - files: "*.csv"
    respondent_id: Response ID
    organisation: Organisation
    respondent_type: Capacity
    questions:
      capacity: {text: Capacity}
      q1: {tick_box: Q1 tick, text: Q1 comments}
      q2: {text: Q2}
  - files: "*.xlsx"
    respondent_id: Response ID
    questions:
      q1: {tick_box: Q1 tick, text: Q1 comments}
attributes:
  - id: area
    source: {column: "Where do you live?"}
    values:
      north: {label: North, aliases: ["north"]}
  - id: district
    source: {manifest: District}
"""

HEADER = ["Response ID", "Organisation", "Capacity", "Where do you live?", "Q1 tick",
          "Q1 comments", "Q2"]  # fmt: skip
DESCRIPTION = ["Response ID", "Organisation name", "Capacity", "Area", "Q1", "Q1 why", "Q2"]
ROWS = [
    ["R-1", "Acme Trust", "On behalf of a charity", "North", "Agree",
     "It helps.\r\nA second line,\r\n\r\nand a third.", "More."],
    ["R-2", "", "", "", "", "", ""],  # an id and nothing else: answered nothing
    ["", "", "", "", "", "", ""],  # a blank row: no respondent, counted
    ["R-3", "", "As an individual", "south", "Disagree", 'She said "no", twice\nthen left.',
     "No comment"],
    ["", "", "As an individual", "", "Agree", "N/A", "  spaced   out  "],  # no id: row-N
    ["R-4", "n/a", "Parent", "Narnia", "", "No", "Nothing to add. / Rien à ajouter."],
    ["R-1", "", "", "", "Agree", "A duplicated id: dropped", ""],
    ["R-5", "", "As an individual", "North", "Agree", "x" * 400, "-", "extra", "cells"],
    ["R-6", "", "", "", "", "N/A", "n/a"],
]  # fmt: skip


def _tables(folder: Path) -> dict[str, object]:
    out = {p.name: pd.read_parquet(p) for p in folder.glob("*.parquet")}
    out["ingest_log.csv"] = (folder / "ingest_log.csv").read_bytes()
    return out


def _both(tmp_path: Path, monkeypatch, inp: Path, **kw) -> tuple[dict, dict]:
    cpath = tmp_path / "consultation.yaml"
    cpath.write_text(CONSULTATION, encoding="utf-8")
    monkeypatch.setattr(stage_read, "COLUMNAR_SURVEYS", False)
    run_ingest(inp, cpath, tmp_path / "documents", **kw)
    monkeypatch.setattr(stage_read, "COLUMNAR_SURVEYS", True)
    run_ingest(inp, cpath, tmp_path / "columns", **kw)
    return _tables(tmp_path / "documents"), _tables(tmp_path / "columns")


def _assert_same(old: dict, new: dict) -> None:
    assert sorted(old) == sorted(new)
    for name, table in old.items():
        if isinstance(table, bytes):
            assert new[name] == table, name
        else:
            pd.testing.assert_frame_equal(new[name], table, obj=name)


@pytest.mark.parametrize(
    ("block", "chunk", "letter"),
    [(1, 5, False), (2, 64, False), (3, 1 << 20, False), (20_000, 7, False), (2, 5, True)],
)
def test_the_columns_give_the_documents_tables(tmp_path, monkeypatch, block, chunk, letter):
    monkeypatch.setattr(survey_columns, "BLOCK_ROWS", block)
    monkeypatch.setattr(file_text, "CHUNK_BYTES", chunk)
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "export.csv", [["Survey export, 2026"], HEADER, DESCRIPTION, *ROWS])
    # The same ids in a second export: R-1 renamed R-1-2, so its own R-1-2 is R-1-2-2.
    make_xlsx(inp / "more.xlsx", [["Response ID", "Q1 tick", "Q1 comments"],
                                  ["R-1", "Agree", "From the sheet."], ["R-1-2", None, "N/A"],
                                  ["R-7", None, "N/A"]])  # fmt: skip
    if letter:  # a document among the exports (its answers placed by meaning)
        (inp / "letter.txt").write_text("I support the proposal.\n", encoding="utf-8")
    (inp / "manifest.csv").write_text(
        "file,respondent_id,organisation,district\n,R-3,,York\n,R-4,Leeds Council,Leeds\n",
        encoding="utf-8",
    )
    old, new = _both(tmp_path, monkeypatch, inp, limits={"max_text_chars": 300})
    answers = new["answers.parquet"]
    assert answers["written"].tolist() == [
        bool(t.strip()) for t in answers["answer_text"].fillna("")
    ]
    old["answers.parquet"] = old["answers.parquet"].assign(written=answers["written"])
    _assert_same(old, new)
    log = new["ingest_log.parquet"].set_index("file")
    # What the notes said is still said: header line, description row, blank row, extra
    # cells, the duplicated id, the over-long row, the renamed ids.
    reason = log.loc["export.csv"].iloc[0]["reason"]
    for said in ("header found on line 2", "1 description row(s)", "1 blank row(s)",
                 "beyond the header"):  # fmt: skip
        assert said in reason, said
    reasons = " ".join(log.loc["export.csv"]["reason"])
    assert "duplicated respondent id 'R-1'" in reasons and "max_text_chars" in reasons
    assert (
        "'R-1-2' already used by more.xlsx; this one is 'R-1-2-2'" in log.loc["more.xlsx", "reason"]
    )
    respondents = new["respondents.parquet"].set_index("respondent_id")
    assert respondents.loc["R-2", "n_chars"] == 0  # answered nothing, still a respondent
    assert respondents.loc["R-4", "organisation"] == "Leeds Council"  # from the manifest


def test_an_export_with_no_respondents_fails_as_before(tmp_path, monkeypatch):
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "export.csv", [HEADER, ["", "", "", "", "", "", ""]])
    old, new = _both(tmp_path, monkeypatch, inp)
    new["answers.parquet"] = new["answers.parquet"].drop(columns="written")
    old["answers.parquet"] = old["answers.parquet"].drop(columns="written")
    _assert_same(old, new)
    assert new["ingest_log.parquet"]["status"].tolist() == ["failed"]


# --- Reading the file in chunks -------------------------------------------------------


def _file_text(path: Path) -> FileText:
    return FileText(path, path.name, open_input, 1 << 30)


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_file_text_decodes_as_the_whole_file_decodes(tmp_path, monkeypatch, encoding, chunk):
    monkeypatch.setattr(file_text, "CHUNK_BYTES", chunk)
    rows = [HEADER, *[[c.replace("à", "é") for c in r] for r in ROWS]]
    path = make_csv(tmp_path / "export.csv", rows, encoding=encoding)
    data = path.read_bytes()
    if encoding == "latin-1":  # not UTF-8 and not Windows-1252 (0x81 is no cp1252 character)
        data += b"\x81"
        path.write_bytes(data)
    text, enc, _ = decode(data, path.name)
    got = _file_text(path)
    assert (got.encoding, got.sha256, got.size) == (
        enc,
        hashlib.sha256(data).hexdigest(),
        len(data),
    )
    assert "".join(got.chunks()) == text


def test_a_late_invalid_utf8_byte_makes_the_file_windows_1252(tmp_path, monkeypatch):
    monkeypatch.setattr(file_text, "CHUNK_BYTES", 4)
    path = tmp_path / "export.csv"
    path.write_bytes("Response ID,Q2\r\nR-1,caf\u00e9\r\n".encode() + b"R-2,na\xefve\r\n")
    got = _file_text(path)
    assert got.encoding == "cp1252"
    assert "".join(got.chunks()) == decode(path.read_bytes(), "x")[0]


def test_nul_bytes_fail_the_file_as_decode_does(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Response ID,Q2\r\nR-1,a\x00b\r\n")
    with pytest.raises(ReadError, match="binary data"):
        _file_text(path)
    path.write_bytes(codecs.BOM_UTF16_LE + "Response ID,Q2\r\nR-1,a\x00b\r\n".encode("utf-16-le"))
    with pytest.raises(ReadError, match="binary data"):
        "".join(_file_text(path).chunks())


@pytest.mark.parametrize("chunk", [2, 9, 1 << 20])
def test_the_row_stream_from_the_file_gives_the_rows_from_the_bytes(tmp_path, monkeypatch, chunk):
    """The block reader's rows and notes, read from the file in chunks, against the rows read
    from the decoded bytes: a chunk boundary falls inside multi-line cells."""
    monkeypatch.setattr(file_text, "CHUNK_BYTES", chunk)
    broken = '"R-9,an unterminated quote\r\nR-10,,,,,,after it\r\n'
    path = make_csv(tmp_path / "export.csv", [["Title row"], HEADER, DESCRIPTION, *ROWS])
    path.write_bytes(path.read_bytes() + broken.encode())
    id_column = ("Response ID",)
    h1, s1, e1, n1 = csv_row_stream(path.read_bytes(), path.name, id_column)
    h2, s2, e2, n2 = csv_row_stream(_file_text(path), path.name, id_column)
    assert (h1, e1, n1) == (h2, e2, n2)
    assert list(s1) == list(s2)
    assert s1.notes == s2.notes
    assert any("unterminated quote" in n for n in s2.notes)


def test_written_is_derived_wherever_answers_are_conformed():
    frame = pd.DataFrame(
        {
            "respondent_id": ["a", "b", "c", "d"],
            "question_id": ["q1"] * 4,
            "start": [0] * 4,
            "end": [0] * 4,
            "answer_text": ["Yes", " \n\t", "", "\u00a0x"],
            "match_method": ["text"] * 4,
            "match_score": [1.0] * 4,
            "substantive": [True, False, False, True],
            "written": [False, True, True, False],  # stale: recomputed from the text
        }
    )
    out = schemas.conform(frame, schemas.ANSWERS)
    assert out["written"].tolist() == [True, False, False, True]
    assert str(out["written"].dtype) == "boolean"
    assert schemas.written(pd.Series(["a", None, "\u2028"])).tolist() == [True, False, False]
