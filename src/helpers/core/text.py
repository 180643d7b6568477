"""Small span helpers shared by the readers and the coder.

Spans are ``(start, end)`` character offsets into a response's text; keeping
offsets (rather than stripped copies of the text) lets every stage point back
at the exact words a respondent wrote.
"""

from __future__ import annotations


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past whitespace at both ends; ``start == end`` if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
