"""A question's wording hard-wrapped over several lines, read as one heading line.

Respondents paste the question above each answer, and the text arrives
wrapped: a plain-text e-mail breaks lines at 60-70 characters, a PDF's lines
are not joined, a Word heading carries manual line breaks. Each line is then a
candidate of its own, a fragment of the question ("the way you travel
through the town" / "centre?"): the first fragment or a middle one was taken
as the heading, and the rest opened the answer or, when no single line was
clear enough, the whole block went by position (found by
``benchmarks.seg_perturb``, ``wrapped_text``). ``extend_wrapped`` in
``assign`` only extends a heading already found, by lines of ten characters
or more.

Here consecutive lines of one paragraph (one line break between them, at
most ``MAX_LINES``) are joined into one candidate when together they repeat a
wording of the question (its text, short label or an alias) near-verbatim
(``JOINED_MIN``), closer than the first line alone (a question whose last
word is wrapped, "… about the" / "scheme?", is close to its first line too). Only wordings long enough to
wrap (``MIN_WORDING`` characters) are compared. Each line is compared with
each wording at most ``MAX_LINES`` times: linear in the document's length.
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.core.consultation import Question
from helpers.ingest.segment.candidate import Candidate
from helpers.ingest.segment.similarity import norm, ratio_at_least, variants

MAX_LINES = 5  # a question wrapped over more lines than this is not a heading line
JOINED_MIN = 90.0  # the joined lines' character ratio to one wording (rapidfuzz, 0-100)
MIN_WORDING = 40  # characters of a wording that may wrap at all
_GAIN = 2.0  # the joined lines must be this much closer to the wording than the first alone
_MAX_LINE = 300  # a longer line is prose, never a piece of a wrapped heading


def join_wrapped(
    text: str,
    raw: list[Candidate],
    questions: tuple[Question, ...],
    make: Callable[[int, int], Candidate],
) -> list[Candidate]:
    """``raw`` with each run of lines that together repeat a wording made one candidate."""
    wordings = [v.norm for q in questions for v in variants(q) if len(v.norm) >= MIN_WORDING]
    if not wordings:
        return raw
    out: list[Candidate] = []
    i = 0
    while i < len(raw):
        k = _wrapped_end(text, raw, i, wordings)
        out.append(make(raw[i].line_start, raw[k].line_end) if k > i else raw[i])
        i = k + 1
    return out


def _best(piece: str, wordings: list[str], floor: float) -> float:
    return max((ratio_at_least(piece, w, floor) for w in wordings), default=0.0)


def _wrapped_end(text: str, raw: list[Candidate], i: int, wordings: list[str]) -> int:
    """The last line of a wrapped wording starting at line ``i`` (``i`` itself if none)."""
    first = raw[i]
    if first.line_end - first.rest > _MAX_LINE:
        return i
    longest = max(len(w) for w in wordings)
    best = single = _best(norm(text[first.rest : first.line_end]), wordings, 0.0)
    best_k = i
    for k in range(i + 1, min(len(raw), i + MAX_LINES)):
        prev, nxt = raw[k - 1], raw[k]
        gap = text[prev.line_end : nxt.line_start]
        if gap.count("\n") != 1 or gap.strip() or nxt.line_end - nxt.line_start > _MAX_LINE:
            break
        if _best(norm(text[nxt.line_start : nxt.line_end]), wordings, 0.0) >= JOINED_MIN:
            break  # the next line is a whole wording of its own
        joined = norm(text[first.rest : nxt.line_end])
        r = _best(joined, wordings, best)
        if r > best:
            best, best_k = r, k
        if len(joined) > longest * 1.2:
            break
    return best_k if best >= JOINED_MIN and best >= single + _GAIN else i
