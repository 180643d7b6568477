"""Non-answers that point at another answer, or say nothing in two languages (issue 12, item 4).

"See above", "As per our answer to Q2", "We refer to paragraphs 1.3 and 2.7
above": the view is counted where it was written, so the answer pointing to
it is not substantive. So is a bare pointer to a covering letter, an attachment
or the evidence under other headings (session 10: the gold conventions mark it
so, since the letter is read as text of the same response); a pointer with a
view or a topic of its own stays substantive. "Dim sylw / No comment": a
non-answer written in English and a second language, any language, is one
non-answer. The phrasings were invented for these tests, not taken from the
development sets.
"""

from __future__ import annotations

import pytest
import yaml
from builders import LIBRARY_CONSULTATION, make_doc

from helpers.core.consultation import parse_consultation
from helpers.ingest.nonanswers import is_substantive
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.substantive import two_language_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "See above.",
        "as above",
        "Ditto.",
        "Please see our answer to question 2.",
        "see my response to Q1",
        "Refer to answer 3 above.",
        "We refer to paragraphs 4.2 and 5.1 above.",
        "I would refer you to my earlier comments.",
        "Covered in our response to questions 2 and 3.",
        "Same as before.",
        "As per q2",
        "See Q.3",
        "As stated above.",
        "no comment tbh",
        "No strong views either way.",
        "Dealt with under questions 2 and 4 above.",
        "See our covering letter.",
        "Please see attached.",
        "3.2 We are not aware of any particular impacts on disabled users.",
        "4.1 No further comments.",
    ],
)
def test_references_and_hedged_non_answers(text):
    assert not is_substantive(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "2.3 We oppose the shorter hours.",
        "5.1",
        "1.2 None of the options suit us because we work late.",
    ],
)
def test_a_paragraph_number_alone_or_before_a_view_is_no_non_answer(text):
    assert is_substantive(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "See above: closing at five shuts out everyone who works.",
        "As above, we strongly oppose the shorter hours.",
        "We refer to the Equality Act 2010, which requires the council to consider disabled users.",
        "See how the branch is used on a Thursday evening before deciding.",
    ],
)
def test_references_with_a_view_of_their_own_stay_substantive(text):
    assert is_substantive(text, "open")


@pytest.mark.parametrize(
    "text",
    [
        "Dim sylw / No comment",
        "No comment / Dim sylw",
        "Aucun commentaire / Nothing to add",
        "Dim sylwadau pellach\nNo further comments",
        "Ingen kommentar / N/A",
    ],
)
def test_a_non_answer_in_two_languages(text):
    assert two_language_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "No comment / see covering letter",
        "No comment / we are writing separately",
        "No / Parking is the problem",
        "Cytuno / Agree",
        "Dim sylw / No comment / Gweler y llythyr / See the letter",
        "Ni allwn gefnogi'r cynnig hwn o gwbl oherwydd y gost / No comment",
    ],
)
def test_not_one_non_answer_in_two_languages(text):
    assert not two_language_non_answer(text)


def test_segmented_bilingual_non_answer_is_not_substantive():
    cons = parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION), where="test")
    text = (
        "Cwestiwn 1 / Question 1\n\nAnghytuno / Disagree. Five is too early.\n\n"
        "Cwestiwn 4 / Question 4\n\nDim sylw / No comment\n"
    )
    df = segment_document(make_doc(text), cons)
    got = {r.question_id: r.substantive for r in df.itertuples()}
    assert got == {"hours": True, "other": False}
