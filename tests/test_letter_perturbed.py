"""The letter decoder's re-rendered training letters (``benchmarks/letter_perturbed.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks import letter_perturbed as lp


def test_held_back_sets_are_refused():
    with pytest.raises(SystemExit):
        lp.records_of("transport-31")


def test_records_re_render_cleanly():
    recs = lp.records_of("transport-21")
    assert recs
    for r in recs:
        qs = [a.question for a in r.answers if a.text.strip()]
        assert r.row is None and len(set(qs)) == len(qs) >= 2


def test_only_re_rendered_sets_are_weighted():
    real = {"name": "transport-5", "docs": [1, 2]}
    pert = {"name": "transport-5.no_headings", "docs": [1, 2, 3, 4]}
    out = lp.weighted([real, pert], 2)
    assert out[0]["docs"] == [1, 2] and len(out[1]["docs"]) == 8
    part = lp.weighted([real, pert], 0.5)
    assert part[0] is real and len(part[1]["docs"]) <= 4
    assert lp.weighted([real, pert], 0.5)[1]["docs"] == part[1]["docs"]  # seeded


def test_a_set_s_share_of_one_run():
    t = {
        "respondents": pd.DataFrame(
            {
                "respondent_id": ["r1", "r2"],
                "source_file": ["transport-5--000-x.txt", "transport-6--000-x.txt"],
            }
        ),
        "answers": pd.DataFrame(
            {"respondent_id": ["r1", "r1", "r2"], "question_id": ["a", "b", "a"]}
        ),
        "records": [],
    }
    mine = lp.set_tables(t, "transport-5")
    assert list(mine["respondents"]["respondent_id"]) == ["r1"]
    assert len(mine["answers"]) == 2
    assert lp._consultation("ofsted-docs-12") == "ofsted-docs"
