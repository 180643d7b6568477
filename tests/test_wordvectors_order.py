"""WordLlama vectors do not depend on the batch a text is in (issue 15 item 4).

``wordvectors.encode`` embeds texts shortest first so a batch is not padded
to one long answer's length; that is a speed-up only, so every vector must
equal, bit for bit, the text's vector embedded alone and the vector the
unsorted call gave.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from helpers.core import wordvectors

pytestmark = pytest.mark.skipif(not wordvectors.available(), reason="wordllama not installed")

# Written for this test: lengths from nothing to a long letter, in no order.
PIECES = [
    "",
    "Yes",
    "No comment.",
    "Q4: Timing of the works",
    "We object to the closure of the footpath behind the school.",
    "The council should publish the traffic counts before deciding; "
    "residents on the estate were never asked about the new one-way system.",
]


def _texts() -> list[str]:
    rng = random.Random(4)
    texts = list(PIECES)
    for n in (3, 12, 40, 150, 700):  # long answers among short lines
        texts.append(" ".join(rng.choice(PIECES[3:]) for _ in range(n)))
    rng.shuffle(texts)
    return texts * 3


def test_vectors_equal_each_text_alone():
    texts = _texts()
    batched = wordvectors.encode(texts)
    alone = np.vstack([wordvectors.encode([t]) for t in texts])
    assert batched.shape == (len(texts), wordvectors.DIMENSION)
    assert batched.dtype == np.float32 and batched.flags.c_contiguous
    assert np.array_equal(batched, alone)


def test_vectors_equal_the_unsorted_embedding():
    texts = _texts()
    model = wordvectors.load_model()
    with np.errstate(invalid="ignore"):  # the package's own "" is NaN
        unsorted = model.embed(texts, norm=True, batch_size=4)  # small batches: mixed lengths
    said = [i for i, t in enumerate(texts) if t]
    encoded = wordvectors.encode(texts, batch_size=4)
    assert np.array_equal(encoded[said], unsorted[said])
    assert not np.array_equal(unsorted[0], unsorted[1])  # the texts differ, so do the vectors


def test_empty_text_is_a_zero_vector_without_warning(recwarn):
    """An empty answer (a blank cell, a heading with nothing under it) says nothing: its
    vector is zero, not NaN, so every similarity with it is 0 and no RuntimeWarning is raised."""
    texts = ["", "The bus lane on Mill Road has made my commute quicker.", "", " "]
    vectors = wordvectors.encode(texts)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    assert np.isfinite(vectors).all()
    assert not vectors[0].any() and not vectors[2].any()
    assert np.linalg.norm(vectors[1]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(vectors[3]) == pytest.approx(1.0, abs=1e-5)  # a space has tokens
    assert float(vectors[0] @ vectors[1]) == 0.0
    only_empty = wordvectors.encode(["", ""])
    assert only_empty.shape == (2, wordvectors.DIMENSION) and not only_empty.any()


def test_duplicates_accents_and_the_reference_loop():
    """Each distinct text is embedded once and the compiled token sums are the loop's
    (session 16: no padded batches; the vectors stay WordLlama's own, bit for bit)."""
    texts = [*_texts(), "Café crème — déjà vu", "naïve “quotes”", "Yes", "\u200b", "Yes"]
    model = wordvectors.load_model()
    said = [i for i, t in enumerate(texts) if t]
    with np.errstate(invalid="ignore", divide="ignore"):
        own = model.embed([texts[i] for i in said], norm=True, batch_size=3)
    encoded = wordvectors.encode(texts)
    assert np.array_equal(encoded[said], np.nan_to_num(own, nan=0.0))
    assert np.array_equal(encoded[-1], encoded[-3])
    ids = np.array([5, 17, 5, 900, 2], dtype=np.int64)
    lengths = np.array([2, 0, 3], dtype=np.int64)
    table = model.embedding
    assert np.array_equal(
        wordvectors._token_sums(table, ids, lengths), wordvectors._sum_rows(table, ids, lengths)
    )
