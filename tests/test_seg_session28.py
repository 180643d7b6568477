"""Session 28 (issue 12): the self-description reader sees a self frame after a section's own
running label ("Leg 1 – who we are"), refitted on batches 2-30 (``selfsection``); a timeline's
clock-time headings open the joint reading's sections (``timeline``, ``joint``).

The documents are written for these tests under the library consultation of ``builders`` (a
consultation the reader was not fitted on); the weights are the shipped
``helpers/data/self_section_model.json``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from builders import ingest_library, rows_of

from benchmarks import seg_self_train
from helpers.core import embedding
from helpers.ingest.segment import joint, selfsection, timeline

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

# Every section carries the writer's own running label (legs of a walk); the frame comes
# after it. The whole heading "Leg 1 – who we are" is no frame the heading rules know.
WALK = """\
The Northgate Ramblers on the library plans

Leg 1 – who we are
The Northgate Ramblers are a walking club of forty members, most of us retired, founded in 1987. We meet at the Northgate branch before every walk.

Leg 2 – closing time
We strongly disagree with closing the branches at five. Our members use the branch in the evening after the walks and would have nowhere to go.

Leg 3 – Sundays
We welcome Sunday opening at the central library and support it fully.

Leg 4 – what it would do to us
Several members live alone, and the evenings at the branch are the only time they meet anyone in the week. Without them they would be isolated.

Happy walking,
The Northgate Ramblers
"""


def _placed(tmp_path: Path) -> dict[str, str]:
    docs = {f"headed-about-{k}": HEADED.format(who=w, effect=e) for k, (w, e) in enumerate(WHO)}
    answers, _ = ingest_library(tmp_path, {"walk": WALK, **docs})
    rows = rows_of(answers, "walk")
    return dict(zip(rows["heading_text"].fillna(""), rows["question_id"], strict=True))


@pytest.mark.parametrize(
    "heading",
    [
        "Leg 1 – who we are",
        "On the pass – who we are",
        "Stop 1 – Getting on: who we are",
        "Prologue: who is writing",
        "0 => who I am",
        "1 · About the Ramblers",
        "關於我們 About us",
    ],
)
def test_a_self_frame_after_a_label_is_read(heading: str):
    assert selfsection.label_self_frame(heading)


@pytest.mark.parametrize(
    "heading",
    [
        "Who we are",  # the whole heading is the frame: the ``self_frame`` feature's
        "About us",
        "Leg 2 – closing time",
        "Round 1 – Meet the team",  # no self frame after the label
        "Annex 1",
        "Getting to work",
        "How it hits me",
        "",
    ],
)
def test_no_self_frame_after_a_label(heading: str):
    assert not selfsection.label_self_frame(heading)


def test_the_labelled_self_description_goes_to_the_profile_question(tmp_path: Path):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    got = _placed(tmp_path)
    assert got["Leg 1 – who we are"] == "about", got
    assert got["Leg 2 – closing time"] == "hours"
    assert got["Leg 3 – Sundays"] == "sundays"
    assert got["Leg 4 – what it would do to us"] == "effects"


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


VIEW = (
    "Leg 2 – closing time",
    "We strongly disagree with closing at five. It is the wrong decision and the "
    "council should keep the branches open until seven.",
)
BODY = "We meet at the Northgate branch every Tuesday and most of us have used it for years."
# columns: about (profile), hours, sundays, effects, other; the words barely favour "about"
SCORES = np.array([[0.30, 0.90, 0.40, 0.50, 0.40], [0.55, 0.45, 0.30, 0.40, 0.50]])
PLACED = [(1, 0.3), (None, 0.0)]


@pytest.mark.parametrize(
    ("heading", "taken"),
    [("Leg 1 – who we are", True), ("Leg 1 – before we start", False), ("Leg 1", False)],
)
def test_the_frame_after_the_label_tips_a_weak_section(heading: str, taken: bool):
    text, free = _free(VIEW, (heading, BODY))
    got = selfsection.profile_section(text, free, SCORES, 0, PLACED, 0.1)
    assert (got is not None and got[0] == 1) is taken


def test_without_the_label_feature_the_same_section_is_not_taken(monkeypatch):
    monkeypatch.setattr(selfsection, "label_self_frame", lambda heading: False)
    text, free = _free(VIEW, ("Leg 1 – who we are", BODY))
    assert selfsection.profile_section(text, free, SCORES, 0, PLACED, 0.1) is None


def test_the_model_reads_the_features_it_was_fitted_on():
    m = selfsection.model()
    assert m["features"] == list(selfsection.FEATURES)
    assert selfsection.FEATURES[-1] == "label_self_frame"
    assert len(m["coef"]) == len(selfsection.FEATURES)
    assert m["coef"][-1] > 0  # a self frame after a label is evidence for a self-description
    assert m["threshold"] == 0.5  # chosen leave-one-batch-out (26 of 29 folds)


def test_a_wrong_placement_of_another_answer_counts_as_lost():
    # two documents, each with two sections; the likeliest section of each is placed
    p = np.array([0.9, 0.1, 0.7, 0.2])
    y = np.array([True, False, False, False])
    meta = [
        ("s-2", 0, 0, True, "capacity", "Who we are"),
        ("s-2", 0, 1, True, "q1", "Our view"),
        ("s-2", 1, 0, True, "q3", "How it hits us"),  # another question's answer
        ("s-2", 1, 1, True, None, "Thanks"),
    ]
    got, placed = seg_self_train.decide(p, y, meta, range(4), 0.5)
    assert got == Counter(right=1, wrong=1, lost=1)
    assert [ok for ok, _p, _m in placed] == [True, False]
    got, _ = seg_self_train.decide(p, y, meta, range(4), 0.8)
    assert got == Counter(right=1, lost=0)


# A day told as a timeline: every section is headed by a clock time, alone or before the
# writer's own words (``timeline``); no heading names a question.
DIARY = """\
A Thursday with the library – Priya Shah

8.50am
I am a part-time carer and a library member for twenty years. I live in Westbrook with my mother.

5.40pm – too late again
We strongly disagree with closing the branches at five. I finish work at half past five and can never get to the branch on a weekday any more.

7.15pm – thinking about Sunday
I welcome Sunday opening at the central library and would go every week with my mother.

9.30pm – what it costs us
Without the evening hours my mother loses the only outing of her week, and I lose the quiet hour I had to study for my course.

Priya
"""


@pytest.mark.parametrize(
    ("line", "stamped"),
    [
        ("6.40am", True),
        ("7.00am – the camera switches on", True),
        ("12.30p.m. – lunchtime", True),
        ("03:20 Should leaving care get its own grade?", True),
        ("24:30 Any other business", True),
        ("2.10 Parking", False),  # a section number, not a time
        ("1.1 Introduction", False),
        ("7.00", False),
        ("14 Mill Lane", False),
        ("7.30am start would be better for everyone.", False),  # a sentence
        ("9pm – after the kids are in bed", True),
        ("9am", True),
        ("7 Park Road", False),  # an address: no "am" / "pm"
    ],
)
def test_a_clock_time_heading_is_read_by_shape(line: str, stamped: bool):
    assert timeline._stamped(line) is stamped


def test_one_time_stamped_line_is_no_timeline():
    text = "Our view\n\n7.30am – the school run\nIt takes twice as long now.\n\nThanks\n"
    assert timeline.stamp_starts(text, len(text)) == {}
    starts = timeline.stamp_starts(DIARY, len(DIARY))
    assert [DIARY[a : DIARY.index("\n", a)] for a in starts] == [
        "8.50am",
        "5.40pm – too late again",
        "7.15pm – thinking about Sunday",
        "9.30pm – what it costs us",
    ]
    # each body starts on the line after its time stamp
    assert [DIARY[b : b + 9] for b in starts.values()] == [
        "I am a pa",
        "We strong",
        "I welcome",
        "Without t",
    ]


def _diary(tmp_path: Path) -> dict[str, str]:
    docs = {f"headed-about-{k}": HEADED.format(who=w, effect=e) for k, (w, e) in enumerate(WHO)}
    answers, _ = ingest_library(tmp_path, {"diary": DIARY, **docs})
    rows = rows_of(answers, "diary")
    return {
        " ".join(t.split())[:25]: q
        for t, q in zip(rows["answer_text"], rows["question_id"], strict=True)
    }


def test_a_timeline_is_read_section_by_section(tmp_path: Path):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    got = _diary(tmp_path)
    # the first section, under a bare time, is the writer's self-description
    assert got["I am a part-time carer an"] == "about", got
    assert got["5.40pm – too late again W"] == "hours"
    assert got["7.15pm – thinking about S"] == "sundays"
    assert got["9.30pm – what it costs us"] == "effects"


def test_without_the_timeline_rule_the_first_section_is_misread(tmp_path: Path, monkeypatch):
    if not embedding.available():
        pytest.skip("sentence-embedding model not installed")
    monkeypatch.setattr(joint, "TIMELINE", False)
    got = _diary(tmp_path)
    assert "about" not in got.values(), got
