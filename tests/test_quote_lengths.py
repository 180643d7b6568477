"""``quotes._clean_lengths`` (each distinct quote cleaned once, issue 15) against the per-row
``map(clean_quote).str.len()`` it replaces: list markers, markdown emphasis, whitespace,
repeats, on object and string columns."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from helpers.analysis import clean_quote
from helpers.analysis.quotes import _clean_lengths

PIECES = ["- ", "• ", "1. ", "a) ", "(iv) ", "**Bold** ", "__under__ ", "  ", "\n", "\t",
          "word ", "Longer words here. ", "ß ", "é ", "—", "*", "2)"]  # fmt: skip


def test_clean_lengths_equal_the_per_row_lengths():
    rng = random.Random(3)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 12))) for _ in range(400)]
    texts += texts[:150]  # repeats, as campaign copies give
    rng.shuffle(texts)
    for dtype in (object, "string"):
        s = pd.Series(texts, dtype=dtype, index=np.arange(len(texts)) * 3)
        want = s.map(clean_quote).str.len().to_numpy(dtype=np.int64)
        assert np.array_equal(_clean_lengths(s), want)
