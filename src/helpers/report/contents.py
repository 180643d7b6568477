"""The report's contents list, read from the sections of the rendered report.

The contents are never a hand-kept list: :func:`build_report` renders the
report once, :func:`section_headings` reads every ``<section id="…">`` and the
text of its ``<h2>`` heading (the sections' own headings, in document order,
whatever sections a consultation produces), and the report is rendered again
with that list in ``templates/sections/contents.html.j2``. In the PDF each
entry gets its page number from CSS (``target-counter(attr(href), page)`` in
``report.css``), so the numbers are the pages WeasyPrint actually put the
sections on. A section without an id (or without an ``<h2>``) is not listed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

LISTED = "h2"  # the heading level a listed section is named by


class _Sections(HTMLParser):
    """Collects (id, heading text) of each ``<section id>`` with an ``<h2>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []
        self._section: str | None = None  # id of a section whose heading is still to come
        self._text: list[str] | None = None  # the heading's text, while inside it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section = dict(attrs).get("id") or None
        elif tag == LISTED and self._section is not None:
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == LISTED and self._text is not None and self._section is not None:
            text = re.sub(r"\s+", " ", "".join(self._text)).strip()
            self.found.append({"id": self._section, "text": text})
            self._section, self._text = None, None


def section_headings(html_text: str) -> list[dict[str, str]]:
    """``[{"id": "method", "text": "Method"}, …]``: each section with an id, in order."""
    parser = _Sections()
    parser.feed(html_text)
    parser.close()
    return parser.found
