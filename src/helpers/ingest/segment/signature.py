"""A signature block at the end of the last answer: a name, a role, an organisation.

Many responses end without "Yours sincerely": the last answer's final
paragraph is simply the writer's name and role ("Simon Achterberg / Chair,
Independent Reviewing Officers' Network", "Contact: Aisha Rahman, Policy
Lead", "Marcus Fenwick, supporter of Homes Not Hostels"). Left in the answer,
it is coded as the respondent's words and puts a person's name into quotes.

The rule, chosen to be safe on answers that end in short lines of their own
(a bulleted list, "Staying Put / Staying Close"):

* only a trailing run of at most ``MAX_LINES`` short lines (each at most
  ``MAX_WORDS`` words, none ending a sentence with ``.``, ``!`` or ``?``);
* the text before the run ends a sentence (``.``, ``!``, ``?``, or a closing
  quote or bracket after one), so the run is not the items of a list that a
  colon introduced;
* the run's first line is a contact label ("Contact:", "Name:", "Signed:",
  "From:") or starts with a person's name of at least two words (or a
  title: "Dr Patel") that ends the line or is followed by a comma and a role;
* the run does not start the answer (an answer that is only a name is left
  alone: it may be the answer to a "name" question).

Linear in the answer's length: only the last lines are looked at.
"""

from __future__ import annotations

import re

from helpers.ingest.names import is_person, name_run

MAX_LINES = 5
MAX_WORDS = 14
_LABEL_RE = re.compile(r"^(contact|name|signed|from|submitted by|author)\s*:", re.I)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")
_MARKUP = "*_#> \t"


def _lines(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of text[s:e], markup and spaces trimmed."""
    out = []
    pos = s
    for line in text[s:e].split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        while ls < le and text[ls] in _MARKUP:
            ls += 1
        while le > ls and text[le - 1] in _MARKUP:
            le -= 1
        if le > ls:
            out.append((ls, le))
    return out


def _signature_shaped(line: str) -> bool:
    return len(line.split()) <= MAX_WORDS and not _SENTENCE_END_RE.search(line)


def _opens_signature(line: str) -> bool:
    if _LABEL_RE.match(line):
        return True
    head = line.split(",", 1)[0].strip()
    name = name_run(head)
    # The whole part before any comma must be the name ("Tom O'Neill, resident").
    if name is None or _bare(name) != _bare(head):
        return False
    return is_person(head) and len(name.split()) >= 2


def _bare(s: str) -> str:
    return re.sub(r"[.,:;\s]+", " ", s).strip()


def signature_start(text: str, s: int, e: int) -> int | None:
    """Start of a trailing signature block in text[s:e] (module docstring), or None."""
    # Look at the last lines only: the tail of a long answer, not all of it.
    tail_from = max(s, e - 2000)
    lines = _lines(text, tail_from, e)
    if tail_from > s and lines:
        lines = lines[1:]  # the first may be cut mid-line
    run: list[tuple[int, int]] = []
    for ls, le in reversed(lines):
        if len(run) == MAX_LINES or not _signature_shaped(text[ls:le]):
            break
        run.insert(0, (ls, le))
    for ls, le in run:
        if not _opens_signature(text[ls:le]):
            continue
        before = text[s:ls].rstrip(_MARKUP + "\n\r")
        if not before or not _SENTENCE_END_RE.search(before):
            return None
        return ls
    return None
