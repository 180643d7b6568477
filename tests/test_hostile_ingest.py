"""Ingest under hostile input (issue 11): links, FIFOs, cache identity, per-file limits, CSV safety.

Every input here is built for real in ``tmp_path`` (symbolic links, FIFOs, nested
folders, cached parses from an earlier run); each test checks the tables, not
just that nothing crashed.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from builders import make_csv

from helpers.core import embedding
from helpers.ingest import cache as ingest_cache
from helpers.ingest import inputs as ingest_inputs
from helpers.ingest import readers, stage_describe, stage_read
from helpers.ingest import stage as ingest
from helpers.ingest.readers.text import read_text
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

SECRET = "TOP-SECRET-a1b2c3 root:x:0:0"
CAMPAIGN = (
    "Dear Ofsted,\n\nQ1. I strongly agree that care leavers deserve their own judgement. "
    "Councils must be held to account for the support they give.\n\n"
    "Q2. Please publish the findings in plain language, so that young people leaving care "
    "and their families can see how well their council is doing.\n\nYours sincerely"
)
SURVEY_YAML = """\
id: hostile-survey
title: A test consultation
questions:
  - {id: q1, number: 1, kind: open, text: "What should change?"}
survey:
  respondent_id: Response ID
  questions:
    q1: {text: "Q1"}
"""

posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs")


def _all_text(result: ingest.IngestResult) -> str:
    return "\n".join(
        [
            *result.respondents.text,
            *result.answers.answer_text.dropna(),
            *result.log.reason.dropna(),
        ]
    )


def _log(result: ingest.IngestResult) -> pd.DataFrame:
    return result.log.set_index("file")


def _assert_same_tables(a: ingest.IngestResult, b: ingest.IngestResult) -> None:
    """Every table equal, the log included: whether a parse came from the cache is logged,
    not written in the tables."""
    pd.testing.assert_frame_equal(a.respondents, b.respondents)
    pd.testing.assert_frame_equal(a.answers, b.answers)
    pd.testing.assert_frame_equal(a.log, b.log)
    pd.testing.assert_frame_equal(a.copies, b.copies)


# --- (1) Only regular files inside the input folder --------------------------------------


@posix_only
def test_links_fifos_and_folders_are_skipped_and_never_followed(
    tmp_path: Path, monkeypatch
) -> None:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"Secret response\n\n{SECRET}", encoding="utf-8")
    (outside / "folder" / "inner.txt").write_text(SECRET, encoding="utf-8")
    (outside / "people.csv").write_text(f"file,organisation\ngood.txt,{SECRET}\n", encoding="utf-8")
    inp = tmp_path / "in"
    (inp / "sub" / "deeper").mkdir(parents=True)
    (inp / "good.txt").write_text("Acme Trust's response\n\nWe agree.", encoding="utf-8")
    (inp / "sub" / "deeper" / "nested.md").write_text("We disagree.", encoding="utf-8")
    os.symlink(outside / "secret.txt", inp / "passwd.txt")
    os.symlink(outside / "secret.txt", inp / "sub" / "relative.txt")  # absolute target, nested
    os.symlink("../outside/secret.txt", inp / "rel-link.txt")  # relative target
    os.symlink(tmp_path / "no-such-file.txt", inp / "dangling.txt")
    os.symlink(outside / "folder", inp / "linked-folder")
    os.symlink(outside / "people.csv", inp / "manifest.csv")  # the manifest itself is a link
    os.mkfifo(inp / "pipe.txt")
    os.mkfifo(inp / "sub" / "pipe.csv")

    # The time bound is about reading: the sentence model's loading is not timed.
    monkeypatch.setattr(embedding, "available", lambda model=embedding.MINILM: False)
    started = time.monotonic()
    # A FIFO that were opened would block; the time limit turns that into a failure.
    result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_seconds_per_file": 5})
    assert time.monotonic() - started < 5

    assert SECRET not in _all_text(result)
    assert SECRET not in result.respondents.organisation.dropna().str.cat()
    log = _log(result)
    symlink = "symbolic link: not followed"
    expected = {
        "good.txt": ("processed", None),
        "sub/deeper/nested.md": ("processed", None),
        "passwd.txt": ("skipped", symlink),
        "sub/relative.txt": ("skipped", symlink),
        "rel-link.txt": ("skipped", symlink),
        "dangling.txt": ("skipped", symlink),
        "linked-folder": ("skipped", symlink),
        "manifest.csv": ("skipped", symlink),
        "pipe.txt": ("skipped", "not a regular file (FIFO)"),
        "sub/pipe.csv": ("skipped", "not a regular file (FIFO)"),
    }
    assert sorted(log.index) == sorted(expected)  # one row per entry, none for linked content
    for name, (status, reason) in expected.items():
        assert log.loc[name, "status"] == status, name
        if reason is not None:
            assert log.loc[name, "reason"].startswith(reason), name
    assert sorted(result.respondents.respondent_id) == ["good", "nested"]
    # The linked manifest was not read: the organisation is inferred, not the link's.
    org = result.respondents.set_index("respondent_id").organisation_source
    assert org["good"] != "metadata"


@posix_only
def test_input_folder_reached_through_a_link_is_still_read(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    shutil.copy(RAW / "acrcg.txt", real / "acrcg.txt")
    os.symlink(real, tmp_path / "raw")
    result = run_ingest(tmp_path / "raw", OFSTED, tmp_path / "out")
    assert _log(result).loc["acrcg.txt", "status"] == "processed"
    assert result.respondents.respondent_id.tolist() == ["acrcg"]


@posix_only
def test_read_document_refuses_links_and_fifos(tmp_path: Path) -> None:
    from helpers.core.consultation import load_consultation
    from helpers.ingest.readers import SkipFile

    consultation = load_consultation(OFSTED)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", tmp_path / "link.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(SkipFile, match="symbolic link"):
        ingest.read_document(tmp_path / "link.txt", tmp_path, consultation)
    with pytest.raises(SkipFile, match="FIFO"):
        ingest.read_document(tmp_path / "pipe.txt", tmp_path, consultation)


# --- (2) The cache is keyed by content and never carries identity --------------------------


def _campaign_folder(path: Path, names: list[str]) -> Path:
    path.mkdir(parents=True)
    for name in names:
        (path / name).write_text(CAMPAIGN, encoding="utf-8")
    shutil.copy(RAW / "acrcg.txt", path / "acrcg.txt")
    return path


def test_same_tables_cold_warm_renamed_and_duplicated(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    names = ["jo-bloggs.txt", "sam-smith.txt"]  # two copies of one campaign letter
    inp = _campaign_folder(tmp_path / "in", names)
    cold = run_ingest(inp, OFSTED, tmp_path / "o1")
    assert sorted(cold.respondents.respondent_id) == ["acrcg", "jo-bloggs", "sam-smith"]
    first = run_ingest(inp, OFSTED, tmp_path / "o2", cache_dir=cache)
    before = ingest_cache.STATS.copy()
    warm = run_ingest(inp, OFSTED, tmp_path / "o3", cache_dir=cache)
    assert ingest_cache.STATS == before  # unchanged folder: the stage cache, nothing read
    _assert_same_tables(cold, first)
    _assert_same_tables(cold, warm)
    resp = warm.respondents.set_index("respondent_id")
    assert resp.loc["sam-smith", "source_file"] == "sam-smith.txt"
    assert resp.loc["jo-bloggs", "source_file"] == "jo-bloggs.txt"
    # Copies are found per question: two copies of an answer of 100+ characters with enough
    # shared own phrases are a campaign pair (ingest/reworded.py), the first file first.
    pairs = warm.copies.sort_values(["question_id", "respondent_id"])
    assert list(pairs.question_id) == ["q1", "q1", "q2", "q2"]
    assert list(pairs.respondent_id) == ["jo-bloggs", "sam-smith"] * 2
    assert list(pairs.is_first) == [True, False, True, False]
    assert "acrcg" not in set(warm.copies.respondent_id)

    # Renamed after the cache was warm: the new name gives the id, as in a cold run.
    (inp / "jo-bloggs.txt").rename(inp / "alex-jones.txt")
    before = ingest_cache.STATS.copy()
    renamed_warm = run_ingest(inp, OFSTED, tmp_path / "o4", cache_dir=cache)
    # A renamed file misses the stage cache; every file's parse is reused, none read.
    assert ingest_cache.STATS["reused"] - before["reused"] == 3
    assert ingest_cache.STATS["parsed"] == before["parsed"]
    renamed_cold = run_ingest(inp, OFSTED, tmp_path / "o5")
    _assert_same_tables(renamed_cold, renamed_warm)
    assert sorted(renamed_warm.respondents.respondent_id) == ["acrcg", "alex-jones", "sam-smith"]
    assert "jo-bloggs" not in _all_text(renamed_warm)

    # Duplicated (a third copy, in a sub-folder) with a warm cache.
    (inp / "late").mkdir()
    shutil.copy(inp / "sam-smith.txt", inp / "late" / "pat-lee.txt")
    dup_warm = run_ingest(inp, OFSTED, tmp_path / "o6", cache_dir=cache)
    dup_cold = run_ingest(inp, OFSTED, tmp_path / "o7")
    _assert_same_tables(dup_cold, dup_warm)
    got = dict(
        zip(dup_warm.respondents.respondent_id, dup_warm.respondents.source_file, strict=True)
    )
    assert got["pat-lee"] == "late/pat-lee.txt"
    assert got["sam-smith"] == "sam-smith.txt"
    # The third copy makes each of the two answers a campaign text.
    copies = dup_warm.copies
    assert set(copies.respondent_id) == {"alex-jones", "sam-smith", "pat-lee"}
    assert copies.groupby("question_id")["copy_group"].nunique().to_dict() == {"q1": 1, "q2": 1}


def test_survey_exports_keep_ids_from_the_id_column_and_names_from_the_file(
    tmp_path: Path,
) -> None:
    consultation = tmp_path / "consultation.yaml"
    consultation.write_text(SURVEY_YAML, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "wave1.csv", [["Response ID", "Q1"], ["R1", "More housing."], ["R2", "Less."]])
    shutil.copy(inp / "wave1.csv", inp / "wave1-copy.csv")
    cache = tmp_path / "cache"
    cold = run_ingest(inp, consultation, tmp_path / "o1")
    run_ingest(inp, consultation, tmp_path / "o2", cache_dir=cache)
    warm = run_ingest(inp, consultation, tmp_path / "o3", cache_dir=cache)
    _assert_same_tables(cold, warm)
    (inp / "wave1.csv").rename(inp / "export.csv")
    renamed = run_ingest(inp, consultation, tmp_path / "o4", cache_dir=cache)
    pairs = list(
        zip(renamed.respondents.respondent_id, renamed.respondents.source_file, strict=True)
    )
    assert pairs == [
        ("R1", "export.csv"),
        ("R2", "export.csv"),
        ("R1-2", "wave1-copy.csv"),
        ("R2-2", "wave1-copy.csv"),
    ]
    _assert_same_tables(run_ingest(inp, consultation, tmp_path / "o5"), renamed)


@pytest.mark.parametrize(
    ("new_name", "reason"),
    [
        ("note.exe", "unsupported file type '.exe'"),
        ("note.doc", "old Word .doc format: open it in Word or LibreOffice and save as .docx"),
        ("note", "unsupported file type '(none)'"),
    ],
)
def test_unsupported_extension_is_refused_whatever_is_cached(
    tmp_path: Path, new_name: str, reason: str
) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "note.txt").write_text("Acme Trust's response\n\nWe agree.", encoding="utf-8")
    cache = tmp_path / "cache"
    assert len(run_ingest(inp, OFSTED, tmp_path / "o1", cache_dir=cache).respondents) == 1
    (inp / "note.txt").rename(inp / new_name)
    result = run_ingest(inp, OFSTED, tmp_path / "o2", cache_dir=cache)
    assert (_log(result).loc[new_name, "status"], _log(result).loc[new_name, "reason"]) == (
        "skipped",
        reason,
    )
    assert result.respondents.empty and result.answers.empty


def test_format_is_part_of_the_cache_key(tmp_path: Path) -> None:
    """Bytes cached as .txt and renamed .md are read as Markdown, not served the .txt parse."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "plain.txt").write_text("We agree with *some* of it.", encoding="utf-8")
    cache = tmp_path / "cache"
    first = run_ingest(inp, OFSTED, tmp_path / "o1", cache_dir=cache)
    assert "*some*" in first.respondents.text[0]
    (inp / "plain.txt").rename(inp / "plain.md")
    before = ingest_cache.STATS.copy()
    result = run_ingest(inp, OFSTED, tmp_path / "o2", cache_dir=cache)
    row = _log(result).loc["plain.md"]
    assert row.source_format == "md"
    assert ingest_cache.STATS["parsed"] - before["parsed"] == 1  # read again, as Markdown
    assert ingest_cache.STATS["reused"] == before["reused"]
    assert result.respondents.source_format.tolist() == ["md"]
    assert result.respondents.text.tolist() == ["We agree with some of it."]


def test_cache_entries_hold_no_file_identity(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "jo-bloggs.txt").write_text(CAMPAIGN, encoding="utf-8")
    cache = tmp_path / "cache"
    run_ingest(inp, OFSTED, tmp_path / "out", cache_dir=cache)
    [entry] = (cache / ingest_cache.PARSE_DIR).glob("*.parquet")
    table = pq.read_table(entry)
    cells = [str(v) for row in table.to_pylist() for v in row.values()]
    assert cells and not any("jo-bloggs" in c for c in cells)
    assert "jo-bloggs" not in str(table.schema.metadata)


# --- (5) Per-file limits ---------------------------------------------------------------------


def test_oversize_file_is_refused_before_reading_even_when_cached(
    tmp_path: Path, monkeypatch
) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "big.txt").write_text("We agree. " * 500, encoding="utf-8")  # 5,000 bytes
    (inp / "small.txt").write_text("We agree.", encoding="utf-8")
    cache = tmp_path / "cache"
    assert len(run_ingest(inp, OFSTED, tmp_path / "o1", cache_dir=cache).respondents) == 2

    opened: list[str] = []
    real_read_input = ingest_inputs.read_input

    def spy(path, name, limits=readers.DEFAULT_LIMITS):
        opened.append(name)
        return real_read_input(path, name, limits)

    monkeypatch.setattr(stage_read, "read_input", spy)
    monkeypatch.setattr(ingest_cache, "read_input", spy)
    limits = {"max_file_mb": 0.001}  # 1,048 bytes
    result = run_ingest(inp, OFSTED, tmp_path / "o2", cache_dir=cache, limits=limits)
    row = _log(result).loc["big.txt"]
    assert row.status == "failed"
    assert row.reason.startswith("big.txt: file is 0.0 MB, over the limit of 0.001 MB")
    assert "raise limits.max_file_mb in run.yaml" in row.reason
    assert pd.isna(row.sha256)  # its bytes were never read
    assert opened == ["small.txt"]
    assert result.respondents.respondent_id.tolist() == ["small"]


def test_long_text_fails_alone_even_when_cached(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "long.txt").write_text("We agree with this. " * 50, encoding="utf-8")
    (inp / "short.txt").write_text("We agree.", encoding="utf-8")
    cache = tmp_path / "cache"
    assert len(run_ingest(inp, OFSTED, tmp_path / "o1", cache_dir=cache).respondents) == 2
    for cache_dir in (cache, None):  # warm, then cold
        result = run_ingest(
            inp, OFSTED, tmp_path / "o2", cache_dir=cache_dir, limits={"max_text_chars": 200}
        )
        row = _log(result).loc["long.txt"]
        assert row.status == "failed"
        assert row.reason.startswith(
            "long.txt: text is 999 characters, over the limit of 200 (limits.max_text_chars)"
        )
        assert result.respondents.respondent_id.tolist() == ["short"]
        assert set(result.answers.respondent_id) == {"short"}


def test_long_survey_row_is_dropped_alone(tmp_path: Path) -> None:
    consultation = tmp_path / "consultation.yaml"
    consultation.write_text(SURVEY_YAML, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    make_csv(inp / "export.csv", [["Response ID", "Q1"], ["R1", "x " * 300], ["R2", "Less."]])
    result = run_ingest(inp, consultation, tmp_path / "out", limits={"max_text_chars": 300})
    assert result.respondents.respondent_id.tolist() == ["R2"]
    rows = result.log[result.log.file == "export.csv"]
    assert rows.status.tolist() == ["processed", "failed"]
    assert "row 1 (id 'R1'): text is " in rows.reason.iloc[1]
    assert "limits.max_text_chars" in rows.reason.iloc[1]


def test_a_stalled_reader_times_out_alone(tmp_path: Path, monkeypatch) -> None:
    def slow_text(data: bytes, name: str, fmt: str):
        if name == "slow.txt":
            time.sleep(30)
        return read_text(data, name, fmt)

    monkeypatch.setitem(readers.DOCUMENT_READERS, "txt", slow_text)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "slow.txt").write_text("Stalled response.", encoding="utf-8")
    (inp / "fine.txt").write_text("We agree.", encoding="utf-8")
    monkeypatch.setattr(
        embedding, "available", lambda model=embedding.MINILM: False
    )  # reading is timed, not the model
    started = time.monotonic()
    result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_seconds_per_file": 0.2})
    elapsed = time.monotonic() - started
    assert elapsed < 5
    row = _log(result).loc["slow.txt"]
    assert row.status == "failed"
    assert row.reason.startswith("slow.txt: took longer than 0.2 s")
    assert "max_seconds_per_file" in row.reason
    assert _log(result).loc["fine.txt", "status"] == "processed"
    assert result.respondents.respondent_id.tolist() == ["fine"]


def test_a_stalled_survey_row_times_out_alone(tmp_path: Path, monkeypatch) -> None:
    """Each survey row has its own budget: a stalled row fails, the rest of the export stays.

    On the Document path (kept for the parse cache): a survey read into columns has no
    per-row segmentation that could stall (``survey_columns``)."""
    monkeypatch.setattr(stage_read, "COLUMNAR_SURVEYS", False)
    real_segment = stage_describe._segment

    def slow_segment(doc, consultation):
        if doc.respondent_id == "r2":
            time.sleep(30)
        return real_segment(doc, consultation)

    monkeypatch.setattr(stage_describe, "_segment", slow_segment)
    consultation = tmp_path / "consultation.yaml"
    consultation.write_text(SURVEY_YAML, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    rows = [["Response ID", "Q1"], ["r1", "More."], ["r2", "Less."], ["r3", "Same."]]
    make_csv(inp / "export.csv", rows)
    started = time.monotonic()
    result = run_ingest(inp, consultation, tmp_path / "out", limits={"max_seconds_per_file": 0.5})
    assert time.monotonic() - started < 5
    log = result.log[result.log.file == "export.csv"]
    assert log.status.tolist() == ["processed", "failed"]
    assert log.reason.iloc[1].startswith("export.csv, row 2 (id 'r2'): took longer than 0.5 s")
    assert result.respondents.respondent_id.tolist() == ["r1", "r3"]
    assert set(result.answers.respondent_id) == {"r1", "r3"}
    assert log.n_respondents.iloc[0] == 2


def test_a_document_shares_one_budget_for_reading_and_segmenting(
    tmp_path: Path, monkeypatch
) -> None:
    """Reading (0.6 s) and segmenting (0.6 s) a document: each under 1 s, together over it."""
    real_segment = stage_describe._segment

    def slow_text(data: bytes, name: str, fmt: str):
        if name == "slow.txt":
            time.sleep(0.6)
        return read_text(data, name, fmt)

    def slow_segment(doc, consultation):
        if doc.respondent_id == "slow":
            time.sleep(0.6)
        return real_segment(doc, consultation)

    monkeypatch.setitem(readers.DOCUMENT_READERS, "txt", slow_text)
    monkeypatch.setattr(stage_describe, "_segment", slow_segment)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "slow.txt").write_text("We agree.", encoding="utf-8")
    (inp / "fine.txt").write_text("We agree.", encoding="utf-8")
    result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_seconds_per_file": 1})
    row = _log(result).loc["slow.txt"]
    assert row.status == "failed"
    assert row.reason.startswith("slow.txt: took longer than 1 s")
    assert result.respondents.respondent_id.tolist() == ["fine"]
    assert set(result.answers.respondent_id) == {"fine"}


# --- (5d) The log's CSV copy is safe to open in a spreadsheet --------------------------------


def test_ingest_log_csv_neutralises_formula_file_names(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    names = ["=cmd.txt", "+x.txt", "@sum.txt", "-y.txt"]
    for name in names:
        (inp / name).write_text("We agree.", encoding="utf-8")
    out = tmp_path / "out"
    result = run_ingest(inp, OFSTED, out)
    with open(out / "ingest_log.csv", encoding="utf-8", newline="") as f:
        files = [row["file"] for row in csv.DictReader(f)]
    assert sorted(files) == sorted("'" + n for n in names)
    assert not any(f.startswith(("=", "+", "-", "@")) for f in files)
    # The Parquet copy and the frame stay raw.
    assert sorted(pd.read_parquet(out / "ingest_log.parquet").file) == sorted(names)
    assert sorted(result.log.file) == sorted(names)


def test_reader_limits_are_part_of_the_cache_key() -> None:
    """A parse made under looser reader limits is never reused under stricter ones."""
    from helpers.core.consultation import load_consultation
    from helpers.ingest.readers.limits import Limits

    consultation = load_consultation(OFSTED)
    key = ingest_cache.cache_key("abc", "csv", consultation, Limits())
    assert key != ingest_cache.cache_key("abc", "csv", consultation, Limits(max_rows=10))
    assert key != ingest_cache.cache_key("abc", "xlsx", consultation, Limits())
    # Limits the stage enforces on every run do not invalidate the cache.
    assert key == ingest_cache.cache_key(
        "abc", "csv", consultation, Limits(max_seconds_per_file=1, max_file_mb=1)
    )


def test_an_unsupported_file_is_skipped_unread_whatever_its_size(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "backup.zip").write_bytes(b"PK" + b"\0" * 5000)
    result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_file_mb": 0.001})
    row = _log(result).loc["backup.zip"]
    assert (row.status, row.reason) == ("skipped", "unsupported file type '.zip'")


@posix_only
def test_sockets_and_a_fifo_manifest_are_skipped(tmp_path: Path) -> None:
    import socket

    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text("We agree.", encoding="utf-8")
    os.mkfifo(inp / "manifest.csv")  # opening it to read the metadata would block
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(inp / "s.txt"))
    except OSError:  # path too long for a socket on this system
        pytest.skip("cannot bind a Unix socket here")
    try:
        result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_seconds_per_file": 5})
    finally:
        sock.close()
    log = _log(result)
    assert (log.loc["s.txt", "status"], log.loc["s.txt", "reason"]) == (
        "skipped",
        "not a regular file (socket)",
    )
    assert log.loc["manifest.csv", "reason"] == "not a regular file (FIFO)"
    assert result.respondents.respondent_id.tolist() == ["good"]
