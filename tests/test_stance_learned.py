"""The learned stance layer (``helpers.stance.learned``): shipped weights, offline, and its guards.

The layer is off by default (``stance.table.LEARNED_LAYER``); these tests check
that its weights load without pickle, that it runs with the network blocked,
that it never touches a ticked box, and that it is deterministic.
"""

from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest
from builders import LIBRARY_CONSULTATION

from helpers.core import embedding
from helpers.core.consultation import load_consultation
from helpers.stance import learned, stance_answers, table


def test_weights_are_plain_arrays():
    w = learned.load_weights()
    assert w is not None
    assert set(w) >= {"coef", "intercept", "classes", "temperature", "margin", "mean", "scale"}
    assert w["coef"].shape[0] == len(w["classes"]) and w["coef"].shape[1] == w["mean"].shape[0]
    assert set(map(str, w["classes"])) <= set(learned._STANCES)


def _rows():
    return [
        {"stance": "agree", "method": "text", "confidence": 0.85, "reservations": False},
        {"stance": "neither", "method": "text", "confidence": 0.2, "reservations": False},
    ]


def test_predict_offline_and_deterministic(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embedding.load_model.cache_clear()
    learned.load_weights.cache_clear()
    try:
        texts = ["Sounds sensible to us, go ahead.", "The bins on my road are never emptied."]
        q = ["Do you agree with the proposal to close the road?"] * 2
        first = learned.predict(_rows(), texts, q)
        again = learned.predict(_rows(), texts, q)
    finally:
        embedding.load_model.cache_clear()
    assert first == again
    for stance, conf in first:
        assert stance in learned._STANCES and 0.0 <= conf <= 1.0


def test_layer_never_overrides_a_tick(monkeypatch, tmp_path):
    path = tmp_path / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    consultation = load_consultation(path)
    qid = consultation.closed_questions[0].id
    text = "Absolutely not, a terrible idea."
    respondents = pd.DataFrame({"respondent_id": ["r1"], "text": [text]}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ["r1"], "question_id": [qid], "start": [0], "end": [len(text)],
        "answer_text": [text], "tick_box": ["Strongly agree"], "substantive": [True],
    })  # fmt: skip
    monkeypatch.setattr(table, "LEARNED_LAYER", True)
    row = stance_answers(answers, respondents, consultation).iloc[0]
    assert row["stance"] == "strongly_agree" and row["method"] == "tick_box+text"
    assert row["confidence"] == pytest.approx(1.0)


def test_features_shape():
    rules = np.stack([learned.rule_features("agree", "text", 0.9, True)])
    v = np.ones((1, 384), dtype=np.float32) / np.sqrt(384)
    assert learned.features(rules, v, v).shape == (1, rules.shape[1] + 2 * 384 + 1)
