"""Session 25 (issue 14): the embedding neighbour votes and the agreement cut measured
by ``benchmarks.theme_gbm`` (docs/models.md, "Session 25"), checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import theme_embvote, theme_gbm


def _rows() -> list[dict]:
    # three answers of one consultation in three batches; two point the same way
    def row(name, batch, vec, gold):
        return {"consultation": "c", "set": name, "batch": batch, "probs": {"x": 0.3},
                "gold": set(gold), "vec": np.array(vec, dtype=float)}  # fmt: skip

    return [row("c-2", 2, [[1.0, 0.0]], {"x"}), row("c-3", 3, [[2.0, 0.0]], ()),
            row("c-4", 4, [[0.0, 1.0], [0.0, 3.0]], {"x"})]  # fmt: skip


def test_answer_votes_by_hand():
    rows = _rows()
    theme_embvote.answer_votes(rows)  # every other set votes; base rate 2/3
    # c-2: its neighbour c-3 (cosine 1, not coded) and c-4 (cosine 0): (0 + 2/3) / (1 + 1)
    assert rows[0]["evotes"]["x"] == pytest.approx(1 / 3)
    # c-3: c-2 (cosine 1, coded): (1 + 2/3) / (1 + 1)
    assert rows[1]["evotes"]["x"] == pytest.approx(5 / 6)
    # c-4: orthogonal to both, so the vote is the base rate
    assert rows[2]["evotes"]["x"] == pytest.approx(2 / 3)


def test_answer_votes_never_use_the_batch_left_out():
    rows = _rows()
    theme_embvote.answer_votes(rows, held_batch=2)  # base rate from c-3 and c-4: 1/2
    assert rows[0]["evotes"]["x"] == pytest.approx(0.25)  # c-3 (not coded) at cosine 1
    assert rows[1]["evotes"]["x"] == pytest.approx(0.5)  # c-2 is out: only c-4 at cosine 0


def test_vote_column_is_log_odds():
    r = {"svotes": {"x": 0.5, "y": 0.8}}
    assert theme_embvote.vote_column(r, "x", "svote") == pytest.approx(0.0)
    assert theme_embvote.vote_column(r, "y", "svote") == pytest.approx(np.log(4.0))
    assert theme_embvote.vote_column(r, "z", "svote") == pytest.approx(0.0)  # absent: neutral


def test_agreed_needs_dictionary_and_both_classifiers():
    rows = [
        {"probs": {"x": 0.6}, "sprobs": {"x": 0.5}},
        {"probs": {"x": 0.9}, "sprobs": {"x": 0.4}},
    ]
    where = [(0, "x", 1), (1, "x", 1), (0, "x", 0)]
    assert theme_gbm.agreed(rows, where).tolist() == [True, False, False]


def test_extra_row_reads_the_votes():
    r = {"question": "q", "svotes": {"x": 0.8}, "evotes": {"x": 0.2}}
    stats = ({"q": 10}, {("q", "x"): 5}, {"x": 5}, 10)
    got = theme_gbm.extra_row(r, "x", stats, ("evote", "rate", "svote"))
    assert got == pytest.approx([np.log(0.25), 0.0, np.log(4.0)])


def test_changes_by_cause_refuses_held_back_rows(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"set": "transport-31"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="held-back"):
        theme_embvote.main([str(rows), "--batches", "30"])
    spent = tmp_path / "spent.jsonl"
    spent.write_text('{"set": "transport-30"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="held-back"):
        theme_embvote.main([str(spent), "--batches", "30", "31"])
