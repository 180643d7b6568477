"""Codes learned from coded answers of earlier rounds (coding.trained, codebook training_answers)."""

from __future__ import annotations

import csv
import hashlib

import numpy as np
import pandas as pd
import pytest
from builders import make_docx

from helpers.coding.codebook import CodebookError, load_codebook
from helpers.coding.trained import (
    TrainingAnswersError,
    add_trained_codes,
    read_training_answers,
    trained_decisions,
)
from helpers.core import schemas
from helpers.core.consultation import load_consultation

CONSULTATION = """\
id: parks-2027
title: Riverside park changes
description: The borough proposes new opening hours and a cafe for Riverside park.
questions:
  - {id: hours, number: 1, kind: open, text: 'What do you think of the new opening hours?'}
  - {id: cafe, number: 2, kind: open, text: 'What should the cafe offer?'}
"""

CODEBOOK = """\
id: parks
title: Parks
training_answers: earlier.csv
themes:
  - {id: safety, label: Feeling safe, patterns: [unsafe]}
  - {id: dogs, label: Dogs, patterns: [dog*]}
  - {id: prices, label: Prices, patterns: [price*], methods: [dictionary]}
"""

# An earlier round, coded by a researcher: "safety" raised in everyday words
# (dark, lighting, on my own, scared) the patterns do not list.
SAFE = [
    "It gets dark by five and there is no lighting on the path, I would not walk there alone.",
    "Walking home through the park after dark is scary without lights.",
    "My daughter will not cross it on her own once it is dark.",
    "Please add lighting, it is pitch black near the pond in winter.",
    "Late opening is fine if there are lights and a warden, it feels scary at night.",
    "I am scared going through in the dark on my own.",
]
OTHER = [
    "Opening at seven suits me because I run before work.",
    "The hours are fine, keep the gates open in summer.",
    "Longer hours at weekends would help families.",
    "Closing at eight is too early in June.",
    "I like the idea of opening earlier for commuters.",
    "No strong view on the hours.",
    "Keep the toilets open as long as the gates.",
]
PRICES = ["Cheap tea please.", "Reasonable prices.", "Not too expensive."]


def _encode(texts):
    """A deterministic stand-in for the sentence model: hashed word counts, unit length."""
    out = np.zeros((len(texts), 64))
    for i, t in enumerate(texts):
        for w in t.lower().split():
            out[i, int(hashlib.md5(w.strip(".,!").encode()).hexdigest(), 16) % 64] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _write_training(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "question_id", "themes", "text"])
        w.writerows(rows)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    rows = [("round1", "hours", "safety", t) for t in SAFE]
    rows += [("round1", "hours", "", t) for t in OTHER]
    rows += [("round1", "cafe", "prices", t) for t in PRICES * 2]
    rows += [("round1", "cafe", "", t) for t in OTHER[:5]]
    _write_training(tmp_path / "earlier.csv", rows)
    return tmp_path


def _ingested(folder):
    from helpers.ingest import stage as ingest

    responses = folder / "responses"
    responses.mkdir()
    make_docx(
        responses / "resident.docx",
        [
            ("Question 1", "heading2"),
            "Opening until nine sounds lovely. But without lighting I'd be scared on my own "
            "in the dark there.",
            ("Question 2", "heading2"),
            "Good coffee and somewhere to sit.",
        ],
    )
    make_docx(
        responses / "runner.docx",
        [("Question 1", "heading2"), "Opening at six would suit my running club."],
    )
    return ingest.run_ingest(responses, folder / "consultation.yaml", folder / "out")


def test_a_theme_raised_in_words_no_pattern_lists_is_learned_with_its_sentence(folder):
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    assert codebook.training_answers == folder / "earlier.csv"
    result = _ingested(folder)
    codes = trained_decisions(
        result.answers, result.respondents, codebook, consultation, _encode
    ).codes
    got = {(r.respondent_id, r.question_id, r.theme_id) for r in codes.itertuples()}
    resident = result.respondents.loc[
        result.respondents.source_file == "resident.docx", "respondent_id"
    ].item()
    assert (resident, "hours", "safety") in got
    # the running club is not about safety; "prices" is dictionary-only; cafe has no safety
    assert {t for _, _, t in got} == {"safety"}
    assert len(got) == 1
    row = codes.iloc[0]
    text = result.respondents.set_index("respondent_id").text[resident]
    assert row.method == "learned" and 0.6 <= row.score <= 1.0
    assert text[row.start : row.end] == row.quote and "scared" in row.quote
    assert list(codes.columns) == [c.name for c in schemas.CODES.columns]


def test_trained_codes_only_fill_pairs_no_counted_code_has(folder):
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    result = _ingested(folder)
    first = add_trained_codes(
        schemas.empty(schemas.CODES), result.answers, result.respondents, codebook,
        consultation, _encode,
    )  # fmt: skip
    again = add_trained_codes(
        first, result.answers, result.respondents, codebook, consultation, _encode
    )
    assert len(first) == 1 and len(again) == 1


def test_without_a_training_file_nothing_is_coded(folder):
    (folder / "codebook.yaml").write_text(
        CODEBOOK.replace("training_answers: earlier.csv\n", ""), encoding="utf-8"
    )
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    answers = pd.DataFrame(columns=["respondent_id", "question_id", "start", "end"])
    respondents = pd.DataFrame(columns=["respondent_id", "text"])
    assert codebook.training_answers is None
    assert not len(trained_decisions(answers, respondents, codebook, consultation, _encode).codes)


def test_bad_training_files_name_the_file_and_line(folder):
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    _write_training(folder / "bad.csv", [("x", "hours", "safety; litter", "Bins overflow.")])
    with pytest.raises(
        TrainingAnswersError, match=r"bad.csv line 2: unknown theme\(s\) \['litter'\]"
    ):
        read_training_answers(folder / "bad.csv", codebook)
    (folder / "cols.csv").write_text("question_id,text\nhours,Fine.\n", encoding="utf-8")
    with pytest.raises(TrainingAnswersError, match=r"missing column\(s\) \['themes'\]"):
        read_training_answers(folder / "cols.csv")
    (folder / "codebook.yaml").write_text(
        CODEBOOK.replace("earlier.csv", "absent.csv"), encoding="utf-8"
    )
    with pytest.raises(CodebookError, match="absent.csv not found"):
        load_codebook(folder / "codebook.yaml", consultation)


def test_fitted_classifiers_are_cached_by_training_content_and_reused(folder, monkeypatch):
    from helpers.coding import trained

    calls = []

    def counting(texts):
        calls.append(len(texts))
        return _encode(texts)

    monkeypatch.setattr(trained, "_default_encode", counting)
    monkeypatch.setattr(trained.embedding, "available", lambda model: True)
    monkeypatch.setattr(trained, "_MEMO", {})
    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    result = _ingested(folder)
    cache = folder / "cache"
    args = (result.answers, result.respondents, codebook, consultation)
    first = trained_decisions(*args, cache_dir=cache).codes
    fits = len(calls)  # the training texts, then the answers' sentences
    assert len(first) == 1 and fits == 2
    assert len(list((cache / "trained").glob("*.npz"))) == 1
    # a new process (empty memo) reads the stored arrays: no training text embedded again
    monkeypatch.setattr(trained, "_MEMO", {})
    again = trained_decisions(*args, cache_dir=cache).codes
    assert len(calls) == fits + 1
    pd.testing.assert_frame_equal(first, again)
    # another training file is another key: fitted again, stored beside the first
    rows = [("r2", "hours", "safety", t) for t in SAFE[:5]] + [
        ("r2", "hours", "", t) for t in OTHER
    ]
    _write_training(folder / "earlier.csv", rows)
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    trained_decisions(result.answers, result.respondents, codebook, consultation, cache_dir=cache)
    assert len(calls) == fits + 3
    assert len(list((cache / "trained").glob("*.npz"))) == 2


def test_fitted_probabilities_are_the_classifiers_own(folder):
    from sklearn.linear_model import LogisticRegression

    from helpers.coding import trained

    consultation = load_consultation(folder / "consultation.yaml")
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    training = read_training_answers(folder / "earlier.csv", codebook)
    fitted = trained.fit(codebook, training, _encode)
    assert fitted.theme_ids == ["safety"] and fitted.seen == [frozenset({"hours"})]
    texts = ["Too dark and scary on my own.", "Open at six please."]
    x = trained.sparse.hstack(
        [trained.sparse.csr_matrix(_encode(texts)), fitted.vectorizer().transform(texts)]
    ).tocsr()
    probs = fitted.probabilities(x)[:, 0]
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_, model.intercept_ = fitted.coef[:1], fitted.intercept[:1]
    np.testing.assert_allclose(probs, model.predict_proba(x)[:, 1])
    assert probs[0] > 0.6 > probs[1]


def test_the_codebook_sets_the_probability_a_trained_code_needs(folder):
    consultation = load_consultation(folder / "consultation.yaml")
    result = _ingested(folder)
    codebook = load_codebook(folder / "codebook.yaml", consultation)
    assert codebook.training_threshold is None
    score = trained_decisions(
        result.answers, result.respondents, codebook, consultation, _encode
    ).codes
    score = float(score.score.item())
    for cut, n in ((score - 0.01, 1), (score + 0.01, 0)):
        (folder / "codebook.yaml").write_text(
            CODEBOOK.replace("themes:", f"training_threshold: {cut:.4f}\nthemes:"),
            encoding="utf-8",
        )
        codebook = load_codebook(folder / "codebook.yaml", consultation)
        assert codebook.training_threshold == pytest.approx(cut, abs=1e-4)
        got = trained_decisions(
            result.answers, result.respondents, codebook, consultation, _encode
        ).codes
        assert len(got) == n
    for bad in ("1.5", "0", "yes", "'high'"):
        (folder / "codebook.yaml").write_text(
            CODEBOOK.replace("themes:", f"training_threshold: {bad}\nthemes:"), encoding="utf-8"
        )
        with pytest.raises(CodebookError, match="training_threshold"):
            load_codebook(folder / "codebook.yaml", consultation)
