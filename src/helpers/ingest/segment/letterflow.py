"""The letter decoder's search: the best question for every paragraph of a letter at once.

A Viterbi pass over (this unit's choice, the last question answered so far): each unit's
own scores (``letterseq.emissions``) plus the letter's flow — going on with the previous
paragraph's question, or going back to an earlier question in the consultation's order.
Split from ``letterseq`` (session 23) because it needs nothing but the scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def decode(
    score: np.ndarray, ranks: Sequence[int], cont: float, back: float, on: Sequence[bool]
) -> list[int]:
    """The best choice of every unit (0 = no question, j = question j-1) under ``score``
    (units × choices) plus the letter's flow (``letterseq``'s module docstring).

    State: (this unit's choice, the last question answered so far, 0 = none yet).
    Going on with the previous unit's question gains ``cont`` where ``on``;
    choosing a question whose rank is before the last answered one's costs
    ``back`` (a profile question, rank -1, is outside the order).
    """
    n, k = score.shape
    if not n:
        return []
    neg = -1e18
    # best[c, last]: best total with this unit's choice c and last answered question last
    best = np.full((k, k), neg)
    best[0, 0] = score[0, 0]
    for c in range(1, k):
        best[c, c] = score[0, c]
    backs: list[np.ndarray] = []
    for i in range(1, n):
        cur = np.full((k, k), neg)
        arg = np.zeros((k, k, 2), dtype=int)
        for pc in range(k):
            for last in range(k):
                v = best[pc, last]
                if v <= neg / 2:
                    continue
                # no question: the last answered stays
                val = v + score[i, 0]
                if val > cur[0, last]:
                    cur[0, last], arg[0, last] = val, (pc, last)
                for c in range(1, k):
                    g = score[i, c]
                    if c == pc and on[i]:
                        g += cont
                    elif last and ranks[c - 1] >= 0 and ranks[last - 1] > ranks[c - 1]:
                        g -= back
                    nl = c if ranks[c - 1] >= 0 or not last else last
                    val = v + g
                    if val > cur[c, nl]:
                        cur[c, nl], arg[c, nl] = val, (pc, last)
        best = cur
        backs.append(arg)
    c, last = np.unravel_index(int(np.argmax(best)), best.shape)
    out = [int(c)]
    for i in range(n - 1, 0, -1):
        c, last = backs[i - 1][c, last]
        out.append(int(c))
    return out[::-1]
