"""Session 19's readings (issue 13): a view given up and a view revised, on phrasings
written for these tests after the change (night buses, a cemetery, allotments, a skate
park, a pool, a tram), not the spent items the change was made from.

The change widened ``stance.scope``'s past view (a subjectless "Used to be ...", the
respondent's own earlier act "I wrote to my councillor opposing ...", a past time "Two
years ago ...") and its change of mind ("Having seen the accounts, ...", "On reflection",
"Nowadays"), and read "no longer" as a negator of a verb of belief.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.discourse import refine
from helpers.stance.preference import alternative_values
from helpers.stance.scope import change_of_mind, negated_belief, past_view


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Was dead against the new cemetery rules. Having lived with them, they're fine.", "agree"),
        (
            "Two years ago we opposed the allotment rent rise. Having seen the accounts, we support it.",
            "agree",
        ),  # fmt: skip
        ("I wrote to my councillor opposing the skate park. On reflection, I support it.", "agree"),
        (
            "My first reaction was to support the pool closure. On second thoughts, I oppose it.",
            "disagree",
        ),  # fmt: skip
        ("Last spring I supported the later library hours. Nowadays I'm against them.", "disagree"),
        ("We no longer think the tram extension is a good idea.", "disagree"),
    ],
)
def test_a_view_given_up_yields_to_the_view_that_follows(text, stance):
    assert _read(text) == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("I supported the one-way system when it started and I still support it.", "agree"),
        ("Last year we backed the recycling changes, and we back them now too.", "agree"),
        ("We opposed the bin changes and we oppose them still.", "disagree"),
    ],
)
def test_a_view_held_then_and_now_is_kept(text, stance):
    assert _read(text) == stance


def test_the_scope_functions_on_their_own():
    text = (
        "two years ago we opposed the allotment rent rise. having seen the accounts, we support it."
    )
    at = text.index("opposed")
    assert past_view(text, at, at + len("opposed"))
    assert change_of_mind(text, text.index("having"))
    assert not change_of_mind("we opposed it and we oppose it still.", 3)
    s = "we no longer think the tram extension is a good idea"
    assert negated_belief(s, s.index("good"))
    plain = "we think the tram is a good idea"
    assert not negated_belief(plain, plain.index("good"))


@pytest.mark.xfail(strict=True, reason="known miss: 'Not now.' is no change of mind yet")
def test_known_miss_not_now():
    assert _read("Used to be in favour of the night bus cuts. Not now.") == "disagree"


@pytest.mark.xfail(strict=True, reason="known miss: 'Having paid for one' is no revision word")
def test_known_miss_having_paid():
    text = "At first I welcomed the parking permits. Having paid for one, I'm against them."
    assert _read(text) == "disagree"


@pytest.mark.parametrize(
    "text",
    [
        "Ideally in September, once the schools are back.",
        "Push it back till the autumn, please.",
        "A smaller extension please.",
        "Starting the library works no earlier than May would suit us.",
    ],
)
def test_another_time_or_size_named_instead_is_disagreement(text):
    assert _read(text) == "disagree"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The sooner the better, frankly.", "strongly_agree"),
        ("A later date would be better than nothing.", "agree"),
        ("I'm happy with the plan as it is.", "agree"),
    ],
)
def test_no_alternative_where_none_is_named(text, stance):
    assert _read(text) == stance


def test_alternative_values_spans():
    text = "two years would be better. why not april? the sooner the better."
    found = [text[a:b] for a, b in alternative_values(text)]
    assert found == ["two years would be better", "why not april?"]
    assert alternative_values("better january than never, but april would be better still.") == []
    assert alternative_values("they can move it in a week instead of consulting again.") == []


@pytest.mark.xfail(
    strict=True, reason="known miss: the preference word is itself read as agreement"
)
def test_known_miss_preference_word_read_first():
    assert _read("Next spring would be far more sensible for the pool refurbishment.") == "disagree"


@pytest.mark.xfail(strict=True, reason="known miss: 'why not' read as assent first")
def test_known_miss_why_not_a_month():
    assert _read("Why not March next year?") == "disagree"
