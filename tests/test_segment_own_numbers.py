"""A document's own section numbers and repeated "Re:" lines (session 15, issue 12).

The library consultation of ``builders`` (unlike both development sets), with
headings and texts written for these tests only: a report numbering its own
sections ("1. About the Forum", "2. Weekday evenings" answering question 1)
and a reply heading each section "Re: ..." in its own order.
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders import ingest_library, rows_of

from helpers.core import embedding
from helpers.ingest.segment import joint
from helpers.ingest.segment.passages import blocks

# The numbers are the forum's own: section 2 answers question 1, and so on.
FORUM = """\
Westfield Tenants' Forum

Response to the library hours proposals, October

1. About the Forum

The Forum represents 240 households on the Westfield estate and meets on the first Monday of each month.

2. Weekday evenings

We are firmly against shutting the branch libraries at five o'clock. Most of our members work until six and would never be able to borrow a book on a weekday again.

3. Opening on Sundays

Opening the central library on a Sunday afternoon is welcome: it is the one day families on the estate could all go together.

4. What it would mean for the estate

The homework club we run in the branch every weekday evening would have to close, and the older children would lose the only quiet place they have to revise.
"""

# Each section opens "Re: ..." and they do not follow the consultation's order.
REPLIES = """\
To the library service,

Re: the Sunday plan

Good idea. A Sunday afternoon at the central library would suit families who cannot come in the week.

Re - the weekday closing time

Strongly against it. Anyone with a job could no longer use their branch on a weekday.

Re: what it means for us

My son would lose the quiet evening hours he spends revising at the branch, and so would his friends.

Thanks,
Sam
"""


# Bare numbers whose headings also name their questions: settled, so a
# sub-heading used once inside an answer is not offered another question.
ANCHORED = """\
Eastfield Friends of the Library

1 - Shorter weekday opening hours

We disagree: closing at five shuts out everyone who works.

A worry of our own

The volunteers who run the branch's evening book club may simply stop coming, and we would understand.

2 - Sunday opening at the central library

We agree, a Sunday afternoon would suit families.
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    return ingest_library(
        tmp_path_factory.mktemp("library-own-numbers"),
        {"forum": FORUM, "replies": REPLIES, "anchored": ANCHORED},
    )


def _placed(answers, rid):
    rows = rows_of(answers, rid)
    return rows[~rows["question_id"].isin(["preamble", "closing", "unstructured"])]


def test_own_section_numbers_give_way_to_what_the_sections_say(ingested):
    answers, texts = ingested
    placed = _placed(answers, "forum")
    got = dict(zip(placed["heading_text"], placed["question_id"], strict=True))
    assert got.get("2. Weekday evenings") == "hours", placed[["question_id", "heading_text"]]
    assert got.get("3. Opening on Sundays") == "sundays"
    # The forum's self-description no longer holds question 1 by its number.
    assert got.get("1. About the Forum") != "hours"
    assert placed["question_id"].is_unique
    for r in rows_of(answers, "forum").itertuples():
        assert texts["forum"][r.start : r.end] == r.answer_text


def test_repeated_re_lines_head_their_sections(ingested):
    answers, texts = ingested
    placed = _placed(answers, "replies")
    got = dict(zip(placed["question_id"], placed["answer_text"], strict=True))
    assert got.get("sundays", "").startswith("Good idea."), placed[["question_id", "answer_text"]]
    assert got.get("hours", "").startswith("Strongly against it.")
    # "Re: what it means for us" heads its own section whatever it is matched to.
    rows = rows_of(answers, "replies")
    assert not any(t.endswith("Re: what it means for us") for t in rows["answer_text"])
    for r in rows_of(answers, "replies").itertuples():
        assert texts["replies"][r.start : r.end] == r.answer_text


def _heads(text):
    return [b.heading for b in blocks(text, 0, len(text)) if b.heading is not None]


def test_re_lines_are_headings_only_when_repeated():
    assert _heads(REPLIES) == ["Re: the Sunday plan", "Re - the weekday closing time",
                               "Re: what it means for us"]  # fmt: skip
    # One subject line is a letter's subject, not a heading.
    once = "Re: library hours\n\nI think closing at five is a mistake for working people.\n"
    assert _heads(once) == []
    # Words that merely start with "re" are no "Re" lead: two such paragraphs
    # do not make "Re: library hours" below them a heading.
    words = "Really, we like it.\n\nRegarding Sundays, yes.\n\n" + once
    assert "Re: library hours" not in _heads(words)


def test_a_numbered_title_alone_heads_its_section_but_numbered_points_do_not():
    text = "3) Costs to families\n\nBus fares to the central library add up for a family of four.\n"
    assert _heads(text) == ["3) Costs to families"]
    points = "1. We object to the change.\n\n2. It hurts working people most of all.\n"
    assert _heads(points) == []
    listed = "1. Books\n2. Films\n3. Computers\n\nAll three matter to us.\n"
    assert "1. Books" not in _heads(listed)


def test_number_prior_reads_bare_numbers_only():
    index = {"hours": 1, "sundays": 2}

    def rows(heads, methods):
        return pd.DataFrame(
            {
                "heading_text": heads,
                "heading_start": pd.array(list(range(0, 10 * len(heads), 10)), dtype="Int64"),
                "question_id": ["hours", "sundays"][: len(heads)],
                "match_method": methods,
            }
        )

    assert joint.number_prior(rows(["1. Evenings", "(2) Sundays"], ["number"] * 2), index) == {
        0: 1,
        10: 2,
    }
    # Question numbering is the respondent's own clear statement: no joint reading.
    assert joint.number_prior(rows(["Q1 Evenings", "2."], ["number"] * 2), index) is None
    assert joint.number_prior(rows(["Question two"], ["number+text"]), index) is None
    # No numbered heading: nothing to weigh.
    assert joint.number_prior(rows(["Evenings"], ["text"]), index) == {}


def _library():
    import yaml
    from builders import LIBRARY_CONSULTATION

    from helpers.core.consultation import parse_consultation

    return parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))


def _numbered_rows(text: str):
    from builders import make_doc

    from helpers.ingest.segment import segment_document

    rows = segment_document(make_doc(text), _library())
    return rows[rows["match_method"].isin(["number", "number+text"])]


SELF_TITLED = """\
Northgate Reading Circle

1) Who we are
Twelve retired teachers who meet at the Northgate branch every Tuesday evening.

2) The evening closures
We oppose them. Tuesday evening is the only time the room is free.

3) Sundays
Welcome, though few of us would come.
"""


def test_a_numbered_self_description_title_makes_the_numbers_the_documents_own():
    # Question 1 asks a view (weekday hours), so "1) Who we are" numbers sections.
    assert _numbered_rows(SELF_TITLED).empty
    own = SELF_TITLED.replace("1) Who we are", "1. About the Reading Circle")
    assert _numbered_rows(own).empty


def test_a_numbered_title_naming_a_question_keeps_the_numbers():
    # "About the weekday opening hours" names question 1's words: a heading for it.
    named = SELF_TITLED.replace("1) Who we are", "1) About the weekday opening hours")
    assert _numbered_rows(named)["question_id"].tolist()[:1] == ["hours"]


def test_numbers_agreeing_with_their_headings_keep_their_sub_headings(ingested):
    answers, _ = ingested
    placed = _placed(answers, "anchored")
    hours = placed.loc[placed["question_id"] == "hours", "answer_text"].tolist()
    assert len(hours) == 1 and "evening book club" in hours[0], placed[
        ["question_id", "answer_text"]
    ]
    assert placed["question_id"].tolist() == ["hours", "sundays"]
