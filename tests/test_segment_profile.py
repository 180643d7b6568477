"""A short own-words heading over the writer describing themselves answers the profile question.

``profile.profile_by_self``: "Who I am" / "My background" over "I have been a
personal adviser for nine years" is the answer to "in which capacity are you
responding?", though the heading shares little with the form's wording.
Phrasings written for these tests (a library consultation, not a dev set's),
with negatives: a body that takes a position, a heading that means another
question, a sentence for a heading, a profile question already answered.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment.passages import Block
from helpers.ingest.segment.profile import profile_by_self


@pytest.fixture(scope="module")
def qs():
    return tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION), where="t").questions)


def block(heading: str | None, body: str) -> Block:
    return Block(0, 10, 5, heading, body)


WEAK = np.array([0.2, 0.25, 0.22, 0.3, 0.28])  # no question's wording is close to the heading


@pytest.mark.parametrize(
    "heading, body",
    [
        ("A bit about me", "I'm a retired nurse and use the Eastgate branch twice a week."),
        ("Our group", "We are a reading circle of twelve pensioners who meet on Thursdays."),
        ("My background:", "I have worked as a school librarian for twenty years, now part time."),
        ("Who's writing", "As a parent of two under-fives I take the children to rhyme time."),
    ],
)
def test_self_description_under_own_heading_is_the_profile_answer(qs, heading, body):
    answerable = list(range(len(qs)))
    assert profile_by_self(block(heading, body), WEAK, qs, answerable) == 0


@pytest.mark.parametrize(
    "heading, body",
    [
        # the writer says who they are while taking a position: a view, not a profile
        ("Our group", "We are a reading circle that strongly opposes the earlier closing."),
        # no self-description
        ("Evenings", "The branch is the only warm place open after work."),
        ("A bit about me", "Closing at five would end the homework club."),
        # a sentence, not a heading
        ("I wanted to say something first.", "I'm a retired nurse and use the branch."),
        # a long heading
        ("Some words on who we are and what we do here", "We are a reading circle of twelve."),
        (None, "I'm a retired nurse and use the Eastgate branch twice a week."),
    ],
)
def test_not_a_profile_answer(qs, heading, body):
    answerable = list(range(len(qs)))
    assert profile_by_self(block(heading, body), WEAK, qs, answerable) is None


def test_heading_meaning_another_question_is_not_a_profile_label(qs):
    hs = WEAK.copy()
    hs[3] = 0.6  # "What it means for me" is close to "How would these changes affect you"
    b = block("What it means for me", "I'm a carer and can only visit after six.")
    assert profile_by_self(b, hs, qs, list(range(len(qs)))) is None


def test_profile_already_answered_is_not_a_candidate(qs):
    b = block("A bit about me", "I'm a retired nurse and use the Eastgate branch twice a week.")
    assert profile_by_self(b, WEAK, qs, [1, 2, 3, 4]) is None


def test_only_the_first_heading_of_a_document_can_be_the_profile_label():
    from helpers.ingest.segment.passages import blocks
    from helpers.ingest.segment.profile import first_heading

    text = (
        "About me\nI'm a retired nurse and use the Eastgate branch.\n\n"
        "Later on\nI have been a member since I was a child and hope it stays open.\n"
    )
    heads = [b for b in blocks(text, 0, len(text)) if b.heading]
    assert [h.heading for h in heads] == ["About me", "Later on"]
    assert first_heading(text, heads[0]) and not first_heading(text, heads[1])
