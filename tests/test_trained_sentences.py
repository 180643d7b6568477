"""The trained coder on the shipped Ofsted codebook, with the real sentence model, offline.

Answers written for this test (not from any development set, not used when the
coder was designed): a theme raised without the codebook's words is coded with the
sentence that raises it as evidence; a dismissal of a topic is not coded by the
learned coder; and the model loads and codes with sockets blocked.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pandas as pd
import pytest

from helpers.coding import code_answers
from helpers.coding.codebook import load_codebook
from helpers.coding.trained import trained_codes
from helpers.core import embedding
from helpers.core.consultation import load_consultation

ROOT = Path(__file__).resolve().parent.parent / "consultations" / "ofsted-ilacs-care-leavers-2022"

ANSWERS = [
    ("instability", "q2",
     "Inspectors should ask how often placements changed. A young woman we support was "
     "moved four times in a year and never had the same worker twice, so she stopped "
     "trusting anyone."),
    ("dismissal", "q4",
     "The start date itself is not our concern. What matters is that inspectors speak "
     "to care leavers directly."),
]  # fmt: skip

pytestmark = pytest.mark.skipif(
    not embedding.available(embedding.CODING_MODEL), reason="sentence model not installed"
)


@pytest.fixture(scope="module")
def coded():
    from helpers.core import wordvectors

    consultation = load_consultation(ROOT / "consultation.yaml")
    codebook = load_codebook(ROOT / "codebook.yaml", consultation)
    text = {r: t for r, _, t in ANSWERS}
    respondents = pd.DataFrame({"respondent_id": list(text), "text": list(text.values())})
    answers = pd.DataFrame(
        [{"respondent_id": r, "question_id": q, "start": 0, "end": len(t), "substantive": True}
         for r, q, t in ANSWERS]
    )  # fmt: skip
    dictionary = code_answers(answers, respondents, codebook, consultation)
    with pytest.MonkeyPatch.context() as mp:

        def refuse(*args, **kwargs):
            raise OSError("network blocked by test")

        mp.setattr(socket, "socket", refuse)
        mp.setattr(socket, "create_connection", refuse)
        wordvectors.load_model.cache_clear()
        try:
            codes = trained_codes(
                answers, respondents, codebook, consultation, dictionary=dictionary
            )
        finally:
            wordvectors.load_model.cache_clear()
    return codes, dictionary, text


def test_an_implied_theme_is_coded_with_the_sentence_that_raises_it(coded):
    codes, dictionary, text = coded
    # the dictionary finds no stability/relationships words in the first sentence
    row = codes[(codes.respondent_id == "instability")]
    row = row[row.theme_id == "stability_relationships"]
    assert len(row) == 1
    row = row.iloc[0]
    assert row.method == "learned" and row.score >= 0.8
    assert row.quote == text["instability"][row.start : row.end]
    assert row.quote.startswith("A young woman we support was moved four times")


def test_a_dismissed_topic_is_not_coded_by_the_learned_coder(coded):
    codes, dictionary, _ = coded
    # the dictionary's "start date" fires on the dismissal; the learned coder does not
    assert "timing" in set(dictionary[dictionary.respondent_id == "dismissal"].theme_id)
    assert "timing" not in set(codes[codes.respondent_id == "dismissal"].theme_id)
