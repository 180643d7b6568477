"""Restated campaign copies (session 16, ``ingest.restated``) and footers under a non-answer.

Texts written for this test, none from a development set: a campaign's short text
rewritten in other words (capitals, abbreviations, a clause turned round) joins its
campaign; a reversed position, a line quoted inside a long argument, and different
answers on one topic do not.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.ingest import campaigns
from helpers.ingest.nonanswers import without_sign_off
from helpers.ingest.restated import content_stems, restated_pairs, same_polarity

LIBRARY = (
    "Keep Hollins Library open on Saturdays. Families rely on the weekend story hour "
    "and the free homework club."
)


def _groups(rows: list[tuple[str, str]]) -> list[list[str]]:
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _ in rows],
            "question_id": ["q1"] * len(rows),
            "question_number": pd.array([1] * len(rows), dtype="Int64"),
            "start": range(len(rows)),
            "answer_text": [t for _, t in rows],
        }
    )
    respondents = pd.DataFrame({"respondent_id": sorted({r for r, _ in rows})})
    copies = campaigns.detect_copies(respondents, answers=answers)
    schemas.validate(copies, schemas.COPIES)
    return sorted(sorted(m["respondent_id"]) for _, m in copies.groupby("copy_group"))


def test_a_restated_copy_joins_its_campaign() -> None:
    rows = [
        ("a", LIBRARY),
        (
            "b",
            "KEEP HOLLINS LIBRARY OPENING SATURDAY. FAMILIES RELY ON STORY HOURS AT THE "
            "WEEKEND AND THE FREE HOMEWORK CLUBS.",
        ),
        ("c", "The roads near the school are dangerous at pick-up time and need a crossing."),
        ("d", "Bus fares have gone up twice this year and the 41 is always late."),
    ]
    assert _groups(rows) == [["a", "b"]]


def test_a_reversed_position_is_not_a_copy() -> None:
    a = campaigns.normalise(LIBRARY)
    b = campaigns.normalise(
        "Dont keep Hollins Library open on Saturdays. Families rely on the weekend story "
        "hour and the free homework club, but not enough to pay for it."
    )
    assert not same_polarity(a, b)
    assert restated_pairs([a, b], [1], [0]) == {}


def test_a_line_quoted_in_a_long_argument_is_not_a_copy() -> None:
    a = campaigns.normalise(LIBRARY)
    b = campaigns.normalise(
        "The leaflet says keep Hollins Library open on Saturdays for the story hour and the "
        "homework club. The building costs a fortune to heat, the council should move the "
        "books into the community centre, sell the site and spend the money on youth workers, "
        "park wardens, bus passes for pensioners and repairs to the swimming baths."
    )
    assert restated_pairs([a, b], [1], [0]) == {}


def test_stems_leave_out_stopwords_and_the_questions_words() -> None:
    stems = content_stems("the families rely on the library", frozenset({"library"}))
    assert stems == frozenset({"famili", "reli"})


def test_a_system_footer_under_a_non_answer_is_not_the_answer() -> None:
    assert without_sign_off("No comment.\n\nRow 3 of 12 · exported 02/11/2026 09:41") == (
        "No comment."
    )
    assert without_sign_off("N/A\n\nSent from my iPhone") == "N/A"
    # a committee and its body's name, seven words, is a sign-off
    assert without_sign_off("Nothing to add.\n\nPolicy Team, Federation of Rural Bus Users") == (
        "Nothing to add."
    )
    # a sentence of the respondent's own below is kept
    text = "None.\n\nSee the report we sent in March."
    assert without_sign_off(text) == text
