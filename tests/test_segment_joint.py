"""Own-words sections assigned jointly per document (``helpers.ingest.segment.joint``).

The library consultation of ``builders`` (unlike both development sets), with
headings and texts written for these tests only: the joint reading must hold
on wording it was not tuned on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import ingest_library, rows_of

from helpers.core import embedding
from helpers.ingest.segment import joint, vectors

BASE = vectors.THRESHOLDS["minilm"].pair_base

# Two own-words headings before the one heading that names its question (by
# its short label): heading rules leave both in the preamble.
READERS_GROUP = """\
Eastbury Readers' Group

Our members met in May to talk through the proposals and agreed what follows.

After-work visits
We are firmly against the earlier closing. Most of our members work until half past five and could no longer borrow anything on a weekday.

What it would take from us
Our monthly evening meeting at the Westgate branch would have to stop, and two members who care for relatives would lose their only quiet hour of the week.

Sunday opening at the central library
We welcome this. A Sunday afternoon in town would suit families who cannot come in the week.

Margaret Hale, Secretary
"""

UNCLEAR = """\
A few thoughts

Libraries matter to a town.

More thoughts
I have been a member since I was a child and I hope that does not change.
"""


# An e-mail whose body is a short letter (greeting ... sign-off) with the
# own-words sections of its attachment after it: the body's sign-off must not
# end the joint reading of the sections.
EMAILED = """\
Dear library team,

I am writing for the Northfield Book Club.

We talked the proposals through at our last two meetings; my notes are below.

Best wishes,

Ruth Okafor

Weekday evenings
We are firmly against the earlier closing. Nearly all of us work until half past five and could no longer borrow anything on a weekday.

What it would take from us
Our monthly evening meeting at the branch would have to stop, and two members who look after relatives would lose their only quiet hour of the week.

Sunday opening at the central library
We welcome this. A Sunday afternoon in town would suit families who cannot come in the week.
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    return ingest_library(
        tmp_path_factory.mktemp("library-joint"),
        {"readers-group": READERS_GROUP, "unclear": UNCLEAR, "emailed": EMAILED},
    )


_rows = rows_of


def test_own_words_sections_go_to_the_questions_their_heading_and_text_mean(ingested):
    answers, texts = ingested
    rows = _rows(answers, "readers-group")
    placed = rows[~rows["question_id"].isin(["preamble", "closing", "unstructured"])]
    assert placed["question_id"].tolist() == ["hours", "effects", "sundays"]
    assert placed["heading_text"].tolist() == [
        "After-work visits",
        "What it would take from us",
        "Sunday opening at the central library",
    ]
    assert placed["match_method"].tolist()[:2] == ["meaning", "meaning"]
    assert placed.iloc[0]["answer_text"].startswith("We are firmly against")
    assert placed.iloc[1]["answer_text"].endswith("quiet hour of the week.")
    # The title and introduction stay the preamble; the signature the closing.
    assert rows.iloc[0]["question_id"] == "preamble"
    assert rows.iloc[0]["answer_text"].startswith("Eastbury Readers' Group")
    assert "After-work" not in rows.iloc[0]["answer_text"]
    assert rows.iloc[-1]["question_id"] == "closing"
    text = texts["readers-group"]
    for r in rows.itertuples():
        assert text[r.start : r.end] == r.answer_text


def test_sections_after_an_e_mail_body_sign_off_are_still_read(ingested):
    answers, texts = ingested
    rows = _rows(answers, "emailed")
    placed = rows[~rows["question_id"].isin(["preamble", "closing", "unstructured"])]
    assert placed["question_id"].tolist() == ["hours", "effects", "sundays"], rows[
        ["question_id", "match_method", "answer_text"]
    ]
    assert placed.iloc[0]["answer_text"].startswith("We are firmly against")
    text = texts["emailed"]
    for r in rows.itertuples():
        assert text[r.start : r.end] == r.answer_text


def test_sections_that_answer_nothing_clearly_stay_unplaced(ingested):
    answers, _ = ingested
    rows = _rows(answers, "unclear")
    assert not rows["match_method"].eq("meaning").any(), rows[["question_id", "answer_text"]]


def test_headed_documents_keep_their_numbered_answers(ingested):
    answers, _ = ingested
    rows = _rows(answers, "headed-0")
    assert rows["question_id"].tolist() == ["hours", "sundays", "effects", "other"]
    assert set(rows["match_method"]) <= {"number"}


def test_the_joint_solution_resolves_two_sections_wanting_one_question():
    # Section 1 fits q0 best; section 0 fits q0 nearly as well as q1: jointly,
    # section 0 takes q1 and section 1 q0, each with a clear margin.
    scores = np.array([[0.90, 0.86], [0.95, 0.50]])
    got = joint.solve(scores, np.ones_like(scores, dtype=bool), BASE)
    assert [j for j, _ in got] == [1, 0]
    assert all(m >= joint.MARGIN for _, m in got)


def test_a_section_close_to_two_questions_has_no_margin():
    scores = np.array([[0.70, 0.69]])
    [(j, margin)] = joint.solve(scores, np.ones_like(scores, dtype=bool), BASE)
    assert j is None or margin < joint.MARGIN


def test_questions_answered_elsewhere_are_not_candidates():
    scores = np.array([[0.95, 0.70]])
    allowed = np.array([[False, True]])
    [(j, _)] = joint.solve(scores, allowed, BASE)
    assert j == 1


def test_no_sections_no_questions():
    assert joint.solve(np.zeros((0, 3)), np.zeros((0, 3), dtype=bool), BASE) == []
    assert joint.solve(np.zeros((2, 0)), np.zeros((2, 0), dtype=bool), BASE) == [(None, 0.0)] * 2


def test_sections_of_a_document(tmp_path: Path):
    import pandas as pd

    text = READERS_GROUP
    rows = pd.DataFrame({"heading_start": pd.array([None], dtype="Int64"), "start": [0]})
    secs = joint._sections(text, rows, len(text))
    heads = [text[a:b].strip() for a, b, _ in secs]
    assert heads == [
        "Eastbury Readers' Group",
        "After-work visits",
        "What it would take from us",
        "Sunday opening at the central library",
    ]


@pytest.mark.parametrize(
    ("line", "number"),
    [("4/", 4), ("2/ Sunday opening", 2), ("1/2 of our members", None), ("24/7 access", None)],
)
def test_slash_numbering(line, number):
    from helpers.ingest.segment.numbering import read_numbering

    got = read_numbering(line, 0, len(line))
    assert (got.number if got else None) == number


# Each answer follows the respondent's own template of sub-headings: "Where we
# stand / Why / What we ask". Repeated under every heading, they open no section.
TEMPLATED = """\
Westgate Carers' Network

Weekday hours

Where we stand
We oppose closing at five on weekdays.

Why
Carers can only visit once the person they look after is settled for the evening.

What we ask
Keep one branch open until seven.

Sundays

Where we stand
We support opening the central library on Sundays.

Why
Sunday is the one day many of our members have respite cover.
"""


def test_sub_headings_repeated_under_each_answer_open_no_section():
    import pandas as pd

    rows = pd.DataFrame({"heading_start": pd.array([None], dtype="Int64"), "start": [0]})
    secs = joint._sections(TEMPLATED, rows, len(TEMPLATED))
    heads = [TEMPLATED[a:b].strip() for a, b, _ in secs]
    assert "Where we stand" not in heads and "Why" not in heads
    # A sub-heading used once ("What we ask") still opens a section.
    assert "What we ask" in heads
    # Negative: the same lines used once each are sections as before.
    once = TEMPLATED.split("Sundays")[0]
    heads_once = [once[a:b].strip() for a, b, _ in joint._sections(once, rows, len(once))]
    assert "Where we stand" in heads_once
