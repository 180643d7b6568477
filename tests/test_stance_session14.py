"""Session 14's readings (issue 13), on phrasings written for these tests only.

The rules (``helpers.stance.scope``, the aim's clause, the elliptical "and I
don't.") were written from the misses of stance-items-13 and batch 16 (care
leavers, a bus gate); these sentences are about other proposals (a library's
hours, a parking scheme, a school's uniform, a weekly market, a cycle lane) in
other voices. Negatives check each reading stays where it belongs.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.discourse import refine
from helpers.stance.scope import not_that, past_view, rhetorical


def _read(text: str):
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a rhetorical frame: nobody could hold the view, so the respondent holds the other
        ("Honestly, who would object to longer library hours?", "agree"),
        ("I struggle to see how anybody could be opposed to a safer cycle lane.", "agree"),
        ("Nobody in their right mind would oppose cheaper parking for carers.", "agree"),
        ("How could anyone support charging pensioners to park?", "disagree"),
        ("Who in their right mind would agree to closing the market on Saturdays?", "disagree"),
        # the frame's own negator already turned the word: not turned twice
        ("I don't see why anyone would object to a uniform grant.", "agree"),
        # negatives: an ordinary question or report is read as written
        ("We object to the new parking charges.", "disagree"),
        ("Some residents might object, but we support the cycle lane.", "agree"),
    ],
)
def test_a_rhetorical_frame_turns_the_word_round(text, stance):
    assert _read(text).stance == stance


def test_rhetorical_frames():
    text = "who could possibly object to it?"
    assert rhetorical(text, text.index("object"))
    text = "i can't imagine why anyone would support it."
    assert rhetorical(text, text.index("support"))
    # negated by the frame's own "can't": already turned once
    assert not rhetorical(text, text.index("support"), negated=True)
    # a word negated in itself inside the frame is still turned ("wouldn't want")
    text = "can't see why anyone wouldn't want this."
    assert rhetorical(text, text.index("wouldn't"), negated=True)
    # not across a sentence: "Who could? We object."
    text = "who could say. we object to it."
    assert not rhetorical(text, text.index("object"))
    assert not rhetorical("we could object to it.", 9)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a past view given up counts for little; the present one decides
        (
            "We were strongly opposed at first. Having seen the new timetable, we now back it.",
            "agree",
        ),
        ("At first we objected to the cycle lane. We have since been won over.", "agree"),
        ("I used to be against the uniform change, but I've changed my mind.", "agree"),
        pytest.param(
            "Initially I supported the scheme. Now I've seen the queues I no longer do.",
            "disagree",
            marks=pytest.mark.xfail(
                strict=True,
                reason='"supported" (past tense) is no position word '
                "for the reader, so no past view is found",
            ),
        ),
        # no change of mind: the past view stands
        ("I was against it last year and I am against it now.", "disagree"),
    ],
)
def test_a_past_view_given_up(text, stance):
    assert _read(text).stance in stance.split("|")


def test_past_view_needs_a_change_of_mind():
    text = "i was dead against it. i've come round."
    assert past_view(text, text.index("dead"), text.index("dead") + 12)
    text = "i was dead against it and still am."
    assert not past_view(text, text.index("dead"), text.index("dead") + 12)
    text = "we are against it. we came round to the idea of a market though."
    assert not past_view(text, text.index("against"), text.index("against") + 7)


def test_not_that_needs_a_contrast():
    text = "not that i'm against cyclists, but this lane is dangerous."
    assert not_that(text, text.index("i'm against"))
    text = "not that i'm against cyclists."
    assert not not_that(text, text.index("i'm against"))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # everything said for the aim in its clause is conceded with it
        (
            "We wholeheartedly support the aim of a greener town centre, without reservation. "
            "We are not convinced that a market ban is the way to get there.",
            "disagree",
        ),
        (
            "The governors fully endorse the principle behind a cheaper uniform. "
            "A single supplier is not the answer.",
            "disagree",
        ),
        # negative: support for the proposal itself beside the aim still agrees
        ("We support the aim and we fully support the new library hours.", "agree|strongly_agree"),
    ],
)
def test_the_aims_clause_is_conceded_whole(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # "and I don't" + another verb is a fact about the respondent, not an elliptical no
        ("I don't cycle and I don't own a car. I honestly don't know.", "dont_know"),
        ("We don't live near the market and we don't shop there.", "not_answered"),
        # the elliptical reply still disagrees
        ("My neighbours like the new parking scheme and I don't.", "disagree|not_answered"),
        ("Others may agree, so I do not.", "disagree|not_answered"),
        ("The council thinks this helps families and we don't.", "disagree"),
    ],
)
def test_an_elliptical_no_ends_its_clause(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # the proposal's own word held at arm's length: weak disagreement
        ("Another 'consultation'. We all know the answer already.", "disagree"),
        ("They call it a 'pilot'. Pilots round here never end.", "disagree"),
        ("'Temporary', they said about the last car park charges.", "disagree"),
        # negatives: asking what a word means, or quoting without a determiner
        ("I don't know what 'phased opening' means for the library.", "dont_know"),
        ("My daughter would say 'about time' and so would I.", "not_answered|agree"),
        # an explicit position elsewhere still decides
        ("We fully support the 'quiet hours' pilot at the pool.", "strongly_agree|agree"),
    ],
)
def test_scare_quotes_disagree(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # deferring the decision to others, or unaffected: no side taken
        ("We hardly use the market, so we'll leave this to the stallholders.", "neither"),
        ("Honestly the uniform is none of my business, my kids left years ago.", "neither"),
        ("It doesn't really affect us, we cycle.", "neither"),
    ],
)
def test_deferring_takes_no_side(text, stance):
    assert _read(text).stance == stance


def test_negated_belief_reaches_past_four_words():
    assert _read("We do not believe the new parking scheme will help residents.").stance == (
        "disagree"
    )
    assert _read("I don't think the later library hours are a bad idea at all.").stance in (
        "agree",
        "strongly_agree",
    )
    # not across a comma or a contrast
    assert _read("I don't think so, but the cycle lane will help children.").stance != "disagree"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # praise disowned after it
        ("Lovely idea, said nobody who has to park on Elm Road.", "disagree"),
        ("What a great improvement, said no-one ever.", "disagree"),
        # "unable to" negates like "cannot"
        ("Having read it twice, the trustees are unable to support the library move.", "disagree"),
        ("We are unable to agree with the new uniform policy.", "disagree"),
        # negative: "no one said" before it is not the frame
        ("No one said it would be easy, but we support the market move.", "agree"),
    ],
)
def test_praise_disowned_and_unable(text, stance):
    assert _read(text).stance == stance
