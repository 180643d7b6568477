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

__all__ = ["FormCounts", "emphasised_options", "option_lines", "option_paragraphs", "table_blocks"]

Block = tuple[str, str | None]
_DIGITS = re.compile(r"\d{1,2}")
_BARE_NUMBER = re.compile(r"\s*(?:Q(?:uestion)?\.?\s*)?\(?\d{1,2}[.):]?\s*", re.IGNORECASE)
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


_LIST_LEAD = re.compile(r"\s*(?:[-–•*]\s+)?")


def emphasised_options(
    blocks: list[Block], emphasis: list[bool], counts: FormCounts
) -> list[Block]:
    """``blocks`` with each printed option list whose one emphasised option is the answer, rendered.

    With no boxes to tick, a respondent marks a printed option by making it
    bold or highlighting it (``emphasis``: every visible run of the paragraph
    bold, highlighted or shaded, as the reader saw it). A run of two or more
    consecutive paragraphs that are each a known option label
    (``data/tick_options.yaml``), exactly one of them emphasised, is a
    choice: that option is ticked and the others are dropped. A list with
    none or several emphasised (a form that prints its options in bold) is
    left as it is.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and is_option_label(
            blocks[j][0][_LIST_LEAD.match(blocks[j][0]).end() :]
        ):
            j += 1
        marked = [k for k in range(i, j) if emphasis[k]]
        if j - i >= 2 and len(marked) == 1:
            options = [
                (
                    "checked" if emphasis[k] else "unchecked",
                    blocks[k][0][_LIST_LEAD.match(blocks[k][0]).end() :].strip(),
                )
                for k in range(i, j)
            ]
            out.extend(_render(options, counts))
            i = j
            continue
        out.extend(blocks[i : max(j, i + 1)])
        i = max(j, i + 1)
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


def _pair_row(row: list[Cell]) -> tuple[int, list[tuple[str, bool]]] | None:
    """``(prefix, options)`` for a row ending in label | mark cells, or None.

    Forms put an option and its box in neighbouring cells, one option a row
    ("Agree | X") or several along a row ("Agree | ☐ | Disagree | ☒"), the
    box on either side of the label, often after cells holding the
    question's number and text (or nothing, under a question cell merged
    down beside its option rows). The pairs are read from the row's end; the
    cells before them are the prefix (``row[:prefix]``). Both orders are
    tried and the one reading more pairs is kept.
    """
    texts = [_text(c) for c in row]
    states = [is_mark(t) for t in texts]
    best: tuple[int, list[tuple[str, bool]]] | None = None
    for label_first in (True, False):
        options: list[tuple[str, bool]] = []
        k = len(row)
        while k >= 2:
            lab, mk = (k - 2, k - 1) if label_first else (k - 1, k - 2)
            if states[mk] is None or states[lab] is not None or not _short_label(texts[lab]):
                break
            options.append((texts[lab], bool(states[mk])))
            k -= 2
        if options and (best is None or len(options) > len(best[1])):
            best = (k, options[::-1])
    return best


def _matrix_start(header: list[Cell], row: list[Cell]) -> int | None:
    """Where ``row``'s marks start under ``header``'s option labels, or None.

    A marks row is some leading cells (the question's number and text, or
    nothing), then only marks or empty cells, at least two of them, each
    under a short label of the header row.
    """
    if len(row) != len(header) or len(row) < 2:
        return None
    states = [is_mark(_text(c)) for c in row]
    start = max((j + 1 for j, s in enumerate(states) if s is None), default=0)
    if len(row) - start < 2:  # one "option" column is a question | answer table's answer
        return None
    labels = [_text(header[j]) for j in range(start, len(row))]
    if not all(_short_label(lab) and is_mark(lab) is None for lab in labels):
        return None
    return start


_LOOKBACK = 30  # rows between an option matrix's labels and its last row of marks


def _matrices(rows: list[list[Cell]]) -> dict[int, tuple[int, int]]:
    """Rows of option matrices: row index → ``(header row, first option column)``.

    A header row of option labels over rows of marks ("Strongly agree | Agree
    | …" over "1 | question | | X | |"); the header is the nearest earlier row
    of the same width whose cells over the marks are labels. A matrix counts
    when one of its rows is ticked or its labels are all known option labels
    (an untouched printed grid is the form's print too, and is dropped).
    """
    found: dict[int, tuple[int, int]] = {}
    ticked: dict[int, bool] = {}
    for i in range(1, len(rows)):
        for h in range(i - 1, max(-1, i - 1 - _LOOKBACK), -1):
            if h in found or len(rows[h]) != len(rows[i]):
                continue
            start = _matrix_start(rows[h], rows[i])
            if start is not None:
                found[i] = (h, start)
                marks = any(is_mark(_text(c)) for c in rows[i][start:])
                ticked[h] = ticked.get(h, False) or marks
            break
    known = {
        h: all(is_option_label(_text(rows[h][j])) for j in range(start, len(rows[h])))
        for h, start in found.values()
    }
    return {i: hs for i, hs in found.items() if ticked.get(hs[0]) or known.get(hs[0])}


def _prefix_blocks(cells: list[Cell]) -> list[Block]:
    """The cells before a row's options: the question's number and text, as heading lines.

    Each cell is one line of one heading block (its paragraphs joined). A bare
    number in a side column ("1") is written "1. " before the question cell's
    text, on its line: a lone digit is not numbering to segmentation (a figure
    in a table is not a question number), but in a form's number column beside
    the question it is, so the question is found by its number even when the
    question cell holds only a short label ("1. Your view").
    """
    texts = [t for t in (_text(c) for c in cells) if t]
    if not texts or any(t.startswith(RENDERED) for t in texts):
        return [b for c in cells for b in c]
    if len(texts) > 1 and _DIGITS.fullmatch(texts[0]):
        # The number column's "1" as the numbering "1." of the question beside it.
        texts[:2] = [f"{texts[0]}. {texts[1]}"]
    return [("\n".join(texts), "heading")]


def table_blocks(rows: list[list[Cell]], counts: FormCounts) -> list[Block]:
    """A table's blocks in reading order, laid out as a form (module docstring).

    Each cell's blocks arrive as the reader read them, option paragraphs
    already rendered (``option_paragraphs``, which the reader runs on every
    container it reads, a cell included). A cell under a merged cell (a
    question cell merged down beside its option rows) arrives empty.
    """
    out: list[Block] = []
    matrix = _matrices(rows)
    headers = {h for h, _ in matrix.values()}
    i = 0
    rejected_to = 0
    while i < len(rows):
        row = rows[i]
        if i in headers:  # an option matrix's labels: the form's print
            i += 1
            continue
        # Option matrix: this row's marks under its header's labels.
        if i in matrix:
            h, start = matrix[i]
            out.extend(_prefix_blocks(row[:start]))
            options = [
                ("checked" if is_mark(_text(row[j])) else "unchecked", _text(rows[h][j]))
                for j in range(start, len(row))
            ]
            out.extend(_render(options, counts))
            i += 1
            continue
        # Option rows: a run of rows of "label | mark" cells. A run found not
        # to be one is not scanned again from each of its rows (linear).
        if i >= rejected_to:
            j = i
            run: list[tuple[int, list[tuple[str, bool]]]] = []
            while j < len(rows) and j not in matrix and j not in headers:
                pairs = _pair_row(rows[j])
                if pairs is None:
                    break
                run.append(pairs)
                j += 1
            # Trailing rows with nothing ticked and no option label ("Any comments | "
            # under the options) are the form's next prompt, not options.
            while run and not any(t or is_option_label(lab) for lab, t in run[-1][1]):
                run.pop()
                j -= 1
            found = [o for _, opts in run for o in opts]
            if found and (
                any(t for _, t in found)
                or (len(found) >= 2 and all(is_option_label(lab) for lab, _ in found))
            ):
                group: list[tuple[str, str]] = []
                for k, (prefix, opts) in enumerate(run):
                    head = _prefix_blocks(rows[i + k][:prefix]) if prefix else []
                    if head and group:
                        out.extend(_render(group, counts))
                        group = []
                    out.extend(head)
                    group += [("checked" if t else "unchecked", lab) for lab, t in opts]
                out.extend(_render(group, counts))
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
        elif len(row) >= 3 and _BARE_NUMBER.fullmatch(_text(row[0])) and _text(row[1]):
            # Number | question | answer cells: the number and the question are heading lines.
            out.extend(_prefix_blocks(row[:2]))
            for cell in row[2:]:
                out.extend(cell)
        else:
            for cell in row:
                out.extend(cell)
        i += 1
    return out
