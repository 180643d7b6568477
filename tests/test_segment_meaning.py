"""Unstructured text assigned to questions by meaning (``helpers.ingest.segment.meaning``).

A third consultation, unlike the Ofsted default and the transport set (a
library service's opening hours), with headings and letters written for these
tests only: the rules must hold on wording they were not tuned on.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from builders import LIBRARY_CONSULTATION, LIBRARY_HEADED, ingest_library, rows_of

from helpers.core import embedding
from helpers.ingest import run_ingest
from helpers.ingest.segment import meaning, passages

CONSULTATION = LIBRARY_CONSULTATION


PARAPHRASED = """\
Evenings at my local branch
We oppose the earlier closing. The evening sessions are the only time carers like me can get there.

Opening on a Sunday
We support this and would use it most weekends.

What it would mean for my family
My mother is housebound and I collect her large-print books after work; at five o'clock I would not make it.

Dear Sir or Madam,
"""

LETTER = """\
Dear Sir or Madam,

I am a retired teacher and have used the Westgate branch for thirty years, mostly on weekday evenings.

We are strongly against closing the branches at five o'clock on weekdays. People who work all day will simply stop coming, and the evening homework club will end.

Yours faithfully,

A. Reader
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    return ingest_library(
        tmp_path_factory.mktemp("library"), {"paraphrased": PARAPHRASED, "letter": LETTER}
    )


_rows = rows_of


def test_paraphrased_headings_go_to_the_question_they_mean(ingested):
    answers, _ = ingested
    rows = _rows(answers, "paraphrased")
    by_q = dict(zip(rows["question_id"], rows["answer_text"], strict=False))
    assert by_q["hours"].startswith("We oppose the earlier closing.")
    assert by_q["sundays"].startswith("We support this and would use it most weekends.")
    # A heading inside another question's answer is more likely a sub-heading:
    # only one that clearly means an unanswered question is taken out of it.
    assert "effects" not in by_q
    assert "What it would mean for my family" in by_q["sundays"]
    meant = rows[rows["match_method"] == meaning.METHOD]
    # "Opening on a Sunday" is matched by its words before this pass; the other two
    # headings only by what they mean.
    assert meant["heading_text"].tolist() == ["Evenings at my local branch"]
    assert meant["warning"].str.startswith("assigned by meaning: check").all()


def test_letter_paragraph_taking_a_position_answers_the_closed_question(ingested):
    answers, _ = ingested
    rows = _rows(answers, "letter")
    assert rows["question_id"].tolist() == ["unstructured", "hours", "closing"]
    # The greeting and the writer's self-description are not an answer.
    assert rows.loc[0, "answer_text"].startswith("Dear Sir or Madam,\n\nI am a retired teacher")
    assert rows.loc[1, "answer_text"].startswith("We are strongly against closing")
    assert rows.loc[2, "answer_text"] == "Yours faithfully,\n\nA. Reader"


def test_offsets_quote_the_respondents_text(ingested):
    answers, texts = ingested
    for row in answers.itertuples():
        assert texts[row.respondent_id][row.start : row.end] == row.answer_text


def test_blocks_cut_at_headings_and_keep_paragraphs_before_them():
    text = (
        "Our group meets weekly.\n\nResponse of the group\n\nEvenings\nWe oppose it."
        "\n\nMore on evenings.\n\nSundays\n\nYes please."
    )
    blks = passages.blocks(text, 0, len(text))
    assert [(b.heading, b.body) for b in blks] == [
        (None, "Our group meets weekly."),
        (None, "Response of the group"),  # a title above a heading is plain text
        ("Evenings", "We oppose it.\n\nMore on evenings."),
        ("Sundays", "Yes please."),
    ]
    assert text[blks[2].body_start :].startswith("We oppose it.")
    assert text[blks[3].start : blks[3].end] == "Sundays\n\nYes please."


def test_headed_documents_are_untouched(ingested):
    answers, _ = ingested
    rows = _rows(answers, "headed-0")
    assert rows["question_id"].tolist() == ["hours", "sundays", "effects", "other"]
    assert meaning.METHOD not in set(rows["match_method"])


def test_heading_lines_exclude_greetings_sign_offs_and_non_answers():
    assert passages.heading_line("Opening on a Sunday")
    assert passages.heading_line("What worries me")
    assert passages.heading_line("Timing:")
    assert not passages.heading_line("The factors that matter most to us are:")
    assert not passages.heading_line("- free bus passes")
    assert not passages.heading_line("14 Mill Lane")
    assert not passages.heading_line("Dear Sir or Madam")
    assert not passages.heading_line("Re: library hours")
    assert not passages.heading_line("Subject: my views")
    assert not passages.heading_line("Kind regards")
    assert not passages.heading_line("N/A")
    assert not passages.heading_line("We oppose it.")


def test_position_taking_is_needed_for_a_closed_question():
    assert passages.takes_position("We would strongly support the change")
    assert passages.takes_position("We are firmly against it")
    assert passages.takes_position("Frankly it is a waste of money")
    assert passages.takes_position("I’m not convinced at all")
    assert passages.takes_position("No. It would hurt the evening classes")
    assert not passages.takes_position("Please make sure every reader knows what support there is.")
    assert not passages.takes_position("There is no evening bus to the branch.")


def test_without_the_model_text_stays_unstructured(tmp_path: Path, monkeypatch, caplog):
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "paraphrased.txt").write_text(PARAPHRASED, encoding="utf-8")
    monkeypatch.setattr(embedding, "available", lambda model=embedding.MINILM: False)
    with caplog.at_level(logging.WARNING):
        result = run_ingest(inp, tmp_path / "consultation.yaml", tmp_path / "out", None)
    # Only the heading its words match ("Opening on a Sunday"); nothing by meaning. The
    # trailing "Dear Sir or Madam," is cut off as the closing (``segment.trailing``, session 27).
    assert set(result.answers["question_id"]) == {"preamble", "sundays", "closing"}
    closing = result.answers[result.answers["question_id"] == "closing"]
    assert list(closing["answer_text"]) == ["Dear Sir or Madam,"]
    assert meaning.METHOD not in set(result.answers["match_method"])
    assert "sentence-embedding model is not installed" in caplog.text


OUT_OF_ORDER = """\
Evening closing
We oppose closing the branches at five. Working people will stop coming.

What it would do to us
My children would lose the homework club after school, and I would lose my only chance to borrow books after work.

Sunday afternoons
Yes, open the central library on Sundays please.
"""


def test_own_words_headings_in_their_own_order(tmp_path: Path):
    """Letter rules place what their topic words name; the heading that names
    nothing ("What it would do to us") is placed by meaning, not by position."""
    (tmp_path / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    for n in range(3):
        (inp / f"headed-{n}.txt").write_text(LIBRARY_HEADED, encoding="utf-8")
    (inp / "own-order.txt").write_text(OUT_OF_ORDER, encoding="utf-8")
    result = run_ingest(inp, tmp_path / "consultation.yaml", tmp_path / "out", None)
    rows = _rows(result.answers, "own-order")
    assert rows["question_id"].tolist() == ["hours", "effects", "sundays"]
    assert rows.loc[1, "heading_text"] == "What it would do to us"
    assert rows.loc[1, "answer_text"].startswith("My children would lose")
    assert rows.loc[2, "answer_text"].endswith("on Sundays please.")


def test_a_line_above_an_address_or_date_block_heads_nothing():
    """A letter's address, recipient and date lines are short lines with no
    sentence among them: the first is not a heading over the whole letter."""
    text = (
        "Flat 2, Orchard House\n\nOrchard Row\nEastbury\nEB3 9QT\n\n14 March 2027\n\n"
        "Library Services Team\n\nTown Hall\nEastbury EB1 1AA\n\n"
        "I am against the five o'clock closing; the evenings are when I can come."
    )
    blks = passages.blocks(text, 0, len(text))
    assert all(b.heading is None for b in blks)
    assert not passages.prose("Orchard Row\nEastbury\nEB3 9QT")
    assert not passages.prose("Town Hall\nEastbury EB1 1AA\nRe: opening hours at the branches")
    assert passages.prose("Evenings matter.")
    assert passages.prose("The branch is where my children do their homework after school")


def test_catch_all_question_is_found_by_its_wording():
    import yaml

    from helpers.core.consultation import parse_consultation

    cons = parse_consultation(yaml.safe_load(CONSULTATION))
    qs = tuple(cons.questions)
    assert qs[meaning.catch_all(qs)].id == "other"  # short label "Anything else"
    assert meaning.catch_all(qs[:-1]) is None  # no such question: nothing is a catch-all


PROFILE_LABEL = """\
Eastbury
We strongly oppose closing the branches at five o'clock; people who work all day will stop coming.

Sundays
Yes, open the central library on Sundays please.
"""


def test_a_label_over_a_view_is_not_the_profile_question(tmp_path: Path):
    """A heading naming a place ("Eastbury") may resemble the profile question's
    wording; a body taking a position is a view, not who the respondent is."""
    cons = CONSULTATION.replace(
        "text: Are you responding as a library user",
        "text: Your connection to Eastbury. Are you responding as a library user",
    )
    (tmp_path / "consultation.yaml").write_text(cons, encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    for n in range(3):
        (inp / f"headed-{n}.txt").write_text(LIBRARY_HEADED, encoding="utf-8")
    (inp / "label.txt").write_text(PROFILE_LABEL, encoding="utf-8")
    result = run_ingest(inp, tmp_path / "consultation.yaml", tmp_path / "out", None)
    rows = _rows(result.answers, "label")
    assert "about" not in set(rows["question_id"])


CAMPAIGN = (
    "Closing at five shuts out everyone who works, and the homework club that keeps "
    "our children safe after school would end with it. Keep the branches open until seven."
)


def _answer(rid, qid, method, text, s=0):
    from helpers.core import schemas

    row = {c: None for c in schemas.ANSWERS.names}
    row.update(respondent_id=rid, question_id=qid, match_method=method, match_score=1.0,
               start=s, end=len(text), answer_text=text[s:], substantive=True)  # fmt: skip
    return row


def test_a_passage_copying_an_answer_placed_by_heading_goes_to_its_question():
    """A campaign text one respondent put under "Q3" files another's copy of it
    (small edits) under the same question; headed rows are never moved."""
    import pandas as pd
    import yaml

    from helpers.core import schemas
    from helpers.core.consultation import parse_consultation
    from helpers.ingest.segment import place_copies

    cons = parse_consultation(yaml.safe_load(CONSULTATION))
    letter = "I have used the Westgate branch for years.\n\n" + CAMPAIGN.replace("our", "my")
    texts = {"a": CAMPAIGN, "b": letter, "c": CAMPAIGN + " Thanks.", "d": letter}
    rows = [
        _answer("a", "effects", "number", CAMPAIGN),
        _answer("b", schemas.UNSTRUCTURED, "unstructured", letter),
        _answer("c", "other", "text", texts["c"]),  # under a heading of its own: stays
        _answer("d", schemas.UNSTRUCTURED, "unstructured", letter),
        _answer("d", "effects", "number", letter, s=len(letter) - 20),  # d answered it already
    ]
    frame = schemas.conform(pd.DataFrame(rows), schemas.ANSWERS)
    out = place_copies(frame, texts, cons)
    b = out[out["respondent_id"] == "b"]
    assert b["question_id"].tolist() == [schemas.UNSTRUCTURED, "effects"]
    moved = b.iloc[1]
    assert moved["match_method"] == "copy"
    assert letter[moved["start"] : moved["end"]] == moved["answer_text"]
    assert moved["answer_text"].startswith("Closing at five")
    assert out[out["respondent_id"] == "c"]["question_id"].tolist() == ["other"]
    assert out[out["respondent_id"] == "d"]["question_id"].tolist() == [
        schemas.UNSTRUCTURED,
        "effects",
    ]
