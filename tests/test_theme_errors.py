"""benchmarks.theme_errors: theme errors put down to their cause, on a set built here."""

from __future__ import annotations

import copy

import yaml
from test_devsets import CODEBOOK, _source, _write_set

from benchmarks.theme_errors import main, theme_error_causes
from helpers.validate.devsets import build_set


def _set(tmp_path):
    source = _source("plain", "txt", split="heldout")
    # q3 is about staff; gold also gives it a theme no word of the codebook names.
    source["answers"][2]["themes"] = ["staffing", "opening_hours"]
    set_dir = _write_set(tmp_path, [source])
    codebook = copy.deepcopy(CODEBOOK)
    codebook["themes"].append(
        {"id": "opening_hours", "label": "Opening hours", "description": "When it opens.",
         "patterns": ["evening opening"]}
    )  # fmt: skip
    (set_dir / "codebook.yaml").write_text(yaml.safe_dump(codebook), encoding="utf-8")
    build_set(set_dir)
    return set_dir


def test_causes_and_per_respondent_counts(tmp_path, capsys):
    set_dir = _set(tmp_path)
    got = theme_error_causes(set_dir, "heldout")
    assert got["right"] == 2  # family_time under q1, staffing under q3
    assert got["missed: no pattern"] == 1  # opening_hours: no word of it in the answer
    assert not any(k.startswith("wrong") for k in got)
    assert (got["resp_tp"], got["resp_fp"], got["resp_fn"]) == (2, 0, 1)
    # The dev split of an all-heldout set has nothing to score.
    assert theme_error_causes(set_dir, "dev")["right"] == 0
    assert main(["--root", str(set_dir.parent), "--set", set_dir.name]) == 0
    out = capsys.readouterr().out
    assert "per respondent 1.000 / 0.667 / 0.800" in out and "missed: no pattern" in out
