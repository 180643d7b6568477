"""Gold conventions (validate.devsets.goldrules): one reading of "Don't know" across sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core.consultation import load_consultation
from helpers.validate.devsets.goldrules import dont_know_rule, is_bare_dont_know
from helpers.validate.devsets.goldview import GoldAnswer, GoldResponse

CONSULTATION = Path(__file__).resolve().parents[1] / "data/evaluation/transport/consultation.yaml"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Don't know", True),
        ("dont know.", True),
        ("Not sure, sorry", True),
        ("Unsure!", True),
        ("No idea really", True),
        ("Don't know. I never drive that way in the evenings.", False),
        ("Not sure the bus gate will help", False),
        ("No comment", False),
    ],
)
def test_bare_dont_know(text: str, bare: bool) -> None:
    assert is_bare_dont_know(text) is bare


def test_closed_dont_know_is_a_position_open_one_a_non_answer() -> None:
    cons = load_consultation(CONSULTATION)
    kinds = {q.id: q.kind for q in cons.questions}
    closed = next(q for q, k in kinds.items() if k == "closed")
    open_ = next(q for q, k in kinds.items() if k == "open")
    rec = GoldResponse(
        file="x.txt",
        row=None,
        split="dev",
        respondent_type=None,
        organisation=None,
        answers=(
            GoldAnswer(closed, "Not sure.", substantive=False),
            GoldAnswer(open_, "Not sure.", substantive=False),
            GoldAnswer(closed, "Dunno yet", substantive=False, tick="neither"),
        ),
    )
    (out,) = dont_know_rule([rec], cons)
    # Closed, no box ticked: the don't-know category. Open: a non-answer. Beside a tick: a
    # comment that adds nothing to the ticked box, so still a non-answer.
    assert [a.substantive for a in out.answers] == [True, False, False]
