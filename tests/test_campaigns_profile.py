"""A campaign's paragraph placed under a profile question joins its question's group (session 12).

A form whose first heading is "In what capacity are you responding?" and whose
writer put a line about themselves and then the campaign's paragraph under it
leaves the campaign text in the profile answer (ofsted-docs-2). Profile answers
are never compared whole (identical "An individual" answers are expected), so
the paragraph is read as a letter's paragraphs are. Written for this test: a
bus-route campaign, a personal line before it, small edits; negatives: profile
answers that are only labels or the respondent's own description, and a
profile answer that copies no group's text.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.ingest import campaigns

CAMPAIGN = (
    "The number 14 bus is the only way many of us reach the hospital without a car. "
    "Cutting it to one bus an hour after six would leave shift workers and visitors stranded, "
    "so keep the evening timetable as it is and look for savings on the express routes."
)
EDITED = (
    "The number 14 bus is the only way lots of us reach the hospital without a car. "
    "Cutting it to one bus an hour after 6 would leave shift workers and visitors stranded, "
    "so please keep the evening timetable as it is and look for savings on express routes."
)


def _detect(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "question_number": pd.array(
                [0 if q == "capacity" else 2 for _, q, _ in rows], dtype="Int64"
            ),
            "start": range(len(rows)),
            "answer_text": [t for _, _, t in rows],
        }
    )
    respondents = pd.DataFrame({"respondent_id": sorted(set(answers["respondent_id"]))})
    copies = campaigns.detect_copies(respondents, answers=answers, skip_questions={"capacity"})
    schemas.validate(copies, schemas.COPIES)
    return copies


def _groups(copies: pd.DataFrame) -> list[tuple[str, list[str]]]:
    return sorted(
        (m["question_id"].iloc[0], sorted(m["respondent_id"]))
        for _, m in copies.groupby("copy_group")
    )


def test_a_campaign_paragraph_under_the_capacity_question_joins_the_group() -> None:
    rows = [
        ("a", "capacity", "A resident"),
        ("a", "routes", CAMPAIGN),
        ("b", "capacity", "Individual"),
        ("b", "routes", CAMPAIGN),
        ("c", "capacity", "I work nights at the General and have no car.\n\n" + EDITED),
        ("c", "timing", "Not before the new year, please."),
    ]
    copies = _detect(rows)
    assert _groups(copies) == [("routes", ["a", "b", "c"])]
    assert not copies.set_index("respondent_id").loc["c", "is_first"]


def test_profile_answers_of_their_own_are_never_members() -> None:
    rows = [
        ("a", "capacity", "A resident"),
        ("a", "routes", CAMPAIGN),
        ("b", "capacity", "A resident"),
        ("b", "routes", CAMPAIGN),
        # the same long self-description twice is expected in a profile answer, not a campaign
        (
            "c",
            "capacity",
            "I am a retired nurse who has lived on the Eastbrook estate for 30 years.",
        ),
        (
            "d",
            "capacity",
            "I am a retired nurse who has lived on the Eastbrook estate for 30 years.",
        ),
        # a paragraph on the same topic in other words
        (
            "e",
            "capacity",
            "Bus user.\n\nThe evening buses matter to me because I visit my mother in hospital "
            "after work, and the last one already leaves too early for the end of visiting.",
        ),
    ]
    assert _groups(_detect(rows)) == [("routes", ["a", "b"])]


def test_without_a_group_a_profile_paragraph_makes_none() -> None:
    rows = [
        ("a", "capacity", "Individual\n\n" + CAMPAIGN),
        ("b", "routes", "I would rather the express routes were cut than the evening ones."),
    ]
    assert _detect(rows).empty
