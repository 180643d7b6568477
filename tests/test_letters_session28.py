"""Session 28 (issues 12 and 13): which question an edge paragraph's candidate may be
(``helpers.ingest.segment.letteredge``'s ``choice``), the reader's named columns, and the
letter stance census's classes (``benchmarks.letter_stance_census``).

The letter and the decoder scores are session 27's (``test_letters_session27``: the library
consultation of ``builders``, no development set's wording); the candidates each choice gives
are worked out by hand from the module's docstring.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_letters_session27 import (
    DECODER,
    EFFECTS,
    HOURS,
    LETTER,
    OTHER,
    SUNDAYS,
    _reader,
    _setup,
)

from benchmarks.letter_stance_census import classify
from helpers.ingest.segment import letteredge
from helpers.ingest.segment.units import NONE

IX = {n: k for k, n in enumerate(letteredge.ALL_FEATURES)}


def test_order_choice_is_session_27s_and_its_rows_carry_the_extra_columns():
    qs, units, feats, score, labels = _setup()
    got = letteredge.candidates(LETTER, units, qs, feats, score, labels)
    assert {i: j for i, j, _ in got} == {
        i: j for i, j, _ in letteredge.candidates(LETTER, units, qs, feats, score, labels, "order")
    }
    row = {i: r for i, _, r in got}
    assert len(row[1]) == len(letteredge.ALL_FEATURES)
    # unit 1's candidate, weekday hours, is unanswered and in order; it ranks second by score
    # (Sundays 2.0, hours 1.0)
    assert row[1][IX["answered"]] == 0 and row[1][IX["in_order"]] == 1
    assert row[1][IX["adjacent"]] == 0 and row[1][IX["rank"]] == 1


def test_adjacent_choice_lets_an_opening_take_the_first_placed_answers_question():
    qs, units, feats, score, labels = _setup()
    got = letteredge.candidates(LETTER, units, qs, feats, score, labels, "adjacent")
    chosen = {i: j for i, j, _ in got}
    row = {i: r for i, _, r in got}
    # the opening (unit 1) scores best for Sundays, the placed paragraph's own question
    assert chosen[1] == SUNDAYS
    assert row[1][IX["answered"]] == 1 and row[1][IX["adjacent"]] == 1
    assert row[1][IX["in_order"]] == 0 and row[1][IX["rank"]] == 0
    # after the Sunday answer: effects (0.5) still beats Sundays (-3)
    assert chosen[3] == EFFECTS and row[3][IX["adjacent"]] == 0


def test_all_choice_gives_every_question_one_row_per_edge_unit():
    qs, units, feats, score, labels = _setup()
    got = letteredge.candidates(LETTER, units, qs, feats, score, labels, "all")
    per_unit: dict[int, list[int]] = {}
    for i, j, _ in got:
        per_unit.setdefault(i, []).append(j)
    assert per_unit[1] == [1, HOURS, SUNDAYS, EFFECTS, OTHER]
    assert 2 not in per_unit
    with pytest.raises(ValueError):
        letteredge.candidates(LETTER, units, qs, feats, score, labels, "nearest")


def test_the_reader_reads_only_the_columns_its_weights_name_and_takes_each_units_best():
    qs, units, feats, score, labels = _setup()
    found = letteredge.candidates(LETTER, units, qs, feats, score, labels, "all")
    rows = np.vstack([r for _, _, r in found])
    # weights on "adjacent" alone: the nearest placed answer's question is the most probable
    w = {"features": ["adjacent"], "mean": [0.0], "scale": [1.0], "coef": [5.0], "intercept": -2.0}
    p = letteredge.probability(rows, w)
    best = letteredge.best_per_unit(found, p)
    assert best[1][0] == SUNDAYS and best[3][0] == SUNDAYS
    assert best[1][1] == pytest.approx(1 / (1 + np.exp(-3.0)))
    with pytest.raises(ValueError):
        letteredge.probability(rows, dict(w, features=["no_such_feature"]))
    # the "all" reader places the opening under Sundays; with "order" it takes weekday hours
    reader = dict(_reader(DECODER), choice="all")
    reader.update(features=["adjacent"], mean=[0.0], scale=[1.0], coef=[5.0], intercept=-2.0)
    args = (LETTER, units, qs, feats, score, labels)
    assert letteredge.place_edges(*args, reader, DECODER)[1] == "sundays"
    assert letteredge.place_edges(*args, _reader(DECODER), DECODER)[1] == "hours"
    assert letteredge.place_edges(*args, _reader(DECODER), DECODER)[0] == NONE


def test_stance_census_classes():
    ok = {"agree"}
    assert classify("agree", ok, "agree") is None
    assert classify("agree", ok, "not_answered") == "not_answered, addressed"
    assert classify("not_answered", {"not_answered"}, "agree") == "side on unaddressed"
    assert classify("neither", {"neither"}, "disagree") == "side for neither / dont_know"
    flip = classify("strongly_agree", {"strongly_agree", "agree"}, "disagree")
    assert flip == "direction flip"
    assert classify("disagree", {"disagree"}, "neither") == "other"
