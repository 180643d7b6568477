"""Response forms: a question | answer table read as questions and answers, ticks as ticks.

Word and OpenDocument readers hand a table over as rows of cells, each cell a
list of ``(text, kind)`` blocks (check boxes already written as ``☒``/``☐``,
see ``ingest.marks``). This module lays them out the way segmentation reads
a headed response, the same for every format:

- **question | answer rows.** A row of two cells is a question and its
  answer: the first cell becomes one line with a ``heading`` cue (its
  paragraphs joined, so a guidance note under the question does not slip into
  the answer), then the answer cell's paragraphs. A run of one-cell rows is
  read in pairs, question row then answer row, re-aligned at every row that
  is numbered or ends with "?" (a question row whatever its place). The cue only says "this may be
  a heading": segmentation still matches the line to a question, so a
  respondent's own two-column table of figures gains nothing it can use.
- **option rows.** Consecutive two-cell rows of a short label and a cell
  holding only a mark or nothing ("Agree | X") are a list of options, when one
  is marked or all labels are known option labels (``data/tick_options.yaml``).
- **option matrix.** A first row of labels ("Strongly agree | Agree | …")
  over rows whose cells are marks or empty, with at most a question in the
  first cell ("Question 1 | | X | |"): each row is its question and the
  labels of its marked cells.
- **option paragraphs.** Paragraphs that are marked options ("☐ Agree ☒
  Disagree", one per line or several on a line) anywhere in the document;
  in a plain-text or Markdown file, lines (``option_lines``).

Every ticked option becomes one line ``☒ <label>``; an unticked option is
dropped (the printed list is the form's words, not the respondent's) and
counted, so the reader's notes say how many were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from helpers.ingest.marks import (
    MAX_LABEL_WORDS,
    RENDERED,
    has_marks,
    is_mark,
    is_option_label,
    parse_option_line,
    render_options,
    split_prompt,
    weak_resolved,
)

__all__ = ["FormCounts", "option_lines", "option_paragraphs", "table_blocks"]

Block = tuple[str, str | None]
_NUMBERED = re.compile(r"\s*(?:Q(?:uestion)?\.?\s*\d{1,2}\b|\(?\d{1,2}[.)])", re.IGNORECASE)
Cell = list[Block]


@dataclass
class FormCounts:
    """Ticked options kept and unticked options dropped, for the reader's notes."""

    ticked: int = 0
    dropped: int = 0

    def note(self) -> list[str]:
        if not (self.ticked or self.dropped):
            return []
        return [
            f"form: {self.ticked} ticked option(s) read as tick-box answers, "
            f"{self.dropped} unticked option(s) not read as answer text"
        ]


def _render(options: list[tuple[str, str]], counts: FormCounts) -> list[Block]:
    lines, dropped = render_options(options)
    counts.ticked += len(lines)
    counts.dropped += dropped
    return [(line, None) for line in lines]


def option_paragraphs(blocks: Iterable[Block], counts: FormCounts) -> list[Block]:
    """``blocks`` with each run of marked-option paragraphs rendered (module docstring)."""
    out: list[Block] = []
    run: list[tuple[Block, list[tuple[str, str]]]] = []

    def flush() -> None:
        options = [o for _, opts in run for o in opts]
        resolved = weak_resolved(options) if options else None
        if resolved is None:
            out.extend(block for block, _ in run)
        else:
            out.extend(_render(resolved, counts))
        run.clear()

    for block in blocks:
        text = block[0]
        lines = [line for line in text.split("\n") if line.strip()]
        parsed = [parse_option_line(line) for line in lines] if lines else [None]
        prompted = split_prompt(text) if len(lines) == 1 and parsed[0] is None else None
        if all(p is not None for p in parsed):
            run.append((block, [o for p in parsed for o in p]))  # type: ignore[union-attr]
        elif prompted is not None:  # the prompt stays text, then the ticked options
            flush()
            resolved = weak_resolved(prompted[1])
            if resolved is None:
                out.append(block)
            else:
                out.append((prompted[0], block[1]))
                out.extend(_render(resolved, counts))
        else:
            flush()
            out.append(block)
    flush()
    return out


def option_lines(text: str, counts: FormCounts) -> str:
    """A plain-text form's lines with its marked options rendered, as ``option_paragraphs`` does.

    For .txt and .md files, before normalisation: each line is a paragraph
    here, so "☐ Individual / ☒ Organisation" lines become "☒ Organisation".
    Line ends become "\n" (normalisation does so anyway).
    """
    if not has_marks(text):
        return text
    lines = [(line, None) for line in text.splitlines()]
    return "\n".join(t for t, _ in option_paragraphs(lines, counts))


def _text(cell: Cell) -> str:
    return " ".join(t.strip() for t, _ in cell if t.strip())


def _short_label(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_LABEL_WORDS and not text.rstrip().endswith("?")


def _question_like(text: str) -> bool:
    """A numbered line ("2.", "Q2", "Question 2") or one that ends with a question mark."""
    return bool(_NUMBERED.match(text)) or text.rstrip().endswith("?")


def _question_cell(cell: Cell) -> list[Block]:
    """A question cell as one heading line, any options ticked in it (``☒ …``) after it."""
    ticks = [b for b in cell if b[0].startswith(RENDERED)]
    words = [b for b in cell if not b[0].startswith(RENDERED)]
    return ([(_text(words), "heading")] if _text(words) else []) + ticks


def _option_row(row: list[Cell]) -> tuple[str, bool] | None:
    """``(label, ticked)`` for a two-cell row of a label and a mark (or nothing)."""
    if len(row) != 2:
        return None
    a, b = _text(row[0]), _text(row[1])
    for label, mark in ((a, b), (b, a)):
        state = is_mark(mark)
        if state is not None and is_mark(label) is None and _short_label(label):
            return label, state
    return None


def _matrix_columns(header: list[Cell], row: list[Cell]) -> list[bool] | None:
    """Marks of ``row`` under ``header``'s labels, or None when ``row`` is not a marks row.

    Every cell is a mark or empty, except at most the first, which may hold
    the row's question; at least one cell is marked, and there are at least
    two option columns.
    """
    if len(row) != len(header) or len(row) < 2:
        return None
    states = [is_mark(_text(c)) for c in row]
    start = 1 if states[0] is None else 0
    if len(row) - start < 2:  # one "option" column is a question | answer table's answer
        return None
    if any(s is None for s in states[start:]) or not any(states[start:]):
        return None
    if not all(_short_label(_text(header[j])) for j in range(start, len(row))):
        return None
    return [bool(s) for s in states]


def table_blocks(rows: list[list[Cell]], counts: FormCounts) -> list[Block]:
    """A table's blocks in reading order, laid out as a form (module docstring).

    Each cell's blocks arrive as the reader read them, option paragraphs
    already rendered (``option_paragraphs``, which the reader runs on every
    container it reads, a cell included).
    """
    out: list[Block] = []
    # The first row is an option matrix's labels (the form's print, not
    # emitted) when a later row has marks under them.
    matrix = any(_matrix_columns(rows[0], r) is not None for r in rows[1:]) if rows else False
    i = 1 if matrix else 0
    rejected_to = 0
    while i < len(rows):
        row = rows[i]
        # Option matrix: this row's marks under the first row's labels.
        marks = _matrix_columns(rows[0], row) if matrix else None
        if marks is not None:
            first = _text(row[0]) if is_mark(_text(row[0])) is None else ""
            if first:
                out.append((first, "heading"))
            start = 1 if first else 0
            options = [
                ("checked" if marks[j] else "unchecked", _text(rows[0][j]))
                for j in range(start, len(row))
            ]
            out.extend(_render(options, counts))
            i += 1
            continue
        # Option rows: a run of "label | mark" rows. A run found not to be one
        # is not scanned again from each of its rows (linear in the rows).
        if i >= rejected_to:
            j = i
            run: list[tuple[str, bool]] = []
            while j < len(rows) and (opt := _option_row(rows[j])) is not None:
                run.append(opt)
                j += 1
            if run and (
                any(t for _, t in run)
                or (len(run) >= 2 and all(is_option_label(lab) for lab, _ in run))
            ):
                options = [("checked" if t else "unchecked", lab) for lab, t in run]
                out.extend(_render(options, counts))
                i = j
                continue
            rejected_to = j
        if len(row) == 2 and _text(row[0]):
            out.extend(_question_cell(row[0]))
            out.extend(row[1])
        elif (
            len(row) == 1
            and i + 1 < len(rows)
            and _text(row[0])
            and not _text(row[0]).startswith(RENDERED)
        ):
            # Question row, then its answer row (or the options under it) unless
            # that row is itself a question: the pairs re-align at each question.
            out.extend(_question_cell(row[0]))
            nxt = rows[i + 1]
            if len(nxt) == 1 and not _question_like(_text(nxt[0])):
                out.extend(nxt[0])
                i += 1
        else:
            for cell in row:
                out.extend(cell)
        i += 1
    return out
