"""The report as an A4 PDF, rendered from its HTML with WeasyPrint.

Page size, margins and the 'Page N of M' footer come from the ``@page`` rules
in ``templates/report.css``, so the PDF is restyled with the HTML.

The PDF is accessible: written as PDF/UA-1 (WeasyPrint's ``pdf/ua-1``
variant), so it is tagged (headings, paragraphs, lists, tables with their
header cells, figures with their alternative text, in reading order), carries
the document's language (``<html lang>``) and title (``<title>``, shown by
viewers instead of the file name) and names PDF/UA in its XMP metadata;
bookmarks follow the headings (``bookmark-level`` in the CSS).
:func:`helpers.report.pdfcheck.check_pdf` checks a written PDF for these.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged, /Lang, title shown, pdfuaid:part=1 in the XMP metadata


def write_pdf(
    html_text: str,
    pdf_path: str | Path,
    base_url: str | Path | None = None,
    variant: str | None = PDF_VARIANT,
) -> Path:
    """Render HTML to an A4 PDF with WeasyPrint (page rules come from the report CSS).

    ``variant``: WeasyPrint's PDF variant, PDF/UA-1 by default; None writes a
    plain, untagged PDF.
    """
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; they are harmless here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf_path = Path(pdf_path)
    HTML(string=html_text, base_url=str(base_url or pdf_path.parent)).write_pdf(
        pdf_path, pdf_variant=variant
    )
    log.info("wrote %s", pdf_path)
    return pdf_path
