"""The stage caches (issue 15, item 5): warm runs give the cold run's tables, and only what changed is redone.

Real inputs built with the libraries respondents' files come from (python-docx,
the csv module), the default consultation with a survey mapping added, and the
default codebook. Each test compares a run through the cache with a cold run
(no cache) on the same inputs: every table equal, dtypes included, and the
warm stage's Parquet files byte for byte those the caching run wrote.
"""

from __future__ import annotations

import csv
import io
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from builders import make_docx

from helpers.coding import stage as coding_stage
from helpers.coding.stage import run_coding
from helpers.core.consultation import load_consultation
from helpers.core.stagecache import StageCache
from helpers.ingest import cache as parse_cache
from helpers.ingest import rerun as ingest_rerun
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
OFSTED_DIR = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"
RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
CODING_FILES = ("codes.parquet", "stances.parquet", "uncoded.parquet", "suggestions.parquet")
TYPES = ("Charity", "An individual", "Local authority", "Care leaver", "Parent or carer")
TICKS = ("Strongly agree", "Agree", "Disagree", "Strongly disagree", "")
SAYINGS = (
    "Care leavers need a named worker until they are 25, and help with housing.",
    "We disagree: the proposal does not say how local authorities will pay for it.",
    "Inspectors should talk to young people directly, not only read the files.",
    "More support with mental health and money would make the biggest difference.",
    "",
    "The personal adviser role works well when caseloads are small enough.",
)


def _consultation(tmp_path: Path) -> tuple[Path, list]:
    """The default consultation with a survey mapping for its non-profile questions."""
    raw = yaml.safe_load((OFSTED_DIR / "consultation.yaml").read_text(encoding="utf-8"))
    questions = [q for q in load_consultation(OFSTED_DIR / "consultation.yaml").questions]
    questions = [q for q in questions if q.kind != "profile"]
    mapping = {}
    for q in questions:
        cols = {"text": f"Q{q.number} comments"}
        if q.kind == "closed":
            cols["tick_box"] = f"Q{q.number} tick"
        mapping[q.id] = cols
    raw["survey"] = {
        "respondent_id": "Response ID",
        "organisation": "Organisation",
        "respondent_type": "Respondent type",
        "questions": mapping,
    }
    path = tmp_path / "consultation.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, questions


def _rows(questions: list, start: int, n: int) -> list[list[str]]:
    """``n`` survey rows (ids R<start>…), answers varied deterministically."""
    rows = []
    for k in range(start, start + n):
        row = [f"R{k}", f"Trust number {k % 7}" if k % 3 else "", TYPES[k % len(TYPES)]]
        for j, q in enumerate(questions):
            if q.kind == "closed":
                row.append(TICKS[(k + j) % len(TICKS)])
            row.append(SAYINGS[(k * 3 + j) % len(SAYINGS)])
        rows.append(row)
    return rows


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def _header(questions: list) -> list[str]:
    head = ["Response ID", "Organisation", "Respondent type"]
    for q in questions:
        head += [f"Q{q.number} tick"] if q.kind == "closed" else []
        head.append(f"Q{q.number} comments")
    return head


@pytest.fixture
def inputs(tmp_path: Path) -> dict:
    """A folder of two text responses, a Word response and a 40-row survey export."""
    consultation, questions = _consultation(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("acrcg.txt", "become.txt"):
        shutil.copy(RAW / name, folder / name)
    blocks: list = [("Response from the Northfield Leaving Care Forum", "title")]
    for q, said in zip(questions, SAYINGS, strict=False):
        blocks += [(f"Q{q.number}. {q.text}", "heading2"), said or "No comment."]
    make_docx(folder / "northfield-forum.docx", blocks)
    (folder / "export.csv").write_bytes(_csv_bytes([_header(questions), *_rows(questions, 1, 40)]))
    codebook = tmp_path / "codebook.yaml"
    shutil.copy(OFSTED_DIR / "codebook.yaml", codebook)
    for name in ("theme_training.csv",):  # the codebook's training_answers, beside it
        if (OFSTED_DIR / name).is_file():
            shutil.copy(OFSTED_DIR / name, tmp_path / name)
    return {
        "consultation": consultation,
        "questions": questions,
        "in": folder,
        "codebook": codebook,
    }


def _stages(inp: dict, out: Path, cache: Path | None) -> None:
    run_ingest(inp["in"], inp["consultation"], out, metadata_file=None, cache_dir=cache)
    run_coding(out, inp["consultation"], inp["codebook"], cache_dir=cache)


def _assert_same(a: Path, b: Path, names: tuple[str, ...], same_bytes: bool = False) -> None:
    for name in names:
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))
        if same_bytes:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


ALL = (*ingest_rerun.TABLE_FILES, *CODING_FILES)


def test_warm_run_gives_the_cold_tables_and_reads_and_codes_nothing(inputs, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _stages(inputs, tmp_path / "cold", None)
    _stages(inputs, tmp_path / "first", cache)
    _assert_same(tmp_path / "cold", tmp_path / "first", ALL, same_bytes=True)
    assert (tmp_path / "cold" / "ingest_log.csv").read_bytes() == (
        tmp_path / "first" / "ingest_log.csv"
    ).read_bytes()

    def never(*args, **kwargs):
        raise AssertionError("coded again on an unchanged re-run")

    monkeypatch.setattr(coding_stage, "code_answers", never)
    before = parse_cache.STATS.copy()
    _stages(inputs, tmp_path / "warm", cache)
    assert parse_cache.STATS == before  # no file read, no parse reused: the stage's tables
    _assert_same(tmp_path / "cold", tmp_path / "warm", ALL)
    _assert_same(tmp_path / "first", tmp_path / "warm", (*ALL, "ingest_log.csv"), same_bytes=True)
    # Compact: the parse cache (Parquet) is smaller than the export it holds.
    [entry] = (cache / parse_cache.PARSE_DIR).glob("*-csv-*.parquet")
    assert entry.stat().st_size < (inputs["in"] / "export.csv").stat().st_size


def test_grown_export_reads_only_its_new_rows(inputs, tmp_path):
    cache, export = tmp_path / "cache", inputs["in"] / "export.csv"
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o1", None, cache_dir=cache)
    export.write_bytes(export.read_bytes() + _csv_bytes(_rows(inputs["questions"], 41, 7)))
    before = parse_cache.STATS.copy()
    warm = run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o2", None, cache_dir=cache)
    assert parse_cache.STATS["grown"] - before["grown"] == 1
    assert parse_cache.STATS["rows_parsed"] - before["rows_parsed"] == 7
    assert parse_cache.STATS["reused"] - before["reused"] == 3  # the three documents
    assert len(list((cache / parse_cache.PARSE_DIR).glob("*-csv-*.parquet"))) == 1
    cold = run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o3", None)
    assert len(cold.respondents) == 3 + 47
    _assert_same(tmp_path / "o3", tmp_path / "o2", ingest_rerun.TABLE_FILES)
    for got, want in zip((warm.respondents, warm.log), (cold.respondents, cold.log), strict=True):
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    "change",
    ["duplicate id", "edited row", "blank row", "no final line break"],
)
def test_an_export_that_did_not_only_grow_is_read_in_full(inputs, tmp_path, change):
    """Appended rows that a full parse would treat differently, or bytes that changed,
    are never stitched to the cached rows: the file is read in full, as a cold run."""
    cache, export = tmp_path / "cache", inputs["in"] / "export.csv"
    data = export.read_bytes()
    if change == "no final line break":
        data = data.rstrip(b"\r\n")
        export.write_bytes(data)
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o1", None, cache_dir=cache)
    extra = _rows(inputs["questions"], 41, 3)
    if change == "duplicate id":
        extra[1][0] = "R5"  # a respondent already in the cached rows
    if change == "blank row":
        extra.insert(1, [""] * len(extra[0]))
    grown = data + (b"\r\n" if change == "no final line break" else b"") + _csv_bytes(extra)
    if change == "edited row":
        grown = grown.replace(b"R2,", b"R2b,", 1)
    export.write_bytes(grown)
    before = parse_cache.STATS.copy()
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o2", None, cache_dir=cache)
    assert parse_cache.STATS["grown"] == before["grown"]
    assert parse_cache.STATS["rows_parsed"] - before["rows_parsed"] == 43
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o3", None)
    _assert_same(tmp_path / "o3", tmp_path / "o2", ingest_rerun.TABLE_FILES)


def _count_coding(monkeypatch) -> list:
    """Wrap the coding stage's coder: the returned list grows by one per call."""
    calls: list = []
    inner = coding_stage.code_answers

    def counted(*args, **kwargs):
        calls.append(1)
        return inner(*args, **kwargs)

    monkeypatch.setattr(coding_stage, "code_answers", counted)
    return calls


def test_a_changed_codebook_or_overrides_file_invalidates_coding(inputs, tmp_path, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "out"
    _stages(inputs, out, cache)
    calls = _count_coding(monkeypatch)
    run_coding(out, inputs["consultation"], inputs["codebook"], cache_dir=cache)
    assert calls == []
    # A theme loses its patterns: coded again, as a cold run codes it.
    raw = yaml.safe_load(inputs["codebook"].read_text(encoding="utf-8"))
    theme = next(t for t in raw["themes"] if t.get("patterns"))
    theme["patterns"] = theme["patterns"][:1]
    inputs["codebook"].write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    warm = run_coding(out, inputs["consultation"], inputs["codebook"], cache_dir=cache)
    assert calls == [1]
    cold = run_coding(out, inputs["consultation"], inputs["codebook"])
    pd.testing.assert_frame_equal(warm.codes, cold.codes)
    # An overrides file is an input too.
    overrides = tmp_path / "overrides.csv"
    shutil.copy(OFSTED_DIR / "overrides.csv", overrides)
    run_coding(out, inputs["consultation"], inputs["codebook"], overrides, cache_dir=cache)
    assert calls == [1, 1, 1]


def test_a_changed_training_answers_file_invalidates_coding(inputs, tmp_path, monkeypatch):
    """The codebook's training_answers (coding.trained) is read by the stage: part of the key."""
    training = tmp_path / "earlier.csv"
    training.write_text("question_id,themes,text\nq1,,Nothing to add.\n", encoding="utf-8")
    raw = yaml.safe_load(inputs["codebook"].read_text(encoding="utf-8"))
    raw["training_answers"] = "earlier.csv"
    inputs["codebook"].write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out"
    _stages(inputs, out, cache)
    calls = _count_coding(monkeypatch)
    run_coding(out, inputs["consultation"], inputs["codebook"], cache_dir=cache)
    assert calls == []
    training.write_text("question_id,themes,text\nq1,,Nothing more to add.\n", encoding="utf-8")
    run_coding(out, inputs["consultation"], inputs["codebook"], cache_dir=cache)
    assert calls == [1]


def test_damaged_cache_entries_are_ignored_with_a_warning(inputs, tmp_path, caplog):
    cache = tmp_path / "cache"
    _stages(inputs, tmp_path / "cold", None)
    _stages(inputs, tmp_path / "first", cache)
    # A truncated stage table, a stage entry without its entry.json, a garbage parse.
    [coding_entry] = [p for p in (cache / "coding").iterdir() if not p.name.startswith(".")]
    codes = coding_entry / "codes.parquet"
    codes.write_bytes(codes.read_bytes()[: codes.stat().st_size // 2])
    [ingest_entry] = [p for p in (cache / "ingest").iterdir() if not p.name.startswith(".")]
    (ingest_entry / "entry.json").unlink()
    [parse_entry] = (cache / parse_cache.PARSE_DIR).glob("*-csv-*.parquet")
    parse_entry.write_bytes(b"PAR1 not really parquet")
    before = parse_cache.STATS.copy()
    with caplog.at_level(logging.WARNING):
        _stages(inputs, tmp_path / "again", cache)
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "ignoring damaged entry" in warned and "ignoring unreadable cache entry" in warned
    assert parse_cache.STATS["parsed"] - before["parsed"] == 1  # the export, read again
    _assert_same(tmp_path / "cold", tmp_path / "again", ALL)
    # The damaged entries were replaced by good ones: the next run is warm again.
    again = parse_cache.STATS.copy()
    _stages(inputs, tmp_path / "warm", cache)
    assert parse_cache.STATS == again
    _assert_same(tmp_path / "cold", tmp_path / "warm", ALL)


def test_stage_cache_keeps_the_newest_entries(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "t.parquet").write_bytes(b"x")
    store = StageCache(tmp_path / "cache", "demo")
    for k in range(5):
        store.store(f"key{k}", src, ["t.parquet"])
    kept = sorted(p.name for p in (tmp_path / "cache" / "demo").iterdir())
    assert len(kept) == 3 and "key4" in kept
    assert store.restore("key4", tmp_path / "dest", ["t.parquet"]) == {}
    assert (tmp_path / "dest" / "t.parquet").read_bytes() == b"x"
    assert store.restore("missing", tmp_path / "dest", ["t.parquet"]) is None


def test_an_earlier_versions_json_entries_are_removed_and_others_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW / "acrcg.txt", folder / "acrcg.txt")
    cache = tmp_path / "cache"
    cache.mkdir()
    legacy = cache / f"{'a' * 64}-txt-{'0' * 16}.json"
    legacy.write_text('{"documents": []}', encoding="utf-8")
    mine = cache / "notes.json"
    mine.write_text("{}", encoding="utf-8")
    consultation = OFSTED_DIR / "consultation.yaml"
    run_ingest(folder, consultation, tmp_path / "out", metadata_file=None, cache_dir=cache)
    assert not legacy.exists() and mine.exists()
    assert len(list((cache / parse_cache.PARSE_DIR).glob("*-txt-*.parquet"))) == 1


def test_a_changed_consultation_invalidates_both_stages(inputs, tmp_path, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "out"
    _stages(inputs, out, cache)
    raw = yaml.safe_load(inputs["consultation"].read_text(encoding="utf-8"))
    raw["questions"][-1]["text"] += " (and why?)"  # the survey rows' headings change
    inputs["consultation"].write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    calls = []
    inner = coding_stage.code_answers
    monkeypatch.setattr(
        coding_stage, "code_answers", lambda *a, **k: calls.append(1) or inner(*a, **k)
    )
    before = parse_cache.STATS.copy()
    _stages(inputs, out, cache)
    assert parse_cache.STATS["parsed"] - before["parsed"] == 1  # the export; documents reused
    assert calls == [1]
    _stages(inputs, tmp_path / "cold", None)
    _assert_same(tmp_path / "cold", out, ALL)
    text = pd.read_parquet(out / "respondents.parquet").set_index("respondent_id").text
    assert "(and why?)" in text["R1"]


def test_runs_that_are_not_repeatable_are_not_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ingest_rerun.FILES:
        (out / name).write_bytes(b"table")
    log = pd.DataFrame(
        {
            "file": ["a.txt", "b.txt"],
            "reason": [None, "b.txt: took longer than 60 s to read (limit max_seconds_per_file)"],
            "sha256": ["1" * 64, None],
        }
    )
    cache = tmp_path / "cache"
    assert not ingest_rerun.store(cache, "k1", out, log, {"a.txt": "1" * 64})
    log.loc[1, "reason"] = None
    # a.txt changed between the hash in the key and the read: not filed under that key.
    assert not ingest_rerun.store(cache, "k2", out, log, {"a.txt": "2" * 64})
    assert ingest_rerun.store(cache, "k3", out, log, {"a.txt": "1" * 64})
    assert [p.name for p in (cache / "ingest").iterdir()] == ["k3"]


def test_a_windows_1252_export_grown_by_plain_ascii_rows_reads_only_them(inputs, tmp_path):
    """Excel on Windows writes Windows-1252; new rows with no accent or £ are plain ASCII,
    which on their own would be taken for UTF-8: still stitched, in the file's encoding."""
    export, cache = inputs["in"] / "export.csv", tmp_path / "cache"
    rows = _rows(inputs["questions"], 1, 20)
    rows[3][-1] = "It costs £40 a week more; the café closed."
    export.write_bytes(_csv_bytes([_header(inputs["questions"]), *rows]).decode().encode("cp1252"))
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o1", None, cache_dir=cache)
    export.write_bytes(export.read_bytes() + _csv_bytes(_rows(inputs["questions"], 21, 4)))
    before = parse_cache.STATS.copy()
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o2", None, cache_dir=cache)
    assert parse_cache.STATS["grown"] - before["grown"] == 1
    assert parse_cache.STATS["rows_parsed"] - before["rows_parsed"] == 4
    run_ingest(inputs["in"], inputs["consultation"], tmp_path / "o3", None)
    _assert_same(tmp_path / "o3", tmp_path / "o2", ingest_rerun.TABLE_FILES)
    resp = pd.read_parquet(tmp_path / "o2" / "respondents.parquet").set_index("respondent_id")
    assert resp.loc["R24", "encoding"] == resp.loc["R4", "encoding"] == "cp1252"
    assert "£40" in resp.loc["R4", "text"]
