"""The report's contents list, read from the headings of the rendered report.

The contents are never a hand-kept list: :func:`build_report` renders the
report once, :func:`section_headings` reads every ``<h2 id="…">`` from it (the
sections' own headings, in document order, whatever sections a consultation
produces), and the report is rendered again with that list in
``templates/sections/contents.html.j2``. In the PDF each entry gets its page
number from CSS (``target-counter(attr(href), page)`` in ``report.css``), so
the numbers are where WeasyPrint actually placed the headings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CONTENTS_ID = "contents-heading"  # the contents' own heading is not listed in itself
LISTED = "h2"  # the level listed: the report's sections


class _Headings(HTMLParser):
    """Collects (id, text) of each listed heading that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == LISTED:
            anchor = dict(attrs).get("id")
            self._open = {"id": anchor} if anchor and anchor != CONTENTS_ID else None
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == LISTED and self._open is not None:
            self._open["text"] = re.sub(r"\s+", " ", "".join(self._text)).strip()
            self.found.append(self._open)
            self._open = None


def section_headings(html_text: str) -> list[dict[str, str]]:
    """``[{"id": "method", "text": "Method"}, …]``: every ``<h2>`` with an id, in order."""
    parser = _Headings()
    parser.feed(html_text)
    parser.close()
    return parser.found
