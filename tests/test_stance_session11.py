"""Session 11's readings (issue 13), on phrasings written for these tests only.

The rules were written from the misses of stance-items-10 (care leavers, a
low-traffic scheme); these sentences are about other proposals (a swimming pool's
hours, a weekly bin round, a library move, a school's term dates, a market
relocation) in other voices. Negatives check each reading stays where it belongs.
"""

from __future__ import annotations

import pytest

from helpers.stance import infer_stance
from helpers.stance.denial import denials
from helpers.stance.discourse import refine
from helpers.stance.preference import preferred_alternatives


def _read(text: str):
    return refine(text, infer_stance(text))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a preferred alternative, no word of position: disagreement
        ("We would much rather the market stayed on the square.", "disagree"),
        ("Personally I'd prefer the pool to open at seven, as it does now.", "disagree"),
        ("The governors would prefer the new term dates to start after Easter.", "disagree"),
        ("i'd rather keep my fortnightly collection tbh", "disagree"),
        # negatives: a comparison whose other side is the status quo or nothing agrees
        ("I'd rather have the new library than no library at all.", "agree|not_answered"),
        ("We'd prefer longer opening hours to the current patchwork, so yes.", "agree"),
        # the proposal itself made stronger or given a go: not an alternative
        ("Fair enough, and I'd rather they gave it a proper go.", "agree"),
        # "rather not" is the lexicon's, not an alternative's
        ("We would rather not take a view on the market.", "dont_know"),
        # a contrast after the preference decides
        (
            "We would prefer a shorter pilot, but we support moving the library overall.",
            "agree",
        ),
    ],
)
def test_a_preferred_alternative_disagrees(text, stance):
    assert _read(text).stance in stance.split("|")


def test_preferred_alternative_spans():
    text = "honestly we would rather the money went on the leisure centre."
    (span,) = preferred_alternatives(text)
    assert text[span[0] : span[1]] == "would rather"
    assert preferred_alternatives("if you'd prefer.") == []
    assert preferred_alternatives("i prefer it.") == []  # no "would": a liking, not an alternative
    assert preferred_alternatives("we'd rather it went ahead as planned.") == []


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # feasibility and readiness of the timing
        ("Moving the bin round to Tuesdays from March is achievable for our crews.", "agree"),
        ("A September start looks perfectly workable.", "agree"),
        ("We're nowhere near ready for a move in the spring.", "disagree"),
        ("The pool staff won't be ready by then.", "disagree"),
        ("We'll be ready whenever you are.", "agree"),
        ("We are content for the market to move.", "agree"),
        ("So the parish is content to see it go ahead, and we are content.", "agree"),
        # negatives
        ("An April move isn't realistic for the traders.", "disagree"),
        ("We are not content with the new rota.", "disagree"),
        ("We can't judge whether an April move is achievable for the traders.", "dont_know"),
        ("Our concern is the content of the new timetable.", "not_answered"),
        ("We are content either way on the date.", "neither"),
    ],
)
def test_feasibility_readiness_and_content(text, stance):
    assert _read(text).stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # sarcasm: "ah yes" opening a sentence, "nothing says X like Y"
        ("Ah yes, move the market to a car park and call it regeneration.", "disagree"),
        ("Great plan. Nothing says community like locking the library on Saturdays.", "disagree"),
        # negatives: sincere praise, and "nothing" not opening a sarcastic sentence
        ("Nothing could be better for the town than a proper market.", "agree|not_answered"),
        ("Yes, move it. The square is too small.", "agree"),
    ],
)
def test_sarcasm_openers(text, stance):
    assert _read(text).stance in stance.split("|")


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # a claim set up, then a bare denial: disagreement
        ("The leaflet says the new bin round will save money. It won't.", "disagree"),
        ("We would back the library move if the bus stopped outside. It doesn't.", "disagree"),
        ("They tell us Saturday swimming is quieter. That isn't so.", "disagree"),
        # negatives: no claim before it, a denial with more words, "we" answering a question
        ("It doesn't.", "not_answered|disagree"),
        ("We support the move. It doesn't matter to us which day.", "agree"),
        ("Do we agree with the new term dates? We do.", "agree"),
    ],
)
def test_a_claim_restated_then_denied(text, stance):
    assert _read(text).stance in stance.split("|")


def test_denial_spans():
    text = "they say it will help. it won't. we support it."
    ((claim, s, e),) = denials(text)
    assert text[claim:s].strip() == "they say it will help."
    assert text[s:e] == "it won't."
    assert denials("it won't.") == []
