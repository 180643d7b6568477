"""Quiet runs (issue 16, item 6): the terminal shows progress and warnings, run.log every line.

A run on stand-in notebooks (as in test_pipeline) whose 01 notebook logs the same kind
of warning for several files, prints a table and logs INFO lines: on the console, no
per-cell lines, no cell output and each kind of warning once with its count; in
run.log, every warning; with ``-v`` the cell logging comes back.
"""

from __future__ import annotations

import logging
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import test_pipeline

from helpers import pipeline
from helpers.core import logs

_cli = test_pipeline._cli
stub_env = test_pipeline.stub_env  # the fixture: a valid config on stand-in notebooks

N_FILES = 7
NOISY_CELL = (
    "from helpers.core.logs import setup_logging\n"
    "import logging\n"
    "setup_logging()\n"
    "ingest_log = logging.getLogger('helpers.ingest.segment.notes')\n"
    f"for i in range({N_FILES}):\n"
    "    ingest_log.warning('r%d.txt: %d heading(s) matched no question and were kept inside "
    'the answer they fall in: "Heading %d".\', i, i + 1, i)\n'
    "logging.getLogger('helpers.ingest.stage').warning('manifest.csv: a different warning')\n"
    "logging.getLogger('helpers.ingest.stage').info('ingest: 7 respondents')\n"
    "print('CELL-STDOUT-LINE')\n"
)


@pytest.fixture
def noisy_env(stub_env):
    """stub_env with a 01 notebook that warns once per file and prints."""
    tmp, overrides = stub_env
    nb_path = Path(overrides["notebooks_dir"]) / "01_ingest.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(NOISY_CELL))
    nbformat.write(nb, nb_path)
    return tmp, overrides


def _run_log(overrides: dict) -> str:
    run = pipeline.latest_run(Path(overrides["output_root"]) / "ofsted-ilacs-care-leavers-2022")
    assert run is not None
    return (run / "run.log").read_text(encoding="utf-8")


def test_console_has_no_cell_lines_and_each_warning_once_with_its_count(noisy_env, capsys):
    tmp, overrides = noisy_env
    assert _cli(overrides) == 0
    err = capsys.readouterr().err
    assert "Executing Cell" not in err and "Ending Cell" not in err
    assert "CELL-STDOUT-LINE" not in err
    assert "ingest: 7 respondents" not in err  # a notebook's INFO lines: run.log only
    assert "IPKernelApp" not in err and "KeyboardInterrupt" not in err
    assert "Passed unknown parameter" not in err and "Unable to parse" not in err
    unmatched = [line for line in err.splitlines() if "matched no question" in line]
    assert len(unmatched) == 1, err
    assert f"(×{N_FILES} like this; each in run.log)" in unmatched[0]
    assert sum("a different warning" in line for line in err.splitlines()) == 1
    assert "executing 01_ingest.ipynb" in err  # progress stays
    run_log = _run_log(overrides)
    assert run_log.count("matched no question") == N_FILES  # run.log keeps every line
    for i in range(N_FILES):
        assert f"r{i}.txt: {i + 1} heading(s)" in run_log
    assert "CELL-STDOUT-LINE" in run_log and "ingest: 7 respondents" in run_log


def test_verbose_brings_back_the_cell_logging(noisy_env, capsys):
    tmp, overrides = noisy_env
    assert _cli(overrides, "-v") == 0
    err = capsys.readouterr().err
    assert "Executing Cell" in err
    assert "CELL-STDOUT-LINE" in err
    assert err.count("matched no question") == N_FILES


def _record(name: str, msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)


def test_warning_kind_ignores_file_ids_numbers_and_quoted_text():
    a = _record("x", 'a.txt (a, q1): unmatched heading: "Timing"')
    b = _record("x", 'b.docx (b-2, q3): unmatched heading: "Costs"')
    c = _record("x", "%s: %d heading(s) matched no question: %s", "c.pdf", 3, '"A"; "B"')
    d = _record("x", "%s: %d heading(s) matched no question: %s", "d.txt", 1, '"C"')
    assert logs.warning_kind(a) == logs.warning_kind(b)
    assert logs.warning_kind(c) == logs.warning_kind(d)
    assert logs.warning_kind(a) != logs.warning_kind(c)
    assert logs.warning_kind(a) != logs.warning_kind(_record("y", a.msg))


def test_digest_prints_each_kind_once_at_flush_and_errors_at_once():
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    handler = Collect()
    digest = logs.WarningDigest(handler)
    handler.addFilter(digest)
    for name in ("a.txt", "b.txt", "c.txt"):
        handler.handle(_record("x", "%s: unmatched heading: %s", name, '"T"'))
    handler.handle(logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, None))
    assert seen == ["boom"]
    digest.flush()
    assert seen[1] == 'a.txt: unmatched heading: "T" (×3 like this; each in run.log)'
    digest.flush()
    assert len(seen) == 2


@pytest.mark.parametrize("name", pipeline.NOTEBOOKS)
def test_each_notebook_declares_exactly_the_parameters_it_is_given(name, caplog):
    """So papermill warns of no unknown or unparsable parameter."""
    config = pipeline.RunConfig(
        consultation=Path("c"),
        codebook=Path("b"),
        input_dir=Path("i"),
        processed_dir=Path("p"),
        output_root=Path("o"),
    )
    given = pipeline.notebook_parameters(config, Path("r"))[name]
    with caplog.at_level(logging.WARNING, logger="papermill"):
        declared = pm.inspect_notebook(str(test_pipeline.ROOT / "notebooks" / f"{name}.ipynb"))
    assert set(declared) == set(given)
    assert not [r for r in caplog.records if r.name.startswith("papermill")]
