"""Session 26 (issue 12): letters' right-question misses by mechanism, and the letter
decoder's measured features.

``benchmarks.letter_census`` puts every gold answer of a letter that the evaluator does not
find under its question in one class (unplaced, wrong question, two in one paragraph) and
every misplaced row in one (courtesy placed, misplaced answer); the classifiers are checked
here on hand-made character ranges whose classes are worked out by hand. The decoder's
``mini_*`` features (the consultation's own sentence model, measured leave-one-batch-out and
not in the shipped weights) are computed only when their cosines are given, so ingest with
the shipped weights is unchanged.
"""

from __future__ import annotations

import numpy as np
import yaml
from builders import LIBRARY_CONSULTATION

from benchmarks.letter_census import classify_answer, classify_row
from helpers.core.consultation import parse_consultation
from helpers.ingest.segment import learned, letterseq
from helpers.ingest.segment.units import _spans


def test_an_answer_under_its_question_is_no_miss():
    # 95 of 100 characters under q1: over the evaluator's 90 %
    assert classify_answer("q1", (0, 100), {"q1": [(0, 95)]}, {"q1": [(0, 100)]}) is None


def test_an_answer_in_no_row_is_unplaced():
    assert classify_answer("q2", (100, 200), {"q1": [(0, 100)]}, {}) == "unplaced"
    # half under its question, the rest in no row: still unplaced (the missing part)
    got = classify_answer("q2", (100, 200), {"q2": [(100, 150)], "q1": [(0, 100)]}, {})
    assert got == "unplaced"


def test_an_answer_sharing_a_row_with_another_answer_is_two_in_one_paragraph():
    # one paragraph (0-200) holds the q1 answer (0-120) and the q2 answer (120-200) and was
    # placed under q1: the row is 60 % inside q1's gold answer
    gold = {"q1": [(0, 120)], "q2": [(120, 200)]}
    assert classify_answer("q2", (120, 200), {"q1": [(0, 200)]}, gold) == "two in one paragraph"


def test_an_answer_filed_under_another_question_is_wrong_question():
    # the q2 answer's paragraph alone went to q1, whose own answer is elsewhere (300-400)
    gold = {"q1": [(300, 400)], "q2": [(120, 200)]}
    assert classify_answer("q2", (120, 200), {"q1": [(120, 200)]}, gold) == "wrong question"


def test_rows_outside_every_answer_are_courtesy_and_the_rest_misplaced_answers():
    gold = {"q1": [(100, 200)], "q2": [(200, 300)]}
    assert classify_row([(0, 80)], "q1", gold, "first") == "courtesy placed (first)"
    assert classify_row([(100, 200)], "q1", gold, "first") is None
    assert classify_row([(200, 300)], "q1", gold, "middle") == "misplaced answer"
    assert classify_row([(400, 420)], "q2", gold, "last") == "courtesy placed (last)"


def _units(text: str) -> list[learned.Unit]:
    return [
        learned.Unit(s, e, learned.NONE, "unstructured", "unstructured", 0.0, True, False)
        for s, e in _spans(text, 0, len(text))
    ]


LETTER = (
    "Dear library team,\n\n"
    "Opening on Sundays would let me bring my children after their football.\n\n"
    "Yours faithfully,\nA reader"
)


def test_mini_features_are_the_given_cosines_and_zero_without_them():
    qs = tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION)).questions)
    units = _units(LETTER)
    nq = len(qs)
    sims = np.full((len(units), nq), 0.2)
    mini_c = np.tile(np.linspace(0.1, 0.5, nq), (len(units), 1))
    mini_v = np.full((len(units), nq), 0.3)
    ix = {n: i for i, n in enumerate(letterseq.FEATURES)}
    f = letterseq.features(LETTER, units, qs, sims, sims, None, (mini_c, mini_v))
    assert np.allclose(f[1, 1:, ix["mini_cos_centroid"]], mini_c[1])
    # the gap to the best question: 0 for the best (the last), negative for the others
    assert f[1, nq, ix["mini_gap_centroid"]] == 0.0
    assert np.isclose(f[1, 1, ix["mini_gap_centroid"]], 0.1 - 0.5)
    assert np.allclose(f[1, 1:, ix["mini_gap_variant"]], 0.0)
    # "no question" has none of them; without the cosines every one is 0
    assert f[1, 0, ix["mini_cos_centroid"]] == 0.0
    g = letterseq.features(LETTER, units, qs, sims, sims)
    assert not g[:, :, [ix[n] for n in ix if n.startswith("mini_")]].any()
    # the other features do not depend on them
    other = [ix[n] for n in ix if not n.startswith("mini_")]
    assert np.array_equal(f[:, :, other], g[:, :, other])


def test_the_shipped_decoder_names_neither_measured_feature_set():
    w = letterseq.load_decoder()
    assert w is not None and w["enabled"]
    names = set(w["features"])
    assert not {n for n in names if n.startswith("mini_")}
    assert "q_addressed" not in names
    assert names <= set(letterseq.FEATURES)


def test_the_letter_benchmarks_name_spent_sets_without_listing_the_data_folder():
    from pathlib import Path
    from unittest import mock

    from benchmarks.letters_eval import spent_sets

    with mock.patch.object(Path, "iterdir", side_effect=AssertionError("data folder listed")):
        names = spent_sets()
    assert names[:3] == ["ofsted-docs", "transport", "ofsted-docs-2"]
    assert names[-2:] == ["ofsted-docs-30", "transport-30"]
    assert len(names) == 60
    assert not [n for n in names if n.endswith(("-31", "-32"))]
