"""Whole-column replacements of per-row Python (issue 15) against the loops they replace:
``quotes._clean_lengths`` (each distinct quote cleaned once) against
``map(clean_quote).str.len()`` (list markers, markdown emphasis, whitespace, repeats, object
and string columns); ``respondents._looked_up`` against ``[names[r] for r in ids]`` (missing
names, shuffled ids, a duplicated index falling back to the loop)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from helpers.analysis import clean_quote
from helpers.analysis.quotes import _clean_lengths, attributions
from helpers.analysis.respondents import _looked_up

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


def test_looked_up_equals_the_per_respondent_lookup():
    rng = random.Random(5)
    ids = [f"r{k:03d}" for k in range(60)]
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "organisation": [rng.choice([None, "", " Org A ", "Org B", "Jo Bloggs"]) for _ in ids],
            "respondent_type": [rng.choice(["individual", "organisation", None]) for _ in ids],
        }
    )
    names = attributions(respondents)
    order = pd.Series(rng.sample(ids, len(ids)), dtype="string").astype(object)
    want = [names[r] for r in order]
    got = _looked_up(names, order)
    assert [repr(x) for x in got] == [repr(x) for x in want]
    pd.testing.assert_frame_equal(pd.DataFrame({"a": got}), pd.DataFrame({"a": want}))
    dup = pd.Series(["x", "y", "z"], index=["a", "a", "b"], dtype="string")
    assert [repr(x) for x in _looked_up(dup, pd.Series(["b"], dtype=object))] == ["'z'"]
