"""Session 25 (issue 15): two exact speed-ups of the trained coder must change no number.

- ``rowscore.products`` scores the sentence features' column groups without building their
  matrix: the same float64 array, bit for bit, as scipy's product with
  ``rowstack.hstack``'s matrix (the same additions in the same order).
- ``wordpieces.WordPieces`` merges each distinct word of WordLlama's tokenizer once: the
  same token ids as the library's ``encode_batch`` on every text.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers.coding import rowscore, rowstack
from helpers.core import wordvectors

ROOT = Path(__file__).resolve().parents[1]
# spent sets (batch 27 and the first batch), named explicitly: never a listing of the folder
SPENT = ("transport", "transport-27", "ofsted-docs-27")


def _reference(blocks, coef) -> np.ndarray:
    dense = [b.dense() if isinstance(b, rowscore.Indexed) else b for b in blocks]
    return np.asarray(rowstack.hstack(dense) @ coef.T)


def test_products_hand_checked():
    # two rows: a dense pair, one sparse column, an answer vector read through an index
    vec = np.array([[1.0, 0.0], [2.0, -1.0]])
    words = sparse.csr_matrix(np.array([[0.0], [3.0]]))
    answers = np.array([[0.5], [4.0]])
    coef = np.array([[1.0, 10.0, 100.0, 1000.0], [2.0, 0.0, -1.0, 1.0]])
    got = rowscore.products([vec, words, rowscore.Indexed(answers, np.array([1, 0]))], coef)
    # theme 0, row 0: 1*1 + 0*10 + 0*100 + 4*1000; row 1: 2*1 - 1*10 + 3*100 + 0.5*1000
    # theme 1, row 0: 1*2 + 4*1; row 1: 2*2 - 1*0 - 3*1 + 0.5*1
    assert got.tolist() == [[4001.0, 6.0], [792.0, 1.5]]
    assert (
        got.tobytes()
        == _reference([vec, words, rowscore.Indexed(answers, np.array([1, 0]))], coef).tobytes()
    )


@pytest.mark.parametrize("seed", range(8))
def test_products_bit_for_bit_random(seed):
    rng = np.random.default_rng(seed)
    n, m, themes = int(rng.integers(1, 200)), int(rng.integers(1, 40)), int(rng.integers(1, 30))
    vec = rng.standard_normal((n, 19)) * 10.0 ** rng.integers(-3, 4)
    vec[rng.random(vec.shape) < 0.15] = 0.0
    vec[0, 0] = -0.0  # a zero: left out, as the matrix leaves it out
    if seed % 2:
        vec[n // 2, 5] = np.nan  # kept, as the matrix keeps it
    words = sparse.random(n, 37, density=0.08, format="lil", random_state=seed)
    words[0] = 0  # an empty row
    words = sparse.csr_matrix(words)
    table = rng.standard_normal((m, 7))
    index = rng.integers(0, m, n)
    coef = rng.standard_normal((themes, 19 + 37 + 7)) * 5.0
    blocks = [vec, words, rowscore.Indexed(table, index)]
    assert rowscore._simple(blocks, coef)  # the kernels' path, not scipy's
    got = rowscore.products(blocks, coef)
    want = _reference(blocks, coef)
    assert got.dtype == want.dtype == np.float64
    assert got.tobytes() == want.tobytes()
    assert np.array_equal(np.isnan(got).any(axis=1), np.isnan(vec).any(axis=1))


def test_products_other_dtypes_go_to_scipy():
    vec = np.arange(6, dtype=np.float32).reshape(3, 2)
    coef = np.array([[0.1, 0.2]])
    assert rowscore.products([vec], coef).tobytes() == _reference([vec], coef).tobytes()
    with pytest.raises(ValueError, match="do not fit"):
        rowscore.products([vec], np.ones((1, 3)))


def test_sentence_probabilities_the_same():
    from helpers.coding.trained_fit import SentenceFit, feature_blocks, features

    rng = np.random.default_rng(3)
    owner = np.array([0, 0, 1, 2, 2, 2])
    vec = rng.standard_normal((6, 8))
    words = sparse.random(6, 11, density=0.3, format="csr", random_state=1)
    fit = SentenceFit(
        vocabulary=[], idf=np.ones(11), coef=rng.standard_normal((4, 8 + 11 + 8)),
        dict_coef=rng.standard_normal((4, 2)), intercept=rng.standard_normal(4),
    )  # fmt: skip
    here = (rng.random((6, 4)) < 0.3).astype(float)
    elsewhere = (rng.random((6, 4)) < 0.3) * (1.0 - here)
    want = fit.probabilities(features(vec, words, owner), here, elsewhere)
    got = fit.probabilities_of(feature_blocks(vec, words, owner), here, elsewhere)
    assert got.tobytes() == want.tobytes()


needs_model = pytest.mark.skipif(not wordvectors.available(), reason="wordllama not installed")


@pytest.fixture(scope="module")
def pieces():
    from helpers.core.wordpieces import WordPieces

    return WordPieces(wordvectors._tokenizer())


@needs_model
def test_word_ids_hand_checked(pieces):
    tok = wordvectors._tokenizer()
    assert pieces.by_words
    cases = {
        "hello world": ["▁hello", "▁world"],
        "  two  spaces": ["▁▁", "▁two", "▁", "▁spaces"],  # spaces stay with the next word
        "tab\there": ["▁tab", "<0x09>", "here"],  # a tab is no word mark
        "a <s> b": ["▁a", "▁", "<s>", "▁", "▁b"],  # an added token: left to the library
        "🙂": ["▁", "<0xF0>", "<0x9F>", "<0x99>", "<0x82>"],  # bytes, one by one
    }
    got = pieces.token_ids(list(cases))
    assert [[tok.id_to_token(i) for i in ids] for ids in got] == list(cases.values())


@needs_model
def test_word_ids_equal_library_on_spent_sets_and_random(pieces):
    from helpers.core.sentences import sentence_spans

    texts = []
    for name in SPENT:
        frame = pd.read_csv(ROOT / "data" / "evaluation" / name / "theme_training.csv", dtype=str)
        texts += frame["text"].fillna("").tolist()
    sentences = [t[a:b] for t in texts for a, b in (sentence_spans(t, 0, len(t)) or [(0, len(t))])]
    rng = random.Random(0)
    alphabet = list("ab cd  e\t\n\u2581é ü ß 中 🙂<s></s><unk>1 23.,;'\"\u00a0\u200b") + [
        "▁▁",
        " the",
    ]
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for group in (texts, sentences, made):
        group = [g for g in group if g]
        assert len(group) > 1000
        pieces.words.clear()
        assert pieces.token_ids(group) == pieces._library(group)
        assert pieces.token_ids(group) == pieces._library(group)  # the words kept: the same


def test_word_safe_refuses_other_tokenizers():
    from helpers.core.wordpieces import MARK, _word_safe

    spec = {
        "pre_tokenizer": None,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": MARK},
            {"type": "Replace", "pattern": {"String": " "}, "content": MARK},
        ]},
        "model": {"type": "BPE", "dropout": None, "vocab": {"▁a": 0, "b": 1}},
    }  # fmt: skip
    assert _word_safe(spec)
    assert not _word_safe({**spec, "model": {**spec["model"], "vocab": {"a▁b": 0}}})
    assert not _word_safe({**spec, "pre_tokenizer": {"type": "Metaspace"}})
    assert not _word_safe({**spec, "model": {**spec["model"], "dropout": 0.1}})
    assert not _word_safe({**spec, "normalizer": None})


def test_reservation_sentence_cache_overflow_keeps_the_batch(monkeypatch):
    """The reservation finder's per-sentence cache, emptied when a batch would overflow it,
    must still answer every sentence of that batch (the 30,000-respondent run failed with a
    KeyError on a sentence kept before the cache was emptied), with the same numbers."""
    from helpers.stance import reservation_model as rm
    from helpers.stance.caches import clear_caches

    weights = rm.load_weights()
    if weights is None:
        pytest.skip("no reservation model shipped")
    first = ["i agree with this.", "but not the cost."]
    second = ["but not the cost.", "the timing worries me.", "no view.", "i agree with this."]
    clear_caches()
    want = rm._sentence_terms(second, weights)
    clear_caches()
    monkeypatch.setattr(rm, "_CACHE_MAX", 3)
    rm._sentence_terms(first, weights)  # two kept; the next batch brings two more: over 3
    got = rm._sentence_terms(second, weights)
    assert got[0].tobytes() == want[0].tobytes() and got[1] == want[1]
    assert set(rm._sentence_terms_cache) == set(second)
    clear_caches()
