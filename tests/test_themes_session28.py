"""Session 28 (issue 14): the description-margin column (``coding.descmargin``) and its
benchmark (``benchmarks.theme_context``), checked on hand-made vectors whose cosines are
worked out by hand and on a spent set's real codebook (docs/models.md, "Session 28")."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.coding import descmargin


def test_description_text_drops_the_not_clause():
    got = descmargin.description_text(
        " Road safety ", "Danger to people  on foot.\nNot: speeding cut-through traffic (through_traffic)."
    )
    assert got == "Road safety: Danger to people on foot."
    assert descmargin.description_text("Timing", "") == "Timing"
    assert descmargin.description_text("Timing", "Not: money.") == "Timing"


def test_margins_are_own_cosine_minus_best_other():
    # descriptions at 0, 90 and 53.13 degrees: cosines of s = (1, 0) are 1, 0 and 0.6
    d = np.array([[2.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    s = np.array([[1.0, 0.0], [0.0, 3.0]])  # second sentence: cosines 0, 1, 0.8
    got = descmargin.margins(s, d)
    assert np.allclose(got[0], [1 - 0.6, 0 - 1, 0.6 - 1])
    assert np.allclose(got[1], [0 - 1, 1 - 0.8, 0.8 - 1])
    # two descriptions tied at the top: neither reads more like itself than the other
    tie = descmargin.margins(np.array([[1.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.allclose(tie, [[0.0, 0.0]])


def test_column_reads_evidence_sentences_else_every_sentence():
    m = np.array([0.3, -0.2, 0.1])
    assert descmargin.column(m, [False, True, True]) == pytest.approx(0.1)
    assert descmargin.column(m, [False, False, False]) == pytest.approx(0.3)
    assert descmargin.column(np.zeros(0), []) == descmargin.EMPTY


def test_columns_match_column_pair_by_pair():
    rng = np.random.default_rng(3)
    sent, desc = rng.normal(size=(7, 5)), rng.normal(size=(4, 5))
    first = np.array([0, 2, 3, 7])  # three answers of 2, 1 and 4 sentences
    here = np.zeros((7, 2))
    here[1, 0] = here[4, 0] = here[6, 0] = 1.0  # theme 0 fires in answer 0 and answer 2
    cols = [3, 1]  # the coder's two learned themes are codebook rows 3 and 1
    got = descmargin.columns(sent, desc, first, here, cols)
    m = descmargin.margins(sent, desc)
    for i in range(3):
        for k, c in enumerate(cols):
            part = slice(first[i], first[i + 1])
            want = descmargin.column(m[part, c], here[part, k] > 0)
            assert got[i, k, 0] == pytest.approx(want)
    assert got.shape == (3, 2, 1)
