"""Warnings for the researcher after segmentation: unmatched headings, and references.

Two things segmentation does not act on but a researcher must see:

- **Unmatched headings.** A line shaped like a heading (numbered, bold or a
  Word heading, or a line of its own ending in '?'; ``shapes.heading_shape``) that
  no question was assigned to stays inside the answer it falls in. The row
  gets ``unmatched heading: "<text>"`` and the file one log warning listing
  them, so the researcher can add the wording to a question's ``aliases`` in
  consultation.yaml. Title lines of the preamble are not reported (every
  response has a title), except numbered ones.
- **References to another question.** A paragraph inside an answer that
  opens by naming another question ("On question 3, we…", "Regarding the
  timing question, …") may answer that question. The text is not moved (only
  a heading moves text); the row's warning names the question.

Both are linear in the document's length: candidates and paragraphs are
placed in rows by bisection.
"""

from __future__ import annotations

import bisect
import logging
import re

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment.assign import Heading
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.numbering import heading_words, read_numbering
from helpers.ingest.segment.similarity import all_stems, stems

log = logging.getLogger(__name__)

_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")
_NAMED_QUESTION_RE = re.compile(r"the\s+((?:[\w'’-]+\s+){1,4}?)questions?\b", re.I)
_QUOTE_CHARS = 60
_LISTED = 10  # unmatched headings named per row and per log message; the rest counted


def _add(row: dict, warning: str) -> None:
    row["warning"] = f"{row['warning']}; {warning}" if row["warning"] else warning


def _row_at(rows: list[dict], starts: list[int], pos: int) -> dict | None:
    """The row whose answer text contains ``pos`` (not its heading), if any."""
    k = bisect.bisect_right(starts, pos) - 1
    if k < 0:
        return None
    r = rows[k]
    return r if r["start"] <= pos < r["end"] else None


def note_unmatched(
    text: str,
    cands: list[Candidate],
    headings: list[Heading],
    rows: list[dict],
    source_file: str,
) -> list[str]:
    """Add ``unmatched heading: "..."`` to the rows holding unassigned heading-shaped lines.

    Returns the headings' texts, and logs one warning for the file.
    """
    used = {id(h.cand) for h in headings}
    starts = [r["start"] for r in rows]
    found: list[str] = []
    per_row: dict[int, int] = {}
    for c in cands:
        if id(c) in used or not (c.shape in ("numbered", "styled", "question") or c.unknown_number):
            continue
        row = _row_at(rows, starts, c.line_start)
        if row is None or row["question_id"] == schemas.CLOSING:
            continue
        if row["question_id"] == schemas.PREAMBLE and c.shape != "numbered":
            continue
        heading = text[c.line_start : c.line_end].strip(" \t*_#>")[:80]
        found.append(heading)
        k = per_row[id(row)] = per_row.get(id(row), 0) + 1
        if k > _LISTED:
            continue  # counted below
        w = f'unmatched heading: "{heading}"'
        if c.unknown_number:
            w += (
                f" (number {c.number} is not a question in this consultation; "
                "kept inside this answer)"
            )
        _add(row, w)
    for row in rows:
        extra = per_row.get(id(row), 0) - _LISTED
        if extra > 0:
            _add(row, f"and {extra} more unmatched headings")
    if found:
        listed = "; ".join(f'"{h}"' for h in found[:_LISTED])
        if len(found) > _LISTED:
            listed += f" and {len(found) - _LISTED} more"
        log.warning(
            "%s: %d heading(s) matched no question and were kept inside the answer "
            "they fall in: %s. If one answers a question, add its wording to that "
            "question's aliases in the consultation file.",
            source_file,
            len(found),
            listed,
        )
    return found


def _named_question(phrase: str, questions: tuple[Question, ...]) -> int | None:
    """The one question whose words ("timing") a phrase uses, if exactly one fits best."""
    hs = stems(phrase)
    if not hs:
        return None
    scores = []
    for q in questions:
        scores.append(len(hs & all_stems(q)))
    best = max(scores, default=0)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best)


def _reference(text: str, pos: int, questions: tuple[Question, ...]) -> int | None:
    """The question a paragraph starting at ``pos`` opens by naming, if any."""
    words = heading_words()
    line_end = text.find("\n", pos)
    end = len(text) if line_end == -1 else line_end
    lead = words.reference_re.match(text, pos, end)
    if lead is None:
        return None
    n = read_numbering(text, lead.end(), end)
    if n is not None and n.kind == "q":
        return next((j for j, q in enumerate(questions) if q.number == n.number), None)
    m = _NAMED_QUESTION_RE.match(text, lead.end(), end)
    if m:
        return _named_question(m.group(1), questions)
    return None


def note_references(text: str, rows: list[dict], questions: tuple[Question, ...]) -> None:
    """Warn where a paragraph of an answer opens by naming another question."""
    for row in rows:
        if row["question_id"] == schemas.CLOSING or row["end"] <= row["start"]:
            continue
        paragraph_starts = [row["start"]]
        paragraph_starts += [
            m.end() for m in _PARAGRAPH_RE.finditer(text, row["start"], row["end"])
        ]
        seen: set[int] = set()
        for p in paragraph_starts:
            j = _reference(text, p, questions)
            if j is None or questions[j].id == row["question_id"] or j in seen:
                continue
            seen.add(j)
            quote = " ".join(text[p : p + _QUOTE_CHARS].split())
            _add(
                row,
                f'a paragraph mentions {questions[j].label} ("{quote}…"); '
                "check whether it answers that question",
            )
