"""``explorer.html``: one self-contained page to share, where a reader filters, reads quotes and searches.

The page needs no server and no network: its stylesheet and script are the
package's own files (``templates/explorer.css``, ``templates/explorer.js``,
small vanilla JavaScript, no library), inlined by ``templates/explorer.html.j2``,
and its data is one JSON document in a ``<script type="application/json">``
element, built by :mod:`helpers.report.explorer_data` (counts per cell and a
bounded, redacted sample of quotes, so 100,000 respondents stay a few MB).

Respondent text is untrusted twice over here: it sits inside a ``<script>``
element, where HTML escaping does not apply, and the script puts it on the
page. So :func:`script_json` escapes ``<``, ``>`` and ``&`` (and the two
JavaScript line separators) as ``\\uXXXX`` inside the JSON, so no answer can
close the element (``</script>``) or open a comment (``<!--``); and the script
only ever sets ``textContent``, never ``innerHTML``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup

from helpers.analysis import AnalysisInputs
from helpers.core.redact import write_log
from helpers.report import templating
from helpers.report.explorer_data import SampleLimits, explorer_data

log = logging.getLogger(__name__)

EXPLORER_TEMPLATE = "explorer.html.j2"
EXPLORER_FILE = "explorer.html"

# Characters that could end a <script> element or start an HTML comment, or end a line in
# older JavaScript, written as JSON escapes (the parsed strings are unchanged).
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(data: Any) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    ``json.dumps`` escapes quotes and backslashes; the characters in
    ``_SCRIPT_ESCAPES`` are then written as ``\\uXXXX``, which JSON.parse reads
    back as the same characters. Marked safe: after this, no sequence in it can
    end the element.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


def render_explorer(
    data: dict[str, Any], templates_dir: str | Path | None = None, generated: str | None = None
) -> str:
    """The explorer page for ``data`` (from ``explorer_data``)."""
    return templating.render(
        EXPLORER_TEMPLATE,
        templates_dir,
        title=data["title"],
        generated=generated or dt.date.today().isoformat(),
        n_respondents=data["n_respondents"],
        sample=data["sample"],
        # Marked safe: the package's own stylesheet and script, not respondent text.
        css=Markup(templating.source("explorer.css", templates_dir)),
        script=Markup(templating.source("explorer.js", templates_dir)),
        data=script_json(data),
    )


def write_explorer(
    inputs: AnalysisInputs,
    out_dir: str | Path,
    title: str | None = None,
    templates_dir: str | Path | None = None,
    limits: SampleLimits | None = None,
) -> Path:
    """Write ``out_dir/explorer.html`` from the run's inputs; return its path.

    What the sample's redaction replaced is logged (kind and place, never the
    value) in ``out_dir/redaction_log.csv`` under the source ``explorer``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data, redactions = explorer_data(inputs, title or inputs.consultation.title, limits)
    write_log(redactions, out_dir, "explorer")
    path = out_dir / EXPLORER_FILE
    path.write_text(render_explorer(data, templates_dir), encoding="utf-8")
    log.info(
        "wrote %s (%d respondents, %d cells, %d quotes, at most %d a cell)",
        path.name,
        data["n_respondents"],
        len(data["counts"]["n"]),
        data["sample"]["n_quotes"],
        data["sample"]["per_cell"],
    )
    return path
