"""Session 26 (issue 12): a learned accept-or-reassign reading of a document's own-words
headings (``ownwords``, ``joint``).

The features and the assignment are checked on hand-made evidence; the shipped weights
(``helpers/data/own_words_model.json``) on their form and on a document written for the
tests under the library consultation of ``builders`` (not fitted on).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import ingest_library, rows_of

from helpers.ingest.segment import joint, ownwords


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Ground 4 – further observations", 4),
        ("Welcome 2: listening", 2),
        ("3/6 closed roads", 3),
        ("7.00am – the camera switches on", 7),
        ("Our view on the date", None),
        ("", None),
    ],
)
def test_heading_number(heading: str, number: int | None):
    assert ownwords.heading_number(heading) == number


def _evidence(k: int, n: int) -> dict:
    z = np.zeros((k, n))
    return {"hs": z.copy(), "bs": z.copy(), "lx": z.copy(), "bare": z, "frame": z, "kind": z}


def test_features_read_numbers_leads_and_earlier_steps():
    # Three sections, four questions; question 0 is the profile question (not allowed).
    ev = _evidence(3, 4)
    ev["hs"][0] = [0.9, 0.5, 0.2, 0.1]
    allowed = np.array([[False, True, True, True]] * 3)
    headings = ["Point 1 – the date", "Point 2 – who is left out", "Some other words"]
    x = ownwords.features(
        headings,
        ev["hs"],
        ev["bs"],
        ev["lx"],
        ev["bare"],
        ev["frame"],
        ev["kind"],
        [None, 1, 2, 3],
        [(2, True), (None, False), (3, False)],
        [(1, 0.3), (None, 0.0), (None, 0.0)],
        allowed,
    )
    f = {name: i for i, name in enumerate(ownwords.FEATURES)}
    assert x.shape == (3, 4, len(ownwords.FEATURES))
    # The heading lead is over the allowed questions only: 0.5 - 0.2, not 0.5 - 0.9.
    assert x[0, 1, f["head_lead"]] == pytest.approx(0.3)
    assert x[0, 2, f["head_lead"]] == pytest.approx(-0.3)
    # "Point 2" names question number 2 (index 2) and the second answerable question.
    assert x[1, 2, f["number_eq"]] == 1.0 and x[1, 2, f["number_eq_rank"]] == 1.0
    assert x[1, 1, f["number_eq"]] == 0.0
    # Two numbered headings in order: a running number, the same for every pair.
    assert x[:, :, f["numbered_run"]].min() == 1.0
    assert x[0, 2, f["earlier"]] == 1.0 and x[0, 2, f["earlier_weak"]] == 1.0
    assert x[2, 3, f["earlier"]] == 1.0 and x[2, 3, f["earlier_weak"]] == 0.0
    assert x[0, 1, f["words_choice"]] == 1.0 and x[0, 1, f["words_margin"]] == 0.3
    assert x[0, 2, f["words_choice"]] == 0.0


def test_solve_takes_each_question_once_with_margins():
    odds = np.array([[2.0, 1.0], [1.5, -3.0], [-2.0, -2.0]])
    allowed = np.ones((3, 2), dtype=bool)
    out = ownwords.solve(odds, allowed, 0.0)
    # Section 0 gives question 0 to section 1: 1.0 + 1.5 = 2.5 beats 2.0 alone.
    assert [j for j, _m in out] == [1, 0, None]
    assert out[0][1] == pytest.approx(0.5)  # without (0, 1): 2.0 alone
    assert out[2] == (None, 0.0)


def test_earlier_reads_the_row_under_each_body():
    rows = pd.DataFrame(
        {
            "question_id": ["preamble", "q2", "unstructured"],
            "start": [0, 40, 90],
            "end": [30, 80, 120],
            "match_method": ["preamble", "order", "unstructured"],
        }
    )
    free = [(31, 40, 85, "A", "x"), (86, 90, 120, "B", "y"), (0, 5, 30, "C", "z")]
    assert ownwords.earlier(rows, free, ["q1", "q2"]) == [(1, True), (None, False), (None, False)]


def test_shipped_model_matches_the_features():
    m = ownwords.model()
    assert m["features"] == list(ownwords.FEATURES)
    assert len(m["coef"]) == len(m["mean"]) == len(m["scale"]) == len(ownwords.FEATURES)
    assert {"threshold", "margin", "intercept"} <= set(m)


def test_fill_keeps_settled_sections_and_fills_open_ones():
    # Section 0 placed by the words (margin 0.3 >= 0.1): kept, even though the learned
    # solution says question 2. Section 1 left open (margin 0.05): takes the learned
    # question 1 (decisive, 1.5 >= 1.0). Section 2 open: its learned question 0 is held
    # by section 0's placement, so it stays open. Section 3: learned margin too small.
    words = [(0, 0.3), (3, 0.05), (None, 0.0), (None, 0.0)]
    learned = [(2, 2.0), (1, 1.5), (0, 3.0), (3, 0.5)]
    out = ownwords.combine(words, learned, 0.1, 1.0, "fill")
    assert out[0] == (0, 0.3)
    assert out[1] == (1, pytest.approx(0.1 + 0.15))
    assert out[2] == (None, 0.0) and out[3] == (None, 0.0)
    # "replace": the learned solution stands wherever it is decisive.
    rep = ownwords.combine(words, learned, 0.1, 1.0, "replace")
    assert [j for j, _m in rep] == [2, 1, 0, None]
    assert rep[2][1] == pytest.approx(0.1 + 0.3)


# Point numbers that happen to follow the questions, over bodies that name their subject.
CLUB = """\
Response from the Eastfield Homework Club

Point 1 - evenings
We disagree with closing the branches at five. The children come straight from school at four and stay until seven.

Point 2 - weekends
Sunday opening at the central library is welcome, but it is a long bus ride for our families.

Point 3 - the children
Our children do their homework at the branch after school. Without the evening hours they would lose the only quiet place they have, and the computers they use for coursework.
"""


@pytest.mark.parametrize("on", [False, True])
def test_reader_on_or_off_keeps_a_document_the_words_read(tmp_path: Path, monkeypatch, on: bool):
    monkeypatch.setattr(joint, "OWN_WORDS", on)
    answers, _ = ingest_library(tmp_path, {"club": CLUB})
    rows = rows_of(answers, "club")
    placed = dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))
    assert placed["Point 1 - evenings"] == "hours"
    assert placed["Point 2 - weekends"] == "sundays"
    assert placed["Point 3 - the children"] == "effects"
