"""Heading shapes: which lines look like headings, and which bare numbers are question numbers.

Numbers and text are evidence for a question (``headings``); shape is
evidence that a line is a heading at all, even one naming no question: a
short bold line, a plain title over a paragraph, a line ending in '?'. Shapes
let ``assign`` place a heading by position and ``notes`` report headings that
matched nothing. Bare numbers ("1.", "ii.") are checked here across the
document, per family (digits, roman numerals): a list inside an answer
restarts, a letter's sections are titled "Introduction", and a run of
numbered paragraphs inside one text-headed answer is a list.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.numbering import heading_words, is_section_title
from helpers.ingest.segment.passages import describes_self
from helpers.ingest.segment.sequence import SEQUENCE_CUE
from helpers.ingest.segment.similarity import unframed_similarities
from helpers.ingest.segment.thresholds import ACCEPT, LIST_NUMBER_SCORE, TEXT_MIN

_RUN_IN_RE = re.compile(r"[ \t]*\W*(?:[^\s:]+[ \t]+){0,5}?[^\s:]+(?::|[ \t][-–—])[ \t]+\S")


def run_in_endings(text: str, le: int) -> tuple[str, ...]:
    """Endings of a run-in label: a colon, or a spaced dash when prose ends the line.

    "Re the trial – we would accept it." is a label and its answer; a letter's
    subject line "Re: the scheme – a resident's views" (no sentence) is not.
    """
    prose = text[:le].rstrip(" *_'\"’”").endswith((".", "!", "?"))
    return (":", " -", " –", " —") if prose else (":",)


def drop_lone_run_ins(raw: list[Candidate], text: str) -> None:
    """A run-in label ("On the proposal itself: I support it") is a style: one alone is not.

    A same-line label that names a question (``run_in``: no number, no style)
    counts only when another line of the document could head an answer too
    (a score of at least ``ACCEPT``); a lone quoted '"Good would be: …' inside
    a letter stays the letter's text.
    """
    able = [c for c in raw if c.scores and max(c.scores.values()) >= ACCEPT]
    if len(able) == 1 and able[0].run_in:
        able[0].scores.clear()
        able[0].methods.clear()
    # A run of consecutive "Label - point." lines most of which name no question
    # is the respondent's list of points inside one answer ("Planning - …",
    # "Life skills - …", "Relationships - …"): none of its labels is a heading.
    i = 0
    while i < len(raw):
        j = i
        while j < len(raw) and _RUN_IN_RE.match(text, raw[j].line_start, raw[j].line_end):
            j += 1
        run = raw[i:j]
        if len(run) >= 2 and 2 * sum(bool(c.scores) for c in run) < len(run):
            for c in run:
                if c.run_in:
                    c.scores.clear()
                    c.methods.clear()
        i = max(j, i + 1)


def bare_families(
    raw: list[Candidate], questions: tuple[Question, ...], text: str | None = None
) -> set[str]:
    """The bare numbering families ("digit", "roman") whose numbers are question numbers.

    Bare numbers followed by text count as headings only when, across the
    document, the family's numbers run strictly upwards (a list inside an
    answer restarts at 1) and fit the consultation's numbers (numbered
    paragraphs of a letter also run upwards), there are no question-numbered
    headings, and no numbered line is a section title ("I. Introduction").
    Bare numbers alone on their line, in any order, are marked ``order_free``
    when the family's standalone numbers are distinct question numbers.
    """
    numbers = {q.number for q in questions if q.number is not None}
    has_q = any(c.numbering == "q" and not c.prose_number for c in raw)
    out: set[str] = set()
    for fam in ("digit", "roman", "letter", "word"):
        run = [c for c in raw if c.numbering == "bare" and c.family == fam]
        if (
            any(is_section_title(c.plain_text) or _self_title(c, questions) for c in run)
            or (fam == "letter" and _introduced_list(raw, run))
            or (text is not None and _view_as_profile(text, run, questions))
        ):
            for c in run:  # section numbering: not question numbers at all
                c.number = c.numbering = c.family = None
                c.end = c.line_end if c.cue is not None else c.line_start
            continue
        if fam == "word" and not _distinct_question_numbers(run, numbers):
            for c in run:  # one lone "Two" is an answer, not a numbering style
                c.number = c.numbering = c.family = None
                c.end = c.line_end if c.cue is not None else c.line_start
            continue
        nums = [c.number for c in run]
        if (
            len(nums) >= 2
            and not has_q
            and all(a < b for a, b in zip(nums, nums[1:], strict=False))
            and set(nums) <= numbers
        ):
            out.add(fam)
        alone = [c for c in run if c.end >= c.line_end or c.cue is not None]
        alone_nums = [c.number for c in alone]
        if len(alone) >= 2 and len(set(alone_nums)) == len(alone) and set(alone_nums) <= numbers:
            for c in alone:
                c.order_free = True
    return out


def _distinct_question_numbers(run: list[Candidate], numbers: set[int]) -> bool:
    """Two or more lines, each a different question number of the consultation."""
    nums = [c.number for c in run]
    return len(nums) >= 2 and len(set(nums)) == len(nums) and set(nums) <= numbers


_PROSE_WORDS = 8  # more words than a label after the number: the point itself
_SELF_TITLE_RE = re.compile(
    r"\W*(?:about\s+(?:(?:the|our|my|this)\s+)?[\w'’&-]+(?:\s+[\w'’&-]+){0,3}"
    r"|who\s+(?:we|i)\s+(?:are|am))\W*",
    re.I,
)


def _self_title(c: Candidate, questions: tuple[Question, ...]) -> bool:
    """Whether a numbered line titles a section about its writer on a non-profile number.

    Rationale: "1. About the Guild", "2) Who we are" over a paragraph saying
    who writes: when the consultation's question with that number asks for a
    view, not who the respondent is, the numbers count the document's own
    sections (as "I. Introduction" does, ``is_section_title``), and read as
    question numbers they put every later section one question late
    (ofsted-docs-17). A title naming some question's words ("About the
    proposal") is a heading for that question, and a number naming the
    profile question ("1: About you" where question 1 asks who responds)
    agrees with its title: neither says anything about the numbering.
    """
    if c.number is None or _SELF_TITLE_RE.fullmatch(c.plain_text.strip()) is None:
        return False
    q = next((q for q in questions if q.number == c.number), None)
    if q is None or q.kind == "profile":
        return False
    # The words only: the self-description frame itself ("About the …") names the
    # profile question (``intents``), which is what this line's numbers are weighed against.
    sims = unframed_similarities(c.plain_text, questions)
    return max((max(v) for v in sims), default=0) < TEXT_MIN


def _view_as_profile(text: str, run: list[Candidate], questions: tuple[Question, ...]) -> bool:
    """Whether reading the numbers as questions would make a view the profile answer.

    Rationale: where the consultation numbers its "who are you" question (a
    profile question numbered 1), a respondent's numbered points "1. The
    closures will push the traffic onto our road ..." would put their first
    view under it. A profile answer says who writes ("I'm 16 and live on
    Orchard Road", "We are a parish council"); a numbered paragraph that is
    prose (more than ``_PROSE_WORDS`` words on the number's line) and does
    not describe its writer is a point of a letter, so the family numbers
    points, not questions. Labels after the number ("a) me") are not judged.
    """
    by_number = {q.number: q for q in questions if q.number is not None}
    for c in run:
        q = by_number.get(c.number)
        if q is None or q.kind != "profile" or c.end >= c.line_end:
            continue
        rest = text[c.end : c.line_end].strip()
        if len(rest.split()) > _PROSE_WORDS and not describes_self(rest):
            return True
    return False


def _introduced_list(raw: list[Candidate], run: list[Candidate]) -> bool:
    """Whether lettered lines are a list: a colon introduces them, or an item ends in ";" or ",".

    "We suggest three tests: / (a) whether plans are reviewed; / (b) …" is a
    list inside an answer; answers lettered a) … e) are not introduced so.
    """
    if not run:
        return False
    first = raw.index(run[0])
    before = raw[first - 1].plain_text.rstrip(" *_") if first > 0 else ""
    return before.endswith(":") or any(c.plain_text.rstrip(" *_").endswith((";", ",")) for c in run)


def demote_lists_inside_one_answer(raw: list[Candidate], families: set[str]) -> None:
    """A run of bare-numbered paragraphs inside one headed answer is a list.

    When the document's other headings are found by text (paraphrased titles)
    and every numbered paragraph of a family lies between the same two of
    them, after the first, the numbers are list items, not questions. Lines
    that are only a number of another family ("iv.", "Four", each alone on its
    line, ``order_free``) are such headings too: a "1. … 2. … 3. …" list inside
    the answer under "Four" is that answer's points, not questions 1 to 3
    (found by ``benchmarks.seg_perturb``: roman and word headings over answers
    holding their own numbered lists).

    The same holds for headings in the respondent's own words
    (``own_heading``: a short bold, Word-heading or markdown line with no
    number, "Why wait until 2023?", "What good looks like, piece by piece"):
    points numbered ``1.`` ... ``4.`` or lettered ``(a)`` ... ``(d)`` that all
    sit under one such heading, with another such heading after them, are
    that answer's points; so are points under the last of two or more such
    headings ("Deliveries", then "What would work for us" over ``1)`` ...
    ``3)``). The document's first line (its title) and document sections
    ("Introduction", "Conclusion": numbered answers often sit between those)
    do not count as such headings, so a titled response whose answers are
    only numbered keeps its numbers.
    """
    own = [c.start for c in raw[1:] if own_heading(c)]
    strong = [
        c.start for c in raw if c.numbering is None and max(c.scores.values(), default=0) >= 0.7
    ]
    for fam in families:
        run = [c for c in raw if c.numbering == "bare" and c.family == fam and c.end < c.line_end]
        every = [c for c in raw if c.numbering == "bare" and c.family == fam]
        # Another family's numbers alone on their lines ("iv.", "Four") head answers too.
        heads = strong + [
            c.start for c in raw if c.numbering == "bare" and c.family != fam and c.order_free
        ]
        if run:
            first, last = run[0].start, run[-1].start
            if any(s < first for s in heads) and not any(first < s < last for s in heads):
                _demote(run)
        if every:  # own headings: the points, with a label of their own or none
            first, last = every[0].start, every[-1].start
            before = sum(s < first for s in own)
            if (before >= 2 or (before and any(s > last for s in own))) and not any(
                first < s < last for s in own + strong
            ):
                _demote(every)


def _demote(run: list[Candidate]) -> None:
    for c in run:
        for j, method in c.methods.items():
            if method == "number":
                c.scores[j] = min(c.scores[j], LIST_NUMBER_SCORE)
        c.order_free = False


def own_heading(c: Candidate) -> bool:
    """Whether ``c`` is a styled heading line in the respondent's own words.

    A bold, Word-heading or markdown line with no number, standing alone on
    its line, short (at most ``_STYLED_WORDS`` words) and not a sentence
    (or a question ending in '?'), and not a document section title.
    """
    if c.numbering is not None or c.cue is None or c.start != c.line_start:
        return False
    line = c.plain_text.rstrip(" *_'\"’”")
    words = line.split()
    if not words or len(words) > _STYLED_WORDS or is_section_title(line):
        return False
    if c.cue == SEQUENCE_CUE:  # "Secondly, on the proposal itself." (``sequence``)
        return True
    return line.endswith("?") or not line.endswith(_SENTENCE_END)


_TITLE_WORDS = 8  # a plain title line has at most this many words
_STYLED_WORDS = 14  # a bold or Word-heading line, at most this many
_SENTENCE_END = (".", "!", ",", ";")
_BULLETS = "•●▪‣◦·-–*"  # a bulleted line is a list item, never a plain title


def heading_shape(text: str, c: Candidate, nxt: Candidate | None) -> str | None:
    """Whether the line looks like a heading even if it names no question, and how.

    ``numbered``: a question number ("Question 9", "Q3 (timing)") or a bare
    number alone on its line; ``styled``: a short bold/Word-heading/markdown
    line that is not a sentence; ``question``: a line of its own ending in
    '?'; ``title``: a short plain line, capitalised, not a sentence, followed
    by a longer line of answer text. Used to place headings by position and
    to report headings that matched no question.
    """
    if c.numbering == "q" and not c.prose_number:
        return "numbered"
    if c.numbering == "bare" and c.end >= c.line_end:
        return "numbered"
    if c.number is not None:
        return None
    words = c.plain_text.split()
    line = c.plain_text.rstrip(" *_'\"’”")
    if not words or not line or c.start != c.line_start:
        return None
    if c.cue == SEQUENCE_CUE:
        return "styled"
    if c.cue is not None:
        if line.endswith("?") or (len(words) <= _STYLED_WORDS and not line.endswith(_SENTENCE_END)):
            return "styled"
        return None
    if line.endswith("?") and len(words) <= 25:
        return "question"
    # A form's question label with its tag, "Any other comments (optional)": a heading
    # whatever follows it (a typed copy of an online form; the answer may be "-").
    tag = heading_words().form_tag_re.search(c.plain_text)
    if tag and tag.start() > 0 and len(words) <= _STYLED_WORDS and line[0].isupper():
        return "title"
    if (
        len(words) <= _TITLE_WORDS
        and line[0].isupper()
        and text[c.line_start] not in _BULLETS
        and not line.endswith(_SENTENCE_END)
        and nxt is not None
        and text.count("\n", c.line_end, nxt.line_start) >= 1
        and len(nxt.plain_text.split()) > len(words)
    ):
        return "title"
    return None
