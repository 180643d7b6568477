"""A run under hostile conditions: failing stages, concurrent writers, a full disk.

Issue 11: a run updates the processed data completely or not at all (the stages
write a staging folder promoted atomically on success); every run and `consult
prepare` on one processed folder take the same lock (exit 75); and a run that
fails for any reason, disk full included, ends as ``<run>.failed`` with what it
could write of its manifest, ``latest`` unmoved.

Stand-in notebooks (tests/test_pipeline.py's ``_stub_notebooks``, here made to
write tables into the processed folder they are given) keep each run to seconds.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import nbformat
import pytest
import test_pipeline
from filelock import FileLock

from helpers import cli, pipeline
from helpers.pipeline import manifest as manifest_mod
from helpers.pipeline import runfolder, steps

CID = "ofsted-ilacs-care-leavers-2022"
_cli, _stub_notebooks = test_pipeline._cli, test_pipeline._stub_notebooks
stub_env = test_pipeline.stub_env  # the fixture: a valid config on stand-in notebooks


def _writing_notebooks(folder: Path, record: Path, tag: str, fail_in: str | None = None) -> Path:
    """Stand-ins whose 01 and 02 write tables (content ``tag``) into their processed folder.

    01 writes respondents and answers, 02 reads respondents and writes codes:
    a failure in 02 is the case where in-place writing left text and codes apart.
    """
    nb_dir = _stub_notebooks(folder, record, fail_in=fail_in)
    writes = {
        "01_ingest": (
            f"out = pathlib.Path(output_dir)\nout.mkdir(parents=True, exist_ok=True)\n"
            f"(out / 'respondents.parquet').write_text('respondents {tag}')\n"
            f"(out / 'answers.parquet').write_text('answers {tag}')\n"
        ),
        "02_code": (
            "src = pathlib.Path(processed_dir)\n"
            "assert (src / 'respondents.parquet').read_text().startswith('respondents')\n"
            f"(src / 'codes.parquet').write_text('codes {tag}')\n"
        ),
    }
    for name, code in writes.items():
        path = nb_dir / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        # before the stub's own body, so a failing 02 has already written its tables
        nb.cells[-1].source = nb.cells[-1].source.replace(
            "import json, sys, pathlib\n", "import json, sys, pathlib\n" + code, 1
        )
        nbformat.write(nb, path)
    return nb_dir


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _leftovers(processed: Path) -> list[str]:
    return sorted(
        p.name
        for p in processed.parent.iterdir()
        if p.name.startswith(f".{processed.name}.") and not p.name.endswith(".lock")
    )


@pytest.fixture
def good_run(stub_env):
    """A first successful run ("good") whose tables say "v1"; the processed folder has a cache."""
    tmp_path, ov = stub_env
    nb = _writing_notebooks(tmp_path / "nb_v1", tmp_path / "record", "v1")
    ov = {**ov, "notebooks_dir": nb}
    assert _cli(ov, "--run-id", "good") == pipeline.EXIT_OK
    processed = Path(ov["processed_dir"])
    cache = processed / ".cache"
    cache.mkdir(exist_ok=True)
    (cache / "entry.json").write_text("{}")
    return tmp_path, ov, processed, tmp_path / "reports" / CID


# --------------------------------------------------------------------------- all or nothing


def test_a_run_failing_in_02_leaves_the_processed_folder_byte_identical(good_run):
    tmp_path, ov, processed, reports = good_run
    before = _snapshot(processed)
    assert before["respondents.parquet"] == b"respondents v1" and "codes.parquet" in before
    bad = _writing_notebooks(tmp_path / "nb_bad", tmp_path / "record", "v2", fail_in="02_code")
    assert _cli({**ov, "notebooks_dir": bad}, "--run-id", "bad") == pipeline.EXIT_FAILED
    assert _snapshot(processed) == before  # the new respondents never replaced the old
    assert _leftovers(processed) == []  # the staging folder is gone
    assert (reports / "bad.failed").is_dir()
    assert (reports / "LATEST").read_text().strip() == "good"


def test_a_successful_run_promotes_the_new_tables_and_keeps_the_cache(good_run):
    tmp_path, ov, processed, reports = good_run
    (processed / "notes.txt").write_text("a researcher's own file")
    nb = _writing_notebooks(tmp_path / "nb_v2", tmp_path / "record", "v2")
    assert _cli({**ov, "notebooks_dir": nb}, "--run-id", "new") == pipeline.EXIT_OK
    after = _snapshot(processed)
    assert after["respondents.parquet"] == b"respondents v2"
    assert after["codes.parquet"] == b"codes v2"
    assert after[".cache/entry.json"] == b"{}"  # the parse cache is shared, carried over
    assert after["notes.txt"] == b"a researcher's own file"
    assert _leftovers(processed) == []
    # the run folder keeps its own copy of the tables it was built from
    assert (reports / "new" / "processed" / "codes.parquet").read_text() == "codes v2"
    assert (reports / "LATEST").read_text().strip() == "new"


def test_a_failed_promotion_leaves_the_old_tables(good_run, monkeypatch):
    tmp_path, ov, processed, reports = good_run
    before = _snapshot(processed)
    real_rename = Path.rename

    def rename(self, target):
        if ".staging-" in self.name:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    nb = _writing_notebooks(tmp_path / "nb_v2", tmp_path / "record", "v2")
    assert _cli({**ov, "notebooks_dir": nb}, "--run-id", "nopromote") == pipeline.EXIT_FAILED
    monkeypatch.undo()
    assert _snapshot(processed) == before
    assert _leftovers(processed) == []
    assert (reports / "nopromote.failed").is_dir()


def test_an_interrupted_promotion_is_repaired_on_the_next_start(good_run):
    tmp_path, ov, processed, reports = good_run
    before = _snapshot(processed)
    # killed between the two renames: the live folder is aside, the staging one complete
    aside = processed.parent / f".{processed.name}.old-killed"
    processed.rename(aside)
    staging = processed.parent / f".{processed.name}.staging-killed"
    staging.mkdir()
    (staging / "respondents.parquet").write_text("respondents half")
    cfg = pipeline.load_config(**ov)
    pipeline.recover_processed(cfg)
    assert _snapshot(processed) == before  # the old tables are back
    assert _leftovers(processed) == []
    # killed after the swap: the new folder is live, the old one still aside
    processed.rename(aside)
    processed.mkdir()
    (processed / "respondents.parquet").write_text("respondents v2")
    pipeline.recover_processed(cfg)
    assert (processed / "respondents.parquet").read_text() == "respondents v2"
    assert (processed / ".cache" / "entry.json").exists()  # carried over from the old one
    assert _leftovers(processed) == []


# --------------------------------------------------------------------------- the lock


def test_a_held_processed_lock_stops_a_run_with_another_output_root(good_run):
    tmp_path, ov, processed, _ = good_run
    before = _snapshot(processed)
    other = {**ov, "output_root": str(tmp_path / "other-reports")}
    cfg = pipeline.load_config(**other)
    assert pipeline.processed_lock_path(cfg) == processed.parent / ".processed.lock"
    with FileLock(str(pipeline.processed_lock_path(cfg))):
        assert _cli(other, "--run-id", "blocked") == pipeline.EXIT_LOCKED
    assert _snapshot(processed) == before
    reports = tmp_path / "other-reports" / CID
    assert not (reports / "LATEST").exists()
    assert not [p for p in reports.iterdir() if "blocked" in p.name]


def test_a_run_and_consult_prepare_exclude_each_other(stub_env, capsys):
    tmp_path, ov = stub_env
    config = tmp_path / "run.yaml"
    config.write_text(json.dumps({k: str(v) for k, v in ov.items()}), encoding="utf-8")
    cfg = pipeline.load_config(config)
    with FileLock(str(pipeline.processed_lock_path(cfg))):
        assert cli.main(["prepare", "--config", str(config)]) == pipeline.EXIT_LOCKED
    err = capsys.readouterr().err
    assert "WARNING" in err and "holds" in err and "Traceback" not in err
    assert not Path(ov["processed_dir"]).exists()  # nothing was written


def test_a_run_holds_the_processed_lock_while_its_stages_write(stub_env):
    """Seen from another process (the notebook's kernel), as `consult prepare` would see it."""
    tmp_path, ov = stub_env
    cfg = pipeline.load_config(**ov)
    seen = tmp_path / "lock_seen"
    nb_dir = _stub_notebooks(tmp_path / "nb_lock", tmp_path / "record")
    nb = nbformat.read(nb_dir / "02_code.ipynb", as_version=4)
    nb.cells[-1].source += (
        "\nfrom filelock import FileLock, Timeout\n"
        f"lock = FileLock({str(pipeline.processed_lock_path(cfg))!r})\n"
        "try:\n    lock.acquire(timeout=0)\n    lock.release()\n    held = 'free'\n"
        "except Timeout:\n    held = 'held'\n"
        f"pathlib.Path({str(seen)!r}).write_text(held)\n"
    )
    nbformat.write(nb, nb_dir / "02_code.ipynb")
    assert _cli({**ov, "notebooks_dir": nb_dir}, "--run-id", "locked") == pipeline.EXIT_OK
    assert seen.read_text() == "held"


def test_prepare_with_a_typo_in_overrides_leaves_the_processed_tables(tmp_path):
    """The library stages (`consult prepare`): ingest succeeds, coding fails on overrides.csv."""
    raw = tmp_path / "raw"
    shutil.copytree(test_pipeline.OFSTED_RAW, raw)
    processed = tmp_path / "processed"
    pipeline.refresh_processed(input_dir=str(raw), processed_dir=str(processed))
    before = _snapshot(processed)
    (raw / "late.txt").write_text("A late response about housing.\n", encoding="utf-8")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "respondent_id,question_id,theme_id,action\nbecome,q2,housing,ad\n", encoding="utf-8"
    )
    with pytest.raises(pipeline.ConfigError, match="action must be 'add' or 'remove'"):
        pipeline.refresh_processed(
            input_dir=str(raw), processed_dir=str(processed), overrides=str(overrides)
        )
    after = _snapshot(processed)
    tables = {k: v for k, v in after.items() if not k.startswith(".cache/")}
    assert tables == {k: v for k, v in before.items() if not k.startswith(".cache/")}
    assert _leftovers(processed) == []
    # the typo fixed, the new response and its codes arrive together
    overrides.write_text("respondent_id,question_id,theme_id,action\n", encoding="utf-8")
    pipeline.refresh_processed(
        input_dir=str(raw), processed_dir=str(processed), overrides=str(overrides)
    )
    assert _snapshot(processed)["respondents.parquet"] != before["respondents.parquet"]
    assert _leftovers(processed) == []


# --------------------------------------------------------------------------- disk full


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _assert_failed_cleanly(reports: Path, run_id: str, processed: Path, before: dict) -> dict:
    failed = reports / f"{run_id}.failed"
    assert failed.is_dir(), sorted(p.name for p in reports.iterdir())
    assert not list(reports.glob(".*.partial")) and not (reports / run_id).exists()
    assert (reports / "LATEST").read_text().strip() == "good"
    assert (reports / "latest").resolve() == (reports / "good").resolve()
    assert _snapshot(processed) == before
    assert _leftovers(processed) == []
    assert not list(failed.glob(".*.tmp"))
    manifest_file = failed / "manifest.json"
    if not manifest_file.exists():  # nothing of the manifest fitted: still .failed
        return {}
    manifest = json.loads(manifest_file.read_text())
    assert manifest["status"] == "failed" and manifest["run_id"] == run_id
    return manifest


@pytest.mark.parametrize("where", ["notebook", "publish", "copy"])
def test_disk_full_during_the_run_ends_as_failed(good_run, monkeypatch, capsys, where):
    tmp_path, ov, processed, reports = good_run
    before = _snapshot(processed)
    if where == "notebook":  # papermill cannot save the executed 02 notebook
        real = steps.execute_notebook

        def execute(nb_in, nb_out, params, kernel):
            if nb_in.stem == "02_code":
                _enospc()
            return real(nb_in, nb_out, params, kernel)

        monkeypatch.setattr(steps, "execute_notebook", execute)
    elif where == "publish":
        monkeypatch.setattr(pipeline, "publish_report", _enospc)
    else:
        monkeypatch.setattr(pipeline, "copy_processed", _enospc)
    capsys.readouterr()
    assert _cli(ov, "--run-id", "full") == pipeline.EXIT_FAILED
    manifest = _assert_failed_cleanly(reports, "full", processed, before)
    assert "No space left on device" in manifest["error"]
    # a full disk is not a bug: one line on the terminal, no traceback
    err = capsys.readouterr().err
    assert "Traceback" not in err and "No space left on device" in err


def test_disk_full_writing_the_manifest_still_ends_as_failed(good_run, monkeypatch):
    tmp_path, ov, processed, reports = good_run
    real = manifest_mod.write_manifest
    calls = []

    def write(path, manifest, compact=False):
        calls.append(compact)
        if not compact:  # the full, indented manifest does not fit; the compact one does
            _enospc()
        return real(path, manifest, compact)

    monkeypatch.setattr(runfolder, "write_manifest", write)
    nb = _writing_notebooks(tmp_path / "nb_v2", tmp_path / "record", "v2")
    assert _cli({**ov, "notebooks_dir": nb}, "--run-id", "full") == pipeline.EXIT_FAILED
    failed = reports / "full.failed"
    manifest = json.loads((failed / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "manifest.json" in manifest["error"]
    assert manifest["run_dir"] == str(failed)
    assert manifest["inputs"] and manifest["notebooks"]  # the whole manifest, compactly
    assert True in calls
    assert (reports / "LATEST").read_text().strip() == "good"
    assert not (reports / "full").exists() and not list(reports.glob(".*.partial"))


def test_disk_full_for_any_manifest_still_ends_as_failed(good_run, monkeypatch):
    tmp_path, ov, processed, reports = good_run
    real_open = open

    def full_open(file, mode="r", *args, **kwargs):
        if "w" in mode and str(file).endswith(".manifest.json.tmp"):
            fh = real_open(file, mode, *args, **kwargs)
            fh.write = _enospc  # the file is created, then nothing fits in it
            return fh
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_open)
    assert _cli(ov, "--run-id", "full") == pipeline.EXIT_FAILED
    monkeypatch.undo()
    failed = reports / "full.failed"
    assert failed.is_dir() and not list(reports.glob(".*.partial"))
    assert not (failed / "manifest.json").exists()  # never a truncated manifest
    assert not list(failed.glob(".*.tmp"))
    assert (reports / "LATEST").read_text().strip() == "good"


def test_disk_full_moving_latest_demotes_the_run(good_run, monkeypatch):
    tmp_path, ov, processed, reports = good_run
    real_write_text = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == ".LATEST.tmp":
            _enospc()
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    assert _cli(ov, "--run-id", "nolatest") == pipeline.EXIT_FAILED
    monkeypatch.undo()
    manifest = json.loads((reports / "nolatest.failed" / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "latest could not be moved" in manifest["error"]
    assert (reports / "LATEST").read_text().strip() == "good"
    assert (reports / "latest").resolve() == (reports / "good").resolve()
    assert not (reports / "nolatest").exists() and not list(reports.glob(".*.tmp"))


def test_manifest_is_replaced_atomically(tmp_path, monkeypatch):
    path = tmp_path / "manifest.json"
    manifest_mod.write_manifest(path, {"status": "ok"})
    monkeypatch.setattr(manifest_mod.os, "fsync", _enospc)
    with pytest.raises(OSError):
        manifest_mod.write_manifest(path, {"status": "failed"})
    assert json.loads(path.read_text()) == {"status": "ok"}  # the old one, complete
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
