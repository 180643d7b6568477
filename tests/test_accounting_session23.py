"""Session 23: campaign copies that more copies, or a longer personal paragraph, used to hide.

Texts are written for these tests (the library-hours consultation of
``test_campaign_pairs``, which no development set uses), except where a fixture of that
module is reused. Measured on the spent sets with ``benchmarks/campaign_perturb`` and
``benchmarks/accounting_gold`` (docs/evaluation.md, "Session 23").
"""

from __future__ import annotations

import pandas as pd

from helpers.ingest import campaign_pairs, campaigns
from helpers.ingest.campaign_text import normalise
from helpers.ingest.passages import passage_copy
from tests.test_campaign_pairs import CAMPAIGN, OWN, QUESTIONS, _detect


def test_null_sample_counts_each_pair_of_copy_groups_once():
    # Answers 0 and 1 are one copy group: (1, 2) and (1, 3) repeat (0, 2) and (0, 3).
    groups = ["g", "g", "x", "y"]
    assert campaign_pairs.null_sample_once(campaign_pairs.null_sample(4, groups), groups) == [
        (0, 2),
        (0, 3),
        (2, 3),
    ]
    # Without ``null_sample_once`` every pair of different groups is kept (the cross-question pool).
    assert campaign_pairs.null_sample(4, ["g", "g", "x", "y"]) == [
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 3),
    ]


def test_reworded_copy_stays_grouped_when_the_campaign_text_is_sent_again():
    # r13 sends r01's two texts word for word: the copy rules group r01 and r13, and r02's
    # rewording must still be found (at the release the pair fell under the null's floor).
    again = [("r13", q, t) for r, q, t in CAMPAIGN if r == "r01"]
    groups = _detect(CAMPAIGN + OWN + again)
    assert groups["q1"] == ["r01", "r02", "r13"]
    assert groups["q2"] == ["r01", "r02", "r13"]


CARD = (
    "Keep the branch library open on Sundays. It is the only day working parents can bring "
    "their children to story time, and the Friends group has offered to staff the desk. "
    "Ask the volunteers before cutting the hours of the one free warm room in the town."
)
OWN_PARAGRAPH = (
    "I have used this library for thirty years, first with my own children and now with my "
    "grandson, who cannot read yet but knows every picture book on the bottom shelf. When "
    "my husband was ill the staff printed his forms and never once made me feel a nuisance. "
    "Closing it on the one day I am free would take that away from us. The bus into town "
    "takes an hour each way on a weekday and I cannot afford the fare twice a week any more. "
    "My neighbour, who is ninety, says the same, and she has asked me to write for her too."
)
OTHERS = [
    ("r20", "q1", "No. I study there every Sunday because my flat is too noisy to revise in."),
    ("r21", "q1", "Yes, the savings are needed and most people borrow e-books now anyway."),
    ("r22", "q1", "Strongly disagree: the library is the only warm place some older people go."),
]


def test_whole_campaign_text_inside_a_longer_own_paragraph_is_a_copy():
    rows = [
        ("r30", "q1", CARD),
        ("r31", "q1", CARD),
        ("r32", "q1", f"{OWN_PARAGRAPH}\n\n{CARD}"),  # the card pasted after her own story
        *OTHERS,
    ]
    assert _detect(rows)["q1"] == ["r30", "r31", "r32"]


def test_one_quoted_sentence_of_the_campaign_text_is_not_a_copy():
    quote = "It is the only day working parents can bring their children to story time."
    rows = [
        ("r30", "q1", CARD),
        ("r31", "q1", CARD),
        ("r33", "q1", f"{OWN_PARAGRAPH} As the Friends put it, “{quote}”"),
        *OTHERS,
    ]
    assert _detect(rows)["q1"] == ["r30", "r31"]


def test_contained_needs_every_sentence_of_the_campaign_text():
    card, own = normalise(CARD), normalise(OWN_PARAGRAPH)
    assert passage_copy(card, f"{own}\n\n{card}", 90.0, contained=True) == 90.0
    # The same pair without ``contained``: the card is under PASSAGE_SHARE of the whole.
    assert passage_copy(card, f"{own}\n\n{card}", 90.0) == 0.0
    # Its first sentence only, inside the paragraph: not the whole text.
    first = normalise(CARD.split(". ")[0] + ".")
    assert passage_copy(card, f"{own}\n\n{first}", 90.0, contained=True) == 0.0


def test_detect_copies_names_questions_as_before():
    # The library fixture of test_campaign_pairs is unchanged by the session's rules.
    groups = _detect(CAMPAIGN + OWN)
    assert groups == {"q1": ["r01", "r02"], "q2": ["r01", "r02"]}
    assert set(QUESTIONS) >= set(groups)
    assert isinstance(campaigns.detect_copies(pd.DataFrame({"respondent_id": []})), pd.DataFrame)
