"""Session 18's readings (issue 13), on phrasings written for these tests.

The change was made from a spent item ("a gate that fines pensioners ... is not one I
can support"); these texts are about a park, a library and bins, with negatives.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.answered import answered_no
from helpers.stance.discourse import refine
from helpers.stance.predicative import predicated_positions
from helpers.stance.unstructured import _stopwords, content_stems


def _read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


@pytest.mark.parametrize(
    "text",
    [
        "Shutting the library on Sundays is not something our family could support.",
        "A bin collection every three weeks isn't a change anybody could accept.",
        "Closing the park gates at dusk is not the kind of thing we would ever welcome.",
        "The friends of the park have met twice. These are not measures we are able to back.",
        "It was never a plan I would endorse, whatever the parish council says.",
        "I can see the savings. But fewer opening hours is not one I can get behind.",
    ],
)
def test_a_negated_position_in_a_relative_clause_is_disagreement(text):
    assert _read(text) == "disagree"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The new play area is something we can support.", "agree"),
        ("Longer library hours would be a change I could happily get behind.", "agree"),
        ("A charge for garden waste is one thing our members would oppose.", "disagree"),
    ],
)
def test_a_position_in_a_relative_clause_without_a_negator(text, stance):
    assert _read(text) == stance


@pytest.mark.parametrize(
    "text",
    [
        "These are the volunteers we support every week.",  # no modal: no position
        "The library is a place we visit often.",  # no position verb
        "We are a charity that you support.",  # "you" takes no position of the writer's
    ],
)
def test_no_predicated_position(text):
    assert predicated_positions(text.lower()) == []


def test_predicated_position_span_and_direction():
    text = "the scheme is not one i can support."
    ((a, b, d),) = predicated_positions(text)
    assert text[a:b] == "is not one i can support" and d == -1


def test_stopwords_leave_out_the_files_comment_lines():
    """The stopword list's '#' comment lines are no stopwords ("consultation", "never")."""
    assert "consultation" not in _stopwords() and "never" not in _stopwords()
    assert "the" in _stopwords()
    assert {"consult", "never"} <= content_stems("the consultation never ends")


@pytest.mark.parametrize(
    "text",
    [
        "Is closing the library on Sundays a sensible idea? Of course not.",
        "Is this the right time to fence off the playing field? I don't think so.",
    ],
)
def test_a_question_answered_no_at_once_is_turned_round(text):
    assert _read(text) == "disagree"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # answered yes, or no position in the question: left as it was
        ("Is the new reading room a good idea? Yes.", "agree"),
        ("Will the bins be collected on bank holidays? No.", "disagree"),
        # the reply is more than a short "no": the rules read it themselves
        (
            "Is the park safe at night? No, and the new lights will fix that, so I support it.",
            "agree",
        ),
    ],
)
def test_questions_not_turned(text, stance):
    assert _read(text) == stance


def test_answered_no_spans():
    text = "is it realistic? of course not. we need more time."
    ((qs, qe, rs, re_),) = answered_no(text)
    assert text[qs:qe] == "is it realistic?" and text[rs:re_] == "of course not."
    assert answered_no("isn't it time? no.") == []  # a negated question is read elsewhere
