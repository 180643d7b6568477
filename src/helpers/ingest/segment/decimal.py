"""Numbered paragraphs without headings: "2.1", "2.2", "3.1" group a letter into sections.

Committees, councils and lawyers write letters of numbered paragraphs with no
headings at all ("2.1 The Committee welcomes the proposal … 2.2 Members
nevertheless record a concern …"). Read as a letter, each paragraph is judged
alone, so a second paragraph that only qualifies the first ("Members
nevertheless…") loses its question; read for headings, "2.1" is no question
number. The section number is the respondent's own grouping: every paragraph
of section 2 answers the same thing. Batch 21 (session 19) brought the first
such letter; no rule was written for it.

Recognised by shape: at least ``_MIN_PARAS`` paragraphs open with
"N.M" (section, paragraph), at least two sections, section numbers never go
down and most sections start at paragraph 1; a document that titles its
sections ("2. Summary of our position" over "2.1 …") is left to the
heading rules (spent ofsted-docs-17 lost its "1. About the Guild" answer). Each section runs from its first
numbered paragraph to the next section's (unnumbered paragraphs in between
belong to it). Whether section numbers are question numbers is read from the
document, not assumed: a section's lead is scored against each question
(``letters.lead_scores``; a first sentence saying who writes is evidence for
the profile question). The shift ``k`` (section N answers question N-k: 0
when sections are question numbers, 1 when "1.1" introduces the letter) is
chosen by those words alone (``_shift``): the one whose numbering the
sections' words agree with most, if any; then one increasing chain of
(section, question) is chosen (``parts.in_order``) from the words plus
``NUMBER_W`` where the shifted number agrees. With shift 0 a section placed where its number agrees is read
as numbered (method ``number``); otherwise the placement is a judgement
(method ``section``) that the run-level reading by meaning (``joint``) may
revise. Text before the first numbered paragraph is the preamble, a section
no question wins stays ``unstructured`` for the reading by meaning, except
the first section when nothing is placed before it ("1.1 This letter sets
out our views"): the preamble.
Linear in the document's length.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.core.text import strip_span
from helpers.ingest.segment.letters import lead_scores, lead_sentences
from helpers.ingest.segment.parts import Part, in_order
from helpers.ingest.segment.passages import describes_self

__all__ = ["numbered_sections", "read_decimal"]

_PARA_RE = re.compile(r"^[ \t]*(?P<n>\d{1,2})\.(?P<m>\d{1,2})\.?(?:[ \t]+|$)(?=\S|$)", re.M)
_TITLE_RE = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+(?=[^\d\s])", re.M)
_MIN_PARAS = 3
_LEAD_CHARS = 600
LEX_CAP = 6.0  # topic evidence of a section's lead at which it counts fully
NUMBER_W = 0.6  # a section whose (shifted) number is the question's
BAR = 0.25  # evidence a section must bring to take a question
SHIFTS = (0, 1, 2)
_CONTRA = 0.5  # evidence for another question that contradicts a section's number


def numbered_sections(text: str) -> list[tuple[int, int, int]] | None:
    """[(section number, start, end)] when ``text`` is a letter of numbered paragraphs."""
    paras = []
    for m in _PARA_RE.finditer(text):
        if m.start() == 0 or text[m.start() - 1] == "\n":
            paras.append((int(m.group("n")), int(m.group("m")), m.start()))
    if len(paras) < _MIN_PARAS:
        return None
    numbers = [n for n, _, _ in paras]
    if any(b < a for a, b in zip(numbers, numbers[1:], strict=False)) or len(set(numbers)) < 2:
        return None
    firsts = {}
    for n, m, s in paras:
        firsts.setdefault(n, (m, s))
    if 2 * sum(m == 1 for m, _ in firsts.values()) < len(firsts):
        return None
    titled = {int(m.group(1)) for m in _TITLE_RE.finditer(text)}
    if 2 * len(titled & firsts.keys()) >= len(firsts):
        return None  # "2. Summary" over "2.1 …": numbered headings, read as headings
    starts = sorted((s, n) for n, (_, s) in firsts.items())
    out = []
    for k, (s, n) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        out.append((n, *strip_span(text, s, e)))
    return out


def _evidence(text: str, s: int, e: int, questions: tuple[Question, ...]) -> list[float]:
    """0-1 topic evidence of a section's lead for each question; a first sentence saying
    who writes ("2.1 Resident, Wharf Road. I'm 78 …" is not; "We are a group of …" is)
    is full evidence for the profile questions."""
    lead = text[s : min(e, s + _LEAD_CHARS)]
    out = [min(1.0, v / LEX_CAP) for v in lead_scores(lead, questions)]
    if describes_self(lead_sentences(_PARA_RE.sub("", lead, count=1), 1)):
        out = [1.0 if q.kind == "profile" else v for q, v in zip(questions, out, strict=True)]
    return out


def _shift(sections, lex, numbered: dict[int, int]) -> int | None:
    """How section numbers relate to question numbers: section N answers question N - shift.

    Chosen by the words alone: for each shift, the sections' evidence for the
    question their shifted number names, less what they give some other
    question more clearly (``_CONTRA``); the best shift must find some
    agreement. None when the words support no shift: then a section's number
    says nothing, unless no section names any question by its words at all
    (a bare numbering of answers: shift 0).
    """
    if not any(max(ls, default=0.0) > 0 for ls in lex):
        return 0
    best, best_value = None, 0.0
    for k in SHIFTS:
        value = 0.0
        for (n, _, _), ls in zip(sections, lex, strict=True):
            j = numbered.get(n - k)
            if j is None:
                continue
            value += ls[j]
            if max(ls) >= _CONTRA and max(ls) > ls[j]:
                value -= max(ls) - ls[j]
        if value > best_value + 1e-9:
            best, best_value = k, value
    return best


def read_decimal(text: str, questions: tuple[Question, ...]) -> list[Part] | None:
    """The document's parts when it is a letter of numbered paragraphs, else None."""
    sections = numbered_sections(text)
    if sections is None:
        return None
    lex = [_evidence(text, s, e, questions) for _, s, e in sections]
    numbered = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    shift = _shift(sections, lex, numbered)
    gains = []
    for (n, _, _), ls in zip(sections, lex, strict=True):
        g = {j: ls[j] - BAR for j in range(len(questions))}
        if shift is not None and n - shift in numbered:
            g[numbered[n - shift]] += NUMBER_W
        gains.append(g)
    chosen = in_order(gains)
    if not any(j is not None for j in chosen):
        return None
    parts: list[Part] = []
    if text[: sections[0][1]].strip():
        parts.append(Part("preamble", 0, sections[0][1], "preamble", 1.0))
    placed = [i for i, j in enumerate(chosen) if j is not None]
    for i, ((n, s, e), j) in enumerate(zip(sections, chosen, strict=True)):
        if j is None:
            kind = "preamble" if i == 0 < placed[0] else "unstructured"
            parts.append(Part(kind, s, e, kind, 1.0 if kind == "preamble" else 0.0))
            continue
        agrees = shift is not None and questions[j].number == n - shift
        method = "number" if agrees and shift == 0 else "section"
        score = min(1.0, lex[i][j] + (NUMBER_W if agrees else 0.0))
        parts.append(Part(j, s, e, method, round(score, 3)))
    return parts
