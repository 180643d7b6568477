"""Session 27 (issue 12): a letter's edge paragraphs read by their own model
(``helpers.ingest.segment.letteredge``), and the unit-level census of unplaced answers.

The reader's candidates are checked on a letter written for these tests to the library
consultation of ``builders`` (no development set's wording), with decoder scores set by hand:
which edge paragraphs are candidates and which question each one gets are worked out by
hand from the rules in the module's docstring (unanswered, in the letter's order, the best
score). The reader places a candidate only at its threshold and only after the decoder it
was fitted with. The shipped file is checked against the features and the shipped decoder.
"""

from __future__ import annotations

import numpy as np
import yaml
from builders import LIBRARY_CONSULTATION

from benchmarks.letter_subclass import classify
from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import letteredge, letterseq
from helpers.ingest.segment.units import NONE, Unit, _spans

NONE_C, ABOUT, HOURS, SUNDAYS, EFFECTS, OTHER = range(6)

LETTER = (
    "Dear library team,\n\n"
    "Please keep the branch open until eight on weekday evenings, as it is now.\n\n"
    "Opening on Sundays would let me bring my children after their football.\n\n"
    "My daughter has started reading far more since the Saturday club began.\n\n"
    "Yours faithfully,\nA reader"
)


def _questions():
    return tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION)).questions)


def _units(text: str) -> list[Unit]:
    return [
        Unit(s, e, NONE, "unstructured", "unstructured", 0.0, True, False)
        for s, e in _spans(text, 0, len(text))
    ]


def _setup():
    qs = _questions()
    units = _units(LETTER)
    sims = np.full((len(units), len(qs)), 0.2)
    feats = letterseq.features(LETTER, units, qs, sims, sims)
    # decoder scores (units x choices): "no question" 0 everywhere; the opening paragraph
    # scores best for Sundays (answered elsewhere), then weekday hours; the paragraph after
    # the Sunday answer best for weekday hours (before the Sunday answer in the order),
    # then effects, then "other"
    score = np.full((len(units), 6), -3.0)
    score[:, NONE_C] = 0.0
    score[1, [SUNDAYS, HOURS, EFFECTS]] = [2.0, 1.0, -1.0]
    score[3, [HOURS, EFFECTS, OTHER]] = [3.0, 0.5, -0.5]
    score[4, [ABOUT, OTHER]] = [-2.0, -1.0]
    labels = [NONE, NONE, "sundays", NONE, NONE]
    return qs, units, feats, score, labels


def test_edge_candidates_are_unanswered_questions_in_the_letters_order():
    qs, units, feats, score, labels = _setup()
    got = letteredge.candidates(LETTER, units, qs, feats, score, labels)
    # units 0, 1, 3 and 4 are edges. Sundays is answered, so the opening (unit 1) takes
    # weekday hours, the only question before Sundays in the order; the paragraph after
    # the Sunday answer (unit 3) cannot take weekday hours (before Sundays): effects, its
    # best after; the sign-off (unit 4) takes "other" (-1) over the profile question (-2,
    # outside the order) and effects (-3)
    chosen = {i: j for i, j, _ in got}
    assert chosen[1] == HOURS
    assert chosen[3] == EFFECTS
    assert chosen[4] == OTHER
    assert 2 not in chosen  # the placed paragraph is no candidate
    row = {i: r for i, _, r in got}
    ix = {n: k for k, n in enumerate(letteredge.FEATURES)}
    assert row[1][ix["margin"]] == 1.0 and row[1][ix["before"]] == 1
    assert row[3][ix["margin"]] == 0.5 and row[3][ix["before"]] == 0
    assert row[1][ix["closed"]] == 1 and row[3][ix["closed"]] == 0
    assert row[4][ix["last"]] == 1 and row[3][ix["dist"]] == 1 and row[4][ix["dist"]] == 2


def test_a_letter_with_nothing_placed_has_no_edge_candidates():
    qs, units, feats, score, _ = _setup()
    assert letteredge.candidates(LETTER, units, qs, feats, score, [NONE] * len(units)) == []


def _reader(decoder: dict, threshold: float = 0.5, enabled: bool = True) -> dict:
    """Weights on the margin alone: probability 0.5 at margin 0.75."""
    n = len(letteredge.FEATURES)
    coef = [0.0] * n
    coef[0] = 4.0
    return {
        "features": list(letteredge.FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": coef,
        "intercept": -3.0,
        "threshold": threshold,
        "enabled": enabled,
        "decoder": letteredge.decoder_key(decoder),
    }


DECODER = {"features": ["none_bias"], "coef": [1.0], "keep": 2.0, "cont": 0.0, "back": 2.0}


def test_the_reader_places_candidates_over_its_threshold_after_its_own_decoder_only():
    qs, units, feats, score, labels = _setup()
    args = (LETTER, units, qs, feats, score, labels)
    # margins: unit 1 +1.0 (p 0.73), unit 3 +0.5 (p 0.27), unit 4 -1.0: only unit 1 placed
    got = letteredge.place_edges(*args, _reader(DECODER), DECODER)
    assert got == [NONE, "hours", "sundays", NONE, NONE]
    assert letteredge.place_edges(*args, _reader(DECODER, 0.2), DECODER)[3] == "effects"
    # another decoder (a refit, or hand-set weights), the reader off, or no reader: unchanged
    other = dict(DECODER, keep=1.0)
    assert letteredge.place_edges(*args, _reader(DECODER), other) == labels
    assert letteredge.place_edges(*args, _reader(DECODER, enabled=False), DECODER) == labels
    assert letteredge.place_edges(*args, None, DECODER) == labels


def test_the_shipped_reader_names_the_features_and_the_shipped_decoder():
    w = letteredge.load_edge()
    assert w is not None and w["enabled"]
    assert w["features"] == list(letteredge.FEATURES)
    assert len(w["coef"]) == len(w["mean"]) == len(w["scale"]) == len(letteredge.FEATURES)
    assert w["decoder"] == letteredge.decoder_key(letterseq.load_decoder())
    assert 0.0 < w["threshold"] <= 1.0
    # the decoder's margin over "no question" raises the probability
    assert w["coef"][letteredge.FEATURES.index("margin")] > 0


def test_unit_census_classes():
    # five units: greeting (gold none), an opening that answers q1 left out, q2 placed,
    # a middle unit answering q3 left out with no topic words, the sign-off (gold none)
    feats = np.zeros((5, 4, len(letterseq.FEATURES)))
    d = {"gold": [0, 1, 2, 3, 0], "features": feats}
    lab = [0, 0, 2, 0, 2]
    parts = [{}, {"q1": 1.0}, {"q2": 1.0}, {"q3": 1.0}, {}]
    ids = [NONE, "q1", "q2", "q3"]
    got = dict(classify(d, lab, parts, ids))
    assert got == {
        0: "edge courtesy (gold none)",
        1: "unplaced: edge answer first",
        3: "unplaced: middle",
    }
    # the same middle unit naming its question's topic words is an echo; a unit gold gives
    # in parts to two questions is "two in one"
    feats[3, 3, letterseq.FEATURES.index("lex_para")] = 0.5
    assert dict(classify(d, lab, parts, ids))[3] == "unplaced: echo"
    parts[1] = {"q1": 0.6, "q2": 0.4}
    got = classify(d, lab, parts, ids)
    assert (1, "two in one, decoded none") in got and (1, "unplaced: two in one") in got
