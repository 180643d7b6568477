"""Campaign copies per question: the copied answer, short texts, small edits, no chaining, scale."""

from __future__ import annotations

import random

import pandas as pd
from rapidfuzz import fuzz

from benchmarks import campaigns as bench
from helpers.core import schemas
from helpers.ingest import campaigns, find_copies, nearcopies

PREAMBLE = (
    "Dear Sir or Madam, I am writing in response to your consultation on the library service."
)
OWN = [  # independent answers to q1, long enough to be compared, none alike
    "Our village hall could host a library corner run by volunteers twice a week.",
    "The council should publish the cost of each branch before deciding anything at all.",
    "I would pay a small annual fee if it meant the branch kept its current opening hours.",
    "Opening hours matter less to us than having a children's librarian on Saturday mornings.",
    "Please put the money into the mobile library instead, it reaches far more farms and hamlets.",
    "We run a reading group that meets at the branch; losing it would end the group for good.",
]
CAMPAIGN_Q2 = "Keep Elm Street library open on Sundays too."  # 43 characters normalised
EDITS_Q2 = [
    CAMPAIGN_Q2,
    "Keep Elm Stret library open on Sundays too",  # typo
    "Keep Elm Street library open on Sunday too.",  # a letter dropped
    "keep elm street library open on sundays too!!",  # case and punctuation
    CAMPAIGN_Q2,
    "Keep Elm Street library open on Sundays, too",
]
LETTER = (
    "Dear Councillors, I am writing to ask you to reverse the decision to close the Elm Street "
    "library. It is the only warm, free and quiet place in the ward where children can do their "
    "homework and older people can read the paper and use a computer. Please keep it open."
)


def _answers(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """An ANSWERS-like frame from (respondent_id, question_id, text), in document order."""
    numbers = {"q1": 1, "q2": 2, "q3": 3}
    return pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "question_number": pd.array([numbers.get(q) for _, q, _ in rows], dtype="Int64"),
            "start": range(len(rows)),
            "answer_text": [t for _, _, t in rows],
        }
    )


def _detect(rows: list[tuple[str, str, str]], **kw) -> pd.DataFrame:
    answers = _answers(rows)
    respondents = pd.DataFrame({"respondent_id": sorted(set(answers["respondent_id"]))})
    copies = campaigns.detect_copies(respondents, answers=answers, **kw)
    schemas.validate(copies, schemas.COPIES)
    return copies


def _groups(copies: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    return {
        (g, str(m["question_id"].iloc[0])): sorted(m["respondent_id"])
        for g, m in copies.groupby("copy_group")
    }


def test_the_copied_answer_is_grouped_under_its_question_not_the_whole_response():
    rows = []
    for k, own in enumerate(OWN):
        rid = f"r{k + 1}"
        rows += [(rid, "preamble", PREAMBLE), (rid, "q1", own), (rid, "q2", EDITS_Q2[k])]
    # r1 and r2 also copy a paragraph in q3; r7 sends the q2 campaign text as its q3 answer.
    para = LETTER.replace("Dear Councillors, ", "")
    rows += [("r1", "q3", para), ("r2", "q3", para + " Thank you."), ("r7", "q3", CAMPAIGN_Q2)]
    copies = _detect(rows)
    assert list(copies.columns) == schemas.COPIES.names
    assert _groups(copies) == {
        ("campaign-1", "q2"): ["r1", "r2", "r3", "r4", "r5", "r6"],
        ("campaign-2", "q3"): ["r1", "r2"],  # a 260-character paragraph: two copies suffice
    }
    # The identical preamble and the distinct q1 answers are not compared or not alike.
    assert "preamble" not in set(copies["question_id"]) and "q1" not in set(copies["question_id"])
    q2 = copies[copies["question_id"] == "q2"].set_index("respondent_id")
    assert q2["is_first"].sum() == 1 and q2.loc["r1", "is_first"]  # the most-sent text, first
    assert q2.loc[["r1", "r5"], "similarity"].tolist() == [100.0, 100.0]
    assert q2.loc["r4", "similarity"] == 100.0  # differs in case and punctuation only
    assert (q2["similarity"] >= 90).all() and q2.loc["r2", "similarity"] < 100


def test_forty_character_answers_with_small_edits_are_grouped_and_others_are_not():
    rows = [(f"r{k}", "q2", text) for k, text in enumerate(EDITS_Q2)]
    rows += [("s1", "q2", "Close Elm Street library on Sundays instead."), ("s2", "q2", "Fine.")]
    (members,) = _groups(_detect(rows)).values()
    assert members == [f"r{k}" for k in range(6)]
    assert len(campaigns.normalise(CAMPAIGN_Q2)) == 43


def test_common_short_answers_are_not_a_campaign():
    common = "I agree with the proposal and have nothing further to add."
    assert len(campaigns.normalise(common)) >= 40
    # Two, three or four people writing the same stock sentence: no campaign.
    for n in (2, 3, 4):
        assert _detect([(f"r{k}", "q1", common) for k in range(n)]).empty
    # A stock answer and its opposite are never one group, however small the edit.
    agree, disagree = (
        "We strongly agree with the proposed change.",
        "We strongly disagree with the proposed change.",
    )
    assert fuzz.ratio(campaigns.normalise(agree), campaigns.normalise(disagree)) > 90
    rows = [(f"a{k}", "q1", agree) for k in range(5)] + [
        (f"d{k}", "q1", disagree) for k in range(5)
    ]
    assert sorted(_groups(_detect(rows)).values()) == [
        [f"a{k}" for k in range(5)],
        [f"d{k}" for k in range(5)],
    ]


def test_short_stock_answers_must_be_a_share_of_a_large_question():
    """In 1,000 answers, five identical short answers are under 1%: not a campaign."""
    text = "We neither agree nor disagree with the proposal as it stands."
    rows = [(f"r{k:04d}", "q1", text) for k in range(5)]
    assert len(_detect(rows)) == 5
    rng = random.Random(7)
    words = "bus road park school fees staff rota van hall books trust plan cost roof".split()
    rows += [(f"x{k:04d}", "q1", " ".join(rng.choices(words, k=10))) for k in range(995)]
    assert _detect(rows).empty
    assert campaigns.min_group_size(60, 1000) == 10 and campaigns.min_group_size(250, 1000) == 2


def test_groups_do_not_chain_through_an_intermediate_text():
    """A~B and B~C but not A~C: A's and C's senders never share a group."""
    a = "Please keep the mobile library van visiting Westfield village every Tuesday."
    b = "Please keep the mobile library bus visiting Westfield village each Tuesday."
    c = "Please keep the mobile library bus calling at Westfield village each Tuesday."
    na, nb, nc = (campaigns.normalise(t) for t in (a, b, c))
    assert fuzz.ratio(na, nb) >= 90 and fuzz.ratio(nb, nc) >= 90 and fuzz.ratio(na, nc) < 90
    rows = [(f"a{k}", "q1", a) for k in range(5)] + [(f"c{k}", "q1", c) for k in range(5)]
    rows.append(("b0", "q1", b))
    copies = _detect(rows)
    texts = {rid: campaigns.normalise(t) for rid, _, t in rows}
    groups = _groups(copies)
    assert len(groups) == 2
    for members in groups.values():
        assert not ({m[0] for m in members} >= {"a", "c"})
    # Every member is verified against its group's representative, not a neighbour.
    for _, m in copies.groupby("copy_group"):
        rep = texts[m.loc[m["is_first"], "respondent_id"].iloc[0]]
        for rid in m["respondent_id"]:
            assert nearcopies.similarity(texts[rid], rep) >= 90


def test_letters_with_no_questions_are_compared_whole():
    rows = [
        ("l1", "unstructured", LETTER),
        ("l2", "unstructured", LETTER.replace("Dear Councillors", "Dear Council")),
        ("l3", "unstructured", "Dear Council, " + OWN[0] + " " + OWN[1] + " " + OWN[2]),
        ("f1", "q1", LETTER),  # the same words answering q1 of a form
    ]
    copies = _detect(rows)
    # The letters are copies of each other whole, and (their paragraph copying f1's
    # answer) copies of q1's text too: see tests/test_campaigns_sentences.py.
    assert _groups(copies) == {
        ("campaign-1", "q1"): ["f1", "l1", "l2"],
        ("campaign-2", schemas.WHOLE_RESPONSE): ["l1", "l2"],
    }


def test_numbering_is_unique_across_questions_and_independent_of_row_order():
    rows = [(f"r{k}", "q2", t) for k, t in enumerate(EDITS_Q2)]
    rows += [(f"r{k}", "q1", CAMPAIGN_Q2 + " Please.") for k in range(6)]
    copies = _detect(rows)
    assert _groups(copies) == {
        ("campaign-1", "q1"): [f"r{k}" for k in range(6)],  # q1 comes first
        ("campaign-2", "q2"): [f"r{k}" for k in range(6)],
    }
    answers = _answers(rows).sample(frac=1, random_state=5)
    respondents = pd.DataFrame({"respondent_id": [f"r{k}" for k in range(6)]})
    shuffled = campaigns.detect_copies(respondents, answers=answers)
    pd.testing.assert_frame_equal(shuffled, copies)


def test_substantive_false_answers_are_not_compared():
    """When ANSWERS carries `substantive` (non-answers such as "No comment"), they are skipped."""
    rows = [
        (f"r{k}", "q1", "No comment on this question from us at the present time.")
        for k in range(6)
    ]
    assert len(_detect(rows)) == 6
    answers = _answers(rows).assign(substantive=False)
    respondents = pd.DataFrame({"respondent_id": [f"r{k}" for k in range(6)]})
    assert campaigns.detect_copies(respondents, answers=answers).empty


def test_twenty_thousand_answers_work_grows_linearly_and_campaigns_are_found():
    """No timing: the pairs scored are bounded per answer, and double when the answers do."""
    results = {}
    for n in (10_000, 20_000):
        answers, truth = bench.generate(n, seed=3)
        respondents = pd.DataFrame({"respondent_id": sorted(answers["respondent_id"].unique())})
        skip = {"capacity"} & set(answers["question_id"])
        found = find_copies(respondents, answers=answers, skip_questions=skip)
        # Hard bounds per distinct text: LSH buckets are capped, and so are the pairs scored.
        cap = nearcopies.LSH_BANDS * nearcopies.BUCKET_CAP
        assert found.n_candidates <= cap * found.n_distinct
        assert found.n_verified <= nearcopies.MAX_VERIFY * found.n_distinct
        results[n] = found
    small, large = results[10_000], results[20_000]
    assert large.n_units >= 1.9 * small.n_units
    # Twice the answers, about twice the pairs scored (the costly step): far from the
    # four times of comparing all pairs. Candidates grow a little faster while the
    # buckets of stock phrases fill, then level off at the cap.
    assert large.n_verified <= 2.5 * small.n_verified
    assert large.n_candidates <= 3.5 * small.n_candidates
    precision, recall = bench.pair_scores(large.copies, truth, skip)
    assert precision >= 0.98 and recall >= 0.98


def test_campaign_counts_put_copies_beside_their_base():
    from helpers import analysis

    rows = [(f"r{k}", "q2", t) for k, t in enumerate(EDITS_Q2)]
    rows += [("r6", "q2", "My own view."), ("r7", "q2", "   "), ("r8", "q1", OWN[0])]
    rows += [("l1", "unstructured", LETTER), ("l2", "unstructured", LETTER + " Thanks.")]
    answers = _answers(rows)
    copies = _detect(rows)
    counts = analysis.campaign_counts(answers, copies).set_index("question_id")
    # q2: r0-r6 answered (r7's answer is blank); six are copies of one text.
    assert counts.loc["q2"].tolist() == [7, 6, 1, 1]
    assert counts.loc[schemas.WHOLE_RESPONSE].tolist() == [2, 2, 1, 0]
    assert "q1" not in counts.index
    groups = analysis.campaign_groups(
        copies, answers, pd.DataFrame(columns=["respondent_id", "text"])
    )
    assert groups[["question_id", "n_copies", "respondent_id"]].values.tolist() == [
        ["q2", 6, "r0"],
        [schemas.WHOLE_RESPONSE, 2, "l1"],
    ]
    assert groups["text"].iloc[0] == CAMPAIGN_Q2
    assert analysis.campaign_counts(answers, copies.iloc[0:0]).empty


def test_a_copies_table_from_before_per_question_detection_still_loads(tmp_path):
    from helpers import analysis

    old = pd.DataFrame(
        {
            "respondent_id": ["a", "b"],
            "copy_group": ["campaign-1"] * 2,
            "similarity": [100.0, 100.0],
            "is_first": [True, False],
        }
    )
    old.to_parquet(tmp_path / "copies.parquet", index=False)
    copies = analysis.read_table(tmp_path, "copies")
    assert list(copies.columns) == schemas.COPIES.names
    assert copies["question_id"].tolist() == [schemas.WHOLE_RESPONSE] * 2
