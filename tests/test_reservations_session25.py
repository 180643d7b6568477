"""Session 25 (issue 13): missed reservations by mechanism (``benchmarks.reservation_misses``).

Recall is now the larger gap on unseen item sets, so the misses of every spent set were read by
the grammar that carries the reservation (docs/stance.md, "Session 25"). The phrasings below were
written for this test (none from a set) and hand-checked: each answer's mechanisms are the ones a
reader sees in it.
"""

from __future__ import annotations

import pytest

from benchmarks.reservation_misses import ORDER, mechanism, mechanisms


def _row(sents: list[str], ev: int | None = 0, kind: str = "answer") -> dict:
    return {"sents": sents, "ev": ev, "kind": kind}


@pytest.mark.parametrize(
    ("sents", "ev", "first"),
    [
        # The writer's own questions, answered in turn.
        (["A longer library day?", "Great.", "Closing the reading room at lunch?", "Silly."], 1,
         "question asked"),
        (["Who will staff the new desk?", "Until somebody tells me, I can't say yes."], 1,
         "question asked"),
        # Conditions with no "if" in them.
        (["We back the new bins, provided the collection day stays the same."], 0,
         "condition without if"),
        (["Supportive, as long as the hall stays open for the choir."], 0, "condition without if"),
        (["It depends when the consultation report comes out."], 0, "condition without if"),
        (["I'd need to see the final drawings first."], 0, "condition without if"),
        # Grudging or provisional support.
        (["Yes, reluctantly."], 0, "faint support"),
        (["We'll give it a go for now."], 0, "faint support"),
        # A concern about resources or time, stated as a fact; a bare figure names no word of
        # the class, so the word class does not read it (the limit of a word class).
        (["I support the plan.", "The clinic has two nurses for four thousand patients."], 0,
         "none of these"),
        (["I support the plan.", "Our surgery is already short of nurses."], 0,
         "resource/capacity/timing"),
        (["Agree.", "Six weeks is too short to get the signs up."], 0, "resource/capacity/timing"),
        # A caveat in a later sentence.
        (["Yes to the new crossing.", "Mind you, the lights take an age to change."], 0,
         "later sentence"),
        (["Yes to the new crossing.", "I walk there every morning."], 0, "none of these"),
    ],
)  # fmt: skip
def test_mechanism_of_a_missed_answer(sents: list[str], ev: int | None, first: str) -> None:
    assert mechanism(_row(sents, ev)) == first


def test_the_stance_sentence_own_question_is_not_asked() -> None:
    # The only question is the stance sentence itself ("Would I support it? Yes" is one sentence
    # here): a question elsewhere is what counts.
    sents = ["Would I support longer opening hours - of course I would?"]
    assert "question asked" not in mechanisms(_row(sents, 0))
    assert "question asked" in mechanisms(_row(sents, None))


def test_a_later_caveat_needs_a_stance_sentence_before_it() -> None:
    sents = ["However, the bus stop moves further away.", "Overall I agree."]
    assert "later sentence" not in mechanisms(_row(sents, 1))
    assert "later sentence" in mechanisms(_row(sents[::-1], 0))


def test_every_fitting_mechanism_is_listed_in_order() -> None:
    sents = ["Why now?", "We'd back it, subject to funding for the extra staff."]
    assert mechanisms(_row(sents, 1, kind="letter")) == [
        "letter", "question asked", "condition without if", "resource/capacity/timing",
    ]  # fmt: skip
    assert mechanisms(_row(["Fine by me."], 0)) == ["none of these"]
    assert ORDER[-1] == "none of these"


def _cues(sents: list[str], ev: int | None) -> dict[str, list[int]]:
    from benchmarks.reservation_candidates import CUE_FEATURES, cue_features

    x = cue_features([s.lower() for s in sents], ev)
    return {name: [int(v) for v in x[:, j]] for j, name in enumerate(CUE_FEATURES)}


def test_candidate_word_classes_and_positions() -> None:
    # Measured in session 25 and not shipped (benchmarks.reservation_candidates); the readings
    # must still be what their docstring says, so a re-run measures the same thing.
    got = _cues(
        ["Can we keep the Saturday market?", "If so, yes.", "Mind you, it's underfunded."], 1
    )
    assert got["question_other"] == [1, 0, 0]
    assert got["after_question_cond"] == [0, 1, 0]  # a condition right after the writer's question
    assert got["resource"] == [0, 0, 1]
    assert got["later_cue"] == [0, 0, 1]  # after the stance sentence, with a cue
    got = _cues(["We'll back it, subject to a review.", "Grudgingly, yes."], 1)
    assert got["cond_noif"] == [1, 0] and got["faint"] == [0, 1] and got["later_cue"] == [0, 0]
    # A worry that is a neighbour's, not the writer's (stance.voice.whose_view).
    got = _cues(["My neighbour worries about parking.", "I'm for it."], 1)
    assert got["concern"] == [1, 0] and got["others_cue"] == [1, 0]
    assert _cues(["I worry about parking.", "I'm for it."], 1)["others_cue"] == [0, 0]


def test_candidate_two_minds_reaches_the_next_sentence() -> None:
    from benchmarks.reservation_candidates import candidate

    x = candidate("C")(["my head says yes.", "my gut disagrees.", "so, yes."], 2)
    assert [int(v) for v in x[:, 3]] == [1, 1, 0]  # the sentence and the one after it
    assert x.shape == (3, 4)
