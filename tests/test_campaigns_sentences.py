"""Campaign copies with the sender's own sentences added: short texts, whole sentences only, traps."""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.ingest import campaigns, nearcopies

POOL = "Save the Riverside pool and its Saturday swimming lessons."  # 56 characters normalised
POOL_COPIES = [  # written after the rule, in styles it was not tuned on
    POOL,
    "save the riverside pool and its saturday swimming lessons",
    "I swim there every week. Save the Riverside pool and its Saturday swimming lessons.",
    "Save the Riverside pool and its Saturday swimming lessons! My kids learnt to swim there.",
    "Save the Riverside pool and its Saturday swiming lessons. Thanks",  # typo + a word
    "Please!\n\nSave the Riverside pool and its Saturday swimming lessons",  # a paragraph first
]


def _detect(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "question_number": pd.array([1] * len(rows), dtype="Int64"),
            "start": range(len(rows)),
            "answer_text": [t for _, _, t in rows],
        }
    )
    respondents = pd.DataFrame({"respondent_id": sorted(set(answers["respondent_id"]))})
    copies = campaigns.detect_copies(respondents, answers=answers)
    schemas.validate(copies, schemas.COPIES)
    return copies


def _groups(copies: pd.DataFrame) -> list[list[str]]:
    return sorted(sorted(m["respondent_id"]) for _, m in copies.groupby("copy_group"))


def test_normalise_keeps_sentence_ends_as_one_character():
    text = "Keep it open. Please!  Thank you\n\nYours, Sam"
    norm = campaigns.normalise(text)
    assert norm == "keep it open\nplease\nthank you\nyours sam"
    assert campaigns.flat(norm) == "keep it open please thank you yours sam"
    # A line wrapped mid-sentence (PDF, e-mail) is not a sentence end; "B&B" is not one either.
    assert campaigns.normalise("No hostel, B&B or\nunregulated flat.") == (
        "no hostel b b or unregulated flat"
    )


def test_a_short_text_with_a_sentence_of_ones_own_before_or_after_is_a_copy():
    rows = [(f"r{k}", "q1", t) for k, t in enumerate(POOL_COPIES)]
    copies = _detect(rows)
    assert _groups(copies) == [[f"r{k}" for k in range(6)]]
    rep = copies[copies["is_first"]]["respondent_id"].tolist()
    assert rep == ["r0"]  # the shared text, sent word for word twice, is the representative


def test_an_added_sentence_that_turns_the_position_around_is_not_a_copy():
    core = campaigns.normalise(POOL)
    for added in (
        "Save the Riverside pool and its Saturday swimming lessons. But I disagree.",
        "I do not support this. Save the Riverside pool and its Saturday swimming lessons.",
        "Save the Riverside pool and its Saturday swimming lessons? No, close it.",
    ):
        assert nearcopies.similarity(campaigns.normalise(added), core, 90) == 0.0, added
    rows = [(f"r{k}", "q1", POOL) for k in range(5)]
    rows += [("x1", "q1", POOL + " But I disagree."), ("x2", "q1", POOL + " Never again.")]
    assert _groups(_detect(rows)) == [[f"r{k}" for k in range(5)]]


def test_words_added_inside_a_sentence_or_a_longer_addition_are_not_a_copy():
    core = campaigns.normalise(POOL)
    for other in (
        "Speaking as a mother of three, save the Riverside pool and its Saturday swimming lessons.",
        "Save the Riverside pool and its Saturday swimming lessons for the under fives only.",
        # added sentences longer than the shared text
        POOL + " The lessons are the only affordable ones in town and my children would "
        "have nowhere else to learn before secondary school starts.",
    ):
        assert nearcopies.similarity(campaigns.normalise(other), core, 90) == 0.0, other


def test_two_answers_sharing_a_stock_sentence_are_not_one_campaign():
    stock = "We support the proposal in principle."
    a = stock + " Staff need far more training on autism and ADHD."
    b = stock + " Parents should be told about the change much sooner."
    rows = [(f"a{k}", "q1", a) for k in range(5)] + [(f"b{k}", "q1", b) for k in range(5)]
    assert _groups(_detect(rows)) == [[f"a{k}" for k in range(5)], [f"b{k}" for k in range(5)]]
    # The stock sentence sent on its own is not a copy of a text it is only part of.
    s = campaigns.normalise("We would be happy to discuss this further with the team.")
    campaign = campaigns.normalise(
        "We would be happy to discuss this further with the team. Training must come first."
    )
    assert nearcopies.similarity(s, campaign, 90, added=True) == 0.0
    # A text sent word for word by several people is a campaign of its own, not a personal
    # copy of the stock sentence: the two groups stay apart.
    rows = [
        (f"s{k}", "q1", "We would be happy to discuss this further with the team.")
        for k in range(6)
    ]
    rows += [(f"c{k}", "q1", campaign) for k in range(5)]
    assert _groups(_detect(rows)) == [[f"c{k}" for k in range(5)], [f"s{k}" for k in range(6)]]


def test_a_long_answer_quoting_a_campaign_line_in_its_own_argument_is_not_a_copy():
    quote = (
        "The campaign leaflet says: save the Riverside pool and its Saturday swimming lessons. "
        "I think the pool costs far too much to run and the money would be better spent on "
        "the library and the youth club, which serve many more people."
    )
    rows = [(f"r{k}", "q1", POOL) for k in range(5)] + [("q", "q1", quote)]
    assert _groups(_detect(rows)) == [[f"r{k}" for k in range(5)]]


def test_a_representative_with_no_addition_leads_copies_that_each_add_their_own():
    core = (
        "Disabled tenants are too often moved to the back of the repairs queue and wait "
        "months for adaptations. The new standard must check they are seen as quickly."
    )
    rows = [
        ("a", "q1", "I agree with the campaign. " + core),
        ("b", "q1", core + " I hope you take this seriously."),
        ("c", "q1", "Please take note. " + core.lower()),
        ("d", "q1", core),
    ]
    copies = _detect(rows)
    assert _groups(copies) == [["a", "b", "c", "d"]]
    assert copies.loc[copies["is_first"], "respondent_id"].tolist() == ["d"]  # the shortest
    # Many small edits that keep the letters ("my" / "our" throughout) are a copy too.
    ours = core.replace("Disabled tenants", "Our disabled tenants").replace("they", "we")
    assert nearcopies.similarity(campaigns.normalise(ours), campaigns.normalise(core)) >= 90
