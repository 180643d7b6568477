"""Session 25 (issue 13): an elliptic closing verdict that names the proposal; the map refitted.

``stance.verdict`` reads an answer's last sentence when it is a verdict of a few words on the
question's own proposal ("... No to the LTN.", "... Keep the filters.", "... Not January.",
"... Now: no.", "... January."), which the discourse reader reads no position in, and turns a
reading of no position or of the opposite side to it. The phrasings below were written for
these tests (streets, shops, a school run) on the two development consultations' questions;
the look-alikes must stay as they were.

The confidence map (``stance.calibration``) was refitted with batch 27 as first scored.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from benchmarks import stance_collect
from helpers.core.consultation import Consultation, load_consultation
from helpers.stance import calibration, infer_stance
from helpers.stance.comparison import question_words
from helpers.stance.discourse import refine
from helpers.stance.result import StanceResult
from helpers.stance.verdict import by_verdict, closing_verdict, closing_verdicts, verdict_words

ROOT = Path(__file__).resolve().parent.parent / "data" / "evaluation"


@cache
def _consultation(name: str) -> Consultation:
    return load_consultation(ROOT / name / "consultation.yaml")


def _words(name: str, qid: str):
    return verdict_words(_consultation(name), qid)


def _read(text: str) -> StanceResult:
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("consultation", "qid", "text", "direction"),
    [
        # A polarity word before the question's own words.
        ("transport", "ltn", "The school run is quieter, I grant you. No to the LTN.", -1),
        ("transport", "ltn", "Deliveries take longer now. But keep the filters.", 1),
        ("transport", "bus_gate", "My bus is late every day. Scrap the bus gate.", -1),
        ("ofsted-docs", "q3", "The criteria are still in draft. Not January.", -1),
        # A summing-up lead and a bare polarity word.
        ("transport", "trial", "Good for walkers, bad for the shops. Net: against.", -1),
        ("ofsted-docs", "q1", "I was doubtful at first. Now: yes.", 1),
        # The question's own name alone, closing the answer.
        ("ofsted-docs", "q3", "Councils have had years to prepare. So January.", 1),
        ("ofsted-docs", "q3", "We have talked it over as a team. January it is.", 1),
    ],
)
def test_closing_verdict(consultation: str, qid: str, text: str, direction: int) -> None:
    found = closing_verdict(text, _words(consultation, qid))
    assert found is not None
    d, s, e = found
    assert d == direction
    assert text[s:e] == text[text.rindex(". ") + 2 :]  # the last sentence


@pytest.mark.parametrize(
    ("consultation", "qid", "text"),
    [
        ("transport", "ltn", "We have lived here twenty years. Keep the current layout."),
        ("transport", "ltn", "I have read the leaflet twice. No idea."),
        ("transport", "bus_gate", "Others may object. Not me."),
        ("transport", "bus_gate", "Mark my words, the shops will close. I'm against the gate."),
        ("transport", "ltn", "The filters went in last March. For the buses it is fine."),
        ("ofsted-docs", "q3", "No."),  # the rules read a bare "No." already
        # A long last sentence is part of the story, not a verdict.
        (
            "transport",
            "ltn",
            "It is hard. No to the LTN unless the side streets get crossings too.",
        ),
    ],
)
def test_not_a_closing_verdict(consultation: str, qid: str, text: str) -> None:
    assert closing_verdict(text, _words(consultation, qid)) is None


def test_the_question_id_is_one_of_its_words() -> None:
    c = _consultation("transport")
    name, own = verdict_words(c, "ltn")
    assert "ltn" in own and "ltn" not in question_words(c, "ltn")[1]
    assert name == question_words(c, "ltn")[0]


def test_by_verdict_overturns_none_and_the_opposite_side() -> None:
    words = _words("transport", "ltn")
    text = "I agree the rat-running was bad. The planters are not the answer. No to the LTN."
    first = _read(text)
    assert first.direction == 1  # the story's "I agree" outweighs what the rules read
    got = by_verdict(text, [(0, len(text))], first, words)
    assert got.stance == "disagree" and got.evidence == "No to the LTN."
    assert text[got.start : got.end] == got.evidence
    # No position found: the verdict gives one.
    assert by_verdict(text, [(0, len(text))], None, words).stance == "disagree"
    # A stated middle stays ("neither" is not overturned by a closing word).
    neither = StanceResult("neither", 0.0, False, 0.7, "x", 0, 1, "discourse", ())
    assert by_verdict(text, [(0, len(text))], neither, words) is neither
    # The same side: unchanged (the same object).
    agree_text = "The street is calm now. Keep the LTN."
    r = _read(agree_text)
    r2 = by_verdict(agree_text, [(0, len(agree_text))], r, words)
    assert r2.stance == "agree"


def test_offsets_into_the_respondent_text() -> None:
    words = {"ltn": _words("transport", "ltn")}
    head = "Q1 heading\n"
    answer = "My kids can cross now. Keep the filters."
    text = head + answer
    read = {("r1", "ltn"): None}
    out = closing_verdicts(read, {"r1": text}, {("r1", "ltn"): [(len(head), len(text))]},
                           _consultation("transport"))  # fmt: skip
    r = out[("r1", "ltn")]
    assert r.stance == "agree" and text[r.start : r.end] == "Keep the filters."
    assert words["ltn"]  # the id "ltn" is a word of the question


def test_map_refitted_with_batch_27() -> None:
    path = resources.files("helpers").joinpath("data", calibration.MAP_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    fitted = set(data["fitted_on"])
    assert {"stance-items-24@07f4b1b", "ofsted-docs-27@07f4b1b", "transport-27@07f4b1b"} <= fitted
    assert len(fitted) >= 22  # 25 since session 26 (batch 28 added)
    assert not any(stance_collect._forbidden(s.split("@")[0]) for s in fitted)
    # A cue's 0.9 right about nine times in ten; a letter's 0.9 a little more (batch 27).
    assert 0.9 <= calibration.calibrated("text", "agree", 0.9) <= 0.94  # 0.933 since session 27
    assert 0.89 <= calibration.calibrated("unstructured", "agree", 0.9) <= 0.95  # 0.947 (s. 28)
    assert 0.33 <= calibration.calibrated("text", "not_answered", 0.35) <= 0.43  # 0.417 (s. 28)


def test_only_the_tail_of_a_long_answer_is_read() -> None:
    words = _words("ofsted-docs", "q3")
    story = "Our leaving care team has talked this over at length with the young people. " * 40
    text = story + "So January."
    d, s, e = closing_verdict(text, words)
    assert (d, text[s:e]) == (1, "So January.")
    # One long sentence ending in the name is no verdict, however long the answer.
    assert closing_verdict(story.replace(". ", ", ") + "so January.", words) is None


def _case(gold: str, said: str | None, ok: tuple[str, ...] = ()) -> dict:
    return {"gold": gold, "stance_ok": list(ok), "row": {"stance": said} if said else None}


def test_error_classes_of_the_census() -> None:
    from benchmarks.stance_classes import error_class

    assert error_class(_case("agree", "agree")) is None
    assert error_class(_case("strongly_agree", "agree", ("agree",))) is None
    assert error_class(_case("agree", "disagree")) == "flip"
    assert error_class(_case("strongly_disagree", "agree")) == "flip"
    assert error_class(_case("disagree", None)) == "pos>none"
    assert error_class(_case("not_answered", "agree")) == "none>pos"
    assert error_class(_case("neither", "disagree")) == "side<>mid"
    assert error_class(_case("strongly_agree", "agree")) == "strength"
