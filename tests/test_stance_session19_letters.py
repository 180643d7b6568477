"""Session 19 (issue 13): a letter's paragraph that names one closed question and takes no
position by the rules' words gets the learned gate's second reading.

The consultation and letters here (a library's hours, a cycle lane) were written for these
tests; the change was measured on the spent item sets' letters (about care leavers and a
low-traffic neighbourhood).
"""

from __future__ import annotations

from helpers.core.consultation import parse_consultation
from helpers.stance.placement import gate_reading
from helpers.stance.unstructured import unstructured_stances


def _consultation():
    return parse_consultation(
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
    )  # fmt: skip


def _fixed(stance: str, conf: float = 0.8):
    """A stand-in second reading: every paragraph it is given reads ``stance``."""
    seen: list[tuple[str, int]] = []

    def read(texts, questions):
        seen.extend(zip(texts, questions, strict=True))
        return [(stance, conf, (0, len(t))) for t in texts]

    read.seen = seen
    return read


LETTER = (
    "Dear council,\n\nMy two boys and I have used the library every Saturday for years. "
    "On Sundays the doors are shut and the children have nowhere warm to do homework.\n\n"
    "Yours,\nA parent"
)


def _run(text, second):
    c = _consultation()
    return unstructured_stances(text, [(0, len(text))], tuple(c.closed_questions), second)


def test_a_paragraph_naming_one_question_without_a_position_word_is_read_again():
    second = _fixed("agree")
    got = _run(LETTER, second)
    assert got["library"].stance == "agree"
    assert got["library"].method == "unstructured"
    assert "lane" not in got  # no paragraph names the lane
    assert all(q == 1 for _, q in second.seen)  # only the library's paragraph was read


def test_without_a_second_reading_nothing_changes():
    assert "library" not in _run(LETTER, None)


def test_a_question_a_paragraph_took_a_position_on_is_not_read_again():
    text = (
        "I fully support opening the library on Sundays.\n\n"
        "The library on Sundays would be a lifeline for students."
    )
    second = _fixed("disagree")
    got = _run(text, second)
    assert got["library"].stance in ("agree", "strongly_agree")
    assert second.seen == []


def test_paragraphs_that_lean_both_ways_leave_the_question_alone():
    text = (
        "The library on Sundays: my daughter revises there.\n\n"
        "The library on Sundays: the staff deserve a day off with their families."
    )
    readings = iter([("agree", 0.7, (0, 5)), ("disagree", 0.8, (0, 5))])

    def read(texts, questions):
        return [next(readings) for _ in texts]

    assert "library" not in _run(text, read)


def test_a_paragraph_naming_both_questions_is_not_read_again():
    text = "The cycle lane and the library on Sundays were both discussed at our meeting."
    second = _fixed("agree")
    got = _run(text, second)
    assert got == {}
    assert second.seen == []


def test_the_gate_reading_quotes_a_sentence_of_the_paragraph():
    c = _consultation()
    read = gate_reading(c)
    got = read(
        ["Since the new lane opened my daughter cycles to school every day and feels safe."],
        [0],
    )
    assert len(got) == 1
    if got[0] is not None:  # the shipped gate may or may not be sure of it
        stance, conf, (a, b) = got[0]
        assert stance in ("agree", "disagree") and 0 < conf <= 1 and 0 <= a < b


def test_a_paragraph_sharing_one_word_with_a_question_is_not_read_again():
    """One shared word ("street") is too weak a sign the paragraph is about the lane."""
    second = _fixed("agree")
    assert (
        _run("Dear council,\n\nThe lights on our street have been broken for months.", second) == {}
    )
    assert second.seen == []
