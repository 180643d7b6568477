"""The no-position gate (``helpers.stance.gate``) and the confidence of an answer not found.

Real inputs: the transport consultation of the development data and answers in
its respondents' voices: one from the spent item set ("My daughter drives me to
the shops ...", gold disagree, which the rules read as no position), one written
for this test (not in any training data), and two that take no position on the
proposal. The weights load with the network blocked and without pickle.
"""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.core.consultation import load_consultation
from helpers.stance import gate, stance_answers, table
from helpers.stance.calibration import calibrated

CONSULTATION = Path(__file__).parents[1] / "data" / "evaluation" / "transport" / "consultation.yaml"

IMPLICIT_AGAINST = (
    "My daughter drives me to the shops on Bridge Street. If she can't get through, I won't "
    "be able to go. I don't think that's fair on older people."
)
IMPLICIT_FOR = (
    "Buses stuck behind cars on the bridge every morning. Anything that gets them moving has "
    "to be good for everyone."
)
ELSEWHERE = "Please see my letter sent by email."
OFF_TOPIC = "My council tax is £2,400 a year and I get nothing for it."


@pytest.fixture(scope="module")
def consultation():
    return load_consultation(CONSULTATION)


def _tables(texts: list[str], qid: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"r{k}" for k in range(len(texts))]
    respondents = pd.DataFrame({"respondent_id": ids, "text": texts}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ids, "question_id": [qid] * len(texts), "start": [0] * len(texts),
        "end": [len(t) for t in texts], "answer_text": texts, "tick_box": [None] * len(texts),
        "substantive": [True] * len(texts),
    })  # fmt: skip
    return respondents, answers


def test_weights_load_offline_as_plain_arrays(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    gate.load_weights.cache_clear()
    w = gate.load_weights()
    assert w is not None
    width = gate.features(["x"], [frozenset()], gate.layout_of(w)).shape[1]
    assert w["coef"].shape == (len(gate.CLASSES), width)
    assert [str(c) for c in w["classes"]] == list(gate.CLASSES)
    assert 0.5 <= float(w["threshold"]) < 1.0
    # Session 12: the stated confidence is a monotone map fitted out of fold (Platt), from
    # the threshold to certainty, never certain itself.
    x, y = w["calib_x"], w["calib_y"]
    assert x[0] == pytest.approx(float(w["threshold"])) and np.all(np.diff(x) > 0)
    assert np.all(np.diff(y) >= 0) and 0.0 < y[0] and y[-1] < 1.0


def test_implicit_positions_read_and_others_left(consultation):
    texts = [IMPLICIT_AGAINST, IMPLICIT_FOR, ELSEWHERE, OFF_TOPIC]
    respondents, answers = _tables(texts, "bus_gate")
    out = stance_answers(answers, respondents, consultation)
    out = out[out["question_id"] == "bus_gate"].set_index("respondent_id")
    assert out["stance"].tolist() == ["disagree", "agree", "not_answered", "not_answered"]
    against = out.loc["r0"]
    assert against["method"] == "text"
    w = gate.load_weights()
    assert float(w["calib_y"][0]) <= against["confidence"] <= float(w["calib_y"][-1])
    # The quoted sentence is the answer's own, at its offsets.
    assert against["evidence"] == "I don't think that's fair on older people."
    assert IMPLICIT_AGAINST[int(against["start"]) : int(against["end"])] == against["evidence"]
    assert out.loc["r2", "evidence"] is pd.NA or out.loc["r2", "evidence"] is None


def test_gate_off_leaves_the_rules_reading(consultation, monkeypatch):
    monkeypatch.setattr(table, "GATE", False)
    respondents, answers = _tables([IMPLICIT_AGAINST], "bus_gate")
    out = stance_answers(answers, respondents, consultation)
    row = out[out["question_id"] == "bus_gate"].iloc[0]
    assert row["stance"] == "not_answered" and row["method"] == "text"


def test_gate_never_reads_an_explicit_position_or_a_tick(consultation):
    text = "I support the bus gate."
    respondents, answers = _tables([text, IMPLICIT_AGAINST], "bus_gate")
    answers.loc[1, "tick_box"] = "Strongly agree"
    out = stance_answers(answers, respondents, consultation)
    out = out[out["question_id"] == "bus_gate"]
    assert out["stance"].tolist() == ["agree", "strongly_agree"]
    assert out["method"].tolist() == ["text", "tick_box+text"]


def test_features_are_deterministic():
    vocab = frozenset({"bus", "gate"})
    a = gate.features([IMPLICIT_FOR, ""], [vocab, vocab])
    b = gate.features([IMPLICIT_FOR, ""], [vocab, vocab])
    assert a.shape == (2, gate.HASH_DIM + gate.N_DENSE)
    assert np.array_equal(a, b)
    assert not a[1].any() or a[1][: gate.HASH_DIM].sum() == 0


def test_an_answer_not_found_is_not_stated_certain(consultation):
    """A document answering one closed question: the others are not answered, a reading
    (confidence ``NOT_FOUND_CONFIDENCE``); a blank survey cell stays certain."""
    text = "Q2. I support the low-traffic neighbourhood."
    respondents = pd.DataFrame({"respondent_id": ["doc", "survey"], "text": [text, ""]},
                               dtype="string")  # fmt: skip
    answers = pd.DataFrame({
        "respondent_id": ["doc", "survey"], "question_id": ["ltn", "bus_gate"],
        "start": [4, 0], "end": [len(text), 0], "answer_text": [text[4:], ""],
        "tick_box": [None, None], "substantive": [True, False],
    })  # fmt: skip
    out = stance_answers(answers, respondents, consultation)
    got = {(r.respondent_id, r.question_id): (r.stance, r.confidence) for r in out.itertuples()}
    # Session 22: the table states the mapped confidence (``stance.calibration``).
    assert got[("doc", "ltn")] == ("agree", calibrated("text", "agree", 0.9))
    missed = calibrated("none", "not_answered", table.NOT_FOUND_CONFIDENCE["structured"])
    assert missed < 0.2
    assert got[("doc", "bus_gate")] == ("not_answered", missed)
    assert got[("doc", "trial")] == ("not_answered", missed)
    assert got[("survey", "bus_gate")] == ("not_answered", 1.0)
    assert got[("survey", "ltn")] == ("not_answered", 1.0)  # no text at all: nothing unfound


def test_a_letter_not_addressing_a_question_is_likelier_right(consultation):
    """A letter (all ``unstructured``) silent on a question: ``not_answered`` at the letter's
    confidence, above a structured document's missed heading."""
    text = "Dear council, the potholes on my road need fixing. Yours, a resident."
    respondents = pd.DataFrame({"respondent_id": ["l"], "text": [text]}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ["l"], "question_id": ["unstructured"], "start": [0], "end": [len(text)],
        "answer_text": [text], "tick_box": [None], "substantive": [True],
    })  # fmt: skip
    out = stance_answers(answers, respondents, consultation)
    assert out["stance"].tolist() == ["not_answered"] * 3
    letter = calibrated("none", "not_answered", table.NOT_FOUND_CONFIDENCE["letter"])
    assert out["confidence"].tolist() == [letter] * 3
    assert letter > calibrated("none", "not_answered", table.NOT_FOUND_CONFIDENCE["structured"])


def test_courtesies_take_no_position(consultation):
    """Closing offers and thanks (written for this test) are no agreement: an answer that
    is nothing else stays unanswered, a courtesy added to an answer does not change its
    reading, and a position beside one is still read."""
    fact = "We run the school minibus over the bridge twice a day."
    texts = [
        "Our society would welcome an opportunity to meet your officers before a decision.",
        fact + " We are happy to discuss our timetable with the council. Kind regards, the bursar",
        fact,
        "Thank you for consulting us. We strongly support the bus gate.",
    ]
    respondents, answers = _tables(texts, "bus_gate")
    out = stance_answers(answers, respondents, consultation)
    out = out[out["question_id"] == "bus_gate"]
    got = out["stance"].tolist()
    assert got[0] == "not_answered"
    assert got[1] == got[2]  # the courtesy is not read
    assert got[3] == "strongly_agree"


def test_courtesy_sentences_are_blanked_in_place():
    text = "The bridge jams every morning.\nPlease do not hesitate to contact us. Yours sincerely"
    got = gate.without_courtesies(text)
    assert len(got) == len(text)
    assert got.startswith("The bridge jams every morning.\n")
    assert not got[31:].strip()
    assert gate.without_courtesies("We oppose the trial.") == "We oppose the trial."


def test_every_segment_of_a_split_answer_is_read(consultation):
    """An answer in two segments (a form's two boxes, a paragraph placed apart): the
    position is in the second; the evidence is quoted at its offsets in the response."""
    first = "Q2 answer follows."
    text = first + "\n\nSomething unrelated in between.\n\n" + IMPLICIT_AGAINST
    second = text.index(IMPLICIT_AGAINST)
    respondents = pd.DataFrame({"respondent_id": ["r0"], "text": [text]}, dtype="string")
    answers = pd.DataFrame({
        "respondent_id": ["r0", "r0"], "question_id": ["bus_gate", "bus_gate"],
        "start": [0, second], "end": [len(first), len(text)],
        "answer_text": [first, IMPLICIT_AGAINST], "tick_box": [None, None],
        "substantive": [True, True],
    })  # fmt: skip
    out = stance_answers(answers, respondents, consultation)
    row = out[out["question_id"] == "bus_gate"].iloc[0]
    assert row["stance"] == "disagree"
    assert row["evidence"] == "I don't think that's fair on older people."
    assert text[int(row["start"]) : int(row["end"])] == row["evidence"]
    assert int(row["start"]) > second


def test_sentences_are_the_rules_sentences():
    """The gate cuts sentences as the rules do: not after "e.g." or an initial, at line breaks."""
    from helpers.stance.sentences import sentence_spans

    text = "Buses e.g. the 12 are late. Mr J. Smith agrees!\nNew line"
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["Buses e.g. the 12 are late.", "Mr J. Smith agrees!", "New line"]
    assert sentence_spans(text, 1) == [(0, 27)]


def test_questions_back_are_never_read_as_agreement(monkeypatch):
    """Session 8: an answer that only asks questions (an enquiry, or a rhetorical
    challenge) is never agreement; disagreement, or a statement beside the question,
    is read as usual. Weights that always say "agree" (or "disagree") isolate the rule."""
    assert gate.asks_only("Who pays for the cameras? And who checks them?")
    assert gate.asks_only("Why close the bridge at all?\n")
    assert not gate.asks_only("Who pays? The drivers, as usual.")
    assert not gate.asks_only("We need a quieter street.")
    texts = [
        "What counts as success after eighteen months, and who will measure it?",
        "Will the planters be watered? Who sweeps the leaves in autumn?",
        "Who pays? The drivers, as usual.",
    ]
    vocab = [frozenset()] * len(texts)
    dim = gate.HASH_DIM + gate.N_DENSE

    def weights(k: int) -> dict:
        b = np.zeros(len(gate.CLASSES), dtype=np.float32)
        b[k] = 5.0
        return {
            "coef": np.zeros((len(gate.CLASSES), dim), dtype=np.float32),
            "intercept": b,
            "threshold": np.float32(0.5),
            "scale": np.array([0.45, 0.6], dtype=np.float32),
        }

    monkeypatch.setattr(gate, "load_weights", lambda: weights(gate.CLASSES.index("agree")))
    assert [r and r[0] for r in gate.read(texts, vocab)] == [None, None, "agree"]
    monkeypatch.setattr(gate, "load_weights", lambda: weights(gate.CLASSES.index("disagree")))
    assert [r and r[0] for r in gate.read(texts, vocab)] == ["disagree"] * 3


def test_a_gate_reading_keeps_the_answers_reservation(consultation, monkeypatch):
    """Session 8: a position read between the lines gets its reservation like any
    other reading (a condition anywhere in the answer), with the sentence quoted."""
    dim = gate.HASH_DIM + gate.N_DENSE
    agree = {"coef": np.zeros((len(gate.CLASSES), dim), dtype=np.float32),
             "intercept": np.array([5.0, 0.0, 0.0], dtype=np.float32),
             "threshold": np.float32(0.5), "scale": np.array([0.45, 0.6], dtype=np.float32)}  # fmt: skip
    monkeypatch.setattr(gate, "load_weights", lambda: agree)
    texts = [
        "Buses stuck on the bridge every morning. Sounds grand, as long as the cyclists get a lane.",
        "Buses stuck on the bridge every morning. Sounds grand to me.",
    ]
    respondents, answers = _tables(texts, "bus_gate")
    out = stance_answers(answers, respondents, consultation)
    out = out[out["question_id"] == "bus_gate"].set_index("respondent_id")
    assert out["stance"].tolist() == ["agree", "agree"]
    assert out["reservations"].tolist() == [True, False]
    assert out.loc["r0", "reservation"] == "Sounds grand, as long as the cyclists get a lane."
