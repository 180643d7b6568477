"""Nil returns: a theme named only to be declined ("nothing to add on X") is not counted."""

from __future__ import annotations

import pytest

from helpers.coding import coder as code_mod
from helpers.coding import nilreturn
from helpers.coding.codebook import parse_codebook
from helpers.coding.coder import Coder
from helpers.coding.runner import code_answers

CB = parse_codebook(
    {
        "id": "t",
        "themes": [
            {"id": "parking", "label": "Parking", "patterns": ["parking", "car park*"]},
            {"id": "noise", "label": "Noise", "patterns": ["noise", "noisy"]},
            {"id": "diversity", "label": "Diversity", "patterns": ["divers*", "inclusion"]},
        ],
    }
)


@pytest.fixture(params=["python", "compiled"], autouse=True)
def engine(request):
    """Both engines' rows pass the same rule."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(code_mod, "DEFAULT_ENGINE", request.param)
        yield request.param


def _counted(text: str) -> set[str]:
    return {r["theme_id"] for r in Coder(CB).code_text(text, "q1") if not r["negated"]}


@pytest.mark.parametrize(
    "text",
    [
        "The trust has no further comments on parking.",
        "We have not found any issues in relation to noise.",
        "I have nothing more to say about the car park.",
        "At this stage our board has no specific observations regarding inclusion.",
        "We haven't identified any impacts with regard to diversity.",
        "No comments to make on noise",
    ],
)
def test_a_theme_named_only_to_be_declined_is_not_counted(text):
    assert _counted(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A point about the topic, not a refusal to discuss it.
        ("There are no spaces left in the car park by eight.", {"parking"}),
        ("The estate has no parking for visitors.", {"parking"}),
        (
            "We have no issues with the car park, but the noise at night is dreadful.",
            {"parking", "noise"},
        ),
        # A contrast after the nil phrase: the rest of the sentence makes a point.
        ("No further comments on parking, except that the noise is awful.", {"parking", "noise"}),
        # The topic comes before the nil phrase: it is raised, then nothing is added.
        ("Noise is the real problem and we have nothing to add.", {"noise"}),
        ("Diversity matters to our members.", {"diversity"}),
    ],
)
def test_points_about_the_topic_still_count(text, expected):
    assert _counted(text) == expected


def test_declined_rows_are_kept_as_negated_evidence():
    rows = Coder(CB).code_text("We have no further comments on parking.", "q1")
    assert [(r["theme_id"], r["negated"], r["matched_text"]) for r in rows] == [
        ("parking", True, "parking")
    ]


def test_the_pipeline_counts_no_declined_code():
    import pandas as pd

    text = "Nothing to add on noise. The car park is always full."
    respondents = pd.DataFrame({"respondent_id": ["r1"], "text": [text]})
    answers = pd.DataFrame(
        {
            "respondent_id": ["r1"],
            "question_id": ["q1"],
            "start": [0],
            "end": [len(text)],
            "answer_text": [text],
            "substantive": [True],
        }
    )
    codes = code_answers(answers, respondents, CB)
    got = sorted(zip(codes["theme_id"], codes["negated"], strict=True))
    assert got == [("noise", True), ("parking", False)]


def test_nil_return_end_points_after_the_phrase():
    s = "We have no evidence to submit under the duty."
    assert s[: nilreturn.nil_return_end(s)] == "We have no evidence to submit"
    assert nilreturn.nil_return_end("We have no parking.") is None
