"""Non-answers added in session 7 (issue 12/13): phrasings the batch-9 misses pointed to.

The phrasings below were written for this test, unlike the dev answers the
rules came from (batch 9 and the spent batches: "The Parish Council takes no
view on …", "Our client makes no representations in respect of Question 3",
"dunno wat this 1 means", "… as none of our routes use …"). Negatives sit
beside each: the same openings with a view, a reason that is a position, or
a short real answer to a yes/no-like question.
"""

from __future__ import annotations

import pytest

from helpers.ingest.nonanswers import load_rule
from helpers.ingest.segment.substantive import two_language_non_answer


def _non_answer(text: str, kind: str) -> bool:
    return load_rule().is_non_answer(text, kind) or two_language_non_answer(text, kind)


NON_ANSWERS = [
    # an organisation named before its verb, "takes/holds no view"
    ("The town council takes no position on the consultation.", "closed"),
    ("The Residents Association holds no view on the new timetable itself.", "closed"),
    ("Our clients take no particular stance on this proposal.", "closed"),
    # a topic after "no view / no evidence"
    ("We have no evidence to offer about the equality impacts at this stage.", "open"),
    ("I have no comments regarding the draft guidance.", "open"),
    ("Nothing to add to Annex B.", "open"),
    ("Nothing to add on section 4.", "open"),
    ("No further comments in respect of this question.", "open"),
    ("We make no representations in relation to Q6.", "closed"),
    ("No additional remarks from the trust.", "open"),
    # a reason that says the question does not concern the respondent
    ("We have no view on the timing, as it does not affect our members.", "closed"),
    ("No comment, since this falls outside our remit.", "open"),
    ("We hold no view on the new bridge, which lies wholly outside our district.", "closed"),
    # not understanding the question, handing it back, informal
    ("I don't understand the question.", "open"),
    ("dunno what this question means", "open"),
    ("That's up to the experts to decide.", "open"),
    ("Not really.", "open"),
    ("nah not rly", "open"),
    ("No idea about the costing tbh", "open"),
    # the question does not concern the respondent, or they cannot judge it
    ("This question is not relevant to us.", "closed"),
    ("This section does not apply to our organisation.", "closed"),
    ("Outside our area of expertise.", "open"),
    ("We do not feel qualified to answer this.", "closed"),
    ("I am not able to comment on this question.", "closed"),
    ("Can't comment.", "closed"),
    ("We defer to those with more expertise.", "closed"),
    ("Our members have not formed a collective view on this.", "closed"),
    ("I don't know enough about this to comment.", "open"),
    ("N/A - we are not a bus operator.", "open"),
    ("Answered above.", "open"),
    ("We have no position on this.", "closed"),
    # the ones the issue names, still non-answers
    ("As above.", "closed"),
    ("N/A", "closed"),
    ("We have no view on the proposed hours.", "closed"),
    ("Dim sylw / No comment", "open"),
]

SUBSTANTIVE = [
    # a short real answer to a yes/no-like question is the respondent's position
    ("No.", "closed"),
    ("Yes", "closed"),
    ("None of the options is right because the hours are too long.", "closed"),
    # the same openings with a view after them
    ("We take no view on the parking changes, but we oppose the closure.", "closed"),
    ("We have no view on the timing because the whole idea is wrong.", "closed"),
    ("We hold no position on the fees, although the hours are far too short.", "closed"),
    ("Not really, it would cost too much.", "open"),
    ("No idea about the costs but it looks expensive", "open"),
    ("Nothing to add on section 4 apart from our support.", "open"),
    ("We have no view on this, which lies within our remit but needs more study.", "closed"),
    ("I don't understand why the buses stop at six.", "open"),
    ("That's for you to fix, the road is dangerous.", "open"),
    ("This is outside our remit, but we urge the council to act.", "open"),
    ("The proposal does not apply to people who live outside the city, which is unfair.", "closed"),
    ("We are unable to comment until the data is published, which is unacceptable.", "closed"),
    ("We defer to the council on timing but oppose the plan.", "closed"),
    ("We are able to comment: the plan is sound.", "closed"),
    # a bare "No idea" is the respondent's position on a closed question (stance reads it)
    ("No idea", "closed"),
]


@pytest.mark.parametrize(("text", "kind"), NON_ANSWERS)
def test_non_answers(text: str, kind: str) -> None:
    assert _non_answer(text, kind)


@pytest.mark.parametrize(("text", "kind"), SUBSTANTIVE)
def test_substantive(text: str, kind: str) -> None:
    assert not _non_answer(text, kind)
