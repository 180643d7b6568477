"""Campaign pairs corroborated across questions (session 14, ``ingest.campaign_pairs``).

The texts are written for these tests (a library-hours consultation no development
set uses): two supporters of a "Open Shelves" campaign each reword its two short
texts, one under each question; other respondents write their own answers, some
agreeing with the campaign in their own words (similar opinions, not copies), and
one pair shares a reworded text under one question only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.core import schemas
from helpers.ingest import campaign_pairs, campaign_rows, campaigns

QUESTIONS = {
    "q1": "Do you agree with the proposal to close the central library on Sundays?",
    "q2": "What else should the council consider before changing library opening hours?",
    "q3": "Do you have any other comments?",
}

CAMPAIGN = [
    (
        "r01",
        "q1",
        "Open Shelves says no to Sunday closure. Sunday is the only day working parents "
        "can bring their kids to story time.",
    ),
    (
        "r01",
        "q2",
        "Ask the volunteers first: the Friends group already offered to staff the issue "
        "desk for free on Sunday afternoons.",
    ),
    (
        "r02",
        "q1",
        "Like Open Shelves I say no to closing on Sundays – it's the one day working "
        "parents can take their children to story time.",
    ),
    (
        "r02",
        "q2",
        "Ask volunteers first. The Friends group has already offered to run the issue desk "
        "for nothing on Sunday afternoons.",
    ),
]

OWN = [
    ("r03", "q1", "No. I study there every Sunday because my flat is too noisy to revise in."),
    ("r03", "q2", "Cut the late Thursday opening instead; it is always empty after seven."),
    ("r04", "q1", "Yes, the savings are needed and most people borrow e-books now anyway."),
    ("r04", "q2", "Look at sharing the building with the council's advice service to cut costs."),
    ("r05", "q1", "I disagree. Closing on Sundays hurts families, who cannot come in the week."),
    ("r05", "q2", "Families with young children should be asked before any change is made."),
    ("r06", "q1", "Strongly disagree: the library is the only warm place some older people go."),
    ("r06", "q2", "Think about the heating costs of older residents who sit in the reading room."),
    ("r07", "q1", "Agree, as long as the mobile library van still visits the estates on Sundays."),
    ("r07", "q2", "Keep the van running and publish its timetable on the noticeboards."),
    ("r08", "q1", "No – the computer suite is how I apply for jobs and do my benefit claims."),
    ("r08", "q2", "Install self-service machines so fewer staff are needed on quiet days."),
    ("r09", "q1", "I don't mind either way, I only use the branch library near my work."),
    ("r09", "q2", "Consider opening the café longer to bring in some income for the service."),
    ("r10", "q1", "No, families need the weekend sessions and working parents have no other day."),
    ("r10", "q2", "Ask parents what times suit them before the council decides anything."),
]

ONE_QUESTION = [  # a reworded pair under q3 only: not corroborated, so not grouped
    (
        "r11",
        "q3",
        "Libraries are the last free indoor space in town where nobody expects you to buy anything.",
    ),
    (
        "r12",
        "q3",
        "The library is the last free indoor place in town where no one expects you to buy a thing.",
    ),
    ("r03", "q3", "Please keep the newspapers; I read the local one every morning."),
    ("r04", "q3", "The toilets need fixing, whatever the council decides about the hours."),
    ("r05", "q3", "Thank the staff for the summer reading challenge, my son loved it."),
]


def _detect(rows: list[tuple[str, str, str]]) -> dict:
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "question_number": pd.array([int(q[1:]) for _, q, _ in rows], dtype="Int64"),
            "start": range(len(rows)),
            "answer_text": [t for _, _, t in rows],
        }
    )
    respondents = pd.DataFrame({"respondent_id": sorted(set(answers["respondent_id"]))})
    copies = campaigns.detect_copies(respondents, answers=answers, question_texts=QUESTIONS)
    schemas.validate(copies, schemas.COPIES)
    return {
        q: sorted(m["respondent_id"]) for (q, _), m in copies.groupby(["question_id", "copy_group"])
    }


def test_reworded_pair_under_two_questions_is_a_campaign_pair():
    """r01 and r02 reword both campaign texts: grouped under q1 and q2. The copy rules alone
    miss them (too short and too reworded for a pair of short copies)."""
    assert _detect(CAMPAIGN + OWN + ONE_QUESTION) == {"q1": ["r01", "r02"], "q2": ["r01", "r02"]}


def test_one_question_is_not_enough():
    """Only one of the campaign texts copied (r02 wrote q2 in her own words): not grouped; nor
    is the q3 pair, reworded under one question only."""
    rows = [*CAMPAIGN[:3], ("r02", "q2", "Longer hours on Saturday would do instead."), *OWN]
    assert _detect(rows + ONE_QUESTION) == {}


def test_similar_opinions_are_not_copies():
    """r05 and r10 both oppose the closure for families' sake under both questions, in their
    own words: the same opinion twice, not a campaign."""
    assert _detect(OWN + ONE_QUESTION) == {}


def test_overlap_is_weighted_jaccard():
    """Shared weight over the union's: {a, b} and {b, c} with weights 1, 2, 3 share b (2)
    of 1 + 2 + 3 = 6."""
    idf = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert campaign_pairs.overlap(frozenset("ab"), frozenset("bc"), idf) == pytest.approx(2 / 6)
    assert campaign_pairs.overlap(frozenset(), frozenset("bc"), idf) == 0.0


def test_features_leave_out_stopwords_and_the_question():
    """Words and adjacent pairs of the answer's own: "the" (a stopword) and "library" (the
    question's word) are not features alone, "library hours" is (a pair with a word of its own)."""
    got = campaign_pairs.features("the library hours", frozenset({"library"}))
    assert got == frozenset({"hours", ("library", "hours")})


def test_standardise_reads_deviations_above_the_trimmed_null():
    """100 null values 0..99: the top 1 % (99) is cut, the rest has mean 49 and standard
    deviation sqrt((99^2 - 1) / 12) = 28.58; 49 + 2 * 28.58 is 2 deviations."""
    null = np.arange(100, dtype=float)
    z = campaign_pairs.standardise(np.array([49.0, 49.0 + 2 * 28.577380332470412]), null)
    assert z == pytest.approx([0.0, 2.0])
    assert np.isnan(campaign_pairs.standardise(np.array([1.0]), np.zeros(10))).all()


def test_null_sample_is_fixed_and_skips_grouped_pairs():
    """All pairs of 4 answers but the one in a copy group together (0 and 1); a sample of a
    large question is the same from run to run."""
    assert campaign_pairs.null_sample(4, ["g", "g", "x", "y"]) == [
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 3),
    ]
    big = list(range(1000))
    assert campaign_pairs.null_sample(1000, big, 50) == campaign_pairs.null_sample(1000, big, 50)


def test_new_groups_skip_answers_grouped_already():
    """A pair under q1 and q2 where r1's q1 answer is someone's copy already: only q2 is added."""
    pairs = [("q1", "r1", "r2", 9.0, 0.5), ("q2", "r1", "r2", 8.0, 0.4)]
    assert campaign_rows.new_groups(pairs, {("q1", "r1")}) == [("q2", {"r1": 40.0, "r2": 40.0})]


def test_campaign_text_under_another_question_corroborates_the_pair():
    """Session 15: r02's reading put her second campaign text under q3 (a form's wrong box, a
    petition e-mail with no headings), so the pair shares wording under q1 only; the same text
    under q2 and q3 is corroboration across questions, and the q1 pair is grouped. The cross
    pair itself is not a group (its answers are to different questions)."""
    moved = [*CAMPAIGN[:3], ("r02", "q3", CAMPAIGN[3][2]), *OWN]
    assert _detect(moved + ONE_QUESTION[2:]) == {"q1": ["r01", "r02"]}


def test_own_words_under_another_question_do_not_corroborate():
    """The same, but what r02 wrote under q3 is her own: one question only, not grouped."""
    rows = [*CAMPAIGN[:3], ("r02", "q3", "The toilets need fixing before anything else."), *OWN]
    assert _detect(rows + ONE_QUESTION[2:]) == {}
