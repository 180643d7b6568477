"""Reworded campaign copies (session 11): pairs whose senders changed words throughout.

The texts are written for these tests (a harbour-parking consultation no
development set uses): short copies, edited and reordered copies, a copy inside
a longer personal answer, and negatives that share only the question's words, a
common phrase or the opposite position.
"""

from __future__ import annotations

import pandas as pd

from helpers.core import schemas
from helpers.ingest import campaigns, reworded

QUESTIONS = {
    "q1": "Do you agree with the proposal to charge for parking on the harbour front?",
    "q2": "What changes would you make to the harbour parking scheme?",
}


def _detect(rows: list[tuple[str, str, str]], question_texts=QUESTIONS) -> dict:
    answers = pd.DataFrame(
        {
            "respondent_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "question_number": pd.array(
                [int(q[1:]) if q[1:].isdigit() else None for _, q, _ in rows], dtype="Int64"
            ),
            "start": range(len(rows)),
            "answer_text": [t for _, _, t in rows],
        }
    )
    respondents = pd.DataFrame({"respondent_id": sorted(set(answers["respondent_id"]))})
    copies = campaigns.detect_copies(respondents, answers=answers, question_texts=question_texts)
    schemas.validate(copies, schemas.COPIES)
    return {
        (q, g): sorted(m["respondent_id"])
        for (q, g), m in copies.groupby(["question_id", "copy_group"])
    }


OWN = [  # other answers to q1, none alike
    (
        "r10",
        "q1",
        "No. Fishermen unload at dawn and need to leave vans by the slipway for an hour.",
    ),
    (
        "r11",
        "q1",
        "Yes, if the money goes back into repairing the sea wall rather than the general budget.",
    ),
    (
        "r12",
        "q1",
        "I run the chandlery and most of my customers would simply go to Porthmellin instead.",
    ),
]


SHORT_1 = (
    "Charging on the quay will empty the town in winter. "
    "Let residents of Lower Pengarth park for free after six in the evening."
)
SHORT_2 = (
    "Charges on the quay would empty the town in the winter months - "
    "let Lower Pengarth residents park for free after six in the evening!"
)


def test_short_reworded_pair_is_one_campaign():
    """Two 120-140 character copies with words swapped and a clause moved: a pair, not chance."""
    groups = _detect([("r1", "q1", SHORT_1), ("r2", "q1", SHORT_2), *OWN])
    assert list(groups.values()) == [["r1", "r2"]]


def test_reworded_copy_inside_a_longer_personal_answer():
    """The campaign's two sentences, reworded, inside a personal answer two and a half times as long."""
    campaign = (
        "Free parking for the lifeboat volunteers and the harbour staff must stay. "
        "They are called out at any hour and cannot hunt for a meter."
    )
    personal = (
        "My husband has crewed the Pengarth lifeboat for eleven years and I have lost count of "
        "the nights his pager went off at 3am. Free parking for the lifeboat volunteers and "
        "harbour staff has to stay. They are called out at any hour and can't hunt for a "
        "meter. Last February he reached the boathouse in four minutes because the space "
        "was there."
    )
    groups = _detect([("r1", "q2", campaign), ("r2", "q2", personal), *OWN])
    assert list(groups.values()) == [["r1", "r2"]]


def test_answers_quoting_the_question_do_not_pair():
    """Both answers quote the question, then say different things: not copies."""
    q = QUESTIONS["q1"]
    groups = _detect(
        [
            ("r1", "q1", f'"{q}" Not really, the car park is empty most of the year anyway.'),
            ("r2", "q1", f'"{q}" Yes, provided blue badge holders keep their bays for nothing.'),
            *OWN,
        ]
    )
    assert groups == {}


def test_answers_sharing_a_common_phrase_do_not_pair():
    """A stock opening and the place's name in common, the rest each writer's own."""
    one = (
        "I do not think this is a good idea. The harbour front car park is where the Friday "
        "market sets up and the stallholders unload their vans there at six."
    )
    two = (
        "I do not think this is a good idea, because the car park on the harbour front floods "
        "at spring tides and the council has never fixed the drains."
    )
    groups = _detect([("r1", "q2", one), ("r2", "q2", two), *[(r, "q2", t) for r, _, t in OWN]])
    assert groups == {}


def test_reworded_copy_with_the_position_turned_is_not_a_copy():
    """The same wording with the position turned ("support" / "oppose") is another answer."""
    groups = _detect(
        [
            (
                "r1",
                "q1",
                "We support charging on the harbour front, since the income will keep the public toilets and the harbour lights running.",
            ),
            (
                "r2",
                "q1",
                "We oppose charging on the harbour front, since the income will not keep the public toilets and the harbour lights running.",
            ),
            *OWN,
        ]
    )
    assert groups == {}


def test_a_short_common_sentence_sent_twice_is_not_a_campaign():
    """Under 100 characters with no wording of its own beyond the question's: five copies needed."""
    text = "I agree with the proposal to charge for parking on the harbour front."
    groups = _detect([("r1", "q1", text), ("r2", "q1", text), *OWN])
    assert groups == {}


def test_distinctive_leaves_out_the_question_and_stopwords():
    known = reworded.known_words(campaigns.normalise(QUESTIONS["q1"]))
    grams = reworded.distinctive(
        campaigns.normalise("Do you agree with the proposal to charge? We do not."),
        known,
    )
    assert grams == set()  # the question's trigrams, and stopword-only ones ("we do not")
    own = reworded.distinctive(campaigns.normalise("The sea wall needs the money first."), known)
    assert ("sea", "wall", "needs") in own


def test_stock_trigrams_do_not_make_pairs_at_scale():
    """A phrase in more than STOCK_CAP answers is stock: it counts as no one's wording."""
    phrase = "the harbour front is the heart of pengarth and everyone who lives here knows it"
    texts = [
        campaigns.normalise(f"{phrase}. my own reason number {i} is different") for i in range(30)
    ]
    pairs, sizes = reworded.reworded_candidates(texts)
    assert pairs == {}
    assert max(sizes) < reworded.MIN_SHARED


def test_a_letters_reworded_paragraph_joins_the_questions_campaign():
    """A letter with no headings rewords the campaign's answer to q1 in one paragraph."""
    letter = (
        "Dear Harbour Board,\n\nI have kept a boat at Pengarth for thirty years.\n\n"
        "Charges on the quay would empty the town in the winter months - let Lower Pengarth "
        "residents park for free after six in the evening!\n\nYours, Morwenna"
    )
    groups = _detect([("r1", "q1", SHORT_1), ("r2", "unstructured", letter), *OWN])
    assert list(groups) == [("q1", "campaign-1")]
    assert list(groups.values()) == [["r1", "r2"]]


def test_a_paragraph_sharing_a_phrase_with_another_questions_campaign_is_not_a_member():
    """A second paragraph that mentions the lifeboat station in its own words is no copy."""
    q2_text = (
        "Keep the free bays by the lifeboat station for crew and harbour staff, and put the "
        "new meters on the car park by the old fish market instead."
    )
    own = (
        SHORT_2 + "\n\nThe lifeboat station needs a proper turning space for the tractor "
        "before anyone paints new bays, whatever the Board decides about meters."
    )
    groups = _detect([("r1", "q1", SHORT_1), ("r1", "q2", q2_text), ("r2", "q1", own), *OWN])
    assert list(groups.values()) == [["r1", "r2"]]
    assert list(groups) == [("q1", "campaign-1")]
