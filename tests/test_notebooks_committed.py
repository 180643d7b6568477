"""The committed notebooks: narrative files without outputs, valid for today's nbformat.

Notebooks are committed without outputs (the run folder holds executed
copies); each has a ``parameters`` cell papermill can inject into, and every
cell has an id (nbformat warns today and will refuse such files later).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_with_ids_and_parameters(path: Path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert all("id" in c for c in raw["cells"]), "cells without an id: run nbformat's normalize()"
    assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in code)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
