"""A letter's paragraphs decoded as one sequence (``helpers.ingest.segment.letterseq``).

The decoder is checked on small score matrices (a profile question, then four
questions in order); the features on a letter written for these tests to the
library consultation of ``builders`` (not a development set's wording); which
documents count as letters on hand-made rows; and the shipped weights load.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from builders import LIBRARY_CONSULTATION

from helpers.core.consultation import Question, parse_consultation
from helpers.ingest.segment import learned, letterseq

RANKS = [-1, 0, 1, 2, 3]  # about (profile), hours, sundays, effects, other
NONE, ABOUT, HOURS, SUNDAYS, EFFECTS, OTHER = range(6)


def _questions() -> tuple[Question, ...]:
    return tuple(parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION)).questions)


def _score(rows: list[dict[int, float]]) -> np.ndarray:
    """Units × choices scores, -5 (unlikely) where not given."""
    s = np.full((len(rows), 6), -5.0)
    for i, r in enumerate(rows):
        for c, v in r.items():
            s[i, c] = v
    return s


def test_order_settles_a_near_tie_between_an_earlier_and_a_later_question():
    # The second paragraph is about as close to Sunday opening as to "anything
    # else"; after the hours answer, going on in order wins either way, and a
    # paragraph that seems to go back to the hours after "effects" needs a clear lead.
    score = _score([{HOURS: 1.0}, {SUNDAYS: 0.5, OTHER: 0.6}])
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [HOURS, OTHER]
    score = _score([{EFFECTS: 1.0}, {HOURS: 0.6, OTHER: 0.5}])
    assert letterseq.decode(score, RANKS, cont=0.0, back=0.0, on=[True, True]) == [EFFECTS, HOURS]
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [EFFECTS, OTHER]


def test_a_paragraph_goes_on_with_the_answer_before_unless_it_opens_a_new_point():
    score = _score([{SUNDAYS: 2.0}, {NONE: 0.3, SUNDAYS: 0.1}])
    assert letterseq.decode(score, RANKS, cont=0.5, back=1.0, on=[True, True]) == [SUNDAYS] * 2
    assert letterseq.decode(score, RANKS, cont=0.5, back=1.0, on=[True, False]) == [SUNDAYS, NONE]
    assert letterseq.decode(score, RANKS, cont=0.0, back=1.0, on=[True, True]) == [SUNDAYS, NONE]


def test_text_placed_under_no_question_keeps_the_order_and_a_profile_answer_is_outside_it():
    # An aside between two answers does not reset the order: going back to the
    # hours after it still costs; who writes (the profile question) costs nothing.
    score = _score([{SUNDAYS: 1.0}, {NONE: 1.0}, {HOURS: 0.4, EFFECTS: 0.3}, {ABOUT: 1.0}])
    got = letterseq.decode(score, RANKS, cont=0.0, back=0.5, on=[True] * 4)
    assert got == [SUNDAYS, NONE, EFFECTS, ABOUT]
    assert letterseq.decode(np.zeros((0, 6)), RANKS, 0.0, 0.0, []) == []


LETTER = (
    "Dear library service,\n\n"
    "I am writing in reply to the consultation on opening hours.\n\n"
    "With regard to question 2, my family would use the central library on Sundays "
    "every week if it opened.\n\n"
    "Could you keep one branch open until seven on Thursdays for people on shifts.\n\n"
    "With best wishes,\n\nAnwen"
)


def _units(text: str) -> list[learned.Unit]:
    return [
        learned.Unit(s, e, learned.NONE, "unstructured", "unstructured", 0.0, True, False)
        for s, e in learned._spans(text, 0, len(text))
    ]


def test_features_of_a_hand_written_letter():
    qs = _questions()
    units = _units(LETTER)
    nq = len(qs)
    sims = np.full((len(units), nq), 0.2)
    f = letterseq.features(LETTER, units, qs, sims, sims)
    assert f.shape == (len(units), nq + 1, len(letterseq.FEATURES))
    ix = {n: i for i, n in enumerate(letterseq.FEATURES)}
    # the greeting and the introduction are marked on the "no question" choice
    assert f[0, 0, ix["none_greeting"]] == 1 and f[0, 0, ix["none_first"]] == 1
    assert f[1, 0, ix["none_intro"]] == 1
    # "With regard to question 2" names the Sunday question, and only it
    assert f[2, 1:, ix["explicit"]].tolist() == [0, 0, 1, 0, 0]
    # the Sunday paragraph's topic words lead for that question
    assert f[2, SUNDAYS, ix["lex_top"]] == 1
    # the profile question is marked as such; the sign-off is the last paragraph
    assert f[0, ABOUT, ix["profile"]] == 1 and f[-1, 0, ix["none_last"]] == 1


def _rows(methods: list[str], headings: list[str | None] | None = None) -> pd.DataFrame:
    headings = headings or [None] * len(methods)
    return pd.DataFrame({"respondent_id": "r", "match_method": methods, "heading_text": headings})


def test_only_documents_read_by_the_letter_rules_are_letters():
    assert letterseq.is_letter(_rows(["unstructured", "meaning", "closing"]))
    assert letterseq.is_letter(_rows(["preamble", "paragraph", "unstructured"]))
    # a heading placed something: the document has structure of its own
    assert not letterseq.is_letter(_rows(["preamble", "text", "meaning"]))
    assert not letterseq.is_letter(_rows(["survey_column"]))
    assert not letterseq.is_letter(_rows(["preamble", "closing"]))
    # the meaning pass placed a section by its own heading ("Buses and the gate")
    assert not letterseq.is_letter(_rows(["unstructured", "meaning"], [None, "Buses and the gate"]))


def test_shipped_weights_match_the_features():
    w = letterseq.load_decoder()
    if w is None:
        pytest.skip("no letter_decoder.json shipped")
    n = len(letterseq.FEATURES)
    assert w["features"] == list(letterseq.FEATURES)
    assert len(w["coef"]) == len(w["mean"]) == len(w["scale"]) == n
    assert all(np.isfinite(w["coef"])) and all(s > 0 for s in w["scale"])
    with pytest.raises(ValueError, match="regenerate"):
        letterseq.emissions(np.zeros((1, 2, n)), dict(w, features=["other"]))


def test_the_pass_changes_nothing_when_its_weights_are_off():
    cons = parse_consultation(yaml.safe_load(LIBRARY_CONSULTATION))
    rows = _rows(["unstructured", "closing"]).assign(question_id=["unstructured", "closing"])
    assert letterseq.read_letters(rows, {"r": "x"}, cons, weights={"enabled": False}) is rows
    if letterseq.load_decoder() is None:  # as shipped in session 14: no weights file
        assert letterseq.read_letters(rows, {"r": "x"}, cons) is rows
