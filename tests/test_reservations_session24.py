"""Session 24 (issue 13): reservations after stance-items-23 was spent.

stance-items-23's 35 false alarms were read by class (docs/stance.md, "Session 24"): three classes
are new to it — a condition the writer set before and says is met (8), a declared interest (4), a
box the writer says they ticked or would have ticked (3) — and occur in none (or one) of the 22
earlier sets' out-of-set false alarms, so no learned reader can be chosen leave-one-set-out for them.
``benchmarks.reservation_errors`` names them now, by the set's tags or by the sentence's grammar.
The phrasings below were written for this test (none from a set), hand-checked against the item
sets' convention ("``reservations`` is true when the text qualifies the position it takes"; a
``condition_met`` is support without reservations: the condition is history).
"""

from __future__ import annotations

import pytest

from benchmarks.reservation_errors import false_alarm_class

RESERVED_NOT = "condition met"


def _row(sents: list[str], **kw) -> dict:
    row = {"tags": [], "stance": "agree", "gold_stance": "agree", "stance_ok": [], "kind": "answer",
           "sents": sents}  # fmt: skip
    row.update(kw)
    return row


MET = [
    # (the answer's sentences, the one read as a reservation)
    (["We told the trust we'd only back late opening if the bus ran past ten.", "It does now.",
      "Yes."], 0),
    (["I said last spring that I would support the library move provided the lift was fixed.",
      "It has been.", "So I support it."], 0),
    (["Our committee made its support conditional on a crossing being added.",
      "That crossing has now been agreed, so we support the plan."], 0),
]  # fmt: skip


@pytest.mark.parametrize(("sents", "k"), MET[1:])
def test_a_condition_said_met_is_its_own_class(sents: list[str], k: int) -> None:
    assert false_alarm_class(_row(sents), sents[k]) == RESERVED_NOT


def test_the_fulfilment_must_follow_and_be_stated() -> None:
    sents = ["I said I would support the library move provided the lift was fixed."]
    # No later sentence says it is met: an ordinary condition inside support.
    assert false_alarm_class(_row(sents), sents[0]) == "cue inside support"
    unmet = sents + ["It hasn't been, so no."]
    assert false_alarm_class(_row(unmet), unmet[0]) == "cue inside support"
    # "It does now." names no fulfilment the grammar reads (no "met", "agreed", "has now" …):
    sents, k = MET[0]
    assert false_alarm_class(_row(sents), sents[k]) == "cue inside support"
    # … but the set's tag says it.
    assert false_alarm_class(_row(sents, tags=["condition_met"]), sents[k]) == RESERVED_NOT


def test_declared_interest_and_reported_tick() -> None:
    said = "Declaration of interest: I run the café opposite the library, though not the lease."
    assert false_alarm_class(_row([said]), said) == "declared interest"
    said = "In the interests of transparency, I sit on the parish council, but this is my own view."
    assert false_alarm_class(_row([said]), said) == "declared interest"
    said = "If there were a box for 'open it tomorrow' I'd have ticked that."
    assert false_alarm_class(_row([said]), said) == "reported tick"
    # Background not declared as a stake stays what it was.
    said = "I live next door, though I rarely use it."
    assert false_alarm_class(_row([said]), said) == "cue inside support"
    # The earlier classes come first: a wrong stance, a tick against the text.
    said = "If there were a box for 'open it tomorrow' I'd have ticked that."
    assert false_alarm_class(_row([said], stance="disagree"), said) == "stance wrong"
    assert false_alarm_class(_row([said], tags=["tick_conflict"]), said) == "tick vs text"
