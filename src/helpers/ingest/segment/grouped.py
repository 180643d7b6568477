"""One numbered heading over the answers to several questions: "Q1-Q3:", "Questions 2 and 4".

A respondent who finds that some questions "hang together" writes one heading
naming them all ("Q2-Q4:", "Questions 1 to 3", "Q3 & Q4", "Our position
(questions 1 and 3)") and then answers them one paragraph each, in the order
named. Read as one answer, everything lands under the first number and the
other questions look unanswered.

The rule (``grouped_parts``): when a heading names two or more question
numbers (``named_numbers``: a range expands, a list is kept in its order),
the answer under it is cut into paragraphs and

- with exactly as many paragraphs as named questions, the paragraphs answer
  them one each, in order (the common shape, and the one that needs no
  reading of the words);
- with more paragraphs than questions, the paragraphs are cut into that many
  runs, in order, where the questions' topic words (``letters.lead_scores``
  of each paragraph's lead) fit best; the cut is made only when every named
  question after the first gets a run whose lead names it;
- otherwise (fewer paragraphs: one answer for all) the answer stays whole
  under the first number.

Questions the respondent answered under a heading of their own elsewhere in
the document are not given a second part. Linear in the answer's length
(the fitting is over at most ``_MAX_PARAS`` paragraphs and a handful of
questions).
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.ingest.segment.letters import lead_scores, lead_sentences

_MAX_PARAS = 24  # a longer answer under one heading is a report section, left whole
_PARA_RE = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*")  # lines up to a blank line
_NUM = r"(?:q\.?|qs\.?|questions?|nos?\.?)?[ \t]*(\d{1,2})(?!\d)"
_GROUP_RE = re.compile(
    rf"\b(?:q|qs|questions?)\.?[ \t]*(\d{{1,2}})(?!\d)"
    rf"((?:[ \t]*(?:,|/|&|\+|and|-|–|—|to)[ \t]*{_NUM})+)",
    re.I,
)
_LINK_RE = re.compile(rf"[ \t]*(,|/|&|\+|and|-|–|—|to)[ \t]*{_NUM}", re.I)
_RANGE = {"-", "–", "—", "to"}


def named_numbers(heading: str | None) -> list[int]:
    """The question numbers a heading names when it names two or more, else [].

    "Q1-Q3" → [1, 2, 3]; "Questions 1 and 3" → [1, 3]; "Q2/Q4" → [2, 4];
    "Question 3" → []. A range that runs backwards or spans more than ten
    numbers is not a range ("Q2-1" names nothing).
    """
    if not heading:
        return []
    m = _GROUP_RE.search(heading)
    if m is None:
        return []
    nums = [int(m.group(1))]
    for link in _LINK_RE.finditer(m.group(2)):
        n = int(link.group(2))
        if link.group(1).lower() in _RANGE:
            if not nums[-1] < n <= nums[-1] + 10:
                return []
            nums.extend(range(nums[-1] + 1, n + 1))
        else:
            nums.append(n)
    seen: list[int] = []
    for n in nums:
        if n not in seen:
            seen.append(n)
    return seen if len(seen) >= 2 else []


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _PARA_RE.finditer(text[start:end])]


def _fit(scores: list[list[float]], k: int) -> tuple[float, list[int]] | None:
    """Cut paragraphs 0..n-1 into ``k`` non-empty runs in order, maximising the runs'
    scores; (total, the first paragraph of each run)."""
    n = len(scores)
    neg = float("-inf")
    # best[j][i]: best total with the first i paragraphs in j runs
    best = [[neg] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            run = 0.0
            for s in range(i - 1, j - 2, -1):  # the j-th run is paragraphs s..i-1
                run += scores[s][j - 1]
                if best[j - 1][s] > neg and best[j - 1][s] + run > best[j][i]:
                    best[j][i] = best[j - 1][s] + run
                    back[j][i] = s
    if best[k][n] == neg:
        return None
    starts, i = [], n
    for j in range(k, 0, -1):
        i = back[j][i]
        starts.append(i)
    return best[k][n], starts[::-1]


def grouped_parts(
    text: str,
    start: int,
    end: int,
    heading: str | None,
    questions: tuple[Question, ...],
    answered: set[int],
) -> list[tuple[int, int]]:
    """(start, question index) of each part of the answer ``text[start:end]``, or [].

    ``heading`` is the answer's heading; ``answered`` the question indexes the
    respondent answered under another heading of the document.
    """
    index = {q.number: j for j, q in enumerate(questions) if q.number is not None}
    named = [index[n] for n in named_numbers(heading) if n in index]
    if len(named) < 2:
        return []
    group = [named[0]] + [j for j in named[1:] if j not in answered]
    if len(group) < 2:
        return []
    paras = _paragraphs(text, start, end)
    if len(paras) < len(group) or len(paras) > _MAX_PARAS:
        return []
    if len(paras) == len(group):
        return [(s, j) for (s, _e), j in zip(paras, group, strict=True)]
    scores = [
        [lead_scores(lead_sentences(text[s:e]), questions)[j] for j in group] for s, e in paras
    ]
    fitted = _fit(scores, len(group))
    if fitted is None:
        return []
    _total, firsts = fitted
    # Every question after the first must be named by the lead of its run's first paragraph.
    if any(scores[p][k] <= 0 for k, p in enumerate(firsts) if k > 0):
        return []
    return [(paras[p][0], group[k]) for k, p in enumerate(firsts)]
