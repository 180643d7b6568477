"""Passages of text no heading placed: heading-shaped lines, blocks, and what a passage is.

``meaning`` reads text left ``unstructured`` (or a preamble, or an answer
holding a heading that matched no question) in blocks: a heading in the
respondent's own words with the text under it, or, where there is no such
line, one paragraph at a time. This module finds those blocks and says what a
passage is, with generic English cues from ``data/letter_cues_en.yaml``:

- a **heading line** is short (at most ``HEADING_WORDS`` words), stands on its
  own line with text after it, and has no closing full stop or comma; a
  greeting or subject line ("Dear Sir", "Re: ..."), a sign-off and a
  non-answer ("N/A") are short lines too, and are not headings;
- a **self-description** ("I am a retired teacher", "I'm 23 and ...") says
  who writes, not what they think;
- a passage **takes a position** when "I"/"we" come shortly before a position
  verb ("we would strongly support") or it uses a position phrase ("a waste
  of money", "too soon"): only such a passage can answer a closed question;
- the **closing** is the sign-off or signature block ending a letter.

Linear in the text's length: each line is looked at a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpers.ingest.nonanswers import load_rule
from helpers.ingest.segment.letters import _SIGN_OFF_RE, _cues, _paragraphs, _phrase_re
from helpers.ingest.segment.signature import signature_start

HEADING_WORDS = 12
LABEL_WORDS = 4
PROSE_WORDS = 6  # a line this long is a sentence, not an address or a name  # a heading ending with a colon is a label of at most this many words
_END_RE = re.compile(r"[.!;,]\s*$")
# A list item ("- housing", "• money", "2) ...") or an address line ("14 Mill Lane"):
# short lines that are not headings of the respondent's own (numbered headings
# are read by ``headings`` before this).
_ITEM_RE = re.compile(r"^\s*(?:[-*•·▪–—>]|\d)")
# A subject lead ("Re: the trial", "RE - timing") and a section number before a title.
_REF_RE = re.compile(r"[ \t>]*re\b[ \t]*[:\-–—]?[ \t]*(?=\w)", re.I)
_NUMBERED_TITLE_RE = re.compile(r"[ \t]*\d{1,2}[.)][ \t]+(?=[A-Z])")
_YES_NO_RE = re.compile(r"^\W*(?:yes|no)\b\s*[.,!;:–—-]", re.I)


@lru_cache(maxsize=1)
def greeting_re() -> re.Pattern[str]:
    """A line opening with a greeting ("Dear ...", "Hi", "To whom it may concern") or an
    e-mail header field ("From:", "Subject:"): the generic ``greetings`` and
    ``header_fields`` cues. Public: the letter decoder and the short-message rule use it."""
    cues = _cues()
    fields = "|".join(re.escape(f) for f in cues["header_fields"])
    greeting = _phrase_re(cues["greetings"]).pattern
    return re.compile(rf"^\W*(?:{greeting}|(?:{fields})\s*:)", re.I)


_greeting_re = greeting_re  # the old private name, kept for existing importers


@lru_cache(maxsize=1)
def _self_re() -> re.Pattern[str]:
    # ...or their age: "I'm 23 and I left care at 18".
    words = _phrase_re(_cues()["self_description"]).pattern
    # ...after a phrase of time: "For six years I have run a drop-in", "Since 2015, we have been".
    when = r"(?:(?:for|since|over|in|during)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+\s*,?\s+)?"
    return re.compile(rf"^\W*{when}(?:{words}|(?:i\s+am|i['’]?m)\s+\d)", re.I)


@lru_cache(maxsize=1)
def _position_re() -> re.Pattern[str]:
    cues = _cues()
    verbs = _phrase_re(cues["position_verbs"]).pattern
    phrases = _phrase_re(cues["position_phrases"]).pattern
    return re.compile(rf"\b(?:i|we)\b(?:\s+[\w’'-]+){{0,3}}?\s+{verbs}|{phrases}", re.I)


def heading_line(line: str) -> bool:
    """Whether ``line`` looks like a heading in the respondent's own words (module docstring)."""
    line = line.strip()
    words = line.split()
    # "The most important factors are:" introduces a list; "Timing:" heads an answer.
    most = LABEL_WORDS if line.endswith(":") else HEADING_WORDS
    return (
        0 < len(words) <= most
        and "\n" not in line
        and not _END_RE.search(line)
        and not _ITEM_RE.match(line)
        and not _greeting_re().search(line)
        and not _SIGN_OFF_RE.match(line)
        and not load_rule().is_non_answer(line, "open")
    )


def describes_self(sentence: str) -> bool:
    """Whether a first sentence says who is writing ("I am a foster carer ...").

    A phrase of time may come first ("For six years I have run a drop-in for
    care leavers", "Since 2015, we have been ..."): the sentence still says who
    writes, and a letter's opening read as a view was placed under a question
    (ofsted-docs-13) and pulled the rest of the letter out of order.
    """
    return bool(_self_re().match(sentence))


def takes_position(text: str) -> bool:
    """Whether ``text`` takes a position someone could agree or disagree with."""
    return bool(_YES_NO_RE.match(text) or _position_re().search(text))


def has_answer(body: str) -> bool:
    """Whether a heading's body has a line that is not a greeting, header or sign-off."""
    return any(
        line.strip() and not _greeting_re().search(line) and not _SIGN_OFF_RE.match(line)
        for line in body.splitlines()
    )


def closing_at(text: str, s: int, e: int) -> int:
    """Where the sign-off or signature block ending ``text[s:e]`` starts (``e`` if none)."""
    for k, (a, b) in enumerate(_paragraphs(text[s:e])):
        if k and _SIGN_OFF_RE.match(text[s + a : s + b]):
            return s + a
    return signature_start(text, s, e) or e


@lru_cache(maxsize=1)
def _salutation_re() -> re.Pattern[str]:
    return re.compile(rf"^\W*(?:{_phrase_re(_cues()['salutations']).pattern})", re.I)


def letter_body_end(text: str, s: int, e: int) -> int | None:
    """Where the letter ends, when ``text[s:e]`` (a preamble) is a whole letter; else None.

    Rationale: an e-mail often answers some questions in its own body, as a
    letter ("Dear colleagues, ... The council welcomes the proposal ... Yours
    sincerely"), and the rest in a headed attachment read after it. The
    attachment's headings make everything before them the preamble, where only
    a heading is read, so the body's answers were never placed. A preamble
    that opens (within its first two paragraphs) with a salutation
    (``salutations`` in ``data/letter_cues_en.yaml``) and has a sign-off or
    signature after at least two more paragraphs is such a letter: its
    paragraphs before the sign-off are read as a letter's are (introductions,
    self-descriptions and the opening never assigned). A title page or
    "About us" preamble has no salutation; a covering note with nothing
    between greeting and sign-off has too few paragraphs.
    """
    paras = _paragraphs(text[s:e])
    if len(paras) < 4 or not any(_salutation_re().match(text[s + a : s + b]) for a, b in paras[:2]):
        return None
    stop = closing_at(text, s, e)
    if stop >= e:
        return None
    before = [p for p in paras if s + p[1] <= stop]
    return stop if len(before) >= 3 else None


@dataclass
class Block:
    """A heading with the text under it, or (``heading`` None) one paragraph."""

    start: int  # offsets in the respondent's text (the heading's start, if any)
    end: int
    body_start: int
    heading: str | None
    body: str
    first: bool = False  # the document's opening block (a title, an introduction)


def _own_heading(line: str, refs: bool, alone: bool) -> bool:
    """``heading_line`` for a line that may carry a subject lead or a section number.

    Rationale: "Re: the start date" is a letter's subject line when it occurs
    once, but a respondent who opens every section with "Re: ..." ("Re: the
    start date", "Re: what good looks like", "Re: anything else") uses it as
    a heading (``refs``: two or more paragraphs open so). And a paragraph that
    is only a section number and a title ("2. Response times", ``alone``) is a
    heading once the numbers were found to be the document's own
    (``shapes.bare_families``): the numbers name no question, the words may.
    """
    if refs and (m := _REF_RE.match(line)):
        line = line[m.end() :]
    elif alone and (m := _NUMBERED_TITLE_RE.match(line)):
        line = line[m.end() :]
    return heading_line(line)


def _units(text: str, s: int, e: int) -> list[tuple[int, int, bool]]:
    """(start, end, is heading line) for each paragraph of ``text[s:e]``; a paragraph
    whose first line is heading-shaped gives that line and the rest separately."""
    units = []
    paras = [(s + a, s + b) for a, b in _paragraphs(text[s:e])]
    refs = sum(_REF_RE.match(text, a, b) is not None for a, b in paras) >= 2
    for a, b in paras:
        nl = text.find("\n", a, b)
        if nl != -1 and _own_heading(text[a:nl], refs, False):
            rest = nl + 1
            while rest < b and text[rest].isspace():
                rest += 1
            units += [(a, nl, True), (rest, b, False)]
        else:
            units.append((a, b, _own_heading(text[a:b], refs, True)))
    # A heading has prose under it: a heading-shaped line before another (a
    # document's title above its first heading), before an address or date
    # block, or at the end is plain text.
    return [
        (
            a,
            b,
            h
            and k + 1 < len(units)
            and not units[k + 1][2]
            and prose(text[units[k + 1][0] : units[k + 1][1]]),
        )
        for k, (a, b, h) in enumerate(units)
    ]


def prose(text: str) -> bool:
    """Whether a paragraph reads as prose: a sentence-length line or a closing full stop.

    An address, a date, a recipient's name and department or a "Re:" line are
    short lines with no sentence among them: a heading-shaped line above such
    a block ("Flat 3, Mill House", "Transport Policy Team") heads nothing.
    """
    for line in text.splitlines():
        line = line.strip()
        if not line or _greeting_re().search(line) or _SIGN_OFF_RE.match(line):
            continue
        if len(line.split()) >= PROSE_WORDS or re.search(r"[.!?]\s*$", line):
            return True
    return False


def blocks(text: str, s: int, e: int) -> list[Block]:
    """``text[s:e]`` cut into blocks at heading lines; paragraphs before the first heading
    (all of them, when there is none) are blocks of their own."""
    out: list[Block] = []
    for a, b, is_heading in _units(text, s, e):
        if is_heading:
            out.append(Block(a, b, b, text[a:b].strip(), ""))
        elif out and out[-1].heading is not None:
            last = out[-1]
            if not last.body:
                last.body_start = a
            last.end = b
            last.body = text[last.body_start : b]
        else:
            out.append(Block(a, b, a, None, text[a:b]))
    return out
