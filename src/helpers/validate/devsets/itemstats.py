"""Counts and writing-convention checks for a stance item set (``describe``).

``items.load_item_set`` rejects what cannot be scored (unknown keys, bad
stances, evidence that is not in the text). The checks here are the writers'
conventions, which a set can break and still be scored, so they are reported
as problems, not errors: a blank form is ``not_answered``, a tick equals the
gold stance, an item with a position has evidence and one without has none,
a letter has at least three paragraphs (else it is an answer), and every item
says whether it has ``reservations``. The counts are those a set's README
reports (split, question, kind, stance, tick, tag).
"""

from __future__ import annotations

import collections
from pathlib import Path

from helpers.validate.devsets.items import ItemFile, StanceItem, load_item_set

__all__ = ["describe_item_set", "item_problems"]

MIN_LETTER_PARAGRAPHS = 3
_FIELDS = ("split", "question", "kind", "stance", "tick", "tag")


def item_problems(item: StanceItem) -> list[str]:
    """The conventions one item breaks (empty when none)."""
    problems = []
    blank = not item.text.strip()
    if item.tick is not None and item.tick != item.stance:
        problems.append(f"tick {item.tick} but gold {item.stance}")
    if item.kind == "form" and item.tick is None and blank and item.stance != "not_answered":
        problems.append("blank form must be not_answered")
    if item.evidence is None and item.stance != "not_answered" and not blank:
        problems.append("evidence missing")
    if item.stance == "not_answered" and item.evidence is not None:
        problems.append("evidence for not_answered")
    if item.kind == "letter":
        paragraphs = [p for p in item.text.split("\n\n") if p.strip()]
        if len(paragraphs) < MIN_LETTER_PARAGRAPHS:
            problems.append(f"letter has fewer than {MIN_LETTER_PARAGRAPHS} paragraphs")
    if item.reservations is None:
        problems.append("reservations: say true or false")
    if item.stance in item.stance_ok:
        problems.append("stance_ok repeats the gold stance")
    return problems


def _counts(file: ItemFile) -> dict[str, collections.Counter]:
    counts = {k: collections.Counter() for k in _FIELDS}
    for it in file.items:
        counts["split"][it.split] += 1
        counts["question"][it.question] += 1
        counts["kind"][it.kind] += 1
        counts["stance"][it.stance] += 1
        if it.kind == "form":
            counts["tick"]["blank" if it.tick is None else "ticked"] += 1
        counts["tag"].update(it.tags)
    return counts


def describe_item_set(folder: str | Path) -> tuple[str, list[str]]:
    """Markdown counts per item file, and the problems found (``file item: problem``)."""
    lines: list[str] = []
    problems: list[str] = []
    for file in load_item_set(folder):
        lines.append(f"## {file.path.name} — {len(file.items)} items")
        counts = _counts(file)
        for field in _FIELDS:
            ranked = sorted(counts[field].items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(f"- {field}: " + ", ".join(f"{k} {n}" for k, n in ranked))
        lines.append(f"- reservations true: {sum(bool(it.reservations) for it in file.items)}")
        lines.append("")
        for it in file.items:
            problems += [f"{file.path.name} {it.id}: {p}" for p in item_problems(it)]
    return "\n".join(lines), problems
