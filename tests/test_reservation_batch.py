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


def test_the_per_sentence_memo_changes_no_score():
    """Sentences are scored once and kept (``_sentence_terms``): a batch read with the
    memo empty, then again with every sentence in it, gives the same floats; and
    ``clear_caches`` empties it."""
    from helpers.stance import clear_caches

    weights = reservation_model.load_weights()
    jobs = []
    for segments, evidence, row in _answers(2, 60):
        spans, ev = reservations.answer_sentences(segments, evidence)
        jobs.append(([segments[k][s:e] for k, s, e in spans], ev, row))
    clear_caches()
    cold = reservation_model.batch_scores(jobs, weights)
    kept = len(reservation_model._sentence_terms_cache)
    assert 0 < kept < sum(len(t) for t, _, _ in jobs)  # the sentences repeat
    warm = reservation_model.batch_scores(jobs, weights)
    assert all(np.array_equal(a, b) for a, b in zip(cold, warm, strict=True))
    clear_caches()
    assert not reservation_model._sentence_terms_cache


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


_HOSTILE = [
    "don't won’t rock'n'roll o'clock abc' 'x don'tx9 2nd's",  # the word regex's edge cases
    "Ünïcödé wörds, İstanbul, ǅemal and ß; naïve café",  # non-ASCII: the numpy char path
    "snake_case under_score __ _ a_b",  # "_" is \w for the char grams, not a word letter
    "",
    "!!!",
    "a",
    "tabs\tand\nnew\rlines\x0c\x1c\x1d controls",
    "x" * 900 + " " + "yz " * 400,  # long, repetitive: large counts
    "1234567890 0987654321 42",
]


def test_compiled_ngram_term_is_numpys_bit_for_bit():
    """``reservation_grams.ngram_logits`` (numba) gives exactly the n-gram term the numpy
    features give (``sparse_features``: regex words, zlib CRC-32, ``np.unique`` counts)."""
    from helpers.stance import reservation_grams

    weights = reservation_model.load_weights()
    rnd = random.Random(7)
    lows = [t.lower() for t in _HOSTILE + _SENTENCES]
    lows += [" ".join(rnd.choice(lows) for _ in range(rnd.randrange(1, 6))) for _ in range(200)]
    idf = (weights["idf_word"], weights["idf_char"])
    r, c, v, _ = reservation_model.sparse_features(lows, None, (False, "agree", "text", False), idf)
    want = np.bincount(r, weights=v * weights["coef"][c], minlength=len(lows))
    got = reservation_grams.ngram_logits(
        lows, reservation_model._char_parts, reservation_model.WORD_DIM,
        reservation_model.CHAR_DIM, reservation_model._MIX, weights,
    )  # fmt: skip
    assert got.shape == want.shape
    assert np.array_equal(got, want)  # the same floats, not merely close


def test_text_hits_equal_a_search_of_every_pattern():
    """The gated rule hits (``_text_hits``) are each pattern's ``search`` on each sentence."""
    from helpers.stance.discourse_lexicon import _lexicon

    lows = [t.lower() for t in _HOSTILE + _SENTENCES]
    lows += ["as long as it works", "so long, farewell", "only when ready", "only yesterday",
             "subject to change", "subjects to learn", "on condition that", "butter", "but."]  # fmt: skip
    lex = _lexicon()
    pats = [lex[k] for k in reservation_model._LEX_KEYS]
    pats += [reservation_model._CONTRAST_ANY, reservation_model._CONDITION_ANY]
    want = [[p.search(low) is not None for low in lows] for p in pats]
    assert reservation_model._text_hits(lows) == want
    assert any(want[-1]) and not all(want[-1]) and any(want[-2]) and not all(want[-2])


def _sentences_reference(text: str) -> list[tuple[int, int]]:
    """``reservation_model.sentences`` as first written: a loop per character."""
    out = []
    for m in reservation_model._SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if s < e and any(c.isalnum() for c in text[s:e]):
            out.append((s, e))
        if len(out) >= reservation_model.MAX_SENTENCES:
            break
    return out


def test_sentences_equal_the_per_character_reading():
    """Spaces of every kind (no-break, em, ideographic), numerals of other scripts ("١",
    "½", "²") and "_" (a word character that is not alphanumeric) as the loop read them."""
    rnd = random.Random(11)
    chars = list("ab _.!?\n\t\u00a0\u2003\u3000é١½²x...;:")
    texts = ["".join(rnd.choice(chars) for _ in range(rnd.randrange(0, 80))) for _ in range(3000)]
    texts += _HOSTILE + _SENTENCES + [" ".join(_SENTENCES) * 5, "_ _ _. __! ²."]
    for text in texts:
        assert reservation_model.sentences(text) == _sentences_reference(text), text
    assert any(reservation_model.sentences(t) for t in texts)
