"""Non-answers, session 11: a pointer to a named part of the response, and "can't comment on
<topic>" (issue 12, item 6).

Written after ofsted-docs-13's two misses ("… in the Equality row", "I can't comment on the
equality part"); the phrasings below are new, and the negatives keep a view of their own.
"""

from __future__ import annotations

import pytest

from helpers.ingest.nonanswers import is_substantive


@pytest.mark.parametrize(
    "text",
    [
        "Please see our comments in the Equality row.",  # the dev sentence itself
        "Please refer to our answers in the Timing section above.",
        "See the evidence given in the Housing Need box.",
        "See our points under the Other Comments column.",
        "As per our comments in the final tab.",
        "I can't comment on the equality part, sorry.",  # the dev sentence itself
        "We cannot comment on the timetable for buses, thank you.",
        "Couldn't answer about the pilot scheme sorry",
        "The Trust cannot respond regarding the January start date.",
    ],
)
def test_pointers_to_named_parts_and_declined_topics_are_non_answers(text: str) -> None:
    assert not is_substantive(text)
    assert not is_substantive(text, "closed")


@pytest.mark.parametrize(
    "text",
    [
        "Please see our comments in the Equality row, but we oppose the plan.",
        "See our comments on the proposal: the road is too narrow.",
        "Please see our concerns about the junction near the school, which is dangerous.",
        "I can't comment on the bus gate because it will ruin the high street.",
        "We cannot comment on the equality part but the cost is far too high.",
        "We can comment on the timetable: it is far too tight.",
        "The rows of parked cars in the Mill Lane section are dangerous.",
    ],
)
def test_a_pointer_or_declined_topic_with_a_view_stays_substantive(text: str) -> None:
    assert is_substantive(text)
