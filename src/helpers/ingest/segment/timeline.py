"""Time-stamped section headings: a document told as a timeline (issue 12, session 28).

Why: some respondents tell their answer as a day or a recording, and head each section with a
clock time, alone or before the section's own words: "6.40am", "7.00am – the camera switches
on", "12.30pm – lunchtime on Orchard Road", a podcast's "03:20 Should leaving care get its own
grade?". ``passages.heading_line`` takes a line that opens with a digit for a list item or an
address line ("2) ...", "14 Mill Lane"), so no section opened at these lines: the joint reading
saw one section (or none) and the answers stayed in the preamble or unstructured (spent batches
26, 28 and 30: transport-26, transport-28, ofsted-docs-30; 12 right-question misses in the
session-28 census, 9 of them recovered, none lost: docs/segmentation.md).

Rule (shape only, no words): a paragraph whose first line is a clock time ("6.40am", "9pm",
"19:10"), alone or followed by a heading in the respondent's own words
(``passages.heading_line``: short, no closing full stop), opens a section, when at least two
paragraphs of the text open so (a running timeline, as ``passages`` reads repeated "Re:"
leads). A single time-led line is a sentence's or a list's, and is left alone. Only the joint
reading's sections use this (``joint._sections``); the earlier heading rules are unchanged.
"""

from __future__ import annotations

import re

from helpers.ingest.segment.passages import heading_line

# A clock time at a paragraph's start: "6.40am", "7.00 pm", "12.30p.m.", "9pm", "03:20",
# "19:10", "24:30". With a dot, or without minutes, it needs "am" / "pm": "2.10 Parking" is a
# section number.
_TIME = re.compile(
    r"[ \t]*(?:\d{1,2}(?:[.:][0-5]\d)?[ \t]*[ap]\.?m\.?|\d{1,2}:[0-5]\d)(?![\w.:])", re.I
)
_DASH = re.compile(r"^[ \t]*[–—-]+[ \t]*")
MIN_STAMPS = 2


def _stamped(line: str) -> bool:
    """Whether ``line`` is a clock time, alone or before a heading of the respondent's own."""
    m = _TIME.match(line)
    if m is None:
        return False
    rest = _DASH.sub("", line[m.end() :]).strip()
    return not rest or heading_line(rest)


def stamp_starts(text: str, stop: int) -> dict[int, int]:
    """{heading line start: body start} of each time-stamped heading before ``stop``, or {}
    when fewer than ``MIN_STAMPS`` paragraphs open with one."""
    found: dict[int, int] = {}
    for m in re.finditer(r"(?:^|\n[ \t]*\n)", text[:stop]):
        a = m.end()
        while a < stop and text[a] == "\n":
            a += 1
        nl = text.find("\n", a, stop)
        if nl == -1 or not _stamped(text[a:nl]):
            continue
        b = nl + 1
        while b < stop and text[b].isspace():
            b += 1
        if b < stop:
            found[a] = b
    return found if len(found) >= MIN_STAMPS else {}
