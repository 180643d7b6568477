"""Non-answers, session 10: pointers to a covering letter or to other headings, "that's all",
and a "don't know" written in two languages (issue 12, item 4).

Gold convention (docs/evaluation.md, transport-11): an answer that only points to
a covering letter, an attachment or what was said under other headings is not
substantive; the letter or paper is read as text of the same response and its
view counted there. A pointer with a view or a topic of its own stays
substantive. The phrasings were written for these tests, not taken from the
development sets.
"""

from __future__ import annotations

import pytest

from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.segment.substantive import two_language_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "Please refer to our covering e-mail.",
        "See the attached paper.",
        "See enclosed.",
        "We would refer you to our full submission, attached.",
        "As set out in the accompanying letter.",
        "Please see the points made under the previous headings.",
        "See the comments given in section 3 above.",
        "See our reasons under questions 2 and 4.",
        "That's everything, thank you.",
        "No - that's all from us.",
        "That is all we wanted to say.",
    ],
)
def test_pointers_and_closing_remarks_are_non_answers(text):
    assert not is_substantive(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "See our letter of 3 May about the parking survey.",
        "See the enclosed photographs of the flooding, which show why the path must stay.",
        "Please see the attached: we oppose the plan because the hall closes.",
        "See the comments under question 2 above; in addition the fees are too high.",
        "That's all very well, but nobody asked the tenants.",
        "That is it exactly: the buses are the problem.",
        "See the report by the fire service.",
    ],
)
def test_pointers_with_a_view_or_topic_of_their_own_stay_substantive(text):
    assert is_substantive(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "Dim syniad.\n\nNo idea at all.",
        "Não sei / Not sure",
        "Je ne sais pas / Don't know",
        "Nie wiem\nDon't know",
    ],
)
def test_an_open_question_non_answer_in_two_languages(text):
    assert two_language_non_answer(text, "open")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("No / Too many lorries", "open"),  # a reply and a reason
        ("Not sure / the parking", "open"),  # "the" is English: a second line of the reply
        ("Não sei / Don't know", "closed"),  # to a closed question "Don't know" is a position
        ("Don't know / see letter", "open"),  # points elsewhere, in English
    ],
)
def test_not_one_open_question_non_answer_in_two_languages(text, kind):
    assert not two_language_non_answer(text, kind)
