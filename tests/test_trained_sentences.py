"""The trained coder's opt-in sentence classifiers (codebook ``training_sentences``, trained_fit).

Uses the training answers and ingested documents of ``test_trained`` (a parks
consultation written for these tests) and a hashed stand-in for the sentence model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_trained import CODEBOOK, _encode, _ingested, folder  # noqa: F401

from helpers.coding import trained, trained_fit
from helpers.coding.codebook import CodebookError, load_codebook
from helpers.coding.trained import read_training_answers, trained_decisions
from helpers.core.consultation import load_consultation

ON = CODEBOOK.replace("themes:", "training_sentences: true\nthemes:")


def _codebook(folder, text):  # noqa: F811
    (folder / "codebook.yaml").write_text(text, encoding="utf-8")
    consultation = load_consultation(folder / "consultation.yaml")
    return load_codebook(folder / "codebook.yaml", consultation), consultation


def test_the_switch_is_off_unless_the_codebook_says_and_must_be_a_boolean(folder):  # noqa: F811
    assert _codebook(folder, CODEBOOK)[0].training_sentences is False
    assert _codebook(folder, ON)[0].training_sentences is True
    for bad in ("1", "'yes'", "[true]"):
        with pytest.raises(CodebookError, match="training_sentences"):
            _codebook(folder, CODEBOOK.replace("themes:", f"training_sentences: {bad}\nthemes:"))


def test_a_blended_code_scores_the_mean_of_answer_and_best_sentence(folder):  # noqa: F811
    codebook, consultation = _codebook(folder, ON)
    training = read_training_answers(folder / "earlier.csv", codebook)
    fitted = trained.fit(codebook, training, _encode)
    assert fitted.sentences is not None
    assert fitted.sentences.coef.shape[0] == len(fitted.theme_ids) == 1
    result = _ingested(folder)
    codes = trained_decisions(
        result.answers, result.respondents, codebook, consultation, _encode
    ).codes
    assert set(codes.theme_id) == {"safety"} and len(codes) == 1
    row = codes.iloc[0]
    answer = result.answers[
        (result.answers.respondent_id == row.respondent_id)
        & (result.answers.question_id == "hours")
    ].iloc[0]
    text = result.respondents.set_index("respondent_id").text[row.respondent_id]
    body = text[int(answer.start) : int(answer.end)]
    spans, sentences, owner = trained_fit.split([body])
    x = trained_fit.features(
        _encode(sentences), fitted.sentences.vectorizer().transform(sentences), owner
    )
    zeros = np.zeros((len(sentences), 1))  # no "unsafe" in it: no dictionary hit
    sent = fitted.sentences.probabilities(x, zeros, zeros)[:, 0]
    ax = trained.sparse.hstack(
        [trained.sparse.csr_matrix(trained_fit.answer_vectors(_encode(sentences), owner, 1)),
         fitted.vectorizer().transform([body])]
    ).tocsr()  # fmt: skip
    whole = fitted.probabilities(ax)[0, 0]
    assert row.score == pytest.approx(0.5 * sent.max() + 0.5 * whole)
    # the evidence is the sentence the sentence classifier scores highest
    s, e = spans[0][int(np.argmax(sent))]
    assert row.quote == body[s:e] and "scared" in row.quote


def test_a_dictionary_hit_is_a_feature_the_sentence_classifier_weighs(folder):  # noqa: F811
    # "unsafe" (the dictionary's pattern) in answers coded safety: a hit raises the score
    rows = [("r", "hours", "safety", f"It is unsafe here, {t.lower()}") for t in ("dark", "grim")]
    codebook, _ = _codebook(folder, ON)
    training = read_training_answers(folder / "earlier.csv", codebook)
    extra = pd.DataFrame(
        [{"question_id": q, "text": t, "themes": (th,)} for _, q, th, t in rows * 3]
    )
    fitted = trained.fit(codebook, pd.concat([training, extra], ignore_index=True), _encode)
    assert fitted.sentences.dict_coef[0, 0] > 0


def test_sentence_classifiers_are_cached_with_their_arrays(folder, monkeypatch):  # noqa: F811
    monkeypatch.setattr(trained, "_default_encode", _encode)
    monkeypatch.setattr(trained.embedding, "available", lambda model: True)
    monkeypatch.setattr(trained, "_MEMO", {})
    result = _ingested(folder)
    cache = folder / "cache"
    off, consultation = _codebook(folder, CODEBOOK)
    args = (result.answers, result.respondents)
    plain = trained_decisions(*args, off, consultation, cache_dir=cache).codes
    on, _ = _codebook(folder, ON)
    first = trained_decisions(*args, on, consultation, cache_dir=cache).codes
    # the switch is part of the key: two fitted sets stored
    assert len(list((cache / "trained").glob("*.npz"))) == 2
    monkeypatch.setattr(trained, "_MEMO", {})
    again = trained_decisions(*args, on, consultation, cache_dir=cache).codes
    pd.testing.assert_frame_equal(first, again)
    assert list(plain.theme_id) == list(first.theme_id) == ["safety"]
    assert plain.score.item() != pytest.approx(first.score.item())
