"""Stance evaluation: the stance metrics counted by hand, and stance item sets run end to end.

The metric tests give hand-made system rows, so every expected number is
worked out in the comments. The item-set tests build a tiny set in tmp_path
(never data/evaluation/) and run the real stance stage (and ingest, for a
letter) on it; they assert only what any correct engine must give (a ticked
box, a blank form, "No comment", an explicit "I strongly disagree") plus
the bookkeeping, so an improved engine does not break them.
"""

from __future__ import annotations

import json

import pytest
import yaml

from helpers.validate.devsets import DevSetError
from helpers.validate.devsets.command import main
from helpers.validate.devsets.evaluate import find_sets, scores_json
from helpers.validate.devsets.itemeval import evaluate_item_set, item_tables
from helpers.validate.devsets.items import is_item_set, load_item_file, load_item_set
from helpers.validate.devsets.metrics import Scores
from helpers.validate.devsets.stancescore import (
    StanceCase,
    add_stance_scores,
    direction,
    format_calibration,
    format_confusion,
    score_stances,
    worst_tags,
)
from helpers.validate.devsets.table import format_stance, format_table


def _row(stance: str, confidence: float, **kw) -> dict:
    return {"stance": stance, "confidence": confidence, **kw}


def test_direction_classes():
    assert {direction(s) for s in ("strongly_agree", "agree")} == {"agree"}
    assert {direction(s) for s in ("neither", "dont_know")} == {"neutral"}
    assert {direction(s) for s in ("disagree", "strongly_disagree")} == {"disagree"}
    assert direction("not_answered") == "none"


def _cases() -> list[StanceCase]:
    yes_text = "Yes. Absolutely, open on Sundays! Staff may need support."
    return [
        # c1: exact. Evidence: the system's span is the whole gold sentence → hit.
        StanceCase("c1", "q1", "strongly_agree",
                   _row("strongly_agree", 0.9, reservations=False, start=0, end=23),
                   reservations=False, evidence="We strongly support it.",
                   text="We strongly support it.", tags=("plain",)),
        # c2: not exact, but acceptable through stance_ok; evidence span "Yes." misses the gold one.
        StanceCase("c2", "q1", "agree", _row("strongly_agree", 0.72, reservations=True, start=0, end=4),
                   stance_ok=("strongly_agree",), reservations=True,
                   evidence="Absolutely, open on Sundays!", text=yes_text, tags=("idiom", "plain")),
        # c3: wrong direction (gold disagree, or neither; system agree); no span → no evidence count.
        StanceCase("c3", "q1", "disagree", _row("agree", 0.9, reservations=False),
                   stance_ok=("neither",), reservations=True, evidence="x", text="x y",
                   tags=("contrast",)),
        # c4: neither vs dont_know: same direction class (neutral), not acceptable.
        StanceCase("c4", "q1", "neither", _row("dont_know", 0.4, reservations=True),
                   reservations=False),
        # c5: a tick, read as given; confidence 1.0 falls in the last, closed bin.
        StanceCase("c5", "q1", "disagree", _row("disagree", 1.0), tick="disagree"),
        # c6: a tick but no system row → not_answered; no confidence → not calibrated.
        StanceCase("c6", "q1", "agree", None, tick="agree", reservations=True),
    ]  # fmt: skip


def test_stance_metrics_counted_by_hand():
    s, wrong = score_stances(_cases())
    assert (s.exact.hit, s.exact.n) == (2, 6)  # c1, c5
    assert (s.acceptable.hit, s.acceptable.n) == (3, 6)  # + c2 (stance_ok)
    assert (s.direction.hit, s.direction.n) == (
        4,
        6,
    )  # + c4 (neutral); c3 agree≠disagree/neutral, c6 none
    assert (s.tick.hit, s.tick.n) == (1, 2)  # c5 yes, c6 no row
    assert s.confusion == {
        ("strongly_agree", "strongly_agree"): 1, ("agree", "strongly_agree"): 1,
        ("disagree", "agree"): 1, ("neither", "dont_know"): 1,
        ("disagree", "disagree"): 1, ("agree", "not_answered"): 1,
    }  # fmt: skip
    bins = [(b.n, b.hit) for b in s.calibration]
    # [0,.5): c4 (0.4, wrong); [.5,.7): none; [.7,.85): c2 (0.72, acceptable); [.85,1]: c1, c3, c5
    assert bins == [(1, 0), (0, 0), (1, 1), (3, 2)]
    assert s.calibration[3].mean_confidence == pytest.approx((0.9 + 0.9 + 1.0) / 3)
    assert s.calibration[3].accuracy == pytest.approx(2 / 3)
    # reservations (positive = reservation): c1 tn, c2 tp, c3 fn, c4 fp, c5 unlabelled, c6 fn
    r = s.reservations
    assert (
        (r.tp, r.fp, r.fn) == (1, 1, 2) and r.precision == 0.5 and r.recall == pytest.approx(1 / 3)
    )
    assert (s.evidence.hit, s.evidence.n) == (1, 2)  # c1 hit, c2 miss, c3 no system span
    assert {t: (c.hit, c.n) for t, c in s.by_tag.items()} == {
        "plain": (2, 2), "idiom": (1, 1), "contrast": (0, 1)
    }  # fmt: skip
    assert worst_tags(s) == "contrast 0/1"
    assert sum(1 for c, m in wrong if m.startswith("gold ")) == 4  # c2, c3, c4, c6 not exact
    assert any(c.name == "c2" and "(acceptable, confidence 0.72)" in m for c, m in wrong)


def test_confusion_and_calibration_print_compactly():
    s, _ = score_stances(_cases())
    lines = format_confusion(s)
    assert lines[0].split()[1:] == ["SA", "A", "N", "D", "SD", "DK", "NA"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["D"] == [".", "1", ".", "1", ".", ".", "."]  # c3 → agree, c5 → disagree
    assert "SD" not in rows and "DK" not in rows  # gold rows with no answers are left out
    cal = format_calibration(s)
    assert cal[1] == "[0.50,0.70)  n 0"
    assert cal[3] == "[0.85,1.00]  n 3  stated 0.93  observed 0.67"
    scores = Scores("x", "dev")
    add_stance_scores(_cases(), scores)
    assert scores.stance.hit == 2 and len(scores.errors) > 4
    table = format_table([scores])
    assert "stance acceptable          3/6 50.0%" in table and "tick-box" in table
    assert "worst tags (acceptable): contrast 0/1" in format_stance([scores])
    data = json.loads(json.dumps(scores_json(scores)))
    assert data["stance_scores"]["acceptable"]["rate"] == 0.5
    assert {"gold": "agree", "system": "not_answered", "n": 1} in data["stance_scores"]["confusion"]


# --- Stance item sets ------------------------------------------------------------------

CONSULTATION = {
    "id": "library-hours",
    "title": "Changing the opening hours of the town library",
    "questions": [
        {"id": "q1", "number": 1, "kind": "closed",
         "text": "Do you agree that the library should open on Sundays?"},
        {"id": "q2", "number": 2, "kind": "open", "text": "How would Sunday opening affect you?"},
    ],
}  # fmt: skip
LETTER = (
    "Dear Sir or Madam,\n\nI am writing about the plans for the town library. I fully support "
    "opening the library on Sundays, as I work every weekday.\n\nI would visit with my children "
    "every week.\n\nYours faithfully,\nRobin\n"
)
ITEMS = [
    {"id": "a1", "question": "q1", "kind": "answer", "text": "We strongly support Sunday opening.",
     "stance": "strongly_agree", "reservations": False,
     "evidence": "We strongly support Sunday opening.", "tags": ["plain"]},
    {"id": "a2", "question": "q1", "kind": "answer", "text": "Yes, absolutely, it is vital.",
     "stance": "strongly_agree", "stance_ok": ["agree"], "tags": ["idiom", "short"]},
    {"id": "a3", "question": "q1", "kind": "answer", "text": "No comment.",
     "stance": "not_answered", "tags": ["short"]},
    {"id": "a4", "question": "q1", "kind": "answer", "voice": "angry",
     "text": "I strongly disagree with Sunday opening.", "stance": "strongly_disagree",
     "reservations": False, "evidence": "I strongly disagree with Sunday opening.",
     "tags": ["plain"]},
    {"id": "f1", "question": "q1", "kind": "form", "tick": "disagree",
     "text": "I agree Sundays are quiet, but opening would cost too much.",
     "stance": "disagree", "tags": ["tick_agrees_but"]},
    {"id": "f2", "question": "q1", "kind": "form", "tick": None, "text": "",
     "stance": "not_answered", "tags": ["blank_tick"]},
    {"id": "f3", "question": "q1", "kind": "form", "tick": "dont_know",
     "stance": "dont_know", "tags": ["dont_know"]},
    {"id": "l1", "question": "q1", "kind": "letter", "split": "heldout", "text": LETTER,
     "stance": "strongly_agree", "stance_ok": ["agree"], "reservations": False,
     "evidence": "I fully support opening the library on Sundays", "tags": ["multi_paragraph"]},
]  # fmt: skip


def _item_set(root, items=ITEMS):
    (root / "library").mkdir(parents=True, exist_ok=True)
    (root / "library" / "consultation.yaml").write_text(yaml.safe_dump(CONSULTATION), "utf-8")
    folder = root / "stance-items"
    folder.mkdir(exist_ok=True)
    data = {"consultation": "../library/consultation.yaml", "items": items}
    (folder / "library.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    (folder / "README.md").write_text("A test set.\n", "utf-8")
    return folder


def test_an_item_set_is_found_and_checked(tmp_path):
    folder = _item_set(tmp_path)
    assert is_item_set(folder) and not is_item_set(tmp_path / "library")
    assert find_sets(tmp_path) == [folder]
    (f,) = load_item_set(folder)
    assert [i.kind for i in f.items].count("form") == 3 and f.items[5].tick is None
    bad = [{**ITEMS[0], "evidence": "not in the text"}]
    with pytest.raises(DevSetError, match=r"items\[0\] \(a1\): evidence"):
        load_item_file(_item_set(tmp_path / "b", bad) / "library.yaml")
    with pytest.raises(DevSetError, match="not a closed question"):
        load_item_file(_item_set(tmp_path / "c", [{**ITEMS[0], "question": "q2"}]) / "library.yaml")


def test_form_items_become_the_tables_stance_reads(tmp_path):
    (f,) = load_item_set(_item_set(tmp_path))
    respondents, answers = item_tables(list(f.items[2:7]), f)
    assert list(respondents["respondent_id"]) == ["a3", "a4", "f1", "f2", "f3"]
    # the tick as a form shows it; a blank box is no tick
    assert list(answers["tick_box"].fillna("-")) == ["-", "-", "Disagree", "-", "Don't know"]
    # ingest's non-answer rule: "No comment" and blanks are not substantive
    assert list(answers["substantive"]) == [False, True, True, False, False]
    assert answers.loc[2, "end"] == len(ITEMS[4]["text"])


def test_an_item_set_is_scored_with_the_real_stance_stage(tmp_path):
    scores = evaluate_item_set(_item_set(tmp_path), "dev")
    s = scores.stance_scores
    assert scores.n_responses == 7 and s.exact.n == 7  # the heldout letter is not read
    # any correct engine: ticks win (f1, f3), blank form and "No comment" are not answered,
    # an explicit "I strongly disagree" is strongly_disagree
    for cell in [("not_answered", "not_answered"), ("disagree", "disagree"),
                 ("dont_know", "dont_know"), ("strongly_disagree", "strongly_disagree")]:  # fmt: skip
        assert s.confusion[cell] == (2 if cell[0] == "not_answered" else 1)
    assert (s.tick.hit, s.tick.n) == (2, 2)
    assert (s.direction.hit, s.direction.n) == (7, 7)  # a1, a2 are agree or strongly_agree
    assert s.exact.hit == sum(n for (g, y), n in s.confusion.items() if g == y)
    assert s.acceptable.hit >= s.exact.hit and s.acceptable.hit >= 6  # a2 agree is acceptable
    assert s.evidence.n == 2 and s.evidence.hit == 2  # one-sentence answers: the sentence
    assert (
        s.by_tag["blank_tick"].hit == 1
        and "stance item set: 4 answer, 3 form, 0 letter" in (scores.notes[0])
    )


def test_a_letter_item_goes_through_ingest(tmp_path):
    scores = evaluate_item_set(_item_set(tmp_path), "heldout")
    s = scores.stance_scores
    assert s.exact.n == 1 and sum(s.confusion.values()) == 1
    ((gold, system),) = s.confusion
    assert gold == "strongly_agree"
    # the letter was read by ingest (a respondent, so a stances row for q1, with a confidence)
    assert sum(b.n for b in s.calibration) == 1
    assert system in ("strongly_agree", "agree", "not_answered")  # not_answered: no inference yet


def test_evaluate_prints_an_item_set_column(tmp_path, capsys):
    _item_set(tmp_path)
    assert main(["evaluate", "--root", str(tmp_path), "--split", "all", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "stance-items" in out.splitlines()[0] and "tick-box" in out
    assert "-- stance: stance-items (all), 8 answers" in out
    assert "files read                 n/a" in out


def test_describe_counts_an_item_set_and_lists_broken_conventions(tmp_path, capsys):
    from helpers.validate.devsets.itemstats import describe_item_set

    text, problems = describe_item_set(_item_set(tmp_path))
    # Counted by hand from ITEMS: 7 dev + 1 heldout; 4 answers, 3 forms (2 ticked), 1 letter.
    assert "## library.yaml — 8 items" in text
    assert "- split: dev 7, heldout 1" in text
    assert "- kind: answer 4, form 3, letter 1" in text
    assert "- tick: ticked 2, blank 1" in text
    assert "- reservations true: 0" in text
    # a2 and f1 take a position with no evidence; only a1, a4 and l1 say whether they have reservations.
    assert sorted(p for p in problems if "evidence" in p) == [
        "library.yaml a2: evidence missing",
        "library.yaml f1: evidence missing",
    ]
    assert sum("reservations" in p for p in problems) == 5 and len(problems) == 7
    short = {**ITEMS[7], "text": "Dear Sir,\n\nI fully support opening the library on Sundays."}
    _, problems = describe_item_set(_item_set(tmp_path / "b", [short]))
    assert problems == ["library.yaml l1: letter has fewer than 3 paragraphs"]
    assert main(["describe", str(tmp_path / "b" / "stance-items")]) == 1
    assert main(["describe", str(tmp_path / "nothing")]) == 2
    assert "library.yaml — 1 items" in capsys.readouterr().out
