"""OpenDocument text ``.odt`` drawn from blocks, the ODF zip and XML written by hand.

A minimal valid package, as LibreOffice would accept it: ``mimetype``
(stored, first), ``META-INF/manifest.xml``, ``content.xml``, ``styles.xml``
and ``meta.xml`` with fixed dates, every zip entry stamped at one fixed time,
so the same source gives the same bytes.

- Headings by ``style``: ``heading`` (``text:h`` at outline level 2, the
  default), ``bold`` (a ``text:p`` whose text is in a bold span) or ``plain``.
- Forms: a two-column ``table:table`` (question | answer); a closed question's
  answer cell lists the five options with ☒/☐ (or "X" after the chosen one).
- A line break inside a paragraph is ``text:line-break``; runs of spaces are
  ``text:s``, as ODF requires.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from helpers.validate.devsets.layout import Block, option_lines
from helpers.validate.devsets.render_docx import FIXED_TIME

__all__ = ["render_odt"]

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">\n'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>\n'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>\n'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>\n'
    "</manifest:manifest>\n"
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NS}><office:styles>'
    '<style:style style:name="Standard" style:family="paragraph"/>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" '
    'style:parent-style-name="Standard" style:default-outline-level="2">'
    '<style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>'
    "</office:styles></office:document-styles>\n"
)
_AUTO = (
    "<office:automatic-styles>"
    '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
    "</office:automatic-styles>"
)
_SPACES = re.compile(r"  +")


def _inline(text: str) -> str:
    """ODF inline markup for ``text``: escaped, line breaks and space runs as elements."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<text:line-break/>")
        esc = escape(line)
        out.append(_SPACES.sub(lambda m: f' <text:s text:c="{len(m.group(0)) - 1}"/>', esc))
    return "".join(out)


def _p(text: str, bold: bool = False) -> str:
    body = _inline(text)
    if bold:
        body = f'<text:span text:style-name="T1">{body}</text:span>'
    return f'<text:p text:style-name="Standard">{body}</text:p>'


def _meta() -> str:
    when = FIXED_TIME.isoformat()
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NS}><office:meta>'
        f"<meta:generator>helpers.validate.devsets</meta:generator>"
        f"<meta:creation-date>{when}</meta:creation-date><dc:date>{when}</dc:date>"
        "<dc:title>Consultation response</dc:title></office:meta></office:document-meta>\n"
    )


def render_odt(blocks: list[Block], style: str | None = None, tick_style: str = "box") -> bytes:
    style = style or "heading"
    body: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            if style == "heading":
                body.append(
                    '<text:h text:style-name="Heading_20_2" text:outline-level="2">'
                    f"{_inline(b.text)}</text:h>"
                )
            else:
                body.append(_p(b.text, bold=style == "bold"))
        elif b.kind == "para":
            body.append(_p(b.text))
        else:
            rows = []
            for row in b.rows:
                answer = [_p(x) for x in option_lines(row, tick_style) + list(row.paragraphs)]
                rows.append(
                    "<table:table-row>"
                    f'<table:table-cell office:value-type="string">{_p(row.label, bold=True)}</table:table-cell>'
                    f'<table:table-cell office:value-type="string">{"".join(answer) or _p("")}</table:table-cell>'
                    "</table:table-row>"
                )
            body.append(
                '<table:table table:name="Form"><table:table-column table:number-columns-repeated="2"/>'
                + "".join(rows)
                + "</table:table>"
            )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS}>{_AUTO}'
        "<office:body><office:text>" + "\n".join(body) + "</office:text></office:body>"
        "</office:document-content>\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in (
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("META-INF/manifest.xml", _MANIFEST),
            ("content.xml", content),
            ("styles.xml", _STYLES),
            ("meta.xml", _meta()),
        ):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8"))
    return out.getvalue()
