"""Charts drawn once: a fingerprint of what the charts are drawn from, kept beside them.

Notebook 03 draws every chart (``write_charts``) and notebook 04's ``build_report``
needs the same charts. Drawing is Matplotlib's layout and rasterising, seconds a
chart, so ``build_report`` reuses the files when they were drawn from the same
data. ``charts/charts.json`` records a fingerprint of that data, the formats
written and the files; a chart folder is reused only when the fingerprint is
the same, every file is there and the formats asked for were written.

The fingerprint covers every column of the tables the charts count
(respondents, answers, codes, stances, attributes), the consultation, the
codebook, the breakdowns and the source of the analysis package, except the
respondents' own text (``respondents.text``, quotes, stance evidence, answer
headings), which no chart prints and which redaction changes; for answers only
whether the text is blank is counted (``counting.answered``), so redacted and
local inputs give the same fingerprint. Hashing is vectorised
(``pandas.util.hash_pandas_object``): linear in the rows, and far cheaper than a draw.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from helpers.analysis.inputs import written_answers

log = logging.getLogger(__name__)

MANIFEST = "charts.json"
# Respondents' words: never printed on a chart, changed by redaction (analysis.redaction).
TEXT_COLUMNS = {
    "respondents": ("text",),
    "answers": ("answer_text", "heading_text"),
    "codes": ("quote",),
    "stances": ("evidence", "reservation"),
}
COUNTED = ("respondents", "answers", "codes", "stances", "attributes")


def _frame_digest(h, name: str, frame: pd.DataFrame) -> None:
    # Whether an answer is written is hashed below whether or not it was a column.
    skip = {*TEXT_COLUMNS.get(name, ()), *(("written",) if name == "answers" else ())}
    cols = [c for c in frame.columns if c not in skip]
    h.update(f"{name}:{len(frame)}:{cols}:{[str(frame[c].dtype) for c in cols]}".encode())
    if cols and len(frame):
        h.update(pd.util.hash_pandas_object(frame[cols], index=False).to_numpy().tobytes())
    if name == "answers" and {"answer_text", "written"} & set(frame.columns) and len(frame):
        blank = ~written_answers(frame)
        h.update(blank.to_numpy().tobytes())


def _source_digest(h) -> None:
    package = resources.files("helpers.analysis")
    for entry in sorted(package.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".py"):
            h.update(entry.name.encode() + entry.read_bytes())


def fingerprint(inputs, breakdowns: Sequence[str]) -> str:
    """A hex digest of everything the charts are drawn from (see the module docstring)."""
    h = hashlib.sha256()
    for name in COUNTED:
        frame = getattr(inputs, name, None)
        if isinstance(frame, pd.DataFrame):
            _frame_digest(h, name, frame)
    h.update(repr(inputs.consultation).encode())
    h.update(repr(inputs.codebook).encode())
    h.update(repr(tuple(breakdowns)).encode())
    _source_digest(h)
    return h.hexdigest()


def reusable(cdir: Path, digest: str, formats: Sequence[str]) -> dict[str, Path] | None:
    """The charts in ``cdir`` (key -> PNG path) if drawn from ``digest`` in ``formats``, else None."""
    try:
        manifest = json.loads((cdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("fingerprint") != digest or not set(formats) <= set(
        manifest.get("formats", ())
    ):
        return None
    charts = {key: cdir / name for key, name in manifest.get("charts", {}).items()}
    if not all(p.with_suffix(f".{f}").exists() for p in charts.values() for f in formats):
        return None
    log.info("charts reused: %d drawn from the same data in %s", len(charts), cdir)
    return charts


def record(cdir: Path, digest: str, formats: Sequence[str], charts: dict[str, Path]) -> None:
    """Write ``charts.json``: the fingerprint, the formats and each chart's PNG file name."""
    manifest = {
        "fingerprint": digest,
        "formats": list(formats),
        "charts": {key: Path(p).name for key, p in charts.items()},
    }
    cdir.mkdir(parents=True, exist_ok=True)
    (cdir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
