"""Synthesis run once: the POINTS table kept beside the tables, with a fingerprint of its inputs.

Notebook 03 puts the points in its tables (``analysis_tables``) and notebook 04's
``build_report`` prints them ("What respondents said"). Synthesis embeds and
clusters every evidence sentence, which is most of what both stages cost
(issue 15: it ran twice), and it gives the same table from the local inputs and
from the redacted ones (``synthesise`` redacts the sentences before clustering;
redaction is idempotent). So ``write_tables`` keeps the table in
``<output_dir>/tables/points.parquet`` with a fingerprint in ``points.json``, and
``build_report`` reads it back when the fingerprint of its own (local, not yet
redacted) inputs is the same; otherwise it runs synthesis and keeps the result
for the next report.

The fingerprint covers what ``synthesise`` reads: every column of the codes
(quotes included), the respondents' ids, types and organisations (an
individual's own name is redacted in their quotes), the stances' sides, the
consultation, whether the embedding model is installed, the parameters, and the
source of the analysis package, the redaction rules and the embedding module.
Hashing is vectorised (``pandas.util.hash_pandas_object``): linear, and far
cheaper than embedding.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.core import schemas

log = logging.getLogger(__name__)

PARQUET = "points.parquet"
MANIFEST = "points.json"
ATTR = "synthesis_fingerprint"  # set on the POINTS frame analysis_tables returns
_READS = {
    "codes": None,  # every column
    "respondents": ("respondent_id", "respondent_type", "organisation"),
    "stances": ("respondent_id", "question_id", "stance"),
}


def fingerprint(inputs: Any, **params: Any) -> str:
    """A hex digest of everything ``synthesise(inputs, **params)`` reads (module docstring)."""
    h = hashlib.sha256()
    for name, columns in _READS.items():
        frame = getattr(inputs, name)
        cols = [c for c in (columns or frame.columns) if c in frame.columns]
        h.update(f"{name}:{len(frame)}:{cols}:{[str(frame[c].dtype) for c in cols]}".encode())
        if cols and len(frame):
            h.update(pd.util.hash_pandas_object(frame[cols], index=False).to_numpy().tobytes())
    h.update(repr(inputs.consultation).encode())
    h.update(repr(sorted(params.items())).encode())
    h.update(str(importlib.util.find_spec("wordllama") is not None).encode())
    package = resources.files("helpers")
    sources = [
        *sorted((e for e in package.joinpath("analysis").iterdir()), key=lambda p: p.name),
        package.joinpath("core", "redact.py"),
        package.joinpath("core", "embedding.py"),
        package.joinpath("data", "redaction_en.yaml"),
    ]
    for entry in sources:
        if entry.name.endswith((".py", ".yaml")):
            h.update(entry.name.encode() + entry.read_bytes())
    return h.hexdigest()


def save(out_dir: str | Path, points: pd.DataFrame, digest: str | None = None) -> Path | None:
    """Keep ``points`` in ``out_dir/tables`` under ``digest`` (default: the frame's own attr)."""
    digest = digest or points.attrs.get(ATTR)
    if not digest:
        return None
    tdir = Path(out_dir) / "tables"
    tdir.mkdir(parents=True, exist_ok=True)
    points.to_parquet(tdir / PARQUET, index=False)
    (tdir / MANIFEST).write_text(json.dumps({"fingerprint": digest}) + "\n", encoding="utf-8")
    return tdir / PARQUET


def load(out_dir: str | Path, digest: str) -> pd.DataFrame | None:
    """The points kept in ``out_dir/tables`` if they were computed from ``digest``, else None."""
    tdir = Path(out_dir) / "tables"
    try:
        manifest = json.loads((tdir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != digest:
            return None
        points = schemas.conform(pd.read_parquet(tdir / PARQUET), schemas.POINTS)
    except (OSError, ValueError):
        return None
    log.info("synthesis reused: %d points computed from the same data in %s", len(points), tdir)
    return points
