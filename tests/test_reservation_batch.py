"""The learned reservation finder's batch path equals its per-answer path.

``add_reservations`` scores all the model's answers of a table in one pass
(``reservation_model.batch_scores`` via ``reservations.learned_reservations``) for speed;
the per-answer functions (``scores``, ``learned_reservation``) are the straightforward
reading. Both must give the same probabilities (to 1e-12) and the same sentence.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from helpers.stance import reservation_model, reservations

_SENTENCES = [
    "I agree with the proposal.",
    "However, I'm worried the staff won’t cope with the extra hours.",
    "Only if the funding is guaranteed for five years",
    "What happens to the mobile service?",
    "Overall it is a sensible plan, provided that volunteers are trained!",
    "Strongly disagree",
    "The café’s opening times don't suit carers, although the idea is fine.",
    "12 3 4567 -- ### ...",
    "Es ist gut; naïve résumé coöperation.",
    "but",
    "We would like more detail on capacity, timing and how the change is phased in over the year "
    * 3,
    "Subject to consultation with parents, yes.",
    "  leading spaces and trailing spaces   ",
    "Unless something changes I can't support it",
]
_STANCES = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
_METHODS = ("text", "unstructured", "tick_box+text")


def _answers(seed: int, n: int) -> list:
    """Varied answers: 0-3 segments of 0-45 sentences, evidence anywhere or none, any row."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        segments = [
            " ".join(rnd.choice(_SENTENCES) for _ in range(rnd.choice([0, 1, 1, 2, 3, 6, 45])))
            for _ in range(rnd.choice([1, 1, 2, 3]))
        ]
        k = rnd.randrange(len(segments))
        evidence = None
        if segments[k] and rnd.random() < 0.7:
            a = rnd.randrange(len(segments[k]))
            evidence = (k, a, min(len(segments[k]), a + 20))
        row = (rnd.random() < 0.3, rnd.choice(_STANCES), rnd.choice(_METHODS), rnd.random() < 0.2)
        out.append((segments, evidence, row))
    return out


@pytest.mark.parametrize("batch", [reservation_model._BATCH_SENTENCES, 7, 1])
def test_batch_scores_equal_the_per_answer_scores(monkeypatch, batch):
    weights = reservation_model.load_weights()
    assert weights is not None
    monkeypatch.setattr(reservation_model, "_BATCH_SENTENCES", batch)
    answers = _answers(1, 120)
    jobs = []
    for segments, evidence, row in answers:
        spans, ev = reservations.answer_sentences(segments, evidence)
        jobs.append(([segments[k][s:e] for k, s, e in spans], ev, row))
    assert sum(not t for t, _, _ in jobs) > 0 and max(len(t) for t, _, _ in jobs) >= 40
    assert len({ev for _, ev, _ in jobs}) > 5
    got = reservation_model.batch_scores(jobs, weights)
    assert len(got) == len(jobs)
    for (texts, ev, row), p in zip(jobs, got, strict=True):
        want = reservation_model.scores(texts, ev, row, weights)
        assert p.shape == want.shape
        np.testing.assert_allclose(p, want, rtol=0, atol=1e-12)
        if len(p):
            assert int(np.argmax(p)) == int(np.argmax(want))


def test_learned_reservations_equal_learned_reservation_one_by_one():
    answers = _answers(2, 200)
    one = [reservations.learned_reservation(*a) for a in answers]
    assert reservations.learned_reservations(answers) == one
    # both outcomes occur, so the comparison can fail either way
    assert any(x is None for x in one) and any(x is not None for x in one)


def test_the_dense_features_are_the_per_sentence_features_exactly():
    answers = _answers(3, 60)
    jobs = []
    for segments, evidence, row in answers:
        spans, ev = reservations.answer_sentences(segments, evidence)
        jobs.append(([segments[k][s:e] for k, s, e in spans], ev, row))
    lows = [t.lower() for texts, _, _ in jobs for t in texts]
    fast = reservation_model._dense_batch(lows, jobs)
    slow = [
        reservation_model._dense(t.lower(), k, len(texts), ev, row)
        for texts, ev, row in jobs
        for k, t in enumerate(texts)
    ]
    assert fast.shape == (len(lows), reservation_model.N_DENSE)
    assert np.array_equal(fast, np.array(slow, dtype=np.float64).reshape(fast.shape))
