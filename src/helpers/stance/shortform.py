"""A scale point given in short: "SA", "SD.", "DK", "N – no view", "4 (1 = strongly
disagree, 5 = strongly agree)" (session 28, issue 13).

People who answer a form by hand often write the scale's point the way a form abbreviates
it, or give its number with the legend they were shown. The rules read the scale's own
words ("Strongly agree") but not "SA", and a bare number by its size (a mark out of five),
not by the legend beside it ("Score: 4 (1 = strongly disagree, 5 = strongly agree)" was read
as strong disagreement from the legend's words).

Read here, from the SCALE's labels, never from a fixed list tied to one consultation:

- each label's short forms are its words' initials ("Strongly agree" → ``SA``, "Neither
  agree nor disagree" → ``NAND`` and ``N``, "Don't know" → ``DK``), derived from the label
  set passed in (default ``schemas.STANCE_LABELS``, the scale every closed question uses);
- a short form counts only where an answer or one of its lines OPENS with it in capitals
  and it stands alone: the end, a stop, a dash, a colon or a bracket after it ("SA.",
  "SD – far too soon", "DK"). A one-letter form ("A", "D", "N") must be followed by the end of
  its line or a dash: "A. Background" is a list label, "D: Actually ..." a speaker's, "A
  January start" a word;
- a number counts only beside a legend that names scale points by number ("1 =
  strongly disagree", "5 - strongly agree"): the number's own label if the legend gives it,
  else its place between the legend's two ends (a number in the middle is the middle).
  Without a legend a bare number says nothing (a form's code 4 is "Disagree" where options
  are numbered from "Strongly agree", "agree" on a 1-5 rating): "4/5" and "4 out of 5" are
  marks (``stance.rating``).

``by_short_form`` gives that point (confidence ``CONFIDENCE``, method ``cue``) where the
reading before it found no position or another point (``stance.table``, after the other
layers, before the gate). A stated middle ("N") is a position; "DK" is ``dont_know``.
"""

from __future__ import annotations

import re

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.stance.comparison import QuestionWords, question_words
from helpers.stance.result import StanceResult, _stance_result
from helpers.stance.verdict import reread

__all__ = ["CONFIDENCE", "by_short_form", "short_form", "short_form_answers", "short_forms"]

CONFIDENCE = 0.85  # a point of the scale written by the respondent, abbreviated
_POINTS = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
_AFTER_TWO = r"(?=\s*(?:$|[.!,;:)\]–—-]|\s-\s|\n))"
# one letter: the end of its line or a dash ("D: Actually ..." is a speaker's label)
_AFTER_ONE = r"(?=[^\S\n]*(?:$|\n|[–—]|\s-\s))"


def short_forms(labels: dict[str, str] | None = None) -> dict[str, str]:
    """Short form (upper case) → scale point, from each point's label's words' initials; a
    label of several words also gives its first word's initial when no other label starts
    with that letter ("Neither agree nor disagree" → "N")."""
    labels = labels or schemas.STANCE_LABELS
    out: dict[str, str] = {}
    firsts: dict[str, set[str]] = {}
    for point in _POINTS:
        words = re.findall(r"[a-z]+", labels[point].lower().replace("'", "").replace("’", ""))
        if not words:
            continue
        out["".join(w[0] for w in words).upper()] = point
        firsts.setdefault(words[0][0].upper(), set()).add(point)
    for letter, points in firsts.items():
        if len(points) == 1 and letter not in out:
            out[letter] = next(iter(points))
    return out


def _legend(text: str, labels: dict[str, str]) -> dict[int, str]:
    """Number → scale point named by a legend in ``text`` ("1 = strongly disagree")."""
    names = sorted(((labels[p].lower(), p) for p in _POINTS[:5]), key=lambda x: -len(x[0]))
    alt = "|".join(re.escape(n) for n, _ in names)
    found = {}
    for m in re.finditer(rf"\b([0-9])\s*(?:=|-|–|:|is)\s*({alt})\b", text.lower()):
        found[int(m.group(1))] = dict(names)[m.group(2)]
    return found


def _by_legend(n: int, legend: dict[int, str]) -> str | None:
    if n in legend:
        return legend[n]
    if len(legend) < 2:
        return None
    lo, hi = min(legend), max(legend)
    if not lo <= n <= hi:
        return None
    score = {p: schemas.STANCE_SCORES[p] for p in _POINTS[:5]}
    a, b = score[legend[lo]], score[legend[hi]]
    value = a + (b - a) * (n - lo) / (hi - lo)
    if abs(value) < 0.5:
        return "neither"
    return ("strongly_" if abs(value) >= 1.5 else "") + ("agree" if value > 0 else "disagree")


def short_form(text: str, labels: dict[str, str] | None = None) -> tuple[str, int, int] | None:
    """(scale point, start, end) of the first short form or legend-read number that opens
    ``text`` or one of its lines (see the module docstring); else None."""
    labels = labels or schemas.STANCE_LABELS
    forms = short_forms(labels)
    two = "|".join(sorted((re.escape(f) for f in forms if len(f) > 1), key=len, reverse=True))
    one = "|".join(re.escape(f) for f in forms if len(f) == 1)
    # at a line's start, or after a short label of its own ("Q3: SD", "Answer: SA")
    pattern = rf"(?m)^[^\S\n]*(?:[A-Za-z0-9 ]{{1,12}}:[^\S\n]*)?(?:(?P<two>{two}){_AFTER_TWO}" + (
        rf"|(?P<one>{one}){_AFTER_ONE})" if one else ")"
    )
    m = re.search(pattern, text[:400])
    if m:
        form = m.group("two") or m.group("one")
        return forms[form], m.start(m.lastgroup), m.end(m.lastgroup)
    legend = _legend(text, labels)
    if legend:
        spans = [(a, b) for a, b in _legend_spans(text)]
        for n in re.finditer(r"(?<![\d/=.-])\b([0-9])\b(?!\s*(?:=|/|out of|-\s*[a-z]))", text):
            if any(a <= n.start() < b for a, b in spans):
                continue
            point = _by_legend(int(n.group(1)), legend)
            if point is not None:
                return point, n.start(), n.end()
    return None


def _legend_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\b[0-9]\s*(?:=|-|–|:|is)\s*[a-z ']+",
                                                        text, flags=re.I)]  # fmt: skip


def by_short_form(
    text: str, spans: list[tuple[int, int]], r: StanceResult | None, words: QuestionWords
) -> StanceResult | None:
    """``r`` replaced by the answer's short form when ``r`` found no position or another
    point; ``words`` unused (the shared ``verdict.reread`` signature)."""
    if not spans:
        return r
    s0, e0 = spans[0]
    found = short_form(text[s0:e0])
    if found is None:
        return r
    point, a, b = found
    if r is not None and r.stance == point:
        return r
    score = schemas.STANCE_SCORES.get(point)
    reservations = bool(r.reservations) if r is not None else False
    cues = r.cues if r is not None else ()
    return _stance_result(point, None if score is None else float(score), reservations,
                          CONFIDENCE, text[s0 + a : s0 + b], s0 + a, s0 + b, "cue", cues)  # fmt: skip


def short_form_answers(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each (respondent, question)'s reading after ``by_short_form`` (``stance.table``)."""
    words = {q.id: question_words(consultation, q.id) for q in consultation.closed_questions}
    return reread(read, texts, segments, words, by_short_form)
