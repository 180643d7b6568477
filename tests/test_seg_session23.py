"""Session 23 (issue 12): a frame-only heading is evidence in the joint reading (``joint``).

The library consultation of ``builders`` (unlike both development sets), with
headings and texts written for these tests only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import ingest_library, library_questions, rows_of

from helpers.core import embedding
from helpers.ingest.segment import joint

# Own-words sections; the last one's body talks about the hours and Sundays (the
# closed questions' subjects) but its heading says it is the group's request,
# which this consultation collects under "any other comments".
FRIENDS = """\
Westbrook Library Friends

Our committee met in June and agreed the points below.

Evening visits
We are firmly against closing at five. Most of our members work until half past five and could no longer borrow anything on a weekday.

A Sunday in town
We welcome this. A Sunday afternoon at the central library would suit families who cannot come in the week.

What we ask
Keep at least one branch open until seven on Thursdays, and open the central library on Sunday mornings as well as afternoons.

Ann Pryce, Chair
"""


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    return library_questions(tmp_path_factory.mktemp("library-q"))


def test_a_frame_only_heading_adds_evidence_for_its_kinds_question(questions):
    ids = [q.id for q in questions]
    heads = ["What we ask", "Anything else?", "Evening visits", "About us", "Our view on the hours"]
    ev = joint.intent_evidence(heads, questions)
    assert ev.shape == (5, len(questions))
    # a request falls back to the "any other comments" question here (no "suggest" question)
    assert ev[0, ids.index("other")] == pytest.approx(joint.INTENT_W)
    assert ev[1, ids.index("other")] == pytest.approx(joint.INTENT_W)
    assert ev[0].sum() == pytest.approx(joint.INTENT_W)
    # no frame, the self-description kind (never read from meaning) and a position
    # frame with its own subject add nothing
    assert not ev[2:].any()


def test_no_frame_no_evidence(questions):
    assert not joint.intent_evidence(["", "Opening hours", "Westbrook"], questions).any()
    assert joint.intent_evidence([], questions).shape == (0, len(questions))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    return ingest_library(tmp_path_factory.mktemp("library-s23"), {"friends": FRIENDS})


def test_a_request_heading_places_its_section_under_its_kinds_question(ingested):
    answers, texts = ingested
    rows = rows_of(answers, "friends")
    got = dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))
    assert got["What we ask"] == "other", rows[["question_id", "match_method", "heading_text"]]
    assert got["Evening visits"] == "hours"
    text = texts["friends"]
    for r in rows.itertuples():
        assert text[r.start : r.end] == r.answer_text


def test_without_the_frame_the_request_section_is_not_placed_there(tmp_path: Path, monkeypatch):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    monkeypatch.setattr(joint, "INTENT_W", 0.0)
    # The hand-weighted reading alone: the learned own-words reader (on since session 27)
    # reads the frame as one of its own features and places the section there too.
    monkeypatch.setattr(joint, "OWN_WORDS", False)
    answers, _ = ingest_library(tmp_path, {"friends": FRIENDS})
    rows = rows_of(answers, "friends")
    got = dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))
    assert got.get("What we ask") != "other"


def test_intent_evidence_is_added_before_the_joint_solution():
    # A request section whose body fits q0 a little better than q1 (0.70 vs 0.66):
    # with the frame's evidence for q1 the solution gives it q1.
    scores = np.array([[0.70, 0.66]])
    allowed = np.ones_like(scores, dtype=bool)
    assert joint.solve(scores, allowed, 0.62)[0][0] == 0
    boosted = scores + np.array([[0.0, joint.INTENT_W]])
    assert joint.solve(boosted, allowed, 0.62)[0][0] == 1
