"""A source's layout as format-neutral blocks: headings, paragraphs and form tables.

Every renderer draws the same blocks, so a headed Word document, a headed PDF
and a headed e-mail differ only in how a heading looks, never in which words
they hold. The layouts (docs/evaluation.md):

- ``headed``: the preamble, then for each answer its heading line (as the
  respondent wrote it; none when ``heading`` is null) and its paragraphs, then
  the closing;
- ``letter``: the same paragraphs with no headings at all;
- ``form``: the preamble, a two-column table (question | answer) with one row
  per answer, then the closing. A closed question's answer cell lists the five
  options with the respondent's tick, then any comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.validate.devsets.sources import OPTIONS, Answer, Source

__all__ = ["CHECKED", "UNCHECKED", "Block", "FormRow", "blocks_for", "option_lines", "paragraphs"]

CHECKED, UNCHECKED = "\u2612", "\u2610"  # ☒ ☐
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class FormRow:
    question: str
    label: str
    paragraphs: tuple[str, ...]
    options: tuple[tuple[str, str, bool], ...] = ()  # (option id, label, ticked)


@dataclass(frozen=True)
class Block:
    kind: str  # heading | para | form
    text: str = ""
    rows: tuple[FormRow, ...] = ()
    answer: int | None = None  # index of the answer a heading or paragraph belongs to


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a source text (separated by blank lines), stripped; none for empty text."""
    if not text or not text.strip():
        return []
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]


def option_lines(row: FormRow, tick_style: str) -> list[str]:
    """The options of a closed question as plain lines (``☒ Agree`` / ``Agree X``)."""
    if tick_style == "x":
        return [f"{label} X" if ticked else label for _, label, ticked in row.options]
    return [f"{CHECKED if ticked else UNCHECKED} {label}" for _, label, ticked in row.options]


def _label(answer: Answer, consultation: Consultation) -> str:
    if answer.heading is not None:
        return answer.heading
    q = consultation.question(answer.question)
    return f"{q.number}. {q.text}" if q.number is not None else q.text


def _form_row(answer: Answer, consultation: Consultation) -> FormRow:
    closed = consultation.question(answer.question).kind == "closed" or answer.tick is not None
    options = (
        tuple((o, schemas.STANCE_LABELS[o], o == answer.tick) for o in OPTIONS) if closed else ()
    )
    return FormRow(
        answer.question, _label(answer, consultation), tuple(paragraphs(answer.text)), options
    )


def blocks_for(
    source: Source, consultation: Consultation, layout: str | None = None
) -> list[Block]:
    """The blocks of ``source`` in ``layout`` (default: the source's own layout)."""
    layout = layout or source.layout
    out = [Block("para", p) for p in paragraphs(source.preamble)]
    if layout == "form":
        out.append(Block("form", rows=tuple(_form_row(a, consultation) for a in source.answers)))
    else:
        for i, a in enumerate(source.answers):
            if layout == "headed" and a.heading:
                out.append(Block("heading", a.heading, answer=i))
            out.extend(Block("para", p, answer=i) for p in paragraphs(a.text))
    out.extend(Block("para", p) for p in paragraphs(source.closing))
    return out
