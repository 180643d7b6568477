"""Learned coding: classifiers trained on the researcher's own decisions (issue 14, item 3).

A small hand-written corpus: care leavers writing about housing in words no
pattern of the codebook catches ("somewhere safe to live", "sofa surfing",
"a roof over their heads"), beside answers about other things. The hand-coded
sample marks which answers raise housing; the learned coder must code unseen
answers that express it and leave unrelated ones alone.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from helpers.coding import code_learned, learned_report, parse_codebook
from helpers.coding.labels import read_hand_labels, training_labels
from helpers.coding.learned import add_learned_codes
from helpers.core import embedding, schemas

pytestmark = pytest.mark.skipif(not embedding.available(), reason="embedding model not installed")
_VECTORS: dict[str, np.ndarray] = {}


def encode(texts):
    """The real model, each sentence embedded once for the whole module."""
    todo = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    _VECTORS.update(zip(todo, embedding.encode(todo), strict=True))
    return np.stack([_VECTORS[t] for t in texts])


HOUSING = [
    "I needed somewhere safe to live when I turned eighteen.",
    "Getting a flat of my own was the hardest part of leaving care.",
    "I was sofa surfing for months because nobody found me a place to stay.",
    "Young people need a roof over their heads and a front door they can lock.",
    "My worker never helped me find a home, so I ended up in a hostel.",
    "Having my own room in a shared house at last gave me somewhere to settle.",
]
OTHER = [
    "I wanted help with my college course and my exams.",
    "Nobody explained how to budget my benefits money each week.",
    "I needed help finding an apprenticeship and a job.",
    "Seeing my brothers and sisters more often matters most to me.",
    "Counselling for my anxiety came far too late.",
    "Learning to cook and shop was something I had to teach myself.",
    "My social worker changed five times in two years.",
    "I would like to be told what is in my care records.",
]
UNSEEN_HOUSING = [
    "When I left care I had nowhere to stay. Every young person should have a safe place to sleep.",
    "I spent a winter moving between friends' couches with no home to go to.",
]
UNSEEN_OTHER = [
    "More help with university applications and exam revision.",
    "My sister lives far away and I hardly ever get to visit her.",
]

CODEBOOK = {
    "id": "t",
    "title": "test",
    "themes": [
        {"id": "housing", "label": "Housing", "patterns": ["housing"]},
        {"id": "family", "label": "Family contact", "patterns": ["family"]},
        {"id": "records", "label": "Records", "patterns": ["record*"], "methods": ["dictionary"]},
    ],
}


def _tables(texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"r{i:02d}" for i in range(len(texts))]
    respondents = pd.DataFrame({"respondent_id": ids, "text": texts})
    answers = pd.DataFrame(
        {
            "respondent_id": ids,
            "question_id": "q1",
            "start": 0,
            "end": [len(t) for t in texts],
            "answer_text": texts,
            "substantive": True,
        }
    )
    return respondents, answers


@pytest.fixture(scope="module")
def corpus():
    texts = HOUSING + OTHER + UNSEEN_HOUSING + UNSEEN_OTHER
    respondents, answers = _tables(texts)
    n_train = len(HOUSING) + len(OTHER)
    rows = [(f"r{i:02d}", "q1", "housing") for i in range(len(HOUSING))]
    rows += [(f"r{i:02d}", "q1", None) for i in range(len(HOUSING), n_train)]
    rows.append(("r09", "q1", "family"))  # one family answer: too few to learn
    hand = pd.DataFrame(rows, columns=["respondent_id", "question_id", "theme_id"]).astype("string")
    return respondents, answers, hand, parse_codebook(CODEBOOK)


def test_unseen_answers_in_other_words_are_coded_and_unrelated_ones_are_not(corpus):
    respondents, answers, hand, cb = corpus
    codes, skipped = code_learned(answers, respondents, cb, None, hand, encode=encode)
    coded = set(codes.loc[codes["theme_id"] == "housing", "respondent_id"])
    assert coded == {"r14", "r15"}  # the two unseen housing answers, not r16/r17
    assert (codes["method"] == "learned").all() and (codes["source"] == "auto").all()
    assert codes["score"].between(0.5, 1).all() and codes["pattern"].isna().all()
    texts = dict(zip(respondents["respondent_id"], respondents["text"], strict=True))
    for row in codes.itertuples():
        assert texts[row.respondent_id][row.start : row.end] == row.quote
    # the evidence is the sentence about housing, not the one about leaving care
    r14 = codes[codes["respondent_id"] == "r14"].iloc[0]
    assert r14["quote"] == "Every young person should have a safe place to sleep."
    # hand-coded answers are never proposed: a person decided them
    assert not set(codes["respondent_id"]) & set(hand["respondent_id"])
    pd.testing.assert_frame_equal(
        codes, code_learned(answers, respondents, cb, None, hand, encode=encode)[0]
    )
    assert list(codes.columns) == list(schemas.empty(schemas.CODES).columns)


def test_themes_with_too_few_labels_or_learning_off_are_listed_as_skipped(corpus):
    respondents, answers, hand, cb = corpus
    _, skipped = code_learned(answers, respondents, cb, None, hand, encode=encode)
    why = dict(zip(skipped["theme_id"], skipped["reason"], strict=True))
    assert set(why) == {"family", "records"}
    assert why["family"].startswith("too few labels: 1 coded and 13 not coded")
    assert "off" in why["records"]


def test_cross_validated_report_is_in_range_and_deterministic(corpus):
    respondents, answers, hand, cb = corpus
    report = learned_report(answers, respondents, cb, None, hand, encode=encode)
    again = learned_report(answers, respondents, cb, None, hand, encode=encode)
    pd.testing.assert_frame_equal(report, again)
    row = report.set_index("theme_id").loc["housing"]
    assert (row["n_positive"], row["n_negative"], row["folds"]) == (6, 8, 5)
    assert row["tp"] + row["fn"] == 6 and row["fp"] <= 8
    assert 0 <= row["precision"] <= 1 and 0.5 <= row["recall"] <= 1
    assert report.set_index("theme_id").loc["family", "note"].startswith("too few labels")


def test_override_removes_are_negatives_and_adds_positives(corpus, tmp_path):
    respondents, answers, hand, cb = corpus
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "respondent_id,question_id,theme_id,action,quote,coder,note\n"
        "r15,q1,housing,remove,,me,not about housing after all\n"
        "r16,q1,housing,add,,me,\n",
        encoding="utf-8",
    )
    labels = training_labels(answers, cb, hand, overrides).set_index(
        ["respondent_id", "question_id", "theme_id"]
    )
    assert labels.loc[("r15", "q1", "housing"), ["label", "source"]].tolist() == [
        0,
        "override_remove",
    ]
    assert labels.loc[("r16", "q1", "housing"), ["label", "source"]].tolist() == [1, "override_add"]
    assert labels.loc[("r00", "q1", "family"), "label"] == 0  # read, not coded: a negative
    codes, _ = code_learned(answers, respondents, cb, None, hand, overrides, encode=encode)
    # decided by the researcher: neither proposed again
    assert not {"r15", "r16"} & set(codes["respondent_id"])
    report = learned_report(answers, respondents, cb, None, hand, overrides, encode=encode)
    row = report.set_index("theme_id").loc["housing"]
    assert (row["n_positive"], row["n_negative"]) == (7, 9)


def test_stage_hook_reads_the_hand_coded_csv_and_keeps_existing_codes(corpus, tmp_path, caplog):
    respondents, answers, hand, cb = corpus
    path = tmp_path / "hand_coded.csv"
    body = hand.fillna("").to_csv(index=False)
    path.write_text("# coded by a test\n" + body, encoding="utf-8")
    pd.testing.assert_frame_equal(read_hand_labels(path), hand)
    empty = schemas.empty(schemas.CODES)
    with caplog.at_level(logging.INFO, logger="helpers.coding.learned"):
        assert add_learned_codes(empty, answers, respondents, cb, None, None) is empty
    assert "no hand-coded sample" in caplog.text
    out = add_learned_codes(empty, answers, respondents, cb, None, path, encode=encode)
    assert sorted(out["respondent_id"]) == ["r14", "r15"]
