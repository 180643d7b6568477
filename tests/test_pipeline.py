"""Tests for helpers.pipeline.

Two groups:
- the runner's machinery (config validation, lock, failure handling, latest pointer,
  kernel) with tiny stand-in notebooks built here, so each run takes seconds;
- end-to-end runs of the real notebooks on the default Ofsted data and on a second,
  different consultation built from tests/fixtures/second_consultation (one shared
  module-scoped run each, to keep the suite within minutes on 2 cores).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from filelock import FileLock

from helpers import paths, pipeline

ROOT = paths.project_root(Path(__file__).parent)
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022"
OFSTED_RAW = ROOT / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"
FIXTURE = Path(__file__).parent / "fixtures" / "second_consultation"


# --------------------------------------------------------------------------- stand-ins


def _notebook(path: Path, params: list[str], body: str) -> None:
    nb = nbformat.v4.new_notebook()
    pcell = nbformat.v4.new_code_cell("\n".join(f"{p} = None" for p in params))
    pcell.metadata["tags"] = ["parameters"]
    nb.cells = [pcell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def _stub_notebooks(folder: Path, record: Path, fail_in: str | None = None) -> Path:
    """01..04 stand-ins: each records its parameters (and the interpreter) in ``record``."""
    folder.mkdir(parents=True, exist_ok=True)
    params = pipeline.notebook_parameters(
        pipeline.RunConfig(
            consultation=Path("c"),
            codebook=Path("b"),
            input_dir=Path("i"),
            processed_dir=Path("p"),
            output_root=Path("o"),
        ),
        Path("r"),
    )
    for name in pipeline.NOTEBOOKS:
        names = list(params[name])
        body = (
            "import json, sys, pathlib\n"
            f"values = {{k: globals()[k] for k in {names!r}}}\n"
            "values['executable'] = sys.executable\n"
            f"rec = pathlib.Path({str(record)!r})\n"
            "rec.mkdir(parents=True, exist_ok=True)\n"
            f"(rec / '{name}.json').write_text(json.dumps(values))\n"
        )
        if name == fail_in:
            body += "raise RuntimeError('deliberate failure in " + name + "')\n"
        if name == "04_report":
            body += "pathlib.Path(output_dir, 'report.html').write_text('<h1>stub</h1>')\n"
        _notebook(folder / f"{name}.ipynb", names, body)
    return folder


def _fake_publish(executed_report: Path, run_dir: Path, formats) -> list[Path]:
    html = run_dir / "report.html"
    assert html.exists(), "the stand-in 04 notebook writes report.html"
    return [html]


@pytest.fixture
def stub_env(tmp_path, monkeypatch):
    """A config (valid consultation/codebook/inputs) pointing at stand-in notebooks."""
    monkeypatch.setattr(pipeline, "_publish", _fake_publish)
    inputs = tmp_path / "raw"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Q1\nWe agree.\n", encoding="utf-8")
    (inputs / "b.txt").write_bytes(b"Q2\nHousing.\n")
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(
        yaml.safe_dump(
            {
                "id": "stub",
                "title": "Stub codebook",
                "version": 1,
                "themes": [
                    {
                        "id": "housing",
                        "label": "Housing",
                        "description": "Mentions of housing.",
                        "patterns": ["housing"],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    overrides = {
        "consultation": str(OFSTED / "consultation.yaml"),
        "codebook": str(codebook),
        "input_dir": str(inputs),
        "processed_dir": str(tmp_path / "processed"),
        "output_root": str(tmp_path / "reports"),
        "notebooks_dir": str(_stub_notebooks(tmp_path / "nb", tmp_path / "record")),
    }
    return tmp_path, overrides


def _cli(overrides: dict, *extra: str) -> int:
    flags = {
        "consultation": "--consultation",
        "codebook": "--codebook",
        "input_dir": "--input",
        "processed_dir": "--processed",
        "output_root": "--output-root",
        "notebooks_dir": "--notebooks-dir",
        "run_id": "--run-id",
        "overrides": "--overrides",
        "formats": "--formats",
        "hand_coded": "--hand-coded",
        "title": "--title",
    }
    argv = ["run"]
    for k, v in overrides.items():
        argv += [flags[k], str(v)]
    log_file = Path(overrides["output_root"]).parent / "logs" / "pipeline.log"
    return pipeline.main([*argv, "--log-file", str(log_file), *extra])


# --------------------------------------------------------------------------- configuration


def test_default_run_yaml_is_valid_and_points_at_the_default_data():
    cfg = pipeline.load_config(OFSTED / "run.yaml")
    assert cfg.consultation_id == "ofsted-ilacs-care-leavers-2022"
    assert cfg.input_dir == OFSTED_RAW
    assert cfg.cache_dir == ROOT / "data/processed/ofsted-ilacs-care-leavers-2022/.cache"
    assert cfg.formats == ("html", "pdf")


def test_config_errors_name_the_file_and_field(tmp_path):
    bad = tmp_path / "run.yaml"
    bad.write_text(
        f"consultation: {OFSTED / 'consultation.yaml'}\ncodebook: nowhere.yaml\n"
        f"input_dir: {OFSTED_RAW}\n",
        encoding="utf-8",
    )
    with pytest.raises(pipeline.ConfigError, match=r"run\.yaml: field 'codebook': file not found"):
        pipeline.load_config(bad)
    bad.write_text("consultation: x\nfromats: [html]\n", encoding="utf-8")
    with pytest.raises(pipeline.ConfigError, match=r"unknown field\(s\) \['fromats'\]"):
        pipeline.load_config(bad)
    bad.write_text("consultation: [unclosed\n", encoding="utf-8")
    with pytest.raises(pipeline.ConfigError, match=r"run\.yaml \(line \d+\): not valid YAML"):
        pipeline.load_config(bad)


def test_command_line_values_override_the_config(stub_env):
    _, ov = stub_env
    cfg = pipeline.load_config(OFSTED / "run.yaml", formats="html", title="My title", **ov)
    assert cfg.formats == ("html",)
    assert cfg.title == "My title"
    assert cfg.output_root == Path(ov["output_root"])
    assert cfg.cache_dir == Path(ov["processed_dir"]) / ".cache"
    with pytest.raises(pipeline.ConfigError, match="field 'formats': unknown format"):
        pipeline.load_config(OFSTED / "run.yaml", formats="html,docx")
    with pytest.raises(pipeline.ConfigError, match="field 'run_id'"):
        pipeline.load_config(OFSTED / "run.yaml", run_id="../escape")


# --------------------------------------------------------------------------- machinery


def test_stub_run_layout_manifest_and_latest(stub_env):
    tmp_path, ov = stub_env
    assert _cli(ov, "--run-id", "r1") == pipeline.EXIT_OK
    reports = tmp_path / "reports" / "ofsted-ilacs-care-leavers-2022"
    run = reports / "r1"
    assert sorted(p.name for p in run.glob("*.ipynb")) == [f"{n}.ipynb" for n in pipeline.NOTEBOOKS]
    # executed notebooks keep their outputs and the injected parameters
    nb = nbformat.read(run / "01_ingest.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    # each notebook got the contract's parameters; paths pointed into this run
    p3 = json.loads((tmp_path / "record" / "03_analyse.json").read_text())
    assert set(p3) == {"processed_dir", "consultation", "codebook", "output_dir", "executable"}
    assert p3["processed_dir"] == ov["processed_dir"]
    assert p3["output_dir"].endswith("/.r1.partial")  # built aside, renamed on success
    p1 = json.loads((tmp_path / "record" / "01_ingest.json").read_text())
    assert p1["cache_dir"] == str(Path(ov["processed_dir"]) / ".cache")
    assert p1["metadata_file"] == "manifest.csv"
    # the kernel is this interpreter (the venv), not whatever python3 is on PATH
    assert Path(p1["executable"]).resolve() == Path(sys.executable).resolve()

    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["run_id"] == "r1"
    inputs = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs == {
        "a.txt": hashlib.sha256(b"Q1\nWe agree.\n").hexdigest(),
        "b.txt": hashlib.sha256(b"Q2\nHousing.\n").hexdigest(),
    }
    assert (
        manifest["configuration"]["codebook"]["sha256"]
        == hashlib.sha256((tmp_path / "codebook.yaml").read_bytes()).hexdigest()
    )
    assert manifest["packages"]["pandas"] == pd.__version__
    assert manifest["notebooks"] == [f"{n}.ipynb" for n in pipeline.NOTEBOOKS]
    assert manifest["started"] <= manifest["ended"]
    assert "report.html" in {o["path"] for o in manifest["outputs"]}
    assert "run r1 complete" in (tmp_path / "logs" / "pipeline.log").read_text()
    assert "executing 02_code.ipynb" in (run / "run.log").read_text()

    assert (reports / "LATEST").read_text().strip() == "r1"
    assert (reports / "latest").resolve() == run.resolve()
    assert pipeline.latest_run(reports) == run
    assert not list(reports.glob(".*partial"))


def test_failing_notebook_keeps_failed_run_and_previous_latest(stub_env):
    tmp_path, ov = stub_env
    assert _cli(ov, "--run-id", "good") == pipeline.EXIT_OK
    bad_nb = _stub_notebooks(tmp_path / "bad_nb", tmp_path / "record", fail_in="02_code")
    code = _cli({**ov, "notebooks_dir": bad_nb}, "--run-id", "bad")
    assert code == pipeline.EXIT_FAILED
    reports = tmp_path / "reports" / "ofsted-ilacs-care-leavers-2022"
    failed = reports / "bad.failed"
    assert failed.is_dir() and not (reports / "bad").exists()
    manifest = json.loads((failed / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert "deliberate failure in 02_code" in manifest["error"]
    assert manifest["notebooks"] == ["01_ingest.ipynb"]
    # the failing notebook is saved with its error for diagnosis
    nb = nbformat.read(failed / "02_code.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in nb.cells for o in c.get("outputs", []))
    assert (reports / "LATEST").read_text().strip() == "good"
    assert (reports / "latest").resolve() == (reports / "good").resolve()


def test_invalid_codebook_fails_before_any_notebook(stub_env):
    tmp_path, ov = stub_env
    bad = tmp_path / "bad_codebook.yaml"
    bad.write_text("id: x\ntitle: t\nthemes:\n  - id: Not An Id\n    label: x\n", encoding="utf-8")
    code = _cli({**ov, "codebook": bad}, "--run-id", "badcb")
    assert code == pipeline.EXIT_FAILED
    reports = tmp_path / "reports" / "ofsted-ilacs-care-leavers-2022"
    failed = reports / "badcb.failed"
    manifest = json.loads((failed / "manifest.json").read_text())
    assert "field 'codebook'" in manifest["error"] and "bad_codebook.yaml" in manifest["error"]
    assert manifest["notebooks"] == []
    assert not (reports / "LATEST").exists() and not (reports / "latest").exists()


def test_lock_held_exits_75_without_touching_latest(stub_env):
    tmp_path, ov = stub_env
    reports = tmp_path / "reports" / "ofsted-ilacs-care-leavers-2022"
    reports.mkdir(parents=True)
    (reports / "LATEST").write_text("previous\n")
    cfg = pipeline.load_config(**ov)
    with FileLock(str(pipeline.lock_path(cfg))):
        assert _cli(ov, "--run-id", "blocked") == pipeline.EXIT_LOCKED
    assert (reports / "LATEST").read_text() == "previous\n"
    assert sorted(p.name for p in reports.iterdir()) == [".pipeline.lock", "LATEST"]


def test_interrupted_partial_run_is_kept_as_failed(stub_env):
    tmp_path, ov = stub_env
    reports = tmp_path / "reports" / "ofsted-ilacs-care-leavers-2022"
    (reports / ".old.partial").mkdir(parents=True)
    assert _cli(ov, "--run-id", "next") == pipeline.EXIT_OK
    assert (reports / "old.failed").is_dir() and not (reports / ".old.partial").exists()


def test_existing_run_id_is_refused(stub_env):
    tmp_path, ov = stub_env
    assert _cli(ov, "--run-id", "same") == pipeline.EXIT_OK
    assert _cli(ov, "--run-id", "same") == pipeline.EXIT_FAILED
    assert (tmp_path / "reports/ofsted-ilacs-care-leavers-2022/same/manifest.json").exists()


def test_bad_command_line_exits_2():
    with pytest.raises(SystemExit) as exc:
        pipeline.main(["run", "--no-such-option"])
    assert exc.value.code == pipeline.EXIT_USAGE
