"""Session 25 (issue 12): a learned reader places the respondent's self-description under
the profile question when its heading names no question (``selfsection``, ``joint``).

The documents are written for these tests under the library consultation of
``builders`` (a consultation the reader was not fitted on); the weights are the shipped
``helpers/data/self_section_model.json``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import ingest_library, library_questions, rows_of

from helpers.core import embedding
from helpers.ingest.segment import bodykind, joint, selfsection

# Three respondents answer "About you" under a heading, so the run learns how people
# answer the profile question (its centroid), as in a real consultation.
HEADED = """\
About you
{who}

Q1
I disagree with closing at five: nobody who works can get to the branch on a weekday.

Q2
I agree with opening the central library on Sundays.

Q3
{effect}
"""
WHO = (
    (
        "We are a parents' group of about thirty families who use the Eastfield branch.",
        "Our children would lose the after-school hours at the branch.",
    ),
    (
        "I am a retired nurse and have been a member of the Westbrook library for forty years.",
        "I would lose the evening talks I go to.",
    ),
    (
        "We are a volunteer literacy charity that runs adult reading classes in three branches.",
        "Our classes would have to move or stop.",
    ),
)

# The self-description sits under a heading in the group's own words, which names no
# question and is none of the self-description frames the heading rules know.
CIRCLE = """\
Response from the Northgate Reading Circle

The people behind this response
The Northgate Reading Circle is a volunteer group of fourteen retired teachers and nurses, founded in 2009. Most of us live within a mile of the Northgate branch.

Thursday evenings
We strongly disagree with closing the branches at five. Our group meets at half past five and would have nowhere to go.

Sundays at the central library
We welcome Sunday opening and support it fully, as long as the branches are not cut to pay for it.

What losing the evenings would mean
Three of our members care for a husband or wife at home and the evening meeting is the only time they get out. Without it they would be isolated, and the bus into town costs more than they can afford.

With thanks
The Northgate Reading Circle
"""


def _placed(tmp_path: Path) -> dict[str, str]:
    docs = {f"headed-about-{k}": HEADED.format(who=w, effect=e) for k, (w, e) in enumerate(WHO)}
    answers, _ = ingest_library(tmp_path, {"circle": CIRCLE, **docs})
    rows = rows_of(answers, "circle")
    return dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))


def test_the_self_description_goes_to_the_profile_question(tmp_path: Path):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    got = _placed(tmp_path)
    assert got["The people behind this response"] == "about", got
    # the other sections keep their questions
    assert got["Thursday evenings"] == "hours"
    assert got["Sundays at the central library"] == "sundays"
    assert got["What losing the evenings would mean"] == "effects"


def test_without_the_reader_it_stays_in_the_preamble(tmp_path: Path, monkeypatch):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    monkeypatch.setattr(selfsection, "for_document", lambda *a, **k: None)
    got = _placed(tmp_path)
    assert "The people behind this response" not in got
    assert "about" not in got.values()


def test_the_model_reads_the_features_it_was_fitted_on():
    m = selfsection.model()
    assert m["features"] == list(selfsection.FEATURES)
    assert len(m["coef"]) == len(m["mean"]) == len(m["scale"]) == len(selfsection.FEATURES)
    assert selfsection.FEATURES[: len(bodykind.FEATURES)] == bodykind.FEATURES
    assert m["threshold"] == 0.5  # session 28: chosen leave-one-batch-out (26 of 29 folds)


def _free(*sections: tuple[str, str]) -> tuple[str, list[tuple]]:
    """A text of (heading, body) sections and the joint reading's section tuples."""
    text, free = "", []
    for heading, body in sections:
        a = len(text)
        text += heading + "\n"
        b = len(text)
        text += body + "\n\n"
        free.append((a, b, len(text), heading, body))
    return text, free


SELF = (
    "Who's writing",
    "Riverside Cycling Club has 230 members, most of them living in the borough, "
    "and has run family rides from the leisure centre since 1998.",
)
VIEW = (
    "Evenings",
    "We strongly disagree with closing at five. It is the wrong decision and the "
    "council should keep the branches open until seven.",
)


def test_the_likeliest_section_is_taken_only_above_the_threshold(library_qs):
    text, free = _free(VIEW, SELF)
    # columns: about (profile), hours, sundays, effects, other
    scores = np.array([[0.30, 0.90, 0.40, 0.50, 0.40], [0.85, 0.35, 0.30, 0.40, 0.45]])
    placed = [(1, 0.3), (None, 0.0)]
    x = np.vstack([selfsection.features(text, free, s, scores, 0, placed, 0.1) for s in (0, 1)])
    f = dict(zip(selfsection.FEATURES, x[1], strict=True))
    assert f["profile_margin"] == pytest.approx(0.40)  # 0.85 against "other" 0.45
    assert f["profile_best"] == 1.0 and f["placed_by_words"] == 0.0 and f["place"] == 1.0
    assert dict(zip(selfsection.FEATURES, x[0], strict=True))["placed_by_words"] == 1.0
    p = selfsection.probability(x)
    assert p[1] > 0.6 > p[0]
    got = selfsection.profile_section(text, free, scores, 0, placed, 0.1)
    assert got is not None and got[0] == 1
    # the same evidence for the profile question as for the best other: not taken
    low = scores.copy()
    low[1, 0] = 0.45
    assert selfsection.profile_section(text, free, low, 0, placed, 0.1) is None


def test_a_document_that_answers_the_profile_question_is_left_alone(library_qs):
    text, free = _free(VIEW, SELF)
    scores = np.array([[0.30, 0.90, 0.40, 0.50, 0.40], [0.85, 0.35, 0.30, 0.40, 0.45]])
    placed = [(1, 0.3), (None, 0.0)]
    rows = pd.DataFrame({"question_id": ["preamble", "hours"]})
    got = selfsection.for_document(rows, text, free, scores, library_qs, placed, joint.MARGIN)
    assert got is not None and got[:2] == (1, 0)
    rows = pd.DataFrame({"question_id": ["about", "hours"]})
    assert selfsection.for_document(rows, text, free, scores, library_qs, placed, 0.1) is None


@pytest.fixture(scope="module")
def library_qs(tmp_path_factory):
    return library_questions(tmp_path_factory.mktemp("library-q25"))


def test_a_self_description_already_under_the_profile_question_stays_there(library_qs):
    text, free = _free(VIEW, SELF)
    scores = np.array([[0.30, 0.90, 0.40, 0.50, 0.40], [0.85, 0.35, 0.30, 0.40, 0.45]])
    placed = [(1, 0.3), (None, 0.0)]
    (_, b0, e0, _, _), (_, b1, e1, _, _) = free
    # the earlier steps put the self-description under "about": it is held there
    rows = pd.DataFrame({"question_id": ["hours", "about"], "start": [b0, b1], "end": [e0, e1]})
    assert selfsection.settled(rows, text, free, scores, library_qs, placed, 0.1) == [1]
    # a view the earlier steps put under "about" is not: the joint reading may move it
    rows = pd.DataFrame({"question_id": ["about", "other"], "start": [b0, b1], "end": [e0, e1]})
    assert selfsection.settled(rows, text, free, scores, library_qs, placed, 0.1) == []
