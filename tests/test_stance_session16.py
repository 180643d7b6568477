"""Session 16's readings (issue 13), on phrasings written for these tests.

The rules were written from the spent sets' errors (care leavers' inspection, a
low-traffic scheme); these sentences are about other proposals (a library's Sunday
hours, a park's dog-free zone, a school uniform, bin collections) in other voices,
with negatives and near misses.
"""

from __future__ import annotations

import discourse_reference as ref
import pytest

from helpers.stance import infer_stance
from helpers.stance.clauses import _clauses
from helpers.stance.discourse import refine
from helpers.stance.vocabulary import asides, mask_asides


def _read(text: str):
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # an aside after a negated auxiliary: the negator still governs the verb
        (
            "The Friends of the Library value Sunday opening. We cannot, however, endorse the "
            "plan to staff it with volunteers.",
            "disagree",
        ),
        ("Our residents' group would not, on balance, back a dog-free zone.", "disagree"),
        ("I don't, frankly, approve of the new uniform.", "disagree"),
        ("We would not, at this stage, object to fortnightly bins.", "agree"),
        ("The parish council does not, I'm afraid, favour the change.", "disagree"),
        # an aside with no negator reads as before
        ("We do, however, welcome the longer hours.", "agree"),
        # a comma splice is a clause break, not an aside: the later clause decides
        ("The uniform is not cheap, however, we support it.", "agree"),
    ],
)
def test_an_aside_does_not_cut_off_negation(text, stance):
    assert _read(text).stance == stance


def test_the_first_reader_reads_through_the_aside():
    assert infer_stance("We do not, however, agree with the dog-free zone.").stance == "disagree"
    assert infer_stance("We would not, however, oppose the dog-free zone.").stance == "agree"
    # (the first reader takes "support" as a verb only right after a pronoun; the
    # discourse reader reads "We do not, however, support the zone" as disagreement)
    assert _read("We do not, however, support the dog-free zone.").stance == "disagree"


def test_an_aside_keeps_offsets_and_marks_the_contrast():
    text = "we do not, however, back it."
    masked = mask_asides(text)
    assert len(masked) == len(text) and "," not in masked and masked.startswith("we do not ")
    assert [w for _, _, w in asides(text)] == ["however"]
    # "however" as an aside concedes the sentence before, like a sentence opening "However"
    low = "we like the idea. we do not, however, back it."
    weights = [c.weight for c in _clauses(low)]
    assert weights[0] < 1.0 < weights[-1]
    assert asides("it is good, however, we worry.") == []


@pytest.mark.parametrize(
    "text",
    [
        "We'll wait and see how the first month goes.",
        "The governors would defer to the head teacher on the uniform.",
        "Time will tell whether fortnightly collections work.",
        "The jury is still out for us.",
        "We are reserving judgement until the costs are published.",
        "We await further details of the staffing before we can say.",
        "Other groups are better placed to judge the opening hours.",
    ],
)
def test_a_deferral_is_dont_know(text):
    assert _read(text).stance == "dont_know"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # postponing the proposal is no deferral to others
        ("We would ask the council to defer the change to April; it is too soon.", "disagree"),
        # a deferral beside a stated position does not outweigh it
        ("We support the Sunday hours, though we will wait and see on staffing.", "agree"),
        # indifference takes no side, nor does a household that cannot agree
        ("Honestly I couldn't care less, I never use the park.", "neither"),
        ("Meh, the old uniform was fine too.", "neither"),
        ("My wife wants the Sunday hours and I don't; we've agreed to differ.", "neither"),
    ],
)
def test_deferral_near_misses(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a mark above the middle of its scale approves, below it disapproves
        ("Sunday opening? Nine out of ten from me.", "agree"),
        ("I'd rate the dog-free zone 2/10, it punishes responsible owners.", "disagree"),
        ("Two out of five for the new uniform - too expensive.", "disagree"),
        # a later contrast still decides
        ("Seven out of ten as an idea, but we cannot support it without more staff.", "disagree"),
    ],
)
def test_a_mark_out_of_ten_is_a_position(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    "text",
    [
        "Eight out of ten parents at our school walk their children in.",  # a proportion
        "Five out of ten. Some days good, some days not.",  # the middle of the scale
        "We collected 3/10 of the bins before noon.",
    ],
)
def test_not_a_mark(text):
    from helpers.stance.rating import ratings

    assert ratings(text.lower()) == []


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Having read the plans, I'm for the Sunday opening.", "agree"),
        ("OUR GROUP IS TIRED OF MUDDY LAWNS. WE ARE ALL FOR THE DOG-FREE ZONE.", "agree"),
        ("I wouldn't say we're for the new uniform.", "disagree"),
    ],
)
def test_for_as_a_position(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # an opposition denied about the general thing, restated about the detail
        (
            "We're not against a dog-free area. We're against it covering the whole park.",
            "disagree",
        ),
        (
            "I am not opposed to uniforms; I am opposed to a blazer that costs ninety pounds.",
            "disagree",
        ),
        ("Not anti-library at all. Against Sunday opening with no paid staff though.", "disagree"),
        # a denial with nothing restated still agrees (double negation)
        ("I'm not against the Sunday hours. The building is empty otherwise.", "agree"),
    ],
)
def test_an_opposition_denied_then_narrowed(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a reply corrected: what came before is withdrawn
        ("Yes! Oops, I mean no. Keep the park open to dogs.", "disagree"),
        ("No, sorry - I meant yes, I misread the question.", "agree"),
        # "I mean" as a filler corrects nothing
        ("We don't want it. I mean, who asked for a blazer?", "disagree"),
    ],
)
def test_a_corrected_reply(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a belief given up, then a change of mind
        (
            "I assumed the blazer would be a waste of money. Having seen the price list, I've "
            "changed my mind and I back it.",
            "agree",
        ),
        # a belief still held is no past view
        ("I thought the Sunday hours would be pointless. I still do.", "disagree"),
    ],
)
def test_a_belief_given_up(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # something that went wrong is no verdict on the proposal
        (
            "We back the dog-free zone. Last summer a picnic went wrong when a dog knocked over a "
            "pram; that should not happen in a park.",
            "agree",
        ),
        (
            "As governors we support the new uniform, because when a family's finances have gone "
            "wrong nobody at school should be able to tell.",
            "agree",
        ),
        # sarcasm about what could go wrong is still read as such
        ("Fortnightly bins in August. What could possibly go wrong?", "disagree"),
    ],
)
def test_gone_wrong_is_literal(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # support in a situation that is not the respondent's: turned round
        ("If I had a dog I would welcome the new dog-free zone in the park.", "disagree"),
        ("If we still ran the reading group, we would be in favour of it.", "disagree"),
        ("If I worked nights I'd be in favour of the later bin collections.", "disagree"),
        # support for a proposal of another size or cost: a counter-proposal
        ("We would back the library's Sunday opening if it were cheaper to run.", "disagree"),
        ("If the zone were much smaller, I'd support it.", "disagree"),
        # ordinary conditions stay agreement
        ("We support the new bin schedule provided that collections stay weekly.", "agree"),
        ("I'd support the uniform if the school kept the blazer optional.", "agree"),
        ("We would welcome the zone if it were properly signed.", "agree"),
        # a position after the hypothetical, in the respondent's own voice
        ("If I were a dog owner I'd grumble, so yes, I suppose I support it.", "agree"),
    ],
)
def test_a_hypothetical_or_counter_proposal(text, stance):
    assert _read(text).stance == stance
    first = infer_stance(text)
    assert _read(text) == ref.refine(text, first)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("My sister says the bin plan is a waste of money. I don't agree with her.", "agree"),
        ("Some people say the park zone is unfair. They are quite wrong.", "agree"),
        ("My husband says the new uniform is unnecessary, and he's right.", "disagree"),
        (
            "My neighbour thinks the library is badly run and I strongly agree with him.",
            "not_answered",
        ),  # fmt: skip
        # the view dismissed
        ("Some people say the dog-free zone is unfair. I think that's an excuse.", "agree"),
        # no view reported before: an ordinary position
        ("I don't agree with the fortnightly bins.", "disagree"),
        ("The zone is unfair on dog walkers, and that is nonsense.", "strongly_disagree"),
    ],
)
def test_a_reply_to_another_persons_view(text, stance):
    assert _read(text).stance == stance
    first = infer_stance(text)
    assert _read(text) == ref.refine(text, first)
