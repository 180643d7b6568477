"""A letter's paragraphs aligned to the questions jointly (``helpers.ingest.segment.aligned``).

The alignment is checked on small evidence matrices (a profile question, then
four questions in order), the cues on sentences written for these tests (a
swimming pool's and a library's consultations, not the development ones),
and whole letters end to end.
"""

from __future__ import annotations

import numpy as np
from builders import rows_of

from helpers.core.consultation import Question
from helpers.ingest.segment import aligned

RANK = [-1, 0, 1, 2, 3]
FILL_MIN = 0.40


def _item(ev, allowed=None, anchor=None, **kw) -> aligned.Item:
    ok = np.ones(len(RANK), dtype=bool) if allowed is None else np.array(allowed, dtype=bool)
    ok[0] = False  # the profile question
    return aligned.Item(np.array(ev, dtype=float), ok, anchor, **kw)


def test_a_paragraph_goes_on_with_the_closed_answer_before_it():
    # The second paragraph takes no position, so the closed Q1 is not open to it
    # on its own, and its content chose Q2 weakly; Q1 is still its best question
    # and the paragraph before answered it: the answer goes on.
    items = [
        _item([0, 0.65, 0.30, 0.20, 0.20], anchor=1),
        _item([0, 0.42, 0.36, 0.30, 0.20], allowed=[0, 0, 1, 1, 1], anchor=2),
    ]
    assert aligned.align(items, RANK, FILL_MIN) == [1, 1]


def test_a_new_point_does_not_go_on():
    items = [
        _item([0, 0.65, 0.30, 0.20, 0.20], anchor=1),
        _item([0, 0.42, 0.36, 0.30, 0.20], allowed=[0, 0, 1, 1, 1], anchor=2, goes_on=False),
    ]
    assert aligned.align(items, RANK, FILL_MIN) == [1, 2]


def test_an_unplaced_heading_ends_the_answer_before_it():
    items = [
        _item([0, 0.65, 0.30, 0.20, 0.20], anchor=1),
        _item([0, 0.55, 0.56, 0.30, 0.20], allowed=[0, 0, 1, 1, 1]),
    ]
    assert aligned.align(items, RANK, FILL_MIN) == [1, 1]  # goes on across a near-tie
    items.insert(1, _item(np.zeros(5), eligible=False, breaks=True))
    assert aligned.align(items, RANK, FILL_MIN) == [1, None, 2]


def test_going_back_needs_a_clear_lead():
    # After Q3, a near-tie between Q1 and Q4 goes forward...
    tie = [_item([0, 0.1, 0.1, 0.8, 0.1], anchor=3), _item([0, 0.51, 0.2, 0.2, 0.50])]
    assert aligned.align(tie, RANK, FILL_MIN) == [3, 4]
    # ...while a paragraph placed by its own content on Q1 keeps it.
    clear = [_item([0, 0.1, 0.1, 0.8, 0.1], anchor=3), _item([0, 0.70, 0.2, 0.2, 0.3], anchor=1)]
    assert aligned.align(clear, RANK, FILL_MIN) == [3, 1]


def test_opening_and_closing_paragraphs_need_more_evidence():
    items = [
        _item([0, 0.60, 0.2, 0.2, 0.2]),  # before the first anchored paragraph, no position
        _item([0, 0.1, 0.8, 0.1, 0.1], anchor=2),
        _item([0, 0.1, 0.1, 0.45, 0.2]),  # after it: too weak for a closing remark
    ]
    assert aligned.align(items, RANK, FILL_MIN) == [None, 2, None]
    items[0].opens = True  # "I'm against it": a view may open the answers
    items[2].ev[3] = 0.55
    assert aligned.align(items, RANK, FILL_MIN) == [1, 2, 3]


def test_an_ineligible_paragraph_is_never_placed_and_a_letter_without_anchors_stays_as_it_is():
    items = [_item([0, 0.9, 0.1, 0.1, 0.1], eligible=False), _item([0, 0.45, 0.2, 0.2, 0.2])]
    assert aligned.align(items, RANK, FILL_MIN) == [None, None]


def test_requests():
    assert aligned.makes_request("We would ask for a lifeguard at the shallow end on Saturdays.")
    assert aligned.makes_request("The Swimming Club asks that lanes stay open until nine.")
    assert aligned.makes_request("Please consider keeping the sauna for older members.")
    assert aligned.makes_request("I would like to see the café open when the pool does.")
    assert aligned.makes_request("4.2 The Trust therefore asks that the sauna stays.")
    assert aligned.makes_request("We would ask for a later closing time.")  # "for" is no position
    assert aligned.makes_request("Please at least keep the diving boards until the summer.")
    assert not aligned.makes_request("Pleased to see the pool being looked after at last.")
    assert not aligned.makes_request("I support the new opening hours and ask nothing more of you.")
    assert not aligned.makes_request("The Askew Road entrance is too dark at night.")
    assert not aligned.makes_request("Nobody asked the swimmers. The changes came anyway.")
    assert not aligned.makes_request("We support the plan and would ask for nothing else.")


def test_new_points():
    assert aligned.opens_new_point("One more thing. The lockers are broken.")
    assert aligned.opens_new_point("Finally, the prices.")
    assert aligned.opens_new_point("As for the café, keep it.")
    assert aligned.opens_new_point("Secondly, the changing rooms are cold.")
    assert not aligned.opens_new_point("Also, the lockers are broken.")
    assert not aligned.opens_new_point("The lockers are broken, finally someone asks.")


def _q(qid: str, kind: str, text: str, short: str = "") -> Question:
    return Question(id=qid, number=None, text=text, kind=kind, short=short)


def test_the_suggestions_question_is_found_by_its_wording():
    qs = (
        _q("who", "profile", "In what capacity are you responding?"),
        _q("hours", "closed", "Do you agree with the new opening hours?"),
        _q("ideas", "open", "What would you suggest we do differently?", "Your suggestions"),
        _q("other", "open", "Any other comments?"),
    )
    assert aligned.suggestion_question(qs) == 2
    assert aligned.suggestion_question(qs[:2] + qs[3:]) is None


POOL_CONSULTATION = """\
id: pool-2027
title: Changes at the town pool
organisation: Example Town Council
questions:
  - id: who
    kind: profile
    short: About you
    text: In what capacity are you responding?
  - id: lanes
    number: 1
    kind: closed
    short: New lane swimming times
    text: To what extent do you agree or disagree with moving lane swimming to the evenings?
  - id: cafe
    number: 2
    kind: closed
    short: Closing the café
    text: To what extent do you agree or disagree with closing the poolside café?
  - id: effects
    number: 3
    kind: open
    short: Effects on you
    text: How would these changes affect you?
  - id: ideas
    number: 4
    kind: open
    short: Your suggestions
    text: What changes, if any, would you suggest to the proposals?
"""

POOL_HEADED = """\
Q1
I disagree. Lane swimming in the evenings clashes with the lessons and the pool is full then.

Q2
I agree, the café loses money and the vending machines are enough.

Q3
I would swim less often and my knees would suffer for it.

Q4
Keep one early lane for people who swim before work.
"""

POOL_LETTER = """\
Dear Leisure Team,

I oppose moving lane swimming to the evenings. The early lanes are the only ones I can reach before work.

The evening sessions are already crowded with lessons and clubs, so nobody would be able to swim lengths properly at that time.

One more thing. Closing the café is a mistake, because it is where the older swimmers meet and talk after their swim.

We would ask for one lane to be kept free for lengths every weekday morning, even if the rest of the pool changes.

Kind regards,

J. Lengths
"""


def _ingest_pool(root, letter: str):
    from helpers.ingest import run_ingest

    (root / "consultation.yaml").write_text(POOL_CONSULTATION, encoding="utf-8")
    inp = root / "in"
    inp.mkdir()
    for n in range(3):
        (inp / f"headed-{n}.txt").write_text(POOL_HEADED, encoding="utf-8")
    (inp / "letter.txt").write_text(letter, encoding="utf-8")
    result = run_ingest(inp, root / "consultation.yaml", root / "out", metadata_file=None)
    texts = dict(zip(result.respondents["respondent_id"], result.respondents["text"], strict=True))
    return result.answers, texts


def test_a_letter_read_whole_goes_on_with_an_answer_and_files_a_request(tmp_path):
    """The second paragraph goes on with the first's closed answer without restating
    the position; the request answers the suggestions question."""
    answers, texts = _ingest_pool(tmp_path, POOL_LETTER)
    rows = rows_of(answers, "letter").set_index("question_id")
    lanes = rows.loc["lanes", "answer_text"]
    assert lanes.startswith("I oppose moving lane swimming")
    assert lanes.rstrip().endswith("swim lengths properly at that time.")
    assert rows.loc["cafe", "answer_text"].startswith("One more thing. Closing the café")
    assert rows.loc["ideas", "answer_text"].startswith("We would ask for one lane")
    for r in rows.itertuples():  # offsets quote the respondent's text
        assert texts["letter"][r.start : r.end] == r.answer_text


def test_a_forwarding_cover_note_and_a_bare_self_description_are_not_views():
    from helpers.ingest.segment.ordered import fillable
    from helpers.ingest.segment.passages import Block

    def para(t: str) -> Block:
        return Block(0, len(t), 0, None, t)

    assert not fillable(para("I am forwarding the note below from a swimmer who asked me to."))
    assert not fillable(para("I express no view of my own here. The note is hers alone."))
    assert not fillable(para("I have been swimming at the pool since 1990 and I coach juniors."))
    # ...but who writes, then a position, is a view
    assert fillable(para("I have been swimming here since 1990. I oppose the new lane times."))
    assert fillable(para("On behalf of the club we support the new lanes and hope they stay."))
    # a numbered paragraph's introduction is read past its number
    assert not fillable(para("1.1 This is the formal response of the Swimming Club to the plans."))


def test_a_phrase_of_time_before_who_writes_is_still_who_writes():
    from helpers.ingest.segment.passages import describes_self

    assert describes_self("For twelve years I have run the junior squad on Saturdays.")
    assert describes_self("Since 2019, we have run the aqua-fit class for older members.")
    assert describes_self("Over the last decade I have worked as a lifeguard at the pool.")
    # ...a phrase of time before a view, or before someone else, is not
    assert not describes_self("For the evening lanes, I am against the change.")
    assert not describes_self("For many years the pool has opened at six.")
    assert not describes_self("In my opinion the café should stay.")


def test_a_request_to_record_the_letter_is_an_introduction_not_a_suggestion():
    from helpers.ingest.segment.ordered import introduces
    from helpers.ingest.segment.passages import Block

    def para(t: str) -> Block:
        return Block(0, len(t), 0, None, t)

    intro = "Please accept this as the response of the Otters Club, agreed by our members."
    assert aligned.makes_request(intro) and introduces(para(intro))
    assert not introduces(para("Please keep one lane free for lengths every weekday morning."))
    assert not introduces(para("We would ask for the café to stay open on Sundays."))


POOL_TWO_IN_ONE = """\
Dear Leisure Team,

For twelve years I have run the junior squad at the pool, three mornings a week, and I see the swimmers before school.

I oppose moving lane swimming to the evenings and I also disagree with closing the poolside café, which the parents use.

Most of our juniors would stop swimming altogether, because evenings are taken by homework and the buses stop early.

Kind regards,

P. Coach
"""


def test_an_introduction_is_not_placed_and_a_paragraph_on_two_questions_is_filed_in_order(
    tmp_path,
):
    """Who writes, after a phrase of time, is no answer; the paragraph naming two
    closed questions is filed under the earlier one, and the next goes on in order."""
    answers, _ = _ingest_pool(tmp_path, POOL_TWO_IN_ONE)
    rows = rows_of(answers, "letter")
    placed = rows[rows["question_id"].isin(["lanes", "cafe", "effects", "ideas"])]
    assert not placed["answer_text"].str.startswith("For twelve years").any()
    first = placed.sort_values("start").iloc[0]
    assert first["question_id"] == "lanes"
    assert first["answer_text"].startswith("I oppose moving lane swimming")


def test_a_view_before_the_first_heading_is_read_by_content():
    from helpers.ingest.segment.passages import Block
    from helpers.ingest.segment.profile import preamble_view

    def para(t: str, first=False, heading=None) -> Block:
        return Block(0, len(t), 0, heading, t, first=first)

    assert preamble_view(para("We welcome the new lane times. Mornings are what we need."))
    assert preamble_view(para("The pool is our second home. I strongly oppose closing the café."))
    # the document's opening, who writes, a heading's section: not here
    assert not preamble_view(para("I welcome the new lane times.", first=True))
    assert not preamble_view(para("I have swum at the pool since 1990 with the masters group."))
    assert not preamble_view(para("Swimming is popular. The pool opened in 1974 and was rebuilt."))
    assert not preamble_view(para("I support the plan.", heading="Our view"))


POOL_RUN_IN = """\
Dear Leisure Team,

I have swum at the town pool for thirty years, mostly with the early masters group.

I strongly oppose moving lane swimming to the evenings. The early lanes are the only ones working people can reach.

Your suggestions: keep one lane free for lengths every weekday morning, whatever else changes.

Kind regards,

M. Masters
"""


def test_a_view_before_a_run_in_label_is_placed(tmp_path):
    answers, _ = _ingest_pool(tmp_path, POOL_RUN_IN)
    rows = rows_of(answers, "letter").set_index("question_id")
    assert rows.loc["lanes", "answer_text"].startswith("I strongly oppose moving lane swimming")
    assert "thirty years" not in " ".join(rows.loc[rows.index != "preamble", "answer_text"])


def test_a_new_point_closing_the_letter_is_an_answer_not_a_sign_off():
    # After the last anchored paragraph a remark needs EDGE_MIN evidence, unless it opens a
    # new point ("One more thing: ..."): then the middle's evidence is enough.
    first = _item([0, 0.1, 0.8, 0.1, 0.1], anchor=2)
    last = _item([0, 0.1, 0.2, 0.2, 0.45], goes_on=False)
    assert aligned.align([first, last], RANK, FILL_MIN) == [2, 4]
    plain = _item([0, 0.1, 0.2, 0.2, 0.45])  # no new point: a closing remark
    assert aligned.align([first, plain], RANK, FILL_MIN) == [2, None]
    weak = _item([0, 0.1, 0.2, 0.2, 0.35], goes_on=False)  # too weak for any question
    assert aligned.align([first, weak], RANK, FILL_MIN) == [2, None]


def test_a_paragraph_is_measured_against_the_questions_open_to_it():
    # Its best question is a closed one it takes no position on (not allowed); its best
    # open question, near behind, is still its own best choice.
    first = _item([0, 0.8, 0.1, 0.1, 0.1], anchor=1)
    mid = _item([0, 0.56, 0.2, 0.2, 0.46], allowed=[0, 0, 1, 1, 1], goes_on=False)
    last = _item([0, 0.1, 0.1, 0.1, 0.9], anchor=4)
    assert aligned.align([first, mid, last], RANK, FILL_MIN) == [1, 4, 4]
    # ...but far behind its best allowed question it is not placed there
    mid.ev[2] = 0.60
    assert aligned.align([first, mid, last], RANK, FILL_MIN) == [1, 2, 4]
