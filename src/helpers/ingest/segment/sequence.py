"""Section headings written as sentences in discussion order: "First, who we are.".

Why (session 20, issue 12; ofsted-docs-22): a respondent writing plain text heads each
section with a short sentence that opens with a sequence word: "First, who we are.",
"Secondly, on the proposal itself.", "Thirdly, on what good looks like.", "Fourthly,
on the timing.", "Lastly, a word on faith and belonging.". Such a line ends in a full
stop, so it read as a sentence (an answer's words, never a heading), and the whole
response fell to the letter rules. Its ordinal counts the respondent's sections, not
the consultation's questions ("First, who we are." is the profile answer, and
"Fourthly, on the timing." answers question 3): the number is no evidence; the words
after the sequence word are the heading's.

The rule (``mark_sequence_headings``): three or more lines of the document, each a
paragraph of its own (at most ``_MAX_WORDS`` words, a longer paragraph after it),
opening with a sequence word ("First", "Secondly", "Next", "Lastly"; generic words in
``heading_words.yaml``) and a comma, colon or dash, the ordinals among them rising
and at least two different ones, a final word ("Lastly") only last. Each such line
becomes a styled heading (``cue = "sequence"``) whose words start after the sequence
word, so it is scored like a bold own-words heading, and the document is read as
sections (``sections``, ``joint``) like any document headed in the respondent's own
words. One "First, …" sentence inside a letter is never a heading.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from helpers.ingest.segment.candidate import Candidate

SEQUENCE_CUE = "sequence"
_MIN_LINES = 3
_MAX_WORDS = 10  # the whole line, sequence word included
_FINAL = 10**6


@cache
def _words() -> tuple[re.Pattern[str], dict[str, int]]:
    raw = yaml.safe_load(
        resources.files("helpers").joinpath("data", "heading_words.yaml").read_text("utf-8")
    )
    rank: dict[str, int] = {}
    for word, n in raw["ordinals"].items():
        rank[word.lower()] = int(n)
        rank[word.lower() + "ly"] = int(n)
    for word in raw["sequence_words"]["middle"]:
        rank[str(word).lower()] = 0
    for word in raw["sequence_words"]["final"]:
        rank[str(word).lower()] = _FINAL
    alt = "|".join(sorted((re.escape(w) for w in rank), key=len, reverse=True))
    return re.compile(rf"[ \t]*(?P<w>{alt})[ \t]*[,:\-–—][ \t]*(?=\S)", re.I), rank


def _sequence_start(text: str, c: Candidate) -> tuple[int, int] | None:
    """(rank, where the heading's words start) when the line opens with a sequence word."""
    if c.numbering is not None or c.cue is not None or c.start != c.line_start:
        return None
    seq_re, rank = _words()
    m = seq_re.match(text, c.line_start, c.line_end)
    if not m or len(text[c.line_start : c.line_end].split()) > _MAX_WORDS:
        return None
    return rank[" ".join(m.group("w").lower().split())], m.end()


def _paragraph_alone(text: str, c: Candidate, nxt: Candidate | None) -> bool:
    """A line between blank lines (or first in the text), followed by a longer paragraph."""
    before = text[: c.line_start]
    if before.strip() and not _BLANK_BEFORE.search(before):
        return False
    if nxt is None or not _BLANK_AFTER.match(text, c.line_end, nxt.line_start):
        return False
    return len(nxt.plain_text.split()) > len(text[c.line_start : c.line_end].split())


_BLANK_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")
_BLANK_AFTER = re.compile(r"[ \t]*\n[ \t]*\n")


def mark_sequence_headings(text: str, raw: list[Candidate]) -> None:
    """Make a document's run of sequence-word section lines styled headings (docstring)."""
    found: list[tuple[Candidate, int, int]] = []
    for i, c in enumerate(raw):
        hit = _sequence_start(text, c)
        if hit and _paragraph_alone(text, c, raw[i + 1] if i + 1 < len(raw) else None):
            found.append((c, *hit))
    if len(found) < _MIN_LINES:
        return
    ranks = [r for _, r, _ in found]
    numbered = [r for r in ranks if 0 < r < _FINAL]
    if len(set(numbered)) < 2 or any(a >= b for a, b in zip(numbered, numbered[1:], strict=False)):
        return
    if any(r == _FINAL for r in ranks[:-1]) or ranks[0] == 0:
        return
    for c, _r, rest in found:
        c.cue, c.rest, c.end = SEQUENCE_CUE, rest, c.line_end
        c.plain_text = text[rest : c.line_end]
