"""Publishing: the executed report notebook to ``report.html`` and ``report.pdf``.

``publish`` turns the executed 04 notebook into a self-contained
``report.html`` (nbconvert, no code, no prompts, print-friendly CSS, the page
from ``templates/page.html.j2``) and renders ``report.pdf`` from the same HTML
with WeasyPrint (A4, 'Page N of M'). ``show_report`` displays a report
fragment in the notebook with its stylesheet (``templates/notebook.html.j2``).
"""

from __future__ import annotations

import copy
import html
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from helpers.report import templating
from helpers.report.bidi import strip_bidi
from helpers.report.pdf import write_pdf

log = logging.getLogger(__name__)

PAGE_TEMPLATE = "page.html.j2"
NOTEBOOK_TEMPLATE = "notebook.html.j2"
KEEP_MIMES = ("text/html", "image/png", "image/svg+xml")


def render_html(body: str, title: str, templates_dir: str | Path | None = None) -> str:
    """A complete, self-contained HTML document around a report fragment, with the report CSS."""
    return templating.render(
        PAGE_TEMPLATE,
        templates_dir,
        title=title,
        css=templating.stylesheet(page=True, templates_dir=templates_dir),
        # Marked safe: the body is markup this package produced (the report fragment from
        # build_report, already escaped, wrapped by nbconvert), not respondent text. Other
        # notebook outputs may print respondent text too: bidi controls go from all of it.
        body=Markup(strip_bidi(body)),
    )


def show_report(html_fragment: str, templates_dir: str | Path | None = None) -> Any:
    """An IPython HTML object for the notebook: the fragment plus its stylesheet."""
    from IPython.display import HTML

    page = templating.render(
        NOTEBOOK_TEMPLATE,
        templates_dir,
        css=templating.stylesheet(templates_dir=templates_dir),
        # Marked safe: the fragment is build_report's output, whose text is escaped already.
        report=Markup(html_fragment),
    )
    return HTML(page)


def report_outputs_only(nb: Any) -> Any:
    """A copy of the notebook keeping only rich HTML/image outputs of code cells.

    Logs, warnings and plain-text reprs are working output for the analyst, not
    the report, so they are dropped before export.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "execute_result"):
                data = out.get("data", {})
                if any(m in data for m in KEEP_MIMES):
                    out["data"] = {m: v for m, v in data.items() if m in KEEP_MIMES}
                    kept.append(out)
        cell["outputs"] = kept
    return nb


def notebook_title(nb: Any) -> str:
    """The first <h1> text in the notebook's HTML outputs, else 'Consultation report'."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            h = out.get("data", {}).get("text/html")
            if h:
                text = "".join(h) if isinstance(h, list) else h
                m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
                if m:
                    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return "Consultation report"


def notebook_to_html(executed_notebook: str | Path, templates_dir: str | Path | None = None) -> str:
    """Convert an executed report notebook to one self-contained HTML page (no code, no prompts)."""
    import nbformat
    from nbconvert import HTMLExporter

    path = Path(executed_notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{path}: executed report notebook not found (run 04_report first)"
        ) from exc
    nb = report_outputs_only(nb)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return render_html(body, notebook_title(nb), templates_dir)


def publish(
    executed_notebook: Path,
    out_dir: Path,
    templates_dir: str | Path | None = None,
    formats: Sequence[str] = ("html", "pdf"),
) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.pdf`` in ``out_dir`` from the executed 04 notebook.

    The PDF is rendered only when ``formats`` asks for it (WeasyPrint is the slowest
    step of a run); the HTML is always written, being what the PDF is made from.
    Returns both paths; the PDF's does not exist when it was not asked for.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = notebook_to_html(executed_notebook, templates_dir)
    html_path = out_dir / "report.html"
    html_path.write_text(page, encoding="utf-8")
    log.info("wrote %s", html_path)
    pdf_path = out_dir / "report.pdf"
    if "pdf" in formats:
        write_pdf(page, pdf_path, base_url=out_dir)
    return html_path, pdf_path
