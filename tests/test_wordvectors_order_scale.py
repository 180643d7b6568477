"""``core.wordvectors.encode`` embeds texts shortest first (less padding); every row must be
the bits the model gives for that text in the caller's order and batches."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.core import wordvectors

pytestmark = pytest.mark.skipif(not wordvectors.available(), reason="WordLlama not installed")

TEXTS = [
    "Rents here are far too high for young people to afford.",
    "",
    "No.",
    "The council should build more social housing, and it should do so before the "
    "next election rather than after it, because waiting lists are already long.",
    "Café prices – and bus fares – rose by 12% (2024).",
    "x" * 900,
    "Agree.",
    "   leading and trailing spaces   ",
    "Ünïcödé wörds and emoji 🚌 in one line",
] * 7 + [f"Sentence number {i} about {'transport ' * (i % 13)}and schools." for i in range(300)]


def test_rows_are_the_models_own_bits_whatever_the_order():
    model = wordvectors.load_model()
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = model.embed(list(TEXTS), norm=True, batch_size=512)
        small = model.embed(list(TEXTS), norm=True, batch_size=16)  # other batches, same rows
    empty = np.array([t == "" for t in TEXTS])
    # The model gives "" NaN (a zero norm); encode gives it a zero vector and nothing else changes.
    assert np.isnan(reference[empty]).all()
    got = wordvectors.encode(TEXTS)
    assert got.dtype == np.float32 and got.shape == reference.shape
    assert not got[empty].any() and not np.isnan(got).any()
    assert np.array_equal(got[~empty], reference[~empty])
    assert np.array_equal(got[~empty], small[~empty])
    rng = np.random.default_rng(5)
    order = rng.permutation(len(TEXTS))
    assert np.array_equal(wordvectors.encode([TEXTS[i] for i in order]), got[order])


def test_one_text_and_none():
    assert wordvectors.encode([]).shape == (0, wordvectors.DIMENSION)
    one = wordvectors.encode(["Bus fares are too high."])
    assert one.shape == (1, wordvectors.DIMENSION)
    assert np.isclose(np.linalg.norm(one[0]), 1.0, atol=1e-5)
