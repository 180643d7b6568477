"""A letter's paragraphs read in order (``helpers.ingest.segment.ordered``).

The alignment and the title rule are checked on small matrices and on letters
written for these tests (a library's opening hours, not the development
consultations): a subject line after the greeting, or the sender's name
above the letter, no longer heads the whole letter, and a paragraph between
two placed ones goes to a question between theirs only when its own content
puts that question close to its best (``aligned.align``, read from the
paragraphs ``ordered`` prepares).
"""

from __future__ import annotations

import numpy as np
from builders import ingest_library, rows_of

from helpers.ingest.segment import aligned, ordered
from helpers.ingest.segment.passages import Block, blocks

RANK = [-1, 0, 1, 2, 3]  # a profile question, then four questions in order


def _fill(labels, ev, eligible, allowed=None) -> list:
    """``aligned.align`` over placed paragraphs (fixed: a heading's or content's label given
    as an anchor no one can move) and unplaced ones (``eligible``: may be placed)."""
    items = []
    for lab, row, ok in zip(labels, ev, eligible, strict=True):
        allow = np.ones(len(RANK), dtype=bool)
        allow[0] = False  # the profile question is never placed by order
        if allowed is not None:
            allow &= allowed
        if lab is not None:
            items.append(aligned.Item(np.array(row, float), allow, lab, fixed=True, eligible=False))
        else:
            items.append(aligned.Item(np.array(row, float), allow, None, eligible=ok))
    return aligned.align(items, RANK, ordered.FILL_MIN)


def test_a_paragraph_between_two_placed_ones_takes_a_question_between_theirs():
    # Placed: Q1 then Q3. The middle paragraph is as close to Q2 as to Q4
    # (0.01 apart): going on to Q4 would mean going back for Q3.
    ev = [[0, 0.9, 0, 0, 0], [0, 0.2, 0.55, 0.3, 0.56], [0, 0, 0, 0.8, 0]]
    assert _fill([1, None, 3], ev, [False, True, False]) == [1, 2, 3]


def test_the_order_never_overrules_a_clear_leader():
    # The middle paragraph is clearly about Q4 (0.2 ahead of Q2): left alone.
    ev = [[0, 0.9, 0, 0, 0], [0, 0.2, 0.45, 0.3, 0.65], [0, 0, 0, 0.8, 0]]
    assert _fill([1, None, 3], ev, [False, True, False]) == [1, None, 3]


def test_weak_evidence_and_ineligible_paragraphs_stay_unplaced():
    ev = [[0, 0.9, 0, 0, 0], [0, 0.1, 0.3, 0.2, 0.1], [0, 0.2, 0.7, 0, 0], [0, 0, 0, 0.8, 0]]
    got = _fill([1, None, None, 3], ev, [False, True, False, False])
    assert got == [1, None, None, 3]  # 0.3 is below FILL_MIN; the third is not eligible


def test_no_guess_before_the_first_placed_paragraph_without_a_position_nor_a_weak_one_after():
    ev = [[0, 0.5, 0.52, 0, 0], [0, 0, 0.9, 0, 0], [0, 0, 0.2, 0.47, 0]]
    assert _fill([None, 2, None], ev, [True, False, True]) == [None, 2, None]


def test_paragraphs_of_one_gap_are_aligned_together_in_order():
    # Two paragraphs between Q1 and Q4. Alone, the first would take Q3 (0.01
    # ahead of Q2) and the second Q2 (clearly): out of order. Together, in
    # order, both answer Q2 (the first one's Q3 would rule out the second's Q2).
    ev = [[0, 0.9, 0, 0, 0], [0, 0, 0.60, 0.61, 0], [0, 0, 0.65, 0.40, 0], [0, 0, 0, 0, 0.9]]
    assert _fill([1, None, None, 4], ev, [False, True, True, False]) == [1, 2, 2, 4]


def test_evidence_adds_capped_topic_words():
    ev = ordered.evidence(np.array([0.5, 0.5]), [0, 12])
    assert ev[0] == 0.5 and abs(ev[1] - (0.5 + ordered.LEX_W)) < 1e-9


SUBJECT_LETTER = """\
Dear Library Services,

Evening opening at the Northfield branch

I have nothing to add about who I am beyond being a regular borrower.

Please keep the branches open until seven on weekdays. I finish work at half past five and the evening is my only chance to borrow anything.

The homework club is the reason my son's grades went up last year.
"""


def test_a_subject_line_after_the_greeting_is_opened_into_its_paragraphs():
    blks = blocks(SUBJECT_LETTER, 0, len(SUBJECT_LETTER))
    assert blks[1].heading == "Evening opening at the Northfield branch"
    opened = ordered.open_titles(SUBJECT_LETTER, blks, lambda b: False)
    assert [b.heading for b in opened] == [None] * 5
    assert opened[1].body == "Evening opening at the Northfield branch"
    assert opened[3].body.startswith("Please keep the branches open")
    for b in opened:  # offsets quote the text
        assert SUBJECT_LETTER[b.body_start : b.end] == b.body


def test_an_own_words_heading_mid_letter_is_kept_unless_it_means_nothing_over_a_long_run():
    text = (
        "Dear team,\n\nI write about the proposals, having read them carefully.\n\n"
        "Weekend visits\n\nOpening on Sundays would suit us.\n\nWe would come every week.\n"
    )
    blks = blocks(text, 0, len(text))
    assert blks[-1].heading == "Weekend visits"
    # two paragraphs under a heading that means nothing: still a section
    assert ordered.open_titles(text, blks, lambda b: True) == blks
    longer = text + "\nMy mother would come too.\n\nAnd my neighbours, who cannot drive.\n"
    blks = blocks(longer, 0, len(longer))
    assert not any(b.heading for b in ordered.open_titles(longer, blks, lambda b: True))
    # ...but never when the heading means a question
    assert ordered.open_titles(longer, blks, lambda b: False)[-1].heading == "Weekend visits"


def test_title_block_needs_a_heading():
    b = Block(0, 10, 0, None, "Just a paragraph.\n\nAnd another one.")
    assert not ordered.title_block([b], 0, lambda _: True)


SUBJECT_AFTER_GREETING = """\
14 Elm Grove
Northfield

3 May 2027

Dear Library Services,

Northfield branch and the new hours

I have used the Northfield branch for twenty years and read your leaflet twice.

We strongly oppose shutting the doors at teatime. Anyone with a job would never get through them again, and the branch would be empty by the spring.

Opening the big library at the weekend is a fine idea and I would go most Sundays with my grandchildren.

Yours faithfully,

P. Hargreaves
"""


def test_a_letter_under_a_subject_line_is_read_paragraph_by_paragraph(tmp_path):
    """The subject line after the greeting was a heading over the whole letter,
    which then answered no question clearly and stayed unstructured."""
    answers, texts = ingest_library(tmp_path, {"elm": SUBJECT_AFTER_GREETING})
    rows = rows_of(answers, "elm").set_index("question_id")
    assert rows.loc["hours", "answer_text"].startswith("We strongly oppose shutting")
    assert rows.loc["sundays", "answer_text"].startswith("Opening the big library")
    assert "Northfield branch and the new hours" in rows.loc["unstructured", "answer_text"]
    for r in rows.itertuples():  # offsets quote the respondent's text
        assert texts["elm"][r.start : r.end] == r.answer_text
