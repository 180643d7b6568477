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
down and most sections start at paragraph 1. Each section runs from its first
numbered paragraph to the next section's (unnumbered paragraphs in between
belong to it). Whether section numbers are question numbers is read from the
document, not assumed: a section's lead is scored against each question
(``letters.lead_scores``), and for each shift ``k`` (section N answering
question N-k: 0 when sections are question numbers, 1 when "1.1" introduces
the letter) one increasing chain of (section, question) is chosen
(``parts.in_order``) from that evidence plus ``NUMBER_W`` where the shifted
number agrees; the shift whose chain is worth most wins, ties to the
smaller shift. With shift 0 a section placed where its number agrees is read
as numbered (method ``number``); otherwise the placement is a judgement
(method ``section``) that the run-level reading by meaning (``joint``) may
revise. Text before the first numbered paragraph is the preamble, a section
no question wins stays ``unstructured`` (an introduction first is the
preamble, a last one after the answers is left for the closing check).
Linear in the document's length.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.core.text import strip_span
from helpers.ingest.segment.letters import lead_scores
from helpers.ingest.segment.parts import Part, in_order

__all__ = ["numbered_sections", "read_decimal"]

_PARA_RE = re.compile(r"^[ \t]*(?P<n>\d{1,2})\.(?P<m>\d{1,2})\.?(?:[ \t]+|$)(?=\S|$)", re.M)
_MIN_PARAS = 3
_LEAD_CHARS = 600
LEX_CAP = 6.0  # topic evidence of a section's lead at which it counts fully
NUMBER_W = 0.6  # a section whose (shifted) number is the question's
BAR = 0.25  # evidence a section must bring to take a question
SHIFTS = (0, 1, 2)


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
    starts = sorted((s, n) for n, (_, s) in firsts.items())
    out = []
    for k, (s, n) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        out.append((n, *strip_span(text, s, e)))
    return out


def read_decimal(text: str, questions: tuple[Question, ...]) -> list[Part] | None:
    """The document's parts when it is a letter of numbered paragraphs, else None."""
    sections = numbered_sections(text)
    if sections is None:
        return None
    lex = [lead_scores(text[s : min(e, s + _LEAD_CHARS)], questions) for _, s, e in sections]
    numbered = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    best = None
    for k in SHIFTS:
        gains = []
        for (n, _, _), ls in zip(sections, lex, strict=True):
            g = {j: min(1.0, ls[j] / LEX_CAP) - BAR for j in range(len(questions))}
            if n - k in numbered:
                g[numbered[n - k]] = g[numbered[n - k]] + NUMBER_W
            gains.append(g)
        chosen = in_order(gains)
        total = sum(gains[i][j] for i, j in enumerate(chosen) if j is not None)
        if best is None or total > best[0] + 1e-9:
            best = (total, k, chosen)
    _, shift, chosen = best
    if not any(j is not None for j in chosen):
        return None
    parts: list[Part] = []
    if text[: sections[0][1]].strip():
        parts.append(Part("preamble", 0, sections[0][1], "preamble", 1.0))
    placed = [i for i, j in enumerate(chosen) if j is not None]
    for i, ((n, s, e), j) in enumerate(zip(sections, chosen, strict=True)):
        if j is None:
            kind = "preamble" if i < placed[0] else "unstructured"
            parts.append(Part(kind, s, e, kind, 1.0 if kind == "preamble" else 0.0))
            continue
        agrees = questions[j].number == n - shift
        method = "number" if agrees and shift == 0 else "section"
        score = min(1.0, min(1.0, lex[i][j] / LEX_CAP) + (NUMBER_W if agrees else 0.0))
        parts.append(Part(j, s, e, method, round(score, 3)))
    return parts
