"""Session 21's readings (issue 13), on phrasings written for these tests after the change
(a library, a cycle lane, a market, speed humps), not the spent items they were read from.

- ``stance.shares``: a share of oneself ("I'm 75% for it", "a third of me says yes, two thirds
  say no" is not read: no percentage) is a position; the part left over ("The other 25% is
  ...") is no side; a share of others ("60% of members were against") is no share of oneself;
- an even split ("fifty-fifty", "50/50") takes no side, and a count of others that ends in
  "the rest were unsure" is not the respondent saying they are unsure;
- ``stance.declines``: a view declined ("rather not give a view", "keep my views to myself")
  and an answer that only points to another response are no position.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.declines import points_elsewhere, says_nothing
from helpers.stance.discourse import refine
from helpers.stance.shares import remainders, share_positions


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("I'm 75% for it. The other 25% is the cost of the new signs.", "agree"),
        ("Honestly about 85 per cent yes. The rest is worry about parking.", "agree"),
        ("30% of me says keep the old library hours, 70% says go.", "agree"),
        ("65% against, if you want a number.", "disagree"),
        ("Say 20% yes. I just can't see the market surviving it.", "disagree"),
        ("100% behind it!!", "strongly_agree"),
    ],
)
def test_a_share_of_oneself_is_the_position(text, stance):
    assert _read(text) == stance


@pytest.mark.parametrize(
    "text",
    [
        "Fares rose 20% for students last year.",
        "A 10% no-claims discount is offered.",
        "We cut journey times by 15% in the first month.",
    ],
)
def test_a_percentage_that_is_not_a_share_of_oneself_reads_nothing(text):
    assert share_positions(text.lower()) == []


def test_a_share_of_others_is_not_read_as_ones_own():
    assert share_positions("at the meeting 60% of members were against.") == []


def test_the_part_left_over_is_found_only_after_a_share():
    low = "i'm 70% for it. the other 30% is doubt about the humps."
    assert [low[a:b] for a, b in remainders(low)] == ["the other 30% is doubt about the humps."]
    assert remainders("the other thing is doubt about the humps.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Fifty-fifty. The lane is great on weekdays, but it's a nightmare on market day.",
        "50/50 really – good for cyclists, bad for the shops.",
    ],
)
def test_an_even_split_takes_no_side(text):
    assert _read(text) == "neither"


def test_others_left_unsure_are_not_the_respondent_unsure():
    text = (
        "We asked our tenants: 55% agreed, 30% disagreed and the rest were undecided. "
        "So, as their association, we agree."
    )
    assert _read(text) == "agree"


@pytest.mark.parametrize(
    "text",
    [
        "I would rather not give a view, being a trustee of the library.",
        "We'll keep our views on the humps to ourselves.",
        "I'd rather not say, to be honest.",
    ],
)
def test_a_view_declined_is_no_position(text):
    assert says_nothing(text)
    assert _read(text) == "not_answered"


def test_rather_not_before_something_else_is_still_a_preference():
    assert not says_nothing("I'd rather not see the humps made permanent.")
    assert _read("I'd rather not see the humps made permanent.") == "disagree"


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("Please see the Riverside Cyclists' submission.", True),
        ("See our response to the earlier consultation.", True),
        ("Refer to the residents' association letter attached.", True),
        ("See the cyclists' response: we support the lane.", False),
        ("As per the Chamber's response, we oppose it.", False),
    ],
)
def test_only_a_bare_pointer_points_elsewhere(text, pointer):
    assert points_elsewhere(text) is pointer


# ``stance.crossq``: positions on two questions in one answer, read with the spent transport
# consultation's own question words (its YAML, not code).
@pytest.fixture(scope="module")
def transport_words():
    from pathlib import Path

    from helpers.core.consultation import load_consultation
    from helpers.stance.comparison import question_words

    path = Path(__file__).resolve().parents[1] / "data/evaluation/transport/consultation.yaml"
    c = load_consultation(path)
    return {q.id: question_words(c, q.id) for q in c.closed_questions}


@pytest.mark.parametrize(
    ("text", "question", "stance"),
    [
        ("Trial yes, bus gate no.", "bus_gate", "disagree"),
        ("Trial yes, bus gate no.", "trial", "agree"),
        ("Trial yes, filters no.", "ltn", "disagree"),
        ("We support the scheme.", "ltn", "agree"),
        ("I oppose the filters, and the scheme as a whole.", "ltn", "disagree"),
    ],
)
def test_the_part_about_the_question_answered_decides(transport_words, text, question, stance):
    from helpers.stance.crossq import by_question

    r = refine(text, infer_stance(text))
    assert by_question(text, r, question, transport_words).stance == stance


def test_shares_in_a_sentence_counting_others_are_not_ones_own():
    low = "our members: 61% of those asked backed it, 30% opposed it and the rest were unsure."
    assert share_positions(low) == []
