"""Session 15: which side of a comparison is the proposal (``helpers.stance.comparison``).

The rule was written from comparisons in the spent sets (care leavers' inspection, a
bus gate, a traffic trial); these sentences are about other proposals (a library's
Sunday opening, a cycle lane on a high street) in other voices, with negatives where a
comparison decides nothing or is no preference.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.consultation import parse_consultation
from helpers.stance import infer_stance
from helpers.stance.comparison import by_comparison, compared, question_words
from helpers.stance.discourse import refine
from helpers.stance.table import stance_answers

CONSULTATION = parse_consultation(
    {
        "id": "town-services",
        "title": "Changes to town services",
        "questions": [
            {"id": "library", "kind": "closed", "short": "Opening the library on Sundays",
             "text": "To what extent do you agree or disagree with opening the central library "
                     "on Sundays from next spring?"},
            {"id": "lane", "kind": "closed", "short": "A cycle lane on the high street",
             "text": "To what extent do you agree or disagree with a segregated cycle lane "
                     "along the high street?"},
        ],
    },
    where="test.yaml",
)  # fmt: skip
LIBRARY = question_words(CONSULTATION, "library")
LANE = question_words(CONSULTATION, "lane")


@pytest.mark.parametrize(
    ("sentence", "words", "side"),
    [
        # the rejected side names the proposal: disagreement
        ("i'd much rather they kept the mobile van going than opened the library on sundays.",
         LIBRARY, -1),
        ("we would prefer wider pavements to a segregated cycle lane.", LANE, -1),
        ("paint some lines instead of building a cycle lane.", LANE, -1),
        ("rather than a cycle lane, fix the potholes.", LANE, -1),
        ("longer weekday hours would be much better than sunday opening.", LIBRARY, -1),
        # the preferred side names it, or the rejected side is the present state: agreement
        ("if it has to be one or the other, i'd rather the library opened on sundays than "
         "closed another weekday.", LIBRARY, 1),
        ("a proper cycle lane is better than the current free-for-all.", LANE, 1),
        ("i'd rather have that than nothing.", LANE, 1),
        # the present state preferred: disagreement
        ("we would rather keep the existing opening hours than stretch the staff further.",
         LIBRARY, -1),
        # negatives: no question word on either side, or a description, decides nothing
        ("i'd rather walk than drive.", LANE, 0),
        ("the lane narrows the road rather than widening it.", LANE, 0),
        ("we support the plan.", LIBRARY, 0),
    ],
)  # fmt: skip
def test_the_side_a_comparison_takes(sentence, words, side):
    assert compared(sentence, words) == side


def test_question_words_leave_out_what_every_question_shares():
    name, own = LIBRARY
    assert "librari" in name and "sunday" in own
    assert "agre" not in own and "extent" not in own and "cycl" not in own


def _read(text: str, words):
    r = refine(text, infer_stance(text))
    return by_comparison(text, [(0, len(text))], r, words)


def test_a_reading_turned_round_by_its_comparison():
    text = "I would much rather see the old mobile library van come back than Sunday opening."
    r = _read(text, LIBRARY)
    assert r.stance == "disagree"
    assert r.evidence == text


def test_no_position_takes_the_side_of_its_comparison():
    text = "Paint a line on the road instead of a cycle lane."
    r = _read(text, LANE)
    assert r.stance == "disagree" and r.confidence == 0.6
    assert text[r.start : r.end] == r.evidence


def test_a_comparison_that_agrees_leaves_an_agreeing_reading():
    text = "Yes. A cycle lane is far better than the current free-for-all."
    assert _read(text, LANE).stance in ("agree", "strongly_agree")


def test_stance_answers_reads_comparisons_against_each_question():
    text = "I'd rather they kept the mobile van than opened the library on Sundays."
    respondents = pd.DataFrame({"respondent_id": ["r1"], "text": [text]})
    answers = pd.DataFrame({
        "respondent_id": ["r1"], "question_id": ["library"], "start": [0], "end": [len(text)],
        "answer_text": [text], "substantive": [True],
    })  # fmt: skip
    row = stance_answers(answers, respondents, CONSULTATION).iloc[0]
    assert row["stance"] == "disagree"
