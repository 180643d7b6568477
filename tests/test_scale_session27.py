"""Session 27 (issue 15, memory before campaign detection): freed memory handed back.

- Arrow's default pool returns what it frees (``core.arrowmemory``): pyarrow's
  mimalloc pool kept every temporary column resident (most of the ~5 GB held before
  detection at 100,000 respondents). The pool never changes a value: ingest's tables
  are the same with mimalloc and with the pool ``helpers`` chooses.
- ``copyvote.file_copies_together`` asks first whether any row may move; a survey
  export's rows never may, and it no longer normalises every answer to find that out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.arrowmemory import return_freed_memory, trim_heap
from helpers.core.consultation import load_consultation
from helpers.ingest.segment import copyvote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "identical"
SURVEY = ROOT / "data" / "evaluation" / "ofsted-survey"  # spent
TRANSPORT = ROOT / "data" / "evaluation" / "transport"  # spent


def _python(code: str, pool: str | None) -> str:
    """``code``'s stdout in a fresh interpreter, with ``ARROW_DEFAULT_MEMORY_POOL`` = pool."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if pool is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = pool
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_importing_helpers_chooses_a_pool_that_returns_memory():
    assert _python(
        "import helpers, pyarrow as pa; print(pa.default_memory_pool().backend_name)", None
    ) in (
        "jemalloc",
        "system",
    )


def test_a_pool_the_user_chose_is_kept():
    code = "import helpers, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    assert _python(code, "mimalloc") == "mimalloc"
    assert _python(code, "system") == "system"


def test_the_choice_is_made_once_and_reported():
    import pyarrow as pa

    first = return_freed_memory()
    assert return_freed_memory() == first
    assert pa.default_memory_pool().backend_name == first


RSS_AFTER_FREE = """
import os, helpers, pyarrow as pa, pyarrow.compute as pc
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') >> 20
before = rss()
a = pa.array(['x' * 1000] * 100_000)  # 100 MB of text, and two 100-200 MB results
b = pc.utf8_upper(a)
c = pc.binary_join_element_wise(a, b, '-')
held = rss()
del a, b, c
print(before, held, rss())
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_freed_arrow_columns_leave_the_process():
    """400 MB of Arrow columns made and dropped: the resident memory falls back to within
    50 MB of where it started (mimalloc, pyarrow's own default, kept all 400 MB)."""
    before, held, after = map(int, _python(RSS_AFTER_FREE, None).split())
    assert held - before > 300
    assert after - before < 50


def test_trim_heap_runs_where_glibc_is():
    assert trim_heap() is (sys.platform.startswith("linux") and _glibc())


def _glibc() -> bool:
    import platform

    return platform.libc_ver()[0] == "glibc"


def _no_normalise(text):
    raise AssertionError("normalised a text although no row may move")


def test_a_survey_exports_rows_are_not_normalised_to_be_left_in_place(monkeypatch):
    answers = pd.read_parquet(FIXTURES / "ofsted-survey" / "answers.parquet")
    assert set(answers["match_method"]) == {"survey_column"}
    monkeypatch.setattr(copyvote.campaigns, "normalise", _no_normalise)
    consultation = load_consultation(SURVEY / "consultation.yaml")
    assert copyvote.file_copies_together(answers, consultation) is answers


def test_documents_rows_are_still_read(monkeypatch):
    """A run with rows placed by meaning or paragraph (transport's letters) still has
    its texts normalised and grouped: the early return is for runs where nothing moves."""
    answers = pd.read_parquet(FIXTURES / "transport" / "answers.parquet")
    seen: list[str] = []
    real = copyvote.campaigns.normalise

    def counting(text):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(copyvote.campaigns, "normalise", counting)
    consultation = load_consultation(TRANSPORT / "consultation.yaml")
    got = copyvote.file_copies_together(answers, consultation)
    assert len(seen) >= len(answers)  # every answer's length, then the long ones grouped
    pd.testing.assert_frame_equal(got, answers)  # the fixture's rows were filed already


INGEST = """
import sys, tempfile, pandas as pd
from helpers.ingest import run_ingest
out = sys.argv[1]
run_ingest({folder!r}, {cons!r}, out, metadata_file=None)
"""


def test_ingest_tables_are_the_same_whichever_pool(tmp_path):
    """The survey set ingested with pyarrow's mimalloc and with the pool ``helpers``
    chooses: every table equal, value for value and dtype for dtype."""
    folder, cons = str(SURVEY / "responses"), str(SURVEY / "consultation.yaml")
    code = INGEST.format(folder=folder, cons=cons)
    tables = {}
    for pool in ("mimalloc", None):
        out = tmp_path / (pool or "chosen")
        _python(code.replace("sys.argv[1]", repr(str(out))), pool)
        tables[pool] = {p.name: pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}
    assert sorted(tables[None]) == sorted(tables["mimalloc"])
    assert len(tables[None]["answers.parquet"]) > 1000
    for name, frame in tables[None].items():
        pd.testing.assert_frame_equal(frame, tables["mimalloc"][name], obj=name)
