"""Blocks of a structured document (Word, OpenDocument, HTML) joined into one text.

Readers that see a document's structure hand over ``(text, kind)`` blocks in
reading order, where ``kind`` is ``"heading"``, ``"bold"``, ``"list"`` or
anything else for a plain paragraph. Joining them the same way for every
format keeps segmentation format-blind: paragraphs are separated by a blank
line, consecutive list items by a single line break (a list reads as one
block), list items get a ``- `` bullet unless they already start with one, and
the blocks of the cue kinds become structure cues (character spans) that
segmentation uses to find question headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from helpers.ingest.textnorm import Cue, normalise_with_cues

__all__ = ["join_blocks"]

_BULLET_RE = re.compile(r"\s*[-•*–]")


def join_blocks(
    blocks: Iterable[tuple[str, str | None]],
    cue_kinds: tuple[str, ...] = ("heading",),
    skip_blank: bool = True,
) -> tuple[str, list[Cue]]:
    """The normalised text of ``blocks`` and its structure cues (see the module docstring)."""
    parts: list[str] = []
    cues: list[Cue] = []
    pos = 0
    prev_kind = None
    for text, kind in blocks:
        if skip_blank and not text.strip():
            continue
        if kind == "list" and not _BULLET_RE.match(text):
            text = "- " + text
        if parts:
            sep = "\n" if kind == "list" and prev_kind == "list" else "\n\n"
            parts.append(sep)
            pos += len(sep)
        if kind in cue_kinds:
            cues.append((pos, pos + len(text), kind))
        parts.append(text)
        pos += len(text)
        prev_kind = kind
    return normalise_with_cues("".join(parts), cues)
