"""Non-answers in phrasings no rule was written for (session 18, issue 12 item 4).

Both lists below were written BEFORE the session-18 change to the non-answer rule
(``helpers.ingest.nonanswers``), from what respondents write rather than from the
rule's phrases, and were not edited to fit it: refusals, deferrals, "nothing to
add", "don't know" and references to another answer ("see what I put in the first
box") in many wordings, and short answers that DO say something ("None of the above
is acceptable", "Too expensive.", "See above: the cost is too high.").
"""

from __future__ import annotations

import pytest

from helpers.ingest.nonanswers import is_substantive, normalise
from helpers.ingest.segment.residue import residue_non_answer, residue_words


def says_something(text: str, kind: str) -> bool:
    """The phrases' verdict, then the residue reader's (``segment.substantive.mark`` applies
    both; the learned reader of short open answers comes between them)."""
    return is_substantive(text, kind) and not residue_non_answer(text, kind)


# Open questions ("Do you have any other comments?", "How would this affect you?").
GENERAL_NON_ANSWERS = [
    "Not applicable to me.",
    "Nothing further at this stage.",
    "see what i put in the first box",
    "As per my answer to question 2.",
    "Please refer to our response above.",
    "See above.",
    "Same as before",
    "Covered in my earlier answer.",
    "I've already said everything in question one.",
    "As stated previously.",
    "Refer to Q3",
    "Answered above, thanks.",
    "I'd rather not say.",
    "Don't know really.",
    "no idea sorry",
    "Not sure.",
    "Not sure what to put here.",
    "I don't feel qualified to answer this.",
    "We are not the right organisation to comment on this.",
    "Can't think of anything.",
    "Nothing springs to mind.",
    "Nothing comes to mind at the moment.",
    "Nope, that's it.",
    "No more to say, thanks",
    "I'll leave this one.",
    "Leave blank please",
    "Prefer not to answer",
    "Not really my area.",
    "This doesn't apply to us.",
    "Does not apply.",
    "Not something I know about.",
    "We will respond separately in due course.",
    "No further input at present.",
    "Nothing else from me.",
    "Nothing extra to add.",
    "That's all from us, thank you.",
    "Same answer as the previous question.",
    "Ditto.",
    "As above.",
    "I have nothing useful to contribute here.",
    "Not in a position to say.",
    "Unsure, sorry.",
    "Idk",
    "No opinion either way.",
    "Not for me to judge.",
    "We defer to others with more expertise on this.",
    "Please see my comments in the box above.",
    "Everything I wanted to say is in my first answer.",
]

GENERAL_SUBSTANTIVE = [
    "None of the above is acceptable.",
    "Not applicable to families in rural areas, who have no bus.",
    "See above: the cost is too high.",
    "As above, but the timing is worse.",
    "Nothing will change unless funding follows.",
    "Don't know why you would do this, it is a waste of money.",
    "Not sure it will work without more staff.",
    "No idea how families will cope.",
    "Refer young people to independent advocates.",
    "More youth workers.",
    "Fund it properly.",
    "Too expensive.",
    "Longer notice period.",
    "Keep the bus lane.",
    "Disabled drivers will be cut off.",
    "Scrap it.",
    "Listen to care leavers.",
    "Start sooner.",
    "It's fine.",
    "Not enough consultation.",
    "Nothing about this helps carers.",
    "No more road closures please.",
    "None of this addresses poverty.",
    "Same problems as last time: no money.",
    "Previous schemes failed.",
    "Leave it as it is.",
    "Leave the road open.",
    "Not relevant to the real problem, which is housing.",
    "We cannot support it.",
    "I would rather the money went to schools.",
    "Prefer option B.",
    "The first box should be removed from the form.",
    "Please reconsider.",
    "Consult young people first.",
    "Traffic will move to Elm Road.",
    "Rats run through our street.",
    "Good idea.",
    "Agree with the council.",
    "Wheelchair users.",
    "Older people and carers.",
    "Yes, for disabled people.",
    "My commute will double.",
    "We already answered this in 2019 and nothing happened.",
    "Pass the cost to developers.",
]

# To a closed question ("Do you agree …?") a bare answer is the respondent's position.
CLOSED_POSITIONS = ["No.", "Yes", "Don't know.", "No", "Not sure."]


@pytest.mark.parametrize("text", GENERAL_NON_ANSWERS)
def test_general_non_answers(text: str) -> None:
    assert not says_something(text, "open"), residue_words(text)


@pytest.mark.parametrize("text", GENERAL_SUBSTANTIVE)
def test_short_substantive_answers(text: str) -> None:
    assert says_something(text, "open"), normalise(text)


@pytest.mark.parametrize("text", GENERAL_SUBSTANTIVE)
def test_short_substantive_answers_closed(text: str) -> None:
    assert says_something(text, "closed"), normalise(text)


@pytest.mark.parametrize("text", CLOSED_POSITIONS)
def test_closed_positions_are_substantive(text: str) -> None:
    assert says_something(text, "closed"), normalise(text)


def test_lists_are_large_and_disjoint() -> None:
    assert len(GENERAL_NON_ANSWERS) >= 40 and len(GENERAL_SUBSTANTIVE) >= 40
    assert not set(GENERAL_NON_ANSWERS) & set(GENERAL_SUBSTANTIVE)


def test_a_pointer_is_a_non_answer_to_a_closed_question_too() -> None:
    # batch 20: "see what i put in the first box" under "To what extent do you agree …?"
    assert not says_something("see what i put in the first box", "closed")
    assert not says_something("As per my answer to question 2.", "closed")
    assert says_something("See above, we disagree.", "closed")


def test_question_words_are_the_questions_own() -> None:
    question = "How would the proposals affect you? Tell us about any impacts."
    assert residue_non_answer("No impacts for me personally.", "open", question)
    assert not residue_non_answer("No impacts for my shop.", "open", question)


@pytest.mark.parametrize(
    "text",
    [
        "None.\n\nThank you for filling in this survey. Return it by 5 May.",
        "Nothing more from us.\n\nPat Ode\nChair\n\nThis e-mail is confidential and meant only "
        "for its addressee.",
        "N/A\n\nRegistered charity no. 1234567. Registered office: 2 High St.",
        "Nothing to add\n\nMaria Oyelaran, 07700 900 123",
    ],
)
def test_a_form_closing_or_footer_under_a_non_answer(text: str) -> None:
    assert residue_non_answer(text, "open")


def test_a_view_after_the_non_answer_is_kept() -> None:
    assert not residue_non_answer("Not applicable\n\nPlease close the road.", "open")
    assert not residue_non_answer("None.\n\nThank you, but the road must stay open.", "open")
