"""Session 27 (issue 13): a yes/no question the writer asks and answers, either way; the map.

``stance.selfanswer`` reads "Am I against X? Yes.", "Would I object to X? No, why would I.",
"Is there anything wrong with X? Not that I can think of." as the question's own position
times the reply. The phrasings below were written for these tests (a school run, a shop, a
care team) on the two development consultations' questions; look-alikes stay unread.

The confidence map (``stance.calibration``) was refitted with batch 29 as first scored.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from benchmarks import stance_collect
from benchmarks.stance_flip_census import mechanism
from helpers.core.consultation import Consultation, load_consultation
from helpers.stance import calibration, infer_stance
from helpers.stance.comparison import question_words
from helpers.stance.discourse import refine
from helpers.stance.selfanswer import by_self_answer, self_answered

ROOT = Path(__file__).resolve().parent.parent / "data" / "evaluation"


@cache
def _consultation(name: str) -> Consultation:
    return load_consultation(ROOT / name / "consultation.yaml")


def _words(name: str, qid: str):
    return question_words(_consultation(name), qid)


@pytest.mark.parametrize(
    ("consultation", "qid", "text", "direction"),
    [
        # The question holds a position word; the reply keeps or turns it.
        ("transport", "bus_gate", "Do I oppose the bus gate? Yes, I do.", -1),
        ("transport", "ltn", "Would we object to the filters staying? No, not at all.", 1),
        ("ofsted-docs", "q1", "Do I disagree with a grade for care leavers? Never.", 1),
        ("transport", "trial", "Is there anything wrong with a trial? Not that we can see.", 1),
        ("ofsted-docs", "q1", "Do I support a separate grade? I do. Long overdue.", 1),
        # No position word: the question names the proposal itself.
        ("ofsted-docs", "q3", "Should the judgement start in January? Yes.", 1),
        (
            "ofsted-docs",
            "q3",
            "Should the judgement start in January? No. Give us until April.",
            -1,
        ),
    ],
)
def test_self_answered(consultation: str, qid: str, text: str, direction: int) -> None:
    found = self_answered(text, _words(consultation, qid))
    assert found is not None
    assert found[0] == direction
    assert text[found[1] :].startswith(text.split("?")[0][:10])


@pytest.mark.parametrize(
    ("consultation", "qid", "text"),
    [
        # A question about something else, with no position: not read.
        ("ofsted-docs", "q3", "Will the inspectors be trained by then? No."),
        # A reply that argues, or turns on a contrast, is not a bare reply.
        (
            "transport",
            "bus_gate",
            "Is the bus gate a good idea? Yes, but the hours are far too long.",
        ),
        (
            "transport",
            "ltn",
            "Do I like the planters? Well, the school run is quicker and safer now.",
        ),
        # A negated question ("Isn't it time ...?") is read elsewhere.
        ("ofsted-docs", "q1", "Isn't it time care leavers had their own grade? Yes."),
        # Two pairs that disagree read nothing.
        (
            "ofsted-docs",
            "q3",
            "Would we rather have had April? Yes. Can we manage January? Also yes.",
        ),
        # No question at all.
        ("transport", "ltn", "No. The filters cut my shop off from the ring road."),
    ],
)
def test_not_self_answered(consultation: str, qid: str, text: str) -> None:
    assert self_answered(text, _words(consultation, qid)) is None


def test_by_self_answer_turns_the_opposite_reading() -> None:
    text = "Am I against the bus gate? Yes. Very much so."
    words = _words("transport", "bus_gate")
    first = refine(text, infer_stance(text))
    got = by_self_answer(text, [(0, len(text))], first, words)
    assert got is not None and got.stance == "disagree"
    assert got.evidence == "Am I against the bus gate? Yes."
    # A stated middle is never overturned.
    mid = refine("Neither agree nor disagree.", infer_stance("Neither agree nor disagree."))
    assert by_self_answer(text, [(0, len(text))], mid, words) is mid


@pytest.mark.parametrize(
    ("text", "evidence", "expected"),
    [
        ("Am I against the gate? Yes. Very much.", "Yes.", "own_question"),
        (
            "My neighbours say it is a good idea. I don't.",
            "My neighbours say it is a good idea.",
            "others_view",
        ),
        ("Who could object to that?", "Who could object to that?", "question"),
        ("We welcome the aim. But the hours are wrong.", "We welcome the aim.", "concession"),
        (
            "I'd rather have speed cameras than planters.",
            "I'd rather have speed cameras than planters.",
            "alternative",
        ),
    ],
)
def test_flip_census_mechanism(text: str, evidence: str, expected: str) -> None:
    assert mechanism(text, evidence) == expected


def test_no_position_found_is_left_to_the_gate() -> None:
    # MODE is "opposite" only (chosen leave-one-set-out): a reading of no position stays.
    text = "Would I mind the filters? Not really. Would I mind them gone? Not really either."
    words = _words("transport", "ltn")
    none = refine("The weather was fine.", infer_stance("The weather was fine."))
    assert none.stance == "not_answered"
    assert by_self_answer(text, [(0, len(text))], none, words) is none


def test_map_refitted_with_batch_29_as_first_scored() -> None:
    path = resources.files("helpers").joinpath("data", calibration.MAP_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    fitted = set(data["fitted_on"])
    first = {"stance-items-26@238edf1", "ofsted-docs-29@238edf1", "transport-29@238edf1"}
    assert first <= fitted
    assert len(fitted) >= 28  # 31 since session 28 (batch 30)
    # Every set as first scored (one release each), never a held-back one.
    assert all("@" in s and not s.endswith("now") for s in fitted)
    assert not any(stance_collect._forbidden(s.split("@")[0]) for s in fitted)
    # What moved (docs/stance.md "Session 27"): "no position found" 0.376 -> 0.397, a cue's
    # 0.9 -> 0.933, a letter at 0.59 -> 0.741; a weak text reading stays at its floor.
    # Session 28 (batch 30, levels pooled to 0.1; docs/stance.md "Session 28"): 0.417, 0.918,
    # 0.775, 0.666 (pinned in tests/test_stance_session28.py).
    assert 0.39 <= calibration.calibrated("text", "not_answered", 0.35) <= 0.43
    assert 0.9 <= calibration.calibrated("text", "agree", 0.9) <= 0.94
    assert 0.73 <= calibration.calibrated("unstructured", "agree", 0.59) <= 0.79
    assert 0.6 <= calibration.calibrated("text", "agree", 0.3) <= 0.68
