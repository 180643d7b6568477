"""Session 20's readings (issue 13), on batch 22's answers and phrasings of other spent sets.

Each expected value was checked by hand against the set's gold label.
"""

from __future__ import annotations

from helpers.stance.clauses import CONCEDED, _clauses
from helpers.stance.concession import denied_before_contrast
from helpers.stance.discourse import refine
from helpers.stance.infer import infer_stance


def read(text: str) -> str:
    return refine(text, infer_stance(text)).stance


def test_without_and_a_modal_is_a_condition():
    # transport-22, town-council-trial-first-pdf (gold agree): the objection is conditional.
    text = (
        "Members resolved, by 8 votes to 3, that an 18-month experimental order is acceptable "
        "only if the council publishes traffic counts for Eastbrook's streets every three "
        "months during it. Without that commitment the Town Council would oppose the order."
    )
    assert read(text) == "agree"
    low = "without that commitment the town council would oppose the order."
    assert [c.weight for c in _clauses(low)] == [CONCEDED]


def test_without_doubt_is_emphasis_not_a_condition():
    assert read("Without doubt we would oppose this.") == "disagree"
    assert [c.weight for c in _clauses("without doubt we would oppose this.")] == [1.0]


def test_a_denied_objection_to_something_general_before_a_contrast_is_held_back():
    # transport-22, nursery-like-worry-md (gold disagree, neither acceptable): was agree.
    text = (
        "Half our parents drop off by car on their way to work across Bridge Street, and from "
        "7am they will be turned away or fined. We are not against buses but we do not see how "
        "we survive this as it stands."
    )
    assert read(text) == "neither"
    # transport (batch 1), nurse-webform (gold neither): was agree.
    nurse = (
        "I'm not against quieter streets – I see the results of road crashes every week – but "
        "at 6.15am there is no bus that gets me to the hospital."
    )
    assert read(nurse) == "neither"


def test_a_denied_objection_naming_the_proposal_still_agrees():
    assert (
        read("We have no objection to the scheme but ask that the hours are reviewed.") == "agree"
    )
    low = "we have no objection to the scheme but ask that the hours are reviewed."
    assert not denied_before_contrast(low, low.index("objection") + 9, (0, low.index(" but")))
    low = "we are not against buses but we do not see how we survive this."
    assert denied_before_contrast(low, low.index("against") + 7, (0, low.index(" but")))


def test_do_it_properly_is_no_do_it():
    # ofsted-docs-22, stance-as-heading-md (gold disagree): was strongly_agree.
    text = (
        "not if it means rushing it. do it properly in the spring or whenever, an extra few "
        "months wont kill anyone if it means the inspectors actually know what they are "
        "looking for."
    )
    assert read(text) not in ("agree", "strongly_agree")
    # ofsted-docs-19 (gold agree): was strongly_agree from "do it".
    assert read("Yes. Because then they have to do it properly.") == "agree"
    # stance-items-18 (gold agree): support offered on that condition stays.
    assert read(
        "If you bring this in and it turns into another tick-box, the care leavers' forum will "
        "boycott every inspection visit. Do it properly and we're with you."
    ) in ("agree", "strongly_agree")
    # Session 23: "do it" weighs as strong but gives no strength (stance.strength): of the 8
    # spent items that say "just do it", agree is acceptable in 6, strongly agree in 2.
    assert read("Just do it.") == "agree"


def test_keep_it_as_a_sentence_end_agrees():
    # transport-22, nursery-like-worry-md (gold agree): was read as disagreement by the gate.
    text = (
        "The quiet streets! Since the planters went in we take the children out on walks to "
        "the river every morning. The air outside the nursery feels cleaner too. Please keep them."
    )
    assert read(text) == "agree"
    # stance-items-19 tr19-058 (gold agree).
    assert read("It's the cheapest road-safety scheme I've seen: a few planters and a camera. "
                "Good value, keep it.") == "agree"  # fmt: skip
    assert read("Don't keep it.") == "disagree"
    # stance-items-18 (gold disagree): a threat, not the phrase.
    assert read("Keep the gate and we'll take our business to Ashby.") != "agree"
    assert read("I'd keep it short and focused on outcomes.") != "strongly_agree"


def test_unable_to_come_down_on_one_side_takes_no_side():
    # transport-22, engineer-inline-signposts-eml (gold dont_know, neither acceptable).
    text = (
        "As to your third, the Bridge Street bus gate: I find myself genuinely unable to come "
        "down on one side. The bus journey time savings are real; so is the diversion of some "
        "900 vehicles an hour in the morning peak onto roads with no spare capacity."
    )
    assert read(text) == "neither"


def test_going_ahead_as_planned_agrees():
    # ofsted-docs-22, not-done-at-18-statement-html and supporter-exact-copy-eml (gold agree).
    text = (
        "Start in January 2023 as planned. Every month of delay is another group of us leaving "
        "care with nobody checking."
    )
    assert read(text) == "agree"
    from helpers.stance.asplanned import as_planned

    assert as_planned("the trust and the law centre would start in january 2023 as proposed.")
    assert as_planned("don't start it in january as planned.") == []
    assert as_planned("the council objects to the bus gate as proposed.") == []
    assert read("The Council objects to the bus gate as proposed.") == "disagree"
