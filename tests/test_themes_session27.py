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
