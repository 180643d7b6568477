"""Form labels among candidate headings: a label over tick-box options, and repeated field labels.

Part of step 1 of segmentation (``headings.find_candidates``), kept apart
because it reads a response form's furniture (printed options, a field label
repeated under every question) rather than the text of a heading.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.ingest.marks import is_option_label, parse_option_line
from helpers.ingest.segment.candidate import Candidate

__all__ = ["FORM_OPTIONS_SCORE", "closed_by_options", "drop_repeated_labels"]

FORM_OPTIONS_SCORE = 0.66  # a label over a list of tick-box options, for each closed question
_PROMPT_WORDS = 8  # "Please tick one box:" between a form's label and its options
_LABEL_MAX_WORDS = 25
_TYPED_MARK_RE = re.compile(r"^\s*(?:[xX✓✔]|-+>|→)\s+|\s+(?:[xX✓✔]|<-+|←)\s*$")


def _option_line(line: str) -> tuple[bool, bool] | None:
    """``(is an option line, carries a mark)`` for one line, or None if it is not an option."""
    if parse_option_line(line) is not None:
        return True, True
    bare = _TYPED_MARK_RE.sub("", line).strip(" \t:;,.–-")
    if is_option_label(bare):
        return True, bare != line.strip(" \t:;,.–-")
    return None


def _options_follow(text: str, raw: list[Candidate], i: int) -> bool:
    """Whether the lines after ``raw[i]`` are a form's options: two or more, or one ticked."""
    k, n, marked = i + 1, 0, False
    if k < len(raw):  # a prompt first ("Please tick one box:")
        line = text[raw[k].line_start : raw[k].line_end]
        if line.rstrip().endswith(":") and len(line.split()) <= _PROMPT_WORDS:
            k += 1
    while k < len(raw):
        got = _option_line(text[raw[k].line_start : raw[k].line_end])
        if got is None:
            break
        n, marked, k = n + 1, marked or got[1], k + 1
    return n >= 2 or (n == 1 and marked)


def closed_by_options(text: str, raw: list[Candidate], questions: tuple[Question, ...]) -> None:
    """A label line over a list of tick-box options may head each closed question.

    Rationale: on a response form the label beside the options is often the
    respondent's (or an intermediary's) own question, "Should care leavers
    get their own grade?", which shares too few words with the consultation's
    to be matched, so the ticked option and the comment under it were left in
    the preamble. A line followed by printed options ("Strongly agree X",
    "Agree", ...) or a ticked box ("☒ Agree") is the label of a closed
    question whatever its words: it scores ``FORM_OPTIONS_SCORE`` for every
    closed question (method ``order``, warned), and the assignment's order
    decides which one, beside the document's other headings. A line that is a
    sentence, itself an option, or already numbered is left alone.
    """
    closed = [j for j, q in enumerate(questions) if q.kind == "closed"]
    if not closed:
        return
    for i, c in enumerate(raw):
        line = text[c.line_start : c.line_end].strip()
        if c.number is not None or not line or c.start != c.line_start:
            continue
        if (
            line.rstrip(" *_'\"’”").endswith((".", "!", ",", ";"))
            or len(line.split()) > _LABEL_MAX_WORDS
        ):
            continue
        if _option_line(line) is not None or not _options_follow(text, raw, i):
            continue
        for j in closed:
            if c.scores.get(j, 0.0) < FORM_OPTIONS_SCORE:
                c.scores[j], c.methods[j] = FORM_OPTIONS_SCORE, "order"
        c.end = c.line_end
        c.shape = c.shape or "title"


def drop_repeated_labels(text: str, raw: list[Candidate]) -> None:
    """A label that opens two or more lines ("Comments: …") is a form's field, not a heading.

    Rationale: a typed copy of an online form repeats its field labels under
    every question ("Answer: Agree" / "Comments: …"); one such label that
    happens to share a word with a question ("Any other comments") was read
    as that question's heading and took the next answers. A question is
    headed once; a label written before the answer on two or more lines of
    one document names none. Only text matches cut at the label are dropped
    (numbered headings and whole-line headings keep their evidence).
    """
    seen: dict[str, list[Candidate]] = {}
    for c in raw:
        if c.numbering is None and c.scores and c.rest < c.end < c.line_end:
            label = text[c.rest : c.end].strip(" \t:.-–—*_").lower()
            if label:
                seen.setdefault(label, []).append(c)
    for group in seen.values():
        if len(group) >= 2:
            for c in group:
                c.scores.clear()
                c.methods.clear()
                c.end = c.line_start
