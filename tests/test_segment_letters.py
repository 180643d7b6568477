"""Letters: responses with no headings, split into paragraphs assigned by content.

The letters below were written for these tests (two invented consultations,
neither the defaults' nor the development sets'); the expected rows were
worked out by reading each paragraph and asking which question, if any, it
clearly answers. Precision matters more than recall: a paragraph that names no
question clearly stays ``unstructured``.
"""

from __future__ import annotations

import time

import pandas as pd
import pytest
from builders import make_doc

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.letters import split_letter

LIBRARIES = {
    "id": "libraries-2026",
    "title": "Library opening hours",
    "organisation": "Hollins Borough Council",
    "questions": [
        {
            "id": "q1",
            "number": 1,
            "kind": "closed",
            "short": "Closing branch libraries on Mondays",
            "text": "To what extent do you agree or disagree with the proposal to close the "
            "branch libraries on Mondays?",
        },
        {
            "id": "q2",
            "number": 2,
            "kind": "closed",
            "short": "Later Saturday opening",
            "text": "To what extent do you agree or disagree with extending Saturday opening "
            "until 6pm?",
        },
        {
            "id": "q3",
            "number": 3,
            "kind": "open",
            "short": "Effects on you",
            "text": "How would the changes affect you or your family?",
        },
        {
            "id": "q4",
            "number": 4,
            "kind": "open",
            "short": "Other comments",
            "text": "Do you have any other comments?",
        },
    ],
}

WIND = {
    "id": "calder-moor-wind-2026",
    "title": "Calder Moor wind farm",
    "organisation": "Calder District Council",
    "questions": [
        {
            "id": "farm",
            "number": 1,
            "kind": "closed",
            "short": "The wind farm",
            "text": "Do you support or oppose the proposed wind farm at Calder Moor?",
            "aliases": ["Wind turbines"],
        },
        {
            "id": "fund",
            "number": 2,
            "kind": "open",
            "short": "Community benefit fund",
            "text": "What do you think of the proposed community benefit fund?",
        },
        {
            "id": "traffic",
            "number": 3,
            "kind": "open",
            "short": "Construction traffic",
            "text": "Do you have any comments on the construction traffic route?",
        },
    ],
}


@pytest.fixture(scope="module")
def libraries():
    return parse_consultation(LIBRARIES)


@pytest.fixture(scope="module")
def wind():
    return parse_consultation(WIND)


def _rows(text: str, consultation) -> list[tuple[str, str]]:
    answers = segment_document(make_doc(text), consultation)
    for r in answers.itertuples():
        assert text[r.start : r.end] == r.answer_text
    return [(r.question_id, r.answer_text) for r in answers.itertuples()]


LIBRARY_LETTER = """Dear Library Services,

I am writing in response to your consultation on library opening hours. I have used Hollins Road library every week for forty years.

I strongly disagree with closing the branch libraries on Mondays. Monday is the day the job club meets and the only day the computers are free for people like my neighbour who has no internet at home.

My grandson also uses the library after school to do his homework, because it is quiet.

On the other hand, opening later on Saturdays is a good idea and I support it. Many working families cannot get there before five.

Yours sincerely,

Dorothy Keane"""


def test_letter_paragraphs_assigned_by_topic_and_stance(libraries):
    answers = segment_document(make_doc(LIBRARY_LETTER), libraries)
    rows = [(r.question_id, r.answer_text[:20]) for r in answers.itertuples()]
    assert rows == [
        ("unstructured", "Dear Library Service"),
        ("q1", "I strongly disagree "),
        ("q2", "On the other hand, o"),
        ("closing", "Yours sincerely,\n\nDo"),
    ]
    q1 = answers[answers.question_id == "q1"].iloc[0]
    # The grandson paragraph says "also": it continues the answer before it.
    assert q1.answer_text.endswith("to do his homework, because it is quiet.")
    assert q1.match_method == "paragraph"
    assert "assigned by content: check" in q1.warning
    assert pd.isna(q1.heading_text)  # no heading


def test_letter_that_answers_nothing_stays_one_unstructured_row(libraries):
    text = (
        "To the council,\n\nI think the whole council is a waste of money and you should all "
        "resign. Nobody listens to residents about the potholes on Carver Street either.\n\n"
        "The bins were not collected for three weeks in August.\n\nRegards,\nP. Doyle"
    )
    answers = segment_document(make_doc(text), libraries)
    assert list(answers.question_id) == ["unstructured"]
    assert answers.iloc[0].answer_text == text
    assert answers.iloc[0].match_method == "unstructured"
    assert "no question headings found" in answers.iloc[0].warning


def test_explicit_references_win_and_may_come_out_of_order(libraries):
    text = (
        "Hello,\n\nAs to question 3, the Monday closure would mean I lose my only chance to "
        "use the printers for my college work.\n\nRegarding your first question, I am against "
        "it for the same reason.\n\nThanks,\nSam"
    )
    assert _rows(text, libraries) == [
        ("unstructured", "Hello,"),
        (
            "q3",
            "As to question 3, the Monday closure would mean I lose my only chance to use "
            "the printers for my college work.",
        ),
        ("q1", "Regarding your first question, I am against it for the same reason."),
        ("closing", "Thanks,\nSam"),
    ]


def test_number_words_and_named_questions(libraries):
    text = (
        "Dear team,\n\nIn answer to question two, yes, please open until six on Saturdays.\n\n"
        "On the effects question: my children would lose their Monday homework club.\n\n"
        "Best wishes,\nAnn"
    )
    rows = _rows(text, libraries)
    assert [q for q, _ in rows] == ["unstructured", "q2", "q3", "closing"]


WIND_LETTER = """Dear Planning Officer,

Re: application 26/0412/FUL

We oppose the wind turbines on Calder Moor. They would be visible from every house in the village and the moor is a breeding ground for curlew.

The community benefit fund of five thousand pounds a year is an insult when the developer will earn millions.

Our main worry is the lorries. The construction traffic would come through the school lane twice a day for eighteen months.

We trust you will listen this time.

Yours faithfully,
John and Mary Penrose"""


def test_wind_farm_letter_each_paragraph_its_own_question(wind):
    rows = _rows(WIND_LETTER, wind)
    assert [q for q, _ in rows] == [
        "unstructured",
        "farm",
        "fund",
        "traffic",
        "unstructured",
        "closing",
    ]
    assert rows[0][1] == "Dear Planning Officer,\n\nRe: application 26/0412/FUL"
    assert rows[3][1].startswith("Our main worry is the lorries.")
    assert rows[4][1] == "We trust you will listen this time."


def test_paragraph_naming_several_questions_is_not_assigned(wind):
    text = (
        "Dear Sir,\n\nI have read the leaflet about the wind farm, the community benefit fund "
        "and the construction traffic, and I will need more time to think about all of it.\n\n"
        "Please send me a paper copy of the full application.\n\nYours,\nA. Reader"
    )
    answers = segment_document(make_doc(text), wind)
    assert list(answers.question_id) == ["unstructured"]


def test_topic_word_outside_the_lead_sentence_is_not_evidence(wind):
    """A paragraph about something else that mentions a later topic in passing stays unassigned.

    Outside the lead sentences, topic words count only for the question after
    the previous answer's (here the fund, not the traffic).
    """
    text = (
        "Dear Officer,\n\nWe oppose the wind turbines on Calder Moor, which is common land.\n\n"
        "Many people in the village did not receive the leaflet. The exhibition was held "
        "on a weekday morning when most of us were at work. It also said nothing about the "
        "construction traffic.\n\nThe community benefit fund is far too small for the "
        "disruption we will suffer.\n\nYours faithfully,\nR. Hale"
    )
    rows = _rows(text, wind)
    assert [q for q, _ in rows] == ["unstructured", "farm", "unstructured", "fund", "closing"]


def test_one_echo_of_a_question_is_not_enough(wind):
    """A letter whose paragraphs name only one question by content is left unstructured."""
    text = (
        "Dear Officer,\n\nI walk my dog on the moor every morning and have done so for "
        "twenty years.\n\nWe oppose the wind turbines on Calder Moor, which is common land "
        "and should stay that way.\n\nYours faithfully,\nR. Hale"
    )
    assert [q for q, _ in _rows(text, wind)] == ["unstructured"]


def test_split_letter_is_linear_in_length(wind):
    para = (
        "We oppose the wind turbines on Calder Moor. They would spoil the view from the "
        "village and the moor is a breeding ground for curlew."
    )
    filler = "The weather this spring has been very wet and the lanes are muddy."
    fund = "The community benefit fund is far too small for the disruption we will suffer."
    short = "\n\n".join([para, fund] + [filler] * 200)
    long = "\n\n".join([para, fund] + [filler] * 4000)
    t0 = time.perf_counter()
    split_letter(short, wind.questions)
    t_short = time.perf_counter() - t0
    t0 = time.perf_counter()
    pieces = split_letter(long, wind.questions)
    t_long = time.perf_counter() - t0
    assert pieces[0].question_id == "farm"
    assert t_long < 40 * t_short + 0.5


def test_an_introduction_is_not_an_answer_but_a_stance_is(wind):
    """ "I am writing as ..." introduces; "I am writing to object to X" answers X."""
    text = (
        "Dear Planning Officer,\n\nI am writing as the chair of the Calder Moor walking "
        "group, which has sixty members.\n\nI am writing to object to the wind turbines on "
        "Calder Moor, which would tower over the only open access land in the district.\n\n"
        "The community benefit fund would not make up for the loss of the moor.\n\n"
        "Yours sincerely,\nE. Marsh"
    )
    assert [q for q, _ in _rows(text, wind)] == ["unstructured", "farm", "fund", "closing"]


def test_paragraph_naming_an_unheaded_question_inside_another_answer(libraries):
    """A later paragraph of one answer that clearly answers a question with no heading."""
    text = (
        "Question 1\n\nWe disagree. The job club meets on Mondays.\n\n"
        "Question 3\n\nOur members would lose their only free computer access.\n\n"
        "Finally, on later Saturday opening, we would support extending Saturday opening "
        "hours until 6pm, as working families cannot visit before five.\n\n"
        "Question 4\n\nWe mention Saturday opening again only to say thank you."
    )
    rows = _rows(text, libraries)
    assert [q for q, _ in rows] == ["q1", "q3", "q2", "q4"]
    assert rows[1][1] == "Our members would lose their only free computer access."
    answers = segment_document(make_doc(text), libraries)
    q2 = answers[answers.question_id == "q2"].iloc[0]
    assert q2.match_method == "paragraph"
    assert "inside the answer to q3" in q2.warning


def test_a_passing_mention_inside_an_answer_does_not_split_it(libraries):
    text = (
        "Question 1\n\nWe disagree with closing on Mondays.\n\n"
        "Question 3\n\nOur members would lose their only free computer access.\n\n"
        "They could come on Saturdays instead, but many work at weekends."
    )
    assert [q for q, _ in _rows(text, libraries)] == ["q1", "q3"]
