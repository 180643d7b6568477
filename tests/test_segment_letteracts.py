"""What a letter's paragraph does (``segment.letteracts``): takes a position, asks for
something, tells the writer's own story, and which question each act answers.

Phrasings written for these tests (a library consultation), none from the
development sets; the rules' rationale is in the module docstring.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import learned, letteracts, letterseq
from helpers.ingest.segment.units import _spans


def _questions():
    return tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION)).questions)


@pytest.mark.parametrize(
    "lead",
    [
        "Well, on the whole, yes. Keep the branches open.",
        "My husband says: no, it would leave him nowhere to go after work.",
        "Yes to Sunday opening, and the sooner the better.",
        "No to shorter hours in the week.",
        "Disagree. The branch is the only warm room on the estate.",
        "Strongly agree - families need somewhere to go at weekends.",
        "Sunday opening yes.",
        "We would strongly support the change.",  # the position cues as before
    ],
)
def test_a_lead_that_takes_a_position(lead):
    assert letteracts.states_position(lead)


@pytest.mark.parametrize(
    "lead",
    [
        "Support for older readers matters most to us.",
        "No one at the branch told us about the change.",
        "There is no lift at the Hill Street branch.",
        "Nobody said yes or no when we asked.",
        "The reading group meets on Thursdays.",
    ],
)
def test_a_lead_that_takes_no_position(lead):
    assert not letteracts.states_position(lead)


def test_a_personal_account_has_more_first_person_words_than_a_view():
    story = "My mother and I go every Thursday; it is our only trip out of the house."
    view = "The council should keep the central library open on Sundays."
    assert letteracts.personal_share(story) > 0.15
    assert letteracts.personal_share(view) == 0.0
    assert letteracts.personal_share("") == 0.0


def test_each_act_names_the_question_of_its_kind():
    qs = _questions()
    ids = {k: qs[j].id for k, j in letteracts.act_targets(qs).items()}
    # the first closed question takes a position; "how would these changes affect
    # you" is the account's; no question asks for changes, so a request falls back
    # to "any other comments"
    assert ids == {"position": "hours", "request": "other", "experience": "effects"}


def test_the_decoder_sees_the_acts_on_their_questions():
    text = (
        "So, all told, no. Five o'clock is too early for anyone who works.\n\n"
        "My daughter and I walk there after school; I would lose our only quiet hour.\n\n"
        "Please put a returns box by the door of the Hill Street branch."
    )
    units = [
        learned.Unit(s, e, learned.NONE, "unstructured", "unstructured", 0.0, True, False)
        for s, e in _spans(text, 0, len(text))
    ]
    qs = _questions()
    sims = np.full((len(units), len(qs)), 0.2)
    f = letterseq.features(text, units, qs, sims, sims)
    ix = {n: i for i, n in enumerate(letterseq.FEATURES)}
    col = {q.id: j + 1 for j, q in enumerate(qs)}
    # the position: every closed question, and the first one as the position question
    assert f[0, col["hours"], ix["q_position_act"]] == 1
    assert f[0, col["sundays"], ix["q_position_act"]] == 1
    assert f[0, col["hours"], ix["q_position_first"]] == 1
    assert f[0, col["sundays"], ix["q_position_first"]] == 0
    # the account, on the "affect you" question only
    assert (
        f[1, col["effects"], ix["q_experience_act"]] > f[0, col["effects"], ix["q_experience_act"]]
    )
    assert f[1, col["other"], ix["q_experience_act"]] == 0
    # the request, on "any other comments" (no question asks for changes)
    assert f[2, col["other"], ix["q_request_act"]] == 1
    assert f[2, col["effects"], ix["q_request_act"]] == 0
