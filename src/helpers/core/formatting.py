"""Numbers as every table, chart and report sentence prints them.

Shared by ``analysis`` (table cells, chart labels) and ``report`` (prose), so a
percentage reads the same wherever it appears.
"""

from __future__ import annotations


def format_percent(k: int, n: int) -> str:
    """k of n as a whole-number percentage: '60%', 'less than 1%', '–' when n is 0.

    Rounds half up (so 2 of 8 is '25%' and 1 of 8 is '13%'), which is what
    readers expect from a hand calculation; Python's round() would round half to even.
    """
    k, n = int(k), int(n)
    if n <= 0:
        return "–"
    if 0 < k and 100 * k < n:
        return "less than 1%"
    return f"{(200 * k + n) // (2 * n)}%"
