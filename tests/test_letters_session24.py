"""Session 24 (issue 13): the letter-addressing reader refitted on stance-items 1-23, its
threshold chosen leave-one-set-out from a grid reaching below 0.5.

Session 23's grid (0.5-0.8) chose its lowest value in 21 of 22 folds. With 0.2-0.8 the folds
choose 0.4 in 21 of 23 (0.5 in two) and letter items go 736 -> 739 of 944 leave one set out
(stance-items-23, the freshest spent set: 36 -> 37 of 40); document stance over batches 2-26 is
unchanged (docs/stance.md, "Session 24"). The letter read here is the one stance-items-23 item
the change fixes, with the spans the pipeline's ingest gives its stance reading.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from benchmarks import letter_address, letter_addressed
from helpers.stance import addressing, unstructured
from helpers.validate.devsets.items import load_item_set

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluation"


def _of23_074():
    for f in load_item_set(DATA / "stance-items-23"):
        for i in f.items:
            if i.id == "of23-074":
                return i, tuple(f.consultation.questions)
    raise KeyError("of23-074")


# The letter's rows as ingest (shipped letter decoder) gives them to ``unstructured_stances``:
# greeting and story, the conditional position, the closing line (the signature left out).
_SPANS = [(0, 389), (391, 529), (531, 558)]


def _read(text: str, questions, weights):
    closed = tuple(q for q in questions if q.kind == "closed")
    with mock.patch.object(unstructured, "addressing_weights", lambda: weights):
        return unstructured.unstructured_stances(text, _SPANS, closed, None, set())


def test_the_shipped_reader_has_the_threshold_chosen_leave_one_set_out():
    w = addressing.load_weights()
    assert w is not None
    assert list(w["features"]) == list(addressing.FEATURES)
    assert w["threshold"] == pytest.approx(0.4)


def test_a_conditional_position_after_a_story_fills_the_proposal_question():
    # of23-074 (spent, gold q1 agree): a care leaver's story about her records, then "Your
    # judgement should look at how councils treat people like me ... If it does, I'm all for
    # it." The paragraph names no closed question by its distinctive words; session 23's reader
    # gave it 0.449 (under its 0.5), the refitted one 0.555.
    item, questions = _of23_074()
    text = item.text.strip()
    assert text[391:529].startswith("Your judgement should look at how councils treat")
    got = _read(text, questions, addressing.load_weights())
    assert set(got) == {"q1"}
    assert got["q1"].stance == "agree"
    assert got["q1"].evidence == "If it does, I'm all for it."
    assert got["q1"].method == "unstructured"
    # the threshold decides: above the paragraph's probability nothing is filled
    assert _read(text, questions, dict(addressing.load_weights(), threshold=0.6)) == {}


def test_the_decoder_feature_reads_the_paragraph_s_probability():
    item, questions = _of23_074()
    bodies = [m.group(0) for m in unstructured._PARA_RE.finditer(item.text.strip()[:558])]
    assert len(bodies) == 5 and bodies[3].startswith("Your judgement")
    p = letter_addressed.addressed(bodies, questions)
    q1 = [q.id for q in questions].index("q1")
    assert 0.4 <= p[3, q1] < 0.6
    assert not p[[0, 1, 2, 4]].any()  # no other paragraph takes a position


def test_the_benchmark_reads_stance_items_23_and_refuses_held_back_sets(tmp_path):
    assert {"stance-items-26", "stance-items-27"} <= set(letter_address.SPENT)
    assert "stance-items-28" not in letter_address.SPENT
    with pytest.raises(SystemExit):
        letter_address.run_set("stance-items-28", tmp_path, None)
    with pytest.raises(SystemExit):
        letter_address.main(["--cache", str(tmp_path), "--set", "stance-items-29"])
    assert not list(tmp_path.iterdir())  # nothing read, nothing written
