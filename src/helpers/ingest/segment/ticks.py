"""Tick boxes in a document's answers: the ticked option becomes the row's ``tick_box``.

A response form answers a closed question with a tick beside one printed
option. The readers write a ticked check box, content control, form field or
radio button as a line ``☒ <label>`` and leave unticked ones out
(``readers.forms``); a plain-text or PDF form still has the whole printed
list, with the respondent's mark typed beside one option. Either way the
option lines are the form's words, not the respondent's: read as text they
would give every answer the stance and themes of "Strongly disagree".

So, for each answer to a closed question, the run of option lines at the
start of the answer, and the run at its end, are taken out of the answer text
(its ``start``/``end`` move, so ``answer_text == text[start:end]`` still holds)
and read:

- an option line is a line of marked options (``ingest.marks``: "☒ Agree",
  "[x] Agree", "Agree ☐ Disagree ☒"), a known option label with a typed mark
  before or after it ("X Agree", "Agree: X", "Agree <--"), or a known option
  label alone (an unmarked option of a printed list). Known labels are the
  generic ones in ``helpers/data/tick_options.yaml``;
- exactly one ticked option: its label, as written, is the ``tick_box``;
- none ticked: no tick box, and the printed list is still removed (a list of
  unmarked labels counts only when it has at least three, so an answer that
  is just "Agree." stays the respondent's words);
- two or more ticked: no tick box, and a warning names them.

A ticked known label followed on its line by the respondent's words ("☒ Agree
its a good idea …") is the tick, and the words stay the answer.

A short line ending with a colon just before the options ("Please tick one
box:") is the form's print too and is cut with them.

Open questions are left alone: a ticked list there ("which apply to you") is
the respondent's answer, and is kept as text.
"""

from __future__ import annotations

import itertools
import re

from helpers.core.text import strip_span
from helpers.ingest.marks import (
    MAX_LABEL_WORDS,
    is_option_label,
    parse_option_line,
    weak_resolved,
)
from helpers.ingest.segment.headings import line_spans

__all__ = ["apply_ticks", "take_ticks"]

_BOX_TICK = re.compile(r"(?:[-–•*]\s+)?(?:[☒☑▣⊠◉⦿]|\[[xX✓✔]\]|\([xX✓✔]\))\s*")
_WORD = re.compile(r"\S+")
_MAX_LINE = 1000  # characters: a longer line is prose, not a list of options
_PROMPT_WORDS = 8  # "Please put an X in one box only:" and the like
_MIN_PRINTED = 3  # unmarked labels needed to call a run of lines a printed list
_BULLET = r"(?:[-–•*]\s+)?"
_TYPED = r"(?:x|X|✓|✔|<-+|<=+|←|-+>|=+>|→|\(x\)|\[x\])"
_MARK_FIRST = re.compile(rf"{_BULLET}(?:x|X|✓|✔|-+>|=+>|→)\s*[:.)]?\s+(?P<label>.+?)\s*")
_MARK_AFTER = re.compile(rf"{_BULLET}(?P<label>.+?)(?:\s*[:=\-–]\s*|\s+){_TYPED}")
_PLAIN = re.compile(rf"{_BULLET}(?P<label>.+?)\s*[:\-–]?")


# A PDF's text layer joins a printed list into one line ("Strongly agree Agree
# Disagree X Strongly disagree"): read as a sequence of known labels and marks.
_SEQ_TICKED = frozenset("x X ✓ ✔ ☒ ☑ ■ (x) [x] (X) [X] <- <-- <--- ←".split())
_SEQ_EMPTY = frozenset("□ ☐ [] ()".split())  # "[ ]" and "( )" are closed up first
_MAX_LABEL_SPAN = 5  # words of the longest known label, and then some


def _is_seq_mark(word: str) -> bool:
    return word in _SEQ_TICKED or word in _SEQ_EMPTY


def _label_sequence(line: str) -> list[tuple[str, str]] | None:
    """Two or more known labels with marks between them, or None.

    A mark belongs to the label after it when the line starts with a mark
    (or with a bullet that stood for a box, as PDF text turns "□" into "- "),
    else to the label before it ("Disagree X", as typed in a column beside
    the printed option).
    """
    words = line.replace("[ ]", "[]").replace("( )", "()").split()
    bullet = bool(words) and words[0] in ("-", "–", "•")
    if bullet:
        words = words[1:]
    items: list[tuple[str, str]] = []  # ("label", text) or ("mark", "checked"/"unchecked")
    i = 0
    while i < len(words):
        if _is_seq_mark(words[i]):
            items.append(("mark", "checked" if words[i] in _SEQ_TICKED else "unchecked"))
            i += 1
            continue
        span = 0
        while span < min(_MAX_LABEL_SPAN, len(words) - i) and not _is_seq_mark(words[i + span]):
            span += 1
        for n in range(span, 0, -1):
            label = " ".join(words[i : i + n]).strip(":;,.–-")
            if is_option_label(label):
                items.append(("label", label))
                i += n
                break
        else:
            return None
    labels = [text for kind, text in items if kind == "label"]
    if len(labels) < 2:
        return None
    boxes = any(kind == "mark" for kind, _ in items)
    mark_first = items[0][0] == "mark" or (bullet and boxes)
    ticked: set[int] = set()
    seen = 0
    for kind, text in items:
        if kind == "label":
            seen += 1
        elif text == "checked":
            k = seen if mark_first else seen - 1
            if 0 <= k < len(labels):
                ticked.add(k)
    return [("checked" if k in ticked else "plain", label) for k, label in enumerate(labels)]


def _line_options(line: str) -> list[tuple[str, str]] | None:
    """The options a line holds (``[(state, label)]``), or None if it is not an option line."""
    if len(line) > _MAX_LINE:
        return None
    options = parse_option_line(line)
    if options is not None:
        return options
    for pattern in (_MARK_FIRST, _MARK_AFTER):
        m = pattern.fullmatch(line)
        if m and is_option_label(m.group("label")):
            return [("checked", m.group("label"))]
    m = _PLAIN.fullmatch(line)
    if m and is_option_label(m.group("label")):
        return [("plain", m.group("label"))]
    return _label_sequence(line)


def _read_group(lines: list[list[tuple[str, str]]]) -> list[str] | None:
    """The ticked labels of a run of option lines, or None if it is not a form's list."""
    options = [o for line in lines for o in line]
    if not options:
        return None
    marked = [o for o in options if o[0] != "plain"]
    if not marked and len(options) < _MIN_PRINTED:
        return None
    resolved = weak_resolved([("unchecked" if s == "plain" else s, lab) for s, lab in options])
    if resolved is None:
        return None
    ticked = [label for state, label in resolved if state == "checked"]
    if any(len(label.split()) > MAX_LABEL_WORDS for label in ticked):
        return None  # prose with a tick as its bullet
    return ticked


def _tick_then_words(line: str) -> tuple[str, int] | None:
    """``(label, where the words start)`` for "☒ Agree its a good idea": a tick, then words.

    A respondent who types on the line of the box they ticked (or whose
    lower-case answer a reader ran on from the tick line) writes a ticked
    known label followed by their own words; the label is the tick and the
    words are the answer.
    """
    m = _BOX_TICK.match(line)
    if m is None:
        return None
    words = list(itertools.islice(_WORD.finditer(line, m.end()), _MAX_LABEL_SPAN + 1))
    for n in range(min(_MAX_LABEL_SPAN, len(words) - 1), 0, -1):
        if is_option_label(line[m.end() : words[n - 1].end()].rstrip(":;,.–-")):
            return line[m.end() : words[n - 1].end()].rstrip(":;,.–-"), words[n].start()
    return None


def _run(
    text: str, spans: list[tuple[int, int]], split: bool = False
) -> tuple[list[list[tuple[str, str]]], int | None]:
    """The option lines at the start of ``spans``, and (``split``) where a tick line's words start."""
    out = []
    for ls, le in spans:
        line = text[ls:le]
        options = _line_options(line)
        if split and (
            options is None
            or (
                len(options) == 1
                and options[0][0] != "plain"
                and not is_option_label(options[0][1])
            )
        ):
            found = _tick_then_words(line)
            if found is not None:
                out.append([("checked", found[0])])
                return out, ls + found[1]
        if options is None:
            break
        out.append(options)
    return out, None


def _typed_after_boxes(lines: list[list[tuple[str, str]]]) -> int:
    """How many lines at the end of a run are a typed answer under a boxed list.

    Rationale: a respondent who does not tick a box may type their answer
    under the printed options ("☐ Agree … ☐ Disagree" then "Yes"). The
    printed list's lines each carry a box; a bare known label ("Yes", "No",
    "Agree") after them has none, so it is the respondent's words and stays
    the answer text (read for stance like any answer), not an unmarked
    option of the form. It counts only when every line above it has a mark
    and one of them is an empty box: a list printed without boxes, where a
    typed "X" or "<--" marks one line, is left as it was.
    """
    n = 0
    while n < len(lines) and all(state == "plain" for state, _ in lines[-1 - n]):
        n += 1
    printed = [option for line in lines[: len(lines) - n] for option in line]
    boxed = all(state != "plain" for state, _ in printed) and any(
        state == "unchecked" for state, _ in printed
    )
    return n if printed and boxed else 0


def _is_prompt(text: str, span: tuple[int, int]) -> bool:
    """A short line ending with a colon ("Please tick one box:"), not itself an option."""
    line = text[span[0] : span[1]]
    return line.endswith(":") and len(line.split()) <= _PROMPT_WORDS and _line_options(line) is None


def take_ticks(text: str, start: int, end: int) -> tuple[int, int, str | None, str | None]:
    """``(start, end, tick_box, warning)`` for the answer ``text[start:end]`` of a closed question.

    The option lines at the answer's start and end are cut off (see the
    module docstring); ``start``/``end`` are returned unchanged when there
    are none.
    """
    spans = [(ls + start, le + start) for ls, le in line_spans(text[start:end])]
    if not spans:
        return start, end, None, None
    ticked: list[str] = []
    new_start, new_end = start, end
    # A prompt ("Please tick one box:") before the options is the form's too.
    skip = 1 if _is_prompt(text, spans[0]) and len(spans) > 1 else 0
    head, cut = _run(text, spans[skip:], split=True)
    if cut is None and (typed := _typed_after_boxes(head)):
        head = head[:-typed]
    head_read = _read_group(head) if head else None
    if head_read is not None:
        ticked += head_read
        new_start = spans[skip + len(head) - 1][1] if cut is None else cut
        spans = spans[skip + len(head) :]
    tail = _run(text, spans[::-1])[0][::-1]
    tail_read = _read_group(tail) if tail else None
    if tail_read is not None:
        ticked += tail_read
        first = len(spans) - len(tail)
        if first > 0 and _is_prompt(text, spans[first - 1]):
            first -= 1
        new_end = spans[first][0]
    if head_read is None and tail_read is None:
        return start, end, None, None
    new_end = max(new_end, new_start)
    if len(ticked) == 1:
        return new_start, new_end, ticked[0], None
    if not ticked:
        return new_start, new_end, None, None
    listed = ", ".join(repr(t) for t in ticked)
    return (
        new_start,
        new_end,
        None,
        f"{len(ticked)} options ticked ({listed}): no tick-box answer taken",
    )


def apply_ticks(text: str, rows: list[dict], closed: set[str]) -> None:
    """Read the tick boxes of the answers to ``closed`` questions in ``rows`` (in place).

    Each row keeps ``answer_text == text[start:end]`` with no surrounding
    whitespace; a tick box already set (a survey export's) is left alone.
    """
    for row in rows:
        if row["question_id"] not in closed or row.get("tick_box"):
            continue
        s, e, tick, warning = take_ticks(text, row["start"], row["end"])
        if (s, e) == (row["start"], row["end"]):
            continue
        s, e = strip_span(text, s, e)
        row.update(start=s, end=e, answer_text=text[s:e], tick_box=tick)
        if warning:
            row["warning"] = f"{row['warning']}; {warning}" if row.get("warning") else warning
