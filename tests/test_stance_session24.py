"""Session 24 (issue 13): the quoted sentence, whose view a word states, the refitted map."""

from __future__ import annotations

import json
from importlib import resources
from types import SimpleNamespace

import pytest

from benchmarks import stance_collect
from helpers.stance import calibration
from helpers.stance.discourse import refine
from helpers.stance.evidence_pick import pick_quote
from helpers.stance.infer import infer_stance
from helpers.stance.voice import READ_BY_DISCOURSE, whose_view


def _read(text: str):
    return refine(text, infer_stance(text))


# -- the quoted sentence: the reading that weighed most ---------------------------------


@pytest.mark.parametrize(
    ("text", "stance", "quote"),
    [
        # Spent item sets (stance-items-6 of6-060, -5 tr5-013): the verdict, not the first cue.
        ("Far too rushed. Strongly disagree.", "strongly_disagree", "Strongly disagree."),
        (
            "Completely opposed. Eighteen months of chaos while you 'experiment' on our "
            "streets is unacceptable.",
            "strongly_disagree",
            "Completely opposed.",
        ),
        # Written for the test: a story, then a short closing verdict that outweighs it.
        (
            "It seemed sensible at first. Having read the plan: no, we object.",
            "disagree",
            "Having read the plan: no, we object.",
        ),  # fmt: skip
    ],
)
def test_the_heaviest_reading_is_quoted(text: str, stance: str, quote: str) -> None:
    r = _read(text)
    assert r.stance == stance
    assert r.evidence == quote


def test_pick_quote_takes_the_heaviest_and_the_first_of_equals() -> None:
    a, b, c = object(), object(), object()
    ca, cb, cc = (SimpleNamespace(sentence=s) for s in ((0, 10), (11, 20), (21, 30)))
    winners = [(a, ca), (b, cb), (c, cc)]
    assert pick_quote(winners, {id(a): 1.0, id(b): 2.0, id(c): 2.0}, ca) == (11, 20)
    assert pick_quote(winners, {id(a): 1.0, id(b): 1.0, id(c): 1.0}, cc) == (0, 10)
    assert pick_quote([], {}, cc) == (21, 30)


# -- whose view: the writer's own or another's ------------------------------------------


def _view(text: str, word: str, classes: tuple[str, ...] | None = None) -> str:
    low = text.lower()
    at = low.index(word)
    if classes is None:
        return whose_view(low, at, at + len(word))
    return whose_view(low, at, at + len(word), classes)


@pytest.mark.parametrize(
    ("text", "word", "view"),
    [
        ("Everyone on my road agrees it's overdue. I don't.", "agrees", "other"),
        ("My sister ticked 'support' for both of us.", "support", "other"),
        ("They backed it at the meeting.", "backed", "other"),
        ("Anyone who supports this has never driven here.", "supports", "other"),
        ("Children who have waited long enough deserve it.", "waited long enough", "other"),
        ("Honestly, I'm expected to say yes, being on the board.", "yes", "other"),
        ("For the sake of argument, you could argue it's a good idea.", "good idea", "other"),
        # The writer's own: "I"/"we" the subject, "our" + noun, the own voice taking over.
        ("I support it.", "support", "own"),
        ("Our parish council supports the trial.", "supports", "own"),
        ("My neighbours object, and I agree with them.", "agree", "own"),
        ("Yes.", "yes", "own"),
        ("We think it is a good idea.", "good idea", "own"),
    ],
)
def test_whose_view(text: str, word: str, view: str) -> None:
    assert _view(text, word) == view


def test_whose_view_reads_only_the_classes_asked() -> None:
    text = "My neighbour thinks it's a disgrace."
    assert _view(text, "disgrace", ("near",)) == "other"
    assert _view(text, "disgrace", ("who",)) == "own"
    assert READ_BY_DISCOURSE == ()  # none chosen leave-one-set-out (docs/stance.md)


def test_a_balanced_report_of_two_groups_stays_no_side() -> None:
    # stance-items-14 tr14-023 (gold neither): why the "who" reading is not switched on. It
    # reads the verbs right after "who" as another's; conceding only those tipped the balance.
    text = (
        "On the bus gate, the panel could not reach a view: tenants who drive were against it "
        "and tenants who rely on the bus were for it."
    )
    low = text.lower()
    at = low.index("rely")
    assert whose_view(low, at, at + 4, ("who",)) == "other"
    assert _read(text).stance == "neither"


def test_a_relative_clause_about_others_is_theirs() -> None:
    # stance-items-23 of23-046: "waited long enough" is said of the young people.
    text = "young people who have waited long enough."
    at = text.index("waited")
    assert whose_view(text, at, at + len("waited long enough"), ("who",)) == "other"
    assert whose_view(text, at, at + len("waited long enough"), ("agent",)) == "own"


# -- the confidence map, refitted on 19 sets as first scored ----------------------------


def test_map_refitted_with_batch_26() -> None:
    path = resources.files("helpers").joinpath("data", calibration.MAP_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    fitted = set(data["fitted_on"])
    assert {"stance-items-23@aefa108", "ofsted-docs-26@aefa108", "transport-26@aefa108"} <= fitted
    assert len(fitted) >= 19  # 22 since session 25 (batch 27 added)
    # Never a set held back (batch 28 and stance-items-25 are spent since session 26).
    assert not any(stance_collect._forbidden(s.split("@")[0]) for s in fitted)
    # A cue's 0.9 right about nine times in ten; "no position found" about a third.
    assert 0.88 <= calibration.calibrated("text", "agree", 0.9) <= 0.94  # 0.933 since session 27
    assert 0.33 <= calibration.calibrated("text", "not_answered", 0.35) <= 0.43  # 0.417 (s. 28)
