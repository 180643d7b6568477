"""The meaning pass's sentence vectors (``segment.vectors``) and its ``segmentation_model``.

Each distinct text is encoded once per run and a body no decision reads is
never encoded; the vectors are those of encoding text by text. WordLlama is a
consultation setting with its own thresholds.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from builders import LIBRARY_CONSULTATION

from helpers.core import embedding
from helpers.core.consultation import ConsultationError, load_consultation
from helpers.ingest import run_ingest
from helpers.ingest.segment import joint, meaning, vectors

needs_minilm = pytest.mark.skipif(not embedding.available(), reason="MiniLM not installed")
needs_wordllama = pytest.mark.skipif(
    not embedding.available("wordllama"), reason="WordLlama not installed"
)


class Counting:
    """An encoder that records what it was asked for (a length and a constant per text)."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_each_distinct_text_is_encoded_once_in_one_call():
    enc = Counting()
    tv = vectors.TextVectors(enc)
    tv.prefetch(["Parking", "Parking", "Cost to residents", ""])
    got = tv(["Cost to residents", "Parking", "", "Parking"])
    assert enc.calls == [["", "Parking", "Cost to residents"]]  # by length
    assert got[:, 0].tolist() == [17.0, 7.0, 0.0, 7.0]
    assert tv(["a new line"]).shape == (1, 2) and enc.calls[-1] == ["a new line"]
    assert tv([]).shape == (0, 2)


def test_a_lazy_vector_is_encoded_only_when_numpy_reads_it():
    enc = Counting()
    tv = vectors.TextVectors(enc)
    heading, body = tv.lazy(["Evening hours", "A body no rule reads"])
    assert enc.calls == []
    sims = np.array([[1.0, 0.0], [0.0, 1.0]]) @ heading
    assert sims.tolist() == [13.0, 1.0]
    assert enc.calls == [["Evening hours"]]  # the body never encoded
    del body


@needs_minilm
def test_batched_vectors_match_encoding_text_by_text():
    texts = [
        "Keep the mobile library van",
        "Weekend opening suits shift workers like me because I cannot come in the week.",
        "Keep the mobile library van",
        "",
    ]
    tv = vectors.TextVectors(embedding.encode)
    tv.prefetch(texts)
    batched = tv(texts)
    one_by_one = np.vstack([embedding.encode([t]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=2e-6)
    assert tv.encoded == 3


def test_each_model_has_its_own_thresholds_and_others_have_minilms():
    assert vectors.thresholds("wordllama") == vectors.THRESHOLDS["wordllama"]
    assert vectors.thresholds("wordllama") != vectors.thresholds("minilm")
    assert vectors.thresholds("a-model-with-none") == vectors.THRESHOLDS["minilm"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        vectors.thresholds("minilm").pair_base = 0.0


def test_the_run_model_carries_the_segmentation_models_thresholds(tmp_path):
    # Chosen once per run from consultation.yaml and passed down with the
    # question model: no module setting to change, so two runs never mix them.
    path = tmp_path / "consultation.yaml"
    answers = pd.DataFrame(
        columns=["respondent_id", "question_id", "match_method", "substantive", "answer_text"]
    )
    for setting, model in [("", "minilm"), ("segmentation_model: wordllama\n", "wordllama")]:
        path.write_text(LIBRARY_CONSULTATION + setting, encoding="utf-8")
        qm = meaning.build_model(answers, load_consultation(path), Counting())
        assert qm.thresholds == vectors.THRESHOLDS[model]


def test_the_joint_reading_assigns_by_the_models_base():
    # A pair scoring 0.5 is worth assigning on WordLlama's scale, not on MiniLM's.
    scores, allowed = np.array([[0.5, 0.0]]), np.ones((1, 2), dtype=bool)
    assert joint.solve(scores, allowed, vectors.thresholds("wordllama").pair_base)[0][0] == 0
    assert joint.solve(scores, allowed, vectors.thresholds("minilm").pair_base)[0][0] is None


def test_segmentation_model_is_a_validated_consultation_setting(tmp_path):
    path = tmp_path / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    assert load_consultation(path).segmentation_model == "minilm"
    path.write_text(LIBRARY_CONSULTATION + "segmentation_model: wordllama\n", encoding="utf-8")
    assert load_consultation(path).segmentation_model == "wordllama"
    path.write_text(LIBRARY_CONSULTATION + "segmentation_model: bert-large\n", encoding="utf-8")
    with pytest.raises(ConsultationError, match="segmentation_model"):
        load_consultation(path)


LETTER = """\
Dear Council,

I write as a nurse who works late shifts across the borough.

I am firmly opposed to shutting the branches at five in the afternoon on weekdays, because after a shift the early evening is the only time I can borrow anything at all.

Regards,

P. Okafor
"""

HEADED = """\
How the shorter weekday hours would hit us
Our reading group meets at six; closing at five would end it and we disagree with the plan.

Sunday opening in the town centre
We agree with opening on Sundays, it would help families who work all week.
"""


@needs_wordllama
def test_a_run_with_wordllama_reads_a_letter_by_meaning(tmp_path):
    (tmp_path / "consultation.yaml").write_text(
        LIBRARY_CONSULTATION + "segmentation_model: wordllama\n", encoding="utf-8"
    )
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "letter.txt").write_text(LETTER, encoding="utf-8")
    for n in range(3):
        (inp / f"headed-{n}.txt").write_text(HEADED, encoding="utf-8")
    result = run_ingest(inp, tmp_path / "consultation.yaml", tmp_path / "out", metadata_file=None)
    rows = result.answers[result.answers["respondent_id"] == "letter"]
    hours = rows[rows["question_id"] == "hours"]
    assert len(hours) == 1 and hours["answer_text"].iloc[0].startswith("I am firmly opposed")
    assert hours["match_method"].iloc[0] == meaning.METHOD
    # the greeting and the writer's self-description are no answer
    assert (
        not rows["answer_text"]
        .str.contains("nurse who works")
        .loc[rows["question_id"] == "hours"]
        .any()
    )


def test_a_large_prefetch_is_encoded_in_chunks_of_similar_length(monkeypatch):
    monkeypatch.setattr(vectors, "_CHUNK", 3)
    enc = Counting()
    tv = vectors.TextVectors(enc)
    texts = ["a much longer text here", "b", "cc", "a much longer text here", "dddd", "eee"]
    tv.prefetch(texts)
    assert enc.calls == [["b", "cc", "eee"], ["dddd", "a much longer text here"]]
    assert tv(texts)[:, 0].tolist() == [23.0, 1.0, 2.0, 23.0, 4.0, 3.0]
