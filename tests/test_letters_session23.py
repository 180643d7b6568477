"""Session 23 (issue 13): which closed question a letter's positioned paragraph answers, read
by a learned model (``stance.addressing``) and used by ``stance.unstructured`` to fill a
closed question the letter gave no position.

The model was fitted on the spent item sets' letter items and chosen leave-one-set-out
(``benchmarks/letter_address.py``; docs/stance.md, "Session 23"). The letters read here are
spent items (stance-items-2 o2-103, stance-items-3 t3-100) with their own consultation files,
and a town consultation written for these tests.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from helpers.stance import addressing, placement, unstructured
from helpers.stance.result import _stance_result
from helpers.validate.devsets.items import load_item_set
from tests.test_letters_session21 import _town

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluation"


def _item(set_name: str, item_id: str):
    for f in load_item_set(DATA / set_name):
        for i in f.items:
            if i.id == item_id:
                return i, tuple(f.consultation.closed_questions)
    raise KeyError(item_id)


def _read(text: str, questions, weights=None, addressed=None):
    with mock.patch.object(unstructured, "addressing_weights", lambda: weights):
        return unstructured.unstructured_stances(text, [(0, len(text))], questions, None, addressed)


def test_the_shipped_model_reads_the_features_the_code_computes():
    w = addressing.load_weights()
    assert w is not None
    assert list(w["features"]) == list(addressing.FEATURES)
    assert len(w["coef"]) == len(w["mean"]) == len(w["scale"]) == len(addressing.FEATURES)
    assert 0.0 < w["threshold"] < 1.0


def test_an_unnamed_position_fills_the_first_closed_question():
    # o2-103 (spent, gold q1 agree): "Having thought about it more, I think it would be a
    # good thing" names no closed question; before session 23 the letter had no position.
    item, qs = _item("stance-items-2", "o2-103")
    text = item.text.strip()
    assert _read(text, qs, None) == {}
    addressed: set[str] = set()
    got = _read(text, qs, addressing.load_weights(), addressed)
    assert set(got) == {"q1"} and addressed == {"q1"}
    assert got["q1"].stance == "agree"
    assert got["q1"].evidence.startswith("Having thought about it more, I think it would be")
    assert got["q1"].method == "unstructured"


def test_an_off_topic_position_stays_unanswered():
    # t3-100 (spent, gold not_answered): "I strongly disagree with the plan to sell the
    # gasworks land to a developer." names no closed question and is about something else;
    # the model gives it to none (the rules' fallbacks tried in session 22 did).
    item, qs = _item("stance-items-3", "t3-100")
    assert _read(item.text.strip(), qs, addressing.load_weights()) == {}


def test_candidates_are_positioned_paragraphs_for_unanswered_questions_only():
    qs = _town()
    text = (
        "Dear council,\n\nI have lived here for forty years.\n\n"
        "The cycle lane along the high street would take my parking.\n\n"
        "I am all for it.\n\nYours, a resident"
    )
    pieces = [m.group(0) for m in unstructured._PARA_RE.finditer(text)]
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stances

    read = [refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True)]
    stems = [unstructured.content_stems(p) for p in pieces]
    words = unstructured._distinctive(qs)
    named = [[i for i, w in enumerate(words) if s & w] for s in stems]
    own = unstructured._own_stems(qs)
    rows = addressing.candidate_rows(stems, read, named, own, set())
    k = pieces.index("I am all for it.")
    assert {(q, kk) for q, kk, _ in rows if kk == k} == {(0, k), (1, k)}
    f = {q: feats for q, kk, feats in rows if kk == k}
    assert f[0]["prev_names_q"] == 1.0 and f[1]["prev_names_other"] == 1.0
    assert f[0]["q_first"] == 1.0 and f[1]["q_first"] == 0.0
    assert f[0]["named_none"] == 1.0
    # a question already answered gets no candidate row
    rows = addressing.candidate_rows(stems, read, named, own, {0})
    assert {q for q, _, _ in rows} == {1}


def test_assign_gives_each_paragraph_to_one_question_above_the_threshold():
    read = [_stance_result("agree", 1.0, False, 0.8, "x", 0, 1, "cue", ())] * 2
    # a model of one feature: named_q
    w = {"features": ["named_q"], "mean": [0.0], "scale": [1.0], "coef": [4.0],
         "intercept": -2.0, "threshold": 0.5}  # fmt: skip
    rows = [
        (0, 0, {"named_q": 1.0}),  # p = 0.88
        (1, 0, {"named_q": 0.6}),  # p = 0.60: same paragraph, a second question (0.28 less)
        (1, 1, {"named_q": 0.2}),  # p = 0.23: under the threshold
    ]
    assert addressing.assign(rows, read, w) == {0: 0}
    rows.append((1, 1, {"named_q": 0.7}))  # p = 0.69
    assert addressing.assign(rows, read, w) == {0: 0, 1: 1}
    assert addressing.probability({"named_q": 1.0}, w) == pytest.approx(0.8808, abs=1e-4)


def test_a_reading_the_reader_gave_never_replaces_an_answer_placed_under_the_question():
    lr = _stance_result("agree", 1.0, False, 0.6, "We would be glad to help.", 500, 525,
                        "unstructured", ())  # fmt: skip
    none = _stance_result("not_answered", None, False, 0.3, None, None, None, "none", ())
    # the rules' answer under the question read no position: a letter's reading fills it,
    # but not one the addressing reader gave (the gate reads the answer afterwards)
    assert placement.letters_reading(none, lr, [], True) is True
    assert placement.letters_reading(none, lr, [], True, addressed=True) is False


def test_the_shipped_weights_carry_no_verifier():
    # the verifier (``addressing.verify``) was measured and not shipped (docs/stance.md,
    # "Session 23"): a rules-placed letter position is never dropped by the reader
    item, qs = _item("stance-items-12", "of12-009")
    text = item.text.strip()
    assert "verify" not in addressing.load_weights()
    assert _read(text, qs, addressing.load_weights())["q3"] == _read(text, qs, None)["q3"]


def test_verify_uses_its_own_model_and_threshold():
    w = {"verify": {"features": ["own_share"], "mean": [0.0], "scale": [1.0], "coef": [10.0],
                    "intercept": -2.0, "threshold": 0.3}}  # fmt: skip
    rows = [(0, 1, {"own_share": 0.0}), (1, 2, {"own_share": 0.5})]  # p = 0.12, 0.95
    assert addressing.verify(rows, ["agree", "disagree"], w) == {0}
    assert addressing.verify(rows, ["agree", "disagree"], {"threshold": 0.5}) == set()


def test_the_decoder_feature_reads_the_same_model_on_units():
    # ``benchmarks.letter_addressed``: the reader's probability per unit and closed question, the
    # decoder's ``q_addressed`` (measured, not in the shipped decoder weights)
    from benchmarks import letter_addressed as letteraddress
    from helpers.ingest.segment import letterseq

    item, _ = _item("stance-items-2", "o2-103")
    cons = load_item_set(DATA / "stance-items-2")[0].consultation
    questions = tuple(cons.questions)
    bodies = [m.group(0) for m in unstructured._PARA_RE.finditer(item.text.strip())]
    p = letteraddress.addressed(bodies, questions)
    q1 = [q.id for q in questions].index("q1")
    k = next(i for i, b in enumerate(bodies) if b.startswith("When I read the proposal"))
    assert p.shape == (len(bodies), len(questions))
    assert p[k, q1] >= addressing.load_weights()["threshold"]
    open_q = [j for j, q in enumerate(questions) if q.kind != "closed"]
    assert not p[:, open_q].any()
    assert "q_addressed" in letterseq.FEATURES
    assert "q_addressed" not in letterseq.load_decoder()["features"]


def test_a_paragraph_two_questions_pass_alike_goes_to_neither():
    # Hand weights: p = sigmoid(10 * own_share - 2). Paragraph 0 passes for both questions
    # (0.953 and 0.924: within AMBIGUITY_MARGIN), so neither takes it; paragraph 1 passes for
    # question 0 at 0.953 and question 1 at 0.5 (0.45 apart): question 0 takes it.
    from types import SimpleNamespace

    w = {"features": ["own_share"], "mean": [0.0], "scale": [1.0], "coef": [10.0],
         "intercept": -2.0, "threshold": 0.5}  # fmt: skip
    read = [SimpleNamespace(confidence=0.9), SimpleNamespace(confidence=0.9)]
    alike = [(0, 0, {"own_share": 0.5}), (1, 0, {"own_share": 0.45})]
    assert addressing.assign(alike, read, w) == {}
    apart = [(0, 1, {"own_share": 0.5}), (1, 1, {"own_share": 0.2})]
    assert addressing.assign(apart, read, w) == {0: 1}
    assert addressing.assign(alike + apart, read, w) == {0: 1}
