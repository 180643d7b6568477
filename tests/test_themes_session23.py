"""Session 23: tree settings and per-theme cuts for the theme stacker (issue 14).

``stack_trees.fit_trees`` takes other settings than ``TREE_PARAMS`` (the benchmark's
``--settings``); ``benchmarks.theme_gbm.theme_cuts`` chooses a cut per theme on
out-of-fold probabilities, shrunk to the global cut by the theme's gold count. The
expected values below are worked by hand in the comments.
"""

from __future__ import annotations

import numpy as np

from benchmarks import theme_gbm
from helpers.coding import stack, stack_trees

ANSWER = stack.FEATURES.index("answer_logit")


def test_a_setting_is_parsed_onto_the_shipped_parameters():
    name, params = theme_gbm.parse_setting("d4=4,100")
    assert name == "d4" and params["max_depth"] == 4 and params["max_iter"] == 100
    assert params["learning_rate"] == stack_trees.TREE_PARAMS["learning_rate"]
    assert params["random_state"] == 0 and params["early_stopping"] is False
    _, slow = theme_gbm.parse_setting("slow=2,300,0.02")
    assert (slow["max_depth"], slow["max_iter"], slow["learning_rate"]) == (2, 300, 0.02)


def test_other_settings_fit_other_trees():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, len(stack.FEATURES)))
    y = (x[:, ANSWER] > 0).astype(int)
    groups = np.arange(300) % stack_trees.CUT_GROUPS
    _, params = theme_gbm.parse_setting("d2=2,20")
    small = stack_trees.fit_trees(x, y, groups, stack.FEATURES, stack.CUTS, params=params)
    shipped = stack_trees.fit_trees(x, y, groups, stack.FEATURES, stack.CUTS)
    assert len(small.roots) == 20
    assert len(shipped.roots) == stack_trees.TREE_PARAMS["max_iter"]
    # depth 2: no node deeper than two splits, so at most 3 inner nodes per tree
    assert (~small.leaf).sum() <= 3 * 20


def test_per_theme_cuts_by_hand():
    # theme a: p 0.9 (gold), 0.35 (gold), 0.3 (not); theme b: p 0.5 (not), 0.45 (gold).
    # Global cut 0.4 codes 0.9 and 0.5, 0.45: tp 2, fp 1, fn 1, so f = 4 / 6 = 2/3.
    p = np.array([0.9, 0.35, 0.3, 0.5, 0.45])
    y = np.array([1, 1, 0, 0, 1])
    keys = [("c", "a")] * 3 + [("c", "b")] * 2
    grid = (0.3, 0.35, 0.4, 0.5)
    # theme a's worth 2 tp (1 - f) - f (fp + fn): cut 0.35 codes both golds (4/3 - 0),
    # 0.3 adds the wrong one (4/3 - 2/3), 0.4 and 0.5 miss one (2/3 - 2/3): c* = 0.35.
    # theme b: every cut up to 0.45 codes both (2/3 - 2/3 = 0), 0.5 codes only the
    # wrong one (0 - 4/3): c* is the tie nearest the global cut, 0.4 itself.
    no_shrink = theme_gbm.theme_cuts(p, y, keys, (0, 0, 0), 0.4, 0.0, grid)
    assert no_shrink == {("c", "a"): 0.35, ("c", "b"): 0.4}
    # 2 gold candidates and 2 pseudo-counts: half way from 0.4 towards 0.35
    half = theme_gbm.theme_cuts(p, y, keys, (0, 0, 0), 0.4, 2.0, grid)
    assert abs(half[("c", "a")] - 0.375) < 1e-12 and half[("c", "b")] == 0.4
    # a theme with no gold candidate keeps the global cut whatever the shrinkage
    none = theme_gbm.theme_cuts(p, np.array([0, 0, 0, 0, 1]), keys, (0, 0, 0), 0.4, 1.0, grid)
    assert none[("c", "a")] == 0.4


def test_the_rate_and_count_columns_by_hand():
    rows = [
        {"consultation": "c", "set": "s1", "question": "q1", "gold": {"a"}},
        {"consultation": "c", "set": "s1", "question": "q1", "gold": {"a", "b"}},
        {"consultation": "c", "set": "s2", "question": "q1", "gold": set()},
        {"consultation": "c", "set": "s2", "question": "q2", "gold": {"a"}},
        {"consultation": "c", "set": "held", "question": "q1", "gold": {"b"}},
    ]
    stats = theme_gbm.theme_stats(rows, {"held"})["c"]
    nq, nqt, nt, n = stats
    assert (nq["q1"], nq["q2"], n) == (3, 1, 4)  # the held-out set's answer not counted
    assert (nqt[("q1", "a")], nt["a"], nt["b"]) == (2, 3, 1)
    # theme a under q1: base 3 / 4; rate (2 + 5 * 0.75) / (3 + 5) = 5.75 / 8 = 0.71875
    rate, npos = theme_gbm.extra_row({"question": "q1"}, "a", stats, ("rate", "npos"))
    assert abs(rate - np.log(0.71875 / 0.28125)) < 1e-9 and abs(npos - np.log(4)) < 1e-12
    # a theme never coded: base 0, rate 0 (clipped at stack.EPS), count log(1) = 0
    rate, npos = theme_gbm.extra_row({"question": "q2"}, "zzz", stats, ("rate", "npos"))
    assert abs(rate - np.log(stack.EPS / (1 - stack.EPS))) < 1e-9 and npos == 0.0
    # the columns follow the names asked for, in their order
    assert theme_gbm.extra_row({"question": "q1"}, "a", stats, ("npos",)) == [np.log(4)]


def test_two_cuts_by_hand():
    # dictionary candidates 0.9 (gold) and 0.3 (not); classifier-only 0.6 (not), 0.25 (gold).
    # Dictionary cut 0.5 or 0.7 keeps the right one only (a tie: 0.5 is nearer 0.5); a
    # classifier-only cut of 0.2 codes both of its candidates: tp 2, fp 1, F1 0.8, better
    # than 0.7 (tp 1, fn 1: 0.67), 0.5 (tp 1, fp 1, fn 1: 0.5) or one cut 0.2 for both (0.67).
    p = np.array([0.9, 0.3, 0.6, 0.25])
    y = np.array([1, 0, 0, 1])
    dic = np.array([True, True, False, False])
    assert theme_gbm.two_cuts(p, y, dic, (0, 0, 0), (0.2, 0.5, 0.7)) == (0.5, 0.2)
    # ten right codes outside the stacker change nothing here; ten missed gold codes
    # outside do not either (they are missed whatever the cuts)
    assert theme_gbm.two_cuts(p, y, dic, (10, 0, 10), (0.2, 0.5, 0.7)) == (0.5, 0.2)
