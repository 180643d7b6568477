"""Small text helpers shared by the readers, the coder and stance: spans and stopwords.

Spans are ``(start, end)`` character offsets into a response's text; keeping
offsets (rather than stripped copies of the text) lets every stage point back
at the exact words a respondent wrote.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def stopwords() -> frozenset[str]:
    """The package's English stopwords (``helpers/data/stopwords_en.txt``; '#' starts a comment)."""
    text = resources.files("helpers").joinpath("data", "stopwords_en.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past whitespace at both ends; ``start == end`` if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
