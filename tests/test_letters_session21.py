"""Session 21 (issue 13): in a letter's paragraph that names two closed questions, a sentence
that takes a position but names no question ("I am against it.") is about the question the
sentence before it named (``stance.unstructured._by_sentence``).

The town consultation and its letters were written for these tests; the rule was measured on
the spent item sets' letters and document sets (docs/stance.md, "Session 21"). One test reads a
spent item's letter (stance-items, tr-230) with its own consultation file.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pandas as pd

from helpers.core.consultation import load_consultation, parse_consultation
from helpers.stance import stance_answers, unstructured
from helpers.stance.unstructured import unstructured_stances

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluation"


def _town():
    return tuple(
        parse_consultation(
            {
                "id": "town",
                "title": "Town services",
                "questions": [
                    {"id": "lane", "kind": "closed", "short": "A cycle lane on the high street",
                     "text": "Do you agree with a cycle lane along the high street?"},
                    {"id": "library", "kind": "closed", "short": "Sunday opening",
                     "text": "Do you agree with opening the library on Sundays?"},
                ],
            },
            where="test.yaml",
        ).closed_questions
    )  # fmt: skip


def _read(text: str, questions=None):
    return unstructured_stances(text, [(0, len(text))], questions or _town())


def test_a_bare_position_takes_the_question_named_just_before():
    text = (
        "Dear council,\n\n"
        "Opening the library on Sundays would suit my family. The cycle lane along the high "
        "street is another matter. It would take away the parking outside my shop. I am "
        "against it.\n\nYours,\nA trader"
    )
    got = _read(text)
    assert got["lane"].stance in ("disagree", "strongly_disagree")
    assert got["lane"].evidence == "I am against it."
    assert "library" not in got or got["library"].direction >= 0


def test_the_nearest_named_question_wins_over_the_paragraphs_first():
    text = (
        "The cycle lane on the high street I can live with. Sunday opening at the library "
        "is what worries me: the staff are stretched already. So no, I don't support it."
    )
    got = _read(text)
    assert got["library"].stance in ("disagree", "strongly_disagree")
    assert got["library"].evidence == "So no, I don't support it."


def test_no_question_named_before_it_places_nothing():
    """The bare position opens the paragraph: nothing before it in the paragraph names a
    question, so the sentence rule does not place it (the sentences after it do not count).
    Session 23: the learned addressing reader (``stance.addressing``) may still give the
    whole paragraph's position to a question; this test reads the rule alone."""
    text = (
        "I am against it. The cycle lane along the high street and the Sunday opening of the "
        "library were both in the leaflet."
    )
    with mock.patch.object(unstructured, "addressing_weights", lambda: None):
        assert _read(text) == {}


def test_a_new_paragraph_does_not_inherit():
    """Only within a paragraph: a bare position in a paragraph of its own is left alone."""
    text = (
        "The cycle lane along the high street and the Sunday opening of the library were both "
        "in the leaflet. I read it twice.\n\nI am against it."
    )
    assert _read(text) == {}


def test_a_spent_letter_read_with_its_consultation():
    """stance-items tr-230 (gold bus_gate: disagree): its position is the closing "So no, I
    don't agree with it." of a paragraph naming the bus gate and the LTN's streets; before
    session 21 the bus gate stayed unanswered."""
    cons = load_consultation(DATA / "transport" / "consultation.yaml")
    text = (
        "The bit I really can't get on with is the bus gate. Half the shops I deliver to are on "
        "Bridge Street, and if I can't drive down it from 7 till 7 I'll be parking on Station "
        "Road and walking parcels the rest of the way. That's hours a week, unpaid. So no, I "
        "don't agree with it."
    )
    got = _read(text, tuple(cons.closed_questions))
    assert got["bus_gate"].stance == "disagree"
    assert got["bus_gate"].evidence == "So no, I don't agree with it."


def test_a_placed_paragraph_whose_reading_is_another_questions_takes_its_own():
    """A letter's paragraph placed under the bins by its content objects to removing them, then
    turns to the dog-free zone: the whole paragraph's reading is the later sentence, which the
    letter's own placement gives the dog-free zone; the bins take the letter's reading of their
    own sentence (``placement.letters_reading``, session 21)."""
    park = parse_consultation(
        {
            "id": "park",
            "title": "Park rules",
            "questions": [
                {"id": "dogs", "kind": "closed", "short": "A dog-free zone",
                 "text": "Do you agree with a dog-free zone beside the playground?"},
                {"id": "bins", "kind": "closed", "short": "Removing the litter bins",
                 "text": "Do you agree with removing the litter bins from the park?"},
            ],
        },
        where="test.yaml",
    )  # fmt: skip
    paras = [
        ("unstructured", "unstructured", "Dear council,"),
        ("unstructured", "unstructured", "I walk my dog in the park every morning."),
        ("bins", "learned", "Removing the bins I **do** object to, strongly: we picnic by them "
         "every week. On the dog-free zone, I'm roughly 60/40 in favour – better to try than to "
         "do it for good straight away."),
        ("unstructured", "unstructured", "Yours,\nA walker"),
    ]  # fmt: skip
    text, rows = "", []
    for qid, how, para in paras:
        rows.append({"respondent_id": "r1", "question_id": qid, "start": len(text),
                     "end": len(text) + len(para), "answer_text": para, "match_method": how,
                     "substantive": True, "tick_box": None})  # fmt: skip
        text += para + "\n\n"
    out = stance_answers(
        pd.DataFrame(rows), pd.DataFrame({"respondent_id": ["r1"], "text": [text]}), park
    )
    got = dict(zip(out["question_id"], out["stance"], strict=True))
    assert got["bins"] in ("disagree", "strongly_disagree")
    assert got["dogs"] in ("agree", "strongly_agree")
