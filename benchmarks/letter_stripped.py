"""Real headed documents with their headings taken out: letters whose labels are known.

Issue 12, session 20: ``seg_perturb``'s ``no_headings`` re-rendering writes a respondent's
gold answers as bare paragraphs in question order, with a stock preamble and sign-off.
Real letters are not like that: they keep the writer's own opening, their own order, an
"about us" paragraph, a sign-off. A spent HEADED document, with only its heading lines
taken out, is such a letter, and its gold says which question each paragraph answers.

:func:`stripped_text` removes from a document's text (as ingest read it) every stretch
outside the gold answers that lies between two answers (headings, quoted question text,
numbering), the part of the line before the first answer that is not in it ("Q1:"), and,
before the first answer, the one short line directly above it (its heading) and any
heading the rules found there (the rules-only tables' ``heading_start`` /
``heading_text``). The answers' own text is kept exactly as written, and so is the
rest of the preamble and everything after the last answer (sign-off, signature).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from helpers.validate.devsets.goldview import GoldResponse
from helpers.validate.devsets.locate import Skeleton, locate

__all__ = ["answer_spans", "stripped_text"]

_CLOSING = ".!?…)]\"'’”%"
MAX_HEADING_WORDS = 30  # a line directly above the first answer longer than this is prose


def answer_spans(text: str, rec: GoldResponse) -> list[tuple[int, int]]:
    """Character spans of the record's answers in ``text``, in document order (answers
    not found are skipped)."""
    doc = Skeleton(text)
    spans = []
    after = 0
    for a in rec.answers:
        if not a.text.strip():
            continue
        loc = locate(a.text, doc, after)
        if loc.range is None:
            continue
        after = loc.range[1]
        s, e = doc.span_of(loc.range)
        while e < len(text) and text[e] in _CLOSING:  # the skeleton ends at a letter
            e += 1
        spans.append((s, e))
    return sorted(spans)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def stripped_text(
    text: str, spans: list[tuple[int, int]], headings: Iterable[tuple[int, int]] = ()
) -> str | None:
    """``text`` without its headings (module docstring); None with fewer than two spans or
    overlapping ones."""
    spans = sorted(spans)
    if len(spans) < 2 or any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False)):
        return None
    first = spans[0][0]
    cut = _line_start(text, first)  # "Q1: Yes, ..." loses "Q1: "
    prev = text[:cut].rstrip()
    above = _line_start(prev, len(prev))
    if len(prev[above:].split()) <= MAX_HEADING_WORDS:
        cut = above
    for hs, he in headings:
        if he <= first and hs < cut:
            # a heading the rules found in the preamble: drop it and everything after it
            cut = min(cut, _line_start(text, hs))
    pieces = [text[:cut].rstrip()]
    for i, (s, e) in enumerate(spans):
        end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        pieces.append(text[s:e].strip())
        if i + 1 == len(spans):
            pieces.append(text[e:end].strip())
    out = "\n\n".join(p for p in pieces if p)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"
