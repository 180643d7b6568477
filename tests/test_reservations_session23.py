"""Session 23 (issue 13): reservations.

The shipped finder (session 22's fit on 21 spent item sets, threshold 0.325) stays: a refit
with stance-items-22, features for another's voice, a condition met and background, reading
rows marked not answered, and thresholds chosen for the median or worst set were measured
leave-sets-out and none won on most sets (docs/stance.md, "Session 23"). The false alarms of
the spent sets read by class: a reason for opposing, a concession or condition inside support
or neutrality, a stance read wrong, tick against text, background, another's view. The cases
below are phrasings written for this test (none from a set), on the library consultation of
``test_reservation_model``; each expected value was checked by hand against the item sets'
convention ("``reservations`` is true when the text qualifies the position it takes … the plain
reasons for a position are not counted").
"""

from __future__ import annotations

import pytest

from benchmarks import reservation_collect
from tests.test_reservations_session22 import _flag
from tests.test_reservations_session22 import library as library  # noqa: F401 (fixture)

READ = [
    # Plain reasons for opposing are not reservations.
    ("No to Sunday opening. It would mean paying staff overtime every weekend.", False),
    ("I'm against it. The building is cold and the heating bill would go up.", False),
    # A concession inside an opposition is one.
    ("I can see it would help families, but I'm against Sunday opening.", True),
    # Background about the writer, then plain support: none.
    ("I live next door to the library. I support Sunday opening.", False),
    ("As a librarian of thirty years I should declare an interest. I support Sunday opening.",
     False),
    # Another's objection, answered: none.
    ("Some people say it will cost too much. I think it's worth every penny. Yes.", False),
    # A condition or a limit set on the support: one.
    ("Yes to Sunday opening, though I'd keep the hours short to start with.", True),
    ("We support it, but only once the new roof is on.", True),
    # Wanting more is not a condition.
    ("Yes, open on Sundays. Why not open on bank holidays too?", False),
]  # fmt: skip

# Two classes the finder still gets wrong (strict: a better model shows up here). Another's
# worry beside the writer's own support reads as the writer's reservation (25 false alarms in
# 12 of the 22 spent sets, "another's view"); a condition the writer says has been met still
# reads as a condition. Sentence features for both (a third-person reporting clause, a condition
# met, a declared background) were measured leave-sets-out on the 22 spent sets: 7 better, 10
# worse (with first-person and opposition interactions as well: 8 better, 11 worse). Not kept.
MISSED = [
    ("My neighbour worries about the noise, but I'm all for it.", False),
    ("I said I'd only back it if the buses ran on Sundays. They now do, so yes.", False),
]


@pytest.mark.parametrize(("text", "reserved"), READ)
def test_refit_reads(library, text: str, reserved: bool) -> None:
    assert _flag(library, text) is reserved


@pytest.mark.xfail(strict=True, reason="known false alarms of the session-23 refit")
@pytest.mark.parametrize(("text", "reserved"), MISSED)
def test_refit_known_false_alarms(library, text: str, reserved: bool) -> None:
    assert _flag(library, text) is reserved


@pytest.mark.parametrize(
    "name", ["stance-items-28", "stance-items-29", "ofsted-docs-31", "transport-32"]
)
def test_the_collector_refuses_held_back_sets(name: str) -> None:
    # Refused by name, before any file of the set is opened.
    with pytest.raises(SystemExit, match="held back"):
        reservation_collect.collect(name)


def test_the_collector_reads_spent_names() -> None:
    assert not reservation_collect._forbidden("stance-items-27")
    assert not reservation_collect._forbidden("stance-items-2")


def _item(**kw) -> dict:
    row = {"tags": [], "stance": "agree", "gold_stance": "agree", "stance_ok": [], "kind": "answer"}
    row.update(kw)
    return row


def test_false_alarm_classes() -> None:
    from benchmarks.reservation_errors import false_alarm_class, miss_class

    said = "My neighbour worries about the noise, but I'm all for it."
    assert false_alarm_class(_item(), said) == "another's view"
    assert false_alarm_class(_item(tags=["tick_conflict"]), said) == "tick vs text"
    assert false_alarm_class(_item(stance="disagree"), said) == "stance wrong"
    reason = "It would mean more traffic past the school."
    assert false_alarm_class(_item(stance="disagree", gold_stance="disagree"), reason) == (
        "reason for opposing"
    )
    assert false_alarm_class(_item(), "Fine, as long as it opens on time.") == "cue inside support"
    assert false_alarm_class(_item(), "Buses need priority.") == "no cue"
    assert false_alarm_class(_item(), None) == "not read (rules' flag)"
    assert miss_class(_item(), None) == "not read"
    assert miss_class(_item(stance="neither"), "We'll give it a go.") == "stance wrong"
    assert miss_class(_item(), "We'll give it a go.") == "read, scored low"
