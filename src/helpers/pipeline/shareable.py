"""The run folder's executed notebooks made shareable: personal data out of their outputs.

The notebooks are saved with their outputs (previews of answers, tables,
warnings, the report's HTML) so a reader can see how each number was made.
Those outputs print respondents' words, so every text output is passed
through the redaction rules (:func:`helpers.core.redact.redact`) before the
run folder is sealed: stream text, ``text/plain``, ``text/markdown``,
``text/html`` (text between tags only: attributes, such as a chart's
base64 image, and the package's own ``<style>``/``<script>`` are left as they are) and error messages. What was replaced is
logged in ``redaction_log.csv`` (source ``notebooks``, the notebook as the
table; kind and count, never the value). The unredacted notebooks are never
written anywhere else.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.core.redact import LOG_COLUMNS, redact, write_log

__all__ = ["redact_notebook", "redact_notebooks"]

log = logging.getLogger(__name__)

TEXT_MIMES = ("text/plain", "text/markdown", "text/html")
_TAG_RE = re.compile(r"(<[^>]*>)")
# Style sheets and scripts are the package's, not respondents' ("@page", "#f3f7fb").
_CODE_RE = re.compile(r"(<(style|script)\b.*?</\2\s*>)", re.S | re.I)


def _redact_text(text: str, html: bool, kinds: Counter) -> str:
    if html:
        out = []
        for k, chunk in enumerate(_CODE_RE.split(text)):
            if k % 3:  # a <style>/<script> element (k % 3 == 1), or its tag name (== 2)
                out.append(chunk if k % 3 == 1 else "")
                continue
            parts = _TAG_RE.split(chunk)
            # Odd parts are tags: their attributes (image data, links' targets) stay.
            out += [p if i % 2 else _redact_text(p, False, kinds) for i, p in enumerate(parts)]
        return "".join(out)
    red, findings = redact(text)
    kinds.update(kind for kind, _s, _e in findings)
    return red


def _redact_field(value: str | list[str], html: bool, kinds: Counter) -> str | list[str]:
    text = "".join(value) if isinstance(value, list) else value
    red = _redact_text(text, html, kinds)
    if red == text:
        return value
    return red.splitlines(keepends=True) if isinstance(value, list) else red


def redact_notebook(path: str | Path) -> Counter:
    """Redact one executed notebook's outputs in place; the kinds replaced, counted."""
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    kinds: Counter = Counter()
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if "text" in out:  # stream output
                out["text"] = _redact_field(out["text"], False, kinds)
            data = out.get("data", {})
            for mime in TEXT_MIMES:
                if mime in data:
                    data[mime] = _redact_field(data[mime], mime == "text/html", kinds)
            if out.get("output_type") == "error":
                out["evalue"] = _redact_text(out.get("evalue", ""), False, kinds)
                out["traceback"] = [_redact_text(t, False, kinds) for t in out.get("traceback", [])]
    if kinds:
        nbformat.write(nb, path)
    return kinds


def redact_notebooks(run_dir: str | Path, names: Sequence[str]) -> pd.DataFrame:
    """Redact the executed notebooks ``names`` in ``run_dir``; log what was replaced."""
    run_dir = Path(run_dir)
    rows = []
    for name in names:
        path = run_dir / name
        if not path.is_file():
            continue
        for kind, n in sorted(redact_notebook(path).items()):
            rows.append(("notebooks", name, kind, "", "", n))
    table = pd.DataFrame(rows, columns=LOG_COLUMNS)
    write_log(table, run_dir, "notebooks")
    if rows:
        log.info(
            "redacted %d personal-data item(s) in the executed notebooks", table["count"].sum()
        )
    return table
