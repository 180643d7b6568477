"""Campaign pairs that share a paragraph, each sender adding their own (issue 12/13, item 3).

Written for this test, in styles the batch-9 pairs only resemble: a
campaign's paragraph (about 200-300 characters) sent by two respondents, one
with a line of introduction before it and one with a paragraph of their own
case after it, with small edits inside it (a number as a word, a word
swapped, a contraction spelled out). Negatives: two answers on the same topic
in different words, a passage that is a small part of a long answer (a
quotation), a shared paragraph with "should" turned into "should not", a
shared passage under 150 characters, and whole letters (compared under
``*``, where ``letter_copies`` places a shared paragraph under its question
instead).
"""

from __future__ import annotations

from test_campaigns_sentences import _detect, _groups

from helpers.ingest import campaigns, nearcopies

PARAGRAPH = (
    "The library on Mill Street is the only warm place with free internet for miles. "
    "Older people use it to apply for benefits and students do their homework there every "
    "evening. Cutting the opening hours to three days a week would shut them out, so "
    "keep it open six days and find the savings elsewhere."
)
EDITED = (
    "The library on Mill Street is the only warm place with free internet for miles around. "
    "Older people use it to apply for benefits, and students do their homework there each "
    "evening. Cutting the hours to 3 days a week would shut them out - keep it open six days "
    "and find the savings somewhere else."
)
INTRO = "I have signed the Friends of the Library petition and I agree with what they say:\n\n"
OWN = (
    "\n\nMy own view, as a volunteer there: the reading group for people with dementia "
    "meets on Thursdays, and it is the only outing some of its members have. Please ask "
    "them before you decide anything."
)


def test_two_senders_each_adding_their_own_to_an_edited_paragraph_are_a_pair() -> None:
    copies = _detect([("a", "q2", INTRO + PARAGRAPH), ("b", "q2", EDITED + OWN)])
    assert _groups(copies) == [["a", "b"]]
    # Without the shared-passage rule the pair is missed: the whole texts differ too much.
    a, b = campaigns.normalise(INTRO + PARAGRAPH), campaigns.normalise(EDITED + OWN)
    assert nearcopies.similarity(a, b, 90.0) == 0.0
    assert nearcopies.similarity(a, b, 90.0, passage=True) == 90.0


def test_same_topic_in_other_words_is_not_a_pair() -> None:
    other = (
        "Please do not cut the library hours. It is warm, the internet is free, and for "
        "many older residents it is where they get help with forms. Students need "
        "somewhere quiet after school too. Find the money from the council's consultants."
    )
    assert _detect([("a", "q2", INTRO + PARAGRAPH), ("b", "q2", other + OWN)]).empty


def test_a_paragraph_quoted_in_a_long_answer_is_not_a_pair() -> None:
    long_answer = (
        "We read the leaflet handed out at the library, which says: "
        + PARAGRAPH
        + " We disagree with much of that. "
        + " ".join(
            f"Point {k}: the council's figures for visits in year {k} were collected on a "
            "different basis, so they cannot be compared with this year's."
            for k in range(8)
        )
    )
    assert _detect([("a", "q2", PARAGRAPH + OWN), ("b", "q2", long_answer)]).empty


def test_a_shared_paragraph_with_its_position_turned_around_is_not_a_pair() -> None:
    turned = PARAGRAPH.replace("keep it open six days", "do not keep it open six days")
    turned = turned.replace("would shut them out", "would not shut them out")
    assert _detect([("a", "q2", INTRO + PARAGRAPH), ("b", "q2", turned + OWN)]).empty


def test_a_shared_passage_under_100_characters_is_not_a_pair() -> None:
    short = "Keep the Mill Street library open six days a week and find the savings elsewhere."
    rows = [
        ("a", "q2", INTRO + short + " I go there every day."),
        ("b", "q2", short + OWN),
    ]
    assert _detect(rows).empty


def test_whole_letters_are_not_grouped_by_a_shared_paragraph() -> None:
    rows = [
        ("a", "unstructured", "Dear Sir,\n\n" + INTRO + PARAGRAPH + "\n\nYours, Ann"),
        ("b", "unstructured", "To the council,\n\n" + EDITED + OWN + "\n\nBob"),
    ]
    assert _detect(rows).empty


def test_a_campaign_paragraph_left_in_a_preamble_joins_its_questions_group() -> None:
    """An own-words heading segmentation did not recognise leaves the answer in the preamble."""
    rows = [
        ("a", "q2", PARAGRAPH),
        ("b", "preamble", "About me\n\nI run the lunch club.\n\nWhat we need\n\n" + EDITED),
        ("b", "q1", "Yes, I support the proposal."),
        # a preamble of its own words only is not a member
        ("c", "preamble", "About us\n\nWe are a residents' association of 300 households."),
    ]
    copies = _detect(rows)
    assert _groups(copies) == [["a", "b"]]
    assert set(copies["question_id"]) == {"q2"}
    assert not copies.set_index("respondent_id").loc["b", "is_first"]


# Session 9: a campaign's two sentences of 100-150 characters (batch 11 and transport-5's pairs),
# each sender adding a line of their own; written for this test. (A group whose texts are under
# 150 characters still needs three members: campaigns.MIN_GROUP_SIZES.)
SLOGAN = (
    "Save the Mill Street library! Cutting it to three days a week shuts out the older people "
    "and students who need it most."
)
SLOGAN_EDITED = (
    "Save the Mill Street library. Cutting it to 3 days a week shuts out the older people and "
    "the students who need it most."
)


def test_two_shared_sentences_of_a_hundred_characters_are_a_pair() -> None:
    rows = [
        (
            "a",
            "q2",
            SLOGAN + " My son revises there every night, as we have no quiet room at home.",
        ),
        ("b", "q2", "I agree with the petition my neighbour showed me last week. " + SLOGAN_EDITED),
    ]
    assert _groups(_detect(rows)) == [["a", "b"]]


def test_a_letter_paragraph_sharing_the_passage_joins_the_questions_group() -> None:
    """A letter's paragraph and a headed answer, each with its own line around the passage."""
    rows = [
        (
            "a",
            "q2",
            SLOGAN + " My son revises there every night, as we have no quiet room at home.",
        ),
        (
            "b",
            "unstructured",
            "Hi,\n\n" + SLOGAN_EDITED + " I go on Tuesdays for the reading group.\n\nThanks, Bo",
        ),
    ]
    copies = _detect(rows)
    assert _groups(copies) == [["a", "b"]]
    assert set(copies["question_id"]) == {"q2"}


def test_a_hundred_character_passage_in_a_long_answer_is_a_quotation_not_a_pair() -> None:
    own = (
        " The council has known for years that the building needs a new roof, and instead of "
        "repairing it they let the damp spread into the children's corner. Volunteers have "
        "offered to run the Saturday sessions for free, the friends group has raised money "
        "for new shelving, and the school next door would share its caretaker. None of these "
        "offers has had a reply. Before any cut, publish the costs and talk to the people "
        "who already help."
    )
    rows = [
        ("a", "q2", SLOGAN + " My son revises there every night."),
        ("b", "q2", "As the posters say: " + SLOGAN_EDITED + own),
    ]
    assert _detect(rows).empty


def test_match_reads_shared_passages_only_when_asked() -> None:
    """Letters (letter_copies) ask; segmentation's placing of copied passages does not."""
    answer = campaigns.normalise(
        SLOGAN + " My son revises there every night, as we have no quiet room at home."
    )
    letter = campaigns.normalise(SLOGAN_EDITED + " I go on Tuesdays for the reading group.")
    assert nearcopies.match([letter], [answer], 90.0).leader == [-1]
    assert nearcopies.match([letter], [answer], 90.0, passages=True).leader == [0]
