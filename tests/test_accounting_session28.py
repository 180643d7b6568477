"""Session 28: campaign texts found whole in long e-mails once rewording made them campaign texts,
campaign texts cut across two answers, and perturbations of the ways copies are sent.

Texts are written for these tests (the library-hours consultation of ``test_campaign_pairs``,
which no development set uses). Measured on the spent sets with
``benchmarks/campaign_perturb`` and ``benchmarks/accounting_gold`` (docs/evaluation.md,
"Session 28").
"""

from __future__ import annotations

import random

import pandas as pd

from benchmarks.campaign_perturb import paraphrase, perturb, sentences
from helpers.ingest.campaign_split import joined_answers
from tests.test_accounting_session23 import CARD, OTHERS, OWN_PARAGRAPH
from tests.test_campaign_pairs import _detect

# Two supporters who each retyped the campaign's two sentences a little: the reworded pass
# groups them (neither is a text sent word for word by several).
FIRST = (
    "I back keeping the branch library open on Sundays. Councillors should count who uses it "
    "at weekends, not just the weekday loans."
)
SECOND = (
    "I back a Sunday opening for the branch library. Councillors should count who comes in "
    "at the weekend, not only the loans made on weekdays."
)
SECOND_OWN = (
    "My grandson and I walk there every week after church, and the children's corner is the "
    "only place in town with books for him. We would lose that if the hours are cut."
)


def test_first_copy_inside_a_long_email_joins_a_reworded_campaign():
    email = (
        f"Hello,\n\n{OWN_PARAGRAPH}\n\n{SECOND_OWN}\n\nThe campaign's text is below:\n\n"
        + "\n".join(f"> {line}" for line in FIRST.split(". "))
    )
    rows = [("r40", "q1", FIRST), ("r41", "q1", SECOND), ("r42", "q1", email), *OTHERS]
    assert _detect(rows)["q1"] == ["r40", "r41", "r42"]


def test_one_sentence_of_a_reworded_campaign_in_a_long_letter_stays_alone():
    # A quotation, not a copy: only the campaign's first sentence inside her own text.
    quote = FIRST.split(". ")[0] + "."
    rows = [
        ("r40", "q1", FIRST),
        ("r41", "q1", SECOND),
        ("r43", "q1", f"{OWN_PARAGRAPH}\n\n{SECOND_OWN} As the card says, “{quote}”"),
        *OTHERS,
    ]
    assert _detect(rows)["q1"] == ["r40", "r41"]


def test_perturbations_keep_the_campaign_words():
    rng = random.Random(1)
    text = "We do not support the plan. It is very important.\n\nPlease start again."
    assert paraphrase(text) == "I don't back the plan. It is really vital.\n\nPlease begin again."
    swapped = perturb("para_reorder", text, rng, "", "Jo")
    assert swapped == "Please start again.\n\nWe do not support the plan. It is very important."
    table = perturb("table", text, rng, "", "Jo")
    assert table.splitlines()[2] == "| 1 | We do not support the plan. |"
    assert len(table.splitlines()) == 2 + len(sentences(text))
    assert perturb("personal_longer", text, rng, "Mine.", "Jo", "Also mine.") is None  # too short
    longer = perturb("personal_longer", text, rng, "A" * 60, "Jo", "B" * 60)
    assert longer.startswith("A" * 60) and longer.endswith("B" * 60) and text in longer


def test_campaign_text_cut_across_two_answers_is_a_copy_under_the_first():
    # r34 pasted the card under her own two headings: its first sentence ends her q1 answer,
    # the rest opens her q2 answer (kind ``split_headings``).
    first, rest = CARD.split(". ", 1)
    rows = [
        ("r30", "q1", CARD),
        ("r31", "q1", CARD),
        ("r34", "q1", f"I agree with the Friends.\n\n{first}."),
        ("r34", "q2", f"{rest}\n\nAnd please keep the late Thursday too."),
        *OTHERS,
    ]
    assert _detect(rows)["q1"] == ["r30", "r31", "r34"]
    assert "q2" not in _detect(rows)


def test_own_next_answer_after_a_campaign_sentence_is_not_a_copy():
    first = CARD.split(". ", 1)[0] + "."
    rows = [
        ("r30", "q1", CARD),
        ("r31", "q1", CARD),
        ("r35", "q1", first),
        ("r35", "q2", "Cut the late Thursday opening instead; it is always empty after seven."),
        *OTHERS,
    ]
    assert _detect(rows)["q1"] == ["r30", "r31"]


def test_joined_answers_skip_surveys_and_join_in_document_order():
    answers = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "a", "b", "b"],
            "question_id": ["q2", "q1", "preamble", "q1", "q2"],
            "start": [50, 10, 0, 0, 40],
            "answer_text": ["Second. More.", "Own.\n\nFirst half.", "Hi", "x", "y"],
            "match_method": ["heading", "heading", "heading", "survey_column", "survey_column"],
        }
    )
    respondents = pd.DataFrame({"respondent_id": ["a", "b"]})
    joined, allowed = joined_answers(answers, respondents)
    assert joined.to_dict("records") == [
        {"respondent_id": "a", "text": "First half. Second. More."}
    ]
    assert allowed == {("a", "q1")}
