"""Session 27 (accounting): non-answers under a heading the segmenter kept, and at the end of
another question's row.

Every text here is written new for these tests (none is a spent set's wording).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.core.consultation import default_respondent_types, load_consultation
from helpers.ingest.respondent_types import infer_respondent_type
from helpers.ingest.segment.residue import without_lead_heading
from helpers.ingest.segment.substantive import mark
from helpers.ingest.segment.substantive_tail import _judge, split_tails

CONSULTATION = load_consultation(
    Path(__file__).resolve().parents[1]
    / "data"
    / "evaluation"
    / "ofsted-docs-2"
    / "consultation.yaml"
)


def _judged(texts: list[str], question: str) -> list[bool]:
    return _judge(texts, [question] * len(texts), CONSULTATION)


# --- A heading line at the row's head (residue.without_lead_heading) ---


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Appendix 3 – loose ends\n\nNothing more to say.", "Nothing more to say."),
        ("Over to you\n\nNo comment at present.", "No comment at present."),
    ],
)
def test_a_heading_line_is_set_aside(text, rest):
    assert without_lead_heading(text) == rest


@pytest.mark.parametrize(
    "text",
    [
        "Strongly agree\n\nSee above.",  # a position, however short, is no heading
        "Not really\n\nNothing more.",
        "We agree with this.\n\nNothing more to say.",  # a sentence
        "Nothing more to say.",  # nothing follows
    ],
)
def test_a_position_or_a_sentence_is_not_a_heading(text):
    assert without_lead_heading(text) is text


def test_a_non_answer_under_a_kept_heading_is_a_non_answer():
    texts = [
        "Appendix 3 – loose ends\n\nNothing more to say.",
        "Over to you\n\nNo comment at present.",
        # the same headings over a view stay answers
        "Appendix 3 – loose ends\n\nWe want every care leaver to have a personal adviser.",
        "Over to you\n\nThe council should publish its local offer.",
    ]
    assert _judged(texts, "unstructured") == [False, False, True, True]
    assert _judged(texts, "q4") == [False, False, True, True]


# --- A non-answer tail split off another answer (segment.substantive_tail) ---

BODY = (
    "Leaving care teams need smaller caseloads, and young people need a named worker they "
    "can ring at weekends."
)


def _rows(texts: dict[str, str]) -> pd.DataFrame:
    rows, pos = [], 0
    for q, t in texts.items():
        rows.append(("r1", q, pos, pos + len(t), t, True))
        pos += len(t) + 2
    frame = pd.DataFrame(
        rows,
        columns=["respondent_id", "question_id", "start", "end", "answer_text", "substantive"],
    )
    for col in ("question_number", "heading_text", "heading_start", "tick_box", "warning"):
        frame[col] = pd.NA
    frame["match_method"] = "text"
    frame["match_score"] = 1.0
    return mark(frame, CONSULTATION)


def test_a_tail_naming_an_unanswered_question_is_filed_under_it():
    tail = "On the equality duty we have nothing to add."
    row = f"{BODY}\n\n{tail}"
    out = split_tails(_rows({"q1": "Agree.", "q2": row}), CONSULTATION)
    assert out["question_id"].tolist() == ["q1", "q2", "q5"]
    assert out["answer_text"].tolist() == ["Agree.", BODY, tail]
    assert out["substantive"].astype(bool).tolist() == [True, True, False]
    start = row.index(tail) + int(out["start"].iloc[1])
    assert (int(out["start"].iloc[2]), int(out["end"].iloc[2])) == (start, start + len(tail))
    assert int(out["end"].iloc[1]) - int(out["start"].iloc[1]) == len(BODY)


def test_a_tail_under_an_any_other_heading_goes_to_the_catch_all_question():
    tail = "Anything further from us?\n\nNot at this point."
    out = split_tails(_rows({"q2": f"{BODY}\n\n{tail}"}), CONSULTATION)
    assert out["question_id"].tolist() == ["q2", "q4"]
    assert out["answer_text"].tolist() == [BODY, tail]


@pytest.mark.parametrize(
    "texts",
    [
        # a closing remark that names no question stays in the letter's last answer
        {"q2": f"{BODY}\n\nThat is all we wish to say."},
        # the tail is a view, not a non-answer
        {"q2": f"{BODY}\n\nOn equality: disabled care leavers wait longest for housing."},
        # the question it names is answered already
        {"q2": f"{BODY}\n\nNothing to add on equality.", "q5": "Disabled care leavers wait."},
        # the row is nothing but the non-answer
        {"q2": "Nothing to add on equality."},
    ],
)
def test_tails_that_stay(texts):
    before = _rows(texts)
    out = split_tails(before, CONSULTATION)
    assert out["answer_text"].tolist() == before["answer_text"].tolist()
    assert out["question_id"].tolist() == before["question_id"].tolist()


# --- Campaigns by their supporters' count and their template (respondent_types.yaml) ---

RULES = default_respondent_types()


@pytest.mark.parametrize(
    "text",
    [
        "Safer Crossings Now\n\nWe want a zebra crossing on Mill Lane.\n\nSent by the steering "
        "group for our 1,250 supporters.",
        "Quiet Nights\n\nDear council, the late licences must end.\n\nWe now have 85 supporters.",
        "Our letter to the board. Print it, sign it and post it.\n\nDear board,\n\nI oppose the "
        "closure.\n\nYours sincerely,\n\n[insert your name and town]",
        "Dear council,\n\nI back the new cycle lane.\n\nKind regards,\n\n[Your full name]",
    ],
)
def test_a_campaign_counts_its_supporters_or_leaves_a_place_for_their_name(text):
    assert infer_respondent_type(text, None, RULES) == "campaign_group"


@pytest.mark.parametrize(
    "text",
    [
        # a supporter who mentions the campaign's supporters, with no count
        "The Safer Crossings group asked supporters to write in, so I am writing. I agree.",
        # a count that is not of supporters, and a bracket that is not a placeholder
        "I have lived here for 30 years [since 1994] and 2 children walk this road.",
    ],
)
def test_a_supporter_or_a_person_is_not_a_campaign(text):
    assert infer_respondent_type(text, None, RULES) != "campaign_group"


def test_rows_are_judged_again_on_their_final_text():
    from helpers.ingest.segment.substantive_tail import judged_again

    frame = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r1", "r2"],
            "question_id": ["q4", "q5", "q2", "q4"],
            "answer_text": [
                "Odds and ends\n\nNothing more from me.",  # cut from a letter, still True
                BODY,
                "Nothing to add.",  # judged already: stays a non-answer
                "N/A",  # a survey cell: judged when read, left alone here
            ],
            "tick_box": [None] * 4,
            "match_method": ["paragraph", "paragraph", "text", "survey_column"],
            "substantive": [True, True, False, True],
        }
    )
    out = judged_again(frame, CONSULTATION)
    assert out["substantive"].astype(bool).tolist() == [False, True, False, True]
