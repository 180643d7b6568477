"""Session 17's readings (issue 13), on phrasings written for these tests.

The changes were made from the spent sets' misses (care leavers' inspection, a
low-traffic scheme); these texts are about a park, a library and bins, with negatives.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import parse_consultation
from helpers.stance import infer_stance, stance_answers
from helpers.stance.discourse import refine


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    "text",
    [
        "I'll go along with whatever the parish council decides on the bins.",
        "Honestly I'd go with whatever the librarians think is best.",
        "We will follow whatever line the friends of the park group takes.",
        "On the opening hours I would leave it to the library staff.",
        "Not my field. Whatever the experts say.",
    ],
)
def test_a_decision_handed_to_someone_else_takes_no_side(text):
    assert _read(text) == "neither"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a position stated beside the hand-over still decides
        ("We support the new bins. Leave it to the council to get on with it.", "agree"),
        ("The dog-free zone is a bad idea, whatever the council says.", "disagree"),
        # "whatever" with no one to defer to is no deferral
        ("Sunday opening is fine whatever the hours.", "agree"),
    ],
)
def test_near_misses_of_a_hand_over(text, stance):
    assert _read(text) == stance


_PARK = parse_consultation(
    {
        "id": "park",
        "title": "Park changes",
        "questions": [
            {"id": "dogs", "kind": "closed", "short": "A dog-free zone",
             "text": "Do you agree with a dog-free zone beside the playground?"},
            {"id": "bins", "kind": "closed", "short": "Removing the litter bins",
             "text": "Do you agree with removing the litter bins from the park?"},
            {"id": "other", "kind": "open", "text": "Any other comments?"},
        ],
    },
    where="test.yaml",
)  # fmt: skip


def _stances(paragraphs: list[tuple[str, str]]) -> dict[str, str]:
    """The stance table for one response made of (question, match_method, text) paragraphs."""
    text, rows, at = "", [], 0
    for (qid, how), para in paragraphs:
        rows.append({"respondent_id": "r1", "question_id": qid, "start": at,
                     "end": at + len(para), "answer_text": para, "match_method": how,
                     "substantive": True, "tick_box": None})  # fmt: skip
        text += para + "\n\n"
        at = len(text)
    out = stance_answers(
        pd.DataFrame(rows), pd.DataFrame({"respondent_id": ["r1"], "text": [text]}), _PARK
    )
    return dict(zip(out["question_id"], out["stance"], strict=True))


LETTER = [
    (("unstructured", "unstructured"), "Dear council,"),
    # placed under the bins by its content, though its position is about the dog-free zone
    (("bins", "learned"), "We strongly support the dog-free zone next to the playground."),
    (
        ("other", "meaning"),
        "We oppose removing the litter bins: there would be rubbish everywhere.",
    ),
]


def test_a_letter_places_its_own_positions():
    got = _stances(LETTER)
    assert got["dogs"] in ("agree", "strongly_agree")
    assert got["bins"] in ("disagree", "strongly_disagree")


def test_a_headed_response_keeps_its_placement():
    """With a heading-placed answer the response is no letter: the paragraph moved under the
    bins keeps its place (its reading, about another question's topic, is dropped there as
    before) and the letter's placement is not borrowed."""
    got = _stances([(("dogs", "heading"), "Yes, a good idea."), *LETTER[1:]])
    assert got["dogs"] == "agree"
    assert got["bins"] == "not_answered"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Green.", "agree"),
        ("GREEN - the new hours suit everyone.", "agree"),
        ("Sunday opening: green. Late opening: amber.", "agree"),
        ("Red for the bins, I'm afraid.", "disagree"),
        ("RED. The dogs have nowhere else to go.", "disagree"),
    ],
)
def test_a_traffic_light_is_a_mark(text, stance):
    assert _read(text) == stance


@pytest.mark.parametrize(
    "text",
    ["Amber.", "We need more green space in the park.", "Red squirrels live there.",
     "The bright-red bins are ugly but useful"],
)  # fmt: skip
def test_no_traffic_light(text):
    from helpers.stance.rating import ratings

    assert ratings(text.lower()) == []


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Pros: longer hours.\nCons: fewer staff on shift.\nOverall the pros win.", "agree"),
        ("The cons clearly outweigh the pros for the park.", "disagree"),
        ("Honestly, on the bins I can't call it.", "dont_know"),
    ],
)
def test_a_weighing_verdict(text, stance):
    assert _read(text) == stance


def test_calling_it_something_is_no_verdict():
    assert _read("You cannot call it a park any more.") != "dont_know"
