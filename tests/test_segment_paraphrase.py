"""Headings in the respondent's own words: sections judged by heading and first sentences.

The consultation and documents below were written for these tests (an invented
school term-dates consultation, neither the defaults' nor the development
sets'). Each document's expected rows were worked out by reading every
section and asking which question, if any, it clearly answers; a section
that names no question clearly stays ``unstructured``. Documents about
something else, and a respondent's own section titles ("Introduction",
"Background", "Conclusion"), get no question at all.
"""

from __future__ import annotations

import time

import pytest
from builders import make_doc

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document

TERMS = {
    "id": "term-dates-2027",
    "title": "School term dates",
    "organisation": "Ashby County Council",
    "questions": [
        {
            "id": "q1",
            "number": 1,
            "kind": "closed",
            "short": "A two-week October half term",
            "text": "To what extent do you agree or disagree with extending the October half "
            "term to two weeks?",
        },
        {
            "id": "q2",
            "number": 2,
            "kind": "closed",
            "short": "A shorter summer holiday",
            "text": "To what extent do you agree or disagree with shortening the summer holiday "
            "to five weeks?",
        },
        {
            "id": "q3",
            "number": 3,
            "kind": "open",
            "short": "Starting in September 2027",
            "text": "The new pattern would begin in September 2027. Do you have any comments on "
            "this start date?",
        },
        {
            "id": "q4",
            "number": 4,
            "kind": "open",
            "short": "Effects on your family",
            "text": "How would the changes affect you or your family?",
        },
        {
            "id": "q5",
            "number": 5,
            "kind": "open",
            "short": "Other comments",
            "text": "Do you have any other comments?",
        },
    ],
}


@pytest.fixture(scope="module")
def terms():
    return parse_consultation(TERMS)


def _rows(text: str, consultation) -> list[tuple[str, str]]:
    """(question id, first words of the answer) per row."""
    answers = segment_document(make_doc(text), consultation)
    for r in answers.itertuples():
        assert text[r.start : r.end] == r.answer_text
    return [(r.question_id, " ".join(r.answer_text.split()[:3])) for r in answers.itertuples()]


OWN_TITLES = """Response from a parent of two

What worries me

Cutting the summer holiday down to five weeks would leave families with no time to visit \
relatives abroad. I oppose it strongly.

The proposal

I support a two-week October half term. Children are exhausted by late October and the extra \
week would help them.

Timing

I would not object to September 2027 as the start, as long as schools publish the dates a year \
ahead.

Home life

For our family the changes would mean finding childcare for an extra week every autumn, which \
costs us money.

Thank you for reading this.
"""


def test_own_titles_out_of_order_assigned_by_title_and_first_sentences(terms):
    # "Timing" alone names no question; with "September 2027 as the start" it does.
    # "Home life" + one family word is not clear enough: kept unstructured.
    assert _rows(OWN_TITLES, terms) == [
        ("preamble", "Response from a"),
        ("q2", "Cutting the summer"),
        ("q1", "I support a"),
        ("q3", "I would not"),
        ("unstructured", "Home life For"),
        ("closing", "Thank you for"),
    ]
    answers = segment_document(make_doc(OWN_TITLES), terms)
    row = answers[answers["question_id"] == "q3"].iloc[0]
    assert row["heading_text"] == "Timing"
    assert row["match_method"] == "section"
    assert "check it is Q3" in row["warning"]
    other = answers[answers["question_id"] == "unstructured"].iloc[0]
    assert 'unmatched heading: "Home life"' in other["warning"]


MARKDOWN_TITLES = """## Summer

Five weeks of summer holiday is not enough for children to rest. We oppose shortening the \
summer holiday.

## Is it fair?

Families who work in tourism earn most of their money in August. How would the changes affect \
them? Our family would lose a week together.

## When to begin

If it goes ahead, September 2027 is too soon; the start should be delayed a year so parents can \
plan.

## Autumn break

We agree with a two-week October half term: the autumn term is the longest and children are \
worn out.
"""


def test_markdown_titles_and_a_question_shaped_title(terms):
    # The sentence cut at its colon in the last section is not a heading of
    # the document: its own titles are, and each names one question with its lead.
    assert _rows(MARKDOWN_TITLES, terms) == [
        ("q2", "Five weeks of"),
        ("q4", "Families who work"),
        ("q3", "If it goes"),
        ("q1", "We agree with"),
    ]


def test_a_question_is_taken_once_by_its_strongest_section(terms):
    text = (
        "Autumn\n\nI support the two-week October half term because children need the rest.\n\n"
        "More about autumn\n\nThe two-week October half term would also let families visit "
        "grandparents.\n\n"
        "Summer\n\nWe oppose a shorter summer holiday; five weeks is not long enough.\n"
    )
    assert _rows(text, terms) == [
        ("q1", "I support the"),
        ("unstructured", "More about autumn"),
        ("q2", "We oppose a"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A letter about something else, under the writer's own section titles.
        "Introduction\n\nI am writing about the state of the footpaths near my home on Mill "
        "Road, which I have raised before.\n\nBackground\n\nThe council resurfaced the road in "
        "2019 but the pavement was left broken and uneven. My neighbour fell last winter.\n\n"
        "Conclusion\n\nPlease repair the pavement before another winter. I support any scheme "
        "that makes walking safer.\n",
        # Titles about other services.
        "Bin collections\n\nThe fortnightly bin collection has been missed three times on our "
        "street this year.\n\nParking\n\nCars park on the pavement outside the school every "
        "morning and nobody enforces it.\n\nStreet lights\n\nTwo street lights on Elm Close "
        "have been out since October.\n",
        # One passing echo of a question's phrase is not a structured response.
        "Introduction\n\nI run a holiday park on the coast and write about the new parking "
        "charges on the sea front.\n\nThe charges\n\nVisitors now pay six pounds a day, and the "
        "summer holiday trade has fallen by a fifth since they began.\n\nConclusion\n\nPlease "
        "scrap the charges before next season.\n",
    ],
)
def test_documents_about_something_else_get_no_question(terms, text):
    assert [q for q, _ in _rows(text, terms)] == ["unstructured"]


def test_section_titles_are_never_assigned(terms):
    # "Introduction" names both closed questions' topics; it is kept
    # unstructured (its title reported), and the real answers keep their questions.
    text = (
        "Introduction\n\nWe are parents at Ashby Primary. We support a two-week October half "
        "term, and we oppose a shorter summer holiday.\n\n"
        "Autumn\n\nWe agree with extending the October half term to two weeks. Teachers and "
        "pupils are exhausted by then.\n\n"
        "Summer\n\nWe disagree with a shorter summer holiday. Five weeks is too short for "
        "families who travel.\n"
    )
    rows = _rows(text, terms)
    assert rows == [
        ("unstructured", "Introduction We are"),
        ("q1", "We agree with"),
        ("q2", "We disagree with"),
    ]


def test_heading_placed_by_position_moves_to_the_question_its_lead_names(terms):
    text = (
        "A two-week October half term\n\nWe agree. The autumn term is long and children are "
        "tired by the end of it.\n\n"
        "Money matters\n\nFor my family the changes would mean paying for an extra week of "
        "childcare. The effects on families like ours are not small.\n\n"
        "Other comments\n\nPlease publish the dates early.\n"
    )
    answers = segment_document(make_doc(text), terms)
    assert list(answers["question_id"]) == ["q1", "q4", "q5"]
    moved = answers.iloc[1]
    assert moved["heading_text"] == "Money matters"
    assert "moved to Q4" in moved["warning"]


def test_heading_placed_by_position_stays_without_clear_evidence(terms):
    text = (
        "A two-week October half term\n\nWe agree. The autumn term is long and children are "
        "tired by the end of it.\n\n"
        "Summer\n\nWe are not sure about this one and would like more detail.\n\n"
        "Other comments\n\nPlease publish the dates early.\n"
    )
    answers = segment_document(make_doc(text), terms)
    assert list(answers["question_id"]) == ["q1", "q2", "q5"]
    assert "matched by position only" in answers.iloc[1]["warning"]


def test_many_sections_run_in_linear_time(terms):
    block = (
        "Thoughts\n\nI would like to say something about the town centre and its shops, which "
        "need more visitors.\n\n"
    )
    small, large = block * 200, block * 2000
    t0 = time.perf_counter()
    segment_document(make_doc(small), terms)
    t1 = time.perf_counter()
    segment_document(make_doc(large), terms)
    t2 = time.perf_counter()
    assert (t2 - t1) < 25 * max(t1 - t0, 0.01)


LETTER_TWO_TOPICS = """Dear Sir or Madam,

I welcome the two-week October half term. Whether it begins in September 2027 or later \
matters less to me than getting it right.

The summer holiday should not be shortened to five weeks, because families need the time \
together and many parents work in seasonal jobs.

Yours faithfully,

A. Parent
"""


def test_letter_paragraph_naming_two_questions_is_read_in_order(terms):
    # The first paragraph's lead names Q1 (stance, label phrase) and, less, Q3;
    # the next paragraph answers Q2, so Q3 cannot come before it in order.
    assert _rows(LETTER_TWO_TOPICS, terms) == [
        ("unstructured", "Dear Sir or"),
        ("q1", "I welcome the"),
        ("q2", "The summer holiday"),
        ("closing", "Yours faithfully, A."),
    ]


def test_letter_paragraph_naming_two_questions_stays_when_order_allows_both(terms):
    # Here the next paragraph answers Q4: Q1 and Q3 both fit the order, so the
    # first paragraph's two topics are no clear evidence and it is not assigned.
    text = LETTER_TWO_TOPICS.replace(
        "The summer holiday should not be shortened to five weeks, because families need the "
        "time together and many parents work in seasonal jobs.",
        "The effects on my family would be real: the changes would affect how we pay for "
        "childcare every autumn.",
    )
    rows = _rows(text, terms)
    assert ("q1", "I welcome the") not in rows
    assert ("q3", "I welcome the") not in rows


def test_order_never_overrules_the_paragraphs_leading_topic(terms):
    # The summer paragraph comes first, so by order alone the two-topic
    # paragraph could be Q3; but its lead names Q1 most: it is not assigned.
    text = (
        "Dear Sir or Madam,\n\n"
        "The summer holiday should not be shortened to five weeks, because families need the "
        "time together and many parents work in seasonal jobs.\n\n"
        "I welcome the two-week October half term. Whether it begins in September 2027 or later "
        "matters less to me than getting it right.\n\n"
        "The effects on my family would be real: the changes would affect how we pay for "
        "childcare every autumn, and our family budget is tight.\n\n"
        "Yours faithfully,\n\nA. Parent\n"
    )
    rows = _rows(text, terms)
    assert ("q3", "I welcome the") not in rows
