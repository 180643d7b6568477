"""The report as an A4 PDF, rendered from its HTML with WeasyPrint.

Page size, margins and the 'Page N of M' footer come from the ``@page`` rules
in ``templates/report.css``, so the PDF is restyled with the HTML.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def write_pdf(html_text: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Render HTML to an A4 PDF with WeasyPrint (page rules come from the report CSS)."""
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; they are harmless here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf_path = Path(pdf_path)
    HTML(string=html_text, base_url=str(base_url or pdf_path.parent)).write_pdf(pdf_path)
    log.info("wrote %s", pdf_path)
    return pdf_path
