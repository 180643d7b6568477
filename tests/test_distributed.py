"""Coding on Dask (issue 15, item 6): the same tables as in-process, byte for byte.

Real development sets are ingested once, then coded in this process and on a
two-worker ``LocalCluster`` with partitions far smaller than a real run's, so every
respondent boundary case (a partition of one letter, a form split from its neighbour)
is crossed. One test reaches the cluster through its ``tcp://`` address, as a run.yaml
pointing at a real scheduler does; the other starts it from ``local:2``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import coding, ingest
from helpers.coding.distributed import partition_respondents
from helpers.core.errors import ConfigError
from helpers.core.scheduler import DaskSettings
from helpers.pipeline.config import build_config
from helpers.pipeline.errors import RunConfigError

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("codes", "stances", "uncoded", "suggestions")


# Six of transport-7's fourteen documents: two headless letters, a web form, a Word
# document, a dash-numbered text and a two-line e-mail (the rest add time, not cases).
TRANSPORT_FILES = (
    "angry-rambling-letter-pdf.pdf",
    "potholes-letter-odt.odt",
    "commuter-html-form.html",
    "councillor-question-words-docx.docx",
    "q-dash-resident-txt.txt",
    "short-eml.eml",
)


def _ingested(tmp_path: Path, devset: str, files: tuple[str, ...] = ()) -> tuple[Path, Path, Path]:
    base = ROOT / "data" / "evaluation" / devset
    source = base / "responses"
    if files:
        source = tmp_path / "responses"
        source.mkdir()
        for name in files:
            shutil.copy(base / "responses" / name, source / name)
    out = tmp_path / "processed"
    ingest.run_ingest(source, base / "consultation.yaml", out)
    return out, base / "consultation.yaml", base / "codebook.yaml"


def _code_twice(
    tmp_path: Path, devset: str, dask: object, files: tuple[str, ...] = ()
) -> tuple[Path, Path]:
    processed, consultation, codebook = _ingested(tmp_path, devset, files)
    other = tmp_path / "processed-dask"
    shutil.copytree(processed, other)
    coding.run_coding(processed, consultation, codebook)
    coding.run_coding(other, consultation, codebook, dask=dask)
    return processed, other


def _assert_same_bytes(a: Path, b: Path) -> None:
    for name in TABLES:
        left, right = a / f"{name}.parquet", b / f"{name}.parquet"
        assert left.read_bytes() == right.read_bytes(), name


def test_documents_on_a_local_cluster_match_in_process(tmp_path):
    processed, on_dask = _code_twice(
        tmp_path, "transport-7", {"address": "local:2", "partition_rows": 7}, TRANSPORT_FILES
    )
    _assert_same_bytes(processed, on_dask)
    stances = pd.read_parquet(on_dask / "stances.parquet")
    codes = pd.read_parquet(on_dask / "codes.parquet")
    # a real run's worth of work, not two empty tables that trivially match
    assert len(codes) > 20 and stances["stance"].ne("not_answered").sum() >= 5


def test_survey_export_through_a_scheduler_address_matches_in_process(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        processed, on_dask = _code_twice(
            tmp_path,
            "ofsted-survey",
            {"address": cluster.scheduler_address, "partition_rows": 25},
        )
    _assert_same_bytes(processed, on_dask)
    assert pd.read_parquet(on_dask / "stances.parquet")["method"].eq("tick_box").any()


def test_partitions_keep_each_respondent_whole_and_in_order():
    respondents = pd.DataFrame({"respondent_id": ["a", "b", "c", "d", "e"]})
    answers = pd.DataFrame({"respondent_id": list("aaabccccce")})  # d answered nothing
    blocks = partition_respondents(respondents, answers, rows=4)
    flat = [rid for block in blocks for rid in respondents.loc[block, "respondent_id"]]
    assert flat == ["a", "b", "c", "d", "e"]
    # a: 3 answers, + b: 1 -> 4 closes the block; c alone has 5; d and e make the rest
    assert [list(respondents.loc[b, "respondent_id"]) for b in blocks] == [
        ["a", "b"],
        ["c"],
        ["d", "e"],
    ]
    assert partition_respondents(respondents.iloc[:0], answers.iloc[:0], rows=4) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("tcp://10.0.0.5:8786", DaskSettings("tcp://10.0.0.5:8786")),
        ({"address": "local:3", "partition_rows": 500}, DaskSettings("local:3", 500)),
    ],
)
def test_settings_parse(value, expected):
    assert DaskSettings.parse(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"adress": "tcp://x:8786"}, "unknown field(s) ['adress']"),
        ({"partition_rows": 10}, "give the scheduler's address"),
        ({"address": "local:0"}, "positive N"),
        ({"address": "tcp://x:1", "partition_rows": 0}, "positive whole number"),
        (["tcp://x:1"], "must be a mapping"),
    ],
)
def test_bad_settings_say_what_to_fix(value, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        DaskSettings.parse(value)


def test_run_yaml_dask_field_is_validated_and_kept():
    base = {
        "consultation": "consultations/ofsted-ilacs-care-leavers-2022/consultation.yaml",
        "codebook": "consultations/ofsted-ilacs-care-leavers-2022/codebook.yaml",
        "input_dir": "data/raw/ofsted-ilacs-care-leavers-2022",
    }
    config = build_config({**base, "dask": {"address": "tcp://h:8786"}}, where="run.yaml")
    assert config.dask == {"address": "tcp://h:8786", "partition_rows": 20_000}
    assert build_config(base).dask is None
    with pytest.raises(RunConfigError, match="run.yaml: field 'dask'.address"):
        build_config({**base, "dask": {"address": ""}}, where="run.yaml")
