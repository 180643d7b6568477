"""Tick marks on a response form: which option lines are ticked, and which are the form's print.

A response form lists a closed question's options with a box beside each
("☐ Agree  ☒ Disagree"), and the respondent ticks one: with a check-box
glyph, a content control or form field (which the readers render as ``☒`` or
``☐``), an ``[x]``, or a typed X. Only the ticked option is the respondent's
answer; the unticked ones are the form's words, and read as text they would
put "Strongly disagree" into every answer's stance and themes.

This module is what the readers (Word, OpenDocument, HTML) and segmentation
(``segment.ticks``) share:

- the glyphs: ``CHECKED`` (☒ ☑ ▣ ⊠ ◉), ``UNCHECKED`` (☐ □ ◻ ❏ ❑ ⬜ ○ ◯
  and ``[ ]``/``( )``) and the weak ticks ``WEAK_CHECKED`` (✓ ✔ ✅ ■ ●)
  and ``[x]``/``(x)``: a tick beside unticked boxes, or beside a known
  option label, but alone a bullet or a numbering ("✓ Better support" is a
  respondent's list, "(x)" a roman ten);
- ``parse_option_line``: a line that is one or more options, each with its
  mark, the mark before the label ("☒ Agree") or after it ("Agree ☒");
  ``split_prompt``: the same after a prompt ("Do you agree? ☐ Yes ☒ No");
- ``render_options``: a paragraph's options as the readers write them, one
  line ``☒ <label>`` per ticked option and nothing for an unticked one;
- ``is_option_label``: whether a line is one of the generic option labels of
  ``helpers/data/tick_options.yaml`` ("Strongly agree", "Don't know" …).

A typed X needs a label beside it to be read as a tick; that is decided where
the layout shows it (a table cell holding only the X, ``readers.forms``; an
"X Agree" line among a closed question's options, ``segment.ticks``).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

__all__ = [
    "CHECKED",
    "RENDERED",
    "UNCHECKED",
    "has_marks",
    "is_mark",
    "is_option_label",
    "option_key",
    "parse_option_line",
    "render_options",
    "split_prompt",
    "weak_resolved",
]

CHECKED = "☒☑▣⊠◉⦿"
UNCHECKED = "☐□◻❏❑⬜○◯"
WEAK_CHECKED = "✓✔✅■●"  # ticked beside an unticked box or a known label; a bullet otherwise
RENDERED = "☒"  # how readers write a ticked option: "☒ <label>"
_BRACKETED = re.compile(r"[\[(]\s*([xX✓✔✗✘*]?)\s*[\])]")
# A mark starts the line or follows a space or separator ("foo()" and "4(x)"
# are not marks); empty round brackets need a space inside: "( )".
_MARK = re.compile(
    r"(?<![^\s:;,/|])(?:["
    + CHECKED
    + UNCHECKED
    + WEAK_CHECKED
    + r"]|\[\s*[xX✓✔✗✘*]?\s*\]|\(\s*[xX✓✔✗✘*]\s*\)|\(\s+\))"
)
_LEAD = re.compile(r"\s*(?:[-–•*]\s+)?")
MAX_LABEL_WORDS = 12  # a longer "label" is prose with a tick used as a bullet
_KEY_DROP = re.compile(r"[’'`]")
_KEY_SPACE = re.compile(r"[^a-z]+")
_TYPED_X = {"x", "X", "✓", "✔", "☒", "☑", "✅", "■"}


def option_key(text: str) -> str:
    """Lower-case letters and single spaces: "Don't know." → "dont know"."""
    return _KEY_SPACE.sub(" ", _KEY_DROP.sub("", text.lower())).strip()


@functools.cache
def _labels() -> frozenset[str]:
    source = resources.files("helpers").joinpath("data", "tick_options.yaml")
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return frozenset(option_key(str(x)) for x in raw.get("options", []))


def is_option_label(text: str) -> bool:
    """Whether ``text`` is one of the generic option labels (``data/tick_options.yaml``)."""
    key = option_key(text)
    return bool(key) and key in _labels()


def _mark_state(token: str) -> str:
    """``checked``, ``unchecked`` or ``weak`` (``WEAK_CHECKED``)."""
    if token in CHECKED:
        return "checked"
    if token in UNCHECKED:
        return "unchecked"
    if token in WEAK_CHECKED:
        return "weak"
    inner = _BRACKETED.fullmatch(token)
    # "(x)" alone is also a roman ten: a tick beside empty boxes or a known label only.
    return "weak" if inner and inner.group(1) else "unchecked"


def has_marks(text: str) -> bool:
    """Whether ``text`` has any tick or box mark at all (a quick test before reading lines)."""
    return _MARK.search(text) is not None


def is_mark(cell: str) -> bool | None:
    """A table cell holding only a mark: True (ticked: X, ✓, ☒ …), False (☐, empty), None (text)."""
    s = cell.strip()
    if not s:
        return False
    if s in _TYPED_X:
        return True
    if _MARK.fullmatch(s):
        return _mark_state(s) != "unchecked"
    return None


def parse_option_line(line: str) -> list[tuple[str, str]] | None:
    """The options of a line of marked options, or None if it is not one.

    Returns ``[(state, label), …]`` with state ``checked``, ``unchecked`` or
    ``weak``. The line must start with a mark ("☒ Agree ☐ Disagree") or end
    with one ("Agree ☐ Disagree ☒"), every label must be non-empty and at most
    ``MAX_LABEL_WORDS`` words (a ticked label may be longer: it is kept, not
    dropped). Whether ``weak`` marks are ticks is the caller's decision
    (``weak_resolved``).
    """
    lead = _LEAD.match(line)
    body = line[lead.end() :].rstrip() if lead else line.strip()
    marks = list(_MARK.finditer(body))
    if not marks:
        return None
    options: list[tuple[str, str]] = []
    if marks[0].start() == 0:  # mark, label, mark, label …
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
            options.append((_mark_state(m.group()), body[m.end() : end].strip(" \t:;,/|")))
    elif marks[-1].end() == len(body):  # label, mark, label, mark …
        prev = 0
        for m in marks:
            options.append((_mark_state(m.group()), body[prev : m.start()].strip(" \t:;,/|-–")))
            prev = m.end()
    else:
        return None
    for state, label in options:
        if not label or (state != "checked" and len(label.split()) > MAX_LABEL_WORDS):
            return None
    return options


def split_prompt(line: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``(prompt, options)`` for "Please tick one: ☐ Agree ☒ Disagree", or None.

    The prompt is the text before the first mark, ending with ":" or "?"; the
    rest must be a line of options with the mark before each label.
    """
    first = _MARK.search(line)
    if first is None or first.start() == 0:
        return None
    prompt = line[: first.start()].rstrip()
    if not prompt.endswith((":", "?")):
        return None
    options = parse_option_line(line[first.start() :])
    return (prompt, options) if options is not None else None


def weak_resolved(options: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """One list's options with ✓/■ … read as ticks, or None if the list is not a form's.

    A list is a form's when it has an unticked box, or a ticked box (☒, [x] …).
    Then ✓/■ … are ticks. Otherwise weak marks are ticks only beside a known
    option label ("✓ Agree"); with any other label the list is a respondent's
    bulleted list and None is returned.
    """
    if not any(s == "weak" for s, _ in options):
        return options
    if any(s != "weak" for s, _ in options):
        return [("checked" if s == "weak" else s, label) for s, label in options]
    if all(is_option_label(label) for _, label in options):
        return [("checked", label) for _, label in options]
    return None


def render_options(options: list[tuple[str, str]]) -> tuple[list[str], int]:
    """``(lines, dropped)``: ``☒ <label>`` for each ticked option; unticked ones dropped and counted."""
    lines = [f"{RENDERED} {label}" for state, label in options if state == "checked"]
    return lines, sum(1 for state, _ in options if state != "checked")
