"""Session 27 (issue 14): the list-item cut measured leave-one-batch-out
(``benchmarks.theme_gbm --list-cut``), checked by hand on real feature rows
(docs/models.md, "Session 27")."""

from __future__ import annotations

import numpy as np

from benchmarks import theme_gbm
from helpers.coding.stack_features import candidate_features


def _row(theme, dictionary, sentence_themes, commas):
    return candidate_features(theme, dictionary, 0.6, 0.5, sentence_themes, commas, 0.3)


def test_listed_reads_the_evidence_sentence_of_dictionary_codes():
    rows = np.array([
        # "Buses, trains, bikes and taxis all lose." : 3 commas, bus theme alone in it
        _row("bus", True, [{"bus"}], [3]),
        # "Buses and bikes lose." : the bike theme fires in the same sentence
        _row("bus", True, [{"bus", "bike"}], [0]),
        # "Buses lose. Fewer buses, worse for everyone." : one clean hit sentence
        _row("bus", True, [{"bus"}, {"bus"}], [0, 1]),
        # a classifier-only candidate in a list sentence is not a list *code*
        _row("bus", False, [{"bike", "car"}], [4]),
        # one comma is not a list
        _row("bus", True, [{"bus"}], [1]),
    ])  # fmt: skip
    assert theme_gbm.listed(rows).tolist() == [True, True, False, False, False]


def test_listed_needs_every_hit_sentence_to_be_a_list():
    # the theme fires in a list sentence and in a sentence of its own: the fewest other
    # themes and commas over its hit sentences are 0, so the code is not a list item
    row = _row("bus", True, [{"bus", "bike", "car"}, {"bus"}], [2, 0])
    assert not theme_gbm.listed(np.array([row]))[0]
    assert theme_gbm.listed(np.zeros((0, 10))).shape == (0,)


def test_list_cut_is_two_cuts_over_the_listed_mask():
    # list codes: right at 0.5, wrong at 0.45 and 0.5 -> the list cut rises to drop them;
    # other candidates: right at 0.3 and 0.6 -> their cut stays low enough to keep both
    p = np.array([0.5, 0.45, 0.5, 0.3, 0.6])
    y = np.array([1, 0, 0, 1, 1])
    mask = np.array([True, True, True, False, False])
    got = theme_gbm.two_cuts(p, y, mask, (0, 0, 0), grid=(0.3, 0.45, 0.55))
    # (0.55, 0.3): 2 right, 1 missed, no wrong -> F1 0.8; (0.3, 0.3) or (0.45, 0.3): 3
    # right, 2 wrong -> 0.75; so the pair with the list cut above the rest wins
    assert got == (0.55, 0.3)


def test_wrong_codes_by_kind():
    from benchmarks.theme_misses import wrong_codes

    rows = [
        # gold bus; the stacker codes bus (right), bike from a list sentence (wrong) and car
        # from the classifier alone (wrong); the dictionary's "ferry" is not learned (wrong)
        {"set": "transport-9", "gold": {"bus"}, "dictionary": ["bus", "bike", "ferry"],
         "probs": {"bus": 0.9, "bike": 0.4, "car": 0.7}},
        # gold walk; the stacker codes walk from a sentence of its own, but it is not gold
        {"set": "transport-9", "gold": set(), "dictionary": ["walk"], "probs": {"walk": 0.8}},
    ]  # fmt: skip
    where = [(0, "bus", True), (0, "bike", True), (0, "car", False), (1, "walk", True)]
    x = np.array([
        _row("bus", True, [{"bus", "bike"}, {"bus"}], [0, 0]),
        _row("bike", True, [{"bus", "bike"}, {"bus"}], [0, 0]),
        _row("car", False, [{"bus", "bike"}, {"bus"}], [0, 0]),
        _row("walk", True, [{"walk"}], [1]),
    ])  # fmt: skip
    got = wrong_codes(rows, where, x, np.array([0.9, 0.5, 0.45, 0.6]), 0.4)
    assert got == {
        ("transport-9", "bike", "dictionary, list item"): 1,
        ("transport-9", "car", "classifier only"): 1,
        ("transport-9", "walk", "dictionary, alone"): 1,
        ("transport-9", "ferry", "dictionary, not learned"): 1,
    }
    # under the cut nothing the stacker decides is a code
    low = wrong_codes(rows, where, x, np.array([0.9, 0.3, 0.3, 0.3]), 0.4)
    assert low == {("transport-9", "ferry", "dictionary, not learned"): 1}
