"""Structures that are not heading lines (session 19, issue 12): transcripts, numbered paragraphs.

The library consultation of ``builders`` (neither development consultation),
with texts written for these tests only, in layouts and wordings the batch-21
documents the readers were built after do not use: "Q:"/"A:" and initials as
speakers, an interviewer who asks in their own words and nods in between, a
chat with two questions in one turn; numbered paragraphs whose sections are
question numbers, and ones whose first section is an introduction. Shapes that
must NOT be read so: a form of "Name:/Email:" fields, a single "Note:" line,
decimal figures inside prose, numbered paragraphs going backwards.
"""

from __future__ import annotations

import pytest
import yaml
from builders import LIBRARY_CONSULTATION, make_doc

from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.decimal import numbered_sections, read_decimal
from helpers.ingest.segment.parts import in_order
from helpers.ingest.segment.transcript import read_transcript, speaker_turns


@pytest.fixture(scope="module")
def cons():
    return parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))


INTERVIEW = """\
Notes of a doorstep interview for the library consultation, typed up by a volunteer.

Q: Thanks for stopping. Can I ask how you'd describe yourself - a library user, staff, a group?

A: I'm a retired teacher and I use the Eastgate branch twice a week.

Q: The council wants branches to shut at five on weekdays rather than seven. How do you feel about that?

A: Strongly against. Most people who work can only get there after half five.

Q: Right.

A: And the computers are the only ones some of my neighbours have.

Q: And Sunday afternoons at the central library, would that be good?

A: Yes, lovely, I'd take my grandson.

Q: That's brilliant, thanks for your time.
"""


def test_interview_turns_answer_the_questions_asked(cons):
    parts = read_transcript(INTERVIEW, cons.questions)
    ids = [
        p.question if isinstance(p.question, str) else cons.questions[p.question].id for p in parts
    ]
    assert ids == ["preamble", "about", "hours", "sundays", "closing"]
    hours = next(p for p in parts if p.question == 1)
    body = INTERVIEW[hours.start : hours.end]
    assert "Strongly against" in body and "computers" in body  # the nod does not end it
    closing = parts[-1]
    assert "brilliant" in INTERVIEW[closing.start : closing.end]


def test_interview_rows_keep_every_character(cons):
    doc = make_doc(INTERVIEW)
    rows = segment_document(doc, cons)
    assert list(rows["question_id"])[:4] == ["preamble", "about", "hours", "sundays"]
    for r in rows.itertuples():
        assert INTERVIEW[r.start : r.end] == r.answer_text


def test_initials_and_own_words_questions(cons):
    text = (
        "MJ: Do you mind telling me who you're answering for?\n\n"
        "RP: Myself. I'm a nurse on nights.\n\n"
        "MJ: What difference would all this make to you and your family?\n\n"
        "RP: I couldn't take the kids to the homework club any more.\n\n"
        "RP: And my mum relies on the large print books.\n\n"
        "MJ: Anything else you'd like to tell the council?\n\n"
        "RP: Keep the libraries open, that's all.\n"
    )
    turns, interviewer = speaker_turns(text)
    assert interviewer == "MJ" and len(turns) == 7
    parts = read_transcript(text, cons.questions)
    placed = {
        cons.questions[p.question].id: text[p.start : p.end]
        for p in parts
        if isinstance(p.question, int)
    }
    assert "Keep the libraries open" in placed["other"]
    # Asked in words no question shares: no guess here; the whole exchange (question turn
    # included, both answer turns together) is left for the run-level reading by meaning.
    loose = [text[p.start : p.end] for p in parts if p.question == "unstructured"]
    assert any("homework club" in t and "large print" in t and "difference" in t for t in loose)


def test_fields_and_notes_are_not_an_interview(cons):
    form = (
        "Name: Jo Bloggs\n\nEmail: jo@example.org\n\nBranch: Eastgate\n\n"
        "Comments: Please do not close at five?\n\nNote: sent by post?\n"
    )
    assert speaker_turns(form) is None
    one_sided = "Me: Why close early?\n\nMe: Who decided?\n\nMe: When?\n\nYou: Dunno.\n"
    assert speaker_turns(one_sided) is None  # one speaker, no exchange


LETTER = """\
Dear Head of Libraries,

1.1 I write on behalf of the Friends of Eastgate Library, a group of 80 volunteers.

2.1 The Friends oppose closing branch libraries at 5pm on weekdays.

2.2 Nevertheless we understand that savings must be found somewhere.

3.1 Sunday opening at the central library from 11am would be welcome.

4.1 The effects on the children who use the homework club would be severe.

Yours sincerely,
A. Reader
"""


def test_numbered_paragraphs_are_grouped_by_section(cons):
    secs = numbered_sections(LETTER)
    assert [n for n, _, _ in secs] == [1, 2, 3, 4]
    parts = read_decimal(LETTER, cons.questions)
    placed = {
        cons.questions[p.question].id: LETTER[p.start : p.end]
        for p in parts
        if isinstance(p.question, int)
    }
    assert "Nevertheless" in placed["hours"] and "oppose" in placed["hours"]  # 2.2 stays with 2.1
    assert "Sunday" in placed["sundays"]
    assert "homework" in placed["effects"]


def test_section_numbers_that_are_question_numbers(cons):
    text = (
        "To the council,\n\n"
        "1.1 We disagree with shorter weekday opening hours; 7pm closing matters to workers.\n\n"
        "1.2 We would accept six o'clock as a compromise.\n\n"
        "2.1 Sunday opening at the central library: yes please.\n\n"
        "3.1 The effects on carers would be real: the branch is a warm place to meet.\n"
    )
    parts = read_decimal(text, cons.questions)
    ids = [cons.questions[p.question].id for p in parts if isinstance(p.question, int)]
    assert ids == ["hours", "sundays", "effects"]
    assert parts[1].method == "number"


def test_not_numbered_paragraphs(cons):
    prose = "Dear sir,\n\n3.5 million people use libraries.\n\n2.4 per cent more than before.\n\n1.1 times.\n"
    assert numbered_sections(prose) is None  # going backwards: figures, not sections
    two = "1.1 Hello.\n\n2.1 Goodbye.\n"
    assert numbered_sections(two) is None  # too few to be a numbering style


def test_in_order_takes_the_best_increasing_chain():
    gains = [{0: 0.5, 2: 0.9}, {1: 0.6}, {2: 0.4}]
    assert in_order(gains) == [0, 1, 2]
    assert in_order([{0: -0.1}, {}]) == [None, None]


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Reply to your question 5:", 5),
        ("In answer to the Q3", 3),
        ("Comments on our question four", 4),
        ("Number 2 - Sundays", 2),
    ],
)
def test_question_numbers_after_a_determiner_or_the_word_number(line, number):
    from helpers.ingest.segment.numbering import read_numbering

    got = read_numbering(line, 0, len(line))
    assert got is not None and got.kind == "q" and got.number == number


def test_a_reference_by_ordinal_stays_prose():
    from helpers.ingest.segment.numbering import read_numbering

    line = "Regarding your second question, we agree."
    assert read_numbering(line, 0, len(line)) is None
    assert read_numbering("Number of visits fell.", 0, 22) is None


def test_titled_sections_are_left_to_the_headings():
    text = (
        "1. Who we are\n\n1.1 A reading group.\n\n2. Evenings\n\n2.1 Keep seven o'clock.\n\n"
        "3. Sundays\n\n3.1 Yes please.\n"
    )
    assert numbered_sections(text) is None
