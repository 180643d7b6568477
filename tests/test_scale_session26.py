"""Session 26 (issue 15, memory): campaign detection's codes a block of texts at a time.

Every blocked pass must give exactly what the whole computation gave: the same window
band codes, the same trigram codes and counts, the same pair features, the same LSH keys
in the same order, and so the same copies table. Checked here on the real answers of the
identical-table fixtures (spent sets and the generator), with blocks so small that every
question is cut into many of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core.text import stopwords
from helpers.ingest import blockcodes, campaigns, pair_features, passages, reworded
from helpers.ingest import reworded_index as ri
from helpers.ingest.campaigns import normalise
from helpers.ingest.minhash import NUM_PERM, band_codes, band_keys, bucket_pairs, signatures

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "identical"
SETS = ["ofsted-docs", "transport", "generated"]


def _question_texts(name: str) -> list[list[str]]:
    """Each question's distinct normalised answers of a fixture, in answer order."""
    answers = pd.read_parquet(FIXTURES / name / "answers.parquet")
    out = []
    for _, g in answers.groupby("question_id", sort=True):
        texts = list(dict.fromkeys(normalise(t) for t in g["answer_text"].fillna("") if t))
        if len(texts) >= 2:
            out.append(texts)
    return out


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("block", [1, 3, 1000])
def test_window_codes_by_block_are_the_whole_computation(name, block):
    windowed = 0
    for texts in _question_texts(name):
        found, owner = passages.windows(texts)
        got_owner, got_codes = blockcodes.window_codes(texts, passages.windows, block)
        assert got_owner.tolist() == owner
        whole = band_codes(signatures(found, NUM_PERM)) if found else np.zeros((0, 32), np.uint64)
        assert np.array_equal(got_codes, whole)
        windowed += len(found)
        if len(set(owner)) >= 2:
            assert bucket_pairs(got_owner, got_codes, 10) == bucket_pairs(
                np.asarray(owner), whole, 10
            )
    assert windowed > 50, "the fixtures' answers have passage windows"


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("size", [1, 7])
def test_trigram_codes_by_block_are_the_whole_computation(name, size):
    """The same ids (first seen first), so the same codes in the same order, and counts."""
    known = reworded.known_words(normalise("What do you think of the proposal?"))
    kept = 0
    for texts in _question_texts(name):
        whole = ri.TextWords.of(texts, "\n")
        blocks = ri.TextBlocks.of(texts, "\n", size)
        assert list(blocks.vocab.ids) == list(whole.vocab.ids)
        assert np.concatenate([b.flat for b in blocks.blocks]).tolist() == whole.flat.tolist()
        knowns = [known if k % 2 else None for k in range(len(texts))]
        a = ri.coded_grams(whole, knowns, stopwords(), reworded.STOCK_CAP)
        b = ri.coded_grams(blocks, knowns, stopwords(), reworded.STOCK_CAP)
        for x, y in zip(a, b, strict=True):
            assert x.tolist() == y.tolist()
        kept += len(a[0])
    assert kept > 1000


def test_trigram_blocks_by_hand():
    """Three texts in blocks of two: "a b c d" (trigrams abc, bcd), "b c d" (bcd), "x y"
    (none); bcd is in two texts, so with a stock cap of one it is stock and dropped."""
    blocks = ri.TextBlocks.of(["a b c d", "b c d", "x y"], "\n", 2)
    assert [len(b.lengths) for b in blocks.blocks] == [2, 1]
    text, code, sizes = ri.coded_grams(blocks, [None] * 3, frozenset(), 5)
    assert text.tolist() == [0, 0, 1] and sizes.tolist() == [2, 1, 0]
    text, code, sizes = ri.coded_grams(blocks, [None] * 3, frozenset(), 1)
    assert text.tolist() == [0] and sizes.tolist() == [1, 0, 0]
    assert ri.TextBlocks.of(["a b", "c\td"], "\n", 1) is None  # a text not normalised


@pytest.mark.parametrize("name", SETS)
def test_pair_features_by_small_blocks_are_the_same(monkeypatch, name):
    for texts in _question_texts(name):
        groups = list(range(len(texts)))
        whole = pair_features.features(texts, frozenset(), stopwords(), "\n", groups)
        monkeypatch.setattr(pair_features, "BLOCK_TEXTS", 3)
        small = pair_features.features(texts, frozenset(), stopwords(), "\n", groups)
        monkeypatch.undo()
        for field in ("unit_text", "indptr", "column", "idf", "weight", "df"):
            assert np.array_equal(getattr(whole, field), getattr(small, field)), field


def test_band_keys_of_gives_band_keys_in_order():
    texts = [f"text number {k} about the proposal and its {k * 7} effects" for k in range(9)]
    sigs = signatures(texts, NUM_PERM)
    rows = [0, 2, 3, 5, 8]
    got = list(blockcodes.band_keys_of(sigs, rows, 2))
    assert [r for r, _ in got] == rows
    assert [k for _, k in got] == band_keys(sigs[rows])


@pytest.mark.parametrize("name", ["generated", "ofsted-survey"])
def test_copies_table_the_same_with_tiny_blocks(monkeypatch, name):
    """The whole detection, every pass cut into blocks of three texts: the same table."""
    folder = FIXTURES / name
    respondents = pd.read_parquet(folder / "respondents.parquet")
    answers = pd.read_parquet(folder / "answers.parquet")
    whole = campaigns.find_copies(respondents, answers=answers).copies
    monkeypatch.setattr(blockcodes, "BLOCK_TEXTS", 3)
    monkeypatch.setattr(ri, "BLOCK_TEXTS", 3)
    monkeypatch.setattr(pair_features, "BLOCK_TEXTS", 3)
    small = campaigns.find_copies(respondents, answers=answers).copies
    assert len(whole) > 0
    pd.testing.assert_frame_equal(whole, small)
