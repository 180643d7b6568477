"""Session 28 (issue 13): the polarity reader, scale points given in short, the map refit.

``stance.polarity`` reads a verb of opinion with its negation and its object ("we agree with
those who say it is a mistake": disagreement); ``stance.polarity_turn`` turns an answer's
opposite or missing reading when an inverted hit decides. ``stance.shortform`` reads "SA",
"SD.", "DK" and a number beside its legend, from the scale's labels. Expected values are
hand-checked; the spent-set phrasings are quoted from the item sets named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.stance_polarity_synth import TEMPLATES, split_templates
from helpers.core.consultation import load_consultation
from helpers.stance.calibration import calibrated
from helpers.stance.discourse import refine
from helpers.stance.infer import infer_stance
from helpers.stance.polarity import hits
from helpers.stance.polarity_turn import by_polarity, polarity_side
from helpers.stance.shortform import short_form, short_forms
from helpers.stance.table import stance_answers

ROOT = Path(__file__).resolve().parent.parent
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"
TRANSPORT = ROOT / "data" / "evaluation" / "transport" / "consultation.yaml"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # spent sets, read the wrong way round before (gold disagree)
        ("It was agreed by the group that January is too soon.", -1),  # stance-items-23
        ("Not in favour. The sooner the better, I'd say, not years down the line.", -1),  # -3
        # the class's shapes
        ("I agree with those who say this is a mistake.", -1),
        ("We reject the claim that it is unnecessary.", 1),
        ("I'd support scrapping the scheme.", -1),
        ("I oppose keeping things as they are.", 1),
        ("Honestly, I can't disagree with it.", 1),
        ("We have no objection whatsoever to the change.", 1),
    ],
)
def test_polarity_side(text: str, side: int) -> None:
    got = polarity_side(text)
    assert got is not None and got[0] == side


@pytest.mark.parametrize(
    "text",
    [
        "I agree with the proposal.",  # plain: the rules read it, no inverted hit
        "We could not be more in favour.",  # an intensifier, not a negation
        "I'm not against buses, but this is not fair for people who work shifts.",  # contrast
        "I wouldn't say no to a trial. Better than it going in permanent with no way back.",
        "I left care three years ago and honestly the support just stopped.",  # a noun
        "Eighteen Is Not An Ending supports the separate judgement.",  # a name's "Not"
        "It isn't fair to judge people against rules they haven't seen.",  # a preposition
        "That said, if the judgement is built on the same indicators, we would find it hard "
        "to go on supporting it.",  # a condition
        # stance-items-15 (gold disagree): a correction follows the disclaimer
        "It is not that we are against scrutiny of leaving care. It is that we are against yet "
        "another grade on top of the four we already have.",
    ],
)
def test_no_polarity_side(text: str) -> None:
    assert polarity_side(text) is None


def test_hits_read_the_object() -> None:
    (h,) = hits("I agree with everyone who has objected to the change.")
    assert (h.kind, h.side, h.negated) == ("critic", -1, False)  # the relative clause not re-read


def test_by_polarity_turns_only_the_opposite_or_none() -> None:
    text = "I agree with those who say this plan is a mistake. Thanks."
    first = refine(text, infer_stance(text))
    assert first.stance == "agree"  # the surface word
    got = by_polarity(text, [(0, len(text))], first, None)
    assert got.stance == "disagree"
    assert got.evidence == "I agree with those who say this plan is a mistake."
    middle = refine("Neither agree nor disagree.", infer_stance("Neither agree nor disagree."))
    assert by_polarity(text, [(0, len(text))], middle, None) is middle


def _read(path: Path, qid: str, text: str) -> tuple[str, str]:
    consultation = load_consultation(path)
    answers = pd.DataFrame([{
        "respondent_id": "r1", "question_id": qid, "start": 0, "end": len(text),
        "tick_box": None, "answer_text": text, "match_method": "heading", "substantive": True,
    }])  # fmt: skip
    respondents = pd.DataFrame([{"respondent_id": "r1", "text": text}])
    table = stance_answers(answers, respondents, consultation)
    row = table[table["question_id"] == qid].iloc[0]
    return row["stance"], row["evidence"]


@pytest.mark.parametrize(("path", "qid"), [(OFSTED, "q1"), (TRANSPORT, "ltn")])
@pytest.mark.parametrize(
    ("text", "stance", "evidence"),
    [
        ("SA", "strongly_agree", "SA"),
        ("SD - far too soon.", "strongly_disagree", "SD"),
        ("DK", "dont_know", "DK"),
        ("N", "neither", "N"),
        ("Score: 4 (1 = strongly disagree, 5 = strongly agree)", "agree", "4"),
        ("I agree with those who say this is a mistake.", "disagree",
         "I agree with those who say this is a mistake."),
        ("I'd support scrapping it.", "disagree", "I'd support scrapping it."),
    ],
)  # fmt: skip
def test_through_the_table(path: Path, qid: str, text: str, stance: str, evidence: str) -> None:
    assert _read(path, qid, text) == (stance, evidence)


def test_short_forms_come_from_the_labels() -> None:
    assert short_forms() == {
        "SA": "strongly_agree", "A": "agree", "NAND": "neither", "N": "neither",
        "D": "disagree", "SD": "strongly_disagree", "DK": "dont_know",
    }  # fmt: skip
    labels = {
        "strongly_agree": "Strongly support", "agree": "Support",
        "neither": "Neither support nor oppose", "disagree": "Oppose",
        "strongly_disagree": "Strongly oppose", "dont_know": "Don't know",
    }  # fmt: skip
    assert short_forms(labels)["SO"] == "strongly_disagree"
    assert short_form("SO - not here.", labels) == ("strongly_disagree", 0, 2)
    assert short_form("SD", labels) is None  # not this scale's


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("SA.", "strongly_agree"),
        ("Answer: SD", "strongly_disagree"),
        ("D - too soon", "disagree"),
        ("DK - haven't read it", "dont_know"),
        ("Rating: 2 (where 1 = strongly agree and 5 = strongly disagree)", "agree"),
        ("3 (1 = strongly disagree, 5 = strongly agree)", "neither"),
        ("Score 5 (1 = strongly disagree, 5 = strongly agree)", "strongly_agree"),
    ],
)
def test_short_form(text: str, point: str) -> None:
    got = short_form(text)
    assert got is not None and got[0] == point


@pytest.mark.parametrize(
    "text",
    [
        "4",  # a bare number: no legend, no direction
        "A January start is fine.",
        "A. Background\nWe think the date is right.",  # a list label
        "D: Actually I'm fine with this one.",  # a speaker's label
        "A 'trial'. Right.",
        "N/A",
        "Strongly A.",
    ],
)
def test_not_a_short_form(text: str) -> None:
    assert short_form(text) is None


def test_synthetic_halves_are_disjoint_by_template() -> None:
    halves = split_templates()
    dev = {t for _, _, t in halves["dev"]}
    held = {t for _, _, t in halves["heldout"]}
    assert not dev & held
    assert len(dev) + len(held) == len(TEMPLATES)


def test_the_map_refit_with_batch_30() -> None:
    data = json.loads((ROOT / "src" / "helpers" / "data" / "stance_calibration.json").read_text())
    assert "stance-items-27@1f9ff45" in data["fitted_on"]
    # the low end lifted, the top lowered (session 28: levels pooled to 0.1)
    assert calibrated("text", "agree", 0.45) == pytest.approx(0.666, abs=0.001)
    assert calibrated("text", "agree", 0.9) == pytest.approx(0.918, abs=0.001)
    assert calibrated("tick_box", "agree", 1.0) == 1.0
