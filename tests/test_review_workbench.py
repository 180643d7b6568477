"""The codebook workbench: trials with false-friend candidates, edits kept with comments, counts.

Tables from tests/test_explore.py (offsets counted there) plus r3, whose only
mention of housing is negated. In R1 the Q1 answer has "Housing" at 13..20 and the
Q2 answer "Housing" at 56..63; in R2 "money for housing" has "housing" at 24..31;
in R3 "housing" is at 16..23 after "We do not think".
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_explore import make_data

from helpers import coding
from helpers.core import schemas
from helpers.review import Workbench

R3 = "We do not think housing is the issue. Care matters."

CODEBOOK = """\
# Top comment: kept.
id: t
title: T
themes:
  - id: housing   # homes and rent
    label: Housing
    patterns: [housing]
  - id: stability
    label: Stability
    patterns:
      - stability  # comment goes with the theme
  - id: funding
    label: Funding  # money comment kept
    patterns: [money]
"""


def data():
    d = make_data()
    r = d.respondents.iloc[[1]].assign(respondent_id="r3", text=R3, n_chars=len(R3))
    a = d.answers.iloc[[2]].assign(
        respondent_id="r3", question_id="q1", start=0, end=len(R3), answer_text=R3
    )
    d.respondents = schemas.conform(pd.concat([d.respondents, r]), schemas.RESPONDENTS)
    d.answers = schemas.conform(pd.concat([d.answers, a]), schemas.ANSWERS)
    return d


@pytest.fixture
def wb(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return Workbench(data(), path, tmp_path / "overrides.csv")


def spans(frame, *cols):
    return sorted(
        zip(
            *(frame[c].astype(object) for c in ("respondent_id", "question_id", *cols)), strict=True
        )
    )


def test_offsets_in_this_fixture():
    assert R3[16:23] == "housing"


def test_a_trial_shows_matches_and_why_looser_matches_were_dropped(wb):
    t = wb.try_theme({"patterns": ["housing"], "questions": ["q1"]})
    assert spans(t.matches, "match_start") == [("r1", "q1", 13)]
    assert spans(t.candidates, "match_start", "reason") == [
        ("r1", "q2", 56, "other_question"),
        ("r2", "q2", 24, "other_question"),
        ("r3", "q1", 16, "negated"),
    ]
    t = wb.try_theme({"patterns": ["housing"], "exclude": ["money for housing"]})
    assert spans(t.matches, "match_start") == [("r1", "q1", 13), ("r1", "q2", 56)]
    assert ("r2", "q2", 24, "exclude") in spans(t.candidates, "match_start", "reason")
    assert t.summary() == {
        "respondents": 1,
        "answers": 2,
        "matches": 2,
        "candidates_negated": 1,
        "candidates_exclude": 1,
        "candidates_other_question": 0,
    }
    assert wb.try_pattern("money").respondents == 1


def test_edits_change_counts_and_keep_comments(wb, tmp_path):
    before = wb.counts().set_index("theme_id")
    assert before[["before", "after"]].to_dict("index") == {
        "housing": {"before": 2, "after": 2},  # r1, r2 (r3's mention is negated)
        "stability": {"before": 1, "after": 1},
        "funding": {"before": 1, "after": 1},
    }
    wb.merge_themes(["housing", "funding"], into="housing", label="Housing and money")
    wb.add_theme({"id": "care", "label": "Care", "patterns": ["care"]})
    wb.rename_theme("stability", "steady", "Steadiness")
    got = wb.counts().set_index("theme_id")[["before", "after", "change"]]
    assert got.to_dict("index") == {
        "housing": {"before": 2, "after": 2, "change": 0},
        "steady": {"before": 0, "after": 1, "change": 1},
        "care": {"before": 0, "after": 1, "change": 1},
        "stability": {"before": 1, "after": 0, "change": -1},
        "funding": {"before": 1, "after": 0, "change": -1},
    }
    out = wb.save()
    text = out.read_text(encoding="utf-8")
    assert "# Top comment: kept." in text and "# homes and rent" in text
    assert "# comment goes with the theme" in text  # the renamed theme keeps its body
    reloaded = coding.load_codebook(out)
    assert reloaded.theme_ids == ["housing", "steady", "care"]
    assert reloaded.theme("housing").patterns == ("housing", "money")
    assert reloaded.theme("housing").label == "Housing and money"


def test_split_and_split_off(wb):
    wb.merge_themes(["housing", "funding"], into="housing")
    wb.split_off("housing", {"id": "funding", "label": "Funding", "patterns": ["money"]})
    cb = wb.codebook()
    assert cb.theme("housing").patterns == ("housing",)
    assert cb.theme("funding").patterns == ("money",)
    wb.split_theme(
        "housing",
        [
            {"id": "housing", "label": "Housing", "patterns": ["housing"]},
            {"id": "matters", "label": "Matters", "patterns": ["matters"]},
        ],
    )
    counts = wb.counts().set_index("theme_id")["after"].to_dict()
    assert counts == {"housing": 2, "matters": 2, "funding": 1, "stability": 1}


def test_an_invalid_edit_is_refused_and_changes_nothing(wb):
    with pytest.raises(coding.CodebookError):
        wb.add_theme({"id": "Bad Id", "label": "x", "patterns": ["x"]})
    with pytest.raises(ValueError):
        wb.add_theme({"id": "housing", "label": "again", "patterns": ["x"]})
    with pytest.raises(ValueError):
        wb.merge_themes(["housing", "funding"], into="care")
    assert wb.codebook().theme_ids == ["housing", "stability", "funding"]
    assert wb.changes == []


def test_theme_ids_still_used_by_overrides_are_reported(wb, tmp_path):
    (tmp_path / "overrides.csv").write_text(
        "respondent_id,question_id,theme_id,action,quote,coder,note\n"
        "r2,q2,funding,remove,,ann,x\nr1,q1,disagree,stance,,ann,y\n",
        encoding="utf-8",
    )
    assert wb.stale_overrides() == []
    wb.merge_themes(["housing", "funding"], into="housing")
    assert wb.stale_overrides() == ["funding"]


def test_widget_renders_a_trial_escaped(wb):
    pytest.importorskip("ipywidgets")
    box = wb.widget()
    assert "<td>Housing</td>" in box.counts.value
    patterns = box.children[0].children[0]
    try_button = box.children[0].children[3]
    patterns.value = "matters"
    try_button.click()
    # R1's "<b>matters</b>" is shown as text
    assert "&lt;b&gt;<mark>matters</mark>&lt;/b&gt;" in box.trial.value


def test_a_description_is_tried_with_the_semantic_coder(wb):
    from helpers.core import embedding

    if not embedding.available(embedding.CODING_MODEL):
        t = wb.try_theme({"description": "x", "patterns": ["zzzz"]}, semantic=True)
        assert t.unprocessed and t.matches.empty
        return
    theme = {"label": "Funding", "description": "Money for housing is short."}
    t = wb.try_theme({**theme, "patterns": ["zzzz"]}, semantic=True)
    assert spans(t.matches, "start", "end", "method") == [("r2", "q2", 14, 47, "semantic")]
    # an answer the patterns already code is not coded again by the description
    t = wb.try_theme({**theme, "patterns": ["money"]}, semantic=True)
    assert spans(t.matches, "method") == [("r2", "q2", "dictionary")]
    assert wb.try_theme({**theme, "patterns": ["zzzz"]}).matches.empty  # semantic off
