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


HOUSING = (  # a two-sentence campaign answer to q2, 180 characters
    "Every care leaver should have a safe home on the day they leave care. Councils should "
    "be judged on how many of their care leavers were homeless or in a hostel last year."
)
SHORT_Q3 = "Make the new judgement count for every care leaver."  # 50 characters


def _letters_and_forms(letters: dict[str, str]) -> list[tuple[str, str, str]]:
    rows = [(f"f{k}", "q2", HOUSING) for k in range(3)]
    rows += [(f"f{k}", "q3", SHORT_Q3) for k in range(5)]
    rows += [("f9", "q2", "Our own view on housing: the offer differs too much between areas.")]
    return rows + [(rid, "unstructured", text) for rid, text in letters.items()]


def test_a_letter_copying_a_questions_campaign_text_is_a_member_under_that_question():
    letters = {
        "l1": "Dear Ofsted,\n\nI support the campaign.\n\n"
        + HOUSING
        + "\n\nYours faithfully,\nAlex",
        # the text reflowed over two paragraphs, a word changed, a line of the sender's own
        "l2": "To whom it may concern\n\nEvery care leaver should have a safe home on the day "
        "they leave care.\n\nCouncils should be judged on how many of their care leavers were "
        "homeless or in a B&B last year. I was one of them.\n\nRegards",
        # the short q3 text with a sentence of one's own, in a letter that also copies q2
        "l3": "Hello,\n\n" + HOUSING + "\n\nThis matters to me. " + SHORT_Q3 + "\n\nThanks, Sam",
    }
    copies = _detect(_letters_and_forms(letters))
    by_q = {q: sorted(m["respondent_id"]) for q, m in copies.groupby("question_id", sort=False)}
    assert by_q == {
        "q2": ["f0", "f1", "f2", "l1", "l2", "l3"],
        "q3": ["f0", "f1", "f2", "f3", "f4", "l3"],
    }
    assert copies.groupby("question_id")["copy_group"].nunique().tolist() == [1, 1]
    # The forms' text stays the representative; a letter's row is never it.
    assert not copies.loc[copies["respondent_id"].str.startswith("l"), "is_first"].any()


def test_a_letter_quoting_a_campaign_line_in_its_own_argument_is_not_a_member():
    letters = {
        "l1": "Dear Sir,\n\nThe leaflet I was given says we should make the new judgement count "
        "for every care leaver. I think a single judgement hides more than it shows, and "
        "inspectors should report on each service separately instead.\n\nYours, Jo",
        "l2": "Dear Sir,\n\nMake the new judgement count for every care leaver. But I disagree "
        "with the campaign.\n\nJo",
        "l3": "Dear Ofsted, every care leaver should have a safe home, as the campaign says, but "
        "judging councils on how many were homeless last year punishes those who take in "
        "the most young people from other areas. Please think again.",
    }
    copies = _detect(_letters_and_forms(letters))
    assert not copies["respondent_id"].str.startswith("l").any()
    # Two letters sending the same text are still compared whole with each other.
    same = "Dear Council,\n\n" + HOUSING + " We ask you to act now on behalf of all care leavers."
    copies = _detect(_letters_and_forms({"l1": same, "l2": same.replace("Council", "Sir")}))
    assert sorted(copies.loc[copies["question_id"] == "*", "respondent_id"]) == ["l1", "l2"]


def test_a_letters_copy_counts_in_the_questions_base_and_copies():
    from helpers import analysis

    letter = "Dear Ofsted,\n\n" + HOUSING + "\n\nYours faithfully"
    rows = _letters_and_forms({"l1": letter})
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "answer_text": [t for _, _, t in rows],
        }
    )
    counts = analysis.campaign_counts(answers, _detect(rows)).set_index("question_id")
    # q2: f0-f2 copy it under the heading, f9 wrote its own, l1's letter copies it.
    assert counts.loc["q2"].tolist() == [5, 4, 1, 1]
    assert counts.loc["q3"].tolist() == [5, 5, 1, 0]
