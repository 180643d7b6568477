"""benchmarks.theme_folds: the shared leave-one-batch-out loop and its split runs.

Toy rows in the shape ``theme_stacker.load_rows`` gives (a library's opening hours and a
park's lighting, written for these tests), not a development set.
"""

from __future__ import annotations

from benchmarks import theme_folds as folds


def _row(set_name, batch, gold, dictionary, probs):
    consultation = "transport" if set_name.startswith("transport") else "ofsted-docs"
    return {
        "set": set_name, "batch": batch, "consultation": consultation, "gold": set(gold),
        "dictionary": set(dictionary), "probs": probs, "sprobs": {},
    }  # fmt: skip


ROWS = [
    # batch 2: the dictionary misses "hours"; the answer classifier has it at 0.9
    _row("transport-2", 2, ["hours"], [], {"hours": 0.9}),
    _row("transport-2", 2, ["lighting"], ["lighting"], {"hours": 0.1}),
    _row("ofsted-docs-2", 2, [], ["hours"], {"hours": 0.2}),
    # batch 3: the classifier is wrong about "hours"
    _row("transport-3", 3, [], [], {"hours": 0.7}),
    _row("ofsted-docs-3", 3, ["hours"], ["hours"], {"hours": 0.95}),
]


def _setup(b, held, train):
    # a "stack" that codes what the classifier gives 0.5 or more (dictionary ignored)
    def decide(c, part):
        return {"stack": [{t for t, p in r["probs"].items() if p >= 0.5} for r in part]}

    assert all(r["batch"] != b for r in train) and all(s.endswith(f"-{b}") for s in held)
    return decide, ""


def test_every_variant_is_counted_per_set_and_pooled_per_consultation(capsys):
    tally = folds.run(ROWS, [2, 3], ["stack"], _setup)
    # transport: the stack finds "hours" in batch 2 (tp), misses "lighting", codes batch 3's
    # wrong "hours"; the dictionary finds only "lighting"
    assert dict(tally.totals[("transport", "stack")]) == {"tp": 1, "fp": 1, "fn": 1}
    assert dict(tally.totals[("transport", "dict")]) == {"tp": 1, "fp": 0, "fn": 1}
    # Ofsted: the dictionary's batch-2 "hours" is wrong, batch 3's right
    assert dict(tally.totals[("ofsted-docs", "dict")]) == {"tp": 1, "fp": 1, "fn": 0}
    assert dict(tally.totals[("ofsted-docs", "stack")]) == {"tp": 1, "fp": 0, "fn": 0}
    assert "pooled both" in capsys.readouterr().out


def test_runs_over_disjoint_batches_merge_to_the_whole_run(tmp_path):
    whole = folds.run(ROWS, [2, 3], ["stack"], _setup)
    parts = []
    for b in (3, 2):  # in any order
        path = tmp_path / f"b{b}.json"
        folds.run(ROWS, [b], ["stack"], _setup).dump(str(path))
        parts.append(str(path))
    merged = folds.merge(parts)
    assert merged.totals == whole.totals
    assert merged.wins == whole.wins
    assert [r[:3] for r in merged.records] == [r[:3] for r in whole.records]


def test_a_missed_pair_is_put_down_to_the_method_that_lost_it():
    from benchmarks.theme_pipeline_census import cause

    seen = {"allowed": True, "pa": 0.66, "ps": 0.10, "prob": 0.34}
    assert cause(seen, False, 0.35) == "stacker refusal"  # a candidate, stacked under the cut
    assert cause(seen, True, 0.35) == "stacker veto"  # the dictionary's code dropped
    assert cause(seen | {"pa": 0.19, "ps": 0.05}, False, 0.35) == "no method near"
    assert cause(seen | {"allowed": False}, True, 0.35) == "not learned"
    assert cause(None, False, 0.35) == "not learned"
