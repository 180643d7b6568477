"""A document's parts read by a structure reader (``transcript``, ``decimal``), and their order.

Some layouts carry their own structure that is not a heading line: an
interview's speaker turns, a letter's numbered paragraphs ("2.1", "2.2").
Their readers cut the document into ``Part`` s (a span, what it answers, how
sure) and ``segment.answers`` makes each part one ANSWERS row. Which question
each part answers is chosen for the whole document at once, each question at
most once, a part left unassigned when no question gains enough: by
``in_order`` when the parts' own numbers run in order (the best chain of
(part, question) pairs with questions increasing), by ``any_order`` when
they may not (an interviewer skips about; the consultation's order is then
only a small prior, as in ``joint``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["Part", "any_order", "best_chain", "in_order"]

ORDER_W = 0.05  # ``any_order``: a pair in its expected relative place gains up to this


@dataclass(frozen=True)
class Part:
    """One span of a document read by a structure reader.

    ``question`` is a question index, or one of ``"preamble"``, ``"closing"``,
    ``"unstructured"``; ``head`` the span of the part's own heading (a turn's
    question, a paragraph's number), if any; ``start``/``end`` its answer.
    """

    question: int | str
    start: int
    end: int
    method: str
    score: float
    head: tuple[int, int] | None = None


def best_chain(
    gains: list[dict[int, float]], step: Callable[[int, int], float] | None = None
) -> list[tuple[int, int]]:
    """The best chain of (part, question) pairs with questions increasing, by DP.

    ``gains[i][j]`` is what assigning part ``i`` to question ``j`` is worth; ``step(j,
    last)`` adds what following question ``last`` with ``j`` is worth (a bonus for the
    very next question, a cost per question skipped: ``assign``'s heading chain). A pair
    whose total is not positive is never taken. State: the last question taken;
    O(parts x questions^2), a few dozen of each. Shared by ``in_order`` and
    ``assign.assign_headings``.
    """
    best: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {-1: (0.0, ())}
    for i, g in enumerate(gains):
        updates: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {}
        for last, (total, path) in best.items():
            for j, v in g.items():
                if j <= last:
                    continue
                if step is not None:
                    v = v + step(j, last)
                if v <= 0:
                    continue
                cand = (total + v, (*path, (i, j)))
                if j not in updates or cand[0] > updates[j][0]:
                    updates[j] = cand
        for j, cand in updates.items():
            if j not in best or cand[0] > best[j][0]:
                best[j] = cand
    return list(max(best.values(), key=lambda t: t[0])[1])


def in_order(gains: list[dict[int, float]]) -> list[int | None]:
    """The question index of each part (or None): the best increasing chain of positive gains
    (``best_chain``; ``gains[i][j]`` is the evidence for part ``i`` answering question ``j``
    minus the bar it must clear; a pair not listed or worth nothing is never taken)."""
    out: list[int | None] = [None] * len(gains)
    for i, j in best_chain(gains):
        out[i] = j
    return out


def any_order(gains: list[dict[int, float]], n_questions: int) -> list[int | None]:
    """The question index of each part (or None): one joint assignment, any order.

    Each pair's gain plus up to ``ORDER_W`` when the part's relative place in
    the document matches the question's in the consultation, solved by
    ``best_assignment`` (a pair with no gain is never taken).
    """
    n = len(gains)
    if not n or not n_questions:
        return [None] * n
    m = np.full((n, n_questions), -np.inf)
    for i, g in enumerate(gains):
        for j, v in g.items():
            if v > 0:
                place = 1.0 - abs(i / max(1, n - 1) - j / max(1, n_questions - 1))
                m[i, j] = v + ORDER_W * place
    return best_assignment(m)[0]


def best_assignment(gain: np.ndarray) -> tuple[list[int | None], float]:
    """Each row's column (or None), each column at most once, with the greatest total gain.

    ``gain`` is rows x columns (``-inf``: not allowed). Solved with
    ``linear_sum_assignment`` over the columns plus one "unassigned" column per
    row worth 0, so a pair is taken only when it gains. Shared by the parts of a
    transcript or numbered letter (``any_order``) and the sections of a document
    read as a whole (``joint``).
    """
    k, n = gain.shape
    full = np.hstack([np.where(np.isfinite(gain), np.maximum(gain, -1e3), -1e6), np.zeros((k, k))])
    rows, cols = linear_sum_assignment(-full)
    best: list[int | None] = [None] * k
    total = 0.0
    for r, c in zip(rows, cols, strict=True):
        if c < n and np.isfinite(gain[r, c]) and gain[r, c] > 0:
            best[r] = int(c)
            total += float(gain[r, c])
    return best, total


def assignment_margins(gain: np.ndarray) -> list[tuple[int | None, float]]:
    """Each row's column in the best assignment (or None) and how much total gain is lost
    without that pair: the joint reading's confidence in each placement, shared by the
    document's joint reading (``joint``) and the own-words reader (``ownwords``)."""
    best, total = best_assignment(gain)
    out: list[tuple[int | None, float]] = []
    for s, j in enumerate(best):
        if j is None:
            out.append((None, 0.0))
            continue
        banned = gain.copy()
        banned[s, j] = -np.inf
        out.append((j, float(total - best_assignment(banned)[1])))
    return out
