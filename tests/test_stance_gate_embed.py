"""The gate's meaning features (``helpers.stance.gateembed``, session 13): the answer's
WordLlama vector beside the gate's word and tone features.

Real inputs: WordLlama's own offline weights (``helpers.core.wordvectors``), the transport
consultation of the development data and answers written for these tests (about a bus gate
and a library's hours; none is in any training set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core import wordvectors
from helpers.core.consultation import load_consultation
from helpers.stance import gate, gateembed, gatefeatures, stance_answers

pytestmark = pytest.mark.skipif(not wordvectors.available(), reason="WordLlama not installed")

CONSULTATION = Path(__file__).parents[1] / "data" / "evaluation" / "transport" / "consultation.yaml"
VOCAB = frozenset({"bus", "gate"})


def test_layout_with_wl_adds_the_answers_vector():
    texts = ["Leave the library's hours alone.", ""]
    base = gate.features(texts, [VOCAB, VOCAB], "extra")
    x = gate.features(texts, [VOCAB, VOCAB], "extra+wl")
    assert x.shape == (2, gate.HASH_DIM + gate.N_DENSE + gatefeatures.N_EXTRA + 256)
    assert np.array_equal(x[:, : base.shape[1]], base)  # the other features unchanged
    assert np.linalg.norm(x[0, base.shape[1] :]) == pytest.approx(1.0, abs=1e-4)
    assert not x[1, base.shape[1] :].any()  # an empty answer has no vector
    assert np.array_equal(x, gate.features(texts, [VOCAB, VOCAB], "extra+wl"))  # deterministic
    assert gate.features([], [], "extra+wl").shape == (0, x.shape[1])


def test_shipped_weights_name_the_layout_they_need():
    w = gate.load_weights()
    layout = gate.layout_of(w)
    width = gate.features(["x"], [frozenset()], layout).shape[1]
    assert w["coef"].shape == (len(gate.CLASSES), width)
    if "wl" in layout:
        assert width == gate.HASH_DIM + gate.N_DENSE + gatefeatures.N_EXTRA + gateembed.DIMENSION


def test_without_wordllama_the_rules_reading_stands(monkeypatch):
    """Weights that need the vectors and no package to make them: no reading, never a
    crash or a reading from the wrong number of features."""
    text = "If the gate goes in I'll have to drive the long way round to my mum's every day."
    width = gate.HASH_DIM + gate.N_DENSE + gatefeatures.N_EXTRA + gateembed.DIMENSION
    coef = np.zeros((3, width), dtype=np.float32)
    coef[1, -gateembed.DIMENSION :] = 50.0 * gateembed.vectors([text])[0]  # its own vector
    weights = {"coef": coef, "intercept": np.zeros(3, dtype=np.float32),
               "threshold": np.float32(0.5), "layout": np.array("extra+wl"),
               "calib_x": np.array([0.5, 1.0], dtype=np.float32),
               "calib_y": np.array([0.5, 0.9], dtype=np.float32)}  # fmt: skip
    monkeypatch.setattr(gate, "load_weights", lambda: weights)
    got = gate.read([text], [VOCAB])
    assert got[0] is not None and got[0][0] == "disagree"  # the vector is read
    monkeypatch.setattr(gateembed, "available", lambda: False)
    assert gate.read([text], [VOCAB]) == [None]


def _tables(texts: list[str], qid: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"r{k}" for k in range(len(texts))]
    respondents = pd.DataFrame({"respondent_id": ids, "text": texts}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ids, "question_id": [qid] * len(texts), "start": [0] * len(texts),
        "end": [len(t) for t in texts], "answer_text": texts, "tick_box": [None] * len(texts),
        "substantive": [True] * len(texts),
    })  # fmt: skip
    return respondents, answers


def test_implicit_answers_read_through_the_pipeline():
    """Consequences feared, and a question back, written for this test: the gate (with its
    WordLlama columns) reads the first two as disagreement and leaves the enquiry alone."""
    texts = [
        "If the gate goes in I'll have to drive the long way round to my mum's every day, "
        "that's another twenty minutes each way.",
        "Shops on the high street are already struggling. Fewer cars means fewer customers "
        "and more empty units.",
        "Where are the disabled parking bays going to be, and who do I ask about a permit?",
    ]
    respondents, answers = _tables(texts, "bus_gate")
    out = stance_answers(answers, respondents, load_consultation(CONSULTATION))
    out = out[out["question_id"] == "bus_gate"].set_index("respondent_id")
    assert out["stance"].tolist() == ["disagree", "disagree", "not_answered"]
    assert (out["method"] == "text").all()
    w = gate.load_weights()
    for rid in ("r0", "r1"):  # stated as the out-of-fold map says, never certain
        assert float(w["calib_y"][0]) <= out.loc[rid, "confidence"] <= float(w["calib_y"][-1])
